/*
 * core_buf.h - a growable byte buffer with a hard cap.
 *
 * Everything that comes from a target (bodies, headers) lands in one of
 * these, so a hostile peer can never make warden's memory grow past the
 * cap. The data is always NUL-terminated so text matchers can use it.
 * Ownership: the caller owns the struct (buf_init/buf_cleanup).
 */
#ifndef WD_CORE_BUF_H
#define WD_CORE_BUF_H
#include <stddef.h>

struct buf {
  char *data;    /* NUL-terminated; NULL until the first append */
  size_t len;
  size_t cap;    /* allocated bytes */
  size_t limit;  /* hard cap on len; 0 = unlimited */
  int truncated; /* set once an append hit the limit */
};

void buf_init(struct buf *b, size_t limit);
void buf_cleanup(struct buf *b);
/* Appends up to the limit. Returns 0, or -1 when data was cut (and sets
 * truncated). */
int buf_append(struct buf *b, const void *data, size_t n);
int buf_appendz(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
/* Returns the data, or "" for an empty buffer; borrowed. */
const char *buf_str(const struct buf *b);
/* Hands the string to the caller (who frees it) and resets the buffer. */
char *buf_steal(struct buf *b);

#endif
