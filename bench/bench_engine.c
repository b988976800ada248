/*
 * bench_engine.c - warden's HTTP engine alone, at full speed: N GETs of
 * one URL with C in flight, through the same http_engine the scanner
 * uses (libcurl multi). Prints "requests=N seconds=S rps=R errors=E".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/core/core_alloc.h"
#include "../src/core/core_time.h"
#include "../src/net/net_http.h"

struct bench {
  struct http_engine *eng;
  struct http_exchange *x;
  long next, total, ok, errors;
};

static void bench_done(struct http_exchange *x, void *ctx)
{
  struct bench *b = ctx;
  if(x->outcome == HTTP_OK && x->status == 200)
    b->ok++;
  else
    b->errors++;
  /* Reuse the slot for the next request, as a scan reuses handles. */
  if(b->next < b->total) {
    b->next++;
    http_engine_submit(b->eng, x, bench_done, b);
  }
}

int main(int argc, char **argv)
{
  if(argc != 4) {
    fprintf(stderr, "usage: bench_engine URL REQUESTS CONCURRENCY\n");
    return 2;
  }
  long n = strtol(argv[2], NULL, 10);
  int c = (int)strtol(argv[3], NULL, 10);
  struct http_opts o = {
    .concurrency = c, .timeout_ms = 10000, .connect_timeout_ms = 5000,
    .body_cap = 1 << 20, .user_agent = "warden-bench", .insecure = 1,
  };
  char err[256];
  struct bench b = {0};
  b.eng = http_engine_new(&o, err, sizeof(err));
  if(!b.eng) {
    fprintf(stderr, "%s\n", err);
    return 1;
  }
  b.total = n;
  b.x = xcalloc((size_t)c, sizeof(*b.x));
  for(int i = 0; i < c && b.next < n; i++) {
    http_exchange_init(&b.x[i], "GET", argv[1]);
    b.next++;
    http_engine_submit(b.eng, &b.x[i], bench_done, &b);
  }
  double t0 = mono_now();
  http_engine_run(b.eng);
  double t = mono_now() - t0;
  printf("requests=%ld seconds=%.3f rps=%.0f errors=%ld\n", b.ok + b.errors, t,
         (double)(b.ok + b.errors) / t, b.errors);
  for(int i = 0; i < c; i++)
    http_exchange_cleanup(&b.x[i]);
  free(b.x);
  http_engine_free(b.eng);
  return b.errors ? 1 : 0;
}
