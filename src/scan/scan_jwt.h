/*
 * scan_jwt.h - reading a JSON Web Token without trusting it, forging
 * variants of it, and an offline wordlist crack of its HMAC secret.
 *
 * Nothing here talks to the network. The decoder takes any bytes (the
 * fuzz target feeds it garbage) and either fills a struct wd_jwt or says
 * in err what is wrong, never quoting the token itself: err may be shown
 * to the user, and the token is a secret.
 *
 * Ownership: a decoded token owns its strings; jwt_free releases them.
 * Every function returning char * returns a fresh heap string.
 */
#ifndef WD_SCAN_JWT_H
#define WD_SCAN_JWT_H
#include <stddef.h>

#define JWT_MAX_LEN 16384      /* longer tokens are refused */
#define JWT_CRACK_MAX_WORDS 5000000UL
#define JWT_CRACK_MAX_WORD 256 /* longer wordlist lines are skipped */

struct wd_jwt {
  char *header_json;   /* decoded header and payload, as sent */
  char *payload_json;
  char *signing_input; /* "<header b64>.<payload b64>", as sent */
  unsigned char *sig;  /* decoded signature; may be empty */
  size_t siglen;
  char alg[24];        /* "" when absent */
  char *kid;           /* NULL when absent */
  char *typ;
  int has_exp, has_nbf, has_iat;
  long long exp, nbf, iat;
  char *aud;           /* first audience, or NULL */
  char *iss;
  char *sub;
  char *scope;         /* scope, scp, roles, role, permissions: joined by spaces */
};

/* 1 when tok has the shape of a JWS compact token: three base64url
 * segments separated by exactly two dots. */
int jwt_looks_like(const char *tok);
/* Decodes tok. Returns 0, or -1 with the problem in err (the token is
 * never quoted) and *j left empty. */
int jwt_decode(struct wd_jwt *j, const char *tok, char *err, size_t errlen);
void jwt_free(struct wd_jwt *j);
/* For command-line checks: 1 (with err) when tok looks like a JWT but
 * does not decode, else 0. */
int jwt_malformed(const char *tok, char *err, size_t errlen);

/* base64url without padding. decode accepts padding and returns NULL on
 * any other character; the result is NUL-terminated for convenience. */
char *jwt_b64url_encode(const void *data, size_t n);
unsigned char *jwt_b64url_decode(const char *s, size_t n, size_t *outlen);

/* Digest bits of an HMAC alg ("HS256" -> 256), or 0 for any other. */
int jwt_hs_bits(const char *alg);
/* The HMAC of signing input in under key, base64url; NULL if alg is not
 * HS256/384/512. */
char *jwt_hs_sign_b64(const char *alg, const char *input, const void *key, size_t keylen);
/* 1 when j is an HS* token whose signature is the HMAC of its signing
 * input under key. Constant time in the comparison. */
int jwt_hs_verify(const struct wd_jwt *j, const void *key, size_t keylen);

/* Offline dictionary attack on an HS* token: the built-in list, then the
 * file's lines (if wordlist is not NULL), at most JWT_CRACK_MAX_WORDS in
 * all. Returns 1 with the secret in out, 0 when none matched, -1 with err
 * when the file cannot be read or j is not HS*. */
int jwt_crack(const struct wd_jwt *j, const char *wordlist, char *out, size_t outlen,
              char *err, size_t errlen);
/* The built-in list (NULL-terminated), for tests and docs. */
extern const char *const jwt_default_words[];

enum jwt_forge {
  JWT_FORGE_NONE,      /* header alg "none", payload as is, no signature */
  JWT_FORGE_NONE_CAP,  /* the same with alg "None" (case-sloppy filters) */
  JWT_FORGE_STRIPPED,  /* header and payload as sent, signature removed */
  JWT_FORGE_TAMPERED,  /* header and payload as sent, signature bytes flipped */
  JWT_FORGE_AUD,       /* re-signed with the secret: a foreign audience */
  JWT_FORGE_ISS,       /* re-signed: a foreign issuer */
  JWT_FORGE_EXPIRED,   /* re-signed: expired an hour ago */
  JWT_FORGE_RESIGN,    /* re-signed unchanged: control for the three above */
  JWT_FORGE_KEYCONF_PEM, /* HS256 with the server's public key (PEM) as secret */
  JWT_FORGE_KEYCONF_DER, /* the same with the key's DER */
  JWT_FORGE_KID_NULL,  /* HS256, kid a path to /dev/null, the empty secret */
  JWT_FORGE_HS_RANDOM, /* HS256 with a random secret: control for the three above */
  JWT_FORGE_JKU,       /* RS256 under warden's own key, jku -> warden's listener (--active) */
  JWT_FORGE_X5U,       /* the same with x5u -> a certificate for that key */
  JWT_FORGE__COUNT
};
/* A forged variant of j. The re-signed kinds need secret (NULL otherwise
 * and for non-HS tokens); now is the clock for exp/iat. */
char *jwt_forge(const struct wd_jwt *j, enum jwt_forge kind, const char *secret,
                long long now);
const char *jwt_forge_name(enum jwt_forge kind);
/* j's payload under a new header {"alg": alg, ...j's other fields} (kid
 * replaced when kid is not NULL), signed with HMAC under key (keylen
 * bytes, may be 0). NULL if alg is not HS*. */
char *jwt_forge_hs(const struct wd_jwt *j, const char *alg, const char *kid, const void *key,
                   size_t keylen);
/* An RSA-2048 key pair made for the jku test (OpenSSL's EVP_PKEY). */
struct evp_pkey_st;
struct evp_pkey_st *jwt_rsa_new(void);
void jwt_rsa_free(struct evp_pkey_st *k);
/* j's payload under the header {"alg":"RS256","typ":"JWT","kid":kid,
 * "jku":url} (or "x5u":url when x5u), signed with k. *doc gets what the
 * listener at url must serve: the JWK Set (JSON) that publishes k's
 * public half under kid, or (x5u) a self-signed PEM certificate for k.
 * NULL (and *doc NULL) on failure. */
char *jwt_forge_keyurl(const struct wd_jwt *j, struct evp_pkey_st *k, int x5u, const char *url,
                       const char *kid, char **doc);
/* The kid that points at /dev/null from any key directory. */
#define JWT_KID_DEVNULL "../../../../../../../../../../dev/null"

#endif
