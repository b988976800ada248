/*
 * bench_judge.c - the CPU a scan spends judging bodies, without a network:
 * a scan built by hand (as tests/fuzz/fuzz_response.c does), N probes of
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

#define TARGET "http://127.0.0.1:9/"

static double cpu_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void answer(struct probe *p, long status, const char *ctype, const char *body, size_t n)
{
  buf_reset(&p->x.head);
  buf_reset(&p->x.body);
  buf_printf(&p->x.head, "HTTP/1.1 %ld X\r\nContent-Type: %s\r\n\r\n", status, ctype);
  buf_append(&p->x.body, body, n);
  p->x.status = status;
  p->x.httpver = 11;
  p->x.outcome = HTTP_OK;
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
  memset(&o, 0, sizeof(o));
  o.checks = check_registry;
  o.url = TARGET;
  o.http.concurrency = 4;
  o.http.timeout_ms = 1000;
  o.http.connect_timeout_ms = 1000;
  o.http.body_cap = 1 << 20;
  o.max_requests = (size_t)nb + 1000;
  struct scan s;
  memset(&s, 0, sizeof(s));
  s.opts = &o;
  findings_init(&s.findings);
  findings_init(&s.side_findings);
  mask_init(&s.mask);
  s.findings.mask = &s.mask;
  s.side_findings.mask = &s.mask;
  scope_init(&s.scope);
  char err[256];
  sig_catalog_init(&s.sigs);
  if(sig_load_builtin(&s.sigs, err, sizeof(err)))
    abort();
  sig_catalog_index(&s.sigs);
  if(url_parse(TARGET, &s.target, err, sizeof(err)))
    abort();
  s.target_url = url_resolve(TARGET, TARGET);
  s.origin = url_origin(&s.target);
  report_init(&s.rep, "scan", s.target_url, &s.findings);
  s.rep.mask = &s.mask;
  scope_add_url(&s.scope, &s.target);
  s.eng = http_engine_new(&o.http, err, sizeof(err));
  if(!s.eng)
    abort();
  s.phase = 1;
  s.root = scan_queue(&s, "GET", s.target_url, PROBE_ROOT, NULL, 0);
  struct probe *b1 = scan_queue(&s, "GET", "/warden-0123456789abcdef", PROBE_BASELINE, NULL, 0);
  struct probe *b2 = scan_queue(&s, "GET", "/api/warden-fedcba9876543210/0123456789abcdef",
                                PROBE_BASELINE, NULL, 0);
  const char *nf = "404 page not found\n";
  answer(s.root, 200, "application/json", "{\"status\":\"ok\"}", 15);
  answer(b1, 404, "text/plain; charset=utf-8", nf, strlen(nf));
  answer(b2, 404, "text/plain; charset=utf-8", nf, strlen(nf));
  scan_baseline_record(&s, b1, 0);
  scan_baseline_record(&s, b2, 1);
  s.phase = 2;
  scan_checks_plan(&s);
  double t0 = cpu_now();
  for(long i = 0; i < nb; i++) {
    char path[64];
    snprintf(path, sizeof(path), "/api/items/%ld", i);
    struct probe *p = scan_queue(&s, "GET", path, PROBE_SPEC, NULL, 0);
    if(!p)
      abort();
    answer(p, 200, "application/json", body, bl);
    p->x.done(&p->x, p->x.ctx);
  }
  double cpu = cpu_now() - t0;
  printf("bodies=%ld size=%zu cpu_s=%.3f mb_per_cpu_s=%.1f\n", nb, bl, cpu,
         (double)nb * (double)bl / 1e6 / (cpu > 0 ? cpu : 1e-9));
  scan_cleanup(&s);
  free(body);
  return 0;
}
