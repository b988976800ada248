/* Unit tests: forged client certificates, PEM loading and the startup
 * checks of --cert/--key/--cacert, certificate facts, and tls_probe
 * against an in-test OpenSSL server on 127.0.0.1 (a forked child). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "../../src/net/net_tls.h"

static char *pem_of_cert(X509 *x, size_t *len)
{
  BIO *b = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(b, x);
  char *p;
  long l = BIO_get_mem_data(b, &p);
  char *out = malloc((size_t)l + 1);
  memcpy(out, p, (size_t)l);
  out[l] = '\0';
  *len = (size_t)l;
  BIO_free(b);
  return out;
}

static char *pem_of_key(EVP_PKEY *k, size_t *len)
{
  BIO *b = BIO_new(BIO_s_mem());
  PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL);
  char *p;
  long l = BIO_get_mem_data(b, &p);
  char *out = malloc((size_t)l + 1);
  memcpy(out, p, (size_t)l);
  out[l] = '\0';
  *len = (size_t)l;
  BIO_free(b);
  return out;
}

static void forge_kinds(void **state)
{
  (void)state;
  struct tls_identity ss, ex, ne;
  assert_int_equal(tls_identity_forge(&ss, TLS_FORGE_SELF_SIGNED, NULL), 0);
  assert_int_equal(tls_identity_forge(&ex, TLS_FORGE_EXPIRED, NULL), 0);
  assert_int_equal(tls_identity_forge(&ne, TLS_FORGE_NO_EKU, ss.cert), 0);
  assert_int_equal(X509_check_private_key(ss.cert, ss.key), 1);
  assert_int_equal(X509_NAME_cmp(X509_get_subject_name(ss.cert),
                                 X509_get_issuer_name(ss.cert)), 0);
  assert_int_equal(X509_verify(ss.cert, ss.key), 1);
  assert_false(tls_cert_expired(ss.cert));
  assert_true(tls_cert_expired(ex.cert));
  /* clientAuth present, then serverAuth only. */
  assert_int_equal(X509_check_purpose(ss.cert, X509_PURPOSE_SSL_CLIENT, 0), 1);
  assert_int_equal(X509_check_purpose(ne.cert, X509_PURPOSE_SSL_CLIENT, 0), 0);
  /* The subject is copied from "like", under a different key. */
  assert_int_equal(X509_NAME_cmp(X509_get_subject_name(ne.cert),
                                 X509_get_subject_name(ss.cert)), 0);
  assert_int_not_equal(X509_check_private_key(ne.cert, ss.key), 1);
  char name[128];
  tls_name_oneline(X509_get_subject_name(ss.cert), name, sizeof(name));
  assert_string_equal(name, "CN=warden-probe");
  assert_true(tls_cert_matches_host(ss.cert, "warden-probe"));
  assert_false(tls_cert_matches_host(ss.cert, "other.example"));
  assert_false(tls_cert_matches_host(ss.cert, "127.0.0.1"));
  /* A self-signed certificate is only "self-signed" when not trusted. */
  assert_true(tls_cert_self_signed(ss.cert, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT));
  assert_false(tls_cert_self_signed(ss.cert, X509_V_OK));
  char na[64];
  tls_cert_not_after(ex.cert, na, sizeof(na));
  assert_true(strstr(na, " UTC") != NULL);
  tls_identity_cleanup(&ss);
  tls_identity_cleanup(&ex);
  tls_identity_cleanup(&ne);
  tls_identity_cleanup(&ne); /* twice is harmless */
}

static void load_mem(void **state)
{
  (void)state;
  struct tls_identity a, b, id;
  assert_int_equal(tls_identity_forge(&a, TLS_FORGE_SELF_SIGNED, NULL), 0);
  assert_int_equal(tls_identity_forge(&b, TLS_FORGE_SELF_SIGNED, NULL), 0);
  size_t cl, kl, bl;
  char *c = pem_of_cert(a.cert, &cl);
  char *k = pem_of_key(a.key, &kl);
  char *bk = pem_of_key(b.key, &bl);
  char err[256];
  assert_int_equal(tls_identity_load_mem(&id, c, cl, k, kl, err, sizeof(err)), 0);
  assert_int_equal(X509_cmp(id.cert, a.cert), 0);
  tls_identity_cleanup(&id);
  assert_int_equal(tls_identity_load_mem(&id, c, cl, bk, bl, err, sizeof(err)), -1);
  assert_true(strstr(err, "does not match") != NULL);
  assert_int_equal(tls_identity_load_mem(&id, "junk", 4, k, kl, err, sizeof(err)), -1);
  assert_true(strstr(err, "not a PEM certificate") != NULL);
  assert_int_equal(tls_identity_load_mem(&id, c, cl, "junk", 4, err, sizeof(err)), -1);
  assert_true(strstr(err, "not an unencrypted PEM private key") != NULL);
  assert_null(id.cert);
  free(c);
  free(k);
  free(bk);
  tls_identity_cleanup(&a);
  tls_identity_cleanup(&b);
}

static void write_file(const char *path, const char *s)
{
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(s, f);
  fclose(f);
}

static void check_files(void **state)
{
  (void)state;
  struct tls_identity a, b;
  assert_int_equal(tls_identity_forge(&a, TLS_FORGE_SELF_SIGNED, NULL), 0);
  assert_int_equal(tls_identity_forge(&b, TLS_FORGE_SELF_SIGNED, NULL), 0);
  char dir[] = "/tmp/warden-tls-XXXXXX";
  assert_non_null(mkdtemp(dir));
  char cert[64], key[64], other[64], junk[64];
  snprintf(cert, sizeof(cert), "%s/c.pem", dir);
  snprintf(key, sizeof(key), "%s/k.pem", dir);
  snprintf(other, sizeof(other), "%s/o.pem", dir);
  snprintf(junk, sizeof(junk), "%s/j.pem", dir);
  size_t l;
  char *s = pem_of_cert(a.cert, &l);
  write_file(cert, s);
  free(s);
  s = pem_of_key(a.key, &l);
  write_file(key, s);
  free(s);
  s = pem_of_key(b.key, &l);
  write_file(other, s);
  free(s);
  write_file(junk, "not pem\n");
  char err[512];
  assert_int_equal(tls_check_files(cert, key, cert, err, sizeof(err)), 0);
  assert_int_equal(tls_check_files(NULL, NULL, NULL, err, sizeof(err)), 0);
  assert_int_equal(tls_check_files(cert, other, NULL, err, sizeof(err)), -1);
  char want[256];
  snprintf(want, sizeof(want), "--key %s: does not match --cert %s", other, cert);
  assert_string_equal(err, want);
  assert_int_equal(tls_check_files(junk, key, NULL, err, sizeof(err)), -1);
  assert_true(strncmp(err, "--cert ", 7) == 0 && strstr(err, junk));
  assert_int_equal(tls_check_files(NULL, NULL, junk, err, sizeof(err)), -1);
  assert_true(strncmp(err, "--cacert ", 9) == 0 && strstr(err, "no PEM certificate"));
  assert_int_equal(tls_check_files(NULL, NULL, "/nonexistent/ca.pem", err, sizeof(err)), -1);
  assert_true(strstr(err, "/nonexistent/ca.pem") != NULL);
  unlink(cert);
  unlink(key);
  unlink(other);
  unlink(junk);
  rmdir(dir);
  tls_identity_cleanup(&a);
  tls_identity_cleanup(&b);
}

/* ---- an in-test server --------------------------------------------------
 * The child accepts n connections, one after the other; it asks for a
 * client certificate (accepting any) and answers "200" with the client's
 * CN, or "401" without one. alarm() bounds its life. */
static int verify_any(int ok, X509_STORE_CTX *c)
{
  (void)ok;
  (void)c;
  return 1;
}

static void serve(int lfd, int n)
{
  alarm(20);
  struct tls_identity srv;
  if(tls_identity_forge(&srv, TLS_FORGE_SELF_SIGNED, NULL))
    _exit(1);
  SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
  SSL_CTX_use_certificate(ctx, srv.cert);
  SSL_CTX_use_PrivateKey(ctx, srv.key);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_any);
  for(int i = 0; i < n; i++) {
    int fd = accept(lfd, NULL, NULL);
    if(fd < 0)
      _exit(1);
    SSL *ssl = SSL_new(ctx);
    SSL_set_fd(ssl, fd);
    if(SSL_accept(ssl) == 1) {
      char buf[2048];
      SSL_read(ssl, buf, sizeof(buf));
      X509 *peer = SSL_get1_peer_certificate(ssl);
      char resp[512], cn[128] = "";
      if(peer)
        X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, cn, sizeof(cn));
      snprintf(resp, sizeof(resp), "HTTP/1.1 %s\r\nContent-Type: text/plain\r\n"
               "Connection: close\r\n\r\nclient=%s\n", peer ? "200 OK" : "401 Unauthorized", cn);
      SSL_write(ssl, resp, (int)strlen(resp));
      X509_free(peer);
      SSL_shutdown(ssl);
    }
    SSL_free(ssl);
    close(fd);
  }
  _exit(0);
}

static int listen_local(int *port)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in a;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
  assert_int_equal(listen(fd, 8), 0);
  socklen_t l = sizeof(a);
  getsockname(fd, (struct sockaddr *)&a, &l);
  *port = ntohs(a.sin_port);
  return fd;
}

static void probe_local_server(void **state)
{
  (void)state;
  int port;
  int lfd = listen_local(&port);
  pid_t pid = fork();
  assert_true(pid >= 0);
  if(pid == 0)
    serve(lfd, 2);
  close(lfd);
  struct tls_probe_opts o;
  memset(&o, 0, sizeof(o));
  o.host = "127.0.0.1";
  o.port = port;
  o.timeout_ms = 3000;
  o.path = "/admin";
  struct tls_result r;
  char err[256];
  assert_int_equal(tls_probe(&o, &r, err, sizeof(err)), 0);
  assert_true(r.connected && r.handshake && !r.refused);
  assert_true(r.cert_requested);
  assert_false(r.cert_sent);
  assert_int_equal(r.status, 401);
  assert_non_null(r.server_cert);
  assert_int_equal(r.verify, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
  assert_true(tls_cert_self_signed(r.server_cert, r.verify));
  assert_true(r.version[0] && r.cipher[0]);
  tls_result_cleanup(&r);

  struct tls_identity id;
  assert_int_equal(tls_identity_forge(&id, TLS_FORGE_EXPIRED, NULL), 0);
  o.id = &id;
  assert_int_equal(tls_probe(&o, &r, err, sizeof(err)), 0);
  assert_true(r.cert_requested && r.cert_sent);
  assert_int_equal(r.status, 200);
  assert_true(strstr(r.resp + r.body_off, "client=warden-probe") != NULL);
  tls_result_cleanup(&r);
  tls_identity_cleanup(&id);
  int st;
  assert_int_equal(waitpid(pid, &st, 0), pid);
  assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);

  /* Nobody listens any more: not connected, no crash. */
  assert_int_equal(tls_probe(&o, &r, err, sizeof(err)), 0);
  assert_false(r.connected);
  assert_true(r.error[0] != '\0');
  tls_result_cleanup(&r);
  /* A cipher list this library cannot offer is a setup error. */
  o.ciphers = "NO-SUCH-SUITE";
  assert_int_equal(tls_probe(&o, &r, err, sizeof(err)), -1);
  tls_result_cleanup(&r);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(forge_kinds),
    cmocka_unit_test(load_mem),
    cmocka_unit_test(check_files),
    cmocka_unit_test(probe_local_server),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
