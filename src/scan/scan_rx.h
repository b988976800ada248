/*
 * scan_rx.h - PCRE2 patterns, compiled once per scan, JIT where available.
 *
 * A pattern is constant data (struct rx: the text and the compile
 * flags), declared `static const` by the check that uses it. What is
 * compiled from it lives in a cache owned by the scan (s->rx), keyed by
 * the descriptor's address, so nothing mutable sits at file scope. A
 * pattern that does not compile is a bug in warden, so it aborts with
 * the pattern and PCRE2's reason.
 */
#ifndef WD_SCAN_RX_H
#define WD_SCAN_RX_H
#include <stddef.h>

struct rx {
  const char *pattern;
  unsigned flags;  /* PCRE2 compile options */
};

#define RX(p) {(p), 0}
#define RX_I(p) {(p), 0x00000008u /* PCRE2_CASELESS */}
#define RX_MI(p) {(p), 0x00000008u | 0x00000400u /* CASELESS|MULTILINE */}
#define RX_M(p) {(p), 0x00000400u /* PCRE2_MULTILINE */}

/* Compiled patterns, by the address of their descriptor. */
struct rx_cache;
struct rx_cache *rx_cache_new(void);
void rx_cache_free(struct rx_cache *c);

/* Searches subject[start..n). On a match returns 1 and sets *mo (offset)
 * and *ml (length) of the whole match; else 0. */
int rx_search(struct rx_cache *c, const struct rx *r, const char *subject, size_t n,
              size_t start, size_t *mo, size_t *ml);
/* Searches for r and, if also->pattern is set, requires also to match
 * somewhere too (a second signal that keeps one-token matches honest).
 * The match reported is r's. */
int rx_search_both(struct rx_cache *c, const struct rx *r, const struct rx *also,
                   const char *subject, size_t n, size_t *mo, size_t *ml);
/* Counts matches, at most max. */
int rx_count(struct rx_cache *c, const struct rx *r, const char *subject, size_t n, int max);

#endif
