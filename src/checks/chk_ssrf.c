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
 *
 * With --active: each such parameter (any route, with the user's
 * credential) gets one GET whose value is a unique canary URL, served by
 * the scan's canary listener (scan_canary.h: loopback, or --canary
 * HOST:PORT for an address the target can reach). The target requesting
 * that URL proves the forgery: ssrf.callback, with the parameter, the
 * request the target made and its User-Agent. Nothing is sent anywhere
 * but to the target; the listener only answers. Callbacks that come
 * later than one second after the last answer are not waited for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "../scan/scan_canary.h"
#include "check.h"

enum { R_PARAM, R_CALLBACK };

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
  [R_CALLBACK] = {
    .id = "ssrf.callback",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_SSRF,
    .owasp = "API7:2023",
    .cwe = 918,
    .title = "Server-side request forgery (callback received)",
    .summary = "A URL given in a parameter was requested by the target itself: warden's canary listener received the request (--active)",
    .remediation = "Fetch only from an allowlist of hosts (resolved and checked after DNS, redirects not followed), never from loopback, link-local (169.254.169.254) or private ranges; better, take an identifier, not a URL.",
  },
};

extern const struct wd_check check_ssrf;

#define SF_MAX 16

struct sf_sent {
  char token[24];
  char param[64];
  char url[320];   /* the request that carried the canary, relative */
  int answered;
};

struct sf_state {
  struct sf_sent v[SF_MAX];
  int n;
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

static char *sf_enc(const char *v)
{
  char *o = xmalloc(strlen(v) * 3 + 1), *w = o;
  for(const unsigned char *c = (const unsigned char *)v; *c; c++) {
    if((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
       *c == '-' || *c == '_' || *c == '.')
      *w++ = (char)*c;
    else
      w += snprintf(w, 4, "%%%02X", *c);
  }
  *w = '\0';
  return o;
}

/* --active: a canary URL in each URL parameter of op, the others 1. */
static void sf_send(struct scan *s, struct sf_state *ss, const struct spec_op *op)
{
  for(size_t i = 0; i < op->nquery && ss->n < SF_MAX; i++) {
    if(!sf_url_name(op->query[i]) || strchr(op->path, '{'))
      continue;
    struct sf_sent *e = &ss->v[ss->n];
    char hex[17], canary[256];
    str_random_hex(hex, 16);
    snprintf(e->token, sizeof(e->token), "%s", hex);
    if(scan_canary_url(s, e->token, canary, sizeof(canary)))
      return;
    char *enc = sf_enc(canary);
    char *q = xasprintf("%s?%s=%s", op->path, op->query[i], enc);
    for(size_t k = 0; k < op->nquery; k++)
      if(k != i) {
        char *q2 = xasprintf("%s&%s=1", q, op->query[k]);
        free(q);
        q = q2;
      }
    snprintf(e->param, sizeof(e->param), "%s", op->query[i]);
    snprintf(e->url, sizeof(e->url), "%s", q);
    if(scan_queue(s, "GET", q, PROBE_FOLLOWUP, &check_ssrf, ss->n))
      ss->n++;
    free(q);
    free(enc);
  }
}

static void sf_finish(struct scan *s, void *st)
{
  struct sf_state *ss = st;
  if(!ss->n)
    return;
  /* A target that fetches in the background may call a little later. */
  for(int wait = 0; wait < 10; wait++) {
    int missing = 0;
    for(int i = 0; i < ss->n; i++)
      missing += ss->v[i].answered && !scan_canary_hit(s, ss->v[i].token, NULL, 0, NULL, 0);
    if(!missing)
      break;
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  for(int i = 0; i < ss->n; i++) {
    struct sf_sent *e = &ss->v[i];
    if(!e->answered)
      continue;
    scan_ran(s, &sf_rules[R_CALLBACK]);
    char ua[160] = "", peer[64] = "";
    if(!scan_canary_hit(s, e->token, ua, sizeof(ua), peer, sizeof(peer)))
      continue;
    char ev[500];
    snprintf(ev, sizeof(ev), "?%s= given the canary URL .../wd-%s: the target requested it "
             "(from %s, User-Agent: %s)", e->param, e->token, peer, ua[0] ? ua : "none");
    char *url = xasprintf("%s%s", s->origin, e->url);
    char key[100];
    snprintf(key, sizeof(key), "callback %s", e->param);
    scan_flag_at(s, &sf_rules[R_CALLBACK], -1, NULL, "GET", url, ev, key);
    free(url);
  }
}

static void sf_judge(struct scan *s, void *st, struct probe *p)
{
  struct sf_state *ss = st;
  if(p->origin == &check_ssrf) {
    if(p->tag >= 0 && p->tag < ss->n && http_answered(&p->x))
      ss->v[p->tag].answered = 1;
    return;
  }
  if(!p->op || p->origin || !(p->flags & PROBE_SPEC) || (p->flags & PROBE_ERROR) ||
     !http_answered(&p->x) || p->op->nquery == 0)
    return;
  if(scan_active(s) && p->ident == ID_MAIN)
    sf_send(s, ss, p->op);
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
  .state_size = sizeof(struct sf_state),
  .judge = sf_judge,
  .finish = sf_finish,
};
