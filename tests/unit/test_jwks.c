/* Unit tests: the JWKS/PEM public-key reader (the secrets the
 * RS256->HS256 confusion test signs with) and the HS256 re-signing with a
 * chosen kid and key. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "../../src/scan/scan_jwks.h"
#include "../../src/scan/scan_jwt.h"

static char *b64url_bn(const BIGNUM *bn)
{
  int n = BN_num_bytes(bn);
  unsigned char *raw = malloc((size_t)n);
  BN_bn2bin(bn, raw);
  char *s = jwt_b64url_encode(raw, (size_t)n);
  free(raw);
  return s;
}

/* A fresh RSA key's JWKS must give exactly OpenSSL's own SubjectPublicKeyInfo
 * PEM (what Go's pem.EncodeToMemory of x509.MarshalPKIXPublicKey gives too)
 * and its DER. */
static void rsa_jwk_gives_canonical_pem_and_der(void **state)
{
  (void)state;
  EVP_PKEY *pk = EVP_RSA_gen(1024);
  assert_non_null(pk);
  BIGNUM *n = NULL, *e = NULL;
  assert_true(EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n));
  assert_true(EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e));
  char *ns = b64url_bn(n), *es = b64url_bn(e);
  char doc[2048];
  snprintf(doc, sizeof(doc), "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"k1\",\"alg\":\"RS256\",\"n\":\"%s\",\"e\":\"%s\"}]}",
           ns, es);
  struct jwks k;
  char err[200];
  assert_int_equal(jwks_parse(&k, doc, strlen(doc), err, sizeof(err)), 0);
  assert_int_equal(k.n, 1);
  assert_int_equal(k.unsupported, 0);
  assert_string_equal(k.v[0].kid, "k1");
  BIO *b = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(b, pk);
  char *p;
  long pl = BIO_get_mem_data(b, &p);
  assert_int_equal(k.v[0].pemlen, (size_t)pl);
  assert_memory_equal(k.v[0].pem, p, (size_t)pl);
  assert_true(k.v[0].pem[k.v[0].pemlen - 1] == '\n');
  unsigned char *der = NULL;
  int dl = i2d_PUBKEY(pk, &der);
  assert_int_equal(k.v[0].derlen, (size_t)dl);
  assert_memory_equal(k.v[0].der, der, (size_t)dl);
  /* The PEM read back gives the same key. */
  struct jwks back;
  assert_int_equal(jwks_read_pem(&back, p, (size_t)pl, err, sizeof(err)), 0);
  assert_int_equal(back.n, 1);
  assert_memory_equal(back.v[0].der, der, (size_t)dl);
  jwks_free(&back);
  OPENSSL_free(der);
  BIO_free(b);
  jwks_free(&k);
  free(ns);
  free(es);
  BN_free(n);
  BN_free(e);
  EVP_PKEY_free(pk);
}

static void unsupported_and_malformed(void **state)
{
  (void)state;
  struct jwks k;
  char err[200];
  const char *mixed = "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"},"
                      "{\"kty\":\"oct\",\"k\":\"c2VjcmV0\"},{\"kty\":\"RSA\",\"n\":\"\",\"e\":\"AQAB\"},"
                      "{\"kty\":\"RSA\",\"n\":\"@@@\",\"e\":\"AQAB\"},17]}";
  assert_int_equal(jwks_parse(&k, mixed, strlen(mixed), err, sizeof(err)), 0);
  assert_int_equal(k.n, 0);
  assert_int_equal(k.unsupported, 5);
  assert_string_equal(k.unsupported_kty, "EC");
  jwks_free(&k);
  assert_int_equal(jwks_parse(&k, "not json", 8, err, sizeof(err)), -1);
  assert_non_null(strstr(err, "not JSON"));
  assert_int_equal(jwks_parse(&k, "{\"keys\":\"x\"}", 12, err, sizeof(err)), -1);
  assert_non_null(strstr(err, "keys"));
  size_t big = JWKS_MAX_DOC + 1;
  char *huge = malloc(big);
  memset(huge, ' ', big);
  assert_int_equal(jwks_parse(&k, huge, big, err, sizeof(err)), -1);
  free(huge);
  assert_int_equal(jwks_read_pem(&k, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                                 56, err, sizeof(err)), -1);
  const char *oidc = "{\"issuer\":\"x\",\"jwks_uri\":\"http://127.0.0.1:1/keys\"}";
  char *u = jwks_openid_uri(oidc, strlen(oidc));
  assert_string_equal(u, "http://127.0.0.1:1/keys");
  free(u);
  assert_null(jwks_openid_uri("[]", 2));
}

/* {"alg":"RS256","kid":"k1","typ":"JWT"}.{"sub":"alice"}.c2ln */
static const char rs_token[] =
  "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhbGljZSJ9.c2ln";

static void forge_hs_keeps_payload_and_signs(void **state)
{
  (void)state;
  struct wd_jwt j, f;
  char err[200];
  assert_int_equal(jwt_decode(&j, rs_token, err, sizeof(err)), 0);
  char *t = jwt_forge_hs(&j, "HS256", NULL, "pem-bytes\n", 10);
  assert_non_null(t);
  assert_int_equal(jwt_decode(&f, t, err, sizeof(err)), 0);
  assert_string_equal(f.alg, "HS256");
  assert_string_equal(f.kid, "k1");
  assert_string_equal(f.payload_json, j.payload_json);
  assert_true(jwt_hs_verify(&f, "pem-bytes\n", 10));
  assert_false(jwt_hs_verify(&f, "pem-bytes", 9));
  jwt_free(&f);
  free(t);
  t = jwt_forge_hs(&j, "HS256", JWT_KID_DEVNULL, "", 0);
  assert_int_equal(jwt_decode(&f, t, err, sizeof(err)), 0);
  assert_string_equal(f.kid, JWT_KID_DEVNULL);
  assert_true(jwt_hs_verify(&f, "", 0));
  jwt_free(&f);
  free(t);
  assert_null(jwt_forge_hs(&j, "RS256", NULL, "k", 1));
  jwt_free(&j);
}

/* The jku/x5u tokens: the header names the URL and the kid, the payload
 * is the user's, and the RS256 signature verifies under the key the
 * served document publishes (the JWK Set read back through jwks_parse, or
 * the certificate's key). */
static void verify_rs256(const char *tok, EVP_PKEY *k)
{
  const char *dot2 = strrchr(tok, '.');
  assert_non_null(dot2);
  size_t siglen = 0;
  unsigned char *sig = jwt_b64url_decode(dot2 + 1, strlen(dot2 + 1), &siglen);
  assert_non_null(sig);
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, k), 1);
  assert_int_equal(EVP_DigestVerify(md, sig, siglen, (const unsigned char *)tok,
                                    (size_t)(dot2 - tok)), 1);
  /* one bit off: refused */
  sig[0] ^= 1;
  EVP_MD_CTX_free(md);
  md = EVP_MD_CTX_new();
  assert_int_equal(EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, k), 1);
  assert_int_not_equal(EVP_DigestVerify(md, sig, siglen, (const unsigned char *)tok,
                                        (size_t)(dot2 - tok)), 1);
  EVP_MD_CTX_free(md);
  free(sig);
}

static void forge_keyurl_signs_with_the_served_key(void **state)
{
  (void)state;
  /* {"alg":"HS256","typ":"JWT"}.{"sub":"alice","scope":"read"}.sig */
  const char *user = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInNjb3BlIjoicmVhZCJ9.c2ln";
  struct wd_jwt j;
  char err[200];
  assert_int_equal(jwt_decode(&j, user, err, sizeof(err)), 0);
  struct evp_pkey_st *key = jwt_rsa_new();
  assert_non_null(key);
  for(int x5u = 0; x5u <= 1; x5u++) {
    char *doc = NULL;
    char *t = jwt_forge_keyurl(&j, key, x5u, "http://127.0.0.1:9/wd-t1", "warden-k1", &doc);
    assert_non_null(t);
    assert_non_null(doc);
    struct wd_jwt f;
    assert_int_equal(jwt_decode(&f, t, err, sizeof(err)), 0);
    assert_string_equal(f.alg, "RS256");
    assert_string_equal(f.kid, "warden-k1");
    assert_string_equal(f.payload_json, j.payload_json);
    assert_non_null(strstr(f.header_json, x5u ? "\"x5u\":\"http://127.0.0.1:9/wd-t1\""
                                              : "\"jku\":\"http://127.0.0.1:9/wd-t1\""));
    assert_null(strstr(f.header_json, x5u ? "jku" : "x5u"));
    jwt_free(&f);
    EVP_PKEY *pub = NULL;
    if(!x5u) {
      struct jwks k;
      assert_int_equal(jwks_parse(&k, doc, strlen(doc), err, sizeof(err)), 0);
      assert_int_equal(k.n, 1);
      assert_string_equal(k.v[0].kid, "warden-k1");
      const unsigned char *p = k.v[0].der;
      pub = d2i_PUBKEY(NULL, &p, (long)k.v[0].derlen);
      jwks_free(&k);
    } else {
      assert_non_null(strstr(doc, "-----BEGIN CERTIFICATE-----"));
      BIO *b = BIO_new_mem_buf(doc, -1);
      X509 *c = PEM_read_bio_X509(b, NULL, NULL, NULL);
      assert_non_null(c);
      pub = X509_get_pubkey(c);
      X509_free(c);
      BIO_free(b);
    }
    assert_non_null(pub);
    verify_rs256(t, pub);
    EVP_PKEY_free(pub);
    free(doc);
    free(t);
  }
  jwt_rsa_free(key);
  jwt_free(&j);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(rsa_jwk_gives_canonical_pem_and_der),
    cmocka_unit_test(unsupported_and_malformed),
    cmocka_unit_test(forge_hs_keeps_payload_and_signs),
    cmocka_unit_test(forge_keyurl_signs_with_the_served_key),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
