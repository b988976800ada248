#include "core_alloc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void xoom(size_t n)
{
  fprintf(stderr, "warden: out of memory (%zu bytes)\n", n);
  abort();
}

void *xmalloc(size_t n)
{
  void *p = malloc(n ? n : 1);
  if(!p)
    xoom(n);
  return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
  void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
  if(!p)
    xoom(nmemb * size);
  return p;
}

void *xrealloc(void *p, size_t n)
{
  void *q = realloc(p, n ? n : 1);
  if(!q)
    xoom(n);
  return q;
}

void *xgrow(void *p, size_t *cap, size_t need, size_t elemsize)
{
  size_t c = *cap;
  if(need <= c)
    return p;
  if(c < 8)
    c = 8;
  while(c < need) {
    if(c > SIZE_MAX / 2)
      xoom(SIZE_MAX);
    c *= 2;
  }
  if(c > SIZE_MAX / elemsize)
    xoom(SIZE_MAX);
  p = xrealloc(p, c * elemsize);
  *cap = c;
  return p;
}

char *xstrdup(const char *s)
{
  return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *xvformat(char *tmp, size_t tmpsize, size_t *len, const char *fmt, va_list ap)
{
  /* Most strings are short: formatted once into tmp; a longer one is
   * formatted again into a buffer of its size. */
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(tmp, tmpsize, fmt, ap2);
  va_end(ap2);
  if(n < 0)
    return NULL;
  *len = (size_t)n;
  if((size_t)n < tmpsize)
    return tmp;
  char *p = xmalloc((size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
  char tmp[256];
  size_t n;
  char *p = xvformat(tmp, sizeof(tmp), &n, fmt, ap);
  if(!p)
    xoom(0);
  return p == tmp ? xstrndup(tmp, n) : p;
}

void strv_free(char **v, size_t n)
{
  if(!v)
    return;
  for(size_t i = 0; i < n; i++)
    free(v[i]);
  free(v);
}

char *xconcat(const char *s, ...)
{
  va_list ap;
  size_t n = 0;
  va_start(ap, s);
  for(const char *p = s; p; p = va_arg(ap, const char *))
    n += strlen(p);
  va_end(ap);
  char *out = xmalloc(n + 1), *o = out;
  va_start(ap, s);
  for(const char *p = s; p; p = va_arg(ap, const char *)) {
    size_t l = strlen(p);
    memcpy(o, p, l);
    o += l;
  }
  va_end(ap);
  *o = '\0';
  return out;
}

char *xasprintf(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *p = xvasprintf(fmt, ap);
  va_end(ap);
  return p;
}
