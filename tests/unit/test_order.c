/*
 * test_order.c - a check's caps keep the same items whatever order the
 * answers arrive in: the answers are offered in two orders to an offline
 * scan (tests/support/offline_scan.c) and the findings and notes must be
 * the same. The data check keeps at most 512 leaks (rule, kind, route):
 * 520 routes each answer a card number here. bfla asks at most BF_MAX
 * (32) admin routes as --as2, bola's crawl (no spec) follows at most 24
 * links, ssrf sends its --active URLs to as many operations as SF_MAX
 * (64) entries hold: each is offered more candidates than its cap, the
 * answers forwards and backwards, through the scan's own spec reading
 * (scan_use_spec) and the engine's completion callback, as a scan runs
 * them; the findings, notes and follow-up requests must be the same, and
 * the ones kept the smallest by the check's stable key.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/checks/check.h"
#include "../../src/core/core_alloc.h"
#include "../../src/core/core_buf.h"
#include "../support/offline_scan.h"

extern const struct wd_check check_data;
extern const struct wd_check check_bfla;
extern const struct wd_check check_bola;
extern const struct wd_check check_ssrf;

#define NROUTES 520

static int cmp_strp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The scan's findings (rule, place, evidence, count) and notes, sorted,
 * as one text, after the answers to NROUTES routes came in the order
 * perm gives. */
static char *run_data(const int *perm, size_t *nfindings)
{
  static const struct wd_check *const checks[] = {&check_data, NULL};
  struct scan_opts o;
  struct scan s;
  struct offline_cfg cfg = {.checks = checks, .max_requests = NROUTES + 100};
  char err[256];
  assert_int_equal(offline_scan_init(&s, &o, &cfg, err, sizeof(err)), 0);
  offline_scan_phase1(&s, "application/json", "{\"status\":\"ok\"}");
  scan_checks_plan(&s);
  struct probe *p[NROUTES];
  for(int i = 0; i < NROUTES; i++) {
    char path[64];
    snprintf(path, sizeof(path), "/api/r%03d", i);
    p[i] = scan_queue(&s, "GET", path, PROBE_SPEC, NULL, 0);
    assert_non_null(p[i]);
  }
  static const char body[] = "{\"card\":\"4111 1111 1111 1111\"}";
  for(int i = 0; i < NROUTES; i++) {
    struct probe *q = p[perm[i]];
    offline_answer(q, 200, "application/json", body, sizeof(body) - 1);
    q->x.done(&q->x, q->x.ctx);
  }
  scan_checks_finish(&s);
  size_t n = s.findings.n + s.rep.nnotes;
  char **lines = xcalloc(n ? n : 1, sizeof(char *));
  for(size_t i = 0; i < s.findings.n; i++) {
    const struct wd_finding *f = &s.findings.v[i];
    lines[i] = xasprintf("F %s %s %s | %s | %u", f->rule->id, f->method ? f->method : "",
                         f->url ? f->url : "", f->evidence ? f->evidence : "", f->count);
  }
  for(size_t i = 0; i < s.rep.nnotes; i++)
    lines[s.findings.n + i] = xasprintf("N %s", s.rep.notes[i]);
  qsort(lines, n, sizeof(char *), cmp_strp);
  struct buf b;
  buf_init(&b, 0);
  for(size_t i = 0; i < n; i++) {
    buf_appendz(&b, lines[i]);
    buf_appendz(&b, "\n");
    free(lines[i]);
  }
  free(lines);
  *nfindings = s.findings.n;
  scan_cleanup(&s);
  return buf_steal(&b);
}

static void data_cap_same_in_any_order(void **state)
{
  (void)state;
  int fwd[NROUTES], rev[NROUTES], mix[NROUTES];
  for(int i = 0; i < NROUTES; i++) {
    fwd[i] = i;
    rev[i] = NROUTES - 1 - i;
    mix[i] = (i * 7 + 3) % NROUTES; /* 7 and 520 are coprime: a permutation */
  }
  size_t n1, n2, n3;
  char *a = run_data(fwd, &n1), *b = run_data(rev, &n2), *c = run_data(mix, &n3);
  /* 512 leaks kept: the smallest routes, /api/r000 to /api/r511. */
  assert_int_equal(n1, 512);
  assert_non_null(strstr(a, "/api/r000 "));
  assert_non_null(strstr(a, "/api/r511 "));
  assert_null(strstr(a, "/api/r512 "));
  assert_non_null(strstr(a, "N sensitive data: 8 further leaks were not kept"));
  assert_string_equal(a, b);
  assert_string_equal(a, c);
  free(a);
  free(b);
  free(c);
}

/* ---- bfla, bola's crawl, ssrf: the whole scan drained in two orders */

/* An OpenAPI 3 document of n GET operations at fmt % i (one %02d), each
 * with the query parameter query (format uri) when query is not NULL. */
static char *spec_of(const char *fmt, int n, const char *query)
{
  struct buf b;
  buf_init(&b, 0);
  buf_appendz(&b, "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"order\",\"version\":\"1\"},"
                  "\"paths\":{");
  for(int i = 0; i < n; i++) {
    char path[64];
    snprintf(path, sizeof(path), fmt, i);
    buf_printf(&b, "%s\"%s\":{\"get\":{", i ? "," : "", path);
    if(query)
      buf_printf(&b, "\"parameters\":[{\"name\":\"%s\",\"in\":\"query\",\"schema\":"
                     "{\"type\":\"string\",\"format\":\"uri\"}}],", query);
    buf_appendz(&b, "\"responses\":{\"200\":{\"description\":\"ok\"}}}}");
  }
  buf_appendz(&b, "}}");
  return buf_steal(&b);
}

static const char ok_json[] = "{\"items\":[{\"name\":\"report\",\"size\":3}]}";

/* bfla: every route answers both identities with data. */
static void bfla_answer(struct probe *p)
{
  offline_answer(p, 200, "application/json", ok_json, sizeof(ok_json) - 1);
}

#define BFLA_OPS 40

/* 40 admin routes (BF_MAX is 32), identity 1's answers and then the
 * lower identity's in the order given. */
static char *run_bfla(int backwards, size_t *nfindings)
{
  static const struct wd_check *const checks[] = {&check_bfla, NULL};
  struct scan_opts o;
  struct scan s;
  struct offline_cfg cfg = {.checks = checks, .max_requests = 1000};
  char err[256];
  assert_int_equal(offline_scan_init(&s, &o, &cfg, err, sizeof(err)), 0);
  o.cred = (struct cred){.kind = CRED_BEARER, .value = "main-identity-token"};
  o.as2 = (struct cred){.kind = CRED_BEARER, .value = "lower-identity-token"};
  offline_scan_phase1(&s, "application/json", "{\"status\":\"ok\"}");
  char *text = spec_of("/api/admin/r%02d", BFLA_OPS, NULL);
  struct spec sp;
  assert_int_equal(spec_parse(&sp, text, strlen(text), "order.json", err, sizeof(err)), 0);
  free(text);
  scan_use_spec(&s, &sp);
  offline_run_checks(&s, backwards, bfla_answer, 0);
  char *r = offline_result(&s, 1, NULL);
  *nfindings = 0;
  for(size_t i = 0; i < s.findings.n; i++)
    *nfindings += !strcmp(s.findings.v[i].rule->id, "bfla.admin-route");
  scan_cleanup(&s);
  return r;
}

static void bfla_cap_same_in_any_order(void **state)
{
  (void)state;
  size_t n1, n2;
  char *a = run_bfla(0, &n1), *b = run_bfla(1, &n2);
  /* The first 32 admin routes of the spec are asked as --as2 and
   * flagged, r00 to r31, whichever of identity 1's answers came first. */
  assert_int_equal(n1, 32);
  assert_non_null(strstr(a, "Q bfla GET /api/admin/r00 as 3"));
  assert_non_null(strstr(a, "F bfla.admin-route GET " OFFLINE_TARGET "api/admin/r31 "));
  assert_null(strstr(a, "/api/admin/r32"));
  assert_null(strstr(a, "/api/admin/r39"));
  assert_string_equal(a, b);
  free(a);
  free(b);
}

/* bola without a spec: the target URL links 4 pages, each page 10
 * pages of its own; the deepest answer nothing more. */
static void bola_answer(struct probe *p)
{
  const char *path = p->path;
  int page = -1, sub = -1;
  char tail;
  if(sscanf(path, "/api/p%d/l%d%c", &page, &sub, &tail) == 2) {
    static const char leaf[] = "{\"ok\":1}";
    offline_answer(p, 200, "application/json", leaf, sizeof(leaf) - 1);
  } else if(sscanf(path, "/api/p%d%c", &page, &tail) == 1) {
    struct buf b;
    buf_init(&b, 0);
    buf_appendz(&b, "{\"links\":[");
    for(int i = 0; i < 10; i++)
      buf_printf(&b, "%s\"/api/p%d/l%02d\"", i ? "," : "", page, i);
    buf_appendz(&b, "]}");
    offline_answer(p, 200, "application/json", buf_str(&b), b.len);
    buf_cleanup(&b);
  } else {
    static const char nf[] = "404 page not found\n";
    offline_answer(p, 404, "text/plain; charset=utf-8", nf, sizeof(nf) - 1);
  }
}

/* The crawl (BO_MAX_CRAWL 24 links, two levels): the target URL's 4
 * links, then their 40, answered in the order given. */
static char *run_bola_crawl(int backwards)
{
  static const struct wd_check *const checks[] = {&check_bola, NULL};
  struct scan_opts o;
  struct scan s;
  struct offline_cfg cfg = {.checks = checks, .max_requests = 1000};
  char err[256];
  assert_int_equal(offline_scan_init(&s, &o, &cfg, err, sizeof(err)), 0);
  o.cred = (struct cred){.kind = CRED_BEARER, .value = "main-identity-token"};
  offline_scan_phase1(&s, "application/json",
                      "{\"links\":[\"/api/p0\",\"/api/p1\",\"/api/p2\",\"/api/p3\"]}");
  offline_run_checks(&s, backwards, bola_answer, 1); /* the root judged, as scan_run */
  char *r = offline_result(&s, 1, NULL);
  scan_cleanup(&s);
  return r;
}

static void bola_crawl_same_in_any_order(void **state)
{
  (void)state;
  char *a = run_bola_crawl(0), *b = run_bola_crawl(1);
  /* The root's 4 links, and each page's first 5 of its own ((24 - 4) / 4),
   * whichever page answered first. */
  size_t n = 0;
  for(const char *q = a; (q = strstr(q, "Q bola GET /api/p")); q++)
    n++;
  assert_int_equal(n, 24);
  for(int page = 0; page < 4; page++) {
    char want[64], absent[64];
    snprintf(want, sizeof(want), "Q bola GET /api/p%d/l04 as 0\n", page);
    snprintf(absent, sizeof(absent), "/api/p%d/l05", page);
    assert_non_null(strstr(a, want));
    assert_null(strstr(a, absent));
  }
  assert_string_equal(a, b);
  free(a);
  free(b);
}

/* ssrf: the metadata URL's answers hold instance metadata (and the
 * canary URL's do not); everything else answers with data. */
static void ssrf_answer(struct probe *p)
{
  static const char meta[] = "ami-id\ninstance-id\nlocal-ipv4\n";
  if(p->origin && strstr(p->path, "latest%2Fmeta-data"))
    offline_answer(p, 200, "text/plain", meta, sizeof(meta) - 1);
  else
    offline_answer(p, 200, "application/json", ok_json, sizeof(ok_json) - 1);
}

#define SSRF_OPS 12

/* --active: 12 operations with a URL parameter, more than SF_MAX's 64
 * entries hold (each takes the metadata URL in 5 spellings and the
 * canary forms), identity 1's answers in the order given. */
static char *run_ssrf(int backwards)
{
  static const struct wd_check *const checks[] = {&check_ssrf, NULL};
  struct scan_opts o;
  struct scan s;
  struct offline_cfg cfg = {.checks = checks, .max_requests = 1000};
  char err[256];
  assert_int_equal(offline_scan_init(&s, &o, &cfg, err, sizeof(err)), 0);
  o.active = 1;
  o.max_writes = 25;
  offline_scan_phase1(&s, "application/json", "{\"status\":\"ok\"}");
  char *text = spec_of("/api/f%02d", SSRF_OPS, "url");
  struct spec sp;
  assert_int_equal(spec_parse(&sp, text, strlen(text), "order.json", err, sizeof(err)), 0);
  free(text);
  scan_use_spec(&s, &sp);
  offline_run_checks(&s, backwards, ssrf_answer, 0);
  /* Not the requests: each canary URL has a fresh token. */
  char *r = offline_result(&s, 0, NULL);
  scan_cleanup(&s);
  return r;
}

static void ssrf_same_in_any_order(void **state)
{
  (void)state;
  char *a = run_ssrf(0), *b = run_ssrf(1);
  /* The operations tried are the first in the spec's order, whichever
   * answered first: f00 up to some k < 12 have ssrf.cloud-metadata, the
   * rest none. */
  const char *meta = strstr(a, "F ssrf.cloud-metadata ");
  assert_non_null(meta);
  const char *eol = strchr(meta, '\n');
  int k = 0;
  for(int i = 0; i < SSRF_OPS; i++) {
    char want[96];
    snprintf(want, sizeof(want), " @" OFFLINE_TARGET "api/f%02d?", i);
    const char *at = strstr(meta, want);
    if(at && at < eol) {
      assert_int_equal(k, i); /* no gap */
      k++;
    }
  }
  assert_true(k >= 2 && k < SSRF_OPS);
  assert_non_null(strstr(a, "F ssrf.url-parameter GET " OFFLINE_TARGET "api/f11?url=1 "));
  assert_string_equal(a, b);
  free(a);
  free(b);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(data_cap_same_in_any_order),
    cmocka_unit_test(bfla_cap_same_in_any_order),
    cmocka_unit_test(bola_crawl_same_in_any_order),
    cmocka_unit_test(ssrf_same_in_any_order),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
