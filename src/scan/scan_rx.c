#define PCRE2_CODE_UNIT_WIDTH 8
#include "scan_rx.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>

#include "../core/core_alloc.h"

struct rx_slot {
  const struct rx *key;
  pcre2_code *code;
};

/* A few dozen patterns per scan: a linear table is enough (the lookup
 * is a pointer comparison per entry, next to a regex match). */
struct rx_cache {
  struct rx_slot *v;
  size_t n, cap;
};

struct rx_cache *rx_cache_new(void)
{
  return xcalloc(1, sizeof(struct rx_cache));
}

void rx_cache_free(struct rx_cache *c)
{
  if(!c)
    return;
  for(size_t i = 0; i < c->n; i++)
    pcre2_code_free(c->v[i].code);
  free(c->v);
  free(c);
}

static pcre2_code *rx_compile(struct rx_cache *c, const struct rx *r)
{
  for(size_t i = 0; i < c->n; i++)
    if(c->v[i].key == r)
      return c->v[i].code;
  int errcode;
  PCRE2_SIZE erroff;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
                                   r->flags, &errcode, &erroff, NULL);
  if(!code) {
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(errcode, msg, sizeof(msg));
    fprintf(stderr, "warden: bug: pattern %s does not compile at %zu: %s\n",
            r->pattern, (size_t)erroff, (char *)msg);
    abort();
  }
  /* JIT is an optimisation; without it matching is slower, not wrong. */
  (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  c->v = xgrow(c->v, &c->cap, c->n + 1, sizeof(*c->v));
  c->v[c->n].key = r;
  c->v[c->n].code = code;
  c->n++;
  return code;
}

int rx_search(struct rx_cache *c, const struct rx *r, const char *subject, size_t n,
              size_t start, size_t *mo, size_t *ml)
{
  pcre2_code *code = rx_compile(c, r);
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
  /* PCRE2_NO_UTF_CHECK is not set: bodies are arbitrary bytes and the
   * patterns are not compiled in UTF mode, so every byte is a char. */
  int rc = pcre2_match(code, (PCRE2_SPTR)subject, n, start, 0, md, NULL);
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

int rx_search_both(struct rx_cache *c, const struct rx *r, const struct rx *also,
                   const char *subject, size_t n, size_t *mo, size_t *ml)
{
  size_t o2, l2;
  if(!rx_search(c, r, subject, n, 0, mo, ml))
    return 0;
  return !also->pattern || rx_search(c, also, subject, n, 0, &o2, &l2);
}

int rx_count(struct rx_cache *c, const struct rx *r, const char *subject, size_t n, int max)
{
  size_t start = 0, mo, ml;
  int k = 0;
  while(k < max && start <= n && rx_search(c, r, subject, n, start, &mo, &ml)) {
    k++;
    start = mo + (ml ? ml : 1);
  }
  return k;
}
