#define PCRE2_CODE_UNIT_WIDTH 8
#include "scan_rx.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../core/core_alloc.h"

struct rx_slot {
  const struct rx *key;
  pcre2_code *code;
  pcre2_match_data *md; /* sized for the pattern, reused by every match */
  size_t minlen;        /* no match is shorter (PCRE2_INFO_MINLENGTH) */
};

/* The compiled patterns, and an open-addressing index of them by the
 * descriptor's address (every judge looks up a dozen patterns per
 * response: a linear walk over them all cost more than the matches). */
struct rx_cache {
  struct rx_slot *v;
  size_t n, cap;
  size_t *idx;   /* 1 + index into v, or 0: empty; nidx is a power of 2 */
  size_t nidx;
};

static size_t rx_hash(const struct rx *r, size_t nidx)
{
  unsigned long long h = (unsigned long long)(uintptr_t)r * 0x9e3779b97f4a7c15ULL;
  return (size_t)(h >> 32) & (nidx - 1);
}

static void rx_index(struct rx_cache *c, size_t i)
{
  size_t k = rx_hash(c->v[i].key, c->nidx);
  while(c->idx[k])
    k = (k + 1) & (c->nidx - 1);
  c->idx[k] = i + 1;
}

struct rx_cache *rx_cache_new(void)
{
  return xcalloc(1, sizeof(struct rx_cache));
}

void rx_cache_free(struct rx_cache *c)
{
  if(!c)
    return;
  for(size_t i = 0; i < c->n; i++) {
    pcre2_match_data_free(c->v[i].md);
    pcre2_code_free(c->v[i].code);
  }
  free(c->idx);
  free(c->v);
  free(c);
}

static const struct rx_slot *rx_compile(struct rx_cache *c, const struct rx *r)
{
  if(c->nidx) {
    for(size_t k = rx_hash(r, c->nidx); c->idx[k]; k = (k + 1) & (c->nidx - 1))
      if(c->v[c->idx[k] - 1].key == r)
        return &c->v[c->idx[k] - 1];
  }
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
  /* A lower bound PCRE2 computes from the pattern: a subject with fewer
   * characters left cannot match, so it is not handed to the matcher
   * (small bodies meet dozens of patterns whose shortest match is
   * longer than they are). 0 when PCRE2 does not know one. */
  uint32_t minlen = 0;
  if(pcre2_pattern_info(code, PCRE2_INFO_MINLENGTH, &minlen) != 0)
    minlen = 0;
  c->v[c->n].minlen = minlen;
  /* One match block per pattern, made once: a match allocates nothing. */
  c->v[c->n].md = pcre2_match_data_create_from_pattern(code, NULL);
  if(!c->v[c->n].md)
    xoom(0);
  c->n++;
  /* At most half full. */
  if(2 * c->n > c->nidx) {
    free(c->idx);
    c->nidx = c->nidx ? 2 * c->nidx : 64;
    c->idx = xcalloc(c->nidx, sizeof(*c->idx));
    for(size_t i = 0; i < c->n; i++)
      rx_index(c, i);
  } else {
    rx_index(c, c->n - 1);
  }
  return &c->v[c->n - 1];
}

int rx_search(struct rx_cache *c, const struct rx *r, const char *subject, size_t n,
              size_t start, size_t *mo, size_t *ml)
{
  const struct rx_slot *sl = rx_compile(c, r);
  if(start > n || n - start < sl->minlen)
    return 0;
  pcre2_match_data *md = sl->md;
  /* PCRE2_NO_UTF_CHECK is not set: bodies are arbitrary bytes and the
   * patterns are not compiled in UTF mode, so every byte is a char. */
  int rc = pcre2_match(sl->code, (PCRE2_SPTR)subject, n, start, 0, md, NULL);
  int hit = 0;
  if(rc > 0) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    *mo = ov[0];
    *ml = ov[1] - ov[0];
    hit = 1;
  }
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
