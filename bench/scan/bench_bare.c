/*
 * bench_bare.c - the floor under the scan path: a bare libcurl multi
 * client doing nothing but N GETs (BASE/r0 .. BASE/rN-1) with C in
 * flight, no scan, no judges, no engine of ours, the least options
 * libcurl needs (a body callback that drops the bytes). The loop is the
 * engine's: start what the cap allows, curl_multi_perform, read what
 * finished, curl_multi_poll. Prints requests, seconds, rate and the
 * process's CPU per request (rusage), so bench/scan/run.sh can set what
 * libcurl alone costs against h2load on the same nginx.
 *
 * usage: bench_bare BASE_URL REQUESTS CONCURRENCY [OPTIONS]
 * OPTIONS (a comma-separated list) adds what the scan's engine sets on
 * top: ua (CURLOPT_USERAGENT), enc (CURLOPT_ACCEPT_ENCODING ""), hdr (a
 * header callback), h2 (CURLOPT_HTTP_VERSION 2TLS and PIPEWAIT), proxy
 * (CURLOPT_PROXY ""), all (each of them): each one's cost is measured
 * by running with and without it. lines (not part of all): the engine's
 * way since issue 13, CURLOPT_ACCEPT_ENCODING "" kept for decoding but
 * User-Agent and Accept-Encoding sent as lines of the header list, which
 * libcurl copies as they are instead of formatting them per request.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static size_t bare_drop(char *p, size_t size, size_t n, void *ud)
{
  (void)p;
  (void)ud;
  return size * n;
}

static double bare_now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bare_has(const char *opts, const char *name)
{
  return opts && (strstr(opts, name) || strstr(opts, "all"));
}

int main(int argc, char **argv)
{
  if(argc < 4) {
    fprintf(stderr, "usage: bench_bare BASE_URL REQUESTS CONCURRENCY [OPTIONS]\n");
    return 2;
  }
  const char *base = argv[1];
  long n = strtol(argv[2], NULL, 10);
  int c = (int)strtol(argv[3], NULL, 10);
  const char *opts = argc > 4 ? argv[4] : NULL;
  if(n < 1 || c < 1 || curl_global_init(CURL_GLOBAL_DEFAULT))
    return 2;
  CURLM *m = curl_multi_init();
  curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)c);
  curl_multi_setopt(m, CURLMOPT_MAXCONNECTS, (long)c);
  CURL **idle = calloc((size_t)c, sizeof(*idle));
  char **urls = calloc((size_t)c, sizeof(*urls));
  if(!idle || !urls)
    return 2;
  int nidle = 0, inflight = 0;
  struct curl_slist *lines = curl_slist_append(NULL, "User-Agent: warden");
  lines = curl_slist_append(lines, "Accept-Encoding: deflate, gzip, br, zstd");
  for(int i = 0; i < c; i++) {
    CURL *e = curl_easy_init();
    if(!e)
      return 2;
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, bare_drop);
    if(bare_has(opts, "ua"))
      curl_easy_setopt(e, CURLOPT_USERAGENT, "warden");
    if(bare_has(opts, "enc"))
      curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    if(bare_has(opts, "hdr"))
      curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, bare_drop);
    if(bare_has(opts, "h2")) {
      curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
      curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L);
    }
    if(bare_has(opts, "proxy"))
      curl_easy_setopt(e, CURLOPT_PROXY, "");
    if(opts && strstr(opts, "lines")) {
      curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
      curl_easy_setopt(e, CURLOPT_HTTPHEADER, lines);
    }
    urls[i] = malloc(strlen(base) + 32);
    if(!urls[i])
      return 2;
    curl_easy_setopt(e, CURLOPT_PRIVATE, urls[i]);
    idle[nidle++] = e;
  }
  long next = 0, done = 0, errors = 0;
  double t0 = bare_now();
  while(done < n) {
    while(next < n && nidle > 0) {
      CURL *e = idle[--nidle];
      char *u = NULL;
      curl_easy_getinfo(e, CURLINFO_PRIVATE, &u);
      sprintf(u, "%s/r%ld", base, next++);
      curl_easy_setopt(e, CURLOPT_URL, u);
      curl_multi_add_handle(m, e);
      inflight++;
    }
    int running = 0;
    curl_multi_perform(m, &running);
    CURLMsg *msg;
    int left;
    while((msg = curl_multi_info_read(m, &left))) {
      if(msg->msg != CURLMSG_DONE)
        continue;
      long status = 0;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
      if(msg->data.result != CURLE_OK || status != 200)
        errors++;
      curl_multi_remove_handle(m, msg->easy_handle);
      idle[nidle++] = msg->easy_handle;
      inflight--;
      done++;
    }
    if(done < n && !(next < n && nidle > 0))
      curl_multi_poll(m, NULL, 0, 100, NULL);
  }
  double t = bare_now() - t0;
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
  printf("requests=%ld seconds=%.3f rps=%.0f cpu_us_per_request=%.1f errors=%ld\n", done, t,
         (double)done / t, cpu / (double)done * 1e6, errors);
  for(int i = 0; i < nidle; i++)
    curl_easy_cleanup(idle[i]);
  for(int i = 0; i < c; i++)
    free(urls[i]);
  free(idle);
  free(urls);
  curl_slist_free_all(lines);
  curl_multi_cleanup(m);
  curl_global_cleanup();
  return errors ? 1 : 0;
}
