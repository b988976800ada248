/*
 * chk_traversal.c - path traversal on routes that serve files (the Echo
 * seed's SafeFileHandler, whose strings.HasPrefix check on an uncleaned
 * path lets ../ escape the allowed directory).
 *
 * Which routes: spec operations with a path or query parameter named
 * file, path, name, filename, doc, download or static, or whose path has
 * a /files/, /static/ or /download segment; and any route seen answering
 * 2xx under /files/, /static/ or /download/. At most TV_MAX_ROUTES.
 *
 * What is sent: read-only GETs, as the main identity, asking for
 * /etc/passwd and /proc/self/environ eight levels up, in three shapes:
 * %2e%2e/ (the dots encoded, so that neither warden's URL handling nor a
 * proxy folds them away, as the seed's /files/../../etc/passwd), ..%2f
 * (the slash encoded) and %252e%252e%252f (double-encoded, for handlers
 * that decode once more); query parameters also get the plain ../ form
 * and the absolute path. The answer is judged by content only: a
 * root:...:0:0: passwd line next to another passwd line, or a
 * NUL-separated environment block with PATH=. A status code never counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "../scan/scan_rx.h"
#include "check.h"

#define TV_MAX_ROUTES 8
#define TV_DEPTH 8

static const struct wd_fix fix_trav[] = {
  {"echo", "Clean and contain the path: p := filepath.Join(base, filepath.Clean(\"/\"+name)); rel, err := filepath.Rel(base, p); refuse if err != nil or rel starts with \"..\" (a strings.HasPrefix on the joined, uncleaned path is not enough); or serve with http.FS(os.DirFS(base)) / e.Static."},
  {"chi", "Serve files with http.FileServer(http.Dir(base)) or check filepath.Rel(base, filepath.Join(base, filepath.Clean(\"/\"+name))) before opening."},
  {NULL, NULL},
};

static const struct wd_rule tv_rules[] = {
  {
    .id = "traversal.path", .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_CONTAINER, .owasp = "API8:2023", .cwe = 22,
    .title = "Path traversal: files outside the served directory are readable",
    .summary = "A file-serving route returns /etc/passwd or /proc/self/environ when asked for ../ sequences (plain, encoded or double-encoded)",
    .remediation = "Resolve the requested name against the base directory, clean it, and refuse anything whose relative path leaves the directory; never check containment with a string prefix on an uncleaned path.",
    .fixes = fix_trav,
  },
};

extern const struct wd_check check_traversal;

static const char *const file_params[] = {
  "file", "path", "name", "filename", "doc", "download", "static", "filepath", NULL,
};

static int file_param(const char *name)
{
  for(size_t i = 0; file_params[i]; i++)
    if(!strcasecmp(name, file_params[i]))
      return 1;
  return 0;
}

static int file_route(const char *path)
{
  return strcasestr(path, "/files/") || strcasestr(path, "/static/") ||
         strcasestr(path, "/download");
}

/* Routes chosen for this scan; a probe's tag is an index here. */
struct tv_state {
  char *route[TV_MAX_ROUTES];
  int n;
};

enum { T_PASSWD, T_ENVIRON };
static const char *const targets[] = {"etc/passwd", "proc/self/environ"};

/* "../" x TV_DEPTH in one of the shapes, then the target. */
static char *tv_payload(int shape, int target)
{
  static const char *const up[] = {"%2e%2e/", "..%2f", "%252e%252e%252f", "../"};
  struct buf b;
  buf_init(&b, 0);
  if(shape == 4) {
    buf_printf(&b, "/%s", targets[target]);
  } else {
    for(int i = 0; i < TV_DEPTH; i++)
      buf_appendz(&b, up[shape]);
    buf_appendz(&b, targets[target]);
  }
  return buf_steal(&b);
}

static int tv_add_route(struct tv_state *tv, const char *route)
{
  for(int i = 0; i < tv->n; i++)
    if(!strcmp(tv->route[i], route))
      return -1;
  if(tv->n >= TV_MAX_ROUTES)
    return -1;
  tv->route[tv->n] = xstrdup(route);
  return tv->n++;
}

static void tv_send(struct scan *s, const char *path, int tag)
{
  scan_queue(s, "GET", path, PROBE_FOLLOWUP, &check_traversal, tag);
}

/* path with {param} placeholders: the file-ish one (or, for a file
 * route, the last one) gets the payload, the others "1". */
static void tv_plan_spec_path(struct scan *s, const char *path, int tag)
{
  const char *pick = NULL;
  for(const char *c = strchr(path, '{'); c; c = strchr(c + 1, '{')) {
    const char *e = strchr(c, '}');
    if(!e)
      break;
    char name[64];
    snprintf(name, sizeof(name), "%.*s", (int)(e - c - 1), c + 1);
    if(file_param(name) || file_route(path))
      pick = c;
  }
  if(!pick)
    return;
  for(int shape = 0; shape < 3; shape++)
    for(int t = 0; t < 2; t++) {
      char *pl = tv_payload(shape, t);
      struct buf b;
      buf_init(&b, 0);
      for(const char *c = path; *c;) {
        if(*c == '{' && strchr(c, '}')) {
          buf_appendz(&b, c == pick ? pl : "1");
          c = strchr(c, '}') + 1;
          continue;
        }
        buf_append(&b, c++, 1);
      }
      tv_send(s, buf_str(&b), tag);
      buf_cleanup(&b);
      free(pl);
    }
}

static void tv_plan_query(struct scan *s, const char *path, const char *param, int tag)
{
  for(int shape = 0; shape < 5; shape++)
    for(int t = 0; t < 2; t++) {
      char *pl = tv_payload(shape, t);
      char *u = xasprintf("%s%c%s=%s", path, strchr(path, '?') ? '&' : '?', param, pl);
      tv_send(s, u, tag);
      free(u);
      free(pl);
    }
}

static int tv_str_cmp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static void tv_plan_late(struct scan *s, void *st)
{
  struct tv_state *tv = st;
  for(size_t i = 0; s->have_spec && i < s->spec.n; i++) {
    const struct spec_op *op = &s->spec.ops[i];
    if(strcmp(op->method, "GET"))
      continue;
    int tag = -1;
    for(size_t q = 0; q < op->nquery; q++)
      if(file_param(op->query[q])) {
        if(tag < 0 && (tag = tv_add_route(tv, op->path)) < 0)
          break;
        char *base = xstrdup(op->path);
        for(char *c = base; *c; c++)
          if(*c == '{') /* other path placeholders */
            *c = '\0';
        tv_plan_query(s, strchr(op->path, '{') ? base : op->path, op->query[q], tag);
        free(base);
      }
    if(strchr(op->path, '{') && tag < 0) {
      int any = file_route(op->path);
      for(const char *c = strchr(op->path, '{'); c && !any; c = strchr(c + 1, '{')) {
        const char *e = strchr(c, '}');
        char name[64];
        snprintf(name, sizeof(name), "%.*s", e ? (int)(e - c - 1) : 0, c + 1);
        any = file_param(name);
      }
      if(any && (tag = tv_add_route(tv, op->path)) >= 0)
        tv_plan_spec_path(s, op->path, tag);
    }
  }
  /* Without a spec: file routes seen answering, last segment replaced,
   * in path order (the probes' order is partly the order answers came
   * in, which must not pick the routes kept under TV_MAX_ROUTES). */
  size_t n = s->nprobes, nr = 0;
  char **routes = xcalloc(n ? n : 1, sizeof(char *));
  for(size_t i = 0; i < n; i++) {
    const struct probe *p = s->probes[i];
    if(p->origin == &check_traversal || p->ident != ID_MAIN || !file_route(p->path) ||
       strchr(p->path, '?') || !scan_is_hit(s, p))
      continue;
    const char *slash = strrchr(p->path, '/');
    if(!slash || slash[1] == '\0')
      continue;
    routes[nr++] = xasprintf("%.*s/{file}", (int)(slash - p->path), p->path);
  }
  qsort(routes, nr, sizeof(char *), tv_str_cmp);
  for(size_t i = 0; i < nr; i++) {
    int tag = tv_add_route(tv, routes[i]);
    if(tag >= 0)
      tv_plan_spec_path(s, routes[i], tag);
    free(routes[i]);
  }
  free(routes);
}

static const struct rx rx_passwd = RX_M("^root:[^:\\n]*:0:0:[^\\n]*$");
static const struct rx rx_passwd2 = RX_M("^[a-z_][a-z0-9_-]*:[^:\\n]*:\\d+:\\d+:[^\\n]*:/");

/* Counts NAME=value entries of a NUL-separated block; 1 if PATH= is one. */
static int tv_environ(const char *b, size_t n, int *vars)
{
  int path = 0, count = 0;
  size_t i = 0;
  while(i < n) {
    const char *e = memchr(b + i, '\0', n - i);
    if(!e)
      break;
    size_t len = (size_t)(e - (b + i));
    const char *eq = memchr(b + i, '=', len);
    if(eq && eq > b + i) {
      count++;
      if(len > 5 && !memcmp(b + i, "PATH=", 5))
        path = 1;
    }
    i += len + 1;
  }
  *vars = count;
  return path && count >= 2;
}

static void tv_judge(struct scan *s, void *st, struct probe *p)
{
  const struct tv_state *tv = st;
  if(p->origin != &check_traversal || p->tag < 0 || p->tag >= tv->n ||
     !http_answered(&p->x) || p->x.body.len == 0)
    return;
  scan_ran(s, &tv_rules[0]);
  const char *b = buf_str(&p->x.body);
  size_t n = p->x.body.len, mo, ml, mo2, ml2;
  char ev[300];
  if(rx_search(s->rx, &rx_passwd, b, n, 0, &mo, &ml) && rx_search(s->rx, &rx_passwd2, b, n, mo + ml, &mo2, &ml2)) {
    char *ex = str_excerpt(b, n, mo, ml < 100 ? ml : 100);
    snprintf(ev, sizeof(ev), "HTTP %ld, /etc/passwd contents: %s", p->x.status, ex);
    free(ex);
  } else {
    int vars;
    if(!tv_environ(b, n, &vars))
      return;
    /* The values are not quoted: an environment holds secrets. */
    snprintf(ev, sizeof(ev), "HTTP %ld, /proc/self/environ contents: a NUL-separated block of %d variables, PATH= among them",
             p->x.status, vars);
  }
  char *dd = xasprintf("traversal %s", tv->route[p->tag]);
  scan_flag(s, p, &tv_rules[0], -1, NULL, ev, 0, 0, dd);
  free(dd);
}

static void tv_cleanup(void *st)
{
  struct tv_state *tv = st;
  for(int i = 0; i < tv->n; i++)
    free(tv->route[i]);
  memset(tv, 0, sizeof(*tv));
}

const struct wd_check check_traversal = {
  .name = "traversal",
  .summary = "Path traversal on file-serving routes (../ plain, encoded, double-encoded), judged by file content",
  .rules = tv_rules,
  .nrules = ARRAY_LEN(tv_rules),
  .state_size = sizeof(struct tv_state),
  .cleanup = tv_cleanup,
  .judge = tv_judge,
  .plan_late = tv_plan_late,
};
