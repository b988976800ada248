/*
 * bench_growth.c - the judging cost per response byte as the catalogue
 * grows, on the real judge path.
 *
 * A scan built by hand (tests/support/offline_scan.c) with the
 * built-in catalogue plus every DIR given, loaded as `warden scan --signatures DIR` loads them. Every
 * check's plan runs, so the endpoint check queues every signature path
 * of the catalogue, as a default scan does; each of those probes is then
 * answered with the same body of SIZE bytes (an ordinary JSON list:
 * nothing to find, so every matcher of every signature of its path reads
 * it to the end, the worst case) and completed through the engine's own
 * callback (scan_on_done: digest, every check's judge, release), ROUNDS
 * times; then the same with the endpoint check alone (the one that judges
 * the catalogue: scan_on_done with only it registered) and with no check
 * (the scan's own work per answer, on the same paths). Prints the least
 * CPU time of a round per body byte: of every check, and of the
 * catalogue (the endpoint check less the scan's own work):
 *   "sigs=N probes=P bytes=B all_ns_per_byte=X catalogue_ns_per_byte=Y"
 * bench/catalogue/run.sh runs it at 1x, 2x and 4x the catalogue (copies
 * of signatures/ with new ids, so the same paths carry 2 and 4 times the
 * signatures) and prints the ratios.
 *
 * usage: bench_growth SIZE ROUNDS [DIR...]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/checks/check.h"
#include "../../src/scan/scan.h"
#include "../../tests/support/offline_scan.h"

static double cpu_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One round: a fresh scan, its plan, every planned probe answered and
 * judged. Returns the CPU seconds of the judging; *nprobes, *bytes. */
static double round_once(const struct wd_check *const *checks, char **dirs, int ndirs,
                         const char *body, size_t bl, size_t *nsigs, size_t *nprobes,
                         size_t *bytes)
{
  struct scan_opts o;
  struct scan s;
  struct offline_cfg cfg = {.checks = checks, .max_requests = 1000000, .sigdirs = dirs,
                            .nsigdirs = ndirs};
  char err[512];
  if(offline_scan_init(&s, &o, &cfg, err, sizeof(err))) {
    fprintf(stderr, "bench_growth: %s\n", err);
    exit(1);
  }
  *nsigs = s.sigs.n;
  offline_scan_phase1(&s, "text/html", "<html><body>home</body></html>");
  size_t first = s.nprobes;
  scan_checks_plan(&s);
  size_t last = s.nprobes; /* follow-ups a judge queues are not answered */
  if(!checks[0]) {
    /* No check planned anything: the catalogue's paths, queued as the
     * endpoint check queues them, so that the scan's own work is
     * measured on the same answers. */
    for(size_t i = 0; i < s.sigs.n; i++)
      for(size_t j = 0; j < s.sigs.v[i].npaths; j++)
        scan_queue_as(&s, "GET", s.sigs.v[i].paths[j], PROBE_WELLKNOWN, NULL, (int)i, ID_MAIN,
                      NULL, NULL);
    last = s.nprobes;
  }
  double t0 = cpu_now();
  for(size_t i = first; i < last; i++) {
    struct probe *p = s.probes[i];
    offline_answer(p, 200, "application/json", body, bl);
    p->x.done(&p->x, p->x.ctx);
  }
  double cpu = cpu_now() - t0;
  *nprobes = last - first;
  *bytes = (last - first) * bl;
  scan_cleanup(&s);
  return cpu;
}

int main(int argc, char **argv)
{
  if(argc < 3) {
    fprintf(stderr, "usage: bench_growth SIZE ROUNDS [DIR...]\n");
    return 2;
  }
  size_t size = (size_t)strtol(argv[1], NULL, 10);
  int rounds = (int)strtol(argv[2], NULL, 10);
  if(size < 128 || rounds < 1) {
    fprintf(stderr, "bench_growth: SIZE >= 128, ROUNDS >= 1\n");
    return 2;
  }
  /* An ordinary JSON list of records. */
  char *body = malloc(size + 64);
  size_t bl = 0;
  for(long i = 0; bl + 64 < size; i++)
    bl += (size_t)snprintf(body + bl, size + 64 - bl,
                           "%s{\"id\":%ld,\"name\":\"item %ld\",\"ok\":true}", i ? "," : "[", i, i);
  body[bl++] = ']';
  const struct wd_check *endpoints_only[2] = {NULL, NULL};
  for(size_t i = 0; check_registry[i]; i++)
    if(!strcmp(check_registry[i]->name, "endpoints"))
      endpoints_only[0] = check_registry[i];
  if(!endpoints_only[0]) {
    fprintf(stderr, "bench_growth: no endpoints check in the registry\n");
    return 1;
  }
  /* Three registries: every check (what a scan pays), the endpoint
   * check alone, and none (the scan's own work per answer: the digest,
   * the baseline comparison); the catalogue's cost is the second less
   * the third. */
  static const struct wd_check *const none[] = {NULL};
  const struct wd_check *const *regs[3] = {check_registry,
                                           (const struct wd_check *const *)endpoints_only, none};
  double best[3] = {0, 0, 0};
  size_t nsigs = 0, nprobes[3] = {0, 0, 0}, bytes[3] = {0, 0, 0};
  for(int r = 0; r < rounds; r++)
    for(int k = 0; k < 3; k++) {
      double cpu = round_once(regs[k], argv + 3, argc - 3, body, bl, &nsigs, &nprobes[k],
                              &bytes[k]);
      if(r == 0 || cpu < best[k])
        best[k] = cpu;
    }
  if(!bytes[0] || !bytes[1] || !bytes[2]) {
    fprintf(stderr, "bench_growth: the plan queued nothing to judge\n");
    return 1;
  }
  double all = best[0] / (double)bytes[0] * 1e9, ep = best[1] / (double)bytes[1] * 1e9;
  double base = best[2] / (double)bytes[2] * 1e9;
  printf("sigs=%zu probes=%zu bytes=%zu all_ns_per_byte=%.3f catalogue_ns_per_byte=%.3f\n",
         nsigs, nprobes[0], bytes[0], all, ep > base ? ep - base : 0.0);
  free(body);
  return 0;
}
