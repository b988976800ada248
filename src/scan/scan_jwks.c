#include "scan_jwks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "../core/core_alloc.h"
#include "scan_jwt.h"

void jwks_free(struct jwks *k)
{
  for(size_t i = 0; i < k->n; i++) {
    free(k->v[i].pem);
    free(k->v[i].der);
  }
  free(k->v);
  memset(k, 0, sizeof(*k));
}

static void unsupported(struct jwks *out, const char *kty)
{
  if(!out->unsupported++)
    snprintf(out->unsupported_kty, sizeof(out->unsupported_kty), "%s", kty ? kty : "?");
}

/* Adds pkey's PEM and DER under kid. 0, or -1 if it cannot be encoded. */
static int add_pkey(struct jwks *out, EVP_PKEY *pkey, const char *kid, const char *kty)
{
  if(out->n >= JWKS_MAX_KEYS) {
    unsupported(out, "(over the key limit)");
    return 0;
  }
  BIO *b = BIO_new(BIO_s_mem());
  if(!b || !PEM_write_bio_PUBKEY(b, pkey)) {
    BIO_free(b);
    return -1;
  }
  char *p = NULL;
  long pl = BIO_get_mem_data(b, &p);
  unsigned char *der = NULL;
  int dl = i2d_PUBKEY(pkey, &der);
  if(pl <= 0 || dl <= 0) {
    BIO_free(b);
    OPENSSL_free(der);
    return -1;
  }
  struct jwks_key k;
  memset(&k, 0, sizeof(k));
  snprintf(k.kid, sizeof(k.kid), "%s", kid ? kid : "");
  snprintf(k.kty, sizeof(k.kty), "%s", kty);
  k.pem = xmalloc((size_t)pl + 1);
  memcpy(k.pem, p, (size_t)pl);
  k.pem[pl] = '\0';
  k.pemlen = (size_t)pl;
  k.der = xmalloc((size_t)dl);
  memcpy(k.der, der, (size_t)dl);
  k.derlen = (size_t)dl;
  OPENSSL_free(der);
  BIO_free(b);
  size_t cap = out->n;
  out->v = xgrow(out->v, &cap, out->n + 1, sizeof(*out->v));
  out->v[out->n++] = k;
  return 0;
}

/* base64url big-endian integer -> BIGNUM, bounded. */
static BIGNUM *b64_bn(const char *s, size_t maxbytes)
{
  if(!s)
    return NULL;
  size_t n;
  unsigned char *raw = jwt_b64url_decode(s, strlen(s), &n);
  if(!raw || n == 0 || n > maxbytes) {
    free(raw);
    return NULL;
  }
  BIGNUM *bn = BN_bin2bn(raw, (int)n, NULL);
  free(raw);
  return bn;
}

static void read_jwk(struct jwks *out, json_t *k)
{
  if(!json_is_object(k)) {
    unsupported(out, "(not an object)");
    return;
  }
  const char *kty = json_string_value(json_object_get(k, "kty"));
  const char *kid = json_string_value(json_object_get(k, "kid"));
  if(!kty || strcmp(kty, "RSA")) {
    unsupported(out, kty ? kty : "(no kty)");
    return;
  }
  BIGNUM *n = b64_bn(json_string_value(json_object_get(k, "n")), JWKS_MAX_RSA_BITS / 8);
  BIGNUM *e = b64_bn(json_string_value(json_object_get(k, "e")), 8);
  EVP_PKEY *pkey = NULL;
  OSSL_PARAM_BLD *bld = n && e ? OSSL_PARAM_BLD_new() : NULL;
  OSSL_PARAM *params = NULL;
  EVP_PKEY_CTX *ctx = NULL;
  if(bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
     OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) &&
     (params = OSSL_PARAM_BLD_to_param(bld)) &&
     (ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) &&
     EVP_PKEY_fromdata_init(ctx) > 0)
    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params);
  if(!pkey || add_pkey(out, pkey, kid, "RSA"))
    unsupported(out, "RSA (bad n or e)");
  EVP_PKEY_free(pkey);
  EVP_PKEY_CTX_free(ctx);
  OSSL_PARAM_free(params);
  OSSL_PARAM_BLD_free(bld);
  BN_free(n);
  BN_free(e);
}

int jwks_parse(struct jwks *out, const char *doc, size_t len, char *err, size_t errlen)
{
  memset(out, 0, sizeof(*out));
  if(len > JWKS_MAX_DOC) {
    snprintf(err, errlen, "JWKS over %d bytes", JWKS_MAX_DOC);
    return -1;
  }
  json_error_t je;
  json_t *j = json_loadb(doc, len, JSON_REJECT_DUPLICATES, &je);
  if(!j) {
    snprintf(err, errlen, "not JSON (line %d: %s)", je.line, je.text);
    return -1;
  }
  json_t *keys = json_object_get(j, "keys");
  if(json_is_array(keys)) {
    size_t i;
    json_t *k;
    json_array_foreach(keys, i, k) {
      if(i >= 64)
        break; /* the rest is not read at all */
      read_jwk(out, k);
    }
  } else if(json_is_object(j) && json_object_get(j, "kty")) {
    read_jwk(out, j);
  } else {
    json_decref(j);
    snprintf(err, errlen, "no \"keys\" array");
    return -1;
  }
  json_decref(j);
  return 0;
}

int jwks_read_pem(struct jwks *out, const char *pem, size_t len, char *err, size_t errlen)
{
  memset(out, 0, sizeof(*out));
  if(len > JWKS_MAX_DOC || len > 0x7fffffff) {
    snprintf(err, errlen, "PEM over %d bytes", JWKS_MAX_DOC);
    return -1;
  }
  BIO *b = BIO_new_mem_buf(pem, (int)len);
  if(!b) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  for(int i = 0; i < 64; i++) {
    char *name = NULL, *header = NULL;
    unsigned char *data = NULL;
    long dl = 0;
    if(!PEM_read_bio(b, &name, &header, &data, &dl))
      break;
    const unsigned char *q = data;
    EVP_PKEY *pkey = NULL;
    if(!strcmp(name, "PUBLIC KEY"))
      pkey = d2i_PUBKEY(NULL, &q, dl);
    else if(!strcmp(name, "RSA PUBLIC KEY"))
      pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &q, dl);
    if(pkey) {
      if(add_pkey(out, pkey, NULL, EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA ? "RSA" : "other"))
        unsupported(out, "(cannot encode)");
    } else {
      unsupported(out, name);
    }
    EVP_PKEY_free(pkey);
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(data);
  }
  BIO_free(b);
  if(!out->n) {
    snprintf(err, errlen, "no PEM public key");
    jwks_free(out);
    return -1;
  }
  return 0;
}

char *jwks_openid_uri(const char *doc, size_t len)
{
  if(len > JWKS_MAX_DOC)
    return NULL;
  json_t *j = json_loadb(doc, len, 0, NULL);
  const char *u = json_string_value(json_object_get(j, "jwks_uri"));
  char *r = u && strlen(u) < 2048 ? xstrdup(u) : NULL;
  json_decref(j);
  return r;
}
