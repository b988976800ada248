/*
 * chk_ssrf.c - API7 server-side request forgery: the surface, read-only.
 *
 * A spec GET operation whose query parameter takes a URL or a host (by
 * name: url, uri, callback, webhook, redirect, next, image, feed, target,
 * host, dest, and names ending in _url/_uri/Url) on a route that needs no
 * credential is the surface: ssrf.url-parameter (info; it cannot lower a
 * score, and the category stays untested until --active sends URLs).
 * Nothing is sent for it: the spec and the answers the scan already got
 * say it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "check.h"

enum { R_PARAM };

static const struct wd_rule sf_rules[] = {
  [R_PARAM] = {
    .id = "ssrf.url-parameter",
    .severity = WD_SEV_INFO,
    .category = WD_CAT_SSRF,
    .owasp = "API7:2023",
    .cwe = 918,
    .title = "Route takes a URL parameter without credentials",
    .summary = "A route anyone can call takes a URL or host in a parameter: a server-side request forgery surface (test it with --active)",
    .remediation = "Fetch only from an allowlist of hosts (resolved and checked after DNS, redirects not followed), never from loopback, link-local (169.254.169.254) or private ranges.",
  },
};

static const char *const sf_names[] = {
  "url", "uri", "callback", "webhook", "redirect", "next", "image", "feed", "target", "host",
  "dest", "destination", "link", "src", "source", "proxy", "fetch", "endpoint", NULL,
};

/* 1 when a parameter name says it takes a URL or a host. */
static int sf_url_name(const char *n)
{
  for(int i = 0; sf_names[i]; i++)
    if(strcasecmp(n, sf_names[i]) == 0)
      return 1;
  size_t l = strlen(n);
  static const char *const tails[] = {"_url", "_uri", "Url", "Uri", "_host", "-url", NULL};
  for(int i = 0; tails[i]; i++) {
    size_t t = strlen(tails[i]);
    if(l > t && strcmp(n + l - t, tails[i]) == 0)
      return 1;
  }
  return 0;
}

static void sf_judge(struct scan *s, void *st, struct probe *p)
{
  (void)st;
  if(!p->op || p->origin || !(p->flags & PROBE_SPEC) || (p->flags & PROBE_ERROR) ||
     !http_answered(&p->x) || p->op->nquery == 0)
    return;
  /* Unauthenticated: asked without a credential and not refused. */
  int anonymous = p->ident == ID_NONE || (p->ident == ID_MAIN && !scan_has_cred(s));
  if(!anonymous || p->x.status == 401 || p->x.status == 403 || p->x.status == 404)
    return;
  scan_ran(s, &sf_rules[R_PARAM]);
  for(size_t i = 0; i < p->op->nquery; i++) {
    if(!sf_url_name(p->op->query[i]))
      continue;
    char ev[300];
    snprintf(ev, sizeof(ev), "GET %.150s takes ?%.60s= (a URL or host) and answers %ld without "
             "credentials", p->op->path, p->op->query[i], p->x.status);
    char key[200];
    snprintf(key, sizeof(key), "%.120s %.60s", p->op->path, p->op->query[i]);
    scan_flag(s, p, &sf_rules[R_PARAM], -1, NULL, ev, 0, 0, key);
  }
}

const struct wd_check check_ssrf = {
  .name = "ssrf",
  .summary = "API7: URL-taking parameters (the SSRF surface)",
  .rules = sf_rules,
  .nrules = ARRAY_LEN(sf_rules),
  .judge = sf_judge,
};
