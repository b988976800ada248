/*
 * iac_run.c - one iac run: which files, in which order, read how, and
 * which analyser each goes to (the top of the folder: run -> docker,
 * compose, k8s analysers -> shared judgements (iac_rules.c) -> context
 * and rule table (iac_ctx.c)).
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
#include "../core/core_file.h"
#include "../core/core_str.h"
#include "iac_int.h"

#define IAC_MAX_FILE (16u << 20)
#define IAC_MAX_DEPTH 48
#define IAC_MAX_FILES 100000


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

/* The YAML stream of a deployment file: each document goes to the
 * Kubernetes or the compose judge (the tree is src/yaml/yaml_tree.c). */
static int iac_yaml_analyze(struct iac_ctx *c, const char *file, const char *data,
                     size_t len)
{
  /* One loader for the run (YAML is never read while YAML is analysed:
   * load_df reads Dockerfiles only). */
  if(c->yl && yl_restart(c->yl, data, len)) {
    yl_free(c->yl);
    c->yl = NULL;
  }
  if(!c->yl)
    c->yl = yl_new(data, len);
  struct yloader *l = c->yl;
  if(!l) {
    iac_problem(c, "%s: cannot start the YAML parser", file);
    return 0;
  }
  char err[400];
  struct ydoc d;
  int rc, ndocs = 0, exhausted = 0;
  while((rc = yl_next(l, &d, err, sizeof(err))) == 1) {
    ndocs++;
    if(!d.root)
      continue;
    if(y_get(&d, d.root, "kind"))
      iac_k8s_doc(c, file, &d, d.root, 0);
    else
      iac_compose_doc(c, file, &d);
    exhausted |= d.exhausted;
  }
  if(exhausted)
    iac_problem(c, "%s: alias or merge-key expansion stopped at its budget; "
                   "the file was analysed partly", file);
  if(rc < 0) {
    int helm = memmem(data, len, "{{", 2) != NULL;
    iac_problem(c, "%s:%s%s", file, err,
                helm ? " (a Helm template? render it with helm template and pipe it in)" : "");
  }
  return rc < 0 && ndocs == 0 ? 0 : 1;
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
  size_t len = 0;
  if(strcmp(path, "-") == 0) {
    char *data = file_read_all(stdin, IAC_MAX_FILE, &len, err, sizeof(err));
    if(!data) {
      iac_problem(c, "<stdin>: %s%s", err, strncmp(err, "larger", 6) ? "" : ", skipped");
      return 0;
    }
    int ok = analyze_data(c, "<stdin>", data, len, kind);
    free(data);
    return ok;
  }
  /* One buffer for the whole run; a build context read while its compose
   * file is analysed (load_df) gets one of its own. */
  char *own = NULL, **buf = &own;
  size_t owncap = 0, *cap = &owncap;
  int outer = !c->rbusy;
  if(outer) {
    buf = &c->rbuf;
    cap = &c->rcap;
    c->rbusy = 1;
  }
  int ok = 0;
  if(file_read_path(path, IAC_MAX_FILE, buf, cap, &len, err, sizeof(err)))
    iac_problem(c, "%s: %s%s", path, err, strncmp(err, "larger", 6) ? "" : ", skipped");
  else
    ok = analyze_data(c, path, *buf, len, kind);
  if(outer)
    c->rbusy = 0;
  free(own);
  return ok;
}

/* The context's load_df: reads and analyses a Dockerfile that was not
 * an input (a compose build context), unless the run has no file system. */
static const struct iac_dfinfo *load_df(struct iac_ctx *c, const char *path)
{
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

/* Names that carry their kind in their first byte, by name. */
static int name_cmp_kind(const void *a, const void *b)
{
  return strcmp(*(char *const *)a + 1, *(char *const *)b + 1);
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
  /* readdir's d_type says what an entry is on the file systems that
   * fill it (no lstat per file); DT_UNKNOWN falls back to lstat. Only
   * directories and candidate files are kept: their kind rides along
   * in the name's first byte ('d' or 'f'). */
  struct pathlist names = {NULL, 0, 0};
  struct dirent *e;
  char tmp[300];
  while((e = readdir(d))) {
    const char *nm = e->d_name;
    if(!strcmp(nm, ".") || !strcmp(nm, ".."))
      continue;
    int dt = e->d_type;
    if(dt == DT_UNKNOWN) {
      char *p = xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", nm);
      struct stat st;
      dt = lstat(p, &st) ? DT_UNKNOWN : S_ISDIR(st.st_mode) ? DT_DIR
         : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
      free(p);
    }
    if(dt == DT_DIR && !skip_dir(nm))
      snprintf(tmp, sizeof(tmp), "d%s", nm);
    else if(dt == DT_REG && (is_dockerfile_name(nm) || is_yaml_name(nm)))
      snprintf(tmp, sizeof(tmp), "f%s", nm);
    else
      continue;
    pl_add(&names, tmp);
  }
  closedir(d);
  if(names.n)
    qsort(names.v, names.n, sizeof(char *), name_cmp_kind);
  for(size_t i = 0; i < names.n; i++) {
    char *p = xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", names.v[i] + 1);
    if(names.v[i][0] == 'd') {
      walk_dir(c, p, depth + 1, pl);
      free(p);
    } else if(pl->n < IAC_MAX_FILES) {
      pl->v = xgrow(pl->v, &pl->cap, pl->n + 1, sizeof(*pl->v));
      pl->v[pl->n++] = p;
    } else {
      free(p);
    }
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
  iac_k8s_finish(c);
  iac_ctx_flush(c);
  return (int)c->nread;
}

int iac_analyze_paths(const char *const *paths, size_t n,
                      struct wd_findings *out, struct report *rep)
{
  struct iac_ctx c;
  iac_ctx_init(&c, out, rep);
  c.load_df = load_df;
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
  iac_k8s_finish(&c);
  iac_ctx_flush(&c);
  iac_ctx_cleanup(&c);
  return ok;
}
