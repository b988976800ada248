/*
 * fuzz_mask.c - scan_mask() on any text, with and without user secrets.
 *
 * Input: "SECRET1\nSECRET2\nTEXT". Both secrets are registered as a
 * credential would be; TEXT is masked. Invariant: no registered secret
 * (4+ characters, no '*') appears in the masked text, whatever the text
 * and the built-in patterns did to it first.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/scan/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *take_line(const char **p, const char *end, int last)
{
  const char *nl = last ? NULL : memchr(*p, '\n', (size_t)(end - *p));
  const char *e = nl ? nl : end;
  size_t n = (size_t)(e - *p);
  char *s = malloc(n + 1);
  if(!s)
    abort();
  memcpy(s, *p, n);
  s[n] = '\0';
  *p = nl ? nl + 1 : end;
  return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size > 64 * 1024)
    return 0;
  const char *p = (const char *)data, *end = p + size;
  char *s1 = take_line(&p, end, 0);
  char *s2 = take_line(&p, end, 0);
  char *text = take_line(&p, end, 1);
  struct scan s;
  memset(&s, 0, sizeof(s));
  scan_add_secret(&s, s1);
  scan_add_secret(&s, s2);
  char *m0 = scan_mask(NULL, text);
  char *m = scan_mask(&s, text);
  for(size_t i = 0; i < s.mask.n; i++)
    if(!strchr(s.mask.vals[i], '*') && strstr(m, s.mask.vals[i]))
      abort(); /* a secret survived masking */
  free(m0);
  free(m);
  mask_cleanup(&s.mask);
  free(s1);
  free(s2);
  free(text);
  return 0;
}
