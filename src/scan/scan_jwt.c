#include "scan_jwt.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "../core/core_alloc.h"
#include "../core/core_b64.h"
#include "../core/core_buf.h"

/* ---- base64url ------------------------------------------------------- */

static const char b64url_chars[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

char *jwt_b64url_encode(const void *data, size_t n)
{
  const unsigned char *d = data;
  char *out = xmalloc(n / 3 * 4 + 5);
  size_t o = 0, i = 0;
  for(; i + 3 <= n; i += 3) {
    unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8 | d[i + 2];
    out[o++] = b64url_chars[v >> 18 & 63];
    out[o++] = b64url_chars[v >> 12 & 63];
    out[o++] = b64url_chars[v >> 6 & 63];
    out[o++] = b64url_chars[v & 63];
  }
  if(n - i == 1) {
    unsigned v = (unsigned)d[i] << 16;
    out[o++] = b64url_chars[v >> 18 & 63];
    out[o++] = b64url_chars[v >> 12 & 63];
  } else if(n - i == 2) {
    unsigned v = (unsigned)d[i] << 16 | (unsigned)d[i + 1] << 8;
    out[o++] = b64url_chars[v >> 18 & 63];
    out[o++] = b64url_chars[v >> 12 & 63];
    out[o++] = b64url_chars[v >> 6 & 63];
  }
  out[o] = '\0';
  return out;
}

unsigned char *jwt_b64url_decode(const char *s, size_t n, size_t *outlen)
{
  size_t cap = B64_DECODED_MAX(n);
  unsigned char *out = xmalloc(cap);
  long o = b64_decode(s, n, out, cap - 1, 0); /* room for the NUL */
  if(o < 0) {
    free(out);
    return NULL;
  }
  out[o] = '\0';
  *outlen = (size_t)o;
  return out;
}

/* ---- decoding -------------------------------------------------------- */

int jwt_looks_like(const char *tok)
{
  int dots = 0;
  for(const char *c = tok; *c; c++) {
    if(*c == '.')
      dots++;
    else if(b64_value((unsigned char)*c, 0) < 0 && *c != '=')
      return 0;
  }
  return dots == 2 && tok[0] != '.';
}

static char *json_str_dup(json_t *o, const char *key)
{
  json_t *v = json_object_get(o, key);
  if(json_is_string(v))
    return xstrdup(json_string_value(v));
  if(json_is_array(v) && json_is_string(json_array_get(v, 0)))
    return xstrdup(json_string_value(json_array_get(v, 0)));
  return NULL;
}

/* A NumericDate claim; absent or not a finite number in range: 0. */
static int json_time(json_t *o, const char *key, long long *out)
{
  json_t *v = json_object_get(o, key);
  if(json_is_integer(v)) {
    *out = (long long)json_integer_value(v);
    return 1;
  }
  if(json_is_real(v)) {
    double d = json_real_value(v);
    if(!isfinite(d) || d > 9.0e15 || d < -9.0e15)
      return 0;
    *out = (long long)d;
    return 1;
  }
  return 0;
}

/* scope ("a b"), scp, roles, role, permissions: strings or arrays of
 * strings, joined with spaces. */
static char *json_scopes(json_t *o)
{
  static const char *const keys[] = {"scope", "scp", "roles", "role", "permissions"};
  struct buf b;
  buf_init(&b, 1024);
  for(size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
    json_t *v = json_object_get(o, keys[k]);
    if(json_is_string(v)) {
      buf_printf(&b, "%s%s", b.len ? " " : "", json_string_value(v));
    } else if(json_is_array(v)) {
      size_t i;
      json_t *e;
      json_array_foreach(v, i, e) {
        if(json_is_string(e))
          buf_printf(&b, "%s%s", b.len ? " " : "", json_string_value(e));
      }
    }
  }
  if(b.len == 0) {
    buf_cleanup(&b);
    return NULL;
  }
  return buf_steal(&b);
}

/* Decodes one segment that must hold a JSON object. */
static json_t *seg_json(const char *s, size_t n, char **text, const char *what,
                        char *err, size_t errlen)
{
  size_t len;
  unsigned char *raw = jwt_b64url_decode(s, n, &len);
  if(!raw) {
    snprintf(err, errlen, "the JWT %s is not valid base64url", what);
    return NULL;
  }
  json_error_t je;
  json_t *o = json_loadb((const char *)raw, len, JSON_REJECT_DUPLICATES, &je);
  if(!o || !json_is_object(o)) {
    snprintf(err, errlen, "the JWT %s is not a JSON object%s", what,
             o ? "" : " (invalid JSON)");
    json_decref(o);
    free(raw);
    return NULL;
  }
  if(memchr(raw, '\0', len)) {
    snprintf(err, errlen, "the JWT %s holds a NUL byte", what);
    json_decref(o);
    free(raw);
    return NULL;
  }
  *text = (char *)raw;
  return o;
}

int jwt_decode(struct wd_jwt *j, const char *tok, char *err, size_t errlen)
{
  memset(j, 0, sizeof(*j));
  size_t n = strlen(tok);
  if(n > JWT_MAX_LEN) {
    snprintf(err, errlen, "the token is longer than %d bytes", JWT_MAX_LEN);
    return -1;
  }
  const char *d1 = strchr(tok, '.');
  const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
  if(!d1 || !d2 || strchr(d2 + 1, '.')) {
    snprintf(err, errlen, "a JWT has three dot-separated parts");
    return -1;
  }
  json_t *h = seg_json(tok, (size_t)(d1 - tok), &j->header_json, "header", err, errlen);
  if(!h)
    return -1;
  json_t *p = seg_json(d1 + 1, (size_t)(d2 - d1 - 1), &j->payload_json, "payload", err,
                       errlen);
  if(!p) {
    json_decref(h);
    jwt_free(j);
    return -1;
  }
  j->sig = jwt_b64url_decode(d2 + 1, strlen(d2 + 1), &j->siglen);
  if(!j->sig) {
    snprintf(err, errlen, "the JWT signature is not valid base64url");
    json_decref(h);
    json_decref(p);
    jwt_free(j);
    return -1;
  }
  json_t *alg = json_object_get(h, "alg");
  if(!json_is_string(alg)) {
    snprintf(err, errlen, "the JWT header has no \"alg\"");
    json_decref(h);
    json_decref(p);
    jwt_free(j);
    return -1;
  }
  snprintf(j->alg, sizeof(j->alg), "%s", json_string_value(alg));
  j->signing_input = xstrndup(tok, (size_t)(d2 - tok));
  j->kid = json_str_dup(h, "kid");
  j->typ = json_str_dup(h, "typ");
  j->has_exp = json_time(p, "exp", &j->exp);
  j->has_nbf = json_time(p, "nbf", &j->nbf);
  j->has_iat = json_time(p, "iat", &j->iat);
  j->aud = json_str_dup(p, "aud");
  j->iss = json_str_dup(p, "iss");
  j->sub = json_str_dup(p, "sub");
  j->scope = json_scopes(p);
  json_decref(h);
  json_decref(p);
  return 0;
}

void jwt_free(struct wd_jwt *j)
{
  free(j->header_json);
  free(j->payload_json);
  free(j->signing_input);
  free(j->sig);
  free(j->kid);
  free(j->typ);
  free(j->aud);
  free(j->iss);
  free(j->sub);
  free(j->scope);
  memset(j, 0, sizeof(*j));
}

int jwt_malformed(const char *tok, char *err, size_t errlen)
{
  size_t dots = 0;
  for(const char *c = tok; *c; c++)
    dots += *c == '.';
  if(dots != 2)
    return 0; /* an opaque token: nothing to decode */
  struct wd_jwt j;
  if(jwt_decode(&j, tok, err, errlen))
    return 1;
  jwt_free(&j);
  return 0;
}

/* ---- HMAC ------------------------------------------------------------ */

int jwt_hs_bits(const char *alg)
{
  if(!strcmp(alg, "HS256"))
    return 256;
  if(!strcmp(alg, "HS384"))
    return 384;
  if(!strcmp(alg, "HS512"))
    return 512;
  return 0;
}

static const EVP_MD *hs_md(const char *alg)
{
  switch(jwt_hs_bits(alg)) {
  case 256: return EVP_sha256();
  case 384: return EVP_sha384();
  case 512: return EVP_sha512();
  default: return NULL;
  }
}

static int hs_mac(const EVP_MD *md, const char *input, size_t inlen, const void *key,
                  size_t keylen, unsigned char *out, unsigned *outlen)
{
  static const unsigned char empty[1] = {0};
  if(keylen > (size_t)0x7fffffff)
    return -1;
  return HMAC(md, keylen ? key : empty, (int)keylen, (const unsigned char *)input,
              inlen, out, outlen) ? 0 : -1;
}

char *jwt_hs_sign_b64(const char *alg, const char *input, const void *key, size_t keylen)
{
  const EVP_MD *md = hs_md(alg);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned ml = 0;
  if(!md || hs_mac(md, input, strlen(input), key, keylen, mac, &ml))
    return NULL;
  return jwt_b64url_encode(mac, ml);
}

int jwt_hs_verify(const struct wd_jwt *j, const void *key, size_t keylen)
{
  const EVP_MD *md = hs_md(j->alg);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned ml = 0;
  if(!md || !j->signing_input ||
     hs_mac(md, j->signing_input, strlen(j->signing_input), key, keylen, mac, &ml))
    return 0;
  return ml == j->siglen && CRYPTO_memcmp(mac, j->sig, ml) == 0;
}

/* ---- the offline crack ----------------------------------------------- */

/* Secrets seen in tutorials, framework defaults, leaked sample configs
 * and password top lists. Checked first, before any --jwt-wordlist. */
const char *const jwt_default_words[] = {
  "", "secret", "changeme", "password", "123456", "12345678", "qwerty",
  "jwt", "jwtsecret", "jwt_secret", "jwt-secret", "JWT_SECRET", "jwtSecret",
  "secretkey", "secret_key", "secret-key", "SECRET_KEY", "secretKey", "mysecret",
  "my_secret", "my-secret", "mysecretkey", "my_secret_key", "my-secret-key",
  "your-256-bit-secret", "your-384-bit-secret", "your-512-bit-secret",
  "your_jwt_secret", "your-secret-key", "supersecret", "super-secret",
  "supersecretkey", "topsecret", "s3cr3t", "s3cret", "secr3t", "Secret",
  "SECRET", "secret123", "secret1", "secret!", "pass", "passw0rd", "Password1",
  "password1", "password123", "admin", "admin123", "administrator", "root",
  "toor", "test", "test123", "testing", "dev", "development", "prod",
  "production", "staging", "default", "key", "private", "privatekey",
  "private_key", "shhhhh", "shhhhhared-secret", "keyboard cat", "hello",
  "helloworld", "hello world", "welcome", "letmein", "abc123", "abcdef",
  "1234567890", "0123456789", "123456789", "111111", "000000", "qwerty123",
  "iloveyou", "monkey", "dragon", "trustno1", "token", "tokensecret",
  "auth", "authsecret", "auth_secret", "api", "apisecret", "api_secret",
  "app", "appsecret", "app_secret", "application", "server", "backend",
  "node", "express", "echo", "golang", "gin", "django-insecure",
  "flask", "spring", "laravel", "rails", "signing-key", "signingkey",
  "HS256", "hs256", "jwt-key", "jwtkey", "jwt_key", "access", "access_token",
  "refresh", "change_me", "change-me", "CHANGEME", "notasecret", "insecure",
  "example", "sample", "demo", "guest", "user", "null", "undefined",
  NULL,
};

/* The crack's HMAC: one EVP_MAC context for the whole list, its digest
 * set once and re-keyed for every word (EVP_MAC_init with the word as the
 * key), instead of fetching the MAC and setting it up per word as the
 * one-shot HMAC() does. */
struct crack_mac {
  EVP_MAC *mac;
  EVP_MAC_CTX *ctx;
  const unsigned char *input;
  size_t inlen;
};

static int crack_mac_init(struct crack_mac *c, const struct wd_jwt *j)
{
  memset(c, 0, sizeof(*c));
  int bits = jwt_hs_bits(j->alg);
  const char *dg = bits == 256 ? "SHA256" : bits == 384 ? "SHA384" : "SHA512";
  c->mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  c->ctx = c->mac ? EVP_MAC_CTX_new(c->mac) : NULL;
  OSSL_PARAM params[2] = {
    OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)dg, 0),
    OSSL_PARAM_construct_end(),
  };
  if(!c->ctx || !EVP_MAC_CTX_set_params(c->ctx, params)) {
    EVP_MAC_CTX_free(c->ctx);
    EVP_MAC_free(c->mac);
    memset(c, 0, sizeof(*c));
    return -1;
  }
  c->input = (const unsigned char *)j->signing_input;
  c->inlen = strlen(j->signing_input);
  return 0;
}

static void crack_mac_cleanup(struct crack_mac *c)
{
  EVP_MAC_CTX_free(c->ctx);
  EVP_MAC_free(c->mac);
}

/* Tries one candidate; 1 when it signs j. */
static int crack_try(const struct wd_jwt *j, struct crack_mac *c, const char *w, size_t wl)
{
  static const unsigned char empty[1] = {0};
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t ml = 0;
  /* A NULL key would mean "keep the previous key": the empty secret is
   * a valid pointer with length 0. */
  if(!EVP_MAC_init(c->ctx, wl ? (const unsigned char *)w : empty, wl, NULL) ||
     !EVP_MAC_update(c->ctx, c->input, c->inlen) ||
     !EVP_MAC_final(c->ctx, mac, &ml, sizeof(mac)))
    return 0;
  return ml == j->siglen && CRYPTO_memcmp(mac, j->sig, ml) == 0;
}

static int crack_found(const char *w, size_t wl, char *out, size_t outlen)
{
  snprintf(out, outlen, "%.*s", (int)wl, w);
  return 1;
}

int jwt_crack(const struct wd_jwt *j, const char *wordlist, char *out, size_t outlen,
              char *err, size_t errlen)
{
  const EVP_MD *md = hs_md(j->alg);
  if(!md || !j->signing_input) {
    snprintf(err, errlen, "alg %s is not an HMAC algorithm", j->alg[0] ? j->alg : "(none)");
    return -1;
  }
  struct crack_mac c;
  if(crack_mac_init(&c, j)) {
    snprintf(err, errlen, "the HMAC of this OpenSSL cannot be set up");
    return -1;
  }
  unsigned long tried = 0;
  int rc = 0;
  for(size_t i = 0; jwt_default_words[i]; i++, tried++)
    if(crack_try(j, &c, jwt_default_words[i], strlen(jwt_default_words[i]))) {
      rc = crack_found(jwt_default_words[i], strlen(jwt_default_words[i]), out, outlen);
      break;
    }
  if(rc || !wordlist) {
    crack_mac_cleanup(&c);
    return rc;
  }
  FILE *f = fopen(wordlist, "r");
  if(!f) {
    snprintf(err, errlen, "%s: %s", wordlist, strerror(errno));
    crack_mac_cleanup(&c);
    return -1;
  }
  char line[JWT_CRACK_MAX_WORD + 2];
  int skipping = 0;
  while(tried < JWT_CRACK_MAX_WORDS && fgets(line, sizeof(line), f)) {
    size_t n = strlen(line);
    int whole = n > 0 && line[n - 1] == '\n';
    if(skipping) { /* the rest of an over-long line */
      skipping = !whole;
      continue;
    }
    if(!whole && !feof(f)) {
      skipping = 1;
      continue;
    }
    while(n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
      line[--n] = '\0';
    tried++;
    if(crack_try(j, &c, line, n)) {
      rc = crack_found(line, n, out, outlen);
      break;
    }
  }
  fclose(f);
  crack_mac_cleanup(&c);
  return rc;
}

/* ---- forging ---------------------------------------------------------- */

const char *jwt_forge_name(enum jwt_forge kind)
{
  static const char *const names[JWT_FORGE__COUNT] = {
    [JWT_FORGE_NONE] = "alg none",
    [JWT_FORGE_NONE_CAP] = "alg None",
    [JWT_FORGE_STRIPPED] = "signature stripped",
    [JWT_FORGE_TAMPERED] = "signature tampered",
    [JWT_FORGE_AUD] = "foreign aud",
    [JWT_FORGE_ISS] = "foreign iss",
    [JWT_FORGE_EXPIRED] = "expired exp",
    [JWT_FORGE_RESIGN] = "re-signed",
    [JWT_FORGE_KEYCONF_PEM] = "HS256 with the public key's PEM as secret",
    [JWT_FORGE_KEYCONF_DER] = "HS256 with the public key's DER as secret",
    [JWT_FORGE_KID_NULL] = "HS256, kid -> /dev/null, empty secret",
    [JWT_FORGE_HS_RANDOM] = "HS256 with a random secret",
    [JWT_FORGE_JKU] = "RS256 signed by warden's own key, jku naming warden's listener",
    [JWT_FORGE_X5U] = "RS256 signed by warden's own key, x5u naming warden's listener",
  };
  return kind < JWT_FORGE__COUNT ? names[kind] : "?";
}

static char *json_seg(json_t *o)
{
  char *txt = json_dumps(o, JSON_COMPACT);
  if(!txt)
    return NULL;
  char *seg = jwt_b64url_encode(txt, strlen(txt));
  free(txt);
  return seg;
}

/* The token's header, its "alg" (and "kid" when given) replaced, as a
 * base64url segment; NULL if the header does not parse again. */
static char *header_seg(const struct wd_jwt *j, const char *alg, const char *kid)
{
  json_t *h = json_loads(j->header_json, 0, NULL);
  if(!json_is_object(h)) {
    json_decref(h);
    return NULL;
  }
  json_object_set_new(h, "alg", json_string(alg));
  if(kid)
    json_object_set_new(h, "kid", json_string(kid));
  char *hs = json_seg(h);
  json_decref(h);
  return hs;
}

/* "input.signature": input signed with HMAC alg under key; NULL when alg
 * is no HS algorithm. */
static char *hs_signed(const char *alg, const char *input, const void *key, size_t keylen)
{
  char *sig = jwt_hs_sign_b64(alg, input, key, keylen);
  char *t = sig ? xasprintf("%s.%s", input, sig) : NULL;
  free(sig);
  return t;
}

char *jwt_forge(const struct wd_jwt *j, enum jwt_forge kind, const char *secret,
                long long now)
{
  if(!j->signing_input)
    return NULL;
  const char *dot = strchr(j->signing_input, '.');
  if(!dot)
    return NULL;
  switch(kind) {
  case JWT_FORGE_NONE:
  case JWT_FORGE_NONE_CAP: {
    char *hs = header_seg(j, kind == JWT_FORGE_NONE ? "none" : "None", NULL);
    if(!hs)
      return NULL;
    char *t = xasprintf("%s%s.", hs, dot);
    free(hs);
    return t;
  }
  case JWT_FORGE_STRIPPED:
    return xasprintf("%s.", j->signing_input);
  case JWT_FORGE_TAMPERED: {
    unsigned char *s = xmalloc(j->siglen + 3);
    size_t n = j->siglen;
    if(n)
      memcpy(s, j->sig, n);
    else
      n = 3, memset(s, 0x5a, 3);
    s[n / 2] ^= 0x01;
    char *sb = jwt_b64url_encode(s, n);
    free(s);
    char *t = xasprintf("%s.%s", j->signing_input, sb);
    free(sb);
    return t;
  }
  case JWT_FORGE_AUD:
  case JWT_FORGE_ISS:
  case JWT_FORGE_EXPIRED:
  case JWT_FORGE_RESIGN: {
    if(!secret || !jwt_hs_bits(j->alg))
      return NULL;
    json_t *p = json_loads(j->payload_json, 0, NULL);
    if(!p)
      return NULL;
    if(kind == JWT_FORGE_AUD)
      json_object_set_new(p, "aud", json_string("warden-foreign-audience"));
    else if(kind == JWT_FORGE_ISS)
      json_object_set_new(p, "iss", json_string("https://warden-foreign-issuer.invalid/"));
    else if(kind == JWT_FORGE_EXPIRED) {
      json_object_set_new(p, "exp", json_integer(now - 3600));
      json_object_set_new(p, "iat", json_integer(now - 7200));
      if(j->has_nbf)
        json_object_set_new(p, "nbf", json_integer(now - 7200));
    }
    char *ps = json_seg(p);
    json_decref(p);
    if(!ps)
      return NULL;
    char *input = xasprintf("%.*s.%s", (int)(dot - j->signing_input), j->signing_input, ps);
    free(ps);
    char *t = hs_signed(j->alg, input, secret, strlen(secret));
    free(input);
    return t;
  }
  default:
    return NULL;
  }
}

char *jwt_forge_hs(const struct wd_jwt *j, const char *alg, const char *kid, const void *key,
                   size_t keylen)
{
  if(!j->signing_input || !jwt_hs_bits(alg))
    return NULL;
  const char *dot = strchr(j->signing_input, '.');
  char *hs = dot ? header_seg(j, alg, kid) : NULL;
  if(!hs)
    return NULL;
  char *input = xasprintf("%s%s", hs, dot);
  free(hs);
  char *t = hs_signed(alg, input, key, keylen);
  free(input);
  return t;
}

/* The base64url of a big number's big-endian bytes (a JWK's n or e). */
static char *bn_b64url(const EVP_PKEY *k, const char *param)
{
  BIGNUM *bn = NULL;
  if(!EVP_PKEY_get_bn_param(k, param, &bn))
    return NULL;
  int n = BN_num_bytes(bn);
  unsigned char *b = xmalloc((size_t)n + 1);
  BN_bn2bin(bn, b);
  BN_free(bn);
  char *out = jwt_b64url_encode(b, (size_t)n);
  free(b);
  return out;
}

struct evp_pkey_st *jwt_rsa_new(void)
{
  return EVP_RSA_gen(2048);
}

void jwt_rsa_free(struct evp_pkey_st *k)
{
  EVP_PKEY_free(k);
}

/* A self-signed certificate for k (CN=warden-x5u, a day long), PEM. */
static char *x5u_cert_pem(EVP_PKEY *k)
{
  X509 *x = X509_new();
  BIO *b = BIO_new(BIO_s_mem());
  X509_NAME *nm = x ? X509_get_subject_name(x) : NULL;
  char *out = NULL;
  if(x && b && nm && X509_set_version(x, 2) && ASN1_INTEGER_set(X509_get_serialNumber(x), 1) &&
     X509_gmtime_adj(X509_getm_notBefore(x), -3600) &&
     X509_gmtime_adj(X509_getm_notAfter(x), 86400) && X509_set_pubkey(x, k) &&
     X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)"warden-x5u", -1,
                                -1, 0) &&
     X509_set_issuer_name(x, nm) && X509_sign(x, k, EVP_sha256()) && PEM_write_bio_X509(b, x)) {
    char *data;
    long n = BIO_get_mem_data(b, &data);
    if(n > 0) {
      out = xmalloc((size_t)n + 1);
      memcpy(out, data, (size_t)n);
      out[n] = '\0';
    }
  }
  BIO_free(b);
  X509_free(x);
  return out;
}

char *jwt_forge_keyurl(const struct wd_jwt *j, struct evp_pkey_st *k, int x5u, const char *url,
                       const char *kid, char **doc)
{
  *doc = NULL;
  const char *dot = j->signing_input ? strchr(j->signing_input, '.') : NULL;
  if(!dot || !k)
    return NULL;
  char *t = NULL, *n = bn_b64url(k, OSSL_PKEY_PARAM_RSA_N), *e = bn_b64url(k, OSSL_PKEY_PARAM_RSA_E);
  json_t *h = json_pack("{s:s, s:s, s:s, s:s}", "alg", "RS256", "typ", "JWT", "kid", kid,
                        x5u ? "x5u" : "jku", url);
  json_t *set = n && e ? json_pack("{s:[{s:s, s:s, s:s, s:s, s:s, s:s}]}", "keys", "kty", "RSA",
                                   "use", "sig", "alg", "RS256", "kid", kid, "n", n, "e", e)
                       : NULL;
  char *hs = h ? json_seg(h) : NULL;
  char *input = hs ? xasprintf("%s%s", hs, dot) : NULL;
  EVP_MD_CTX *md = EVP_MD_CTX_new();
  size_t siglen = 0;
  unsigned char *sig = NULL;
  if(input && set && md && EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, k) == 1 &&
     EVP_DigestSign(md, NULL, &siglen, (const unsigned char *)input, strlen(input)) == 1) {
    sig = xmalloc(siglen);
    if(EVP_DigestSign(md, sig, &siglen, (const unsigned char *)input, strlen(input)) == 1) {
      char *sb = jwt_b64url_encode(sig, siglen);
      t = xasprintf("%s.%s", input, sb);
      free(sb);
      *doc = x5u ? x5u_cert_pem(k) : json_dumps(set, JSON_COMPACT);
      if(!*doc) {
        free(t);
        t = NULL;
      }
    }
  }
  free(sig);
  EVP_MD_CTX_free(md);
  free(input);
  free(hs);
  json_decref(set);
  json_decref(h);
  free(n);
  free(e);
  return t;
}
