/*
 * test_order.c - a check's caps keep the same items whatever order the
 * answers arrive in: the answers are offered in two orders to an offline
 * scan (tests/support/offline_scan.c) and the findings and notes must be
 * the same. The data check keeps at most 512 leaks (rule, kind, route):
 * 520 routes each answer a card number here.
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

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(data_cap_same_in_any_order),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
