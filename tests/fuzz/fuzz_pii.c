/*
 * fuzz_pii.c - the body matchers of the sensitive-data check on any
 * bytes: pii_find (cards, IBANs, e-mails, phones) and mask_find (secret
 * formats). Invariants: every hit lies inside the input, in order, with
 * a non-empty span; a card hit passes the Luhn check; an IBAN hit passes
 * the mod-97 check; a national id hit passes its own check, as written,
 * and names the format that did.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/core_mask.h"
#include "../../src/core/core_pii.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size > 256 * 1024)
    return 0;
  const char *s = (const char *)data;
  struct pii_hit h[64];
  size_t n = pii_find(s, size, h, 64);
  size_t last = 0;
  for(size_t i = 0; i < n && i < 64; i++) {
    if(h[i].from >= h[i].to || h[i].to > size)
      abort();
    if(i && h[i].from < last && h[i].kind != PII_EMAIL)
      abort();
    last = h[i].to;
    char d[40];
    size_t nd = 0;
    for(size_t k = h[i].from; k < h[i].to && nd < sizeof(d); k++)
      if(s[k] != ' ' && s[k] != '-')
        d[nd++] = s[k];
    if(h[i].kind == PII_CARD && (!pii_luhn(d, nd) || !pii_card_brand(d, nd)))
      abort();
    if(h[i].kind == PII_IBAN && !pii_iban_valid(d, nd))
      abort();
    if(h[i].kind == PII_NATID) {
      const char *b = pii_natid_valid(s + h[i].from, h[i].to - h[i].from);
      if(!b || !h[i].brand || strcmp(b, h[i].brand))
        abort();
    }
  }
  struct mask_found f[64];
  size_t m = mask_find(s, size, f, 64);
  for(size_t i = 0; i < m && i < 64; i++)
    if(f[i].from >= f[i].to || f[i].to > size || !f[i].kind)
      abort();
  return 0;
}
