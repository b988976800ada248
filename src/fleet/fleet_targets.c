/*
 * fleet_targets.c - target lists and shards (fleet.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../net/net_url.h"
#include "fleet.h"

void fleet_list_init(struct fleet_list *l)
{
  memset(l, 0, sizeof(*l));
}

static void target_free(struct fleet_target *t)
{
  free(t->url);
  free(t->key);
  free(t->spec);
  for(int i = 0; i < t->nscope; i++)
    free(t->scope[i]);
  memset(t, 0, sizeof(*t));
}

void fleet_list_cleanup(struct fleet_list *l)
{
  for(size_t i = 0; i < l->n; i++)
    target_free(&l->v[i]);
  free(l->v);
  memset(l, 0, sizeof(*l));
}

/* Normalises url into t->key and checks its address family. */
static int target_key(struct fleet_target *t, const char *url, int family,
                      char *err, size_t errlen)
{
  struct url_parts u;
  char why[200];
  if(url_parse(url, &u, why, sizeof(why))) {
    snprintf(err, errlen, "'%.200s' is not a URL warden can scan: %s", url, why);
    return -1;
  }
  unsigned char a[16];
  int v4 = inet_pton(AF_INET, u.host, a) == 1;
  int v6 = !v4 && inet_pton(AF_INET6, u.host, a) == 1;
  if((family == 4 && v6) || (family == 6 && v4)) {
    snprintf(err, errlen, "%.200s: an IPv%d address, but only IPv%d targets are allowed (%s)",
             url, v4 ? 4 : 6, family, family == 4 ? "-4" : "-6");
    url_parts_cleanup(&u);
    return -1;
  }
  int brackets = v6;
  t->key = xasprintf("%s://%s%s%s:%d%s%s%s", u.scheme, brackets ? "[" : "", u.host,
                     brackets ? "]" : "", u.port, u.path ? u.path : "/",
                     u.query ? "?" : "", u.query ? u.query : "");
  url_parts_cleanup(&u);
  return 0;
}

static struct fleet_target *list_push(struct fleet_list *l)
{
  if(l->n == l->cap) {
    l->cap = l->cap ? l->cap * 2 : 16;
    l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
  }
  struct fleet_target *t = &l->v[l->n++];
  memset(t, 0, sizeof(*t));
  return t;
}

int fleet_add_url(struct fleet_list *l, const char *url, int family,
                  char *err, size_t errlen)
{
  if(l->n >= FLEET_MAX_TARGETS) {
    snprintf(err, errlen, "more than %d targets", FLEET_MAX_TARGETS);
    return -1;
  }
  struct fleet_target t;
  memset(&t, 0, sizeof(t));
  if(target_key(&t, url, family, err, errlen))
    return -1;
  t.url = xstrdup(url);
  *list_push(l) = t;
  return 0;
}

/* Splits line into tokens (whitespace; '...' and "..." quote; a token
 * starting with # ends the line). Returns the count, or -1 with why. */
#define LINE_TOKENS 64
static int tokenize(char *line, char **tok, const char **why)
{
  int n = 0;
  char *p = line;
  for(;;) {
    while(*p == ' ' || *p == '\t')
      p++;
    if(!*p || *p == '#')
      return n;
    if(n == LINE_TOKENS) {
      *why = "too many words";
      return -1;
    }
    char *out = p;
    tok[n++] = out;
    while(*p && *p != ' ' && *p != '\t') {
      if(*p == '\'' || *p == '"') {
        char q = *p++;
        char *close = strchr(p, q);
        if(!close) {
          *why = q == '"' ? "a \" quote is not closed" : "a ' quote is not closed";
          return -1;
        }
        size_t k = (size_t)(close - p);
        memmove(out, p, k);
        out += k;
        p = close + 1;
      } else {
        *out++ = *p++;
      }
    }
    int end = !*p;
    *out = '\0';
    if(end)
      return n;
    if(out == p)
      p++;
    else
      p++; /* the separator (already overwritten or not, it is past) */
  }
}

/* Value of an option: "--opt=v" or "--opt v". */
static const char *opt_value(char **tok, int n, int *i, const char *name)
{
  size_t nl = strlen(name);
  if(strncmp(tok[*i], name, nl) == 0 && tok[*i][nl] == '=')
    return tok[*i] + nl + 1;
  if(strcmp(tok[*i], name) == 0 && *i + 1 < n)
    return tok[++*i];
  return NULL;
}

static int opt_is(const char *tok, const char *name)
{
  size_t nl = strlen(name);
  return strncmp(tok, name, nl) == 0 && (tok[nl] == '\0' || tok[nl] == '=');
}

static int parse_line(struct fleet_list *l, char *line, int lineno, const char *dir,
                      int family, char *err, size_t errlen, const char *name)
{
  char *tok[LINE_TOKENS];
  const char *why = NULL;
  int n = tokenize(line, tok, &why);
  if(n < 0) {
    snprintf(err, errlen, "%s:%d: %s", name, lineno, why);
    return -1;
  }
  if(n == 0)
    return 0;
  if(tok[0][0] == '-') {
    snprintf(err, errlen, "%s:%d: a line starts with the target's URL, not '%.60s'",
             name, lineno, tok[0]);
    return -1;
  }
  if(l->n >= FLEET_MAX_TARGETS) {
    snprintf(err, errlen, "%s:%d: more than %d targets", name, lineno, FLEET_MAX_TARGETS);
    return -1;
  }
  struct fleet_target t;
  memset(&t, 0, sizeof(t));
  t.line = lineno;
  t.list = name;
  char why2[400];
  if(target_key(&t, tok[0], family, why2, sizeof(why2))) {
    snprintf(err, errlen, "%s:%d: %s", name, lineno, why2);
    return -1;
  }
  t.url = xstrdup(tok[0]);
  for(int i = 1; i < n; i++) {
    const char *v;
    if(opt_is(tok[i], "--spec")) {
      if(!(v = opt_value(tok, n, &i, "--spec")) || !*v || t.spec) {
        snprintf(err, errlen, "%s:%d: --spec takes one FILE or URL", name, lineno);
        goto bad;
      }
      if(v[0] != '/' && strncmp(v, "http://", 7) && strncmp(v, "https://", 8) && dir &&
         strcmp(dir, "."))
        t.spec = xasprintf("%s/%s", dir, v);
      else
        t.spec = xstrdup(v);
    } else if(opt_is(tok[i], "--scope")) {
      if(!(v = opt_value(tok, n, &i, "--scope")) || !*v) {
        snprintf(err, errlen, "%s:%d: --scope takes HOST[:PORT]", name, lineno);
        goto bad;
      }
      if(t.nscope >= FLEET_SCOPE_MAX) {
        snprintf(err, errlen, "%s:%d: at most %d --scope entries on a line", name, lineno,
                 FLEET_SCOPE_MAX);
        goto bad;
      }
      t.scope[t.nscope++] = xstrdup(v);
    } else if(strcmp(tok[i], "--no-discovery") == 0) {
      t.no_discovery = 1;
    } else if(strcmp(tok[i], "--auth-required") == 0) {
      t.auth_required = 1;
    } else {
      snprintf(err, errlen, "%s:%d: '%.60s' is not a per-target option "
               "(--spec, --scope, --no-discovery, --auth-required)", name, lineno, tok[i]);
      goto bad;
    }
  }
  *list_push(l) = t;
  return 0;
bad:
  target_free(&t);
  return -1;
}

int fleet_parse(struct fleet_list *l, const char *text, size_t len,
                const char *name, const char *dir, int family,
                char *err, size_t errlen)
{
  char *line = xmalloc(FLEET_LINE_MAX + 1);
  size_t pos = 0;
  int lineno = 0;
  int rc = 0;
  while(pos < len) {
    lineno++;
    const char *nl = memchr(text + pos, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - text) : len;
    size_t n = end - pos;
    if(n && text[pos + n - 1] == '\r')
      n--;
    if(n > FLEET_LINE_MAX) {
      snprintf(err, errlen, "%s:%d: the line is longer than %d bytes", name, lineno,
               FLEET_LINE_MAX);
      rc = -1;
      break;
    }
    if(memchr(text + pos, '\0', n)) {
      snprintf(err, errlen, "%s:%d: a NUL byte (is this a text file?)", name, lineno);
      rc = -1;
      break;
    }
    memcpy(line, text + pos, n);
    line[n] = '\0';
    pos = nl ? end + 1 : len;
    if(parse_line(l, line, lineno, dir, family, err, errlen, name)) {
      rc = -1;
      break;
    }
  }
  free(line);
  return rc;
}

int fleet_load(struct fleet_list *l, const char *path, int family,
               char *err, size_t errlen)
{
  int is_stdin = strcmp(path, "-") == 0;
  FILE *f = is_stdin ? stdin : fopen(path, "rb");
  if(!f) {
    snprintf(err, errlen, "%s: cannot read the targets list: %s", path, strerror(errno));
    return -1;
  }
  size_t cap = 65536, len = 0;
  char *text = xmalloc(cap);
  int bad = 0;
  for(;;) {
    if(len == cap) {
      if(cap >= FLEET_FILE_MAX) {
        bad = 2;
        break;
      }
      cap *= 2;
      text = xrealloc(text, cap);
    }
    size_t want = cap - len;
    size_t got = fread(text + len, 1, want, f);
    len += got;
    if(got < want) {
      if(ferror(f))
        bad = 1;
      break;
    }
  }
  int e = errno;
  if(!is_stdin)
    fclose(f);
  if(bad) {
    if(bad == 2)
      snprintf(err, errlen, "%s: the targets list is larger than %u MiB", path,
               FLEET_FILE_MAX >> 20);
    else
      snprintf(err, errlen, "%s: cannot read the targets list: %s", path, strerror(e));
    free(text);
    return -1;
  }
  char *dir = NULL;
  if(!is_stdin) {
    const char *slash = strrchr(path, '/');
    dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path)) : xstrdup(".");
  }
  int rc = fleet_parse(l, text, len, is_stdin ? "(stdin)" : path, dir, family, err, errlen);
  free(dir);
  free(text);
  return rc;
}

int fleet_shard_parse(const char *arg, unsigned *i, unsigned *n, char *err, size_t errlen)
{
  char *end;
  errno = 0;
  unsigned long a = strtoul(arg, &end, 10);
  if(end == arg || *end != '/' || errno || arg[0] == '-') {
    snprintf(err, errlen, "--shard: '%s' is not I/N (e.g. 0/4)", arg);
    return -1;
  }
  const char *b = end + 1;
  unsigned long c = strtoul(b, &end, 10);
  if(end == b || *end || errno || b[0] == '-' || c < 1 || c > 65536 || a >= c) {
    snprintf(err, errlen, "--shard: '%s' is not I/N with 0 <= I < N <= 65536", arg);
    return -1;
  }
  *i = (unsigned)a;
  *n = (unsigned)c;
  return 0;
}

/* FNV-1a, 64 bits: stable across runs, machines and builds. */
static unsigned long long key_hash(const char *s)
{
  unsigned long long h = 1469598103934665603ULL;
  for(; *s; s++) {
    h ^= (unsigned char)*s;
    h *= 1099511628211ULL;
  }
  return h;
}

int fleet_in_shard(const struct fleet_target *t, unsigned i, unsigned n)
{
  return n <= 1 || key_hash(t->key) % n == i;
}

void fleet_select(struct fleet_list *l, unsigned i, unsigned n)
{
  /* Duplicates by an open-addressing set of key hashes (then strcmp). */
  size_t ns = 16;
  while(ns < l->n * 2)
    ns *= 2;
  size_t *slot = xcalloc(ns, sizeof(*slot)); /* kept index + 1 */
  size_t w = 0;
  for(size_t r = 0; r < l->n; r++) {
    struct fleet_target *t = &l->v[r];
    int keep = fleet_in_shard(t, i, n);
    if(keep) {
      size_t k = (size_t)key_hash(t->key) & (ns - 1);
      while(slot[k]) {
        if(strcmp(l->v[slot[k] - 1].key, t->key) == 0) {
          keep = 0;
          break;
        }
        k = (k + 1) & (ns - 1);
      }
      if(keep) {
        if(w != r)
          l->v[w] = *t;
        slot[k] = w + 1;
        w++;
        continue;
      }
    }
    target_free(t);
  }
  free(slot);
  l->n = w;
}
