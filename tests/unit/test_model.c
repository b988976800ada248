/* Unit tests: findings, score, JSON writer, report. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/core_alloc.h"
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

/* Two occurrences at the same place with different evidence, added in
 * either order: the finding keeps the smaller evidence both times, so the
 * order answers arrive in cannot change a report. */
static void findings_merge_same_place_keeps_smallest_evidence(void **state)
{
  (void)state;
  for(int order = 0; order < 2; order++) {
    struct wd_findings f;
    findings_init(&f);
    const char *ev[2] = {"answer b", "answer a"};
    for(int i = 0; i < 2; i++) {
      struct wd_finding_spec fs = {.rule = &r_high, .severity = -1, .method = "GET",
                                   .url = "http://h/x", .dedupe = "same",
                                   .evidence = ev[(i + order) % 2]};
      findings_add(&f, &fs);
    }
    assert_int_equal(f.n, 1);
    assert_int_equal(f.v[0].count, 2);
    assert_string_equal(f.v[0].evidence, "answer a");
    findings_cleanup(&f);
  }
}

/* 40 places seen in descending order, each twice: the list keeps the 16
 * smallest, distinct and sorted, while count has all 80 occurrences. */
static void findings_locations_bounded_sorted_distinct(void **state)
{
  (void)state;
  struct wd_findings f;
  findings_init(&f);
  char url[64];
  for(int rep = 0; rep < 2; rep++)
    for(int i = 40; i >= 1; i--) {
      snprintf(url, sizeof(url), "http://h/p%02d", i);
      add(&f, &r_high, url, "same");
    }
  assert_int_equal(f.n, 1);
  assert_int_equal(f.v[0].count, 80);
  assert_int_equal(f.v[0].nlocs, WD_MAX_LOCATIONS);
  for(unsigned i = 0; i < f.v[0].nlocs; i++) {
    snprintf(url, sizeof(url), "http://h/p%02u", i + 1);
    assert_string_equal(f.v[0].locs[i].url, url);
    assert_string_equal(f.v[0].locs[i].method, "GET");
  }
  assert_string_equal(f.v[0].url, f.v[0].locs[0].url);
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
  score_compute(&a, WD_CAT_ALL, &sa);
  score_compute(&b, WD_CAT_ALL, &sb);
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
  score_compute(&a, WD_CAT_ALL, &s);
  assert_int_equal(s.overall, 100);
  assert_int_equal(s.grade, 'A');
  assert_int_equal(s.ntested, 12);
  assert_null(s.cap_reason);
  char label[96];
  score_label(&s, label, sizeof(label));
  assert_string_equal(label, "A, 12 of 12 categories tested");
  findings_cleanup(&a);
}

/* Nothing ran: no figure, no grade, every category "not tested". Before
 * warden-score-2 this was a clean 100, grade A. */
static void score_nothing_tested_is_not_graded(void **state)
{
  (void)state;
  struct wd_findings a;
  findings_init(&a);
  struct wd_score s;
  score_compute(&a, 0, &s);
  assert_int_equal(s.overall, -1);
  assert_int_equal(s.grade, '-');
  assert_int_equal(s.ntested, 0);
  assert_int_equal(s.tested, 0);
  for(int c = 0; c < WD_CAT__COUNT; c++) {
    assert_int_equal(s.category[c], -1);
    assert_false(score_is_tested(&s, (enum wd_category)c));
  }
  char label[96];
  score_label(&s, label, sizeof(label));
  assert_string_equal(label, "not graded, 0 of 12 categories tested");
  findings_cleanup(&a);
}

/* The categories of findings count as tested; the others weigh nothing.
 * container 50 (w3), auth 75 (w3), misconfig 97 (w2): weighted mean
 * 569/8 = 71.125, lowest 50: 6*569*10/8 = 4267, + 2000 + 50 -> 63, D,
 * under the critical cap (64), so no cap applies. With all twelve
 * tested it was 73, capped to 64. */
static void score_untested_categories_carry_no_weight(void **state)
{
  (void)state;
  struct wd_findings a;
  findings_init(&a);
  add(&a, &r_low, "http://h/1", NULL);
  add(&a, &r_crit, "http://h/2", NULL);
  add(&a, &r_high, "http://h/3", NULL);
  struct wd_score s;
  score_compute(&a, 0, &s);
  assert_int_equal(s.ntested, 3);
  assert_int_equal(s.tested, WD_CAT_BIT(WD_CAT_CONTAINER) | WD_CAT_BIT(WD_CAT_AUTH) |
                             WD_CAT_BIT(WD_CAT_MISCONFIG));
  assert_int_equal(s.category[WD_CAT_CONTAINER], 50);
  assert_int_equal(s.category[WD_CAT_AUTH], 75);
  assert_int_equal(s.category[WD_CAT_MISCONFIG], 97);
  assert_int_equal(s.category[WD_CAT_BOLA], -1);
  assert_int_equal(s.category[WD_CAT_SSRF], -1);
  assert_int_equal(s.overall, 63);
  assert_int_equal(s.grade, 'D');
  assert_null(s.cap_reason);
  findings_cleanup(&a);
}

/* docs/scoring.md, first worked example: five categories tested (auth,
 * data, container, misconfig, bfla), one high auth finding: auth 75, the
 * rest 100. Weighted mean 1125/12, lowest 75: 6*1125*10/12 = 5625, + 3000
 * + 50 -> 86, capped at 84 by the high finding: B. */
static void score_worked_example_b_5_of_12(void **state)
{
  (void)state;
  struct wd_findings a;
  findings_init(&a);
  add(&a, &r_high, "http://h/3", NULL);
  unsigned t = WD_CAT_BIT(WD_CAT_AUTH) | WD_CAT_BIT(WD_CAT_DATA) |
               WD_CAT_BIT(WD_CAT_CONTAINER) | WD_CAT_BIT(WD_CAT_MISCONFIG) |
               WD_CAT_BIT(WD_CAT_BFLA);
  struct wd_score s;
  score_compute(&a, t, &s);
  assert_int_equal(s.ntested, 5);
  assert_int_equal(s.overall, 84);
  assert_int_equal(s.grade, 'B');
  assert_non_null(s.cap_reason);
  char label[96];
  score_label(&s, label, sizeof(label));
  assert_string_equal(label, "B, 5 of 12 categories tested");
  /* Without a cap: the same five with one low misconfig finding, then
   * misconfig alone. */
  struct wd_findings none;
  findings_init(&none);
  add(&none, &r_low, "http://h/1", NULL); /* misconfig 97 */
  score_compute(&none, t, &s);
  /* (300 + 200 + 300 + 97*2 + 200) = 1194 / 12; lowest 97:
   * 6*1194*10/12 = 5970, + 3880 + 50 -> 99 */
  assert_int_equal(s.overall, 99);
  score_compute(&none, WD_CAT_BIT(WD_CAT_MISCONFIG), &s);
  /* misconfig alone: 97 and 97 -> 97 */
  assert_int_equal(s.overall, 97);
  findings_cleanup(&none);
  /* The same finding with only auth tested: auth is both the mean and the
   * lowest, 75 -> C, below the cap. */
  score_compute(&a, WD_CAT_BIT(WD_CAT_AUTH), &s);
  assert_int_equal(s.ntested, 1);
  assert_int_equal(s.overall, 75);
  assert_int_equal(s.grade, 'C');
  assert_null(s.cap_reason);
  findings_cleanup(&a);
}

/* An info rule can never lower a score: neither its finding nor its
 * running makes its category tested. */
static void score_info_rule_tests_nothing(void **state)
{
  (void)state;
  static const struct wd_rule r_info = {"t.info", WD_SEV_INFO, WD_CAT_INVENTORY,
                                        NULL, 0, "info", "s", "generic", NULL};
  struct wd_findings a;
  findings_init(&a);
  add(&a, &r_info, "http://h/1", NULL);
  struct wd_score s;
  score_compute(&a, 0, &s);
  assert_int_equal(s.ntested, 0);
  assert_int_equal(s.overall, -1);
  struct report r;
  report_init(&r, "scan", "http://h/", &a);
  report_tested(&r, &r_info);
  assert_int_equal(r.tested, 0);
  report_tested(&r, &r_low);
  assert_int_equal(r.tested, WD_CAT_BIT(WD_CAT_MISCONFIG));
  report_finalize(&r);
  assert_int_equal(r.score.ntested, 1);
  assert_int_equal(r.score.overall, 100);
  report_cleanup(&r);
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
  report_tested_cat(&r, WD_CAT_MISCONFIG);
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
  /* The score covers container (the finding: 50, weight 3) and misconfig
   * (recorded as run: 100, weight 2): 6*350*10/5 = 4200, + 2000 + 50 ->
   * 62, D; the ten others are null and listed as not tested. */
  json_t *sc = json_object_get(doc, "score");
  assert_string_equal(json_string_value(json_object_get(sc, "formula")), "warden-score-2");
  assert_int_equal(json_integer_value(json_object_get(sc, "overall")), 62);
  assert_string_equal(json_string_value(json_object_get(sc, "grade")), "D");
  assert_string_equal(json_string_value(json_object_get(sc, "label")),
                      "D, 2 of 12 categories tested");
  assert_int_equal(json_integer_value(json_object_get(sc, "tested_count")), 2);
  json_t *tested = json_object_get(sc, "tested"), *untested = json_object_get(sc, "not_tested");
  assert_int_equal(json_array_size(tested), 2);
  assert_string_equal(json_string_value(json_array_get(tested, 0)), "misconfig");
  assert_string_equal(json_string_value(json_array_get(tested, 1)), "container");
  assert_int_equal(json_array_size(untested), 10);
  json_t *cats = json_object_get(sc, "categories");
  assert_int_equal(json_object_size(cats), 12);
  assert_int_equal(json_integer_value(json_object_get(cats, "container")), 50);
  assert_int_equal(json_integer_value(json_object_get(cats, "misconfig")), 100);
  assert_true(json_is_null(json_object_get(cats, "bola")));
  assert_true(json_is_null(json_object_get(cats, "ssrf")));
  json_decref(doc);
  free(js);
  report_cleanup(&r);
  findings_cleanup(&f);
}

static int cmp_strp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* No silent cap on notes: past REPORT_MAX_NOTES, the distinct notes left
 * out are counted (repeats once) and said in one last note. */
static void report_notes_cap_is_said(void **state)
{
  (void)state;
  struct wd_findings f;
  findings_init(&f);
  struct report r;
  report_init(&r, "scan", "http://h/", &f);
  for(int i = 0; i < REPORT_MAX_NOTES + 7; i++)
    report_note(&r, "note %d", i);
  report_note(&r, "note %d", REPORT_MAX_NOTES + 3); /* a repeat past the cap */
  report_note(&r, "note %d", 0);                    /* a repeat within it */
  assert_int_equal(r.nnotes, REPORT_MAX_NOTES);
  report_finalize(&r);
  assert_int_equal(r.nnotes, REPORT_MAX_NOTES + 1);
  assert_string_equal(r.notes[REPORT_MAX_NOTES],
                      "7 further notes were left out (the report keeps 50)");
  report_cleanup(&r);
  /* The notes kept past the cap are the smallest, in whatever order they
   * came: offered forwards and backwards, the same set. */
  char *kept[2][REPORT_MAX_NOTES];
  for(int pass = 0; pass < 2; pass++) {
    report_init(&r, "scan", "http://h/", &f);
    for(int i = 0; i < REPORT_MAX_NOTES + 9; i++) {
      int k = pass ? REPORT_MAX_NOTES + 8 - i : i;
      report_note(&r, "note %03d", k);
      report_note(&r, "note %03d", k / 2); /* repeats */
    }
    assert_int_equal(r.nnotes, REPORT_MAX_NOTES);
    for(int i = 0; i < REPORT_MAX_NOTES; i++)
      kept[pass][i] = xstrdup(r.notes[i]);
    qsort(kept[pass], REPORT_MAX_NOTES, sizeof(char *), cmp_strp);
    report_finalize(&r);
    assert_string_equal(r.notes[REPORT_MAX_NOTES],
                        "9 further notes were left out (the report keeps 50)");
    report_cleanup(&r);
  }
  for(int i = 0; i < REPORT_MAX_NOTES; i++) {
    char want[32];
    snprintf(want, sizeof(want), "note %03d", i);
    assert_string_equal(kept[0][i], want);
    assert_string_equal(kept[1][i], want);
    free(kept[0][i]);
    free(kept[1][i]);
  }
  /* Within the cap: no such note. */
  report_init(&r, "scan", "http://h/", &f);
  report_note(&r, "one");
  report_finalize(&r);
  assert_int_equal(r.nnotes, 1);
  report_cleanup(&r);
  findings_cleanup(&f);
}

/* The reference: what jw_str must write for a byte that is not part of
 * valid UTF-8 beyond ASCII, one byte at a time (RFC 8259 escapes). */
static size_t jw_ref_byte(unsigned char c, char *o)
{
  if(c == '"' || c == '\\')
    return (size_t)sprintf(o, "\\%c", c);
  if(c == '\n')
    return (size_t)sprintf(o, "\\n");
  if(c == '\t')
    return (size_t)sprintf(o, "\\t");
  if(c == '\r')
    return (size_t)sprintf(o, "\\r");
  if(c < 0x20 || c == 0x7f)
    return (size_t)sprintf(o, "\\u%04x", c);
  if(c >= 0x80)
    return (size_t)sprintf(o, "\\ufffd"); /* a lone byte is never valid UTF-8 */
  o[0] = (char)c;
  return 1;
}

/* The writer scans eight bytes a step: every byte value, at every offset
 * of the word and around it, in a string of plain bytes, comes out as the
 * byte-by-byte reference says; and valid UTF-8 is kept as it is. */
static void jw_escapes_every_byte_anywhere(void **state)
{
  (void)state;
  char in[40], want[80];
  for(int c = 1; c < 256; c++) {
    for(size_t at = 0; at < 20; at++) {
      for(size_t len = at + 1; len < at + 12 && len < sizeof(in); len++) {
        size_t wl = 0;
        want[wl++] = '"';
        for(size_t i = 0; i < len; i++) {
          in[i] = i == at ? (char)c : (char)('a' + i % 26);
          wl += jw_ref_byte((unsigned char)in[i], want + wl);
        }
        in[len] = '\0';
        want[wl++] = '"';
        want[wl] = '\0';
        char *mem = NULL;
        size_t ml = 0;
        FILE *f = open_memstream(&mem, &ml);
        struct jw w;
        jw_init(&w, f, 0);
        jw_str(&w, in);
        jw_flush(&w);
        fclose(f);
        if(strcmp(mem, want))
          fail_msg("byte 0x%02x at %zu of %zu: got %s want %s", c, at, len, mem, want);
        free(mem);
      }
    }
  }
  const char *utf8 = "0123456789 caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x94\x92 abcdefgh";
  char *mem = NULL;
  size_t ml = 0;
  FILE *f = open_memstream(&mem, &ml);
  struct jw w;
  jw_init(&w, f, 0);
  jw_str(&w, utf8);
  jw_flush(&w);
  fclose(f);
  assert_int_equal(ml, strlen(utf8) + 2);
  assert_memory_equal(mem + 1, utf8, strlen(utf8));
  free(mem);
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
  jw_flush(&w); /* the writer buffers */
  fclose(f);
  assert_string_equal(mem, "{\"a\":[1,null,{}],\"b\":true}");
  free(mem);
  /* Strings longer than the buffer, escapes across its boundary. */
  char *big = malloc(20001);
  for(size_t i = 0; i < 20000; i++)
    big[i] = i % 5000 == 4999 ? '"' : 'a';
  big[20000] = '\0';
  f = open_memstream(&mem, &len);
  jw_init(&w, f, 0);
  jw_arr_open(&w);
  for(int k = 0; k < 3; k++)
    jw_str(&w, big);
  jw_arr_close(&w);
  jw_end(&w);
  fclose(f);
  assert_int_equal(len, 1 + 3 * (20000 + 4 + 2) + 2 + 1 + 1); /* [ strings , , ] \n */
  assert_int_equal(mem[4999 + 2], '\\');
  assert_int_equal(mem[len - 1], '\n');
  free(mem);
  free(big);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(findings_merge_keeps_smallest_location),
    cmocka_unit_test(findings_merge_same_place_keeps_smallest_evidence),
    cmocka_unit_test(findings_locations_bounded_sorted_distinct),
    cmocka_unit_test(score_is_order_independent_and_capped),
    cmocka_unit_test(score_clean_is_100_A),
    cmocka_unit_test(score_nothing_tested_is_not_graded),
    cmocka_unit_test(score_untested_categories_carry_no_weight),
    cmocka_unit_test(score_worked_example_b_5_of_12),
    cmocka_unit_test(score_info_rule_tests_nothing),
    cmocka_unit_test(score_grade_bands),
    cmocka_unit_test(report_json_is_valid_and_escaped),
    cmocka_unit_test(report_notes_cap_is_said),
    cmocka_unit_test(jw_nesting),
    cmocka_unit_test(jw_escapes_every_byte_anywhere),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
