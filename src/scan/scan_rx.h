/*
 * scan_rx.h - PCRE2 patterns compiled once, JIT where available.
 *
 * Checks declare their patterns as static struct rx values; the first
 * search compiles them. A pattern that does not compile is a bug in
 * warden, so it aborts with the pattern and PCRE2's reason.
 */
#ifndef WD_SCAN_RX_H
#define WD_SCAN_RX_H
#include <stddef.h>

struct rx {
  const char *pattern;
  unsigned flags;  /* PCRE2 compile options */
  void *code;      /* pcre2_code_8 *, compiled on first use */
};

#define RX(p) {(p), 0, NULL}
#define RX_I(p) {(p), 0x00000008u /* PCRE2_CASELESS */, NULL}
#define RX_MI(p) {(p), 0x00000008u | 0x00000400u /* CASELESS|MULTILINE */, NULL}
#define RX_M(p) {(p), 0x00000400u /* PCRE2_MULTILINE */, NULL}

/* Searches subject[start..n). On a match returns 1 and sets *mo (offset)
 * and *ml (length) of the whole match; else 0. */
int rx_search(struct rx *r, const char *subject, size_t n, size_t start,
              size_t *mo, size_t *ml);
/* Searches for r and, if also->pattern is set, requires also to match
 * somewhere too (a second signal that keeps one-token matches honest).
 * The match reported is r's. */
int rx_search_both(struct rx *r, struct rx *also, const char *subject,
                   size_t n, size_t *mo, size_t *ml);
/* Counts matches, at most max. */
int rx_count(struct rx *r, const char *subject, size_t n, int max);
void rx_free(struct rx *r);

#endif
