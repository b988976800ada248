/*
 * net_tls.c - raw OpenSSL client for TLS and mTLS probes (net_tls.h).
 *
 * The socket is non-blocking; every step waits with poll() against its
 * own deadline. SIGPIPE is ignored for the length of a probe (a server
 * that refuses a certificate may close before our request is written),
 * and the previous disposition is restored afterwards.
 */
#include "net_tls.h"

#include "../core/core_alloc.h"
#include "../core/core_time.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#ifndef WARDEN_VERSION
#define WARDEN_VERSION "dev"
#endif

/* ---- PEM files --------------------------------------------------------- */

/* Never prompt for a passphrase: an encrypted key is an error. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
  (void)buf;
  (void)size;
  (void)rwflag;
  (void)u;
  return -1;
}

static void ssl_reason(char *out, size_t outlen)
{
  unsigned long e = ERR_peek_last_error();
  const char *r = e ? ERR_reason_error_string(e) : NULL;
  snprintf(out, outlen, "%s", r ? r : "");
  ERR_clear_error();
}

/* Reads the first certificate of bio into *cert and the rest into a new
 * chain (NULL if none). Returns 0 or -1. */
static int read_certs(BIO *bio, X509 **cert, STACK_OF(X509) **chain)
{
  *cert = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
  if(!*cert)
    return -1;
  *chain = NULL;
  for(int i = 0; i < 16; i++) {
    X509 *x = PEM_read_bio_X509(bio, NULL, no_passphrase, NULL);
    if(!x)
      break;
    if(!*chain)
      *chain = sk_X509_new_null();
    if(!*chain || !sk_X509_push(*chain, x)) {
      X509_free(x);
      break;
    }
  }
  ERR_clear_error(); /* the end of the file reads as an error */
  return 0;
}

static int identity_from_bios(struct tls_identity *id, BIO *cb, BIO *kb,
                              const char *cname, const char *kname,
                              char *err, size_t errlen)
{
  char why[160];
  memset(id, 0, sizeof(*id));
  if(read_certs(cb, &id->cert, &id->chain)) {
    ssl_reason(why, sizeof(why));
    snprintf(err, errlen, "--cert %s: not a PEM certificate%s%s", cname,
             why[0] ? ": " : "", why);
    goto fail;
  }
  id->key = PEM_read_bio_PrivateKey(kb, NULL, no_passphrase, NULL);
  if(!id->key) {
    ssl_reason(why, sizeof(why));
    snprintf(err, errlen, "--key %s: not an unencrypted PEM private key%s%s",
             kname, why[0] ? ": " : "", why);
    goto fail;
  }
  if(X509_check_private_key(id->cert, id->key) != 1) {
    ERR_clear_error();
    snprintf(err, errlen, "--key %s: does not match --cert %s", kname, cname);
    goto fail;
  }
  return 0;
fail:
  tls_identity_cleanup(id);
  return -1;
}

int tls_identity_load(struct tls_identity *id, const char *certfile,
                      const char *keyfile, char *err, size_t errlen)
{
  memset(id, 0, sizeof(*id));
  BIO *cb = BIO_new_file(certfile, "r");
  if(!cb) {
    ERR_clear_error();
    snprintf(err, errlen, "--cert %s: file cannot be read", certfile);
    return -1;
  }
  BIO *kb = BIO_new_file(keyfile, "r");
  if(!kb) {
    ERR_clear_error();
    BIO_free(cb);
    snprintf(err, errlen, "--key %s: file cannot be read", keyfile);
    return -1;
  }
  int rc = identity_from_bios(id, cb, kb, certfile, keyfile, err, errlen);
  BIO_free(cb);
  BIO_free(kb);
  return rc;
}

int tls_identity_load_mem(struct tls_identity *id, const void *cert,
                          size_t certlen, const void *key, size_t keylen,
                          char *err, size_t errlen)
{
  memset(id, 0, sizeof(*id));
  if(certlen > 1024 * 1024 || keylen > 1024 * 1024) {
    snprintf(err, errlen, "PEM input larger than 1 MiB");
    return -1;
  }
  BIO *cb = BIO_new_mem_buf(cert, (int)certlen);
  BIO *kb = BIO_new_mem_buf(key, (int)keylen);
  int rc = -1;
  if(cb && kb)
    rc = identity_from_bios(id, cb, kb, "(memory)", "(memory)", err, errlen);
  else
    snprintf(err, errlen, "out of memory");
  BIO_free(cb);
  BIO_free(kb);
  return rc;
}

void tls_identity_cleanup(struct tls_identity *id)
{
  X509_free(id->cert);
  EVP_PKEY_free(id->key);
  sk_X509_pop_free(id->chain, X509_free);
  memset(id, 0, sizeof(*id));
}

int tls_check_files(const char *cert, const char *key, const char *cacert,
                    char *err, size_t errlen)
{
  if(cert && key) {
    struct tls_identity id;
    if(tls_identity_load(&id, cert, key, err, errlen))
      return -1;
    tls_identity_cleanup(&id);
  }
  if(cacert) {
    BIO *b = BIO_new_file(cacert, "r");
    if(!b) {
      ERR_clear_error();
      snprintf(err, errlen, "--cacert %s: file cannot be read", cacert);
      return -1;
    }
    X509 *x = PEM_read_bio_X509(b, NULL, no_passphrase, NULL);
    BIO_free(b);
    ERR_clear_error();
    if(!x) {
      snprintf(err, errlen, "--cacert %s: no PEM certificate in the file", cacert);
      return -1;
    }
    X509_free(x);
  }
  return 0;
}

/* ---- forged client certificates ---------------------------------------- */

static int add_ext(X509 *x, int nid, const char *value)
{
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
  X509_EXTENSION *e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
  if(!e)
    return -1;
  int ok = X509_add_ext(x, e, -1);
  X509_EXTENSION_free(e);
  return ok ? 0 : -1;
}

int tls_identity_forge(struct tls_identity *id, enum tls_forge kind,
                       const X509 *like)
{
  memset(id, 0, sizeof(*id));
  EVP_PKEY *key = EVP_EC_gen("P-256");
  X509 *x = X509_new();
  BIGNUM *bn = BN_new();
  X509_NAME *name = NULL;
  if(!key || !x || !bn)
    goto fail;
  if(!X509_set_version(x, 2) || !BN_rand(bn, 63, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) ||
     !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)))
    goto fail;
  long day = 24L * 3600;
  if(kind == TLS_FORGE_EXPIRED) {
    X509_gmtime_adj(X509_getm_notBefore(x), -60 * day);
    X509_gmtime_adj(X509_getm_notAfter(x), -day);
  } else {
    X509_gmtime_adj(X509_getm_notBefore(x), -3600);
    X509_gmtime_adj(X509_getm_notAfter(x), 30 * day);
  }
  if(like)
    name = X509_NAME_dup(X509_get_subject_name(like));
  if(!name) {
    name = X509_NAME_new();
    if(!name || !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                            (const unsigned char *)"warden-probe",
                                            -1, -1, 0))
      goto fail;
  }
  if(!X509_set_subject_name(x, name) || !X509_set_issuer_name(x, name) ||
     !X509_set_pubkey(x, key))
    goto fail;
  if(add_ext(x, NID_basic_constraints, "critical,CA:FALSE") ||
     add_ext(x, NID_key_usage, "critical,digitalSignature") ||
     add_ext(x, NID_ext_key_usage,
             kind == TLS_FORGE_NO_EKU ? "serverAuth" : "clientAuth"))
    goto fail;
  if(!X509_sign(x, key, EVP_sha256()))
    goto fail;
  X509_NAME_free(name);
  BN_free(bn);
  id->cert = x;
  id->key = key;
  return 0;
fail:
  ERR_clear_error();
  X509_NAME_free(name);
  BN_free(bn);
  X509_free(x);
  EVP_PKEY_free(key);
  return -1;
}

/* ---- certificate facts ------------------------------------------------- */

int tls_cert_expired(const X509 *c)
{
  return X509_cmp_current_time(X509_get0_notAfter(c)) < 0;
}

int tls_cert_self_signed(X509 *c, long verify)
{
  if(verify != X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT)
    return 0;
  /* Its own issuer, signed by its own key (whatever its key usage). */
  EVP_PKEY *pk = X509_get0_pubkey(c);
  int self = X509_NAME_cmp(X509_get_subject_name(c), X509_get_issuer_name(c)) == 0 &&
             pk && X509_verify(c, pk) == 1;
  ERR_clear_error();
  return self;
}

static int is_ip_literal(const char *host)
{
  struct addrinfo hints, *ai = NULL;
  memset(&hints, 0, sizeof(hints));
  hints.ai_flags = AI_NUMERICHOST;
  int ok = getaddrinfo(host, NULL, &hints, &ai) == 0;
  if(ai)
    freeaddrinfo(ai);
  return ok;
}

int tls_cert_matches_host(X509 *c, const char *host)
{
  int r;
  if(is_ip_literal(host))
    r = X509_check_ip_asc(c, host, 0);
  else
    r = X509_check_host(c, host, 0, 0, NULL);
  ERR_clear_error();
  return r == 1;
}

void tls_name_oneline(const X509_NAME *n, char *out, size_t outlen)
{
  out[0] = '\0';
  BIO *b = BIO_new(BIO_s_mem());
  if(!b)
    return;
  if(X509_NAME_print_ex(b, n, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
    char *p;
    long l = BIO_get_mem_data(b, &p);
    if(l > 0)
      snprintf(out, outlen, "%.*s", (int)(l < (long)outlen ? l : (long)outlen - 1), p);
  }
  BIO_free(b);
}

void tls_cert_not_after(const X509 *c, char *out, size_t outlen)
{
  out[0] = '\0';
  struct tm tm;
  if(ASN1_TIME_to_tm(X509_get0_notAfter(c), &tm) == 1)
    strftime(out, outlen, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

int tls_can_offer(const char *kind)
{
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  if(!ctx)
    return 0;
  char list[64];
  snprintf(list, sizeof(list), "%s:!PSK:!SRP:@SECLEVEL=0", kind);
  int ok = SSL_CTX_set_cipher_list(ctx, list) == 1;
  if(ok) {
    /* "NULL" and "aNULL" are aliases; make sure a real suite matched. */
    STACK_OF(SSL_CIPHER) *sk = SSL_CTX_get_ciphers(ctx);
    ok = 0;
    for(int i = 0; sk && i < sk_SSL_CIPHER_num(sk); i++) {
      const SSL_CIPHER *c = sk_SSL_CIPHER_value(sk, i);
      if(SSL_CIPHER_get_version(c) && strcmp(SSL_CIPHER_get_version(c), "TLSv1.3"))
        ok = 1;
    }
  }
  ERR_clear_error();
  SSL_CTX_free(ctx);
  return ok;
}

/* ---- the probe --------------------------------------------------------- */

/* Waits for fd to be ready for ev until the deadline. 1 ready, 0 timeout,
 * -1 error. */
static int wait_fd(int fd, short ev, double deadline)
{
  for(;;) {
    double left = deadline - mono_now();
    if(left <= 0)
      return 0;
    struct pollfd p = {.fd = fd, .events = ev};
    int n = poll(&p, 1, (int)(left * 1000) + 1);
    if(n < 0 && errno == EINTR)
      continue;
    if(n < 0)
      return -1;
    if(n == 0)
      return 0;
    return 1;
  }
}

static int tcp_connect(const char *host, int port, long timeout_ms,
                       char *err, size_t errlen)
{
  char ps[16];
  snprintf(ps, sizeof(ps), "%d", port);
  struct addrinfo hints, *res = NULL;
  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = SOCK_STREAM;
  int gr = getaddrinfo(host, ps, &hints, &res);
  if(gr) {
    snprintf(err, errlen, "cannot resolve %s: %s", host, gai_strerror(gr));
    return -1;
  }
  int fd = -1;
  snprintf(err, errlen, "cannot connect to %s:%d", host, port);
  for(struct addrinfo *a = res; a; a = a->ai_next) {
    fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
    if(fd < 0)
      continue;
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    /* A handshake is small writes each waiting for an answer: without
     * TCP_NODELAY, Nagle holds the next flight until the peer's delayed
     * ACK (about 40 ms per probe). */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    int cr = connect(fd, a->ai_addr, a->ai_addrlen);
    if(cr < 0 && errno == EINPROGRESS) {
      double deadline = mono_now() + (double)timeout_ms / 1000.0;
      if(wait_fd(fd, POLLOUT, deadline) == 1) {
        int soerr = 0;
        socklen_t sl = sizeof(soerr);
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
        cr = soerr ? -1 : 0;
        errno = soerr;
      } else {
        errno = ETIMEDOUT;
      }
    }
    if(cr == 0)
      break;
    snprintf(err, errlen, "cannot connect to %s:%d: %s", host, port, strerror(errno));
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  return fd;
}

struct probe_ctx {
  struct tls_result *r;
  const struct tls_identity *id;
};

/* The callbacks find the probe's context through the connection's
 * application data (SSL_set_app_data: OpenSSL's own slot, index 0), so
 * no process-wide ex-data index is needed. */

static int client_cert_cb(SSL *ssl, X509 **x509, EVP_PKEY **pkey)
{
  struct probe_ctx *pc = SSL_get_app_data(ssl);
  if(!pc)
    return 0;
  pc->r->cert_requested = 1;
  if(!pc->id || !pc->id->cert || !pc->id->key)
    return 0;
  X509_up_ref(pc->id->cert);
  EVP_PKEY_up_ref(pc->id->key);
  *x509 = pc->id->cert;
  *pkey = pc->id->key;
  pc->r->cert_sent = 1;
  return 1;
}

static void info_cb(const SSL *ssl, int where, int ret)
{
  if(!(where & SSL_CB_READ_ALERT))
    return;
  struct probe_ctx *pc = SSL_get_app_data(ssl);
  if(pc && (ret >> 8) == SSL3_AL_FATAL && pc->r->alert < 0)
    pc->r->alert = ret & 0xff;
}

/* Runs an SSL call (connect, read or write) until it completes, fails or
 * the deadline passes. Returns the call's result (> 0 done), 0 for a
 * clean close, or -1 with *sslerr set (SSL_ERROR_*; -2 on timeout). */
enum { OP_CONNECT, OP_READ, OP_WRITE };
static int ssl_step(SSL *ssl, int fd, int op, void *buf, int len,
                    double deadline, int *sslerr)
{
  for(;;) {
    ERR_clear_error();
    int n = op == OP_CONNECT ? SSL_connect(ssl)
          : op == OP_READ ? SSL_read(ssl, buf, len)
          : SSL_write(ssl, buf, len);
    if(n > 0)
      return n;
    int e = SSL_get_error(ssl, n);
    short ev;
    if(e == SSL_ERROR_WANT_READ)
      ev = POLLIN;
    else if(e == SSL_ERROR_WANT_WRITE)
      ev = POLLOUT;
    else {
      *sslerr = e;
      return e == SSL_ERROR_ZERO_RETURN ? 0 : -1;
    }
    int w = wait_fd(fd, ev, deadline);
    if(w != 1) {
      *sslerr = w == 0 ? -2 : SSL_ERROR_SYSCALL;
      return -1;
    }
  }
}

static void describe_failure(SSL *ssl, struct tls_result *r, int sslerr,
                             const char *what)
{
  (void)ssl;
  char why[200] = "";
  unsigned long e = ERR_peek_last_error();
  if(sslerr == -2)
    snprintf(why, sizeof(why), "timed out");
  else if(r->alert >= 0)
    snprintf(why, sizeof(why), "alert %d (%s)", r->alert,
             SSL_alert_desc_string_long(r->alert));
  else if(e)
    snprintf(why, sizeof(why), "%s", ERR_reason_error_string(e) ?
             ERR_reason_error_string(e) : "TLS error");
  else if(sslerr == SSL_ERROR_SYSCALL)
    snprintf(why, sizeof(why), "connection closed by the server");
  else
    snprintf(why, sizeof(why), "TLS error %d", sslerr);
  snprintf(r->error, sizeof(r->error), "%s: %s", what, why);
  ERR_clear_error();
}

long tls_parse_response(const char *resp, size_t len, size_t *body_off)
{
  *body_off = len;
  if(len < 12 || memcmp(resp, "HTTP/1.", 7))
    return 0;
  /* "HTTP/1.x NNN": three digits, 100-599, then a space or the line end. */
  const char *sp = memchr(resp, ' ', len);
  long status = 0;
  if(sp && (size_t)(sp - resp) + 4 <= len && sp[1] >= '1' && sp[1] <= '5' &&
     sp[2] >= '0' && sp[2] <= '9' && sp[3] >= '0' && sp[3] <= '9' &&
     ((size_t)(sp - resp) + 4 == len || sp[4] == ' ' || sp[4] == '\r' || sp[4] == '\n'))
    status = (sp[1] - '0') * 100 + (sp[2] - '0') * 10 + (sp[3] - '0');
  /* The body starts after the first blank line, NUL bytes or not. */
  const char *b = memmem(resp, len, "\r\n\r\n", 4);
  if(b)
    *body_off = (size_t)(b + 4 - resp);
  return status;
}

static void parse_response(struct tls_result *r)
{
  r->status = tls_parse_response(r->resp, r->resp_len, &r->body_off);
}

static void do_request(SSL *ssl, int fd, const struct tls_probe_opts *o,
                       struct tls_result *r, double step)
{
  char req[2048];
  int v6 = strchr(o->host, ':') != NULL;
  int n = snprintf(req, sizeof(req),
                   "GET %s HTTP/1.1\r\nHost: %s%s%s:%d\r\nUser-Agent: warden/%s\r\n"
                   "Accept: */*\r\nConnection: close\r\n\r\n",
                   o->path, v6 ? "[" : "", o->host, v6 ? "]" : "", o->port,
                   WARDEN_VERSION);
  if(n <= 0 || (size_t)n >= sizeof(req)) {
    snprintf(r->error, sizeof(r->error), "request line too long");
    return;
  }
  int sslerr = 0;
  if(ssl_step(ssl, fd, OP_WRITE, req, n, mono_now() + step, &sslerr) <= 0) {
    r->refused = 1;
    describe_failure(ssl, r, sslerr, "request not sent");
    return;
  }
  r->resp = xmalloc(TLS_RESP_CAP + 1);
  double deadline = mono_now() + step;
  while(r->resp_len < TLS_RESP_CAP) {
    int got = ssl_step(ssl, fd, OP_READ, r->resp + r->resp_len,
                       (int)(TLS_RESP_CAP - r->resp_len), deadline, &sslerr);
    if(got <= 0) {
      if(got < 0 && r->resp_len == 0) {
        /* Nothing came back: the server refused after the handshake
         * (TLS 1.3 checks the client certificate there), or timed out. */
        if(sslerr != -2)
          r->refused = 1;
        describe_failure(ssl, r, sslerr, "no response");
      }
      break;
    }
    r->resp_len += (size_t)got;
  }
  r->resp[r->resp_len] = '\0';
  parse_response(r);
}

/* The trust store for judging server chains, built once per CA file:
 * loading the system bundle costs ~20 ms, more than the handshake. One
 * cached store (the scanner probes from one thread); it lives until the
 * process ends. */
static X509_STORE *store_cache;
static char *store_path;
static int store_system;
/* Scans of a multi-target run probe from several threads: the cache is
 * read and replaced under this lock, and each caller gets its own
 * reference (X509_STORE_up_ref), so a replaced store outlives its users. */
static pthread_mutex_t store_mu = PTHREAD_MUTEX_INITIALIZER;

static X509_STORE *trust_store_locked(const char *cacert);

/* The store, with a reference the caller gives back (X509_STORE_free). */
static X509_STORE *trust_store(const char *cacert)
{
  pthread_mutex_lock(&store_mu);
  X509_STORE *st = trust_store_locked(cacert);
  if(st)
    X509_STORE_up_ref(st);
  pthread_mutex_unlock(&store_mu);
  return st;
}

static X509_STORE *trust_store_locked(const char *cacert)
{
  if(store_cache && (cacert ? store_path && strcmp(cacert, store_path) == 0
                            : store_system))
    return store_cache;
  X509_STORE_free(store_cache);
  free(store_path);
  store_path = NULL;
  store_system = 0;
  store_cache = X509_STORE_new();
  if(!store_cache)
    return NULL;
  if(cacert) {
    X509_STORE_load_file(store_cache, cacert);
    store_path = xstrdup(cacert);
  } else {
    X509_STORE_set_default_paths(store_cache);
    store_system = 1;
  }
  ERR_clear_error();
  return store_cache;
}

int tls_probe(const struct tls_probe_opts *o, struct tls_result *r,
              char *err, size_t errlen)
{
  memset(r, 0, sizeof(*r));
  r->alert = -1;
  r->verify = -1;
  double t0 = mono_now();
  double step = (double)(o->timeout_ms > 0 ? o->timeout_ms : 3000) / 1000.0;
  SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
  if(!ctx) {
    snprintf(err, errlen, "cannot create a TLS context");
    return -1;
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
  X509_STORE *store = trust_store(o->cacert);
  if(store) {
    SSL_CTX_set1_cert_store(ctx, store);
    X509_STORE_free(store); /* the context holds its own reference */
  }
  ERR_clear_error();
  if(o->ciphers && SSL_CTX_set_cipher_list(ctx, o->ciphers) != 1) {
    ERR_clear_error();
    snprintf(err, errlen, "this OpenSSL offers none of '%s'", o->ciphers);
    SSL_CTX_free(ctx);
    return -1;
  }
  if(o->seclevel0)
    SSL_CTX_set_security_level(ctx, 0);
  if(o->min_version)
    SSL_CTX_set_min_proto_version(ctx, o->min_version);
  if(o->max_version)
    SSL_CTX_set_max_proto_version(ctx, o->max_version);
  SSL_CTX_set_client_cert_cb(ctx, client_cert_cb);
  SSL_CTX_set_info_callback(ctx, info_cb);
  if(o->id && o->id->chain)
    for(int i = 0; i < sk_X509_num(o->id->chain); i++) {
      X509 *x = sk_X509_value(o->id->chain, i);
      X509_up_ref(x);
      if(!SSL_CTX_add_extra_chain_cert(ctx, x))
        X509_free(x);
    }
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);

  struct sigaction ign, old;
  memset(&ign, 0, sizeof(ign));
  ign.sa_handler = SIG_IGN;
  sigaction(SIGPIPE, &ign, &old);

  SSL *ssl = NULL;
  int fd = tcp_connect(o->host, o->port, (long)(step * 1000), r->error,
                       sizeof(r->error));
  if(fd < 0)
    goto out;
  r->connected = 1;
  r->error[0] = '\0';
  ssl = SSL_new(ctx);
  struct probe_ctx pc = {.r = r, .id = o->id};
  if(!ssl || !SSL_set_fd(ssl, fd)) {
    snprintf(r->error, sizeof(r->error), "cannot create a TLS session");
    goto out;
  }
  SSL_set_app_data(ssl, &pc);
  if(!is_ip_literal(o->host))
    SSL_set_tlsext_host_name(ssl, o->host);
  int sslerr = 0;
  if(ssl_step(ssl, fd, OP_CONNECT, NULL, 0, mono_now() + step, &sslerr) <= 0) {
    if(sslerr != -2)
      r->refused = 1;
    describe_failure(ssl, r, sslerr, "handshake failed");
  } else {
    r->handshake = 1;
    r->version_num = SSL_version(ssl);
    snprintf(r->version, sizeof(r->version), "%s", SSL_get_version(ssl));
    snprintf(r->cipher, sizeof(r->cipher), "%s", SSL_get_cipher_name(ssl));
    r->server_cert = SSL_get1_peer_certificate(ssl);
    r->verify = SSL_get_verify_result(ssl);
    if(o->path)
      do_request(ssl, fd, o, r, step);
    SSL_set_app_data(ssl, NULL);
    if(!r->refused)
      SSL_shutdown(ssl);
  }
  SSL_set_app_data(ssl, NULL);
out:
  SSL_free(ssl);
  if(fd >= 0)
    close(fd);
  SSL_CTX_free(ctx);
  ERR_clear_error();
  sigaction(SIGPIPE, &old, NULL);
  r->seconds = mono_now() - t0;
  return 0;
}

void tls_result_cleanup(struct tls_result *r)
{
  X509_free(r->server_cert);
  free(r->resp);
  r->server_cert = NULL;
  r->resp = NULL;
  r->resp_len = 0;
}
