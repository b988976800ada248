/*
 * bench_sig.c - judging cost per response byte as the catalogue grows.
 *
 * The built-in catalogue plus N synthetic signatures (each with its own
 * path and a regex and word matchers, like a real family), for N = 0, 100,
 * 1000, 10000. For each size: the time to judge a 256 KiB body at a path
 * that has signatures (/metrics) through the path index (what a scan
 * does), and, for comparison, the time of the naive way (every
 * signature's matchers over the body). Prints ns per body byte; the
 * indexed figure should stay flat as N grows, the naive one grows with N.
 *
 * usage: bench_sig [body-bytes]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../../src/core/core_alloc.h"
#include "../../src/core/core_buf.h"
#include "../../src/sig/sig.h"

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void add_synthetic(struct sig_catalog *c, size_t n)
{
  struct buf y;
  buf_init(&y, 0);
  buf_printf(&y, "rules:\n- id: bench.synthetic\n  severity: low\n  category: misconfig\n"
             "  title: T\n  summary: S\n  remediation: R\nsignatures:\n");
  for(size_t i = 0; i < n; i++)
    buf_printf(&y, "- id: syn-%zu\n  rule: bench.synthetic\n  paths: [/synthetic/%zu]\n"
               "  matchers:\n  - regex: ['(?m)^synthetic_%zu_[a-z]+ [0-9]+$']\n"
               "  - words: ['token-%zu', 'other-%zu']\n", i, i, i, i, i);
  char err[256];
  if(n && sig_load_text(c, "synthetic.yaml", buf_str(&y), y.len, err, sizeof(err))) {
    fprintf(stderr, "bench_sig: %s\n", err);
    exit(1);
  }
  buf_cleanup(&y);
}

int main(int argc, char **argv)
{
  size_t blen = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 256 * 1024;
  /* A Prometheus exposition body: the /metrics signature matches it. */
  struct buf body;
  buf_init(&body, 0);
  for(size_t i = 0; body.len < blen; i++)
    buf_printf(&body, "# HELP m_%zu A metric.\n# TYPE m_%zu gauge\nm_%zu{job=\"x\"} %zu\n", i, i, i, i);
  const char *head = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\n\r\n";
  struct sig_resp r = {200, head, strlen(head), buf_str(&body), body.len};
  static const size_t sizes[] = {0, 100, 1000, 10000};
  double first = 0, last = 0;
  printf("%-10s %-8s %14s %14s %14s\n", "synthetic", "sigs", "hit ns/B", "miss ns/B", "naive ns/B");
  for(size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
    struct sig_catalog c;
    sig_catalog_init(&c);
    char err[256];
    if(sig_load_builtin(&c, err, sizeof(err))) {
      fprintf(stderr, "bench_sig: %s\n", err);
      return 1;
    }
    add_synthetic(&c, sizes[k]);
    sig_catalog_index(&c);
    struct sig_hit h[16];
    int reps = 20;
    size_t hits = 0;
    double t0 = now();
    for(int i = 0; i < reps; i++)
      hits += sig_judge(&c, "/metrics", &r, h, 16);
    double idx = (now() - t0) / reps / (double)body.len * 1e9;
    /* a path whose signatures read the whole body without matching */
    t0 = now();
    for(int i = 0; i < reps; i++)
      (void)sig_judge(&c, "/api/v1/status/flags", &r, h, 16);
    double miss = (now() - t0) / reps / (double)body.len * 1e9;
    /* naive: every signature over the body, a few times */
    int nreps = sizes[k] >= 1000 ? 1 : 3;
    t0 = now();
    for(int i = 0; i < nreps; i++)
      for(size_t j = 0; j < c.n; j++) {
        size_t o, l;
        hits += (size_t)sig_match(&c, &c.v[j], &r, &o, &l);
      }
    double naive = (now() - t0) / nreps / (double)body.len * 1e9;
    printf("%-10zu %-8zu %14.3f %14.3f %14.3f\n", sizes[k], c.n, idx, miss, naive);
    if(k == 0)
      first = miss;
    last = miss;
    if(!hits) {
      fprintf(stderr, "bench_sig: /metrics did not match\n");
      return 1;
    }
    sig_catalog_free(&c);
  }
  printf("indexed cost (miss), largest/built-in catalogue: %.2f (target: flat, < 1.5)\n", last / first);
  buf_cleanup(&body);
  return 0;
}
