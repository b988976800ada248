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
 * Bodies are read only in judge (CONTRACTS.md section 2): the burst keeps
 * counts, the paging test keeps the first answer's item count.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "check.h"

enum { R_RATE, R_RATE_AUTH, R_PAGE, R_PAGE_SPEC, R_UNPAGED };

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
};

extern const struct wd_check check_ratelimit;

#define RL_BURSTS 3        /* the cheap route and two authentication routes */
#define RL_PATH_MAX 512
#define RL_PAGE_ASK 10000
#define RL_PAGE_OVER 1000
#define RL_PAGE_MAX 8      /* list routes asked for a big page */

/* Tags of this check's probes. */
enum { RL_TAG_AUTHFIND = 1, RL_TAG_PAGE = 2, RL_TAG_BURST = 10 /* + burst index */ };

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
};

struct rl_state {
  char cheap[RL_PATH_MAX];
  size_t cheap_len;
  int have_cheap, cheap_from_spec;
  char auth[2][RL_PATH_MAX];
  int nauth;
  struct rl_burst b[RL_BURSTS];
  int nb;
  struct rl_page pages[RL_PAGE_MAX];
  int npages;
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

static void rl_add_auth(struct rl_state *rs, const char *path)
{
  size_t n = strcspn(path, "?");
  if(rs->nauth >= 2 || n >= RL_PATH_MAX || strchr(path, '{'))
    return;
  for(int i = 0; i < rs->nauth; i++)
    if(strlen(rs->auth[i]) == n && strncmp(rs->auth[i], path, n) == 0)
      return;
  memcpy(rs->auth[rs->nauth], path, n);
  rs->auth[rs->nauth][n] = '\0';
  rs->nauth++;
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
    if(!b->limit_hdr)
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

static void rl_judge(struct scan *s, void *st, struct probe *p)
{
  struct rl_state *rs = st;
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
    rl_add_auth(rs, p->path);
  if(p->ident != ID_MAIN)
    return;
  /* The cheap route: the smallest spec GET answer without a path
   * parameter, else the URL itself. */
  int from_spec = p->op && !strchr(p->op->path, '{') && !rl_is_auth_path(p->path);
  if((from_spec || (p->flags & PROBE_ROOT)) && scan_is_hit(s, p) &&
     strlen(p->path) < RL_PATH_MAX &&
     (!rs->have_cheap || (from_spec && !rs->cheap_from_spec) ||
      (from_spec == rs->cheap_from_spec && p->x.body.len < rs->cheap_len))) {
    snprintf(rs->cheap, sizeof(rs->cheap), "%s", p->path);
    rs->cheap_len = p->x.body.len;
    rs->have_cheap = 1;
    rs->cheap_from_spec = from_spec;
  }
  /* A list to ask a big page of. */
  size_t plen = strcspn(p->path, "?");
  if(from_spec && rs->npages < RL_PAGE_MAX && scan_is_hit(s, p) && plen < RL_PATH_MAX - 32) {
    long items = rl_items(s, p);
    if(items >= 0 && !rl_has_page_param(p->op))
      rl_judge_unpaged(s, p, items);
    if(items >= 1) {
      struct rl_page *pg = &rs->pages[rs->npages];
      snprintf(pg->path, sizeof(pg->path), "%.*s", (int)plen, p->path);
      pg->items = items;
      char *q = xasprintf("%s?%s=%d", pg->path, rl_page_param(p->op), RL_PAGE_ASK);
      if(scan_queue(s, "GET", q, PROBE_FOLLOWUP, &check_ratelimit, RL_TAG_PAGE))
        rs->npages++;
      free(q);
    }
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

static void rl_plan_late(struct scan *s, void *st)
{
  struct rl_state *rs = st;
  rl_spec_paging(s);
  /* No burst once --max-time is spent: it could only complete as budget. */
  if(s->opts->burst <= 0 || http_engine_out_of_budget(s->eng))
    return;
  /* Authentication routes the spec declares (any method: a GET burst
   * still meets a limiter in front of the router). */
  for(size_t i = 0; s->have_spec && i < s->spec.n && rs->nauth < 2; i++)
    if(rl_is_auth_path(s->spec.ops[i].path))
      rl_add_auth(rs, s->spec.ops[i].path);
  if(rs->have_cheap)
    rl_queue_burst(s, rs, rs->cheap, 0);
  for(int i = 0; i < rs->nauth; i++)
    rl_queue_burst(s, rs, rs->auth[i], 1);
}

static void rl_finish(struct scan *s, void *st)
{
  struct rl_state *rs = st;
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
  .summary = "API4: rate limiting (a bounded burst, --burst), page-size caps, unpaged lists, paging parameters without a maximum",
  .rules = rl_rules,
  .nrules = ARRAY_LEN(rl_rules),
  .state_size = sizeof(struct rl_state),
  .plan = rl_plan,
  .judge = rl_judge,
  .plan_late = rl_plan_late,
  .finish = rl_finish,
};
