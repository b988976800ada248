/*
 * sig_nuclei.c - nuclei HTTP templates as catalogue signatures, for users
 * who already have templates (--templates DIR|FILE).
 *
 * Honoured: GET/HEAD requests whose paths are {{BaseURL}}/... or
 * {{RootURL}}/...; word, regex, status and size matchers with condition,
 * part (body, header, all, response), negative and case-insensitive;
 * matchers-condition; stop-at-first-match (one finding per template is
 * what warden reports anyway); regex and kval extractors (their value is
 * added to the evidence). Anything else (another protocol, method or
 * variable, raw requests, payloads, DSL or binary matchers, other
 * extractors, request headers or bodies) skips the whole template with the
 * reason: running half a template would report what it does not say.
 * The random-path baseline still applies, which removes the soft-404
 * false positives that templates produce on catch-all servers.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/core_alloc.h"
#include "../yaml/yaml_tree.h"
#include "sig.h"

#define TPL_MAX_PATHS 64

struct tpl {
  struct ydoc *d;
  char *why;
  size_t whylen;
};

__attribute__((format(printf, 3, 4)))
static int skip(struct tpl *t, const struct ynode *n, const char *fmt, ...)
{
  char msg[240];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  if(n)
    snprintf(t->why, t->whylen, "line %d: %s", n->line, msg);
  else
    snprintf(t->why, t->whylen, "%s", msg);
  return 1;
}

static const char *str_of(struct tpl *t, const struct ynode *map, const char *key)
{
  return y_str(t->d, y_get(t->d, map, key));
}

/* "{{BaseURL}}/x" -> "/x" (base 1), "{{RootURL}}/x" -> "/x" (base 0).
 * Returns NULL for anything else. */
static char *tpl_path(const char *p, int *base)
{
  const char *rest;
  if(!strncmp(p, "{{BaseURL}}", 11)) {
    rest = p + 11;
    *base = 1;
  } else if(!strncmp(p, "{{RootURL}}", 11)) {
    rest = p + 11;
    *base = 0;
  } else {
    return NULL;
  }
  if(strstr(rest, "{{"))
    return NULL;
  if(!*rest)
    return xstrdup("/");
  if(*rest != '/' && *rest != '?')
    return NULL;
  for(const char *c = rest; *c; c++)
    if((unsigned char)*c <= ' ' || *c == '#' || (unsigned char)*c >= 0x7f)
      return NULL;
  return *rest == '?' ? xasprintf("/%s", rest) : xstrdup(rest);
}

/* A list of strings (or one string) at key; -1 if it is something else. */
static int strv(struct tpl *t, const struct ynode *map, const char *key, char ***out,
                size_t *n)
{
  *out = NULL;
  *n = 0;
  const struct ynode *v = y_get(t->d, map, key);
  if(!v)
    return 0;
  if(y_str(t->d, v)) {
    *out = xmalloc(sizeof(char *));
    (*out)[0] = xstrdup(y_str(t->d, v));
    *n = 1;
    return 0;
  }
  if(!y_is_seq(t->d, v) || y_len(t->d, v) > 256)
    return -1;
  size_t len = y_len(t->d, v);
  char **a = xcalloc(len ? len : 1, sizeof(char *));
  for(size_t i = 0; i < len; i++) {
    const char *s = y_str(t->d, y_item(t->d, v, i));
    if(!s) {
      strv_free(a, i);
      return -1;
    }
    a[i] = xstrdup(s);
  }
  *out = a;
  *n = len;
  return 0;
}

/* The first key of mapping n that is not in known (NULL-ended), with its
 * line; "?" for a key that is not a string; NULL when every key is known. */
static const char *unknown_key(struct tpl *t, const struct ynode *n,
                               const char *const *known, int *line)
{
  struct ypair *pv;
  size_t np = y_pairs(t->d, n, &pv);
  const char *bad = NULL;
  for(size_t i = 0; i < np && !bad; i++) {
    const char *k = y_str(t->d, pv[i].k);
    int ok = 0;
    for(size_t j = 0; k && known[j]; j++)
      ok |= !strcmp(known[j], k);
    if(!ok) {
      *line = pv[i].k->line;
      bad = k ? k : "?";
    }
  }
  free(pv);
  return bad;
}

static int tpl_matcher(struct tpl *t, const struct ynode *n, struct sig_matcher *m)
{
  static const char *const known[] = {"type", "part", "words", "regex", "status", "size",
    "condition", "negative", "case-insensitive", "name", "internal", "encoding", NULL};
  if(!y_is_map(t->d, n))
    return skip(t, n, "a matcher is not a mapping");
  const char *type0 = str_of(t, n, "type");
  if(type0 && strcmp(type0, "word") && strcmp(type0, "regex") && strcmp(type0, "status") &&
     strcmp(type0, "size"))
    return skip(t, n, "matcher type '%.20s' is not supported", type0);
  int line;
  const char *k = unknown_key(t, n, known, &line);
  if(k) {
    snprintf(t->why, t->whylen, "line %d: matcher option '%s' is not supported", line, k);
    return 1;
  }
  const char *type = str_of(t, n, "type");
  const char *part = str_of(t, n, "part");
  const char *cond = str_of(t, n, "condition");
  if(!type)
    return skip(t, n, "a matcher without a type");
  if(str_of(t, n, "encoding"))
    return skip(t, n, "matcher encoding is not supported");
  if(!part || !strcmp(part, "body"))
    m->part = SIG_BODY;
  else if(!strcmp(part, "header"))
    m->part = SIG_HEADER;
  else if(!strcmp(part, "all") || !strcmp(part, "response"))
    m->part = SIG_ALL;
  else
    return skip(t, n, "matcher part '%s' is not supported", part);
  m->all = cond && !strcmp(cond, "and");
  m->negative = y_bool(t->d, y_get(t->d, n, "negative")) == 1;
  m->caseless = y_bool(t->d, y_get(t->d, n, "case-insensitive")) == 1;
  if(!strcmp(type, "word") || !strcmp(type, "regex")) {
    int rx = type[0] == 'r';
    m->kind = rx ? SIG_M_REGEX : SIG_M_WORD;
    if(strv(t, n, rx ? "regex" : "words", &m->words, &m->n) || m->n == 0)
      return skip(t, n, "%s matcher without a list of %s", type, rx ? "regex" : "words");
    for(size_t i = 0; i < m->n; i++)
      if(strstr(m->words[i], "{{"))
        return skip(t, n, "matcher uses a variable (%.40s)", m->words[i]);
    if(rx) {
      m->rx = xcalloc(m->n, sizeof(void *));
      for(size_t i = 0; i < m->n; i++) {
        char why[200];
        m->rx[i] = sig_rx_compile(m->words[i], m->caseless, why, sizeof(why));
        if(!m->rx[i])
          return skip(t, n, "%s", why);
      }
    }
    return 0;
  }
  if(!strcmp(type, "status") || !strcmp(type, "size")) {
    m->kind = type[1] == 't' ? SIG_M_STATUS : SIG_M_SIZE;
    const struct ynode *v = y_get(t->d, n, type);
    size_t len = y_is_seq(t->d, v) ? y_len(t->d, v) : v ? 1 : 0;
    if(len == 0 || len > 256)
      return skip(t, n, "%s matcher without values", type);
    m->nums = xcalloc(len, sizeof(long));
    m->n = len;
    for(size_t i = 0; i < len; i++) {
      long long x;
      const struct ynode *it = y_is_seq(t->d, v) ? y_item(t->d, v, i) : v;
      if(!it || y_int(t->d, it, &x) || x < 0 || x > 1000000000)
        return skip(t, n, "%s matcher value is not a number", type);
      m->nums[i] = (long)x;
    }
    return 0;
  }
  return skip(t, n, "matcher type '%s' is not supported", type);
}

/* One request block of http: (or requests:). 0: added as signature g. */
static int tpl_request(struct tpl *t, struct sig_catalog *c, const struct ynode *rq,
                       const struct wd_rule *r, const char *id, size_t idx,
                       const char *file)
{
  static const char *const known[] = {"method", "path", "matchers", "matchers-condition",
    "stop-at-first-match", "max-size", "extractors", "redirects", "host-redirects",
    "max-redirects", "name", "id", NULL};
  if(!y_is_map(t->d, rq))
    return skip(t, rq, "a request is not a mapping");
  const char *method0 = str_of(t, rq, "method");
  if(method0 && strcmp(method0, "GET") && strcmp(method0, "HEAD"))
    return skip(t, y_get(t->d, rq, "method"), "method %s is not supported (read-only scan)", method0);
  int line;
  const char *k = unknown_key(t, rq, known, &line);
  if(k) {
    if(!strcmp(k, "raw"))
      snprintf(t->why, t->whylen, "line %d: raw requests are not supported", line);
    else if(!strcmp(k, "payloads") || !strcmp(k, "attack") || !strcmp(k, "fuzzing"))
      snprintf(t->why, t->whylen, "line %d: payloads are not supported (they send attack traffic)", line);
    else
      snprintf(t->why, t->whylen, "line %d: request option '%s' is not supported", line, k);
    return 1;
  }
  const char *method = str_of(t, rq, "method");
  if(method && strcmp(method, "GET") && strcmp(method, "HEAD"))
    return skip(t, y_get(t->d, rq, "method"), "method %s is not supported (read-only scan)", method);
  if(method && !strcmp(method, "HEAD"))
    return skip(t, y_get(t->d, rq, "method"), "HEAD requests are not supported yet");
  char **paths;
  size_t npaths;
  if(strv(t, rq, "path", &paths, &npaths) || npaths == 0)
    return skip(t, rq, "a request without a list of paths");
  if(npaths > TPL_MAX_PATHS) {
    strv_free(paths, npaths);
    return skip(t, rq, "more than %d paths", TPL_MAX_PATHS);
  }
  int base_any = 0;
  char **abs = xcalloc(npaths, sizeof(char *));
  for(size_t i = 0; i < npaths; i++) {
    int base = 0;
    abs[i] = tpl_path(paths[i], &base);
    if(!abs[i]) {
      int rc = skip(t, y_get(t->d, rq, "path"), "path '%.60s' is not {{BaseURL}}/... or {{RootURL}}/... without other variables",
                    paths[i]);
      strv_free(paths, npaths);
      strv_free(abs, i);
      return rc;
    }
    base_any |= base;
  }
  strv_free(paths, npaths);
  const struct ynode *ms = y_get(t->d, rq, "matchers");
  if(!ms || !y_is_seq(t->d, ms) || y_len(t->d, ms) == 0 || y_len(t->d, ms) > 64) {
    strv_free(abs, npaths);
    return skip(t, rq, "a request without matchers (extractor-only templates are not supported)");
  }
  const char *mc = str_of(t, rq, "matchers-condition");
  const struct ynode *ex = y_get(t->d, rq, "extractors");
  const struct ynode *ex0 = NULL;
  if(ex && y_is_seq(t->d, ex))
    for(size_t i = 0; i < y_len(t->d, ex); i++) {
      const struct ynode *e = y_item(t->d, ex, i);
      const char *ty = e ? str_of(t, e, "type") : NULL;
      if(!ty || (strcmp(ty, "regex") && strcmp(ty, "kval"))) {
        strv_free(abs, npaths);
        return skip(t, e, "extractor type '%s' is not supported", ty ? ty : "?");
      }
      if(!ex0)
        ex0 = e;
    }
  struct sig *g = sig_add(c);
  g->id = idx ? xasprintf("%s#%zu", id, idx + 1) : xstrdup(id);
  g->rule = r;
  g->what = xasprintf("nuclei template %s", id);
  g->paths = abs;
  g->npaths = npaths;
  g->context = base_any;
  g->any = !(mc && !strcmp(mc, "and"));
  g->file = xstrdup(file);
  g->line = rq->line;
  size_t nm = y_len(t->d, ms);
  g->m = xcalloc(nm, sizeof(*g->m));
  for(size_t i = 0; i < nm; i++) {
    g->nm = i + 1;
    const struct ynode *it = y_item(t->d, ms, i);
    if(!it || tpl_matcher(t, it, &g->m[i]))
      return 1; /* the caller drops what this template added */
  }
  int pos = 0;
  for(size_t i = 0; i < g->nm; i++)
    pos |= !g->m[i].negative && g->m[i].kind != SIG_M_STATUS;
  if(!pos)
    return skip(t, ms, "only status or negative matchers: every page of a catch-all server would match");
  if(ex0) {
    const char *ty = str_of(t, ex0, "type");
    char **v;
    size_t nv;
    if(!strcmp(ty, "kval")) {
      if(strv(t, ex0, "kval", &v, &nv) || nv == 0)
        return skip(t, ex0, "kval extractor without names");
      g->xkval = xstrdup(v[0]);
      strv_free(v, nv);
    } else {
      if(strv(t, ex0, "regex", &v, &nv) || nv == 0)
        return skip(t, ex0, "regex extractor without a regex");
      char why[200];
      g->xrx = sig_rx_compile(v[0], 0, why, sizeof(why));
      strv_free(v, nv);
      if(!g->xrx)
        return skip(t, ex0, "extractor: %s", why);
      long long grp = 0;
      const struct ynode *gn = y_get(t->d, ex0, "group");
      if(gn && (y_int(t->d, gn, &grp) || grp < 0 || grp > 9))
        return skip(t, gn, "extractor group must be 0 to 9");
      g->xgroup = (int)grp;
      const char *part = str_of(t, ex0, "part");
      g->xpart = !part || !strcmp(part, "body") ? SIG_BODY : !strcmp(part, "header") ? SIG_HEADER : SIG_ALL;
    }
  }
  return 0;
}

int sig_load_template(struct sig_catalog *c, const char *file, const char *data,
                      size_t len, char *why, size_t whylen)
{
  struct yloader *yl = yl_new(data, len);
  if(!yl) {
    snprintf(why, whylen, "cannot start the YAML parser");
    return 1;
  }
  struct ydoc d;
  char err[300];
  struct tpl t = {&d, why, whylen};
  int rc = yl_next(yl, &d, err, sizeof(err));
  if(rc < 0) {
    snprintf(why, whylen, "not YAML: line %s", err);
    yl_free(yl);
    return 1;
  }
  if(rc == 0 || !d.root || !y_is_map(&d, d.root)) {
    yl_free(yl);
    return skip(&t, NULL, "not a template (no mapping)");
  }
  int out = 0;
  size_t nrules0 = c->nrules, nsigs0 = c->n;
  const struct ynode *root = d.root;
  const char *id = str_of(&t, root, "id");
  const struct ynode *info = y_get(&d, root, "info");
  const struct ynode *http = y_get(&d, root, "http");
  if(!http)
    http = y_get(&d, root, "requests");
  static const char *const protos[] = {"dns", "network", "tcp", "file", "headless", "ssl",
    "websocket", "whois", "code", "javascript", "flow", "workflows", NULL};
  const char *other = NULL;
  for(size_t i = 0; protos[i]; i++)
    if(y_get(&d, root, protos[i]))
      other = protos[i];
  if(!id || !*id || strlen(id) > 120)
    out = skip(&t, root, "no id");
  else if(!info || !y_is_map(&d, info))
    out = skip(&t, root, "no info block");
  else if(other)
    out = skip(&t, y_get(&d, root, other), "protocol '%s' is not supported (HTTP only)", other);
  else if(!http || !y_is_seq(&d, http) || y_len(&d, http) == 0)
    out = skip(&t, root, "no http requests");
  else if(sig_find_rule(c, id))
    out = skip(&t, root, "template id '%s' already loaded", id);
  if(!out) {
    const char *name = str_of(&t, info, "name");
    const char *sev = str_of(&t, info, "severity");
    const char *desc = str_of(&t, info, "description");
    const char *rem = str_of(&t, info, "remediation");
    int sv = sev ? sev_parse(sev) : -1;
    long cwe = 0;
    const struct ynode *cl = y_get(&d, info, "classification");
    const char *cw = cl ? str_of(&t, cl, "cwe-id") : NULL;
    if(cw && !strncmp(cw, "CWE-", 4))
      cwe = strtol(cw + 4, NULL, 10);
    struct wd_rule *r = sig_add_rule(c);
    r->id = xstrdup(id);
    r->severity = sv < 0 ? WD_SEV_INFO : (enum wd_severity)sv;
    r->category = WD_CAT_MISCONFIG;
    r->owasp = NULL;
    r->cwe = cwe > 0 && cwe < 100000 ? (int)cwe : 0;
    r->title = xstrdup(name ? name : id);
    r->summary = xasprintf("nuclei template: %s", name ? name : id);
    r->remediation = xstrdup(rem ? rem : desc ? desc : "The template gives no remediation.");
    for(size_t i = 0; !out && i < y_len(&d, http); i++)
      out = tpl_request(&t, c, y_item(&d, http, i), r, id, i, file);
  }
  if(!out && d.exhausted)
    out = skip(&t, root, "alias expansion budget exhausted");
  if(out)
    sig_catalog_truncate(c, nrules0, nsigs0);
  yl_free(yl);
  return out;
}

/* ---- files and directories ---------------------------------------------- */

#define TPL_MAX_FILE (1u << 20)
#define TPL_MAX_DEPTH 8
#define TPL_MAX_FILES 20000

struct tpl_walk {
  char **names;
  size_t n, cap;
};

static int is_yaml(const char *name)
{
  size_t l = strlen(name);
  return (l > 5 && !strcmp(name + l - 5, ".yaml")) || (l > 4 && !strcmp(name + l - 4, ".yml"));
}

static void walk(struct tpl_walk *w, const char *dir, int depth)
{
  if(depth > TPL_MAX_DEPTH)
    return;
  DIR *d = opendir(dir);
  if(!d)
    return;
  struct dirent *e;
  while((e = readdir(d)) && w->n < TPL_MAX_FILES) {
    if(e->d_name[0] == '.')
      continue;
    char *p = xasprintf("%s/%s", dir, e->d_name);
    struct stat st;
    if(lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
      walk(w, p, depth + 1);
      free(p);
    } else if(lstat(p, &st) == 0 && S_ISREG(st.st_mode) && is_yaml(e->d_name)) {
      w->names = xgrow(w->names, &w->cap, w->n + 1, sizeof(char *));
      w->names[w->n++] = p;
    } else {
      free(p);
    }
  }
  closedir(d);
}

static int cmp_name(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int sig_load_templates(struct sig_catalog *c, const char *path,
                       void (*note)(void *ctx, const char *msg), void *ctx,
                       char *err, size_t errlen)
{
  struct stat st;
  if(stat(path, &st)) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  struct tpl_walk w = {NULL, 0, 0};
  if(S_ISDIR(st.st_mode)) {
    walk(&w, path, 0);
    if(w.n)
      qsort(w.names, w.n, sizeof(char *), cmp_name);
  } else {
    w.names = xmalloc(sizeof(char *));
    w.names[w.n++] = xstrdup(path);
  }
  int added = 0;
  char *data = xmalloc(TPL_MAX_FILE + 1);
  for(size_t i = 0; i < w.n; i++) {
    char why[400] = "";
    FILE *f = fopen(w.names[i], "rb");
    if(!f) {
      snprintf(why, sizeof(why), "%s", strerror(errno));
    } else {
      size_t n = fread(data, 1, TPL_MAX_FILE + 1, f);
      int bad = ferror(f);
      fclose(f);
      if(bad || n > TPL_MAX_FILE)
        snprintf(why, sizeof(why), "%s", bad ? "read error" : "larger than 1 MiB");
      else if(sig_load_template(c, w.names[i], data, n, why, sizeof(why)) == 0)
        added++;
    }
    if(why[0] && note) {
      char *msg = xasprintf("%s: skipped: %s", w.names[i], why);
      note(ctx, msg);
      free(msg);
    }
    free(w.names[i]);
  }
  free(data);
  free(w.names);
  return added;
}
