/* Unit tests: the masking pass (src/core/core_mask.c) and the invariant
 * that no secret reaches any output, wherever it sits around the excerpt
 * window a finding cuts (issue 8). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "../../src/core/core_mask.h"
#include "../../src/correlate/corr.h"
#include "../../src/scan/scan.h"

/* A secret as it appears in a body, and what of it must never be shown
 * (the part after a format's public prefix). */
static const struct planted {
  const char *text;
  const char *secret;
} planted[] = {
  {"DB_PASSWORD=pr0d-Db-Pa55w0rd-x9", "pr0d-Db-Pa55w0rd-x9"},
  {"DB_PASSWORD=correct horse battery staple", "horse battery"},
  {"AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
  {"secret key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY in text", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
  {"AKIAIOSFODNN7EXAMPLE", "IOSFODNN7EXAMPLE"},
  {"id ASIAY34FZKBOKMUTVV7A", "Y34FZKBOKMUTVV7A"},
  {"ghp_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6", "aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6"},
  {"gho_Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa", "Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa"},
  {"github_pat_11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789", "11ABCDEFG0aBcDeFgHiJkL_mNoPqRsTuVwXyZ0123456789"},
  {"glpat-Ab3De6Gh9Jk2Mn5Pq8St", "Ab3De6Gh9Jk2Mn5Pq8St"},
  {"xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOp", "1234567890-0987654321-AbCdEfGhIjKlMnOp"},
  {"sk_live_4eC39HqLyjWDarjtT1zdp7dc", "4eC39HqLyjWDarjtT1zdp7dc"},
  {"npm_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", "aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"},
  {"AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q", "SyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q"},
  {"SG.aBcDeFgHiJkLmNoPqRsTuV.wXyZ0123456789aBcDeFgHiJkLmNoPqRsTuVwXyZ01234", "aBcDeFgHiJkLmNoPqRsTuV.wXyZ0123456789"},
  {"{\"password\": \"json-Pa55w0rd!\"}", "json-Pa55w0rd!"},
  {"  password: yaml-S3cret-value", "yaml-S3cret-value"},
  {"\"Env\":[\"API_TOKEN=tok en-with-space\",\"PATH=/bin\"]", "tok en-with-space"},
  {"Authorization: Bearer abcDEF123456789xyzQRS", "abcDEF123456789xyzQRS"},
  {"dsn postgres://app:UrlPa55word@db:5432/app", "UrlPa55word"},
  {"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo\n4lgOEePzNm0tRgeLezV6ffAt0gunVTLw7onL\n-----END RSA PRIVATE KEY-----",
   "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo"},
  {"token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
   "hbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"},
  /* What the user gave (registered below), bare and in its wire forms. */
  {"echo regist3red-T0ken-value here", "regist3red-T0ken-value"},
  {"auth: YWxpY2U6QjRzaWMtcGFzcy0x", "YWxpY2U6QjRzaWMtcGFzcy0x"},
  {"the password B4sic-pass-1 alone", "B4sic-pass-1"},
  {"cookie sid=c00kie-s3ssion-v4lue", "c00kie-s3ssion-v4lue"},
  {"q=%2Bkey%2Fwith%3Dchars", "%2Bkey%2Fwith%3Dchars"},
};

static const struct wd_rule rule = {"container.env-dump", WD_SEV_HIGH, WD_CAT_CONTAINER,
  NULL, 0, "env", "env", "fix", NULL};

/* 1 if out holds any 8-byte piece of secret (or all of a shorter one). */
static int leaks(const char *out, size_t n, const char *secret)
{
  size_t l = strlen(secret), w = l < 8 ? l : 8;
  for(size_t i = 0; i + w <= l; i++) {
    char piece[9];
    memcpy(piece, secret + i, w);
    piece[w] = '\0';
    /* A piece that is only filler-like text proves nothing. */
    if(strspn(piece, "-_.: ") == w)
      continue;
    if(memmem(out, n, piece, w))
      return 1;
  }
  return 0;
}

static void registered(struct scan *s)
{
  scan_add_secret(s, "regist3red-T0ken-value");
  struct cred basic = {CRED_BASIC, NULL, "alice:B4sic-pass-1", 0};
  struct cred cookie = {CRED_COOKIE, NULL, "sid=c00kie-s3ssion-v4lue; theme=dark", 0};
  struct cred key = {CRED_APIKEY, "X-Key", "+key/with=chars", 0};
  scan_add_cred(s, &basic);
  scan_add_cred(s, &cookie);
  scan_add_cred(s, &key);
}

/* Every output format of a report holding the findings of s. */
static char *outputs(struct scan *s, size_t *len)
{
  struct report r;
  report_init(&r, "scan", "http://127.0.0.1:9/", &s->findings);
  r.mask = &s->mask;
  report_finalize(&r);
  char *out = NULL;
  FILE *f = open_memstream(&out, len);
  assert_non_null(f);
  rep_write_json(f, &r);
  rep_write_term(f, &r, 0);
  fclose(f);
  report_cleanup(&r);
  return out;
}

/* The property: a body of filler lines with one secret planted at every
 * offset from 200 bytes before the excerpt window to 200 after it (so
 * before, straddling its start, inside, straddling its end, after, with
 * the name inside or outside the cut); the finding is raised and no
 * output format holds the secret. */
static void no_secret_at_any_offset(void **state)
{
  (void)state;
  char filler[1400];
  size_t fl = 0;
  for(int i = 0; fl + 16 < sizeof(filler); i++)
    fl += (size_t)snprintf(filler + fl, sizeof(filler) - fl, "line %04d ok\n", i);
  const size_t off = 600, len = 20; /* the window is [560, 700) */
  size_t checked = 0;
  for(size_t k = 0; k < sizeof(planted) / sizeof(planted[0]); k++) {
    const char *t = planted[k].text;
    size_t tl = strlen(t);
    size_t lo = off - 40, hi = off + len + 80;
    for(size_t pos = lo - 200 - tl; pos <= hi + 200; pos++) {
      /* Every byte near the window's edges, every 7th elsewhere. */
      int edge = (pos + tl + 10 >= lo && pos <= lo + 10) || (pos + tl + 10 >= hi && pos <= hi + 10);
      if(!edge && pos % 7)
        continue;
      struct scan s;
      memset(&s, 0, sizeof(s));
      mask_init(&s.mask);
      findings_init(&s.findings);
      s.findings.mask = &s.mask;
      registered(&s);
      struct probe p;
      memset(&p, 0, sizeof(p));
      p.x.method = "GET";
      p.x.url = "http://127.0.0.1:9/env";
      buf_init(&p.x.body, 0);
      buf_append(&p.x.body, filler, pos);
      buf_appendz(&p.x.body, "\n");
      buf_appendz(&p.x.body, t);
      buf_appendz(&p.x.body, "\n");
      buf_append(&p.x.body, filler + pos, fl - pos);
      scan_flag(&s, &p, &rule, -1, NULL, NULL, off, len, NULL);
      assert_int_equal(s.findings.n, 1);
      size_t ol;
      char *out = outputs(&s, &ol);
      assert_non_null(strstr(out, "container.env-dump"));
      if(leaks(out, ol, planted[k].secret)) {
        fprintf(stderr, "leak of \"%s\" planted at %zu:\n%s\n", planted[k].secret, pos,
                s.findings.v[0].evidence);
        fail();
      }
      checked++;
      free(out);
      buf_cleanup(&p.x.body);
      free(p.masked);
      mask_map_free(&p.masked_map);
      findings_cleanup(&s.findings);
      mask_cleanup(&s.mask);
    }
  }
  assert_true(checked > 2000);
}

/* The window does show what is not secret, and the names. */
static void names_kept_values_hidden(void **state)
{
  (void)state;
  struct {
    const char *in, *want;
  } cases[] = {
    {"DB_PASSWORD=hunter2\nPATH=/usr/bin", "DB_PASSWORD=****\nPATH=/usr/bin"},
    {"{\"password\": \"x\", \"user\": \"bob\"}", "{\"password\": \"****\", \"user\": \"bob\"}"},
    {"key AKIAIOSFODNN7EXAMPLE here", "key AKIA**** here"},
    {"Authorization: Bearer abcdefghijklmnopqrstuvwxyz", "Authorization: ****"},
    {"Bearer authentication is offered", "Bearer authentication is offered"},
    {"uid=0(root) gid=0(root) PATH=/usr/bin PWD=/srv", "uid=0(root) gid=0(root) PATH=/usr/bin PWD=/srv"},
    {"git 3f786850e387550fdab836ed7e6dc881de23001b", "git 3f786850e387550fdab836ed7e6dc881de23001b"},
    {"https://bob:pw@h/x", "https://bob:****@h/x"},
    {"TOKEN_URL=https://auth/x SECRET_NAME=db", "TOKEN_URL=https://auth/x SECRET_NAME=db"},
    {"ENV DB_PASSWORD=${DB_PASSWORD}", "ENV DB_PASSWORD=${DB_PASSWORD}"},
    {"ENV DB_PASSWORD=**** (masked)", "ENV DB_PASSWORD=**** (masked)"},
    {"key as ?api_key=... -> 200", "key as ?api_key=... -> 200"},
    {"\"DB_PASSWORD\": {\"value\": \"s3cr3t\"}", "\"DB_PASSWORD\": {\"value\": \"****\"}"},
    {"a -----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----",
     "a -----BEGIN EC PRIVATE KEY-----****-----END EC PRIVATE KEY-----"},
    {"t eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0.", "t eyJ****"},
    {"{\"usage\": {\"prompt_tokens\": 12, \"max_tokens\": 30}, \"access_token\": \"abc123def456\"}",
     "{\"usage\": {\"prompt_tokens\": 12, \"max_tokens\": 30}, \"access_token\": \"****\"}"},
    {"TOKEN_COUNT=3 REFRESH_TOKEN=zz9", "TOKEN_COUNT=3 REFRESH_TOKEN=****"},
  };
  for(size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char *m = mask_str(NULL, cases[i].in);
    if(strcmp(m, cases[i].want))
      fprintf(stderr, "case %zu: got \"%s\"\n", i, m);
    assert_string_equal(m, cases[i].want);
    /* Masking is idempotent: a report masked twice reads the same. */
    char *m2 = mask_str(NULL, m);
    assert_string_equal(m2, m);
    free(m2);
    free(m);
  }
}

/* Registered values are hidden in every form and never leave a prefix;
 * learned ones are hidden where they later appear bare. */
static void registered_and_learned(void **state)
{
  (void)state;
  struct wd_mask m;
  mask_init(&m);
  mask_add(&m, "AKIAIOSFODNN7EXAMPLE");
  char *o = mask_str(&m, "k=AKIAIOSFODNN7EXAMPLE;");
  assert_string_equal(o, "k=****;");
  free(o);
  mask_add(&m, "abc"); /* too short to search for */
  assert_int_equal(m.n, 1);
  const char *body = "{\"db_password\": \"Le4rned-Pa55word\"}";
  mask_learn(&m, body, strlen(body));
  o = mask_str(&m, "connect with Le4rned-Pa55word now");
  assert_string_equal(o, "connect with **** now");
  free(o);
  /* A plain word or path after a secret-like name is masked there, but
   * not learned: other mentions of it stay readable. */
  size_t before = m.n;
  const char *etcd = "{\"key\":\"/registry/pods\",\"dir\":true}";
  mask_learn(&m, etcd, strlen(etcd));
  assert_int_equal(m.n, before);
  /* Offsets map from the raw text to the masked one. */
  struct mask_map map;
  size_t ol;
  const char *raw = "a PASSWORD=0123456789 b";
  o = mask_text(&m, raw, strlen(raw), &ol, &map);
  assert_string_equal(o, "a PASSWORD=**** b");
  assert_int_equal(mask_map_off(&map, 2), 2);
  assert_int_equal(mask_map_off(&map, 14), 11);            /* inside: the mask's start */
  assert_int_equal(mask_map_off(&map, strlen(raw) - 1), ol - 1); /* after: shifted */
  mask_map_free(&map);
  free(o);
  mask_cleanup(&m);
  /* The display form of one value: a format's prefix at most. */
  o = mask_value("ghp_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6", 40);
  assert_string_equal(o, "ghp_****");
  free(o);
  o = mask_value("hunter2hunter2", 14);
  assert_string_equal(o, "****");
  free(o);
}

/* Chain evidence quotes other findings' locations, some imported from
 * another run's report: it is masked like everything else. */
static void chain_evidence_masked(void **state)
{
  (void)state;
  struct wd_mask m;
  mask_init(&m);
  mask_add(&m, "regist3red-T0ken-value");
  struct corr_set c;
  corr_init(&c);
  corr_add(&c, "scan", "container.socket-path",
           "GET http://127.0.0.1:9/x?api_key=regist3red-T0ken-value",
           "http://127.0.0.1:9/x?api_key=regist3red-T0ken-value");
  corr_add(&c, "inspect", "inspect.docker-socket",
           "/run/docker.sock mounted with password=Imp0rted-Pa55word", NULL);
  struct wd_findings out;
  findings_init(&out);
  out.mask = &m;
  assert_int_equal(corr_chains(&c, &out), 1);
  assert_int_equal(out.n, 1);
  const struct wd_finding *x = &out.v[0];
  assert_non_null(strstr(x->evidence, "inspect.docker-socket"));
  assert_null(strstr(x->evidence, "regist3red"));
  assert_null(strstr(x->evidence, "Imp0rted"));
  assert_null(strstr(x->url, "regist3red"));
  findings_cleanup(&out);
  corr_cleanup(&c);
  mask_cleanup(&m);
}

/* ---- the quick test and the memo, against the full pass --------------- */

static int g_argc;
static char **g_argv;

struct strs {
  char **v;
  size_t *len;
  size_t n, cap;
};

static void strs_add(struct strs *l, const char *s, size_t n)
{
  if(l->n == l->cap) {
    l->cap = l->cap ? 2 * l->cap : 1024;
    l->v = realloc(l->v, l->cap * sizeof(*l->v));
    l->len = realloc(l->len, l->cap * sizeof(*l->len));
    assert_non_null(l->v);
    assert_non_null(l->len);
  }
  char *c = malloc(n + 1);
  assert_non_null(c);
  memcpy(c, s, n);
  c[n] = '\0';
  l->v[l->n] = c;
  l->len[l->n++] = n;
}

static void strs_free(struct strs *l)
{
  for(size_t i = 0; i < l->n; i++)
    free(l->v[i]);
  free(l->v);
  free(l->len);
}

/* Deterministic mutants of a line: a byte replaced by one the quick test
 * looks for, a fragment of some detector's pattern inserted, and (short
 * lines) every suffix, so token starts move. */
static unsigned long long rng = 88172645463325252ULL;
static unsigned next_rand(void)
{
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng >> 11);
}

static void add_mutants(struct strs *l, const char *s, size_t n)
{
  static const char bytes[] = "-@:=/bBSeyJG.\"' \t\\AgxsrnKk_";
  static const char *const frags[] = {
    "-----BEGIN ", "-----", "SG.", "eyJ", "basic ", "Bearer ", "://u:p@h", "@", "/services/T",
    "password: ", "key=", "\"token\": ", "\\\"secret\\\" = ", "AKIA", "ghp_", "xoxb-",
    "sk_live_", "npm_", "AIza", "SK", "glpat-", "abcdefghijklmn", "0123456789",
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123456/", "PWD", "_KEY", " : ", "==",
  };
  char buf[1200];
  if(n == 0 || n > 800)
    return;
  for(int k = 0; k < 3; k++) {
    size_t pos = next_rand() % n;
    memcpy(buf, s, n);
    buf[pos] = bytes[next_rand() % (sizeof(bytes) - 1)];
    strs_add(l, buf, n);
    const char *f = frags[next_rand() % (sizeof(frags) / sizeof(frags[0]))];
    size_t fl = strlen(f);
    memcpy(buf, s, pos);
    memcpy(buf + pos, f, fl);
    memcpy(buf + pos + fl, s + pos, n - pos);
    strs_add(l, buf, n + fl);
  }
  if(n <= 120)
    for(size_t i = 1 + next_rand() % 3; i < n; i += 3)
      strs_add(l, s + i, n - i);
}

static void load_file(struct strs *l, const char *path)
{
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char data[16384];
  size_t n = fread(data, 1, sizeof(data), f);
  fclose(f);
  strs_add(l, data, n);
  for(size_t a = 0; a < n;) {
    size_t e = a;
    while(e < n && data[e] != '\n')
      e++;
    strs_add(l, data + a, e - a);
    add_mutants(l, data + a, e - a);
    a = e + 1;
  }
}

static void load_dir(struct strs *l, const char *dir)
{
  DIR *d = opendir(dir);
  assert_non_null(d);
  struct dirent *e;
  char **names = NULL;
  size_t nn = 0;
  while((e = readdir(d))) {
    if(e->d_name[0] == '.')
      continue;
    names = realloc(names, (nn + 1) * sizeof(*names));
    assert_non_null(names);
    names[nn++] = strdup(e->d_name);
  }
  closedir(d);
  for(size_t i = 0; i < nn; i++) {
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
    struct stat st;
    if(lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
      load_dir(l, path);
    else if(lstat(path, &st) == 0 && S_ISREG(st.st_mode))
      load_file(l, path);
    free(names[i]);
  }
  free(names);
}

/* The corpora named on the command line (meson passes the mask, iac_yaml
 * and dockerfile seed corpora and tests/fixtures/iac), the planted
 * secrets, and their mutants. Fails when no corpus was given. */
static void load_all(struct strs *l)
{
  assert_true(g_argc > 1);
  for(int i = 1; i < g_argc; i++)
    load_dir(l, g_argv[i]);
  for(size_t i = 0; i < sizeof(planted) / sizeof(planted[0]); i++) {
    strs_add(l, planted[i].text, strlen(planted[i].text));
    add_mutants(l, planted[i].text, strlen(planted[i].text));
  }
  assert_true(l->n > 1000);
}

/* mask_quiet(s) is a necessary condition: whenever it says a string holds
 * nothing, every detector run on it adds nothing. And it is no test that
 * cannot fail: both answers occur on the corpus. */
static void quick_test_is_sound(void **state)
{
  (void)state;
  struct strs l = {0};
  load_all(&l);
  size_t quiet = 0, loud = 0, found = 0;
  for(size_t i = 0; i < l.n; i++) {
    size_t d = mask_detect(l.v[i], l.len[i]);
    found += d > 0;
    if(mask_quiet(l.v[i], l.len[i])) {
      quiet++;
      if(d)
        fail_msg("mask_quiet says nothing, the detectors find %zu in: %s", d, l.v[i]);
    } else {
      loud++;
    }
  }
  print_message("%zu strings: %zu quiet, %zu not (%zu with a detected secret)\n", l.n, quiet,
                loud, found);
  assert_true(quiet > 100 && loud > 100 && found > 100);
  /* At the edges: a 15-character token that starts like a format is
   * looked at, a 14-character one is not. */
  assert_int_equal(mask_quiet("id xoxa-1234567890 x", 20), 0);
  assert_true(mask_detect("id xoxa-1234567890 x", 20) > 0);
  assert_int_equal(mask_quiet("id xoxa-123456789 x", 19), 1);
  assert_int_equal(mask_quiet("NET_BIND_SERVICE, SYS_CHROOT", 28), 1);
  strs_free(&l);
}

/* mask_str_cached gives what mask_str gives, for every string, hit or
 * miss, after a value is registered (the memo must forget), and with
 * another mask or none in between. */
static void memo_matches_mask_text(void **state)
{
  (void)state;
  struct strs l = {0};
  load_all(&l);
  struct wd_mask m, other;
  mask_init(&m);
  mask_init(&other);
  mask_add(&m, "regist3red-T0ken-value");
  mask_add(&other, "container");
  struct mask_cache c;
  mask_cache_init(&c);
  size_t changed = 0;
  for(int round = 0; round < 4; round++) {
    if(round == 2)
      mask_add(&m, "image"); /* in many corpus lines: their masks change */
    for(size_t i = 0; i < l.n; i += 4) {
      if(memchr(l.v[i], '\0', l.len[i]) || l.len[i] > 4096)
        continue; /* C strings only */
      const struct wd_mask *use = round == 3 && i % 12 == 0 ? &other
                                  : round == 3 && i % 12 == 4 ? NULL : &m;
      char *want = mask_str(use, l.v[i]);
      char *got = mask_str_cached(use, &c, l.v[i]);
      assert_string_equal(got, want);
      if(round == 2 && strstr(l.v[i], "image"))
        changed++;
      free(want);
      free(got);
    }
  }
  print_message("memo: %zu hits, %zu misses, %zu strings changed by a new value\n", c.hits,
                c.misses, changed);
  assert_true(c.hits > 500 && changed > 10);
  mask_cache_cleanup(&c);
  mask_cleanup(&m);
  mask_cleanup(&other);
  strs_free(&l);
}

int main(int argc, char **argv)
{
  g_argc = argc;
  g_argv = argv;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(names_kept_values_hidden),
    cmocka_unit_test(registered_and_learned),
    cmocka_unit_test(no_secret_at_any_offset),
    cmocka_unit_test(chain_evidence_masked),
    cmocka_unit_test(quick_test_is_sound),
    cmocka_unit_test(memo_matches_mask_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
