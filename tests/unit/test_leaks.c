/*
 * test_leaks.c - error pages and stack traces as they really look, and
 * internal addresses in headers: every recorded response under
 * tests/fixtures/errors/ goes through the leaks check offline and must
 * raise exactly the rule ids its header expects (format as in
 * tests/unit/test_sig.c: "# request:", "# expect:", then the response).
 * And the input-validation check's database error patterns against the
 * messages real servers give (sql_errors_by_engine).
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
extern const struct wd_check check_inputval;

/* Judges one response at path with check chk (its state, if any, from
 * the scan), the probe carrying flags; the rule ids raised go to out
 * ("none" if none), and the first finding's evidence to ev (if given). */
static void judge_with(const struct wd_check *chk, unsigned flags, const char *path, long status,
                       const char *head, size_t hl, const char *body, size_t bl, char *out,
                       size_t outlen, char *ev, size_t evlen)
{
  struct scan_opts o;
  memset(&o, 0, sizeof(o));
  o.checks = check_registry;
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
  struct probe *p = scan_queue(&s, "GET", path, flags, NULL, 0);
  assert_non_null(p);
  buf_append(&p->x.head, head, hl);
  buf_append(&p->x.body, body, bl);
  p->x.status = status;
  p->x.outcome = HTTP_OK;
  void *st = NULL;
  for(size_t i = 0; check_registry[i]; i++)
    if(check_registry[i] == chk)
      st = s.check_state[i];
  chk->judge(&s, st, p);
  if(ev && evlen)
    snprintf(ev, evlen, "%s", s.findings.n ? s.findings.v[0].evidence : "");
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

static void judge(const char *path, long status, const char *head, size_t hl,
                  const char *body, size_t bl, char *out, size_t outlen)
{
  judge_with(&check_leaks, 0, path, status, head, hl, body, bl, out, outlen, NULL, 0);
}

/* Database errors as the servers and drivers word them: PostgreSQL's
 * copied from Debian's postgresql-15 answering the quote warden sends
 * (libpq's "ERROR:  " text, psycopg2's str(e) without it, JSON-escaped
 * in an app's answer, lib/pq's "pq: " prefix), MySQL's and MariaDB's
 * error 1064 as their manuals print it (the client's "ERROR 1064 (42000):"
 * and Go's driver's "Error 1064 (42000):"; told as MariaDB or MySQL when
 * the message names the server, as Debian's mariadbd 10.11 does), SQL Server's errors 105 and
 * 102, Oracle's ORA-01756, SQLite's from Python's sqlite3. Each must be
 * told as its engine; ordinary text that shares words must not match. */
static void sql_errors_by_engine(void **state)
{
  (void)state;
  static const struct {
    const char *body, *engine; /* engine NULL: no finding */
  } cases[] = {
    {"ERROR:  unterminated quoted string at or near \"'\"\nLINE 1: SELECT id FROM pg_class WHERE oid = wd'\n"
     "                                              ^\n", "PostgreSQL"},
    {"ERROR:  syntax error at or near \"wd\"\nLINE 1: SELECT 1 WHERE 1 = 1 wd-not-a-number\n", "PostgreSQL"},
    {"{\"error\": \"unterminated quoted string at or near \\\"'wd''\\\"\\nLINE 1: SELECT 1 WHERE 'a' = 'wd''\\n\"}",
     "PostgreSQL"},
    {"invalid input syntax for type integer: \"wd\"\nLINE 1: SELECT 1 WHERE 1 = 'wd'::int\n", "PostgreSQL"},
    {"{\"error\":\"pq: unterminated quoted string at or near \\\"'\\\"\"}", "PostgreSQL"},
    {"ERROR 1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to "
     "your MySQL server version for the right syntax to use near ''' at line 1", "MySQL"},
    {"Error 1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to "
     "your MariaDB server version for the right syntax to use near '''' at line 1", "MariaDB"},
    /* Debian's mariadbd 10.11 answering the quote: PyMySQL's str(e),
     * JSON-escaped in an app's answer, and the mariadb client's batch-mode
     * stderr; Go's driver 1.5's form without the manual's sentence. */
    {"{\"error\":\"(1064, \\\"You have an error in your SQL syntax; check the manual that corresponds to "
     "your MariaDB server version for the right syntax to use near ''wd''' at line 1\\\")\"}", "MariaDB"},
    {"ERROR 1064 (42000) at line 1: You have an error in your SQL syntax; check the manual that corresponds "
     "to your MariaDB server version for the right syntax to use near ''' at line 1\n", "MariaDB"},
    {"Error 1064: syntax error near the end", "MySQL/MariaDB"},
    {"ERROR 1064 (42000) at line 3: syntax error near the end", "MySQL/MariaDB"},
    {"Unclosed quotation mark after the character string 'wd'.", "SQL Server"},
    {"Msg 102, Level 15, State 1, Line 1\nIncorrect syntax near 'wd'.", "SQL Server"},
    {"ORA-01756: quoted string not properly terminated", "Oracle"},
    {"sqlite3.OperationalError: unrecognized token: \"'wd'%\"", "SQLite"},
    {"{\"error\": \"invalid limit\"}", NULL},
    {"The request had a syntax error; see the documentation at or near the top of the page.", NULL},
    {"We run PostgreSQL, MySQL and Oracle; none of them had an error.", NULL},
  };
  for(size_t i = 0; i < ARRAY_LEN(cases); i++) {
    char got[256], ev[512];
    judge_with(&check_inputval, PROBE_ERROR | PROBE_SPEC, "/api/v1/items?q=wd%27", 500,
               "HTTP/1.1 500 Internal Server Error\r\n", 36, cases[i].body, strlen(cases[i].body),
               got, sizeof(got), ev, sizeof(ev));
    if(!cases[i].engine) {
      if(strcmp(got, "none"))
        fail_msg("case %zu: expected no finding, got [%s] (%s)", i, got, ev);
      continue;
    }
    char want[64];
    snprintf(want, sizeof(want), "with a %s error", cases[i].engine);
    if(strcmp(got, "injection.sql-error") || !strstr(ev, want))
      fail_msg("case %zu: expected injection.sql-error %s, got [%s] (%s)", i, want, got, ev);
  }
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
    cmocka_unit_test(sql_errors_by_engine),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
