#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "cli.h"
#include "cli_opts.h"

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

static const char *const cli_formats[] = {"term", "json", "jsonl", "sarif",
                                          "html", "md", "junit", NULL};

int cli_format_known(const char *name)
{
  for(size_t i = 0; cli_formats[i]; i++)
    if(strcmp(cli_formats[i], name) == 0)
      return 1;
  return 0;
}

static int bad_format(const char *opt, const char *arg)
{
  cli_error("%s: '%s' is not one of term, json, jsonl, sarif, html, md, junit", opt, arg);
  return -1;
}

/* A report path must be a file in an existing, writable directory: a
 * mistake is reported before the scan, not after it. */
static int path_writable(const char *opt, const char *path)
{
  if(!*path) {
    cli_error("%s: empty file name", opt);
    return -1;
  }
  struct stat st;
  if(stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    cli_error("%s %s: is a directory", opt, path);
    return -1;
  }
  const char *slash = strrchr(path, '/');
  char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
  int ok = access(dir, W_OK | X_OK) == 0;
  int e = errno;
  if(!ok)
    cli_error("%s %s: cannot write there: %s", opt, path, strerror(e));
  free(dir);
  return ok ? 0 : -1;
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

/* Suppressions and baselines need YAML and JSON parsers, which the
 * static warden-inspect does not link: there these are absent. */
__attribute__((weak)) int cli_policy_load(struct cli_out *o, const char *kind);
__attribute__((weak)) int cli_policy_apply(struct report *r, struct cli_out *o);
__attribute__((weak)) void cli_policy_free(struct cli_policy *p);

void cli_out_cleanup(struct cli_out *o)
{
  free(o->cmdline);
  o->cmdline = NULL;
  if(o->policy && cli_policy_free)
    cli_policy_free(o->policy);
  o->policy = NULL;
}

int cli_out_ready(struct cli_out *o, const char *kind)
{
  if(!cli_policy_load) {
    if(o->baseline || o->ignore_given) {
      cli_error("--baseline and --ignore are not available in this build");
      return EXIT_USAGE;
    }
    return 0;
  }
  return cli_policy_load(o, kind) ? EXIT_USAGE : 0;
}

/* Options whose value is a secret. "@FILE" and "env:NAME" name where the
 * secret is and are kept; any other value is replaced. */
static int secret_option(const char *name)
{
  const struct cli_opt *o = NULL;
  if(name[0] == '-' && name[1] == '-')
    o = cli_opt_find(CLI_ALL, name + 2);
  else if(name[0] == '-' && name[1] && !name[2])
    o = cli_opt_find_short(CLI_ALL, name[1]);
  return o && (o->flags & CLI_SECRET);
}

static void cmd_append(char **s, size_t *len, size_t *cap, const char *piece)
{
  size_t n = strlen(piece);
  if(*len + n + 2 > *cap) {
    *cap = (*len + n + 2) * 2;
    *s = xrealloc(*s, *cap);
  }
  memcpy(*s + *len, piece, n);
  *len += n;
  (*s)[*len] = '\0';
}

static void cmd_value(char **s, size_t *len, size_t *cap, const char *opt,
                      const char *v)
{
  if(v[0] == '@' || strncmp(v, "env:", 4) == 0) {
    cmd_append(s, len, cap, v);
    return;
  }
  /* Keep what says which kind of credential it is, never the value. */
  if(strcmp(opt, "--as2") == 0 || strcmp(opt, "-H") == 0 ||
     strcmp(opt, "--header") == 0 || strcmp(opt, "--api-key") == 0) {
    const char *sep = strcmp(opt, "--api-key") == 0 ? "=" : ":";
    const char *p = strstr(v, sep);
    if(p) {
      char *head = xstrndup(v, (size_t)(p - v) + 1);
      cmd_append(s, len, cap, head);
      free(head);
      const char *rest = p + 1;
      if(rest[0] == '@' || strncmp(rest, "env:", 4) == 0)
        cmd_append(s, len, cap, rest);
      else
        cmd_append(s, len, cap, "****");
      return;
    }
  }
  cmd_append(s, len, cap, "****");
}

void cli_out_args(struct cli_out *o, int argc, char **argv)
{
  char *s = NULL;
  size_t len = 0, cap = 0;
  cmd_append(&s, &len, &cap, "warden");
  for(int i = 0; i < argc; i++) {
    const char *a = argv[i];
    cmd_append(&s, &len, &cap, " ");
    const char *eq = strncmp(a, "--", 2) == 0 ? strchr(a, '=') : NULL;
    if(eq) {
      char *name = xstrndup(a, (size_t)(eq - a));
      cmd_append(&s, &len, &cap, name);
      cmd_append(&s, &len, &cap, "=");
      if(secret_option(name))
        cmd_value(&s, &len, &cap, name, eq + 1);
      else
        cmd_append(&s, &len, &cap, eq + 1);
      free(name);
      continue;
    }
    cmd_append(&s, &len, &cap, a);
    if(secret_option(a) && i + 1 < argc) {
      cmd_append(&s, &len, &cap, " ");
      cmd_value(&s, &len, &cap, a, argv[++i]);
    }
  }
  free(o->cmdline);
  o->cmdline = s;
}

static void yaml_str(FILE *out, const char *s)
{
  /* A double-quoted YAML scalar: JSON's escapes are YAML's too. */
  fputc('"', out);
  for(const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if(*p == '"' || *p == '\\')
      fprintf(out, "\\%c", *p);
    else if(*p < 0x20)
      fprintf(out, "\\x%02x", *p);
    else
      fputc(*p, out);
  }
  fputc('"', out);
}

void cli_print_options_yaml(FILE *out, int argc, char **argv, unsigned cmd)
{
  struct kv { const char *name; char *val; } *v = xcalloc((size_t)argc + 1, sizeof(*v));
  size_t n = 0;
  int rest = 0;
  for(int i = 0; i < argc; i++) {
    const char *a = argv[i];
    const struct cli_opt *o = NULL;
    const char *val = NULL;
    char shortname[2] = {0, 0};
    if(!rest && strcmp(a, "--") == 0) {
      rest = 1;
      continue;
    }
    if(!rest && strncmp(a, "--", 2) == 0) {
      const char *eq = strchr(a, '=');
      size_t nl = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
      char *nm = xstrndup(a + 2, nl);
      o = cli_opt_find(cmd, nm);
      free(nm);
      if(eq)
        val = eq + 1;
    } else if(!rest && a[0] == '-' && a[1]) {
      shortname[0] = a[1];
      o = cli_opt_find_short(cmd, a[1]);
      if(a[2])
        val = a + 2;
    }
    if(!o && (shortname[0] || (!rest && strncmp(a, "--", 2) == 0))) {
      v[n++] = (struct kv){"unknown-option", xstrdup(a)};
      continue;
    }
    if(!o) {
      v[n++] = (struct kv){"args", xstrdup(a)};
      continue;
    }
    if(o->arg == CLI_NOARG) {
      v[n++] = (struct kv){o->name, xstrdup("true")};
      continue;
    }
    if(!val && i + 1 < argc)
      val = argv[++i];
    char *shown = NULL;
    size_t len = 0, cap = 0;
    char opt[64];
    snprintf(opt, sizeof(opt), "--%s", o->name);
    if(o->flags & CLI_SECRET)
      cmd_value(&shown, &len, &cap, opt, val ? val : "");
    else
      cmd_append(&shown, &len, &cap, val ? val : "");
    v[n++] = (struct kv){o->name, shown};
  }
  /* Each name once, its values in order: one value as a scalar, several
   * as a list. */
  for(size_t i = 0; i < n; i++) {
    if(!v[i].name)
      continue;
    size_t count = 0;
    for(size_t j = i; j < n; j++)
      count += v[j].name && strcmp(v[j].name, v[i].name) == 0;
    fprintf(out, "%s:", v[i].name);
    const char *name = v[i].name;
    for(size_t j = i; j < n; j++) {
      if(!v[j].name || strcmp(v[j].name, name))
        continue;
      fputs(count > 1 || !strcmp(name, "args") ? "\n  - " : " ", out);
      yaml_str(out, v[j].val ? v[j].val : "");
      free(v[j].val);
      v[j].name = NULL;
    }
    fputc('\n', out);
  }
  free(v);
}

int cli_out_option(struct cli_out *o, const struct cli_opt *opt, const char *arg, long num)
{
  switch(opt->id) {
  case OPT_FORMAT:
    if(!cli_format_known(arg))
      return bad_format("--format", arg);
    o->format = arg;
    return 0;
  case OPT_OUTPUT:
    if(path_writable("--output", arg))
      return -1;
    o->outfile = arg;
    return 0;
  case OPT_FAIL_ON:
  case OPT_FAIL_ON_NEW: {
    const char *on = opt->id == OPT_FAIL_ON ? "--fail-on" : "--fail-on-new";
    if(strcmp(arg, "none") == 0) {
      o->fail_on = 99;
      o->fail_new_only = opt->id == OPT_FAIL_ON_NEW;
      return 0;
    }
    if((o->fail_on = sev_parse(arg)) < 0) {
      cli_error("%s: '%s' is not one of critical, high, medium, low, info, none", on, arg);
      return -1;
    }
    o->fail_new_only = opt->id == OPT_FAIL_ON_NEW;
    return 0;
  }
  case OPT_THRESHOLD:
    o->threshold = (int)num; /* 0-100: checked by the loop (CLI_INT) */
    return 0;
  case OPT_NO_COLOR:
    o->color = 0;
    return 0;
  case OPT_REPORT: {
    const char *colon = strchr(arg, ':');
    if(!colon) {
      cli_error("--report: '%s' is not FORMAT:FILE (e.g. sarif:warden.sarif)", arg);
      return -1;
    }
    char fmt[16];
    size_t fl = (size_t)(colon - arg);
    if(fl >= sizeof(fmt)) {
      cli_error("--report: '%.*s' is not one of term, json, jsonl, sarif, html, md, junit",
                (int)(fl > 40 ? 40 : fl), arg);
      return -1;
    }
    memcpy(fmt, arg, fl);
    fmt[fl] = '\0';
    size_t k;
    for(k = 0; cli_formats[k]; k++)
      if(strcmp(cli_formats[k], fmt) == 0)
        break;
    if(!cli_formats[k])
      return bad_format("--report", fmt);
    if(o->nreports >= CLI_MAX_REPORTS) {
      cli_error("--report: at most %d reports", CLI_MAX_REPORTS);
      return -1;
    }
    if(path_writable("--report", colon + 1))
      return -1;
    for(size_t i = 0; i < o->nreports; i++)
      if(strcmp(o->reports[i].path, colon + 1) == 0) {
        cli_error("--report: %s is named twice", colon + 1);
        return -1;
      }
    o->reports[o->nreports].format = cli_formats[k];
    o->reports[o->nreports].path = colon + 1;
    o->nreports++;
    return 0;
  }
  case OPT_SARIF_BASE: {
    struct stat st;
    if(stat(arg, &st) || !S_ISDIR(st.st_mode)) {
      cli_error("--sarif-base %s: not a directory", arg);
      return -1;
    }
    o->sarif_base = arg;
    return 0;
  }
  case OPT_BASELINE:
    o->baseline = arg;
    return 0;
  case OPT_IGNORE:
    o->ignore = arg;
    o->ignore_given = 1;
    return 0;
  case OPT_QUIET:
    o->quiet = 1;
    return 0;
  default:
    cli_error("--%s: not a report option", opt->name);
    return -1;
  }
}

static void cli_write(FILE *f, const struct report *r, const char *format,
                      int color, const struct rep_opts *ro)
{
  if(strcmp(format, "json") == 0)
    rep_write_json(f, r);
  else if(strcmp(format, "jsonl") == 0)
    rep_write_jsonl(f, r, ro);
  else if(strcmp(format, "sarif") == 0)
    rep_write_sarif(f, r, ro);
  else if(strcmp(format, "html") == 0)
    rep_write_html(f, r, ro);
  else if(strcmp(format, "md") == 0)
    rep_write_md(f, r, ro);
  else if(strcmp(format, "junit") == 0)
    rep_write_junit(f, r, ro);
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

/* Writes f to the end and closes it; 0, or the errno of the first failure
 * (-1 when none was recorded). */
static int cli_finish_file(FILE *f, const struct report *r, const char *format,
                           const struct rep_opts *ro)
{
  errno = 0;
  cli_write(f, r, format, 0, ro);
  int e = ferror(f) ? (errno ? errno : -1) : 0; /* the first failed write's reason */
  errno = 0;
  if(fflush(f) != 0 && !e)
    e = errno ? errno : -1;
  if(ferror(f) && !e)
    e = -1;
  errno = 0;
  if(fclose(f) != 0 && !e)
    e = errno ? errno : -1;
  return e;
}

/* Writes a report file whole or not at all: a regular file is written to
 * a temporary file beside it and renamed over it once every byte is
 * written; a device or pipe (/dev/stdout, /dev/full, a FIFO) is written
 * in place. 0, or EXIT_USAGE with a message. */
/* A report file's stdio buffer: a 3 MB JSON report is some 50 writes, not
 * the 800 of the default 4 KiB. */
#define CLI_OUT_BUF (64 * 1024)
static int cli_write_file(const char *path, const struct report *r,
                          const char *format, const struct rep_opts *ro)
{
  struct stat st;
  if(stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
    FILE *f = fopen(path, "w");
    if(!f) {
      cli_error("%s: cannot write report: %s", path, strerror(errno));
      return EXIT_USAGE;
    }
    char *obuf = xmalloc(CLI_OUT_BUF); /* setvbuf ignores the size without one */
    setvbuf(f, obuf, _IOFBF, CLI_OUT_BUF);
    int e = cli_finish_file(f, r, format, ro);
    free(obuf); /* after the fclose in cli_finish_file */
    if(!e)
      return 0;
    cli_error("%s: cannot write report: %s", path, e > 0 ? strerror(e) : "write error");
    return EXIT_USAGE;
  }
  size_t n = strlen(path);
  char *tmp = xmalloc(n + 16);
  memcpy(tmp, path, n);
  memcpy(tmp + n, ".tmp-XXXXXX", 12);
  int fd = mkstemp(tmp);
  if(fd < 0) {
    cli_error("%s: cannot write report: %s", path, strerror(errno));
    free(tmp);
    return EXIT_USAGE;
  }
  mode_t um = umask(0);
  umask(um);
  if(fchmod(fd, 0666 & ~um)) {
    /* mkstemp's 0600 stays: stricter, never wider. */
  }
  FILE *f = fdopen(fd, "w");
  if(!f) {
    cli_error("%s: cannot write report: %s", path, strerror(errno));
    close(fd);
    unlink(tmp);
    free(tmp);
    return EXIT_USAGE;
  }
  char *obuf = xmalloc(CLI_OUT_BUF);
  setvbuf(f, obuf, _IOFBF, CLI_OUT_BUF);
  int e = cli_finish_file(f, r, format, ro);
  free(obuf);
  if(!e && rename(tmp, path))
    e = errno ? errno : -1;
  if(e) {
    unlink(tmp);
    cli_error("%s: cannot write report: %s (nothing written; the partial file was removed)",
              path, e > 0 ? strerror(e) : "write error");
  }
  free(tmp);
  return e ? EXIT_USAGE : 0;
}

static int cli_write_all(const struct report *r, const struct cli_out *o,
                         int summary, const struct rep_opts *ro)
{
  int bad = 0;
  for(size_t i = 0; i < o->nreports; i++)
    if(cli_write_file(o->reports[i].path, r, o->reports[i].format, ro))
      bad = 1;
  if(o->outfile) {
    if(cli_write_file(o->outfile, r, o->format, ro))
      bad = 1;
    else if(summary && !o->quiet)
      rep_write_term(stdout, r, o->color);
  } else if(o->nreports && o->quiet && strcmp(o->format, "term") == 0) {
    /* -q with only report files: nothing on stdout. */
  } else {
    /* JSON Lines findings streamed to stdout during the scan are not
     * written again; files get every line. */
    struct rep_opts so = *ro;
    so.skip_streamed = 1;
    cli_write(stdout, r, o->format, o->color, &so);
  }
  int rc = cli_stdout_done(0);
  return bad || rc ? EXIT_USAGE : 0;
}

int cli_write_report(const struct report *r, const struct cli_out *o, int summary)
{
  struct rep_opts ro = {
    .cmdline = o->cmdline,
    .exit_code = EXIT_USAGE,
    .fail_on = o->fail_on,
    .fail_new_only = o->fail_new_only,
    .sarif_base = o->sarif_base,
  };
  /* Only the main output: the --report files are for runs that ran. */
  struct cli_out main_only = *o;
  main_only.nreports = 0;
  return cli_write_all(r, &main_only, summary, &ro);
}

int cli_emit(struct report *r, struct cli_out *o)
{
  if(cli_policy_apply) {
    if(cli_policy_apply(r, o))
      return EXIT_USAGE;
  } else if(o->baseline || o->ignore_given) {
    cli_error("--baseline and --ignore are not available in this build");
    return EXIT_USAGE;
  }
  int fail = 0;
  if(report_count_failing(r, o->fail_on, o->fail_new_only) > 0)
    fail = 1;
  if(o->threshold >= 0 && r->score.overall < o->threshold)
    fail = 1;
  struct rep_opts ro = {
    .cmdline = o->cmdline,
    .exit_code = fail ? EXIT_FINDINGS : EXIT_CLEAN,
    .fail_on = o->fail_on,
    .fail_new_only = o->fail_new_only,
    .sarif_base = o->sarif_base,
  };
  /* A report that could not be written is never success, nor a finding. */
  if(cli_write_all(r, o, 1, &ro))
    return EXIT_USAGE;
  return ro.exit_code;
}
