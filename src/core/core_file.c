/*
 * core_file.c - the one whole-file reader (core_file.h).
 */
#include "core_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core_alloc.h"

char *file_read_all(FILE *f, size_t max, size_t *len, char *err, size_t errlen)
{
  /* Room for max + 1 bytes at most: the one past max says "too big". */
  size_t cap = max < 65536 ? max + 1 : 65536, n = 0;
  char *b = xmalloc(cap + 1);
  for(;;) {
    if(n == cap) {
      if(cap > max) {
        free(b);
        if(max % (1u << 20) == 0)
          snprintf(err, errlen, "larger than %zu MiB", max >> 20);
        else
          snprintf(err, errlen, "larger than %zu bytes", max);
        return NULL;
      }
      cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
      b = xrealloc(b, cap + 1);
    }
    size_t r = fread(b + n, 1, cap - n, f);
    n += r;
    if(r == 0)
      break;
  }
  if(ferror(f)) {
    free(b);
    snprintf(err, errlen, "read error: %s", strerror(errno));
    return NULL;
  }
  b[n] = '\0';
  *len = n;
  return b;
}
