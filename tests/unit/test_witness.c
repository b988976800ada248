/* Unit tests: refusal judged by comparison (scan_refused), on recorded
 * answers: Echo's 400 JSON, a 302 to /login, a 404, a login page served
 * with 200, and the soft answers (the random-path page with 200, the same
 * body as the authenticated answer) that must never count as refusals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/core_buf.h"
#include "../../src/scan/scan.h"

static struct probe *mk(const char *path, long st, const char *head, const char *body)
{
  struct probe *p = calloc(1, sizeof(*p));
  p->path = strdup(path);
  p->x.method = "GET";
  p->x.url = strdup(path);
  p->x.status = st;
  p->x.outcome = HTTP_OK;
  buf_init(&p->x.body, 0);
  buf_appendz(&p->x.body, body);
  buf_init(&p->x.head, 0);
  buf_appendz(&p->x.head, head);
  return p;
}

static void rm(struct probe *p)
{
  json_decref(p->json); /* parsed by scan_baseline_record's digest */
  buf_cleanup(&p->x.body);
  buf_cleanup(&p->x.head);
  free(p->x.url);
  free(p->path);
  free(p);
}

#define JSON_HEAD "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
#define HTML_HEAD "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
static const char login_page[] =
  "<!doctype html><html><head><title>Sign in</title></head><body>"
  "<form method=\"post\" action=\"/login\"><input name=\"user\">"
  "<input type=\"password\" name=\"pw\"><button>Sign in</button></form></body></html>";
static const char spa_page[] =
  "<!doctype html><html><head><title>App</title></head><body><div id=\"root\"></div>"
  "<script src=\"/static/app.3f1c.js\"></script></body></html>";

struct fixture {
  struct scan s;
  struct scan_opts o;
  struct probe *authd;
};

/* A scan whose random paths got base_status/base_body, and the
 * authenticated answer of /api/v1/profile. */
static void setup(struct fixture *f, long base_status, const char *base_head, const char *base_body)
{
  memset(f, 0, sizeof(*f));
  f->o.cred.kind = CRED_BEARER;
  f->o.verbose = 1;
  f->s.opts = &f->o;
  report_init(&f->s.rep, "scan", "http://127.0.0.1:1/", &f->s.findings);
  struct probe *b1 = mk("/warden-0123456789abcdef", base_status, base_head, base_body);
  struct probe *b2 = mk("/api/warden-0123/4567", base_status, base_head, base_body);
  scan_baseline_record(&f->s, b1, 0);
  scan_baseline_record(&f->s, b2, 1);
  rm(b1);
  rm(b2);
  f->authd = mk("/api/v1/profile", 200, JSON_HEAD,
                "{\"sub\":\"alice\",\"scope\":\"read write admin\",\"plan\":\"gold\"}");
}

static void teardown(struct fixture *f)
{
  rm(f->authd);
  report_cleanup(&f->s.rep);
}

static const char not_found_json[] = "{\"message\":\"Not Found\"}";
#define NF_HEAD "HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\n"

static void echo_400_json_is_refused(void **state)
{
  (void)state;
  struct fixture f;
  setup(&f, 404, NF_HEAD, not_found_json);
  struct probe *none = mk("/api/v1/profile", 400, JSON_HEAD,
                          "{\"message\":\"missing or malformed jwt\"}\n");
  char why[200];
  assert_int_equal(scan_refused(&f.s, f.authd, none, why, sizeof(why)), REF_STATUS);
  assert_non_null(strstr(why, "HTTP 400"));
  assert_non_null(strstr(why, "JSON error"));
  /* A forged token that gets the same 400 is not accepted. */
  assert_false(scan_accepted(&f.s, f.authd, none));
  rm(none);
  teardown(&f);
}

static void redirect_to_login_is_refused(void **state)
{
  (void)state;
  struct fixture f;
  setup(&f, 404, NF_HEAD, not_found_json);
  struct probe *none = mk("/api/v1/profile", 302,
                          "HTTP/1.1 302 Found\r\nLocation: /login?next=%2Fapi%2Fv1%2Fprofile\r\n", "");
  char why[200];
  assert_int_equal(scan_refused(&f.s, f.authd, none, why, sizeof(why)), REF_LOGIN_REDIRECT);
  assert_non_null(strstr(why, "/login"));
  struct probe *other = mk("/api/v1/profile", 301,
                           "HTTP/1.1 301 Moved\r\nLocation: /api/v1/profile/\r\n", "");
  assert_int_equal(scan_refused(&f.s, f.authd, other, why, sizeof(why)), REF_NO);
  assert_non_null(strstr(why, "not a login page"));
  rm(none);
  rm(other);
  teardown(&f);
}

static void not_found_is_refused(void **state)
{
  (void)state;
  struct fixture f;
  setup(&f, 404, NF_HEAD, not_found_json);
  struct probe *none = mk("/api/v1/profile", 404, NF_HEAD, not_found_json);
  assert_int_equal(scan_refused(&f.s, f.authd, none, NULL, 0), REF_STATUS);
  struct probe *err = mk("/api/v1/profile", 500, JSON_HEAD, "{\"error\":\"internal\"}");
  assert_int_equal(scan_refused(&f.s, f.authd, err, NULL, 0), REF_NO);
  rm(none);
  rm(err);
  teardown(&f);
}

static void login_page_with_200_is_refused(void **state)
{
  (void)state;
  struct fixture f;
  setup(&f, 404, NF_HEAD, not_found_json);
  struct probe *none = mk("/api/v1/profile", 200, HTML_HEAD, login_page);
  char why[200];
  assert_int_equal(scan_refused(&f.s, f.authd, none, why, sizeof(why)), REF_LOGIN_FORM);
  assert_non_null(strstr(why, "login form"));
  /* A forged token answered with that login page did not get in, though
   * the status is 200 and the page is not the random-path one. */
  assert_true(scan_is_hit(&f.s, none));
  assert_false(scan_accepted(&f.s, f.authd, none));
  rm(none);
  teardown(&f);
}

static void soft_refusal_like_baseline_is_not(void **state)
{
  (void)state;
  struct fixture f;
  /* A catch-all server: every unknown path gets the SPA page with 200. */
  setup(&f, 200, HTML_HEAD, spa_page);
  struct probe *none = mk("/api/v1/profile", 200, HTML_HEAD, spa_page);
  char why[200];
  assert_int_equal(scan_refused(&f.s, f.authd, none, why, sizeof(why)), REF_NO);
  assert_non_null(strstr(why, "random-path"));
  /* Even a login form, when it is what every random path gets. */
  teardown(&f);
  setup(&f, 200, HTML_HEAD, login_page);
  struct probe *lp = mk("/api/v1/profile", 200, HTML_HEAD, login_page);
  assert_int_equal(scan_refused(&f.s, f.authd, lp, NULL, 0), REF_NO);
  rm(lp);
  rm(none);
  teardown(&f);
}

static void same_answer_or_other_data_is_not(void **state)
{
  (void)state;
  struct fixture f;
  setup(&f, 404, NF_HEAD, not_found_json);
  struct probe *same = mk("/api/v1/profile", 200, JSON_HEAD, buf_str(&f.authd->x.body));
  char why[200];
  assert_int_equal(scan_refused(&f.s, f.authd, same, why, sizeof(why)), REF_NO);
  assert_non_null(strstr(why, "same body"));
  assert_true(scan_accepted(&f.s, f.authd, same));
  struct probe *other = mk("/api/v1/profile", 200, JSON_HEAD,
                           "[{\"id\":1,\"name\":\"public item\"},{\"id\":2,\"name\":\"another\"}]");
  assert_int_equal(scan_refused(&f.s, f.authd, other, NULL, 0), REF_NO);
  struct probe *empty = mk("/api/v1/profile", 200, JSON_HEAD, "");
  assert_int_equal(scan_refused(&f.s, f.authd, empty, NULL, 0), REF_EMPTY);
  struct probe *jerr = mk("/api/v1/profile", 200, JSON_HEAD,
                          "{\"error\":\"unauthorized\",\"code\":401}");
  assert_int_equal(scan_refused(&f.s, f.authd, jerr, NULL, 0), REF_JSON_ERROR);
  struct probe *unanswered = mk("/api/v1/profile", 0, "", "");
  unanswered->x.outcome = HTTP_TIMEOUT;
  assert_int_equal(scan_refused(&f.s, f.authd, unanswered, NULL, 0), REF_NO);
  rm(same);
  rm(other);
  rm(empty);
  rm(jerr);
  rm(unanswered);
  teardown(&f);
}

/* scan_body_json: the body parsed once (the same document to every
 * caller), NULL for what is not a JSON object or array or is over the
 * cap, and gone with the body (LeakSanitizer fails the run if the
 * release kept it; a read after it would be a use after free). */
static void body_json_parsed_once_and_released(void **state)
{
  (void)state;
  struct scan s;
  memset(&s, 0, sizeof(s));
  struct probe *obj = mk("/api/v1/item", 200, JSON_HEAD, " \r\n{\"id\":7,\"tags\":[\"a\"]}");
  const json_t *j = scan_body_json(&s, obj);
  assert_non_null(j);
  assert_true(json_is_object(j));
  assert_int_equal(json_integer_value(json_object_get(j, "id")), 7);
  assert_ptr_equal(scan_body_json(&s, obj), j);
  assert_ptr_equal(probe_body_json(obj), j);
  /* The digest reads the same document (no second parse needed). */
  scan_body_digest(obj, &obj->sum);
  assert_ptr_equal(obj->json, j);
  struct probe *arr = mk("/api/v1/items", 200, JSON_HEAD, "[1,2,3]");
  assert_true(json_is_array(scan_body_json(&s, arr)));
  assert_int_equal(json_array_size(scan_body_json(&s, arr)), 3);
  static const char *const not_json[] = {
    "", "<html>{\"id\":1}</html>", "{\"id\":", "\"a string\"", "42", "{} trailing", NULL,
  };
  struct probe *bad[8];
  size_t nbad = 0;
  for(size_t i = 0; not_json[i]; i++) {
    bad[nbad] = mk("/x", 200, JSON_HEAD, not_json[i]);
    assert_null(scan_body_json(&s, bad[nbad]));
    assert_null(scan_body_json(&s, bad[nbad]));
    nbad++;
  }
  /* Over the cap: a valid document that is not parsed at all. */
  struct probe *big = mk("/big", 200, JSON_HEAD, "");
  buf_appendz(&big->x.body, "[");
  while(big->x.body.len < SCAN_JSON_CAP)
    buf_appendz(&big->x.body, "1,");
  buf_appendz(&big->x.body, "1]");
  assert_null(scan_body_json(&s, big));
  /* Released with the body: nothing left, and nothing parsed again. */
  struct probe *all[] = {obj, arr, big};
  for(size_t i = 0; i < 3; i++) {
    scan_release_body(all[i]);
    assert_null(all[i]->json);
    assert_null(scan_body_json(&s, all[i]));
  }
  for(size_t i = 0; i < nbad; i++) {
    scan_release_body(bad[i]);
    rm(bad[i]);
  }
  rm(obj);
  rm(arr);
  rm(big);
}

/* What a check reads once a body is released (check.h): the digest taken
 * when the probe completed gives the same judgements as the body. */
static void release(struct probe *p)
{
  scan_body_digest(p, &p->sum);
  buf_cleanup(&p->x.body);
  p->body_released = 1;
}

static void judged_the_same_after_release(void **state)
{
  (void)state;
  struct fixture f;
  setup(&f, 404, NF_HEAD, not_found_json);
  size_t authd_len = f.authd->x.body.len;
  struct probe *same = mk("/api/v1/profile", 200, JSON_HEAD, buf_str(&f.authd->x.body));
  struct probe *other = mk("/api/v1/profile", 200, JSON_HEAD, "[{\"id\":1}]");
  struct probe *empty = mk("/api/v1/profile", 200, JSON_HEAD, "");
  struct probe *jerr = mk("/api/v1/profile", 200, JSON_HEAD, "{\"error\":\"unauthorized\"}");
  struct probe *form = mk("/api/v1/profile", 200, HTML_HEAD, login_page);
  struct probe *st = mk("/api/v1/profile", 401, JSON_HEAD, "{\"message\":\"no\"}");
  struct probe *all[] = {f.authd, same, other, empty, jerr, form, st};
  for(size_t i = 0; i < 7; i++)
    release(all[i]);
  /* Nothing of the bodies is left to read. */
  assert_int_equal(f.authd->x.body.len, 0);
  assert_null(f.authd->x.body.data);
  assert_int_equal(scan_body_len(f.authd), authd_len);
  char why[200];
  assert_int_equal(scan_refused(&f.s, f.authd, same, why, sizeof(why)), REF_NO);
  assert_non_null(strstr(why, "same body"));
  assert_true(scan_accepted(&f.s, f.authd, same));
  assert_int_equal(scan_refused(&f.s, f.authd, other, why, sizeof(why)), REF_NO);
  assert_non_null(strstr(why, "other content (10 bytes)"));
  assert_int_equal(scan_refused(&f.s, f.authd, empty, NULL, 0), REF_EMPTY);
  assert_int_equal(scan_refused(&f.s, f.authd, jerr, NULL, 0), REF_JSON_ERROR);
  assert_int_equal(scan_refused(&f.s, f.authd, form, NULL, 0), REF_LOGIN_FORM);
  assert_int_equal(scan_refused(&f.s, f.authd, st, why, sizeof(why)), REF_STATUS);
  assert_string_equal(why, "HTTP 401, JSON error body");
  for(size_t i = 1; i < 7; i++)
    rm(all[i]);
  teardown(&f);
  /* A catch-all server: the random-path page is recognised by its shape
   * (the request path left out) after the body is gone too. */
  setup(&f, 200, HTML_HEAD, spa_page);
  struct probe *spa = mk("/api/v1/profile", 200, HTML_HEAD, spa_page);
  release(spa);
  assert_true(scan_like_baseline(&f.s, spa));
  assert_false(scan_is_hit(&f.s, spa));
  assert_int_equal(scan_refused(&f.s, f.authd, spa, why, sizeof(why)), REF_NO);
  assert_non_null(strstr(why, "random-path"));
  rm(spa);
  teardown(&f);
}

/* The witness choice across identities, with its debug lines. */
static void witnesses_need_both_refusals(void **state)
{
  (void)state;
  struct fixture f;
  setup(&f, 404, NF_HEAD, not_found_json);
  struct probe *none = mk("/api/v1/profile", 400, JSON_HEAD, "{\"message\":\"missing or malformed jwt\"}");
  struct probe *wrong = mk("/api/v1/profile", 401, JSON_HEAD, "{\"message\":\"invalid or expired jwt\"}");
  none->ident = ID_NONE;
  wrong->ident = ID_WRONG;
  f.authd->var[ID_NONE] = none;
  f.authd->var[ID_WRONG] = wrong;
  /* A second route: presence-only, the wrong credential gets the data. */
  struct probe *m2 = mk("/api/v1/orders", 200, JSON_HEAD, "[{\"order\":1,\"total\":12}]");
  struct probe *n2 = mk("/api/v1/orders", 401, JSON_HEAD, "{\"error\":\"no key\"}");
  struct probe *w2 = mk("/api/v1/orders", 200, JSON_HEAD, "[{\"order\":1,\"total\":12}]");
  m2->var[ID_NONE] = n2;
  m2->var[ID_WRONG] = w2;
  /* A third: public (no credential gets the same data). */
  struct probe *m3 = mk("/api/v1/health", 200, JSON_HEAD, "{\"status\":\"ok\",\"uptime\":42}");
  struct probe *n3 = mk("/api/v1/health", 200, JSON_HEAD, "{\"status\":\"ok\",\"uptime\":42}");
  m3->var[ID_NONE] = n3;
  struct probe *all[] = {f.authd, none, wrong, m2, n2, w2, m3, n3};
  f.s.probes = all;
  f.s.nprobes = 8;
  scan_pick_witnesses(&f.s);
  size_t it = 0;
  assert_ptr_equal(scan_next_witness(&f.s, &it), f.authd);
  assert_null(scan_next_witness(&f.s, &it));
  assert_int_equal(f.s.rep.ndebug, 3);
  assert_non_null(strstr(f.s.rep.debug[0], "witness: /api/v1/profile"));
  assert_non_null(strstr(f.s.rep.debug[0], "HTTP 400, JSON error body"));
  assert_non_null(strstr(f.s.rep.debug[1], "a wrong credential"));
  assert_non_null(strstr(f.s.rep.debug[2], "not refused"));
  /* Without -v nothing is kept. */
  f.o.verbose = 0;
  scan_pick_witnesses(&f.s);
  assert_int_equal(f.s.rep.ndebug, 3);
  f.s.probes = NULL;
  for(size_t i = 1; i < 8; i++)
    rm(all[i]);
  teardown(&f);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(echo_400_json_is_refused),
    cmocka_unit_test(redirect_to_login_is_refused),
    cmocka_unit_test(not_found_is_refused),
    cmocka_unit_test(login_page_with_200_is_refused),
    cmocka_unit_test(soft_refusal_like_baseline_is_not),
    cmocka_unit_test(same_answer_or_other_data_is_not),
    cmocka_unit_test(witnesses_need_both_refusals),
    cmocka_unit_test(judged_the_same_after_release),
    cmocka_unit_test(body_json_parsed_once_and_released),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
