/*
 * bench_judge.c - the CPU a scan spends judging bodies, without a network:
 * a scan built by hand (tests/support/offline_scan.c), N probes of
 * a spec-like route answered with the same body of SIZE bytes (ordinary
 * JSON: what most answers are, nothing to find), each completed through
 * the engine's own callback (scan_on_done: digest, every check's judge,
 * release). Prints "bodies=N size=SIZE cpu_s=S mb_per_cpu_s=R".
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

int main(int argc, char **argv)
{
  if(argc != 3) {
    fprintf(stderr, "usage: bench_judge BODIES SIZE\n");
    return 2;
  }
  long nb = strtol(argv[1], NULL, 10);
  size_t size = (size_t)strtol(argv[2], NULL, 10);
  /* An ordinary JSON list of records. */
  char *body = malloc(size + 64);
  size_t bl = 0;
  for(long i = 0; bl + 64 < size; i++)
    bl += (size_t)snprintf(body + bl, size + 64 - bl, "%s{\"id\":%ld,\"name\":\"item %ld\",\"ok\":true}",
                           i ? "," : "[", i, i);
  body[bl++] = ']';

  struct scan_opts o;
  struct scan s;
  struct offline_cfg cfg = {.checks = check_registry, .max_requests = (size_t)nb + 1000};
  char err[256];
  if(offline_scan_init(&s, &o, &cfg, err, sizeof(err)))
    abort();
  offline_scan_phase1(&s, "application/json", "{\"status\":\"ok\"}");
  scan_checks_plan(&s);
  double t0 = cpu_now();
  for(long i = 0; i < nb; i++) {
    char path[64];
    snprintf(path, sizeof(path), "/api/items/%ld", i);
    struct probe *p = scan_queue(&s, "GET", path, PROBE_SPEC, NULL, 0);
    if(!p)
      abort();
    offline_answer(p, 200, "application/json", body, bl);
    p->x.done(&p->x, p->x.ctx);
  }
  double cpu = cpu_now() - t0;
  printf("bodies=%ld size=%zu cpu_s=%.3f mb_per_cpu_s=%.1f\n", nb, bl, cpu,
         (double)nb * (double)bl / 1e6 / (cpu > 0 ? cpu : 1e-9));
  scan_cleanup(&s);
  free(body);
  return 0;
}
