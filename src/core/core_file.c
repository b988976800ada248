/*
 * core_file.c - the one whole-file reader (core_file.h).
 */
#include "core_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core_alloc.h"

static void too_large(size_t max, char *err, size_t errlen)
{
  if(max % (1u << 20) == 0)
    snprintf(err, errlen, "larger than %zu MiB", max >> 20);
  else
    snprintf(err, errlen, "larger than %zu bytes", max);
}

char *file_read_all(FILE *f, size_t max, size_t *len, char *err, size_t errlen)
{
  /* Room for max + 1 bytes at most: the one past max says "too big". */
  size_t cap = max < 65536 ? max + 1 : 65536, n = 0;
  char *b = xmalloc(cap + 1);
  for(;;) {
    if(n == cap) {
      if(cap > max) {
        free(b);
        too_large(max, err, errlen);
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

int file_read_path(const char *path, size_t max, char **buf, size_t *cap, size_t *len,
                   char *err, size_t errlen)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if(fd < 0) {
    snprintf(err, errlen, "cannot read: %s", strerror(errno));
    return -1;
  }
  /* The size fstat gives is a hint (a pipe or /proc file says 0, a file
   * may grow): read to the end whatever it says, max + 1 bytes at most. */
  struct stat st;
  size_t want = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
                (unsigned long long)st.st_size <= max ? (size_t)st.st_size + 1 : 4096;
  size_t n = 0;
  for(;;) {
    if(want + 1 > *cap || !*buf) {
      size_t nc = *cap ? *cap : 4096;
      while(nc < want + 1)
        nc *= 2;
      *buf = xrealloc(*buf, nc);
      *cap = nc;
    }
    size_t room = *cap - 1 - n;
    if(room > max + 1 - n)
      room = max + 1 - n;
    ssize_t r = read(fd, *buf + n, room);
    if(r < 0) {
      if(errno == EINTR)
        continue;
      snprintf(err, errlen, "read error: %s", strerror(errno));
      close(fd);
      return -1;
    }
    if(r == 0)
      break;
    n += (size_t)r;
    if(n > max) {
      close(fd);
      too_large(max, err, errlen);
      return -1;
    }
    if(n == *cap - 1)
      want = *cap * 2 > max + 1 ? max + 1 : *cap * 2;
  }
  close(fd);
  (*buf)[n] = '\0';
  *len = n;
  return 0;
}
