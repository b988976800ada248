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

#define JSON_ERROR_MAX_BODY 8192 /* error bodies are short */
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
 * JSON object with an error-ish key. */
static int body_is_json_error(const struct probe *p)
{
  const char *b = buf_str(&p->x.body);
  size_t n = p->x.body.len;
  if(n == 0 || n > JSON_ERROR_MAX_BODY)
    return 0;
  size_t i = 0;
  while(i < n && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t'))
    i++;
  if(i == n || b[i] != '{')
    return 0;
  json_t *j = json_loadb(b, n, 0, NULL);
  if(!json_is_object(j)) {
    json_decref(j);
    return 0;
  }
  static const char *const keys[] = {
    "error", "errors", "message", "msg", "detail", "error_description", "fault", "title",
    "status", "code", NULL,
  };
  int hit = 0;
  if(json_object_size(j) <= JSON_ERROR_MAX_KEYS)
    for(size_t k = 0; keys[k] && !hit; k++)
      hit = json_object_get(j, keys[k]) != NULL;
  json_decref(j);
  return hit;
}

/* An HTML page with a form that asks for a password. */
static int body_is_login_form(const struct probe *p)
{
  const char *b = buf_str(&p->x.body);
  size_t n = p->x.body.len;
  if(!str_find_ci(b, n, "<form"))
    return 0;
  return str_find_ci(b, n, "type=\"password\"") || str_find_ci(b, n, "type='password'") ||
         str_find_ci(b, n, "type=password");
}

static int same_body(const struct probe *a, const struct probe *b)
{
  return a->x.body.len == b->x.body.len &&
         memcmp(buf_str(&a->x.body), buf_str(&b->x.body), a->x.body.len) == 0;
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
  if(status_refuses(st)) {
    const char *kind = p->x.body.len == 0 ? ", empty body"
                       : body_is_json_error(p) ? ", JSON error body"
                       : body_is_login_form(p) ? ", login form" : "";
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
  if(p->x.body.len == 0) {
    snprintf(why, whylen, "HTTP %ld with an empty body", st);
    return REF_EMPTY;
  }
  if(body_is_json_error(p)) {
    snprintf(why, whylen, "HTTP %ld with a JSON error body", st);
    return REF_JSON_ERROR;
  }
  if(body_is_login_form(p)) {
    snprintf(why, whylen, "HTTP %ld with a login form", st);
    return REF_LOGIN_FORM;
  }
  snprintf(why, whylen, "HTTP %ld with other content (%zu bytes)", st, p->x.body.len);
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
