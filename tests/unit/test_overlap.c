/*
 * test_overlap.c - one problem, one finding: a private address that the
 * API description the scan found and uses names as a server is
 * inventory.non-production-server's (which entry, and how to fix it),
 * not leak.internal-ip as well. Twins: the same address leaked anywhere
 * else, another private address in the same document, and a server of a
 * discovered document the scan does not use are still leak.internal-ip.
 * Offline scans (tests/support/offline_scan.c) with spec discovery as
 * scan_run queues it, the answers offered forwards and backwards.
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
#include "../support/offline_scan.h"

extern const struct wd_check check_leaks;
extern const struct wd_check check_inventory;

/* What the target serves, per case. */
struct site {
  const char *openapi; /* /openapi.json, or NULL for 404 */
  const char *swagger; /* /swagger.json, or NULL for 404 */
  const char *items;   /* /api/items */
};

/* The site being scanned: the answer function reads it (one scan at a
 * time; a test's own static, not the scanner's). */
static const struct site *cur;

static void site_answer(struct probe *p)
{
  static const char nf[] = "404 page not found\n";
  const char *body = NULL;
  if(!strcmp(p->path, "/openapi.json"))
    body = cur->openapi;
  else if(!strcmp(p->path, "/swagger.json"))
    body = cur->swagger;
  else if(!strcmp(p->path, "/api/items"))
    body = cur->items;
  if(body)
    offline_answer(p, 200, "application/json", body, strlen(body));
  else
    offline_answer(p, 404, "text/plain; charset=utf-8", nf, sizeof(nf) - 1);
}

/* A scan of site with discovery at /openapi.json and /swagger.json (the
 * first and third of the scan's spec locations, tagged with their index
 * as scan_run tags them), its answers in the order given. */
static char *run_site(const struct site *site, int backwards)
{
  static const struct wd_check *const checks[] = {&check_leaks, &check_inventory, NULL};
  struct scan_opts o;
  struct scan s;
  struct offline_cfg cfg = {.checks = checks, .max_requests = 200};
  char err[256];
  assert_int_equal(offline_scan_init(&s, &o, &cfg, err, sizeof(err)), 0);
  o.no_discovery = 1; /* no read-only provocations of leaks: only what the site serves */
  offline_scan_phase1(&s, "application/json", "{\"status\":\"ok\"}");
  static const struct { const char *path; int tag; } loc[] = {{"/openapi.json", 0},
                                                             {"/swagger.json", 2}};
  for(size_t i = 0; i < 2; i++) {
    assert_non_null(scan_queue(&s, "GET", loc[i].path, PROBE_SPECFIND, NULL, loc[i].tag));
    s.specfind_out++;
  }
  cur = site;
  offline_run_checks(&s, backwards, site_answer, 0);
  assert_true(s.have_spec); /* the run happened: a spec was found and used */
  char *r = offline_result(&s, 0, NULL);
  scan_cleanup(&s);
  return r;
}

/* The site's result, the same in both orders. */
static char *run_both(const struct site *site)
{
  char *a = run_site(site, 0), *b = run_site(site, 1);
  assert_string_equal(a, b);
  free(b);
  return a;
}

/* The findings of rule in text, one line each. */
static int count_rule(const char *text, const char *rule)
{
  char want[96];
  snprintf(want, sizeof(want), "F %s ", rule);
  int n = 0;
  for(const char *q = text; (q = strstr(q, want)); q++)
    n++;
  return n;
}

/* The first line of rule's finding in text (fresh), or NULL. */
static char *line_of(const char *text, const char *rule)
{
  char want[96];
  snprintf(want, sizeof(want), "F %s ", rule);
  const char *q = strstr(text, want);
  if(!q)
    return NULL;
  const char *e = strchr(q, '\n');
  return xstrndup(q, e ? (size_t)(e - q) : strlen(q));
}

#define SPEC_HEAD "{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"shop\",\"version\":\"2\"},"
#define SPEC_PATHS "\"paths\":{\"/api/items\":{\"get\":{\"responses\":{\"200\":{\"description\":\"ok\"}}}}}}"
#define ITEMS "{\"items\":[{\"name\":\"cup\"}]}"

static void spec_server_is_inventory_only(void **state)
{
  (void)state;
  static const struct site site = {
    SPEC_HEAD "\"servers\":[{\"url\":\"http://10.0.4.12:8080\"}]," SPEC_PATHS, NULL, ITEMS};
  char *r = run_both(&site);
  assert_int_equal(count_rule(r, "inventory.non-production-server"), 1);
  assert_non_null(strstr(r, "the spec's servers name http://10.0.4.12:8080: "));
  assert_int_equal(count_rule(r, "leak.internal-ip"), 0);
  free(r);
}

/* The same address leaked by a route too: that leak is its own problem
 * (an error or a relayed upstream answer), reported where it is. */
static void same_address_elsewhere_is_a_leak(void **state)
{
  (void)state;
  static const struct site site = {
    SPEC_HEAD "\"servers\":[{\"url\":\"http://10.0.4.12:8080\"}]," SPEC_PATHS, NULL,
    "{\"error\":\"upstream 10.0.4.12:5432 refused the connection\"}"};
  char *r = run_both(&site);
  assert_int_equal(count_rule(r, "inventory.non-production-server"), 1);
  assert_int_equal(count_rule(r, "leak.internal-ip"), 1);
  char *leak = line_of(r, "leak.internal-ip");
  assert_non_null(leak);
  assert_non_null(strstr(leak, "F leak.internal-ip GET " OFFLINE_TARGET "api/items | "));
  assert_null(strstr(leak, "openapi.json")); /* one place: the route */
  free(leak);
  free(r);
}

/* Another private address in the same document (not a server): a leak,
 * found past the server's address. */
static void other_address_in_spec_is_a_leak(void **state)
{
  (void)state;
  static const struct site site = {
    SPEC_HEAD "\"servers\":[{\"url\":\"http://10.0.4.12:8080\"}],\"x-relay\":\"192.168.7.9\","
    SPEC_PATHS, NULL, ITEMS};
  char *r = run_both(&site);
  assert_int_equal(count_rule(r, "inventory.non-production-server"), 1);
  assert_int_equal(count_rule(r, "leak.internal-ip"), 1);
  assert_non_null(strstr(r, "F leak.internal-ip GET " OFFLINE_TARGET "openapi.json | "));
  assert_non_null(strstr(r, "192.168.7.9"));
  free(r);
}

/* A second document (/swagger.json) names a private server, but the scan
 * uses /openapi.json (the first location), whose servers are public: no
 * inventory finding says the address, so the leak does. */
static void unused_spec_server_is_a_leak(void **state)
{
  (void)state;
  static const struct site site = {
    SPEC_HEAD "\"servers\":[{\"url\":\"https://api.shop.example/\"}]," SPEC_PATHS,
    "{\"swagger\":\"2.0\",\"info\":{\"title\":\"old\",\"version\":\"1\"},\"host\":\"10.0.4.12:8080\","
    "\"paths\":{\"/api/items\":{\"get\":{\"responses\":{\"200\":{\"description\":\"ok\"}}}}}}",
    ITEMS};
  char *r = run_both(&site);
  assert_int_equal(count_rule(r, "inventory.non-production-server"), 0);
  assert_int_equal(count_rule(r, "leak.internal-ip"), 1);
  assert_non_null(strstr(r, "F leak.internal-ip GET " OFFLINE_TARGET "swagger.json | the API "
                            "description names the server "));
  assert_non_null(strstr(r, "10.0.4.12"));
  free(r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(spec_server_is_inventory_only),
    cmocka_unit_test(same_address_elsewhere_is_a_leak),
    cmocka_unit_test(other_address_in_spec_is_a_leak),
    cmocka_unit_test(unused_spec_server_is_a_leak),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
