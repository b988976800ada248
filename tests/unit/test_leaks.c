/*
 * test_leaks.c - error pages and stack traces as they really look, and
 * internal addresses in headers: every recorded response under
 * tests/fixtures/errors/ goes through the leaks check offline and must
 * raise exactly the rule ids its header expects (format as in
 * tests/unit/test_sig.c: "# request:", "# expect:", then the response).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/checks/check.h"
#include "../../src/core/core_alloc.h"
#include "../../src/scan/scan.h"

#define TARGET "http://127.0.0.1:9/"

static const char *errors_dir;

extern const struct wd_check check_leaks;

/* Judges one response at path with the leaks check; the sorted rule ids
 * raised go to out ("none" if none). */
static void judge(const char *path, long status, const char *head, size_t hl,
                  const char *body, size_t bl, char *out, size_t outlen)
{
  struct scan_opts o;
  memset(&o, 0, sizeof(o));
  o.url = TARGET;
  o.http.concurrency = 1;
  o.http.timeout_ms = 1000;
  o.http.connect_timeout_ms = 1000;
  o.http.body_cap = 1 << 20;
  struct scan s;
  memset(&s, 0, sizeof(s));
  s.opts = &o;
  findings_init(&s.findings);
  findings_init(&s.side_findings);
  scope_init(&s.scope);
  sig_catalog_init(&s.sigs);
  char err[256];
  assert_int_equal(url_parse(TARGET, &s.target, err, sizeof(err)), 0);
  s.target_url = url_resolve(TARGET, TARGET);
  s.origin = url_origin(&s.target);
  report_init(&s.rep, "scan", s.target_url, &s.findings);
  scope_add_url(&s.scope, &s.target);
  s.eng = http_engine_new(&o.http, err, sizeof(err));
  assert_non_null(s.eng);
  scan_checks_begin(&s);
  s.phase = 2;
  struct probe *p = scan_queue(&s, "GET", path, 0, NULL, 0);
  assert_non_null(p);
  buf_append(&p->x.head, head, hl);
  buf_append(&p->x.body, body, bl);
  p->x.status = status;
  p->x.outcome = HTTP_OK;
  check_leaks.judge(&s, NULL, p);
  out[0] = '\0';
  for(size_t i = 0; i < s.findings.n; i++) {
    const char *id = s.findings.v[i].rule->id;
    if(!strstr(out, id))
      snprintf(out + strlen(out), outlen - strlen(out), "%s%s", out[0] ? " " : "", id);
  }
  if(!out[0])
    snprintf(out, outlen, "none");
  scan_cleanup(&s);
}

static void error_pages(void **state)
{
  (void)state;
  DIR *d = opendir(errors_dir);
  if(!d)
    fail_msg("%s: cannot open", errors_dir);
  struct dirent *e;
  size_t n = 0, failures = 0;
  while((e = readdir(d))) {
    size_t l = strlen(e->d_name);
    if(l < 6 || strcmp(e->d_name + l - 5, ".http"))
      continue;
    char *file = xasprintf("%s/%s", errors_dir, e->d_name);
    FILE *f = fopen(file, "rb");
    assert_non_null(f);
    char *data = xmalloc(1 << 20);
    size_t len = fread(data, 1, (1 << 20) - 1, f);
    fclose(f);
    data[len] = '\0';
    char path[512] = "", want[256] = "";
    char *p = data;
    while(*p == '#') {
      char *nl = strchr(p, '\n');
      assert_non_null(nl);
      *nl = '\0';
      if(!strncmp(p, "# request: GET ", 15))
        snprintf(path, sizeof(path), "%s", p + 15);
      if(!strncmp(p, "# expect: ", 10))
        snprintf(want, sizeof(want), "%s", p + 10);
      p = nl + 1;
    }
    long status = strtol(strchr(p, ' ') + 1, NULL, 10);
    char *sep = strstr(p, "\n\n");
    assert_non_null(sep);
    size_t hl = (size_t)(sep - p) + 1;
    char *body = sep + 2;
    char got[256];
    judge(path, status, p, hl, body, len - (size_t)(body - data), got, sizeof(got));
    if(strcmp(got, want)) {
      print_error("%s: expected [%s], got [%s]\n", file, want, got);
      failures++;
    }
    n++;
    free(data);
    free(file);
  }
  closedir(d);
  print_message("%zu error pages\n", n);
  assert_true(n >= 15);
  assert_int_equal(failures, 0);
}

int main(int argc, char **argv)
{
  errors_dir = argc > 1 ? argv[1] : "tests/fixtures/errors";
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(error_pages),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
