#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/core_str.h"
#include "cli.h"

void cli_error(const char *fmt, ...)
{
  va_list ap;
  fputs("warden: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

int cli_parse_int(const char *opt, const char *arg, long lo, long hi, long *out)
{
  char *end;
  errno = 0;
  long v = strtol(arg, &end, 10);
  if(errno || end == arg || *end || v < lo || v > hi) {
    cli_error("%s: '%s' is not a whole number from %ld to %ld", opt, arg, lo, hi);
    return -1;
  }
  *out = v;
  return 0;
}

void cli_out_init(struct cli_out *o)
{
  memset(o, 0, sizeof(*o));
  o->format = "term";
  o->fail_on = WD_SEV_LOW;
  o->threshold = -1;
  const char *nc = getenv("NO_COLOR");
  o->color = isatty(STDOUT_FILENO) && !(nc && *nc);
}

int cli_out_option(struct cli_out *o, int opt, const char *arg)
{
  long v;
  switch(opt) {
  case 'f':
    if(strcmp(arg, "term") && strcmp(arg, "json")) {
      cli_error("--format: '%s' is not one of term, json", arg);
      return -1;
    }
    o->format = arg;
    return 1;
  case 'o':
    o->outfile = arg;
    return 1;
  case 1001:
    if(strcmp(arg, "none") == 0) {
      o->fail_on = 99;
      return 1;
    }
    if((o->fail_on = sev_parse(arg)) < 0) {
      cli_error("--fail-on: '%s' is not one of critical, high, medium, low, info, none", arg);
      return -1;
    }
    return 1;
  case 1002:
    if(cli_parse_int("--threshold", arg, 0, 100, &v))
      return -1;
    o->threshold = (int)v;
    return 1;
  case 1003:
    o->color = 0;
    return 1;
  case 'q':
    o->quiet = 1;
    return 1;
  default:
    return 0;
  }
}

static void cli_write(FILE *f, const struct report *r, const char *format,
                      int color)
{
  if(strcmp(format, "json") == 0)
    rep_write_json(f, r);
  else
    rep_write_term(f, r, color);
}

/* Flushes stdout; a write to it that failed at any point (disk full,
 * closed, EPIPE) is an error with exit 2, said once. */
int cli_stdout_done(int rc)
{
  int e = ferror(stdout) ? errno : 0; /* the reason of a failed write */
  errno = 0;
  int bad = fflush(stdout) != 0;
  if(bad && errno)
    e = errno;
  if(ferror(stdout))
    bad = 1;
  if(!bad)
    return rc;
  cli_error("standard output: the report cannot be written: %s%s",
            e ? strerror(e) : "write error",
            e == EBADF ? " (is standard output closed?)" : "");
  clearerr(stdout);
  return EXIT_USAGE;
}

/* Writes the report to o->outfile; 0, or EXIT_USAGE with a message. A
 * file left half-written is removed (only a regular file: never a device
 * such as /dev/full). */
static int cli_write_file(const struct report *r, const struct cli_out *o)
{
  FILE *f = fopen(o->outfile, "w");
  if(!f) {
    cli_error("%s: cannot write report: %s", o->outfile, strerror(errno));
    return EXIT_USAGE;
  }
  errno = 0;
  cli_write(f, r, o->format, 0);
  int e = ferror(f) ? errno : 0; /* the first failed write's reason */
  int bad = e != 0 || ferror(f);
  errno = 0;
  if(fflush(f) != 0) {
    bad = 1;
    if(!e)
      e = errno;
  }
  errno = 0;
  if(fclose(f) != 0 && !bad) {
    bad = 1;
    e = errno;
  }
  if(!bad)
    return 0;
  struct stat st;
  int removed = stat(o->outfile, &st) == 0 && S_ISREG(st.st_mode) && unlink(o->outfile) == 0;
  cli_error("%s: cannot write report: %s%s", o->outfile, e ? strerror(e) : "write error",
            removed ? " (the partial file was removed)" : "");
  return EXIT_USAGE;
}

int cli_write_report(const struct report *r, const struct cli_out *o, int summary)
{
  if(o->outfile) {
    if(cli_write_file(r, o))
      return EXIT_USAGE;
    if(summary && !o->quiet)
      rep_write_term(stdout, r, o->color);
  } else {
    cli_write(stdout, r, o->format, o->color);
  }
  return cli_stdout_done(0);
}

int cli_emit(const struct report *r, const struct cli_out *o)
{
  /* A report that could not be written is never success, nor a finding. */
  if(cli_write_report(r, o, 1))
    return EXIT_USAGE;
  int fail = 0;
  if(o->fail_on <= WD_SEV_CRITICAL &&
     findings_count_at_least(r->findings, (enum wd_severity)o->fail_on) > 0)
    fail = 1;
  if(o->threshold >= 0 && r->score.overall < o->threshold)
    fail = 1;
  return fail ? EXIT_FINDINGS : EXIT_CLEAN;
}
