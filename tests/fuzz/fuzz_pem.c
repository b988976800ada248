/*
 * fuzz_pem.c - PEM and certificate loading: the user's --cert/--key
 * (tls_identity_load_mem) and the facts warden reads from a server's
 * certificate (name, dates, self-signed, host match), which come from
 * whoever answers the handshake.
 *
 * Input: "CERT-PEM\n%%\nKEY-PEM"; without the separator the same bytes
 * are both (a file that holds the certificate and its key).
 */
#include <stdint.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "../../src/net/net_tls.h"

static void cert_facts(const uint8_t *data, size_t size)
{
  BIO *b = BIO_new_mem_buf(data, (int)size);
  if(!b)
    return;
  X509 *x = PEM_read_bio_X509(b, NULL, NULL, (void *)"");
  BIO_free(b);
  if(!x)
    return;
  char buf[256];
  tls_name_oneline(X509_get_subject_name(x), buf, sizeof(buf));
  tls_name_oneline(X509_get_issuer_name(x), buf, sizeof(buf));
  tls_cert_not_after(x, buf, sizeof(buf));
  (void)tls_cert_expired(x);
  (void)tls_cert_self_signed(x, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT);
  (void)tls_cert_matches_host(x, "127.0.0.1");
  (void)tls_cert_matches_host(x, "api.example.com");
  X509_free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size > 256 * 1024)
    return 0;
  const uint8_t *key = data;
  size_t certlen = size, keylen = size;
  const uint8_t *sep = size >= 4 ? memmem(data, size, "\n%%\n", 4) : NULL;
  if(sep) {
    certlen = (size_t)(sep - data);
    key = sep + 4;
    keylen = size - certlen - 4;
  }
  struct tls_identity id;
  char err[256];
  if(tls_identity_load_mem(&id, data, certlen, key, keylen, err, sizeof(err)) == 0)
    tls_identity_cleanup(&id);
  cert_facts(data, certlen);
  ERR_clear_error();
  return 0;
}
