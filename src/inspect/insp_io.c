/*
 * insp_io.c - reading the live system or a captured tree the same way.
 *
 * Nothing here writes: files are opened O_RDONLY, writability is asked
 * of access(2), and a captured tree answers from its .capture/ lists.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/core_alloc.h"
#include "insp_int.h"

/* ROOT + path into out; -1 if it does not fit. */
static int io_path(struct insp *in, const char *path, char *out, size_t outsz)
{
  int n = snprintf(out, outsz, "%s%s", in->root, path);
  if(n < 0 || (size_t)n >= outsz) {
    errno = ENAMETOOLONG;
    return -1;
  }
  return 0;
}

int insp_read(struct insp *in, const char *path, struct buf *b, size_t limit)
{
  char full[4096];
  buf_reset(b);
  b->limit = limit;
  b->truncated = 0;
  if(io_path(in, path, full, sizeof(full)))
    return -1;
  /* O_NONBLOCK: a FIFO planted in a captured tree must not hang us. */
  int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if(fd < 0)
    return -1;
  struct stat sb;
  memset(&sb, 0, sizeof(sb));
  errno = 0;
  if(fstat(fd, &sb) || !S_ISREG(sb.st_mode)) {
    int e = errno;
    if(e == 0 || !S_ISREG(sb.st_mode))
      e = S_ISDIR(sb.st_mode) ? EISDIR : EINVAL;
    close(fd);
    errno = e;
    return -1;
  }
  char chunk[8192];
  for(;;) {
    ssize_t r = read(fd, chunk, sizeof(chunk));
    if(r < 0) {
      if(errno == EINTR)
        continue;
      int e = errno;
      close(fd);
      errno = e;
      return -1;
    }
    if(r == 0)
      break;
    if(buf_append(b, chunk, (size_t)r))
      break;
  }
  close(fd);
  /* An empty buffer still reads as "" for the parsers. */
  if(!b->data)
    buf_append(b, "", 0);
  return 0;
}

int insp_read_or_note(struct insp *in, const char *path, struct buf *b,
                      size_t limit, const char *what)
{
  if(insp_read(in, path, b, limit) == 0) {
    if(b->truncated) {
      report_note(in->rep, "%s: cut at %zu bytes; only its complete lines were used", path, limit);
      in->unknowns++;
    } else if(b->len && b->data[b->len - 1] != '\n' && strncmp(path, "/proc/", 6) == 0 &&
              !strstr(path, "environ")) {
      /* /proc text always ends in a newline: this one was cut short. */
      report_note(in->rep, "%s: ends mid-line (truncated): its last line was ignored, %s partly unknown",
                  path, what);
      in->unknowns++;
    }
    return 0;
  }
  report_note(in->rep, "%s: cannot read (%s): %s unknown", path, strerror(errno), what);
  in->unknowns++;
  return -1;
}

int insp_exists(struct insp *in, const char *path)
{
  char full[4096];
  struct stat sb;
  return io_path(in, path, full, sizeof(full)) == 0 && lstat(full, &sb) == 0;
}

/* 1 if path is a line (its first word) of a .capture list. */
int insp_listed(const struct buf *list, const char *path, const char **rest)
{
  size_t pl = strlen(path);
  const char *s = buf_str(list);
  while(*s) {
    const char *e = strchr(s, '\n');
    size_t l = e ? (size_t)(e - s) : strlen(s);
    if(l >= pl && memcmp(s, path, pl) == 0 && (l == pl || s[pl] == ' ' || s[pl] == '\t')) {
      if(rest)
        *rest = s + pl;
      return 1;
    }
    s += l + (e ? 1 : 0);
  }
  return 0;
}

int insp_is_socket(struct insp *in, const char *path)
{
  if(in->root[0])
    return in->have_sockets && insp_listed(&in->cap_sockets, path, NULL);
  struct stat sb;
  return stat(path, &sb) == 0 && S_ISSOCK(sb.st_mode);
}

int insp_writable(struct insp *in, const char *path)
{
  if(in->root[0]) {
    if(in->have_writable && insp_listed(&in->cap_writable, path, NULL))
      return INSP_YES;
    if(!insp_exists(in, path))
      return -2;
    return in->have_writable ? INSP_NO : INSP_UNKNOWN;
  }
  if(access(path, W_OK) == 0)
    return INSP_YES;
  if(errno == ENOENT || errno == ENOTDIR)
    return -2;
  if(errno == EACCES || errno == EROFS || errno == EPERM)
    return INSP_NO;
  return INSP_UNKNOWN;
}

long insp_readlink(struct insp *in, const char *path, char *out, size_t outsz)
{
  char full[4096];
  if(outsz == 0 || io_path(in, path, full, sizeof(full)))
    return -1;
  ssize_t n = readlink(full, out, outsz - 1);
  if(n < 0)
    return -1;
  out[n] = '\0';
  return (long)n;
}

void insp_add(struct insp *in, enum insp_rule r, int severity,
              const char *title, const char *evidence, const char *file,
              const char *dedupe)
{
  struct wd_finding_spec fs = {
    .rule = &inspect_rules[r], .severity = severity, .title = title,
    .evidence = evidence, .file = file, .line = 0, .dedupe = dedupe,
  };
  findings_add(in->out, &fs);
}

const char *insp_getenv(struct insp *in, const char *name)
{
  if(!in->env_ok)
    return NULL;
  size_t nl = strlen(name);
  const char *s = in->env.data, *end = s + in->env.len;
  while(s < end) {
    const char *e = memchr(s, '\0', (size_t)(end - s));
    size_t l = e ? (size_t)(e - s) : (size_t)(end - s);
    if(l > nl && memcmp(s, name, nl) == 0 && s[nl] == '=')
      return s + nl + 1;
    s += l + 1;
  }
  return NULL;
}
