#define PCRE2_CODE_UNIT_WIDTH 8
#include "scan_rx.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

static pcre2_code *rx_compile(struct rx *r)
{
  if(r->code)
    return r->code;
  int errcode;
  PCRE2_SIZE erroff;
  pcre2_code *c = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
                                r->flags, &errcode, &erroff, NULL);
  if(!c) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(errcode, msg, sizeof(msg));
    fprintf(stderr, "warden: bug: pattern %s does not compile at %zu: %s\n",
            r->pattern, (size_t)erroff, (char *)msg);
    abort();
  }
  /* JIT is an optimisation; without it matching is slower, not wrong. */
  (void)pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
  r->code = c;
  return c;
}

int rx_search(struct rx *r, const char *subject, size_t n, size_t start,
              size_t *mo, size_t *ml)
{
  pcre2_code *c = rx_compile(r);
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(c, NULL);
  /* PCRE2_NO_UTF_CHECK is not set: bodies are arbitrary bytes and the
   * patterns are not compiled in UTF mode, so every byte is a char. */
  int rc = pcre2_match(c, (PCRE2_SPTR)subject, n, start, 0, md, NULL);
  int hit = 0;
  if(rc > 0) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    *mo = ov[0];
    *ml = ov[1] - ov[0];
    hit = 1;
  }
  pcre2_match_data_free(md);
  return hit;
}

int rx_search_both(struct rx *r, struct rx *also, const char *subject,
                   size_t n, size_t *mo, size_t *ml)
{
  size_t o2, l2;
  if(!rx_search(r, subject, n, 0, mo, ml))
    return 0;
  return !also->pattern || rx_search(also, subject, n, 0, &o2, &l2);
}

int rx_count(struct rx *r, const char *subject, size_t n, int max)
{
  size_t start = 0, mo, ml;
  int k = 0;
  while(k < max && start <= n && rx_search(r, subject, n, start, &mo, &ml)) {
    k++;
    start = mo + (ml ? ml : 1);
  }
  return k;
}

void rx_free(struct rx *r)
{
  if(r->code)
    pcre2_code_free(r->code);
  r->code = NULL;
}
