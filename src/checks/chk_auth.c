/*
 * chk_auth.c - authentication basics seen from outside: data returned
 * with no credentials where the spec (or --auth-required) says they are
 * needed, and method-based bypass: HEAD or OPTIONS answered where GET is
 * refused (a middleware that only guards some methods).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_str.h"
#include "../scan/scan.h"
#include "check.h"

enum { R_NOAUTH, R_METHOD };

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
};

extern const struct wd_check check_auth;

static int au_needs_auth(const struct scan *s, const struct probe *p)
{
  if(p->op)
    return p->op->secured || s->opts->auth_required;
  return s->opts->auth_required && (p->flags & PROBE_ROOT);
}

static void au_judge(struct scan *s, struct probe *p)
{
  /* Follow-ups of our own: HEAD and OPTIONS after a refused GET. */
  if(p->origin == &check_auth && p->parent && !(p->flags & PROBE_REDIRECT)) {
    long st = p->x.status;
    if(st < 200 || st > 299)
      return;
    int head = strcmp(p->x.method, "HEAD") == 0;
    /* An OPTIONS answer without a body is an ordinary CORS preflight. */
    if(!head && (p->x.body.len == 0 || scan_like_baseline(s, p)))
      return;
    char ev[200];
    snprintf(ev, sizeof(ev), "no credentials sent; GET -> %ld, %s -> %ld%s",
             p->parent->x.status, p->x.method, st,
             head ? "" : " with a body");
    char title[160];
    snprintf(title, sizeof(title), "Authentication bypass: %s answered where GET is refused",
             p->x.method);
    scan_flag(s, p, &au_rules[R_METHOD], -1, title, ev, 0, 0, NULL);
    return;
  }
  if(strcmp(p->x.method, "GET") || (p->flags & (PROBE_BASELINE | PROBE_REDIRECT)))
    return;
  if(p->x.status == 401 || p->x.status == 403) {
    if(p->flags & PROBE_ERROR)
      return;
    struct probe *q;
    if((q = scan_queue(s, "HEAD", p->x.url, PROBE_FOLLOWUP, &check_auth, 0)))
      q->parent = p;
    if((q = scan_queue(s, "OPTIONS", p->x.url, PROBE_FOLLOWUP, &check_auth, 0)))
      q->parent = p;
    return;
  }
  if((p->flags & PROBE_ERROR) || !au_needs_auth(s, p))
    return;
  if(!scan_is_hit(s, p) || p->x.body.len == 0)
    return;
  char ev[200];
  char *ex = str_excerpt(buf_str(&p->x.body), p->x.body.len, 0, 120);
  snprintf(ev, sizeof(ev), "no credentials sent, HTTP %ld: %s", p->x.status, ex);
  free(ex);
  scan_flag(s, p, &au_rules[R_NOAUTH], -1, NULL, ev, 0, 0, NULL);
}

const struct wd_check check_auth = {
  .name = "auth",
  .summary = "Unauthenticated access to protected routes; method-based authentication bypass",
  .rules = au_rules,
  .nrules = ARRAY_LEN(au_rules),
  .judge = au_judge,
};
