/*
 * chk_ratelimit.c - API4 unrestricted resource consumption, seen from
 * outside with read-only requests.
 *
 * Rate limiting: once phase 2 has drained, --burst N GETs (default 40,
 * spaced by --rate like every request) of one cheap read route: the spec
 * GET route without path parameters that answered with the smallest body
 * (else the URL itself). The same burst goes to each authentication route
 * found (at most two): a spec path or an answered well-known path ending
 * in /login, /signin, /token, /oauth/token, /password-reset,
 * /forgot-password. A burst in which no answer was 429 or 503 and none
 * carried a RateLimit-*, X-RateLimit-* or Retry-After header is a finding
 * (medium; high on an authentication route); what each burst saw
 * (statuses, headers, timings) is a report note either way. A GET to a
 * POST-only login route still tells: a limiter in front of the router
 * answers 429 whatever the method.
 *
 * Paging: a spec GET route without path parameters whose JSON answer is
 * a list (a top-level array, or the largest array of a top-level object)
 * of at least one item is asked again with ?limit=10000 (or the paging
 * parameter the spec names: per_page, page_size, size, ...). More than
 * 1000 items back, and more than the first answer had, means the size is
 * not capped. The same first answer, from a route whose spec operation
 * names no paging parameter, with more than 1000 items is an unpaged
 * list. And with a spec, every page-size query parameter (the names
 * above, numeric or untyped) without a declared maximum is a (low)
 * finding on the spec itself.
 *
 * Size alone (no request of its own): a GET the scan made anyway (the
 * URL, a spec operation, a discovered path; never another check's probe
 * nor a spec document) answered 2xx with a JSON, XML or CSV body of
 * RL_BIG (512 KiB) or more (the body read, or its Content-Length when
 * larger), where nothing says it is one page of more: no paging
 * parameter in the request or in the spec operation, no Link rel="next"
 * header, and (when the body parses) no paging member at the top of the
 * object (next, cursor, has_more, page, total_pages, links, ...) is
 * resource.large-response. A list already raised as resource.unpaged-
 * list is not raised twice.
 *
 * Fan-out: every spec GET operation whose answer (as the main identity)
 * was a 2xx JSON object or array is a candidate; the RL_FAN_MAX first by
 * (declares a fan-out parameter first, then the spec's order), whatever
 * order the answers came in, are asked once more in plan_late with the
 * fan-out parameters the operation declares (expand, embed, include,
 * populate, with, fields set to "*"; depth, max_depth, level set to 10),
 * or, declaring none, with ?expand=*&depth=10. An answer (2xx) at least
 * RL_FAN_RATIO times as large as the first and RL_FAN_GROW bytes larger,
 * or nested RL_FAN_NEST levels deeper, is resource.expand-fanout: one
 * request makes the server build and send a tree the client chose.
 *
 * Bodies are read only in judge (CONTRACTS.md section 2): the burst keeps
 * counts, the paging test keeps the first answer's item count.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "check.h"

enum { R_RATE, R_RATE_AUTH, R_PAGE, R_PAGE_SPEC, R_UNPAGED, R_LARGE, R_FANOUT };

static const struct wd_fix fix_rate[] = {
  {"echo", "e.Use(middleware.RateLimiterWithConfig(...)) with a memory or shared store; answer 429 with Retry-After and RateLimit headers in the DenyHandler."},
  {"chi", "Wrap the router in a limiter middleware (per client IP or key) that answers 429 with Retry-After."},
  {"flask", "Apply a limiter to the views (per client, per route) that answers 429 with Retry-After."},
  {NULL, NULL},
};

static const struct wd_rule rl_rules[] = {
  [R_RATE] = {
    .id = "resource.no-rate-limit",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_RESOURCE,
    .owasp = "API4:2023",
    .cwe = 770,
    .title = "No rate limiting",
    .summary = "A burst of identical requests to a read route got no 429/503 and no RateLimit-*, X-RateLimit-* or Retry-After header",
    .remediation = "Limit requests per client (IP, key or token) in front of the API and answer 429 with Retry-After and RateLimit headers when the limit is reached.",
    .fixes = fix_rate,
  },
  [R_RATE_AUTH] = {
    .id = "resource.no-rate-limit-auth",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_RESOURCE,
    .owasp = "API4:2023",
    .cwe = 307,
    .title = "No rate limiting on an authentication route",
    .summary = "A burst of requests to a login, token or password-reset route got no 429/503 and no rate-limit header: passwords and codes can be guessed at full speed",
    .remediation = "Limit attempts per client and per account on login, token and password-reset routes (429 with Retry-After), with a growing delay or lockout after failures.",
    .fixes = fix_rate,
  },
  [R_PAGE] = {
    .id = "resource.page-size-unbounded",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_RESOURCE,
    .owasp = "API4:2023",
    .cwe = 770,
    .title = "Page size not capped",
    .summary = "A list route returns more than 1000 items when a client asks for 10000 (?limit= or the spec's paging parameter)",
    .remediation = "Cap the page size on the server (e.g. 100) whatever the client asks, and declare the maximum in the spec.",
  },
  [R_PAGE_SPEC] = {
    .id = "resource.page-param-unbounded",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_RESOURCE,
    .owasp = "API4:2023",
    .cwe = 770,
    .title = "Paging parameter without a maximum in the spec",
    .summary = "A page-size query parameter (limit, per_page, page_size, size, page[size], ...) of a spec operation declares no maximum: nothing tells clients, gateways or the server's validation how large a page may be",
    .remediation = "Declare a maximum (e.g. 100) on every page-size parameter, enforce it on the server, and validate requests against the spec at the gateway.",
  },
  [R_UNPAGED] = {
    .id = "resource.unpaged-list",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_RESOURCE,
    .owasp = "API4:2023",
    .cwe = 770,
    .title = "Large list without paging",
    .summary = "A spec GET route that declares no paging parameter returns more than 1000 items in one answer: every request costs the whole collection, and it only grows",
    .remediation = "Page every list (a default and a maximum page size, a cursor or page parameter) and declare the paging parameters and their maximum in the spec.",
  },
  [R_LARGE] = {
    .id = "resource.large-response",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_RESOURCE,
    .owasp = "API4:2023",
    .cwe = 770,
    .title = "Large response without paging",
    .summary = "A read route answers 512 KiB or more of JSON, XML or CSV in one answer with no sign of paging (no paging parameter, no Link rel=next, no next/cursor/page member): every call costs the whole document",
    .remediation = "Page or stream large results (a default and a maximum page size, a cursor), or let clients ask for fields; declare the paging in the spec.",
  },
  [R_FANOUT] = {
    .id = "resource.expand-fanout",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_RESOURCE,
    .owasp = "API4:2023",
    .cwe = 400,
    .title = "Unbounded expansion (expand/depth fan-out)",
    .summary = "Adding ?expand=*, ?depth=10 (or the spec's own embed/include/populate/fields parameters) to a read route makes its answer several times larger or several levels deeper: one request makes the server load and send a tree the client chose",
    .remediation = "Expand only named relations from an allowlist, one level deep (or a small declared maximum depth), refuse wildcards, and bound the total objects an answer may hold.",
  },
};

extern const struct wd_check check_ratelimit;

#define RL_BURSTS 3        /* the cheap route and two authentication routes */
#define RL_PATH_MAX 512
#define RL_PAGE_ASK 10000
#define RL_PAGE_OVER 1000
#define RL_PAGE_MAX 8      /* list routes asked for a big page */
#define RL_BIG (512 * 1024) /* resource.large-response: bytes in one answer */
#define RL_FAN_CAND 64     /* fan-out candidates kept (the best by rl_fan_key) */
#define RL_FAN_MAX 6       /* routes asked with expand/depth */
#define RL_FAN_RATIO 4     /* times as large ... */
#define RL_FAN_GROW (64 * 1024) /* ... and this many bytes larger */
#define RL_FAN_NEST 3      /* or this many levels deeper */
#define RL_NEST_MAX 64     /* nesting counted up to */
#define RL_AUTH_CAND 8     /* authentication routes kept to choose two from */

/* Tags of this check's probes. */
enum {
  RL_TAG_AUTHFIND = 1, RL_TAG_PAGE = 2,
  RL_TAG_BURST = 10 /* + burst index */,
  RL_TAG_FAN = 100  /* + fan-out candidate index */
};

/* A route asked again with expand/depth: what the first answer was. */
struct rl_fan {
  char path[RL_PATH_MAX]; /* the first request, query included */
  size_t op;              /* its spec operation's index: the order */
  int declared;           /* the operation declares a fan-out parameter */
  size_t len0;            /* the first answer's bytes and nesting */
  int depth0;
  int queued;
  /* The fan-out answer: status (0: none yet), bytes, nesting (-1: not
   * parsed), for the report note. */
  long status1;
  size_t len1;
  int depth1;
  char query[200];        /* what was added, for the note */
};

struct rl_burst {
  char path[RL_PATH_MAX];
  int auth;
  int queued, answered;
  int st2xx, st3xx, st4xx, st5xx, st429, st503;
  int limit_hdr;
  char hdr[128];     /* the first rate-limit header seen, name: value */
  double tmin, tmax, tsum;
};

struct rl_page {
  char path[RL_PATH_MAX]; /* without query */
  long items;             /* items of the first answer */
  const char *param;      /* the paging parameter to ask with */
};

struct rl_state {
  char cheap[RL_PATH_MAX];
  size_t cheap_len;
  int have_cheap, cheap_from_spec;
  char auth[RL_AUTH_CAND][RL_PATH_MAX]; /* answered ones, sorted; then the burst's two */
  int nauth;
  struct rl_burst b[RL_BURSTS];
  int nb;
  struct rl_page pages[RL_PAGE_MAX];
  int npages;
  struct rl_fan fan[RL_FAN_CAND];
  int nfan;
};

/* Query parameters that make an answer embed related objects or nest
 * deeper, and the value that asks for the most. */
static const struct {
  const char *name, *value;
} rl_fan_params[] = {
  {"expand", "*"}, {"embed", "*"}, {"include", "*"}, {"populate", "*"}, {"with", "*"},
  {"_embed", "*"}, {"_expand", "*"}, {"fields", "*"}, {"depth", "10"}, {"max_depth", "10"},
  {"maxDepth", "10"}, {"level", "10"}, {"levels", "10"},
};
/* What a route that declares none is asked with. */
#define RL_FAN_DEFAULT "expand=*&depth=10"

/* Top-level members that say an answer is one page of more. */
static const char *const rl_page_members[] = {
  "next", "next_cursor", "nextCursor", "next_page", "nextPage", "nextPageToken",
  "next_page_token", "cursor", "has_more", "hasMore", "page", "pages", "total_pages",
  "totalPages", "links", "_links", "pagination", "paging", "continuation", "@odata.nextLink",
  NULL,
};

/* Paths found by discovery: where logins and token endpoints live. */
static const char *const rl_auth_paths[] = {
  "/login", "/api/login", "/api/v1/login", "/api/auth/login", "/api/v1/auth/login",
  "/auth/login", "/signin", "/oauth/token", "/token", "/api/token", "/password-reset",
  "/api/v1/password-reset", NULL,
};

/* Last path segments that name an authentication route. */
static const char *const rl_auth_tails[] = {
  "/login", "/signin", "/sign-in", "/token", "/oauth/token", "/password-reset",
  "/password/reset", "/forgot-password", "/reset-password", "/otp/verify", NULL,
};

/* Paging parameter names, in the order they are preferred. */
static const char *const rl_page_params[] = {
  "limit", "per_page", "page_size", "pageSize", "size", "page[size]", "count", "max",
  "top", "$top", "first", NULL,
};

static int rl_is_auth_path(const char *path)
{
  size_t n = strcspn(path, "?");
  for(int i = 0; rl_auth_tails[i]; i++) {
    size_t t = strlen(rl_auth_tails[i]);
    if(n >= t && strncasecmp(path + n - t, rl_auth_tails[i], t) == 0)
      return 1;
  }
  return 0;
}

/* Adds path (its query left out) to rs->auth: sorted with sorted set,
 * the RL_AUTH_CAND smallest (the same whatever order the answers came
 * in), else at the end while fewer than max. */
static void rl_add_auth(struct rl_state *rs, const char *path, int sorted, int max)
{
  size_t n = strcspn(path, "?");
  if(n >= RL_PATH_MAX || strchr(path, '{'))
    return;
  char p[RL_PATH_MAX];
  memcpy(p, path, n);
  p[n] = '\0';
  int found, pos = str_sorted_keep(rs->auth, sizeof(rs->auth[0]), &rs->nauth, max, p, sorted,
                                   &found);
  if(pos >= 0 && !found)
    memcpy(rs->auth[pos], p, n + 1);
}

/* Adds a list route to ask a big page of: the RL_PAGE_MAX smallest
 * paths, sorted, each with the fewest items it answered. */
static void rl_add_page(struct rl_state *rs, const char *path, size_t n, long items,
                        const char *param)
{
  char p[RL_PATH_MAX];
  if(n >= sizeof(p))
    return;
  memcpy(p, path, n);
  p[n] = '\0';
  int found, pos = str_sorted_keep(rs->pages, sizeof(rs->pages[0]), &rs->npages, RL_PAGE_MAX, p,
                                   1, &found);
  if(pos < 0)
    return;
  struct rl_page *pg = &rs->pages[pos];
  if(found) {
    if(items < pg->items)
      pg->items = items;
    return;
  }
  memcpy(pg->path, p, n + 1);
  pg->items = items;
  pg->param = param;
}

static void rl_plan(struct scan *s, void *st)
{
  (void)st;
  if(s->opts->burst <= 0 || s->opts->no_discovery)
    return;
  for(int i = 0; rl_auth_paths[i]; i++)
    scan_queue(s, "GET", rl_auth_paths[i], PROBE_WELLKNOWN, &check_ratelimit, RL_TAG_AUTHFIND);
}

/* The rate-limit headers of an answer: RateLimit, RateLimit-*,
 * X-RateLimit-*, X-Rate-Limit-*, Retry-After. Copies the first line. */
static int rl_limit_header(const struct probe *p, char *out, size_t outlen)
{
  const char *h = buf_str(&p->x.head);
  size_t n = p->x.head.len;
  static const char *const names[] = {"ratelimit", "x-ratelimit", "x-rate-limit", "retry-after", NULL};
  for(size_t i = 0; i < n;) {
    size_t e = i;
    while(e < n && h[e] != '\n')
      e++;
    for(int k = 0; names[k]; k++) {
      size_t kl = strlen(names[k]);
      if(e - i > kl && strncasecmp(h + i, names[k], kl) == 0 &&
         (h[i + kl] == ':' || h[i + kl] == '-')) {
        size_t l = e - i;
        while(l && (h[i + l - 1] == '\r' || h[i + l - 1] == ' '))
          l--;
        snprintf(out, outlen, "%.*s", (int)(l < 120 ? l : 120), h + i);
        return 1;
      }
    }
    i = e + 1;
  }
  return 0;
}

/* Items in a JSON list answer: a top-level array, or the largest array
 * among a top-level object's members; -1 when it is not one. */
static long rl_items(struct scan *s, struct probe *p)
{
  if(!p->x.body.len || p->x.body.truncated)
    return -1;
  /* Parsed once by the scan, borrowed; jansson's object iterator takes
   * a non-const object, and this only reads it. */
  json_t *j = (json_t *)scan_body_json(s, p);
  if(!j)
    return -1;
  long n = -1;
  if(json_is_array(j)) {
    n = (long)json_array_size(j);
  } else if(json_is_object(j)) {
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
      if(json_is_array(v) && (long)json_array_size(v) > n)
        n = (long)json_array_size(v);
    }
  }
  return n;
}

static const char *rl_page_param(const struct spec_op *op)
{
  for(int i = 0; rl_page_params[i]; i++)
    for(size_t k = 0; op && k < op->nquery; k++)
      if(strcmp(op->query[k], rl_page_params[i]) == 0)
        return rl_page_params[i];
  return "limit";
}

/* 1 when op names a paging parameter (rl_page_params) among its query
 * parameters. */
static int rl_has_page_param(const struct spec_op *op)
{
  for(int i = 0; rl_page_params[i]; i++)
    for(size_t k = 0; op && k < op->nquery; k++)
      if(strcmp(op->query[k], rl_page_params[i]) == 0)
        return 1;
  return 0;
}

static void rl_judge_burst(struct rl_state *rs, struct probe *p)
{
  int i = p->tag - RL_TAG_BURST;
  if(i < 0 || i >= rs->nb)
    return;
  struct rl_burst *b = &rs->b[i];
  if(!http_answered(&p->x))
    return;
  b->answered++;
  long st = p->x.status;
  if(st == 429)
    b->st429++;
  else if(st == 503)
    b->st503++;
  else if(st >= 200 && st < 300)
    b->st2xx++;
  else if(st >= 300 && st < 400)
    b->st3xx++;
  else if(st >= 400 && st < 500)
    b->st4xx++;
  else
    b->st5xx++;
  char h[128];
  if(rl_limit_header(p, h, sizeof(h))) {
    /* The smallest line seen, not the first to arrive. */
    if(!b->limit_hdr || strcmp(h, b->hdr) < 0)
      snprintf(b->hdr, sizeof(b->hdr), "%s", h);
    b->limit_hdr++;
  }
  double t = p->x.seconds;
  if(b->answered == 1 || t < b->tmin)
    b->tmin = t;
  if(t > b->tmax)
    b->tmax = t;
  b->tsum += t;
}

static void rl_judge_page(struct scan *s, struct rl_state *rs, struct probe *p)
{
  scan_ran(s, &rl_rules[R_PAGE]);
  long first = -1;
  size_t n = strcspn(p->path, "?");
  for(int i = 0; i < rs->npages; i++)
    if(strlen(rs->pages[i].path) == n && strncmp(rs->pages[i].path, p->path, n) == 0)
      first = rs->pages[i].items;
  if(first < 0 || !scan_is_hit(s, p))
    return;
  long got = rl_items(s, p);
  if(got <= RL_PAGE_OVER || got <= first)
    return;
  char ev[300];
  snprintf(ev, sizeof(ev), "GET %s -> %ld items (without it: %ld); the server honoured a page "
           "of %d", p->path, got, first, RL_PAGE_ASK);
  scan_flag(s, p, &rl_rules[R_PAGE], -1, NULL, ev, 0, 0, "page-size");
}

/* A list of more than RL_PAGE_OVER items from a spec route that declares
 * no paging parameter: the whole collection in every answer. */
static void rl_judge_unpaged(struct scan *s, struct probe *p, long items)
{
  scan_ran(s, &rl_rules[R_UNPAGED]);
  if(items <= RL_PAGE_OVER)
    return;
  char ev[600];
  snprintf(ev, sizeof(ev), "GET %.200s -> %ld items (%zu bytes) in one answer; the spec declares "
           "no paging parameter for %.120s", p->path, items, p->x.body.len, p->op->path);
  scan_flag(s, p, &rl_rules[R_UNPAGED], -1, NULL, ev, 0, 0, "unpaged");
}

/* The spec's page-size parameters (query parameters named like
 * rl_page_params, numeric or untyped) without a declared maximum. */
static void rl_spec_paging(struct scan *s)
{
  for(size_t i = 0; s->have_spec && i < s->spec.n; i++) {
    const struct spec_op *op = &s->spec.ops[i];
    for(size_t k = 0; k < op->nparams; k++) {
      const struct spec_param *sp = &op->params[k];
      if(sp->in != SPEC_IN_QUERY || !sp->name ||
         (sp->type && strcmp(sp->type, "integer") && strcmp(sp->type, "number")))
        continue;
      int paging = 0;
      for(int j = 0; rl_page_params[j] && !paging; j++)
        paging = strcmp(sp->name, rl_page_params[j]) == 0;
      if(!paging)
        continue;
      scan_ran(s, &rl_rules[R_PAGE_SPEC]);
      if(sp->has_maximum)
        continue;
      char ev[600], key[300];
      snprintf(ev, sizeof(ev), "the spec's %.10s %.200s declares the query parameter %.40s "
               "(%.20s) without a maximum", op->method, op->path, sp->name,
               sp->type ? sp->type : "no type");
      snprintf(key, sizeof(key), "page-param %.10s %.200s", op->method, op->path);
      char *url = xasprintf("%s%s", s->origin, op->path);
      scan_flag_at(s, &rl_rules[R_PAGE_SPEC], -1, NULL, op->method, url, ev, key);
      free(url);
      break;
    }
  }
}

/* How deep a JSON document nests (a scalar 0, {"a":1} 1, [{"a":1}] 2),
 * counted up to RL_NEST_MAX and over at most *budget values. */
static int rl_depth(const json_t *j, int d, long *budget)
{
  if(d >= RL_NEST_MAX || --*budget < 0)
    return d;
  int best = d;
  /* jansson's iterators take non-const values; this only reads. */
  json_t *m = (json_t *)j;
  if(json_is_object(m)) {
    const char *k;
    json_t *v;
    json_object_foreach(m, k, v) {
      int x = rl_depth(v, d + 1, budget);
      if(x > best)
        best = x;
    }
  } else if(json_is_array(m)) {
    size_t i;
    json_t *v;
    json_array_foreach(m, i, v) {
      int x = rl_depth(v, d + 1, budget);
      if(x > best)
        best = x;
    }
  }
  return best;
}

/* 1 when the query string of path names param. */
static int rl_query_has(const char *path, const char *param)
{
  const char *q = strchr(path, '?');
  size_t n = strlen(param);
  while(q) {
    q++;
    if(strncmp(q, param, n) == 0 && q[n] == '=')
      return 1;
    q = strchr(q, '&');
  }
  return 0;
}

/* 1 when op declares one of rl_fan_params as a query parameter. */
static int rl_fan_declared(const struct spec_op *op)
{
  for(size_t i = 0; i < ARRAY_LEN(rl_fan_params); i++)
    for(size_t k = 0; k < op->nquery; k++)
      if(strcmp(op->query[k], rl_fan_params[i].name) == 0)
        return 1;
  return 0;
}

/* 1 when name is one of rl_fan_params that op declares (all of them
 * when op declares none: RL_FAN_DEFAULT's names are then replaced). */
static int rl_fan_sets(const struct spec_op *op, int declared, const char *name, size_t n)
{
  for(size_t i = 0; i < ARRAY_LEN(rl_fan_params); i++) {
    if(strlen(rl_fan_params[i].name) != n || strncmp(rl_fan_params[i].name, name, n))
      continue;
    if(!declared)
      return !strcmp(rl_fan_params[i].name, "expand") || !strcmp(rl_fan_params[i].name, "depth");
    for(size_t k = 0; k < op->nquery; k++)
      if(strcmp(op->query[k], rl_fan_params[i].name) == 0)
        return 1;
  }
  return 0;
}

/* The fan-out request for candidate f: its path, its query without the
 * values the scan filled for the fan-out parameters, and those
 * parameters set to ask for the most (the operation's own, or
 * RL_FAN_DEFAULT). Caller frees. */
static char *rl_fan_url(const struct spec_op *op, const struct rl_fan *f)
{
  struct buf b;
  buf_init(&b, RL_PATH_MAX * 2);
  size_t plen = strcspn(f->path, "?");
  buf_append(&b, f->path, plen);
  char sep = '?';
  for(const char *q = f->path[plen] ? f->path + plen + 1 : NULL; q && *q;) {
    size_t n = strcspn(q, "&"), nl = strcspn(q, "=&");
    if(n && !rl_fan_sets(op, f->declared, q, nl)) {
      buf_append(&b, &sep, 1);
      buf_append(&b, q, n);
      sep = '&';
    }
    q += n + (q[n] == '&');
  }
  int added = 0;
  for(size_t i = 0; f->declared && i < ARRAY_LEN(rl_fan_params); i++) {
    if(!rl_fan_sets(op, 1, rl_fan_params[i].name, strlen(rl_fan_params[i].name)))
      continue;
    buf_append(&b, &sep, 1);
    buf_appendz(&b, rl_fan_params[i].name);
    buf_appendz(&b, "=");
    buf_appendz(&b, rl_fan_params[i].value);
    sep = '&';
    added = 1;
  }
  if(!added) {
    buf_append(&b, &sep, 1);
    buf_appendz(&b, RL_FAN_DEFAULT);
  }
  char *u = xstrdup(buf_str(&b));
  buf_cleanup(&b);
  return u;
}

/* Ordering of fan-out candidates: declaring ones first, then the spec's
 * order. Negative when a comes first. */
static int rl_fan_cmp(int decl_a, size_t op_a, int decl_b, size_t op_b)
{
  if(decl_a != decl_b)
    return decl_a ? -1 : 1;
  return op_a < op_b ? -1 : op_a > op_b;
}

/* Keeps p (a 2xx JSON answer to a spec GET) as a fan-out candidate: the
 * RL_FAN_CAND best by rl_fan_cmp, so the same ones are kept whatever
 * order the answers arrive in. */
static void rl_fan_consider(struct scan *s, struct rl_state *rs, struct probe *p, const json_t *j)
{
  size_t opi = (size_t)(p->op - s->spec.ops);
  int decl = rl_fan_declared(p->op);
  if(strlen(p->path) >= RL_PATH_MAX - 64 || opi >= s->spec.n)
    return;
  int worst = -1;
  for(int i = 0; i < rs->nfan; i++) {
    if(rs->fan[i].op == opi)
      return; /* one request per operation */
    if(worst < 0 || rl_fan_cmp(rs->fan[i].declared, rs->fan[i].op, rs->fan[worst].declared,
                               rs->fan[worst].op) > 0)
      worst = i;
  }
  struct rl_fan *f;
  if(rs->nfan < RL_FAN_CAND)
    f = &rs->fan[rs->nfan++];
  else if(rl_fan_cmp(decl, opi, rs->fan[worst].declared, rs->fan[worst].op) < 0)
    f = &rs->fan[worst];
  else
    return;
  memset(f, 0, sizeof(*f));
  snprintf(f->path, sizeof(f->path), "%s", p->path);
  f->op = opi;
  f->declared = decl;
  f->len0 = scan_body_len(p);
  long budget = 200000;
  f->depth0 = rl_depth(j, 0, &budget);
}

/* The fan-out answer to candidate i, against the first answer. */
static void rl_judge_fan(struct scan *s, struct rl_state *rs, struct probe *p)
{
  int i = p->tag - RL_TAG_FAN;
  if(i < 0 || i >= rs->nfan || !http_answered(&p->x))
    return;
  struct rl_fan *f = &rs->fan[i];
  scan_ran(s, &rl_rules[R_FANOUT]);
  f->status1 = p->x.status;
  size_t len1 = f->len1 = scan_body_len(p);
  int depth1 = f->depth1 = -1;
  if(!scan_is_hit(s, p))
    return;
  const json_t *j = p->x.body.truncated ? NULL : scan_body_json(s, p);
  if(j) {
    long budget = 200000;
    depth1 = f->depth1 = rl_depth(j, 0, &budget);
  }
  int bigger = len1 >= RL_FAN_RATIO * f->len0 && len1 >= f->len0 + RL_FAN_GROW;
  int deeper = depth1 >= f->depth0 + RL_FAN_NEST;
  if(!bigger && !deeper)
    return;
  char d1[32];
  if(depth1 >= 0)
    snprintf(d1, sizeof(d1), "%d", depth1);
  else
    snprintf(d1, sizeof(d1), "not parsed");
  char ev[900];
  snprintf(ev, sizeof(ev), "GET %.300s -> %zu bytes%s, nested %s levels; without it (GET %.300s): "
           "%zu bytes, nested %d levels", p->path, len1, p->x.body.truncated ? " (cut at the body cap)" : "",
           d1, f->path, f->len0, f->depth0);
  char key[RL_PATH_MAX + 16];
  snprintf(key, sizeof(key), "fanout %.*s", (int)strcspn(f->path, "?"), f->path);
  scan_flag(s, p, &rl_rules[R_FANOUT], -1, NULL, ev, 0, 0, key);
}

/* 1 when an answer says it is one page of more: a Link rel="next"
 * header, or a paging member at the top of its JSON object. */
static int rl_paged_answer(struct scan *s, struct probe *p, const json_t *j)
{
  char link[1024];
  for(int i = 0; i < 4 && http_header(&p->x, "Link", i, link, sizeof(link)); i++)
    if(strcasestr(link, "rel=\"next\"") || strcasestr(link, "rel=next"))
      return 1;
  (void)s;
  if(j && json_is_object(j))
    for(int i = 0; rl_page_members[i]; i++)
      if(json_object_get(j, rl_page_members[i]))
        return 1;
  return 0;
}

/* resource.large-response: p (a GET the scan made anyway, answered 2xx)
 * with RL_BIG bytes or more of data and no sign of paging. */
static void rl_judge_large(struct scan *s, struct probe *p)
{
  char ct[128] = "";
  http_header(&p->x, "Content-Type", 0, ct, sizeof(ct));
  if(!strcasestr(ct, "json") && !strcasestr(ct, "xml") && !strcasestr(ct, "csv"))
    return;
  scan_ran(s, &rl_rules[R_LARGE]);
  size_t len = scan_body_len(p);
  char cl[32];
  if(http_header(&p->x, "Content-Length", 0, cl, sizeof(cl))) {
    char *e;
    unsigned long long v = strtoull(cl, &e, 10);
    if(e != cl && !*e && v > len)
      len = (size_t)v;
  }
  if(len < RL_BIG)
    return;
  for(int i = 0; rl_page_params[i]; i++)
    if(rl_query_has(p->path, rl_page_params[i]))
      return;
  if(p->op && rl_has_page_param(p->op))
    return;
  const json_t *j = NULL;
  if(strcasestr(ct, "json") && !p->x.body.truncated)
    j = scan_body_json(s, p);
  if(rl_paged_answer(s, p, j))
    return;
  char ev[600];
  snprintf(ev, sizeof(ev), "GET %.300s -> %zu bytes of %.60s in one answer%s; no paging parameter "
           "in the request%s, no Link rel=\"next\", no paging member in the answer",
           p->path, len, ct, p->x.body.truncated ? " (the body was cut at the body cap)" : "",
           p->op ? " or in the spec operation" : "");
  char key[RL_PATH_MAX + 16];
  snprintf(key, sizeof(key), "large %.*s", (int)strcspn(p->path, "?"), p->path);
  scan_flag(s, p, &rl_rules[R_LARGE], -1, NULL, ev, 0, 0, key);
}

static void rl_judge(struct scan *s, void *st, struct probe *p)
{
  struct rl_state *rs = st;
  if(p->origin == &check_ratelimit && p->tag >= RL_TAG_FAN) {
    rl_judge_fan(s, rs, p);
    return;
  }
  if(p->origin == &check_ratelimit && p->tag >= RL_TAG_BURST) {
    rl_judge_burst(rs, p);
    return;
  }
  if(p->origin == &check_ratelimit && p->tag == RL_TAG_PAGE) {
    rl_judge_page(s, rs, p);
    return;
  }
  if(strcmp(p->x.method, "GET") || !http_answered(&p->x) ||
     (p->flags & (PROBE_BASELINE | PROBE_ERROR | PROBE_REDIRECT | PROBE_BURST)) ||
     (p->ident != ID_MAIN && p->ident != ID_NONE))
    return;
  /* An authentication route that exists: any answer but 404/410 that
   * does not look like the random-path page. */
  if(rl_is_auth_path(p->path) && p->x.status != 404 && p->x.status != 410 &&
     !scan_like_baseline(s, p))
    rl_add_auth(rs, p->path, 1, RL_AUTH_CAND);
  if(p->ident != ID_MAIN)
    return;
  /* The cheap route: the smallest spec GET answer without a path
   * parameter, else the URL itself. */
  int from_spec = p->op && !strchr(p->op->path, '{') && !rl_is_auth_path(p->path);
  if((from_spec || (p->flags & PROBE_ROOT)) && scan_is_hit(s, p) &&
     strlen(p->path) < RL_PATH_MAX &&
     (!rs->have_cheap || (from_spec && !rs->cheap_from_spec) ||
      (from_spec == rs->cheap_from_spec &&
       (p->x.body.len < rs->cheap_len ||
        (p->x.body.len == rs->cheap_len && strcmp(p->path, rs->cheap) < 0))))) {
    snprintf(rs->cheap, sizeof(rs->cheap), "%s", p->path);
    rs->cheap_len = p->x.body.len;
    rs->have_cheap = 1;
    rs->cheap_from_spec = from_spec;
  }
  int unpaged = 0;
  /* A list to ask a big page of (asked in plan_late, once every list
   * has answered: which lists does not depend on their order). */
  size_t plen = strcspn(p->path, "?");
  if(from_spec && scan_is_hit(s, p) && plen < RL_PATH_MAX - 32) {
    long items = rl_items(s, p);
    if(items >= 0 && !rl_has_page_param(p->op)) {
      rl_judge_unpaged(s, p, items);
      unpaged = items > RL_PAGE_OVER;
    }
    if(items >= 1)
      rl_add_page(rs, p->path, plen, items, rl_page_param(p->op));
  }
  if(!scan_is_hit(s, p))
    return;
  /* Size alone, on the scan's own GETs (not another check's probes, not
   * a spec document). */
  if(!p->origin && !(p->flags & PROBE_SPECFIND) && !unpaged)
    rl_judge_large(s, p);
  /* A fan-out candidate: a spec GET answered with JSON. */
  if(p->op && (p->flags & PROBE_SPEC) && !p->origin && !strcmp(p->op->method, "GET") &&
     !p->x.body.truncated) {
    char ct[128] = "";
    http_header(&p->x, "Content-Type", 0, ct, sizeof(ct));
    const json_t *j = strcasestr(ct, "json") ? scan_body_json(s, p) : NULL;
    if(j)
      rl_fan_consider(s, rs, p, j);
  }
}

static void rl_queue_burst(struct scan *s, struct rl_state *rs, const char *path, int auth)
{
  if(rs->nb >= RL_BURSTS)
    return;
  struct rl_burst *b = &rs->b[rs->nb];
  /* path is another field of the same state: copied, never overlapping. */
  size_t n = strlen(path);
  if(n >= sizeof(b->path))
    return;
  memmove(b->path, path, n + 1);
  b->auth = auth;
  for(int i = 0; i < s->opts->burst; i++)
    if(scan_queue(s, "GET", path, PROBE_BURST, &check_ratelimit, RL_TAG_BURST + rs->nb))
      b->queued++;
  rs->nb++;
}

/* The fan-out requests: the RL_FAN_MAX first candidates by rl_fan_cmp. */
static void rl_fan_queue(struct scan *s, struct rl_state *rs)
{
  for(int sent = 0; sent < RL_FAN_MAX; sent++) {
    int best = -1;
    for(int i = 0; i < rs->nfan; i++)
      if(!rs->fan[i].queued &&
         (best < 0 || rl_fan_cmp(rs->fan[i].declared, rs->fan[i].op, rs->fan[best].declared,
                                 rs->fan[best].op) < 0))
        best = i;
    if(best < 0)
      return;
    struct rl_fan *f = &rs->fan[best];
    f->queued = 1;
    char *u = rl_fan_url(&s->spec.ops[f->op], f);
    snprintf(f->query, sizeof(f->query), "%s", u + strcspn(u, "?"));
    scan_queue(s, "GET", u, PROBE_FOLLOWUP, &check_ratelimit, RL_TAG_FAN + best);
    free(u);
  }
}

static void rl_plan_late(struct scan *s, void *st)
{
  struct rl_state *rs = st;
  rl_spec_paging(s);
  rl_fan_queue(s, rs);
  for(int i = 0; i < rs->npages; i++) {
    char *q = xasprintf("%s?%s=%d", rs->pages[i].path, rs->pages[i].param, RL_PAGE_ASK);
    scan_queue(s, "GET", q, PROBE_FOLLOWUP, &check_ratelimit, RL_TAG_PAGE);
    free(q);
  }
  /* The two smallest answered authentication routes. */
  if(rs->nauth > 2)
    rs->nauth = 2;
  /* No burst once --max-time is spent: it could only complete as budget. */
  if(s->opts->burst <= 0 || scan_out_of_budget(s))
    return;
  /* Authentication routes the spec declares (any method: a GET burst
   * still meets a limiter in front of the router). */
  for(size_t i = 0; s->have_spec && i < s->spec.n && rs->nauth < 2; i++)
    if(rl_is_auth_path(s->spec.ops[i].path))
      rl_add_auth(rs, s->spec.ops[i].path, 0, 2);
  if(rs->have_cheap)
    rl_queue_burst(s, rs, rs->cheap, 0);
  for(int i = 0; i < rs->nauth; i++)
    rl_queue_burst(s, rs, rs->auth[i], 1);
}

/* One note: the routes asked with expand/depth and what each answered,
 * in the order they were chosen. */
static void rl_fan_note(struct scan *s, struct rl_state *rs)
{
  struct buf b;
  buf_init(&b, 4096);
  int n = 0;
  for(int k = 0; k < RL_FAN_MAX; k++) {
    /* The k-th chosen: the k-th smallest among the queued. */
    int pick = -1, rank = 0;
    for(int i = 0; i < rs->nfan && pick < 0; i++) {
      if(!rs->fan[i].queued || !rs->fan[i].status1)
        continue;
      rank = 0;
      for(int j = 0; j < rs->nfan; j++)
        rank += rs->fan[j].queued && rs->fan[j].status1 &&
                rl_fan_cmp(rs->fan[j].declared, rs->fan[j].op, rs->fan[i].declared, rs->fan[i].op) < 0;
      if(rank == k)
        pick = i;
    }
    if(pick < 0)
      break;
    const struct rl_fan *f = &rs->fan[pick];
    char line[600];
    char d1[24];
    if(f->depth1 >= 0)
      snprintf(d1, sizeof(d1), "%d", f->depth1);
    else
      snprintf(d1, sizeof(d1), "-");
    snprintf(line, sizeof(line), "%s%.*s %.150s -> %ld, %zu bytes (was %zu), nesting %s (was %d)",
             n ? "; " : "", (int)strcspn(f->path, "?"), f->path, f->query, f->status1, f->len1,
             f->len0, d1, f->depth0);
    buf_appendz(&b, line);
    n++;
  }
  if(n)
    report_note(&s->rep, "expand/depth fan-out: %d route%s asked: %s", n, n == 1 ? "" : "s",
                buf_str(&b));
  buf_cleanup(&b);
}

static void rl_finish(struct scan *s, void *st)
{
  struct rl_state *rs = st;
  rl_fan_note(s, rs);
  for(int i = 0; i < rs->nb; i++) {
    struct rl_burst *b = &rs->b[i];
    if(!b->answered)
      continue;
    const struct wd_rule *r = &rl_rules[b->auth ? R_RATE_AUTH : R_RATE];
    scan_ran(s, r);
    char hdr[160] = "";
    if(b->limit_hdr)
      snprintf(hdr, sizeof(hdr), " (%s)", b->hdr);
    char saw[400];
    snprintf(saw, sizeof(saw),
             "%d GET %s (%d answered): %d 2xx, %d 3xx, %d 4xx, %d 5xx, %d 429, %d 503; "
             "rate-limit headers on %d%s; time per request %.0f-%.0f ms (mean %.0f ms)",
             b->queued, b->path, b->answered, b->st2xx, b->st3xx, b->st4xx, b->st5xx,
             b->st429, b->st503, b->limit_hdr, hdr, b->tmin * 1000, b->tmax * 1000,
             b->tsum * 1000 / b->answered);
    report_note(&s->rep, "rate-limit burst%s: %s", b->auth ? " (authentication route)" : "", saw);
    if(b->st429 || b->st503 || b->limit_hdr)
      continue;
    char *url = xasprintf("%s%s", s->origin, b->path);
    scan_flag_at(s, r, -1, NULL, "GET", url, saw, b->auth ? "rate-auth" : "rate");
    free(url);
  }
}

const struct wd_check check_ratelimit = {
  .name = "ratelimit",
  .summary = "API4: rate limiting (a bounded burst, --burst), page-size caps, unpaged lists and large answers, paging parameters without a maximum, expand/depth fan-out",
  .rules = rl_rules,
  .nrules = ARRAY_LEN(rl_rules),
  .state_size = sizeof(struct rl_state),
  .plan = rl_plan,
  .judge = rl_judge,
  .plan_late = rl_plan_late,
  .finish = rl_finish,
};
