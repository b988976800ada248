/*
 * scan_jwks.h - public keys a server publishes for its JWTs: a JWKS
 * document (RFC 7517, what /.well-known/jwks.json and an OpenID
 * configuration's jwks_uri serve) or PEM text, turned into the byte
 * strings a confused verifier would use as an HMAC secret: the key's PEM
 * (SubjectPublicKeyInfo, "-----BEGIN PUBLIC KEY-----") and its DER.
 *
 * Untrusted input (the fuzz target feeds it garbage): bounded in size and
 * in keys, never crashes, says in err what is wrong.
 *
 * Ownership: a struct jwks owns its keys' bytes; jwks_free releases them.
 */
#ifndef WD_SCAN_JWKS_H
#define WD_SCAN_JWKS_H
#include <stddef.h>

#define JWKS_MAX_DOC (256 * 1024) /* larger documents are refused */
#define JWKS_MAX_KEYS 8           /* keys kept; the rest are skipped */
#define JWKS_MAX_RSA_BITS 8192

struct jwks_key {
  char kid[128];         /* "" when absent */
  char kty[8];           /* "RSA" */
  unsigned char *pem;    /* SubjectPublicKeyInfo PEM, with its final newline */
  size_t pemlen;
  unsigned char *der;    /* the same in DER */
  size_t derlen;
};

struct jwks {
  struct jwks_key *v;
  size_t n;
  size_t unsupported;    /* keys of other types (EC, OKP, oct) or shapes */
  char unsupported_kty[32]; /* the first such kty, for the note */
};

/* Reads a JWKS document (or a single JWK). Returns 0 (n may be 0 when
 * every key was unsupported) or -1 with err when it is not a JWKS. */
int jwks_parse(struct jwks *out, const char *doc, size_t len, char *err, size_t errlen);
/* Reads PEM public keys ("PUBLIC KEY" or "RSA PUBLIC KEY" blocks).
 * Returns 0 with at least one key, or -1 with err. */
int jwks_read_pem(struct jwks *out, const char *pem, size_t len, char *err, size_t errlen);
void jwks_free(struct jwks *k);
/* The jwks_uri of an OpenID configuration document, fresh, or NULL. */
char *jwks_openid_uri(const char *doc, size_t len);

#endif
