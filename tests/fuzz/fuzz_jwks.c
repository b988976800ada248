/*
 * fuzz_jwks.c - the public-key reader on any bytes: as a JWKS document,
 * as PEM text and as an OpenID configuration. Every key it returns must
 * have a PEM and a DER form, and reading that PEM back must give the same
 * DER (the two secrets the key-confusion test signs with).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/scan/scan_jwks.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_keys(const struct jwks *k)
{
  if(k->n > JWKS_MAX_KEYS)
    abort();
  for(size_t i = 0; i < k->n; i++) {
    if(!k->v[i].pemlen || !k->v[i].derlen)
      abort();
    struct jwks back;
    char err[200];
    if(jwks_read_pem(&back, (const char *)k->v[i].pem, k->v[i].pemlen, err, sizeof(err)) ||
       back.n != 1 || back.v[0].derlen != k->v[i].derlen ||
       memcmp(back.v[0].der, k->v[i].der, k->v[i].derlen))
      abort();
    jwks_free(&back);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const char *doc = (const char *)data;
  struct jwks k;
  char err[200];
  if(jwks_parse(&k, doc, size, err, sizeof(err)) == 0) {
    check_keys(&k);
    jwks_free(&k);
  }
  if(jwks_read_pem(&k, doc, size, err, sizeof(err)) == 0) {
    check_keys(&k);
    jwks_free(&k);
  }
  free(jwks_openid_uri(doc, size));
  return 0;
}
