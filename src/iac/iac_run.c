/*
 * iac_run.c - one iac run: which files, in which order, read how, and
 * the context the rule families share.
 *
 * Inputs are walked first into a sorted list (so reports are stable),
 * then Dockerfiles are analysed before YAML so that a compose service
 * built from a Dockerfile knows that image's USER and Docker client.
 * Every file is read whole, up to IAC_MAX_FILE bytes; bigger files and
 * binary files are refused with a note.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "iac_int.h"

#define IAC_MAX_FILE (16u << 20)
#define IAC_MAX_DEPTH 48
#define IAC_MAX_FILES 100000

/* ---- context ------------------------------------------------------------ */

void iac_ctx_init(struct iac_ctx *c, struct wd_findings *out, struct report *rep)
{
  memset(c, 0, sizeof(*c));
  findings_init(&c->batch);
  c->out = &c->batch;
  c->dest = out;
  c->rep = rep;
  mask_init(&c->mask);
  c->batch.mask = &c->mask;
}

char *iac_excerpt_masked(struct iac_ctx *c, const char *s, size_t n, size_t off,
                         size_t max)
{
  struct mask_map map;
  size_t ml;
  char *m = mask_text(&c->mask, s, n, &ml, &map);
  char *ex = str_excerpt(m, ml, mask_map_off(&map, off), max);
  mask_map_free(&map);
  free(m);
  return ex;
}

void iac_secret_seen(struct iac_ctx *c, const char *value)
{
  if(c->mask.n < MASK_MAX_LEARNED)
    mask_add(&c->mask, value);
}

void iac_tested(struct iac_ctx *c, unsigned cats)
{
  if(c->rep)
    c->rep->tested |= cats;
}

void iac_ctx_flush(struct iac_ctx *c)
{
  /* A file's findings carry its name in their keys: no merging needed. */
  findings_take(c->dest, &c->batch);
}

void iac_ctx_cleanup(struct iac_ctx *c)
{
  iac_ctx_flush(c);
  /* A value seen in a later file or line may be quoted by an earlier
   * finding (a RUN line, a command): mask the whole run once more. */
  if(c->mask.n)
    findings_remask(c->dest, &c->mask);
  mask_cleanup(&c->mask);
  for(size_t i = 0; i < c->ndfs; i++)
    free(c->dfs[i].path);
  free(c->dfs);
  free(c->dfhash);
  for(size_t i = 0; i < c->nsas; i++) {
    free(c->sas[i].ns);
    free(c->sas[i].name);
  }
  free(c->sas);
  for(size_t i = 0; i < c->npend; i++) {
    free(c->pend[i].ns);
    free(c->pend[i].name);
    free(c->pend[i].file);
    free(c->pend[i].subject);
  }
  free(c->pend);
  memset(c, 0, sizeof(*c));
}

/* Service accounts ordered by namespace, name, then the order they were
 * read (the last one read wins, as before the index). */
static int sa_cmp(const void *a, const void *b, void *arg)
{
  const struct iac_sa *v = arg;
  size_t x = *(const size_t *)a, y = *(const size_t *)b;
  int r = strcmp(v[x].ns, v[y].ns);
  if(!r)
    r = strcmp(v[x].name, v[y].name);
  return r ? r : x < y ? -1 : x > y;
}

/* The automount setting of the last ServiceAccount ns/name read, or -2
 * when none was: a binary search over the sorted index. */
static int sa_find(const struct iac_ctx *c, const size_t *ix, const char *ns, const char *name)
{
  size_t lo = 0, hi = c->nsas;
  while(lo < hi) { /* the first entry > (ns, name) */
    size_t mid = lo + (hi - lo) / 2;
    const struct iac_sa *s = &c->sas[ix[mid]];
    int r = strcmp(s->ns, ns);
    if(!r)
      r = strcmp(s->name, name);
    if(r <= 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  if(lo == 0)
    return -2;
  const struct iac_sa *s = &c->sas[ix[lo - 1]];
  return !strcmp(s->ns, ns) && !strcmp(s->name, name) ? s->automount : -2;
}

void iac_ctx_finish(struct iac_ctx *c)
{
  /* A pod that says nothing about its token inherits its service
   * account's setting, which may sit in any file of the run. Indexed:
   * workloads x service accounts would be quadratic. */
  size_t *ix = c->nsas ? xmalloc(c->nsas * sizeof(*ix)) : NULL;
  for(size_t j = 0; j < c->nsas; j++)
    ix[j] = j;
  if(c->nsas > 1)
    qsort_r(ix, c->nsas, sizeof(*ix), sa_cmp, c->sas);
  for(size_t i = 0; i < c->npend; i++) {
    const struct iac_pending_sa *p = &c->pend[i];
    int seen = sa_find(c, ix, p->ns, p->name);
    if(seen == 0)
      continue;
    iac_emit(c, R_SA_AUTOMOUNT, -1, p->file, p->line, p->subject, NULL,
             "%s: automountServiceAccountToken not set; ServiceAccount %s/%s %s",
             p->subject, p->ns, p->name,
             seen == -2 ? "not among the files (default: token mounted)"
                        : seen == 1 ? "sets it true" : "does not set it false");
  }
  free(ix);
  iac_ctx_flush(c);
}

void iac_problem(struct iac_ctx *c, const char *fmt, ...)
{
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  if(c->rep)
    report_note(c->rep, "%s", msg);
}

void iac_emit(struct iac_ctx *c, enum iac_rule r, int sev, const char *file,
              int line, const char *subject, const char *title,
              const char *evfmt, ...)
{
  va_list ap;
  va_start(ap, evfmt);
  int n = vsnprintf(NULL, 0, evfmt, ap);
  va_end(ap);
  char *ev = xmalloc(n > 0 ? (size_t)n + 1 : 1);
  ev[0] = '\0';
  va_start(ap, evfmt);
  if(n > 0)
    vsnprintf(ev, (size_t)n + 1, evfmt, ap);
  va_end(ap);
  /* Masked whole, before the excerpt is cut (a token cut in half would
   * no longer be recognised). */
  char *masked = mask_str(&c->mask, ev);
  free(ev);
  char *ex = iac_excerpt(masked, 400);
  free(masked);
  char *key = xasprintf("%s:%d|%s", file, line, subject ? subject : "");
  struct wd_finding_spec fs = {
    .rule = &iac_rules[r], .severity = sev, .title = title, .evidence = ex,
    .file = file, .line = line, .dedupe = key,
  };
  findings_add(c->out, &fs);
  free(key);
  free(ex);
}

static size_t df_hash(const char *s)
{
  size_t h = 14695981039346656037ULL & (size_t)-1; /* FNV-1a */
  for(; *s; s++)
    h = (h ^ (unsigned char)*s) * (size_t)1099511628211ULL;
  return h;
}

static void df_index(struct iac_ctx *c, size_t i)
{
  size_t m = c->dfhcap - 1, h = df_hash(c->dfs[i].path) & m;
  while(c->dfhash[h])
    h = (h + 1) & m;
  c->dfhash[h] = i + 1;
}

const struct iac_dfinfo *iac_df_lookup(struct iac_ctx *c, const char *path)
{
  if(!c->dfhcap)
    return NULL;
  size_t m = c->dfhcap - 1;
  for(size_t h = df_hash(path) & m; c->dfhash[h]; h = (h + 1) & m)
    if(strcmp(c->dfs[c->dfhash[h] - 1].path, path) == 0)
      return &c->dfs[c->dfhash[h] - 1];
  return NULL;
}

void iac_df_add(struct iac_ctx *c, const char *path, struct iac_dfinfo *info)
{
  c->dfs = xgrow(c->dfs, &c->capdfs, c->ndfs + 1, sizeof(*c->dfs));
  info->path = xstrdup(path);
  c->dfs[c->ndfs++] = *info;
  /* Kept at most half full; grown by rehashing everything. */
  if(c->ndfs * 2 > c->dfhcap) {
    free(c->dfhash);
    c->dfhcap = c->dfhcap ? c->dfhcap * 2 : 64;
    c->dfhash = xcalloc(c->dfhcap, sizeof(*c->dfhash));
    for(size_t i = 0; i < c->ndfs; i++)
      df_index(c, i);
  } else {
    df_index(c, c->ndfs - 1);
  }
}

/* ---- reading ------------------------------------------------------------ */

/* Reads a whole file (or stdin) up to the cap. Returns a heap buffer, or
 * NULL with why in err. */
static char *read_all(FILE *f, size_t *len, char *err, size_t errlen)
{
  size_t cap = 65536, n = 0;
  char *b = xmalloc(cap + 1);
  for(;;) {
    if(n == cap) {
      if(cap >= IAC_MAX_FILE) {
        free(b);
        snprintf(err, errlen, "larger than %u MiB, skipped", IAC_MAX_FILE >> 20);
        return NULL;
      }
      cap *= 2;
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

static int is_dockerfile_name(const char *path)
{
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  size_t l = strlen(base);
  if(!strcasecmp(base, "Dockerfile") || !strcasecmp(base, "Containerfile"))
    return 1;
  if(!strncasecmp(base, "Dockerfile.", 11) || !strncasecmp(base, "Containerfile.", 14))
    return 1;
  return l > 11 && !strcasecmp(base + l - 11, ".dockerfile");
}

static int is_yaml_name(const char *path)
{
  size_t l = strlen(path);
  return (l > 4 && !strcasecmp(path + l - 4, ".yml")) ||
         (l > 5 && !strcasecmp(path + l - 5, ".yaml"));
}

/* A file given by name with no telling extension: a Dockerfile if its
 * first instruction-like line is FROM, ARG or a parser directive. */
static int sniff_dockerfile(const char *data, size_t len)
{
  size_t i = 0;
  while(i < len) {
    while(i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
      i++;
    if(i >= len)
      return 0;
    if(data[i] == '#') {
      while(i < len && data[i] != '\n')
        i++;
      continue;
    }
    return (len - i >= 5 && !strncasecmp(data + i, "FROM", 4) &&
            (data[i + 4] == ' ' || data[i + 4] == '\t')) ||
           (len - i >= 4 && !strncasecmp(data + i, "ARG", 3) &&
            (data[i + 3] == ' ' || data[i + 3] == '\t'));
  }
  return 0;
}

static int analyze_data(struct iac_ctx *c, const char *name, const char *data,
                        size_t len, int kind)
{
  if(memchr(data, '\0', len)) {
    iac_problem(c, "%s:1:1: binary file (NUL bytes), skipped", name);
    return 0;
  }
  if(!kind)
    kind = is_dockerfile_name(name) ? 'd' : is_yaml_name(name) ? 'y'
         : sniff_dockerfile(data, len) ? 'd' : 'y';
  return kind == 'd' ? iac_docker_analyze(c, name, data, len)
                     : iac_yaml_analyze(c, name, data, len);
}

static int analyze_file(struct iac_ctx *c, const char *path, int kind)
{
  char err[200];
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  const char *name = f == stdin ? "<stdin>" : path;
  if(!f) {
    iac_problem(c, "%s: cannot read: %s", path, strerror(errno));
    return 0;
  }
  size_t len = 0;
  char *data = read_all(f, &len, err, sizeof(err));
  if(f != stdin)
    fclose(f);
  if(!data) {
    iac_problem(c, "%s: %s", name, err);
    return 0;
  }
  int ok = analyze_data(c, name, data, len, kind);
  free(data);
  return ok;
}

const struct iac_dfinfo *iac_df_load(struct iac_ctx *c, const char *path)
{
  const struct iac_dfinfo *d = iac_df_lookup(c, path);
  if(d)
    return d;
  struct stat st;
  if(c->no_fs || stat(path, &st) || !S_ISREG(st.st_mode))
    return NULL;
  if(analyze_file(c, path, 'd'))
    c->nread++;
  else
    c->nfailed++;
  return iac_df_lookup(c, path);
}

/* ---- walking ------------------------------------------------------------ */

struct pathlist {
  char **v;
  size_t n, cap;
};

static void pl_add(struct pathlist *pl, const char *p)
{
  pl->v = xgrow(pl->v, &pl->cap, pl->n + 1, sizeof(*pl->v));
  pl->v[pl->n++] = xstrdup(p);
}

static int skip_dir(const char *name)
{
  static const char *const skip[] = {".git", ".hg", ".svn", "vendor",
    "node_modules", ".terraform", "__pycache__", ".venv"};
  for(size_t i = 0; i < sizeof(skip) / sizeof(skip[0]); i++)
    if(strcmp(name, skip[i]) == 0)
      return 1;
  return 0;
}

static int name_cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Symbolic links are not followed inside a walk (loops, and files outside
 * the tree); a link given on the command line is. */
static void walk_dir(struct iac_ctx *c, const char *dir, int depth,
                     struct pathlist *pl)
{
  if(depth > IAC_MAX_DEPTH) {
    iac_problem(c, "%s: deeper than %d directories, not walked", dir, IAC_MAX_DEPTH);
    return;
  }
  DIR *d = opendir(dir);
  if(!d) {
    iac_problem(c, "%s: cannot read the directory: %s", dir, strerror(errno));
    c->nfailed++;
    return;
  }
  struct pathlist names = {NULL, 0, 0};
  struct dirent *e;
  while((e = readdir(d))) {
    if(!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
      continue;
    pl_add(&names, e->d_name);
  }
  closedir(d);
  if(names.n)
    qsort(names.v, names.n, sizeof(char *), name_cmp);
  for(size_t i = 0; i < names.n; i++) {
    char *p = xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names.v[i]);
    struct stat st;
    if(lstat(p, &st) == 0) {
      if(S_ISDIR(st.st_mode) && !skip_dir(names.v[i]))
        walk_dir(c, p, depth + 1, pl);
      else if(S_ISREG(st.st_mode) && (is_dockerfile_name(p) || is_yaml_name(p))) {
        if(pl->n < IAC_MAX_FILES)
          pl_add(pl, p);
      }
    }
    free(p);
    free(names.v[i]);
  }
  free(names.v);
}

/* A "./x" argument and the "x" a compose file names are one file. */
static char *path_clean(const char *p)
{
  while(p[0] == '.' && p[1] == '/')
    p += 2;
  return xstrdup(p);
}

static int run_paths(struct iac_ctx *c, const char *const *paths, size_t n)
{
  struct pathlist pl = {NULL, 0, 0};
  for(size_t i = 0; i < n; i++) {
    struct stat st;
    if(strcmp(paths[i], "-") == 0) {
      pl_add(&pl, "-");
    } else if(stat(paths[i], &st)) {
      iac_problem(c, "%s: cannot read: %s", paths[i], strerror(errno));
      c->nfailed++;
    } else if(S_ISDIR(st.st_mode)) {
      char *p = path_clean(paths[i]);
      walk_dir(c, p, 0, &pl);
      free(p);
    } else {
      char *p = path_clean(paths[i]);
      pl_add(&pl, p);
      free(p);
    }
  }
  /* A file named twice (a.yaml and its directory) is read once. */
  if(pl.n > 1) {
    qsort(pl.v, pl.n, sizeof(char *), name_cmp);
    size_t k = 1;
    for(size_t i = 1; i < pl.n; i++) {
      if(strcmp(pl.v[i], pl.v[k - 1]))
        pl.v[k++] = pl.v[i];
      else
        free(pl.v[i]);
    }
    pl.n = k;
  }
  /* Dockerfiles first: compose services built from them look them up. */
  for(int pass = 0; pass < 2; pass++) {
    for(size_t i = 0; i < pl.n; i++) {
      const char *p = pl.v[i];
      int df = strcmp(p, "-") && is_dockerfile_name(p);
      if(df != (pass == 0))
        continue;
      if(df && iac_df_lookup(c, p))
        continue; /* already read as a build context */
      if(analyze_file(c, p, df ? 'd' : 0))
        c->nread++;
      else
        c->nfailed++;
      iac_ctx_flush(c);
    }
  }
  for(size_t i = 0; i < pl.n; i++)
    free(pl.v[i]);
  free(pl.v);
  iac_ctx_finish(c);
  return (int)c->nread;
}

int iac_analyze_paths(const char *const *paths, size_t n,
                      struct wd_findings *out, struct report *rep)
{
  struct iac_ctx c;
  iac_ctx_init(&c, out, rep);
  int nread = run_paths(&c, paths, n);
  if(rep) {
    char num[32];
    snprintf(num, sizeof(num), "%zu", c.nread);
    report_fact(rep, "iac_files_read", num);
    snprintf(num, sizeof(num), "%zu", c.nfailed);
    report_fact(rep, "iac_files_failed", num);
  }
  iac_ctx_cleanup(&c);
  return nread;
}

int iac_analyze_buffer(const char *name, const char *data, size_t len,
                       int kind, struct wd_findings *out, struct report *rep)
{
  struct iac_ctx c;
  iac_ctx_init(&c, out, rep);
  c.no_fs = 1;
  /* The buffer's own Dockerfile facts only: no file system look-ups. */
  int ok = analyze_data(&c, name, data, len, kind);
  iac_ctx_finish(&c);
  iac_ctx_cleanup(&c);
  return ok;
}
