/*
 * scan_witness.c - what counts as "refused", judged by comparison.
 *
 * Real middleware refuses in many ways: Echo's JWT and KeyAuth middleware
 * answer 400 {"message":"missing or malformed jwt"}, others 401 or 403,
 * a 404 that hides the route, a 302 to a login page, a 200 login form, a
 * 200 with an empty body. A status code alone says little; what matters
 * is that the answer without the right credential differs from the
 * authenticated one in a way that says "no". A 200 that looks like the
 * server's random-path page (a catch-all) is never taken as a refusal:
 * a route judged that way would make any forged credential look
 * accepted or refused by chance.
 *
 * Witness routes (GET, the user's credential opens them, no credential
 * and a wrong credential are refused) are chosen once, before phase 2b;
 * with -v each candidate gets a debug line saying why it was taken or not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "../core/core_str.h"
#include "scan.h"

#define JSON_ERROR_MAX_KEYS 8

static int status_refuses(long st)
{
  /* 407 never reaches here without a proxy; 419/440/498/499 are the
   * session/token statuses of Laravel, IIS and ArcGIS-style APIs. */
  return st == 400 || st == 401 || st == 403 || st == 404 || st == 419 || st == 440 ||
         st == 498 || st == 499;
}

/* A Location path that names a login step. */
static int location_is_login(const char *loc)
{
  static const char *const words[] = {
    "login", "log-in", "log_in", "logon", "signin", "sign-in", "sign_in", "/auth",
    "sso", "oauth", "authorize", "/session", "/cas/", "/account", NULL,
  };
  for(size_t i = 0; words[i]; i++)
    if(strcasestr(loc, words[i]))
      return 1;
  return 0;
}

/* {"error": ...}, {"message": ...}, RFC 7807 problem details: a small
 * JSON object with an error-ish key. The body parsed once by the scan
 * (probe_body_json) when it was, else parsed here (a harness). */
static int body_is_json_error(const struct probe *p, const char *b, size_t n)
{
  if(n == 0 || n > SCAN_JSON_ERROR_MAX_BODY)
    return 0;
  size_t i = 0;
  while(i < n && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t'))
    i++;
  if(i == n || b[i] != '{')
    return 0;
  json_t *own = NULL;
  const json_t *j = p->json_done ? p->json : (own = json_loadb(b, n, 0, NULL));
  static const char *const keys[] = {
    "error", "errors", "message", "msg", "detail", "error_description", "fault", "title",
    "status", "code", NULL,
  };
  int hit = 0;
  if(json_is_object(j) && json_object_size(j) <= JSON_ERROR_MAX_KEYS)
    for(size_t k = 0; keys[k] && !hit; k++)
      hit = json_object_get(j, keys[k]) != NULL;
  json_decref(own);
  return hit;
}

/* An HTML page with a form that asks for a password. */
static int body_is_login_form(const char *b, size_t n)
{
  const char *f = str_find_ci(b, n, "<form");
  if(!f)
    return 0;
  n -= (size_t)(f - b);
  b = f;
  return str_find_ci(b, n, "type=\"password\"") || str_find_ci(b, n, "type='password'") ||
         str_find_ci(b, n, "type=password");
}

/* One pass over the body for both hashes: the whole body, and its shape
 * (every copy of the request path left out, since "not found" pages
 * often echo it). */
void scan_body_digest(const struct probe *p, struct body_sum *out)
{
  const char *b = buf_str(&p->x.body);
  size_t n = p->x.body.len;
  const char *needle = p->path ? p->path : "";
  size_t nl = strlen(needle);
  unsigned long long h = 1469598103934665603ULL, sh = h;
  size_t shape_len = 0;
  for(size_t i = 0; i < n;) {
    if(nl > 1 && b[i] == needle[0] && i + nl <= n && memcmp(b + i, needle, nl) == 0) {
      for(size_t k = 0; k < nl; k++) {
        h ^= (unsigned char)b[i + k];
        h *= 1099511628211ULL;
      }
      i += nl;
      continue;
    }
    h ^= (unsigned char)b[i];
    h *= 1099511628211ULL;
    sh ^= (unsigned char)b[i++];
    sh *= 1099511628211ULL;
    shape_len++;
  }
  memset(out, 0, sizeof(*out));
  out->done = 1;
  out->len = n;
  out->hash = h;
  out->shape = sh;
  out->shape_len = shape_len;
  out->json_error = (unsigned char)body_is_json_error(p, b, n);
  /* A login page is markup from its first bytes: a body that opens with
   * no '<' (JSON, text, a blob) is not searched through. */
  size_t lead = n < 1024 ? n : 1024;
  out->login_form = memchr(b, '<', lead) && (unsigned char)body_is_login_form(b, n);
}

/* p's digest: kept since it completed, or computed now (a harness that
 * judges by hand). */
static const struct body_sum *sum_of(const struct probe *p, struct body_sum *tmp)
{
  if(p->sum.done)
    return &p->sum;
  scan_body_digest(p, tmp);
  return tmp;
}

static int same_body(const struct probe *a, const struct probe *b)
{
  struct body_sum ta, tb;
  const struct body_sum *x = sum_of(a, &ta), *y = sum_of(b, &tb);
  return x->len == y->len && x->hash == y->hash;
}

int scan_refused(const struct scan *s, const struct probe *authd, const struct probe *p,
                 char *why, size_t whylen)
{
  char dummy[8];
  if(!why) {
    why = dummy;
    whylen = sizeof(dummy);
  }
  why[0] = '\0';
  if(!p || !http_answered(&p->x)) {
    snprintf(why, whylen, "no answer");
    return REF_NO;
  }
  long st = p->x.status;
  struct body_sum tmp;
  const struct body_sum *ps = sum_of(p, &tmp);
  if(status_refuses(st)) {
    const char *kind = ps->len == 0 ? ", empty body"
                       : ps->json_error ? ", JSON error body"
                       : ps->login_form ? ", login form" : "";
    snprintf(why, whylen, "HTTP %ld%s", st, kind);
    return REF_STATUS;
  }
  if(st >= 300 && st <= 399) {
    char loc[512];
    if(!http_header(&p->x, "Location", 0, loc, sizeof(loc)))
      loc[0] = '\0';
    if(loc[0] && location_is_login(loc)) {
      snprintf(why, whylen, "HTTP %ld to a login page (%s)", st, loc);
      return REF_LOGIN_REDIRECT;
    }
    snprintf(why, whylen, "HTTP %ld to %s: not a login page", st, loc[0] ? loc : "nowhere");
    return REF_NO;
  }
  if(st < 200 || st > 299) {
    snprintf(why, whylen, "HTTP %ld: an error, not a refusal", st);
    return REF_NO;
  }
  if(authd && http_answered(&authd->x) && authd->x.status == st && same_body(p, authd)) {
    snprintf(why, whylen, "HTTP %ld with the same body as with the credential", st);
    return REF_NO;
  }
  if(scan_like_baseline(s, p)) {
    snprintf(why, whylen, "HTTP %ld with the random-path page (a soft answer, not taken as a refusal)",
             st);
    return REF_NO;
  }
  if(ps->len == 0) {
    snprintf(why, whylen, "HTTP %ld with an empty body", st);
    return REF_EMPTY;
  }
  if(ps->json_error) {
    snprintf(why, whylen, "HTTP %ld with a JSON error body", st);
    return REF_JSON_ERROR;
  }
  if(ps->login_form) {
    snprintf(why, whylen, "HTTP %ld with a login form", st);
    return REF_LOGIN_FORM;
  }
  snprintf(why, whylen, "HTTP %ld with other content (%zu bytes)", st, ps->len);
  return REF_NO;
}

const char *const scan_query_cred_names[] = {
  "api_key", "apikey", "api-key", "key", "access_token", "token", "auth", NULL,
};

int scan_accepted(const struct scan *s, const struct probe *authd, const struct probe *p)
{
  return p && scan_is_hit(s, p) && !scan_refused(s, authd, p, NULL, 0);
}

void scan_pick_witnesses(struct scan *s)
{
  if(!scan_has_cred(s))
    return;
  for(size_t i = 0; i < s->nprobes; i++) {
    struct probe *p = s->probes[i];
    struct probe *none = p->var[ID_NONE], *wrong = p->var[ID_WRONG];
    p->witness = 0;
    if(p->ident != ID_MAIN || strcmp(p->x.method, "GET") || !none)
      continue;
    if(!http_answered(&p->x)) {
      scan_debug(s, "witness? %s: no: no answer with the credential", p->x.url);
      continue;
    }
    if(!scan_is_hit(s, p)) {
      scan_debug(s, "witness? %s: no: the credential gets HTTP %ld%s", p->x.url, p->x.status,
                 p->x.status >= 200 && p->x.status <= 299 ? " with the random-path page" : "");
      continue;
    }
    char wn[200], ww[200];
    if(!scan_refused(s, p, none, wn, sizeof(wn))) {
      scan_debug(s, "witness? %s: no: with the credential -> HTTP %ld; no credential -> %s (not refused)",
                 p->x.url, p->x.status, wn);
      continue;
    }
    snprintf(ww, sizeof(ww), "%s", wrong ? "no answer" : "not sent");
    if(wrong && http_answered(&wrong->x) && !scan_refused(s, p, wrong, ww, sizeof(ww))) {
      scan_debug(s, "witness? %s: no: no credential -> %s, but a wrong credential -> %s "
                 "(the value is not checked)", p->x.url, wn, ww);
      continue;
    }
    p->witness = 1;
    scan_debug(s, "witness: %s: with the credential -> HTTP %ld; no credential -> %s; wrong credential -> %s",
               p->x.url, p->x.status, wn, ww);
  }
}

struct probe *scan_next_witness(struct scan *s, size_t *it)
{
  while(*it < s->nprobes) {
    struct probe *p = s->probes[(*it)++];
    if(p->witness)
      return p;
  }
  return NULL;
}
