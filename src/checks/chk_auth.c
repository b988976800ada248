/*
 * chk_auth.c - authentication basics seen from outside: data returned
 * with no credentials where the spec (or --auth-required) says they are
 * needed, and method-based bypass: HEAD or OPTIONS answered where GET is
 * refused (a middleware that only guards some methods).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "check.h"

enum { R_NOAUTH, R_METHOD, R_WRONG, R_QUERY, R_HTTP, R_ECHO };

static const struct wd_fix fix_noauth[] = {
  {"echo", "Apply the JWT middleware to the group: g := e.Group(\"/api/v1\"); g.Use(middleware.JWTWithConfig(...)); routes registered on e directly are not covered."},
  {"chi", "Wrap the routes in r.Group(func(r chi.Router){ r.Use(authMiddleware); ... }) and make the middleware answer 401 before next.ServeHTTP when verification fails."},
  {"fiber", "Register the auth middleware before the routes (app.Use(keyauth.New(...)) or a group's Use), since Fiber applies middleware in registration order."},
  {"buffalo", "Use app.Use(APIKeyAuth) on the app or group and list public actions with app.Middleware.Skip(APIKeyAuth, Health) rather than leaving routes out of the group."},
  {"flask", "Decorate every view with the auth decorator (or use a before_request hook that allowlists public endpoints)."},
  {NULL, NULL},
};

static const struct wd_fix fix_method[] = {
  {"buffalo", "The key middleware must not skip HEAD or OPTIONS: check the key for every method before calling next(c); answer CORS preflights in a dedicated handler that returns no data."},
  {"echo", "Do not exempt methods in the auth middleware's Skipper; register HEAD through the same group as GET so the JWT middleware covers it."},
  {"chi", "Apply the auth middleware with r.Use on the router (it then covers every method, including the HEAD that middleware.GetHead routes to GET)."},
  {"fiber", "Do not return c.Next() early for HEAD or OPTIONS in the auth middleware."},
  {NULL, NULL},
};

static const struct wd_rule au_rules[] = {
  [R_NOAUTH] = {
    .id = "auth.no-auth",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_AUTH,
    .owasp = "API2:2023",
    .cwe = 306,
    .title = "Data returned without credentials",
    .summary = "A route that the spec (or --auth-required) says is protected answers 2xx with data to a request with no credentials",
    .remediation = "Enforce authentication on the route in the server, not only in the spec; a request with no credentials must get 401.",
    .fixes = fix_noauth,
  },
  [R_METHOD] = {
    .id = "auth.method-bypass",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_AUTH,
    .owasp = "API2:2023",
    .cwe = 288,
    .title = "Authentication bypass through the HTTP method",
    .summary = "GET is refused (401/403) but HEAD or OPTIONS on the same route is answered",
    .remediation = "Authenticate every method of a route; the middleware must not exempt HEAD or OPTIONS.",
    .fixes = fix_method,
  },
  [R_WRONG] = {
    .id = "auth.invalid-credential-accepted",
    .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_AUTH,
    .owasp = "API2:2023",
    .cwe = 287,
    .title = "An invalid credential is accepted",
    .summary = "A route refuses a request with no credential but answers one with a wrong key/token: only its presence is checked",
    .remediation = "Compare the presented key or token with the expected one (constant-time compare for keys, full signature and claim verification for tokens); presence is not authentication.",
    .fixes = fix_noauth,
  },
  [R_QUERY] = {
    .id = "auth.key-in-query",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_AUTH,
    .owasp = "API2:2023",
    .cwe = 598,
    .title = "API key accepted in the query string",
    .summary = "The API key works as a URL query parameter, where logs, proxies and browser history keep it",
    .remediation = "Accept API keys only in a request header (e.g. X-API-Key); reject requests that carry the key in the URL, and rotate keys that were sent that way.",
  },
  [R_HTTP] = {
    .id = "auth.credential-over-http",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_AUTH,
    .owasp = "API2:2023",
    .cwe = 523,
    .title = "Credential accepted over plain HTTP",
    .summary = "The API accepts its credential on a plain-HTTP URL, in clear text on the network",
    .remediation = "Serve authenticated routes over TLS only and refuse credentials on plain HTTP (answer 301 to https without processing them).",
  },
  [R_ECHO] = {
    .id = "auth.credential-echoed",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_DATA,
    .owasp = "API3:2023",
    .cwe = 200,
    .title = "Credential echoed in a response",
    .summary = "The API key, token or cookie the client sent comes back in a response body or header",
    .remediation = "Never reflect credentials in responses (debug echoes, error messages that print request headers).",
  },
};

extern const struct wd_check check_auth;

/* Tags of this check's own probes: identity variants are 0. */
#define AU_METHOD 1
#define AU_QNAME 10 /* + index in au_qnames: the key under a common name */
#define AU_MAX_QWITNESS 4
#define AU_QNAMES_MAX 12

static int au_needs_auth(const struct scan *s, const struct probe *p)
{
  const struct probe *m = p->ident == ID_MAIN ? p : p->parent;
  if(m && m->op)
    return m->op->secured || s->opts->auth_required;
  return s->opts->auth_required && m && (m->flags & PROBE_ROOT);
}

static int au_refused(const struct probe *p)
{
  return p && http_answered(&p->x) && (p->x.status == 401 || p->x.status == 403);
}

static int au_ok(const struct scan *s, const struct probe *p)
{
  return p && scan_is_hit(s, p) && scan_body_len(p) > 0;
}

/* The credential's value comes back in the body or a header. */
static void au_echo(struct scan *s, struct probe *p)
{
  scan_ran(s, &au_rules[R_ECHO]);
  const struct cred *c[2] = {&s->opts->cred, &s->opts->as2};
  for(int i = 0; i < 2; i++) {
    const char *v = c[i]->value;
    if(c[i]->kind == CRED_NONE || !v || strlen(v) < 6)
      continue;
    const char *where = NULL;
    const char *hit = str_find(buf_str(&p->x.body), p->x.body.len, v);
    if(hit)
      where = "body";
    else if(str_find(buf_str(&p->x.head), p->x.head.len, v))
      where = "headers";
    if(!where)
      continue;
    char ev[300];
    size_t off = hit ? (size_t)(hit - buf_str(&p->x.body)) : 0;
    char *ex = hit ? str_excerpt(buf_str(&p->x.body), p->x.body.len,
                                 off > 40 ? off - 40 : 0, 160)
                   : NULL;
    snprintf(ev, sizeof(ev), "the credential sent is in the response %s%s%s",
             where, ex ? ": " : "", ex ? ex : "");
    free(ex);
    scan_flag(s, p, &au_rules[R_ECHO], -1, NULL, ev, 0, 0, "echo");
    return;
  }
}

/* GET refused: try the same request as HEAD and OPTIONS, same identity. */
static void au_queue_methods(struct scan *s, struct probe *p)
{
  struct probe *q;
  const char *m[2] = {"HEAD", "OPTIONS"};
  for(int i = 0; i < 2; i++)
    if((q = scan_queue_as(s, m[i], p->base, PROBE_FOLLOWUP, &check_auth, AU_METHOD,
                          p->ident, NULL, NULL)))
      q->parent = p;
}

static void au_judge_method(struct scan *s, struct probe *p)
{
  scan_ran(s, &au_rules[R_METHOD]);
  long st = p->x.status;
  if(st < 200 || st > 299)
    return;
  int head = strcmp(p->x.method, "HEAD") == 0;
  /* An OPTIONS answer without a body is an ordinary CORS preflight. */
  if(!head && (p->x.body.len == 0 || scan_like_baseline(s, p)))
    return;
  char ev[200];
  snprintf(ev, sizeof(ev), "no credentials sent; GET -> %ld, %s -> %ld%s",
           p->parent->x.status, p->x.method, st, head ? "" : " with a body");
  char title[160];
  snprintf(title, sizeof(title), "Authentication bypass: %s answered where GET is refused",
           p->x.method);
  scan_flag(s, p, &au_rules[R_METHOD], -1, title, ev, 0, 0, NULL);
}

static void au_judge(struct scan *s, void *st, struct probe *p)
{
  (void)st;
  if(scan_has_cred(s))
    au_echo(s, p);
  if(p->origin == &check_auth && p->tag == AU_METHOD && !(p->flags & PROBE_REDIRECT)) {
    au_judge_method(s, p);
    return;
  }
  if(strcmp(p->x.method, "GET") ||
     (p->flags & (PROBE_BASELINE | PROBE_REDIRECT | PROBE_ERROR)))
    return;
  /* With a credential, the main request is the authenticated one: ask
   * the same as nobody, with a wrong credential, and with an API key
   * moved to the query string. */
  if(p->ident == ID_MAIN && scan_has_cred(s)) {
    if(p->flags & (PROBE_SPEC | PROBE_ROOT)) {
      scan_queue_as(s, "GET", p->base, PROBE_FOLLOWUP, &check_auth, 0, ID_NONE, NULL, p);
      scan_queue_as(s, "GET", p->base, PROBE_FOLLOWUP, &check_auth, 0, ID_WRONG, NULL, p);
      if(s->opts->cred.kind == CRED_APIKEY && !s->opts->cred.in_query)
        scan_queue_as(s, "GET", p->base, PROBE_FOLLOWUP, &check_auth, 0, ID_QUERYKEY, NULL, p);
    }
    return;
  }
  if(p->ident != ID_MAIN && p->ident != ID_NONE)
    return;
  /* From here on, p was sent without any credential. A route said to
   * need credentials, asked without any, is judged whatever it answers. */
  int needs = au_needs_auth(s, p);
  if(needs)
    scan_ran(s, &au_rules[R_NOAUTH]);
  if(au_refused(p)) {
    au_queue_methods(s, p);
    return;
  }
  if(!needs || !au_ok(s, p))
    return;
  char ev[200];
  char *ex = str_excerpt(buf_str(&p->x.body), p->x.body.len, 0, 120);
  snprintf(ev, sizeof(ev), "no credentials sent, HTTP %ld: %s", p->x.status, ex);
  free(ex);
  scan_flag(s, p, &au_rules[R_NOAUTH], -1, NULL, ev, 0, 0, NULL);
}

/* The query names tried for an API key: the common ones, then the
 * header's own name in lower case (ID_QUERYKEY already tries it as
 * given). Returns the count. */
static size_t au_qnames(const struct cred *c, char lower[128], const char *out[AU_QNAMES_MAX])
{
  size_t n = 0;
  for(size_t i = 0; scan_query_cred_names[i] && n < AU_QNAMES_MAX - 1; i++)
    out[n++] = scan_query_cred_names[i];
  snprintf(lower, 128, "%s", c->name ? c->name : "");
  for(char *q = lower; *q; q++)
    if(*q >= 'A' && *q <= 'Z')
      *q = (char)(*q - 'A' + 'a');
  int dup = !lower[0] || strcmp(lower, c->name ? c->name : "") == 0;
  for(size_t i = 0; i < n && !dup; i++)
    dup = strcmp(out[i], lower) == 0;
  if(!dup)
    out[n++] = lower;
  return n;
}

/* On a few witness routes: the API key under common query names, with no
 * header (a framework's KeyLookup "query:api_key", a legacy shim). */
static void au_plan_late(struct scan *s, void *st)
{
  (void)st;
  const struct cred *c = &s->opts->cred;
  if(c->kind != CRED_APIKEY || c->in_query)
    return;
  char lower[128];
  const char *names[AU_QNAMES_MAX];
  size_t nn = au_qnames(c, lower, names);
  size_t it = 0;
  int nw = 0;
  struct probe *w;
  while((w = scan_next_witness(s, &it)) && nw < AU_MAX_QWITNESS) {
    nw++;
    for(size_t i = 0; i < nn; i++) {
      char *u = xasprintf("%s%c%s=%s", w->base, strchr(w->base, '?') ? '&' : '?', names[i],
                          c->value);
      struct probe *q = scan_queue_as(s, "GET", u, PROBE_FOLLOWUP, &check_auth,
                                      AU_QNAME + (int)i, ID_CUSTOM, NULL, NULL);
      if(q)
        q->parent = w;
      free(u);
    }
  }
}

/* Across the identities of one request. */
static void au_finish(struct scan *s, void *st)
{
  (void)st;
  if(!scan_has_cred(s))
    return;
  const struct cred *c = &s->opts->cred;
  int plain = strcmp(s->target.scheme, "http") == 0;
  for(size_t i = 0; i < s->nprobes; i++) {
    struct probe *m = s->probes[i];
    if(m->ident != ID_MAIN || !m->var[ID_NONE])
      continue;
    struct probe *none = m->var[ID_NONE];
    /* Refused by status, or (400 JSON, login redirect or form, empty
     * body) by comparison with the authenticated answer. */
    if(!au_refused(none) && !(au_ok(s, m) && scan_refused(s, m, none, NULL, 0)))
      continue;
    char ev[240];
    if(m->var[ID_WRONG] && http_answered(&m->var[ID_WRONG]->x))
      scan_ran(s, &au_rules[R_WRONG]);
    if(plain && http_answered(&m->x))
      scan_ran(s, &au_rules[R_HTTP]);
    if(au_ok(s, m->var[ID_WRONG]) && !scan_refused(s, m, m->var[ID_WRONG], NULL, 0)) {
      snprintf(ev, sizeof(ev), "no credential -> %ld, wrong credential -> %ld",
               none->x.status, m->var[ID_WRONG]->x.status);
      scan_flag(s, m->var[ID_WRONG], &au_rules[R_WRONG], -1, NULL, ev, 0, 0, NULL);
    }
    struct probe *qk = c->in_query ? m : m->var[ID_QUERYKEY];
    if(qk && http_answered(&qk->x))
      scan_ran(s, &au_rules[R_QUERY]);
    if(au_ok(s, qk) && !scan_refused(s, m, qk, NULL, 0)) {
      snprintf(ev, sizeof(ev), "no key -> %ld, key as ?%s=... -> %ld", none->x.status,
               c->name, qk->x.status);
      scan_flag(s, qk, &au_rules[R_QUERY], -1, NULL, ev, 0, 0, "query");
    }
    if(plain && au_ok(s, m)) {
      snprintf(ev, sizeof(ev), "over http://: no credential -> %ld, credential -> %ld",
               none->x.status, m->x.status);
      scan_flag(s, m, &au_rules[R_HTTP], -1, NULL, ev, 0, 0, "http");
    }
  }
  /* The key under a common query name: the first name that worked. */
  char lower[128];
  const char *names[AU_QNAMES_MAX];
  size_t nn = au_qnames(c, lower, names);
  for(size_t i = 0; i < s->nprobes; i++) {
    struct probe *q = s->probes[i];
    if(q->origin != &check_auth || q->tag < AU_QNAME || q->tag >= AU_QNAME + (int)nn ||
       !q->parent || (q->flags & PROBE_REDIRECT))
      continue;
    if(http_answered(&q->x))
      scan_ran(s, &au_rules[R_QUERY]);
    if(!scan_accepted(s, q->parent, q))
      continue;
    struct probe *none = q->parent->var[ID_NONE];
    char ev[240];
    snprintf(ev, sizeof(ev), "no key -> %ld; no header, key as ?%s=... -> %ld",
             none ? none->x.status : 0, names[q->tag - AU_QNAME], q->x.status);
    scan_flag(s, q, &au_rules[R_QUERY], -1, NULL, ev, 0, 0, "query");
  }
}

const struct wd_check check_auth = {
  .name = "auth",
  .summary = "Unauthenticated access, invalid credentials accepted, method bypass, keys in URLs, over HTTP or echoed",
  .rules = au_rules,
  .nrules = ARRAY_LEN(au_rules),
  .judge = au_judge,
  .plan_late = au_plan_late,
  .finish = au_finish,
};
