/* Unit tests: the JWT decoder, HMAC signing, the offline crack, forging. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/scan/scan_jwt.h"

/* HS256 over {"alg":"HS256","typ":"JWT"}.{"sub":"1234567890","name":"John
 * Doe","iat":1516239022} with the secret "your-256-bit-secret" (the
 * well-known example token of the JWT specification's companion site). */
static const char ex_tok[] =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
  "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
  "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

static void b64url_roundtrip(void **state)
{
  (void)state;
  const unsigned char in[] = {0xfb, 0xff, 0x00, 0x3e, 0x3f};
  for(size_t n = 0; n <= sizeof(in); n++) {
    char *e = jwt_b64url_encode(in, n);
    assert_null(strpbrk(e, "+/="));
    size_t ol;
    unsigned char *d = jwt_b64url_decode(e, strlen(e), &ol);
    assert_non_null(d);
    assert_int_equal(ol, n);
    assert_memory_equal(d, in, n);
    free(d);
    free(e);
  }
  size_t ol;
  assert_null(jwt_b64url_decode("ab+c", 4, &ol));
  assert_null(jwt_b64url_decode("abcde", 5, &ol)); /* 4k+1 characters */
  unsigned char *d = jwt_b64url_decode("YQ==", 4, &ol); /* padding accepted */
  assert_non_null(d);
  assert_int_equal(ol, 1);
  free(d);
}

static void decode_reads_claims(void **state)
{
  (void)state;
  struct wd_jwt j;
  char err[200];
  assert_true(jwt_looks_like(ex_tok));
  assert_int_equal(jwt_decode(&j, ex_tok, err, sizeof(err)), 0);
  assert_string_equal(j.alg, "HS256");
  assert_string_equal(j.typ, "JWT");
  assert_null(j.kid);
  assert_string_equal(j.sub, "1234567890");
  assert_true(j.has_iat);
  assert_int_equal(j.iat, 1516239022);
  assert_false(j.has_exp);
  assert_int_equal(j.siglen, 32);
  assert_true(jwt_hs_verify(&j, "your-256-bit-secret", 19));
  assert_false(jwt_hs_verify(&j, "your-256-bit-secreT", 19));
  jwt_free(&j);
}

static char *mk(const char *hdr, const char *pay, const char *sig)
{
  char *h = jwt_b64url_encode(hdr, strlen(hdr));
  char *p = jwt_b64url_encode(pay, strlen(pay));
  size_t n = strlen(h) + strlen(p) + strlen(sig) + 3;
  char *t = malloc(n);
  snprintf(t, n, "%s.%s.%s", h, p, sig);
  free(h);
  free(p);
  return t;
}

static void decode_scopes_aud_times(void **state)
{
  (void)state;
  char *t = mk("{\"alg\":\"RS256\",\"kid\":\"k1\"}",
               "{\"aud\":[\"api\",\"other\"],\"iss\":\"me\",\"exp\":1.7e9,\"nbf\":1e300,"
               "\"scope\":\"read write\",\"roles\":[\"admin\",1]}",
               "c2ln");
  struct wd_jwt j;
  char err[200];
  assert_int_equal(jwt_decode(&j, t, err, sizeof(err)), 0);
  assert_string_equal(j.kid, "k1");
  assert_string_equal(j.aud, "api");
  assert_string_equal(j.iss, "me");
  assert_true(j.has_exp);
  assert_int_equal(j.exp, 1700000000);
  assert_false(j.has_nbf); /* out of range: ignored, not undefined */
  assert_string_equal(j.scope, "read write admin");
  assert_int_equal(jwt_hs_bits(j.alg), 0);
  char out[64];
  assert_int_equal(jwt_crack(&j, NULL, out, sizeof(out), err, sizeof(err)), -1);
  jwt_free(&j);
  free(t);
}

static void decode_errors_never_quote_token(void **state)
{
  (void)state;
  static const char *const bad[] = {
    "onlyone", "a.b", "a.b.c.d", "!!!.e30.", "e30.e30.", "bnVsbA.e30.", "e30.bnVsbA.",
    "eyJhbGciOjF9.e30.", "eyJhbGciOiJIUzI1NiJ9.e30.$$", "eyJhbGciOiJub25lIiwiYWxnIjoibm9uZSJ9.e30.",
  };
  for(size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    struct wd_jwt j;
    char err[200] = "";
    assert_int_equal(jwt_decode(&j, bad[i], err, sizeof(err)), -1);
    assert_true(err[0] != '\0');
    if(strlen(bad[i]) > 4)
      assert_null(strstr(err, bad[i]));
    assert_null(j.header_json);
  }
  char err[200];
  assert_int_equal(jwt_malformed("opaque-token", err, sizeof(err)), 0);
  assert_int_equal(jwt_malformed(ex_tok, err, sizeof(err)), 0);
  assert_int_equal(jwt_malformed("e30.e30.", err, sizeof(err)), 1);
  assert_non_null(strstr(err, "alg"));
  char *big = malloc(JWT_MAX_LEN + 10);
  memset(big, 'A', JWT_MAX_LEN + 9);
  big[10] = big[20] = '.';
  big[JWT_MAX_LEN + 9] = '\0';
  assert_int_equal(jwt_malformed(big, err, sizeof(err)), 1);
  free(big);
}

static void sign_and_crack(void **state)
{
  (void)state;
  const char *algs[] = {"HS256", "HS384", "HS512"};
  for(int a = 0; a < 3; a++) {
    char hdr[64];
    snprintf(hdr, sizeof(hdr), "{\"alg\":\"%s\"}", algs[a]);
    char *h = jwt_b64url_encode(hdr, strlen(hdr));
    char *p = jwt_b64url_encode("{\"sub\":\"x\"}", 11);
    char input[256];
    snprintf(input, sizeof(input), "%s.%s", h, p);
    char *sig = jwt_hs_sign_b64(algs[a], input, "changeme", 8);
    assert_non_null(sig);
    char tok[512];
    snprintf(tok, sizeof(tok), "%s.%s", input, sig);
    struct wd_jwt j;
    char err[200], out[300];
    assert_int_equal(jwt_decode(&j, tok, err, sizeof(err)), 0);
    assert_int_equal(j.siglen, (size_t)jwt_hs_bits(algs[a]) / 8);
    assert_int_equal(jwt_crack(&j, NULL, out, sizeof(out), err, sizeof(err)), 1);
    assert_string_equal(out, "changeme");
    jwt_free(&j);
    free(sig);
    free(h);
    free(p);
  }
  /* A secret only in the file is found through it (and not without it);
   * an over-long line is skipped whole: its tail, which fgets would hand
   * back as a line of its own, is exactly another token's secret. */
  struct wd_jwt j;
  char err[200], out[300];
  /* In the built-in list: found without a file. */
  assert_int_equal(jwt_decode(&j, ex_tok, err, sizeof(err)), 0);
  assert_int_equal(jwt_crack(&j, NULL, out, sizeof(out), err, sizeof(err)), 1);
  assert_string_equal(out, "your-256-bit-secret");
  jwt_free(&j);
  static const char only_file[] = "only-in-the-wordlist-7f3a";
  static const char in_tail[] = "tail-of-a-long-line-91c2";
  char path[] = "/tmp/warden-jwt-words-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  FILE *f = fdopen(fd, "w");
  for(int i = 0; i < 2 * (JWT_CRACK_MAX_WORD + 1); i++)
    fputc('x', f);
  fprintf(f, "%s\nnope\n%s\n", in_tail, only_file);
  fclose(f);
  char *h = jwt_b64url_encode("{\"alg\":\"HS256\"}", 15);
  char *p = jwt_b64url_encode("{\"sub\":\"x\"}", 11);
  char input[256], tok[512];
  snprintf(input, sizeof(input), "%s.%s", h, p);
  const char *secrets[] = {only_file, in_tail};
  for(int k = 0; k < 2; k++) {
    char *sig = jwt_hs_sign_b64("HS256", input, secrets[k], strlen(secrets[k]));
    assert_non_null(sig);
    snprintf(tok, sizeof(tok), "%s.%s", input, sig);
    free(sig);
    assert_int_equal(jwt_decode(&j, tok, err, sizeof(err)), 0);
    assert_int_equal(jwt_crack(&j, NULL, out, sizeof(out), err, sizeof(err)), 0);
    out[0] = '\0';
    assert_int_equal(jwt_crack(&j, path, out, sizeof(out), err, sizeof(err)), k == 0 ? 1 : 0);
    if(k == 0)
      assert_string_equal(out, only_file);
    jwt_free(&j);
  }
  free(h);
  free(p);
  char *t = mk("{\"alg\":\"HS256\"}", "{}", "AAAA");
  assert_int_equal(jwt_decode(&j, t, err, sizeof(err)), 0);
  assert_int_equal(jwt_crack(&j, path, out, sizeof(out), err, sizeof(err)), 0);
  assert_int_equal(jwt_crack(&j, "/nonexistent/list", out, sizeof(out), err, sizeof(err)), -1);
  assert_non_null(strstr(err, "/nonexistent/list"));
  jwt_free(&j);
  free(t);
  unlink(path);
}

static void forge_variants(void **state)
{
  (void)state;
  struct wd_jwt j, f;
  char err[200];
  assert_int_equal(jwt_decode(&j, ex_tok, err, sizeof(err)), 0);
  char *none = jwt_forge(&j, JWT_FORGE_NONE, NULL, 0);
  assert_int_equal(jwt_decode(&f, none, err, sizeof(err)), 0);
  assert_string_equal(f.alg, "none");
  assert_int_equal(f.siglen, 0);
  assert_string_equal(f.sub, "1234567890");
  jwt_free(&f);
  char *stripped = jwt_forge(&j, JWT_FORGE_STRIPPED, NULL, 0);
  assert_int_equal(strncmp(stripped, ex_tok, strlen(stripped)), 0);
  assert_int_equal(stripped[strlen(stripped) - 1], '.');
  char *tam = jwt_forge(&j, JWT_FORGE_TAMPERED, NULL, 0);
  assert_int_equal(jwt_decode(&f, tam, err, sizeof(err)), 0);
  assert_int_equal(f.siglen, 32);
  assert_false(jwt_hs_verify(&f, "your-256-bit-secret", 19));
  jwt_free(&f);
  assert_null(jwt_forge(&j, JWT_FORGE_AUD, NULL, 0)); /* needs the secret */
  char *exp = jwt_forge(&j, JWT_FORGE_EXPIRED, "your-256-bit-secret", 100000);
  assert_int_equal(jwt_decode(&f, exp, err, sizeof(err)), 0);
  assert_true(jwt_hs_verify(&f, "your-256-bit-secret", 19));
  assert_true(f.has_exp);
  assert_int_equal(f.exp, 100000 - 3600);
  jwt_free(&f);
  char *aud = jwt_forge(&j, JWT_FORGE_AUD, "your-256-bit-secret", 0);
  assert_int_equal(jwt_decode(&f, aud, err, sizeof(err)), 0);
  assert_string_equal(f.aud, "warden-foreign-audience");
  assert_true(jwt_hs_verify(&f, "your-256-bit-secret", 19));
  jwt_free(&f);
  free(none);
  free(stripped);
  free(tam);
  free(exp);
  free(aud);
  jwt_free(&j);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(b64url_roundtrip),
    cmocka_unit_test(decode_reads_claims),
    cmocka_unit_test(decode_scopes_aud_times),
    cmocka_unit_test(decode_errors_never_quote_token),
    cmocka_unit_test(sign_and_crack),
    cmocka_unit_test(forge_variants),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
