#include "core_buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_alloc.h"

void buf_init(struct buf *b, size_t limit)
{
  memset(b, 0, sizeof(*b));
  b->limit = limit;
}

void buf_cleanup(struct buf *b)
{
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

void buf_reset(struct buf *b)
{
  b->len = 0;
  b->truncated = 0;
  if(b->data)
    b->data[0] = '\0';
}

int buf_append(struct buf *b, const void *data, size_t n)
{
  int cut = 0;
  if(b->limit && b->len + n > b->limit) {
    n = b->limit > b->len ? b->limit - b->len : 0;
    cut = 1;
    b->truncated = 1;
  }
  if(b->len + n + 1 > b->cap)
    b->data = xgrow(b->data, &b->cap, b->len + n + 1, 1);
  if(n)
    memcpy(b->data + b->len, data, n);
  b->len += n;
  b->data[b->len] = '\0';
  return cut ? -1 : 0;
}

int buf_appendz(struct buf *b, const char *s)
{
  return buf_append(b, s, strlen(s));
}

int buf_printf(struct buf *b, const char *fmt, ...)
{
  char small[256];
  size_t n;
  va_list ap;
  va_start(ap, fmt);
  char *s = xvformat(small, sizeof(small), &n, fmt, ap);
  va_end(ap);
  if(!s)
    return -1;
  int rc = buf_append(b, s, n);
  if(s != small)
    free(s);
  return rc;
}

const char *buf_str(const struct buf *b)
{
  return b->data ? b->data : "";
}

char *buf_steal(struct buf *b)
{
  char *s = b->data ? b->data : xstrdup("");
  b->data = NULL;
  b->len = b->cap = 0;
  b->truncated = 0;
  return s;
}
