/*
 * fuzz_jwt.c - the JWT decoder on any bytes: decode, and when that works,
 * every forged variant must decode again, and a crack with the built-in
 * list must terminate. The token is a secret, so an error message must
 * never quote it (checked for inputs long enough to tell).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/scan/scan_jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size > JWT_MAX_LEN + 16)
    return 0;
  char *tok = malloc(size + 1);
  if(!tok)
    return 0;
  memcpy(tok, data, size);
  tok[size] = '\0';
  struct wd_jwt j;
  char err[256];
  (void)jwt_looks_like(tok);
  if(jwt_decode(&j, tok, err, sizeof(err)) == 0) {
    for(int k = 0; k < JWT_FORGE__COUNT; k++) {
      char *f = jwt_forge(&j, (enum jwt_forge)k, "secret", 1700000000LL);
      if(f) {
        struct wd_jwt g;
        if(jwt_decode(&g, f, err, sizeof(err)) == 0)
          jwt_free(&g);
        else if(strlen(f) <= JWT_MAX_LEN)
          abort(); /* a forged token of a valid one must decode */
        free(f);
      }
    }
    char out[JWT_CRACK_MAX_WORD + 1];
    if(jwt_hs_bits(j.alg))
      (void)jwt_crack(&j, NULL, out, sizeof(out), err, sizeof(err));
    jwt_free(&j);
  } else if(size >= 16 && strlen(tok) >= 16 && strstr(err, tok)) {
    abort(); /* the error quotes the token */
  }
  size_t ol;
  unsigned char *d = jwt_b64url_decode(tok, strlen(tok), &ol);
  if(d) {
    char *e = jwt_b64url_encode(d, ol);
    free(e);
    free(d);
  }
  free(tok);
  return 0;
}
