/* Unit tests: URL and scope, spec reading, secret masking, patterns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/net/net_curl_load.h"
#include "../../src/net/net_url.h"
#include "../../src/scan/scan.h"
#include "../../src/scan/scan_gql.h"
#include "../../src/scan/scan_rx.h"
#include "../../src/scan/scan_spec.h"

static void scope_pins_scheme_host_port(void **state)
{
  (void)state;
  struct url_parts u;
  char err[128];
  assert_int_equal(url_parse("http://127.0.0.1:8080/api", &u, err, sizeof(err)), 0);
  struct scope s;
  scope_init(&s);
  scope_add_url(&s, &u);
  assert_true(scope_allows(&s, "http://127.0.0.1:8080/other?q=1"));
  assert_false(scope_allows(&s, "http://127.0.0.1:8081/"));
  assert_false(scope_allows(&s, "https://127.0.0.1:8080/"));
  assert_false(scope_allows(&s, "http://127.0.0.2:8080/"));
  assert_false(scope_allows(&s, "http://example.invalid/"));
  assert_false(scope_allows(&s, "file:///etc/passwd"));
  assert_false(scope_allows(&s, "gopher://127.0.0.1:8080/"));
  assert_int_equal(scope_add_spec(&s, "127.0.0.2", err, sizeof(err)), 0);
  assert_true(scope_allows(&s, "https://127.0.0.2:9999/"));
  scope_cleanup(&s);
  url_parts_cleanup(&u);
}

/* libcurl is loaded on first use (net_curl_load.h): the same table every
 * time, every entry point resolved, and the typed forms of the variadic
 * setopt/getinfo refuse an option of another kind instead of passing a
 * value libcurl would read as another type: at compile time through the
 * header's macros (meson.build proves a wrong kind does not compile),
 * and at run time when the functions are called directly, as here. */
static void curl_loaded_once_typed(void **state)
{
  (void)state;
  char err[300] = "";
  const struct net_curl *cu = net_curl(err, sizeof(err));
  assert_non_null(cu);
  assert_ptr_equal(net_curl(NULL, 0), cu);
  assert_ptr_equal(net_curl_loaded(), cu);
  assert_non_null(cu->easy_setopt);
  assert_non_null(cu->url_strerror);
  CURL *c = cu->easy_init();
  assert_non_null(c);
  assert_int_equal(net_setopt_long(c, CURLOPT_TIMEOUT_MS, 1000L), CURLE_OK);
  assert_int_equal(net_setopt_str(c, CURLOPT_URL, "http://127.0.0.1:1/"), CURLE_OK);
  assert_int_equal((net_setopt_long)(c, CURLOPT_URL, 1L), CURLE_BAD_FUNCTION_ARGUMENT);
  assert_int_equal((net_setopt_str)(c, CURLOPT_TIMEOUT_MS, "1"), CURLE_BAD_FUNCTION_ARGUMENT);
  assert_int_equal(net_setopt_off(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0), CURLE_OK);
  assert_int_equal((net_setopt_off)(c, CURLOPT_TIMEOUT_MS, (curl_off_t)0),
                   CURLE_BAD_FUNCTION_ARGUMENT);
  assert_int_equal(net_setopt_write(c, CURLOPT_URL, NULL), CURLE_BAD_FUNCTION_ARGUMENT);
  long code = -1;
  double secs = -1;
  assert_int_equal(net_getinfo_long(c, CURLINFO_RESPONSE_CODE, &code), CURLE_OK);
  assert_int_equal(code, 0);
  assert_int_equal((net_getinfo_double)(c, CURLINFO_RESPONSE_CODE, &secs),
                   CURLE_BAD_FUNCTION_ARGUMENT);
  assert_int_equal((net_getinfo_long)(c, CURLINFO_TOTAL_TIME, &code), CURLE_BAD_FUNCTION_ARGUMENT);
  cu->easy_cleanup(c);
  CURLM *m = cu->multi_init();
  assert_non_null(m);
  assert_int_equal(net_multi_setopt_long(m, CURLMOPT_MAXCONNECTS, 4L), CURLM_OK);
  cu->multi_cleanup(m);
}

static void url_parse_rejects_bad(void **state)
{
  (void)state;
  struct url_parts u;
  char err[128];
  assert_int_equal(url_parse("ftp://h/", &u, err, sizeof(err)), -1);
  assert_int_equal(url_parse("not a url", &u, err, sizeof(err)), -1);
  assert_int_equal(url_parse("http://", &u, err, sizeof(err)), -1);
  assert_int_equal(url_parse("http://[::1]:80/x", &u, err, sizeof(err)), 0);
  assert_string_equal(u.host, "::1");
  assert_int_equal(u.port, 80);
  url_parts_cleanup(&u);
  char *r = url_resolve("http://h:1/a/b", "../c?d=1");
  assert_string_equal(r, "http://h:1/c?d=1");
  free(r);
}

/* url_plain_path's promise, which lets the scan skip parsing a joined
 * URL (scan_queue_req2): every plain path, joined to an origin, reads
 * back through url_parse (libcurl) as that origin and that very path,
 * with no query. Checked on every path of up to 3 characters over an
 * alphabet holding each kind of character the test treats differently,
 * plus random longer ones; and the paths it refuses are the ones that
 * would not read back the same. */
static void url_plain_path_reads_back(void **state)
{
  (void)state;
  static const char *origins[] = {"http://127.0.0.1:8080", "https://[::1]:8443",
                                  "http://User:pw@Host.Example:80"};
  static const char alpha[] = "aZ09-._~/%?#;:@+";
  const size_t na = sizeof(alpha) - 1;
  char path[40], url[128], err[128];
  size_t plain = 0;
  unsigned seed = 12345;
  for(size_t o = 0; o < sizeof(origins) / sizeof(origins[0]); o++) {
    struct url_parts base;
    snprintf(url, sizeof(url), "%s/", origins[o]);
    assert_int_equal(url_parse(url, &base, err, sizeof(err)), 0);
    for(size_t k = 0; k < 20000; k++) {
      size_t len;
      path[0] = '/';
      if(k < 1 + na + na * na + na * na * na) {
        size_t v = k, l = 0;
        for(size_t lim = 1; v >= lim && l < 3; l++) {
          v -= lim;
          lim *= na;
        }
        for(size_t i = 0; i < l; i++, v /= na)
          path[1 + i] = alpha[v % na];
        len = 1 + l;
      } else {
        len = 1 + (seed >> 16) % 30;
        for(size_t i = 1; i < len; i++) {
          seed = seed * 1103515245u + 12345u;
          path[i] = alpha[(seed >> 16) % 9]; /* the plain part of the alphabet */
        }
      }
      path[len] = '\0';
      if(!url_plain_path(path))
        continue;
      plain++;
      snprintf(url, sizeof(url), "%s%s", origins[o], path);
      struct url_parts u;
      assert_int_equal(url_parse(url, &u, err, sizeof(err)), 0);
      assert_string_equal(u.scheme, base.scheme);
      assert_string_equal(u.host, base.host);
      assert_int_equal(u.port, base.port);
      assert_string_equal(u.path, path);
      assert_null(u.query);
      url_parts_cleanup(&u);
    }
    url_parts_cleanup(&base);
  }
  assert_true(plain > 3000);
  /* Refused: dot segments (and any segment starting with '.'), "//",
   * percent-escapes, a query, a fragment, anything not unreserved. */
  static const char *refused[] = {"/.", "/..", "/a/../b", "/a/./b", "/.env", "//h/x", "/a%2e",
                                  "/a?b", "/a#b", "/a b", "/a;b", "/a@b", "a", ""};
  for(size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
    assert_false(url_plain_path(refused[i]));
}

/* The host of a spec server URL and whether it names a non-production
 * or internal host (chk_inventory's inventory.non-production-server). */
static void url_host_classes(void **state)
{
  (void)state;
  char h[64];
  assert_int_equal(url_host_of("https://User:pw@API.Staging.Shop.com.:8443/v1", h, sizeof(h)), 1);
  assert_string_equal(h, "api.staging.shop.com");
  assert_int_equal(url_host_of("http://[::ffff:10.1.2.3]:80/", h, sizeof(h)), 1);
  assert_string_equal(h, "::ffff:10.1.2.3");
  assert_int_equal(url_host_of("https://{region}.api.example.com/{basePath}", h, sizeof(h)), 1);
  assert_string_equal(h, "{region}.api.example.com");
  assert_int_equal(url_host_of("/v1", h, sizeof(h)), 0);
  assert_int_equal(url_host_of("http:///x", h, sizeof(h)), 0);
  assert_int_equal(url_host_of("http://[::1", h, sizeof(h)), 0);
  assert_int_equal(url_host_of("http://a-very-long-host-name-that-does-not-fit-in-a-small-buffer.example.com/",
                               h, 16), 0);
  /* Non-production: addresses, labels (with digits), suffixes, one label. */
  const char *yes[] = {"10.0.4.12", "172.16.0.1", "172.31.255.255", "192.168.1.10", "127.0.0.1",
                       "169.254.169.254", "100.64.0.1", "::1", "fd00::1", "fe80::1",
                       "::ffff:192.168.0.1", "staging.shop.com", "api-dev2.shop.com",
                       "qa.api.shop.com", "shop-uat.example.org", "api.shop.internal",
                       "db.corp", "printer.local", "localhost", "backend", "preprod.shop.com",
                       "sandbox.api.shop.com", NULL};
  for(int i = 0; yes[i]; i++) {
    if(!url_host_nonprod(yes[i]))
      fail_msg("%s should be non-production", yes[i]);
  }
  const char *no[] = {"api.shop.com", "172.32.0.1", "11.0.0.1", "192.169.0.1", "8.8.8.8",
                      "2001:db8::1", "latest.shop.com", "devices.shop.com", "contest.example.org",
                      "api.shop.example", "quality.shop.com", "{region}.api.example.com", NULL};
  for(int i = 0; no[i]; i++) {
    if(url_host_nonprod(no[i]))
      fail_msg("%s should be production (%s)", no[i], url_host_nonprod(no[i]));
  }
}

/* The recursive field the GraphQL depth test nests (scan_gql.c). */
static void gql_finds_self_loop(void **state)
{
  (void)state;
  char r[72], l[72];
  json_error_t e;
  json_t *j = json_loads(
    "{\"__schema\":{\"queryType\":{\"name\":\"Q\"},\"types\":["
    "{\"name\":\"Q\",\"fields\":[{\"name\":\"user\",\"args\":[{\"type\":{\"kind\":\"NON_NULL\"}}],"
    "\"type\":{\"name\":\"U\"}},{\"name\":\"users\",\"args\":[],\"type\":{\"name\":null,"
    "\"ofType\":{\"name\":null,\"ofType\":{\"name\":null,\"ofType\":{\"name\":\"U\"}}}}}]},"
    "{\"name\":\"U\",\"fields\":[{\"name\":\"id\",\"args\":[],\"type\":{\"name\":\"Int\"}},"
    "{\"name\":\"friends\",\"args\":[],\"type\":{\"name\":null,\"ofType\":{\"name\":\"U\"}}}]}]}}",
    0, &e);
  assert_non_null(j);
  assert_int_equal(gql_self_loop(j, r, sizeof(r), l, sizeof(l)), 1);
  assert_string_equal(r, "users"); /* user needs an argument */
  assert_string_equal(l, "friends");
  assert_int_equal(gql_self_loop(j, r, 4, l, sizeof(l)), 0); /* does not fit */
  json_decref(j);
  j = json_loads("{\"__schema\":{\"queryType\":{\"name\":\"Q\"},\"types\":[{\"name\":\"Q\","
                 "\"fields\":[{\"name\":\"me\",\"type\":{\"name\":\"U\"}}]},{\"name\":\"U\","
                 "\"fields\":[{\"name\":\"id\",\"type\":{\"name\":\"Int\"}}]}]}}", 0, &e);
  assert_non_null(j);
  assert_int_equal(gql_self_loop(j, r, sizeof(r), l, sizeof(l)), 0); /* no recursion */
  json_decref(j);
}

static const char spec_yaml[] =
  "openapi: 3.0.0\n"
  "servers: [{url: 'https://api.example.com/v1'}]\n"
  "security: [{bearer: []}]\n"
  "paths:\n"
  "  /users/{id}:\n"
  "    get:\n"
  "      parameters: [{name: verbose, in: query}]\n"
  "  /health:\n"
  "    get: {security: []}\n"
  "    post: {}\n";

static void spec_reads_ops_security_and_base(void **state)
{
  (void)state;
  struct spec sp;
  char err[256];
  assert_int_equal(spec_parse(&sp, spec_yaml, strlen(spec_yaml), "t.yaml", err, sizeof(err)), 0);
  assert_int_equal(sp.n, 3);
  int seen = 0;
  for(size_t i = 0; i < sp.n; i++) {
    if(!strcmp(sp.ops[i].path, "/v1/users/{id}")) {
      seen++;
      assert_true(sp.ops[i].secured);
      assert_int_equal(sp.ops[i].nquery, 1);
      assert_string_equal(sp.ops[i].query[0], "verbose");
    } else if(!strcmp(sp.ops[i].path, "/v1/health") && !strcmp(sp.ops[i].method, "GET")) {
      seen++;
      assert_false(sp.ops[i].secured);
    }
  }
  assert_int_equal(seen, 2);
  spec_cleanup(&sp);
}

static void spec_errors_name_file_line(void **state)
{
  (void)state;
  struct spec sp;
  char err[256];
  const char *bad = "openapi: 3.0.0\npaths:\n  /x: [unclosed\n";
  assert_int_equal(spec_parse(&sp, bad, strlen(bad), "bad.yaml", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "bad.yaml:"));
  const char *notspec = "{\"a\": 1}";
  assert_int_equal(spec_parse(&sp, notspec, strlen(notspec), "x.json", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "not an OpenAPI document"));
  assert_int_equal(spec_load_file(&sp, "/nonexistent/spec.json", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "/nonexistent/spec.json"));
}

static void mask_hides_secrets_keeps_names(void **state)
{
  (void)state;
  char *m = scan_mask(NULL, "AWS_SECRET_ACCESS_KEY=abcdefghijklmnopqrstuvwxyz0123 x");
  assert_null(strstr(m, "efghij"));
  assert_non_null(strstr(m, "AWS_SECRET_ACCESS_KEY="));
  free(m);
  m = scan_mask(NULL, "key AKIAIOSFODNN7EXAMPLE here");
  assert_null(strstr(m, "IOSFODNN7EXAMPLE"));
  assert_non_null(strstr(m, "AKIA"));
  free(m);
  m = scan_mask(NULL, "Authorization: Bearer abcdefghijklmnopqrstuvwxyz");
  assert_null(strstr(m, "mnopqrst"));
  free(m);
  m = scan_mask(NULL, "{\"password\": \"hunter2hunter2\"}");
  assert_null(strstr(m, "hunter2"));
  free(m);
  m = scan_mask(NULL, "uid=0(root) gid=0(root) PATH=/usr/bin");
  assert_string_equal(m, "uid=0(root) gid=0(root) PATH=/usr/bin");
  free(m);
  struct scan s;
  memset(&s, 0, sizeof(s));
  scan_add_secret(&s, "my-given-api-key-123");
  m = scan_mask(&s, "echo: my-given-api-key-123!");
  assert_null(strstr(m, "given-api"));
  free(m);
  mask_cleanup(&s.mask);
}

/* Issue 8: the excerpt used to be cut first and masked afterwards, so a
 * value whose name fell outside the window was printed in full. */
static const struct wd_rule env_rule = {"container.env-dump", WD_SEV_HIGH, WD_CAT_CONTAINER,
  NULL, 0, "env", "env", "fix", NULL};

static void flag_masks_before_cut(void **state)
{
  (void)state;
  static const char body[] =
      "HOSTNAME=web-1\nPATH=/usr/local/bin:/usr/bin\nHOME=/root\n"
      "DB_PASSWORD=pr0d-Db-Pa55w0rd-x9\n"
      "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
  struct scan s;
  memset(&s, 0, sizeof(s));
  findings_init(&s.findings);
  struct probe p;
  memset(&p, 0, sizeof(p));
  p.x.method = "GET";
  p.x.url = "http://127.0.0.1:9/env";
  buf_init(&p.x.body, 0);
  buf_appendz(&p.x.body, body);
  /* Matches a check could report: the window starts 40 bytes before the
   * match, so it opens anywhere from before "DB_PASSWORD" to inside its
   * value, after the name. */
  size_t db = (size_t)(strstr(body, "DB_PASSWORD") - body);
  for(size_t off = db + 40 - 4; off <= db + 40 + 32; off++) {
    scan_flag(&s, &p, &env_rule, -1, NULL, NULL, off, 20, NULL);
    const struct wd_finding *f = &s.findings.v[s.findings.n - 1];
    assert_non_null(f->evidence);
    assert_null(strstr(f->evidence, "Pa55w0rd"));
    assert_null(strstr(f->evidence, "K7MDENG"));
    assert_null(strstr(f->evidence, "CYEXAMPLE"));
    findings_cleanup(&s.findings);
  }
  buf_cleanup(&p.x.body);
  free(p.masked);
  mask_map_free(&p.masked_map);
  mask_cleanup(&s.mask);
}

static void rx_counts_and_offsets(void **state)
{
  (void)state;
  static const struct rx r = RX("a+");
  struct rx_cache *c = rx_cache_new();
  size_t mo, ml;
  assert_int_equal(rx_search(c, &r, "xxaaay", 6, 0, &mo, &ml), 1);
  assert_int_equal(mo, 2);
  assert_int_equal(ml, 3);
  assert_int_equal(rx_count(c, &r, "a.a.a.a", 7, 3), 3);
  /* Bodies hold NUL bytes; the length, not strlen, bounds the search. */
  assert_int_equal(rx_search(c, &r, "\0\0a", 3, 0, &mo, &ml), 1);
  rx_cache_free(c);
}

/* The method policy (contract 3): reads always; writes only with
 * --active, within --max-writes; DELETE only with --allow-delete; each
 * write listed in the report. Nothing is sent: the engine never runs. */
static struct probe *q(struct scan *s, const char *m, const char *path)
{
  return scan_queue_body(s, m, path, "application/json", "{\"a\":1}", 7, 0, NULL, 0, ID_MAIN,
                         NULL, NULL);
}

static void policy_scan(struct scan *s, struct scan_opts *o)
{
  memset(s, 0, sizeof(*s));
  s->opts = o;
  char err[128];
  assert_int_equal(url_parse("http://127.0.0.1:9/", &s->target, err, sizeof(err)), 0);
  s->target_url = url_resolve("http://127.0.0.1:9/", "/");
  scope_init(&s->scope);
  scope_add_url(&s->scope, &s->target);
  findings_init(&s->findings);
  report_init(&s->rep, "scan", s->target_url, &s->findings);
  s->eng = http_engine_new(&o->http, err, sizeof(err));
  assert_non_null(s->eng);
}

static void method_policy_and_write_budget(void **state)
{
  (void)state;
  struct scan_opts o;
  memset(&o, 0, sizeof(o));
  o.http.concurrency = 1;
  o.max_writes = 2;
  struct scan s;
  /* Default mode: reads only, whatever the budget says. */
  policy_scan(&s, &o);
  assert_non_null(scan_queue(&s, "GET", "/a", 0, NULL, 0));
  assert_non_null(scan_queue(&s, "HEAD", "/a", 0, NULL, 0));
  assert_non_null(scan_queue(&s, "OPTIONS", "/a", 0, NULL, 0));
  assert_null(q(&s, "POST", "/a"));
  assert_null(q(&s, "PUT", "/a"));
  assert_null(q(&s, "PATCH", "/a"));
  assert_null(scan_queue(&s, "DELETE", "/a", 0, NULL, 0));
  assert_null(scan_queue(&s, "TRACE", "/a", 0, NULL, 0));
  assert_int_equal(scan_active(&s), 0);
  assert_int_equal(scan_writes_left(&s), 0);
  assert_int_equal(s.rep.nwrites, 0);
  scan_cleanup(&s);
  /* --active, budget 2, no --allow-delete. */
  o.active = 1;
  policy_scan(&s, &o);
  assert_null(scan_queue(&s, "DELETE", "/a", 0, NULL, 0));
  struct probe *p = q(&s, "POST", "/a");
  assert_non_null(p);
  assert_int_equal(p->x.req_body_len, 7);
  assert_memory_equal(p->x.req_body, "{\"a\":1}", 7);
  assert_null(q(&s, "POST", "/a")); /* a repeat: no budget spent */
  assert_int_equal(scan_writes_left(&s), 1);
  /* The same URL with another body is another request. */
  assert_non_null(scan_queue_body(&s, "POST", "/a", "application/json", "{}", 2, 0, NULL, 0,
                                  ID_MAIN, NULL, NULL));
  assert_null(q(&s, "PUT", "/b")); /* budget spent */
  assert_int_equal(s.writes_over, 1);
  assert_non_null(scan_queue(&s, "GET", "/b", 0, NULL, 0)); /* reads go on */
  /* A GET never carries the body it was given. */
  p = scan_queue_body(&s, "GET", "/c", "application/json", "{}", 2, 0, NULL, 0, ID_MAIN, NULL,
                      NULL);
  assert_non_null(p);
  assert_null(p->x.req_body);
  assert_int_equal(s.rep.nwrites, 2);
  assert_string_equal(s.rep.writes[0].method, "POST");
  assert_string_equal(s.rep.writes[0].url, "http://127.0.0.1:9/a");
  assert_int_equal(s.rep.writes[0].status, 0);
  scan_cleanup(&s);
  /* --allow-delete too. */
  o.allow_delete = 1;
  policy_scan(&s, &o);
  assert_non_null(scan_queue(&s, "DELETE", "/a", 0, NULL, 0));
  assert_int_equal(s.rep.nwrites, 1);
  scan_cleanup(&s);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(scope_pins_scheme_host_port),
    cmocka_unit_test(curl_loaded_once_typed),
    cmocka_unit_test(url_parse_rejects_bad),
    cmocka_unit_test(url_plain_path_reads_back),
    cmocka_unit_test(url_host_classes),
    cmocka_unit_test(gql_finds_self_loop),
    cmocka_unit_test(spec_reads_ops_security_and_base),
    cmocka_unit_test(spec_errors_name_file_line),
    cmocka_unit_test(mask_hides_secrets_keeps_names),
    cmocka_unit_test(rx_counts_and_offsets),
    cmocka_unit_test(flag_masks_before_cut),
    cmocka_unit_test(method_policy_and_write_budget),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
