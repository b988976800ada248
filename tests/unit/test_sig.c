/*
 * test_sig.c - the signature catalogue: the built-in files load, every
 * recorded response under tests/fixtures/signatures/ gets exactly the rule
 * ids its header expects (positives from the products' documentation and
 * near-miss negatives), every rule has both, and malformed signature files
 * fail with the file and the line.
 *
 * Fixture format (one response per file, NAME.http):
 *   # request: GET /path?query
 *   # expect: rule.id [rule.id...] | none
 *   # near-miss: rule.id        (a negative: what it must not be taken for)
 *   # product: name             (optional: the product it must recognise)
 *   # source: where the response's shape comes from
 *   HTTP/1.1 200 OK
 *   Header: value
 *
 *   body...
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/core_alloc.h"
#include "../../src/sig/sig.h"

static const char *fixtures_dir;
static const char *templates_dir;

struct fixture {
  char *name;
  char path[512];
  char expect[512];
  char near[256];
  char product[64];
  long status;
  char *head;
  size_t headlen;
  char *body;
  size_t bodylen;
  char *data;
};

static char *read_all(const char *path, size_t *len)
{
  FILE *f = fopen(path, "rb");
  if(!f)
    return NULL;
  char *d = xmalloc(1 << 20);
  *len = fread(d, 1, (1 << 20) - 1, f);
  d[*len] = '\0';
  fclose(f);
  return d;
}

static void field(const char *line, const char *key, char *out, size_t outlen)
{
  size_t kl = strlen(key);
  if(strncmp(line, key, kl))
    return;
  line += kl;
  while(*line == ' ')
    line++;
  snprintf(out, outlen, "%.*s", (int)strcspn(line, "\r\n"), line);
}

/* Returns 0, or -1 when the fixture file itself is malformed. */
static int fixture_parse(const char *file, struct fixture *fx)
{
  memset(fx, 0, sizeof(*fx));
  size_t len;
  fx->data = read_all(file, &len);
  if(!fx->data)
    return -1;
  char *p = fx->data, *end = fx->data + len;
  while(p < end && *p == '#') {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    if(!nl)
      return -1;
    *nl = '\0';
    char req[600] = "";
    field(p, "# request:", req, sizeof(req));
    if(req[0]) {
      if(strncmp(req, "GET ", 4))
        return -1;
      snprintf(fx->path, sizeof(fx->path), "%.500s", req + 4);
    }
    field(p, "# expect:", fx->expect, sizeof(fx->expect));
    field(p, "# near-miss:", fx->near, sizeof(fx->near));
    field(p, "# product:", fx->product, sizeof(fx->product));
    p = nl + 1;
  }
  if(!fx->path[0] || !fx->expect[0] || strncmp(p, "HTTP/", 5))
    return -1;
  fx->status = strtol(strchr(p, ' ') + 1, NULL, 10);
  fx->head = p;
  char *sep = strstr(p, "\n\n");
  char *sep2 = strstr(p, "\r\n\r\n");
  if(sep2 && (!sep || sep2 < sep)) {
    fx->headlen = (size_t)(sep2 - p) + 2;
    fx->body = sep2 + 4;
  } else if(sep) {
    fx->headlen = (size_t)(sep - p) + 1;
    fx->body = sep + 2;
  } else {
    fx->headlen = (size_t)(end - p);
    fx->body = end;
  }
  fx->bodylen = (size_t)(end - fx->body);
  return 0;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, space-separated rule ids of the hits ("none" when there are
 * none). */
static void hit_rules(const struct sig_hit *h, size_t n, char *out, size_t outlen)
{
  const char *ids[32];
  size_t k = 0;
  for(size_t i = 0; i < n && k < 32; i++) {
    if(!h[i].sig->rule)
      continue;
    int dup = 0;
    for(size_t j = 0; j < k; j++)
      dup |= strcmp(ids[j], h[i].sig->rule->id) == 0;
    if(!dup)
      ids[k++] = h[i].sig->rule->id;
  }
  qsort(ids, k, sizeof(char *), cmp_str);
  out[0] = '\0';
  for(size_t i = 0; i < k; i++)
    snprintf(out + strlen(out), outlen - strlen(out), "%s%s", i ? " " : "", ids[i]);
  if(!k)
    snprintf(out, outlen, "none");
}

static void normalise(const char *in, char *out, size_t outlen)
{
  char tmp[512];
  snprintf(tmp, sizeof(tmp), "%s", in);
  char *ids[32];
  size_t k = 0;
  for(char *t = strtok(tmp, " ,"); t && k < 32; t = strtok(NULL, " ,"))
    ids[k++] = t;
  qsort(ids, k, sizeof(char *), cmp_str);
  out[0] = '\0';
  for(size_t i = 0; i < k; i++)
    snprintf(out + strlen(out), outlen - strlen(out), "%s%s", i ? " " : "", ids[i]);
}

static int has_word(const char *list, const char *w)
{
  char tmp[512];
  snprintf(tmp, sizeof(tmp), "%s", list);
  for(char *t = strtok(tmp, " ,"); t; t = strtok(NULL, " ,"))
    if(strcmp(t, w) == 0)
      return 1;
  return 0;
}

static void catalogue_fixtures(void **state)
{
  (void)state;
  struct sig_catalog c;
  sig_catalog_init(&c);
  char err[512];
  if(sig_load_builtin(&c, err, sizeof(err)))
    fail_msg("built-in catalogue: %s", err);
  sig_catalog_index(&c);
  assert_true(c.nrules >= 25);
  int *pos = xcalloc(c.nrules, sizeof(int));
  int *neg = xcalloc(c.nrules, sizeof(int));
  size_t nfiles = 0, failures = 0;
  DIR *top = opendir(fixtures_dir);
  if(!top)
    fail_msg("%s: cannot open the fixtures", fixtures_dir);
  struct dirent *fam;
  while((fam = readdir(top))) {
    if(fam->d_name[0] == '.')
      continue;
    char *dpath = xasprintf("%s/%s", fixtures_dir, fam->d_name);
    DIR *d = opendir(dpath);
    struct dirent *e;
    while(d && (e = readdir(d))) {
      size_t l = strlen(e->d_name);
      if(l < 6 || strcmp(e->d_name + l - 5, ".http"))
        continue;
      char *file = xasprintf("%s/%s", dpath, e->d_name);
      struct fixture fx;
      if(fixture_parse(file, &fx)) {
        print_error("%s: malformed fixture\n", file);
        failures++;
        free(fx.data);
        free(file);
        continue;
      }
      nfiles++;
      struct sig_resp r = {fx.status, fx.head, fx.headlen, fx.body, fx.bodylen};
      struct sig_hit hits[32];
      size_t n = sig_judge(&c, fx.path, &r, hits, 32);
      char got[512], want[512];
      hit_rules(hits, n, got, sizeof(got));
      normalise(fx.expect, want, sizeof(want));
      if(strcmp(got, want)) {
        print_error("%s: expected [%s], got [%s]\n", file, want, got);
        failures++;
      }
      if(fx.product[0]) {
        int found = 0;
        for(size_t i = 0; i < n; i++)
          found |= hits[i].sig->product && !strcmp(hits[i].sig->product, fx.product);
        if(!found) {
          print_error("%s: product %s not recognised\n", file, fx.product);
          failures++;
        }
      }
      if(!strcmp(want, "none") && !fx.near[0]) {
        print_error("%s: a negative fixture names the rule it is a near miss of\n", file);
        failures++;
      }
      for(size_t i = 0; i < c.nrules; i++) {
        if(has_word(want, c.rules[i]->id))
          pos[i]++;
        if(has_word(fx.near, c.rules[i]->id))
          neg[i]++;
      }
      free(fx.data);
      free(file);
    }
    if(d)
      closedir(d);
    free(dpath);
  }
  closedir(top);
  for(size_t i = 0; i < c.nrules; i++) {
    if(!pos[i] || !neg[i]) {
      print_error("rule %s: %d positive and %d near-miss fixtures (at least one of each)\n",
                  c.rules[i]->id, pos[i], neg[i]);
      failures++;
    }
  }
  print_message("%zu fixtures, %zu rules\n", nfiles, c.nrules);
  free(pos);
  free(neg);
  sig_catalog_free(&c);
  assert_true(nfiles >= 2 * 25);
  assert_int_equal(failures, 0);
}

/* A bad file: one error naming the file and the line. */
static void expect_error(const char *text, const char *needle)
{
  struct sig_catalog c;
  sig_catalog_init(&c);
  char err[512] = "";
  int rc = sig_load_text(&c, "my.yaml", text, strlen(text), err, sizeof(err));
  if(rc == 0 || !strstr(err, needle))
    fail_msg("rc=%d err='%s' (wanted '%s')", rc, err, needle);
  sig_catalog_free(&c);
}

#define RULE "rules:\n- id: t.x\n  severity: high\n  category: misconfig\n  title: T\n  summary: S\n  remediation: R\n"

static void loader_errors(void **state)
{
  (void)state;
  expect_error("rules: [\n", "my.yaml:");
  expect_error("", "my.yaml:1: empty");
  expect_error("foo: 1\n", "my.yaml:1: unknown key 'foo'");
  expect_error(RULE "  colour: red\n", "my.yaml:8: unknown key 'colour'");
  expect_error("rules:\n- id: t.x\n  category: misconfig\n  title: T\n  summary: S\n  remediation: R\n  severity: urgent\n", "my.yaml:7: severity 'urgent'");
  expect_error(RULE "signatures:\n- id: s\n  rule: t.nope\n  paths: [/x]\n  matchers: [{words: [a]}]\n",
               "my.yaml:10: rule 't.nope' is not declared");
  expect_error(RULE "signatures:\n- id: s\n  rule: t.x\n  paths: [x]\n  matchers: [{words: [a]}]\n",
               "my.yaml:11: path 'x'");
  expect_error(RULE "signatures:\n- id: s\n  rule: t.x\n  paths: [/x]\n  matchers:\n  - regex: ['(']\n",
               "my.yaml:13: regex does not compile");
  expect_error(RULE "signatures:\n- id: s\n  rule: t.x\n  paths: [/x]\n  matchers:\n  - status: [200]\n",
               "needs a positive content matcher");
  expect_error(RULE "signatures:\n- id: s\n  rule: t.x\n  paths: [/x]\n  matchers:\n  - words: [a]\n    regex: [b]\n",
               "my.yaml:13: a matcher has one of");
  expect_error(RULE RULE, "my.yaml:8: key 'rules' given twice");
  expect_error(RULE "- id: t.x\n  severity: high\n  category: misconfig\n  title: T\n  summary: S\n  remediation: R\n",
               "my.yaml:8: rule 't.x' is declared twice");
}

static void loader_accepts_and_matches(void **state)
{
  (void)state;
  const char *y = RULE "signatures:\n- id: s\n  rule: t.x\n  paths: [/x]\n  prefixes: [/v1]\n"
                  "  condition: and\n  matchers:\n  - status: [200]\n"
                  "  - words: [alpha, beta]\n    condition: and\n"
                  "  - words: [gamma]\n    negative: true\n"
                  "  - regex: ['(?mi)^x-t:']\n    part: header\n";
  struct sig_catalog c;
  sig_catalog_init(&c);
  char err[512];
  assert_int_equal(sig_load_text(&c, "ok.yaml", y, strlen(y), err, sizeof(err)), 0);
  sig_catalog_index(&c);
  assert_int_equal(c.v[0].npaths, 2);
  const char *head = "HTTP/1.1 200 OK\r\nX-T: 1\r\n\r\n";
  struct sig_resp r = {200, head, strlen(head), "alpha and beta", 14};
  struct sig_hit h[4];
  assert_int_equal(sig_judge(&c, "/x", &r, h, 4), 1);
  assert_int_equal(sig_judge(&c, "/v1/x", &r, h, 4), 1);
  assert_int_equal(sig_judge(&c, "/y", &r, h, 4), 0);
  assert_int_equal(h[0].off, 0);
  r.body = "alpha beta gamma";
  r.bodylen = 16;
  assert_int_equal(sig_judge(&c, "/x", &r, h, 4), 0); /* negative */
  r.body = "alpha only";
  r.bodylen = 10;
  assert_int_equal(sig_judge(&c, "/x", &r, h, 4), 0); /* and */
  r.body = "alpha beta";
  r.bodylen = 10;
  r.status = 201;
  assert_int_equal(sig_judge(&c, "/x", &r, h, 4), 0); /* status */
  sig_catalog_free(&c);
}

static void collect_note(void *ctx, const char *msg)
{
  char *all = ctx;
  size_t l = strlen(all);
  snprintf(all + l, 4096 - l, "%s\n", msg);
}

/* Nuclei templates written for these tests: the ones warden can honour
 * load and match; each other one is skipped with its reason. */
static void templates(void **state)
{
  (void)state;
  struct sig_catalog c;
  sig_catalog_init(&c);
  char err[512], notes[4096] = "";
  int n = sig_load_templates(&c, templates_dir, collect_note, notes, err, sizeof(err));
  print_message("%s", notes);
  assert_int_equal(n, 3); /* actuator-env, catch-all-admin, kubelet-pods */
  static const char *const want[] = {
    "skip-dns.yaml: skipped: line 7: protocol 'dns' is not supported",
    "skip-dsl.yaml: skipped: line 11: matcher type 'dsl' is not supported",
    "skip-malformed.yaml: skipped: not YAML",
    "skip-payloads.yaml: skipped: line 10: payloads are not supported",
    "skip-post.yaml: skipped: line 7: method POST is not supported",
    "skip-raw.yaml: skipped: line 7: raw requests are not supported",
  };
  for(size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
    if(!strstr(notes, want[i]))
      fail_msg("no note '%s' in:\n%s", want[i], notes);
  sig_catalog_index(&c);
  const struct wd_rule *r = sig_find_rule(&c, "warden-test-actuator-env");
  assert_non_null(r);
  assert_int_equal(r->severity, WD_SEV_HIGH);
  assert_int_equal(r->cwe, 215);
  const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/vnd.spring-boot.actuator.v3+json\r\n\r\n";
  const char *body = "{\"activeProfiles\":[\"prod\"],\"propertySources\":[]}";
  struct sig_resp rs = {200, head, strlen(head), body, strlen(body)};
  struct sig_hit h[4];
  size_t k = sig_judge(&c, "/actuator/env", &rs, h, 4);
  assert_int_equal(k, 1);
  assert_string_equal(h[0].sig->rule->id, "warden-test-actuator-env");
  char xv[64];
  sig_extract(&c, h[0].sig, &rs, xv, sizeof(xv));
  assert_string_equal(xv, "prod");
  rs.status = 404; /* matchers-condition: and */
  assert_int_equal(sig_judge(&c, "/actuator/env", &rs, h, 4), 0);
  /* negative matcher */
  const char *pods = "{\"kind\":\"PodList\",\"items\":[]}";
  struct sig_resp rp = {200, head, strlen(head), pods, strlen(pods)};
  assert_int_equal(sig_judge(&c, "/pods", &rp, h, 4), 1);
  pods = "{\"kind\":\"PodList\"} Unauthorized";
  rp.body = pods;
  rp.bodylen = strlen(pods);
  assert_int_equal(sig_judge(&c, "/pods", &rp, h, 4), 0);
  sig_catalog_free(&c);
}

int main(int argc, char **argv)
{
  fixtures_dir = argc > 1 ? argv[1] : "tests/fixtures/signatures";
  templates_dir = argc > 2 ? argv[2] : "tests/fixtures/templates";
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(catalogue_fixtures),
    cmocka_unit_test(loader_errors),
    cmocka_unit_test(loader_accepts_and_matches),
    cmocka_unit_test(templates),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
