/*
 * net_tls.h - raw OpenSSL client for handshake-level TLS and mTLS probes.
 *
 * libcurl does every HTTP request of a scan; this file is for what curl
 * cannot say: did the server ask for a client certificate, does it
 * accept one that nobody signed, which protocol versions and cipher
 * suites does it take, what is its certificate. One probe is one TCP
 * connection, one handshake and, optionally, one HTTP/1.1 GET with
 * "Connection: close". Each step (connect, handshake, write, read) has
 * its own timeout, so a probe never takes more than about four times
 * tls_probe_opts.timeout_ms.
 *
 * Client identities are either the user's PEM files (loaded and checked
 * once at startup) or forged in memory: self-signed by a throwaway key,
 * expired, or with an extended key usage that lacks clientAuth. Nothing
 * forged is ever written to disk.
 *
 * Ownership: a tls_identity owns its certificate, key and chain; a
 * tls_result owns the server certificate and the response bytes. Both
 * are freed by their _cleanup function, which is safe on a zeroed or
 * already cleaned struct.
 */
#ifndef WD_NET_TLS_H
#define WD_NET_TLS_H
#include <stddef.h>

#include <openssl/x509.h>

/* A client certificate with its key, and any intermediates to send. */
struct tls_identity {
  X509 *cert;
  EVP_PKEY *key;
  STACK_OF(X509) *chain; /* may be NULL */
};

enum tls_forge {
  TLS_FORGE_SELF_SIGNED = 0, /* valid dates, clientAuth, unknown issuer */
  TLS_FORGE_EXPIRED,         /* as above, but expired yesterday */
  TLS_FORGE_NO_EKU,          /* extendedKeyUsage serverAuth only */
};

/* Checks the files given with --cert, --key and --cacert (any may be
 * NULL): the certificate and the key parse as PEM, the key matches the
 * certificate, the CA file holds at least one certificate. Encrypted
 * keys are refused (never prompts). Returns 0, or -1 with one line in
 * err that names the option and the file. */
int tls_check_files(const char *cert, const char *key, const char *cacert,
                    char *err, size_t errlen);

/* Loads an identity from PEM files. Returns 0 or -1 (err filled). */
int tls_identity_load(struct tls_identity *id, const char *certfile,
                      const char *keyfile, char *err, size_t errlen);
/* The same from PEM bytes in memory (the fuzz target's entry point). */
int tls_identity_load_mem(struct tls_identity *id, const void *cert,
                          size_t certlen, const void *key, size_t keylen,
                          char *err, size_t errlen);
/* Makes a throwaway identity: a fresh P-256 key and a self-signed
 * certificate of the given kind. The subject is copied from like (the
 * user's certificate, so that a verifier that only reads the subject is
 * fooled too) or else CN=warden-probe. Returns 0 or -1. */
int tls_identity_forge(struct tls_identity *id, enum tls_forge kind,
                       const X509 *like);
void tls_identity_cleanup(struct tls_identity *id);

#define TLS_RESP_CAP (64 * 1024)

struct tls_probe_opts {
  const char *host;        /* connect, SNI (names only), name check */
  int port;
  long timeout_ms;         /* per step; 0 = 3000 */
  int min_version;         /* TLS1_VERSION...; 0 = library default */
  int max_version;         /* 0 = highest */
  const char *ciphers;     /* TLS <= 1.2 list, or NULL for the default */
  int seclevel0;           /* SSL_CTX_set_security_level(ctx, 0) */
  const struct tls_identity *id; /* sent if the server asks; NULL = none */
  const char *cacert;      /* to judge the server chain; NULL = system */
  const char *path;        /* if set, GET this path after the handshake */
};

struct tls_result {
  int connected;           /* TCP connection made */
  int handshake;           /* the handshake completed on our side */
  int refused;             /* the server ended it with an alert or a
                              reset, in the handshake or right after
                              (TLS 1.3 refuses client certificates
                              after the client's Finished) */
  int alert;               /* alert received, or -1 */
  int cert_requested;      /* the server sent a CertificateRequest */
  int cert_sent;           /* and we answered with a certificate */
  char error[256];         /* what went wrong, in words */
  char version[16];        /* "TLSv1.2" */
  int version_num;         /* TLS1_2_VERSION... */
  char cipher[64];         /* negotiated suite, OpenSSL name */
  X509 *server_cert;       /* owned; NULL if none */
  long verify;             /* X509_V_OK or the chain's first error */
  long status;             /* HTTP status, 0 if none */
  char *resp;              /* raw response, NUL-terminated; owned */
  size_t resp_len;
  size_t body_off;         /* where the body starts in resp */
  double seconds;
};

/* Runs one probe. Returns 0 when a handshake was attempted (the result
 * says how it went), -1 when the probe could not be set up (bad cipher
 * list for this library, out of memory; err filled). Never touches any
 * host but o->host:o->port. */
int tls_probe(const struct tls_probe_opts *o, struct tls_result *r,
              char *err, size_t errlen);
void tls_result_cleanup(struct tls_result *r);
/* Reads what a server answered over the probe's connection (at most
 * TLS_RESP_CAP bytes, any bytes): the HTTP status (100-599, or 0 when it
 * is not an HTTP/1.x status line) and where the body starts (len when
 * there is no blank line). tests/fuzz/fuzz_tls_response.c. */
long tls_parse_response(const char *resp, size_t len, size_t *body_off);

/* Facts about a server certificate, for the checks. host may be an IP
 * literal. cacert_trusts: the chain verified against the CA file the
 * user gave (r->verify == X509_V_OK). */
int tls_cert_expired(const X509 *c);
int tls_cert_self_signed(X509 *c, long verify);
int tls_cert_matches_host(X509 *c, const char *host);
/* "CN=x, O=y" into out; empty on failure. */
void tls_name_oneline(const X509_NAME *n, char *out, size_t outlen);
/* notAfter as "2026-01-31 12:00:00 UTC"; empty on failure. */
void tls_cert_not_after(const X509 *c, char *out, size_t outlen);
/* 1 when the library can offer suites of the given kind:
 * "3DES", "RC4", "EXP", "NULL", "aNULL". */
int tls_can_offer(const char *kind);

#endif
