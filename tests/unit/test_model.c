/* Unit tests: findings, score, JSON writer, report. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/core_jw.h"
#include "../../src/model/model.h"
#include "../../src/model/model_score.h"
#include "../../src/report/report.h"

static const struct wd_fix fixes[] = {{"echo", "echo fix"}, {NULL, NULL}};
static const struct wd_rule r_crit = {"t.crit", WD_SEV_CRITICAL, WD_CAT_CONTAINER,
                                      "API8:2023", 1, "crit", "s", "generic", fixes};
static const struct wd_rule r_high = {"t.high", WD_SEV_HIGH, WD_CAT_AUTH,
                                      "API2:2023", 2, "high", "s", "generic", NULL};
static const struct wd_rule r_low = {"t.low", WD_SEV_LOW, WD_CAT_MISCONFIG,
                                     NULL, 0, "low", "s", "generic", NULL};

static void add(struct wd_findings *f, const struct wd_rule *r, const char *url,
                const char *dedupe)
{
  struct wd_finding_spec fs = {.rule = r, .severity = -1, .method = "GET",
                               .url = url, .dedupe = dedupe};
  findings_add(f, &fs);
}

static void findings_merge_keeps_smallest_location(void **state)
{
  (void)state;
  struct wd_findings f;
  findings_init(&f);
  add(&f, &r_high, "http://h/b", "same");
  add(&f, &r_high, "http://h/a", "same");
  add(&f, &r_high, "http://h/c", "same");
  assert_int_equal(f.n, 1);
  assert_int_equal(f.v[0].count, 3);
  assert_string_equal(f.v[0].url, "http://h/a");
  add(&f, &r_high, "http://h/c", NULL); /* location key: a new finding */
  assert_int_equal(f.n, 2);
  findings_cleanup(&f);
}

static void score_is_order_independent_and_capped(void **state)
{
  (void)state;
  struct wd_findings a, b;
  findings_init(&a);
  findings_init(&b);
  add(&a, &r_low, "http://h/1", NULL);
  add(&a, &r_crit, "http://h/2", NULL);
  add(&a, &r_high, "http://h/3", NULL);
  add(&b, &r_high, "http://h/3", NULL);
  add(&b, &r_crit, "http://h/2", NULL);
  add(&b, &r_low, "http://h/1", NULL);
  struct wd_score sa, sb;
  score_compute(&a, &sa);
  score_compute(&b, &sb);
  assert_int_equal(sa.overall, sb.overall);
  assert_memory_equal(sa.category, sb.category, sizeof(sa.category));
  assert_true(sa.overall <= 64);
  assert_int_equal(sa.grade, 'D' == score_grade(sa.overall) ? 'D' : sa.grade);
  assert_non_null(sa.cap_reason);
  assert_int_equal(sa.category[WD_CAT_CONTAINER], 50);
  assert_int_equal(sa.category[WD_CAT_AUTH], 75);
  assert_int_equal(sa.category[WD_CAT_MISCONFIG], 97);
  findings_cleanup(&a);
  findings_cleanup(&b);
}

static void score_clean_is_100_A(void **state)
{
  (void)state;
  struct wd_findings a;
  findings_init(&a);
  struct wd_score s;
  score_compute(&a, &s);
  assert_int_equal(s.overall, 100);
  assert_int_equal(s.grade, 'A');
  assert_null(s.cap_reason);
  findings_cleanup(&a);
}

static void score_grade_bands(void **state)
{
  (void)state;
  assert_int_equal(score_grade(90), 'A');
  assert_int_equal(score_grade(89), 'B');
  assert_int_equal(score_grade(70), 'C');
  assert_int_equal(score_grade(60), 'D');
  assert_int_equal(score_grade(59), 'F');
  assert_int_equal(score_grade(0), 'F');
}

static char *capture_json(const struct report *r)
{
  char *mem = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&mem, &len);
  rep_write_json(f, r);
  fclose(f);
  return mem;
}

static void report_json_is_valid_and_escaped(void **state)
{
  (void)state;
  struct wd_findings f;
  findings_init(&f);
  struct wd_finding_spec fs = {.rule = &r_crit, .severity = -1, .method = "GET",
                               .url = "http://h/\"q\"",
                               .evidence = "bad \x01 utf8 \xff\xfe and \"quotes\"\n"};
  findings_add(&f, &fs);
  struct report r;
  report_init(&r, "scan", "http://h/", &f);
  r.framework = "echo";
  report_note(&r, "note with \t tab");
  report_finalize(&r);
  char *js = capture_json(&r);
  json_error_t err;
  json_t *doc = json_loads(js, 0, &err);
  assert_non_null(doc);
  assert_string_equal(json_string_value(json_object_get(doc, "schema")), WD_REPORT_SCHEMA);
  json_t *f0 = json_array_get(json_object_get(doc, "findings"), 0);
  assert_string_equal(json_string_value(json_object_get(f0, "rule")), "t.crit");
  /* The framework picks the remediation. */
  assert_string_equal(json_string_value(json_object_get(f0, "remediation")), "echo fix");
  assert_string_equal(json_string_value(json_object_get(
                          json_object_get(f0, "location"), "url")), "http://h/\"q\"");
  json_decref(doc);
  free(js);
  report_cleanup(&r);
  findings_cleanup(&f);
}

static void jw_nesting(void **state)
{
  (void)state;
  char *mem = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&mem, &len);
  struct jw w;
  jw_init(&w, f, 0);
  jw_obj_open(&w);
  jw_key(&w, "a");
  jw_arr_open(&w);
  jw_int(&w, 1);
  jw_str(&w, NULL);
  jw_obj_open(&w);
  jw_obj_close(&w);
  jw_arr_close(&w);
  jw_kbool(&w, "b", 1);
  jw_obj_close(&w);
  fclose(f);
  assert_string_equal(mem, "{\"a\":[1,null,{}],\"b\":true}");
  free(mem);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(findings_merge_keeps_smallest_location),
    cmocka_unit_test(score_is_order_independent_and_capped),
    cmocka_unit_test(score_clean_is_100_A),
    cmocka_unit_test(score_grade_bands),
    cmocka_unit_test(report_json_is_valid_and_escaped),
    cmocka_unit_test(jw_nesting),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
