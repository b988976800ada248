/*
 * sig_load.c - signature files (YAML) into the catalogue. The format is
 * docs/signatures.md; every key is known (a typo is an error naming the
 * line), every list is bounded.
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

#define SIG_MAX_LIST 256     /* paths, words, prefixes ... per key */
#define SIG_MAX_FILE (4u << 20)
#define SIG_MAX_SIGS 20000

struct ld {
  struct sig_catalog *c;
  struct ydoc *d;
  const char *name;
  char *err;
  size_t errlen;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct ld *l, const struct ynode *n, const char *fmt, ...)
{
  char msg[300];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof(msg), fmt, ap);
  va_end(ap);
  snprintf(l->err, l->errlen, "%s:%d: %s", l->name, n ? n->line : 0, msg);
  return -1;
}

static int check_keys(struct ld *l, const struct ynode *map, const char *const *known)
{
  struct ypair *pv;
  size_t np = y_pairs(l->d, map, &pv);
  for(size_t i = 0; i < np; i++) {
    const char *k = y_str(l->d, pv[i].k);
    int ok = 0;
    for(size_t j = 0; k && known[j]; j++)
      ok |= strcmp(known[j], k) == 0;
    if(!ok) {
      int line = pv[i].k->line;
      free(pv);
      snprintf(l->err, l->errlen, "%s:%d: unknown key '%s'", l->name, line,
               k ? k : "(not a string)");
      return -1;
    }
    /* libyaml keeps both copies of a repeated key; the second would be
     * silently ignored. */
    for(size_t j = 0; j < i; j++) {
      const char *k2 = y_str(l->d, pv[j].k);
      if(k2 && strcmp(k, k2) == 0) {
        int line = pv[i].k->line;
        free(pv);
        snprintf(l->err, l->errlen, "%s:%d: key '%s' given twice", l->name, line, k);
        return -1;
      }
    }
  }
  free(pv);
  return 0;
}

/* n is a mapping (a "what") whose keys are all known, each once. */
static int check_map(struct ld *l, const struct ynode *n, const char *what,
                     const char *const *known)
{
  if(!y_is_map(l->d, n))
    return fail(l, n, "a %s must be a mapping", what);
  return check_keys(l, n, known);
}

/* A scalar string value (required or not). */
static int get_str(struct ld *l, const struct ynode *map, const char *key, int required,
                   const char **out)
{
  const struct ynode *n = y_get(l->d, map, key);
  *out = NULL;
  if(!n) {
    if(required)
      return fail(l, map, "missing '%s'", key);
    return 0;
  }
  const char *s = y_str(l->d, n);
  if(!s || (!*s && required))
    return fail(l, n, "'%s' must be a non-empty string", key);
  *out = s;
  return 0;
}

/* A string or a list of strings; *out is a heap array of copies. */
static int get_strv(struct ld *l, const struct ynode *map, const char *key,
                    char ***out, size_t *n)
{
  *out = NULL;
  *n = 0;
  const struct ynode *v = y_get(l->d, map, key);
  if(!v)
    return 0;
  if(y_str(l->d, v)) {
    *out = xmalloc(sizeof(char *));
    (*out)[0] = xstrdup(y_str(l->d, v));
    *n = 1;
    return 0;
  }
  if(!y_is_seq(l->d, v))
    return fail(l, v, "'%s' must be a string or a list of strings", key);
  size_t len = y_len(l->d, v);
  if(len > SIG_MAX_LIST)
    return fail(l, v, "'%s' has %zu items (at most %d)", key, len, SIG_MAX_LIST);
  char **a = xcalloc(len ? len : 1, sizeof(char *));
  for(size_t i = 0; i < len; i++) {
    const struct ynode *it = y_item(l->d, v, i);
    const char *s = y_str(l->d, it);
    if(!s) {
      strv_free(a, i);
      return fail(l, it ? it : v, "'%s' items must be strings", key);
    }
    a[i] = xstrdup(s);
  }
  *out = a;
  *n = len;
  return 0;
}

static int get_bool(struct ld *l, const struct ynode *map, const char *key, int *out)
{
  const struct ynode *n = y_get(l->d, map, key);
  if(!n)
    return 0;
  int b = y_bool(l->d, n);
  if(b < 0)
    return fail(l, n, "'%s' must be true or false", key);
  *out = b;
  return 0;
}

static int parse_sev(struct ld *l, const struct ynode *map, int *out)
{
  const char *s;
  if(get_str(l, map, "severity", 0, &s))
    return -1;
  if(!s)
    return 0;
  int v = sev_parse(s);
  if(v < 0)
    return fail(l, y_get(l->d, map, "severity"),
                "severity '%s' is not one of critical, high, medium, low, info", s);
  *out = v;
  return 0;
}

static int load_rule(struct ld *l, const struct ynode *n)
{
  static const char *const keys[] = {"id", "severity", "category", "owasp", "cwe",
    "title", "summary", "remediation", "fixes", NULL};
  if(check_map(l, n, "rule", keys))
    return -1;
  const char *id, *cat, *owasp, *title, *summary, *rem;
  if(get_str(l, n, "id", 1, &id) || get_str(l, n, "category", 1, &cat) ||
     get_str(l, n, "owasp", 0, &owasp) || get_str(l, n, "title", 1, &title) ||
     get_str(l, n, "summary", 1, &summary) || get_str(l, n, "remediation", 1, &rem))
    return -1;
  if(sig_find_rule(l->c, id))
    return fail(l, y_get(l->d, n, "id"), "rule '%s' is declared twice", id);
  int sev = -1;
  if(parse_sev(l, n, &sev))
    return -1;
  if(sev < 0)
    return fail(l, n, "missing 'severity'");
  int catv = -1;
  for(int i = 0; i < WD_CAT__COUNT; i++)
    if(strcmp(cat_name((enum wd_category)i), cat) == 0)
      catv = i;
  if(catv < 0)
    return fail(l, y_get(l->d, n, "category"), "unknown category '%s'", cat);
  long long cwe = 0;
  const struct ynode *cn = y_get(l->d, n, "cwe");
  if(cn && (y_int(l->d, cn, &cwe) || cwe < 0 || cwe > 100000))
    return fail(l, cn, "'cwe' must be a CWE number");
  const struct ynode *fx = y_get(l->d, n, "fixes");
  struct wd_fix *fixes = NULL;
  if(fx) {
    if(!y_is_map(l->d, fx))
      return fail(l, fx, "'fixes' maps a framework or product to its remediation");
    struct ypair *pv;
    size_t np = y_pairs(l->d, fx, &pv);
    if(np > SIG_MAX_LIST) {
      free(pv);
      return fail(l, fx, "too many fixes");
    }
    for(size_t i = 0; i < np; i++)
      if(!y_str(l->d, pv[i].k) || !y_str(l->d, pv[i].v)) {
        int line = pv[i].k->line;
        free(pv);
        snprintf(l->err, l->errlen, "%s:%d: a fix is 'framework: text'", l->name, line);
        return -1;
      }
    fixes = xcalloc(np + 1, sizeof(*fixes));
    for(size_t i = 0; i < np; i++) {
      fixes[i].framework = xstrdup(y_str(l->d, pv[i].k));
      fixes[i].text = xstrdup(y_str(l->d, pv[i].v));
    }
    free(pv);
  }
  struct wd_rule *r = sig_add_rule(l->c);
  r->id = xstrdup(id);
  r->severity = (enum wd_severity)sev;
  r->category = (enum wd_category)catv;
  r->owasp = owasp ? xstrdup(owasp) : NULL;
  r->cwe = (int)cwe;
  r->title = xstrdup(title);
  r->summary = xstrdup(summary);
  r->remediation = xstrdup(rem);
  r->fixes = fixes;
  return 0;
}

static int load_matcher(struct ld *l, const struct ynode *n, struct sig_matcher *m)
{
  static const char *const keys[] = {"status", "size", "words", "regex", "ctype",
    "part", "condition", "negative", "case-insensitive", NULL};
  if(check_map(l, n, "matcher", keys))
    return -1;
  static const char *const kinds[] = {"words", "regex", "status", "size", "ctype"};
  int kind = -1;
  for(int i = 0; i < 5; i++)
    if(y_get(l->d, n, kinds[i])) {
      if(kind >= 0)
        return fail(l, n, "a matcher has one of words, regex, status, size, ctype (this one has %s and %s)",
                    kinds[kind], kinds[i]);
      kind = i;
    }
  if(kind < 0)
    return fail(l, n, "a matcher needs one of words, regex, status, size, ctype");
  m->kind = (enum sig_mkind)kind;
  const char *part, *cond;
  if(get_str(l, n, "part", 0, &part) || get_str(l, n, "condition", 0, &cond))
    return -1;
  if(part) {
    if(!strcmp(part, "body"))
      m->part = SIG_BODY;
    else if(!strcmp(part, "header"))
      m->part = SIG_HEADER;
    else if(!strcmp(part, "all"))
      m->part = SIG_ALL;
    else
      return fail(l, y_get(l->d, n, "part"), "part '%s' is not body, header or all", part);
  }
  if(cond) {
    if(strcmp(cond, "and") && strcmp(cond, "or"))
      return fail(l, y_get(l->d, n, "condition"), "condition '%s' is not and/or", cond);
    m->all = !strcmp(cond, "and");
  }
  if(get_bool(l, n, "negative", &m->negative) ||
     get_bool(l, n, "case-insensitive", &m->caseless))
    return -1;
  const struct ynode *v = y_get(l->d, n, kinds[kind]);
  if(m->kind == SIG_M_STATUS || m->kind == SIG_M_SIZE) {
    size_t len = y_is_seq(l->d, v) ? y_len(l->d, v) : 1;
    if(len == 0 || len > SIG_MAX_LIST)
      return fail(l, v, "'%s' needs 1 to %d numbers", kinds[kind], SIG_MAX_LIST);
    m->nums = xcalloc(len, sizeof(long));
    m->n = len;
    for(size_t i = 0; i < len; i++) {
      const struct ynode *it = y_is_seq(l->d, v) ? y_item(l->d, v, i) : v;
      long long x;
      if(!it || y_int(l->d, it, &x) || x < 0 || x > 1000000000)
        return fail(l, it ? it : v, "'%s' must be numbers", kinds[kind]);
      m->nums[i] = (long)x;
    }
    return 0;
  }
  if(get_strv(l, n, kinds[kind], &m->words, &m->n))
    return -1;
  if(m->n == 0)
    return fail(l, v, "'%s' is empty", kinds[kind]);
  for(size_t i = 0; i < m->n; i++)
    if(!m->words[i][0])
      return fail(l, v, "'%s' holds an empty string", kinds[kind]);
  if(m->kind == SIG_M_REGEX) {
    m->rx = xcalloc(m->n, sizeof(void *));
    for(size_t i = 0; i < m->n; i++) {
      char why[200];
      m->rx[i] = sig_rx_compile(m->words[i], m->caseless, why, sizeof(why));
      if(!m->rx[i])
        return fail(l, v, "%s", why);
    }
  }
  return 0;
}

static int valid_path(const char *p)
{
  if(p[0] != '/')
    return 0;
  for(const char *c = p; *c; c++)
    if((unsigned char)*c <= ' ' || *c == '#' || (unsigned char)*c >= 0x7f)
      return 0;
  return 1;
}

static int load_sig(struct ld *l, const struct ynode *n)
{
  static const char *const keys[] = {"id", "rule", "severity", "title", "evidence",
    "product", "paths", "prefixes", "routes", "context", "condition", "matchers", NULL};
  if(check_map(l, n, "signature", keys))
    return -1;
  if(l->c->n >= SIG_MAX_SIGS)
    return fail(l, n, "too many signatures");
  const char *id, *rule, *title, *what, *product, *cond;
  if(get_str(l, n, "id", 1, &id) || get_str(l, n, "rule", 0, &rule) ||
     get_str(l, n, "title", 0, &title) || get_str(l, n, "evidence", 0, &what) ||
     get_str(l, n, "product", 0, &product) || get_str(l, n, "condition", 0, &cond))
    return -1;
  for(size_t i = 0; i < l->c->n; i++)
    if(strcmp(l->c->v[i].id, id) == 0)
      return fail(l, y_get(l->d, n, "id"), "signature '%s' is declared twice", id);
  /* Without a rule, a signature only recognises a product. */
  if(!rule && !product)
    return fail(l, n, "a signature needs a 'rule' (or at least a 'product' it recognises)");
  const struct wd_rule *r = rule ? sig_find_rule(l->c, rule) : NULL;
  if(rule && !r)
    return fail(l, y_get(l->d, n, "rule"), "rule '%s' is not declared (declare it under rules:)", rule);
  if(cond && strcmp(cond, "and") && strcmp(cond, "or"))
    return fail(l, y_get(l->d, n, "condition"), "condition '%s' is not and/or", cond);
  int sev = -1, context = 0;
  if(parse_sev(l, n, &sev) || get_bool(l, n, "context", &context))
    return -1;
  char **paths = NULL, **prefixes = NULL, **routes = NULL;
  size_t npaths = 0, nprefixes = 0, nroutes = 0;
  if(get_strv(l, n, "paths", &paths, &npaths) ||
     get_strv(l, n, "prefixes", &prefixes, &nprefixes) ||
     get_strv(l, n, "routes", &routes, &nroutes)) {
    strv_free(paths, npaths);
    strv_free(prefixes, nprefixes);
    return -1;
  }
  const struct ynode *ms = y_get(l->d, n, "matchers");
  struct sig *g = sig_add(l->c);
  g->id = xstrdup(id);
  g->rule = r;
  g->severity = sev;
  g->title = title ? xstrdup(title) : NULL;
  g->what = xstrdup(what ? what : id);
  g->product = product ? xstrdup(product) : NULL;
  g->any = cond && !strcmp(cond, "or");
  g->context = context;
  g->file = xstrdup(l->name);
  g->line = n->line;
  /* paths, then each prefix + path */
  int rc = 0;
  g->paths = xcalloc((npaths ? npaths : 1) * (nprefixes + 1), sizeof(char *));
  for(size_t i = 0; i < npaths && !rc; i++) {
    if(!valid_path(paths[i])) {
      rc = fail(l, y_get(l->d, n, "paths"), "path '%s' must start with / and hold no spaces", paths[i]);
      break;
    }
    g->paths[g->npaths++] = xstrdup(paths[i]);
    for(size_t j = 0; j < nprefixes; j++) {
      if(!valid_path(prefixes[j]) || prefixes[j][strlen(prefixes[j]) - 1] == '/') {
        rc = fail(l, y_get(l->d, n, "prefixes"), "prefix '%s' must start with / and not end with /", prefixes[j]);
        break;
      }
      g->paths[g->npaths++] = xasprintf("%s%s", prefixes[j], paths[i]);
    }
  }
  strv_free(paths, npaths);
  strv_free(prefixes, nprefixes);
  if(nroutes) {
    g->routes = xcalloc(nroutes, sizeof(void *));
    for(size_t i = 0; i < nroutes; i++) {
      char why[200];
      if(!rc) {
        g->routes[i] = sig_rx_compile(routes[i], 0, why, sizeof(why));
        if(!g->routes[i])
          rc = fail(l, y_get(l->d, n, "routes"), "route: %s", why);
        else
          g->nroutes = i + 1;
      }
      free(routes[i]);
    }
  }
  free(routes);
  if(rc)
    return -1;
  if(!g->npaths && !g->nroutes)
    return fail(l, n, "signature '%s' has no paths and no routes", id);
  if(!ms || !y_is_seq(l->d, ms) || y_len(l->d, ms) == 0)
    return fail(l, ms ? ms : n, "signature '%s' needs a list of matchers", id);
  size_t nm = y_len(l->d, ms);
  if(nm > 64)
    return fail(l, ms, "at most 64 matchers");
  g->m = xcalloc(nm, sizeof(*g->m));
  for(size_t i = 0; i < nm; i++) {
    const struct ynode *it = y_item(l->d, ms, i);
    g->nm = i + 1; /* freed with the catalogue even if incomplete */
    if(!it)
      return fail(l, ms, "empty matcher");
    if(load_matcher(l, it, &g->m[i]))
      return -1;
  }
  /* A signature made only of negative matchers would match nearly
   * everything. */
  int pos = 0;
  for(size_t i = 0; i < g->nm; i++)
    pos |= !g->m[i].negative && g->m[i].kind != SIG_M_STATUS;
  if(!pos)
    return fail(l, ms, "signature '%s' needs a positive content matcher (words, regex, ctype or size)", id);
  return 0;
}

int sig_load_text(struct sig_catalog *c, const char *name, const char *data,
                  size_t len, char *err, size_t errlen)
{
  struct yloader *yl = yl_new(data, len);
  if(!yl) {
    snprintf(err, errlen, "%s: cannot start the YAML parser", name);
    return -1;
  }
  struct ydoc d;
  char why[300];
  struct ld l = {c, &d, name, err, errlen};
  int rc, ndocs = 0, bad = 0;
  while(!bad && (rc = yl_next(yl, &d, why, sizeof(why))) == 1) {
    if(!d.root)
      continue;
    ndocs++;
    static const char *const keys[] = {"rules", "signatures", NULL};
    if(!y_is_map(&d, d.root)) {
      bad = fail(&l, d.root, "a signature file is a mapping with rules: and signatures:");
      break;
    }
    if(check_keys(&l, d.root, keys)) {
      bad = -1;
      break;
    }
    const struct ynode *rs = y_get(&d, d.root, "rules");
    const struct ynode *ss = y_get(&d, d.root, "signatures");
    if(rs && !y_is_seq(&d, rs))
      bad = fail(&l, rs, "'rules' must be a list");
    if(!bad && ss && !y_is_seq(&d, ss))
      bad = fail(&l, ss, "'signatures' must be a list");
    for(size_t i = 0; !bad && i < y_len(&d, rs); i++)
      bad = load_rule(&l, y_item(&d, rs, i));
    for(size_t i = 0; !bad && i < y_len(&d, ss); i++)
      bad = load_sig(&l, y_item(&d, ss, i));
    if(!bad && d.exhausted)
      bad = fail(&l, d.root, "alias expansion budget exhausted");
  }
  yl_free(yl);
  if(bad)
    return -1;
  if(rc < 0) {
    snprintf(err, errlen, "%s:%s", name, why);
    return -1;
  }
  if(ndocs == 0) {
    snprintf(err, errlen, "%s:1: empty signature file", name);
    return -1;
  }
  return 0;
}

static int load_file(struct sig_catalog *c, const char *path, char *err, size_t errlen)
{
  FILE *f = fopen(path, "rb");
  if(!f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  char *data = xmalloc(SIG_MAX_FILE + 1);
  size_t n = fread(data, 1, SIG_MAX_FILE + 1, f);
  int rerr = ferror(f);
  fclose(f);
  if(rerr || n > SIG_MAX_FILE) {
    snprintf(err, errlen, "%s: %s", path, rerr ? "read error" : "larger than 4 MiB");
    free(data);
    return -1;
  }
  int rc = sig_load_text(c, path, data, n, err, errlen);
  free(data);
  return rc;
}

static int cmp_str(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int sig_load_path(struct sig_catalog *c, const char *path, char *err, size_t errlen)
{
  struct stat st;
  if(stat(path, &st)) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  if(!S_ISDIR(st.st_mode))
    return load_file(c, path, err, errlen);
  DIR *dir = opendir(path);
  if(!dir) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while((e = readdir(dir))) {
    size_t l = strlen(e->d_name);
    if(e->d_name[0] == '.' ||
       !((l > 5 && !strcmp(e->d_name + l - 5, ".yaml")) ||
         (l > 4 && !strcmp(e->d_name + l - 4, ".yml"))))
      continue;
    names = xgrow(names, &cap, n + 1, sizeof(char *));
    names[n++] = xasprintf("%s/%s", path, e->d_name);
  }
  closedir(dir);
  if(n)
    qsort(names, n, sizeof(char *), cmp_str);
  int rc = 0;
  for(size_t i = 0; i < n; i++) {
    if(!rc)
      rc = load_file(c, names[i], err, errlen);
    free(names[i]);
  }
  free(names);
  if(!rc && n == 0) {
    snprintf(err, errlen, "%s: no .yaml signature files in this directory", path);
    return -1;
  }
  return rc;
}

int sig_load_builtin(struct sig_catalog *c, char *err, size_t errlen)
{
  for(const struct sig_blob *b = sig_builtin_files; b->name; b++)
    if(sig_load_text(c, b->name, b->data, b->len, err, errlen))
      return -1;
  return 0;
}
