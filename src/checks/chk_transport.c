/*
 * chk_transport.c - transport basics: plain HTTP that does not redirect
 * to HTTPS, HTTPS without HSTS, responses without nosniff, and cookies
 * without Secure or HttpOnly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/core_str.h"
#include "../scan/scan.h"
#include "check.h"

enum { R_HTTPS, R_HSTS, R_NOSNIFF, R_COOKIE };

static const struct wd_fix fix_headers[] = {
  {"echo", "e.Use(middleware.SecureWithConfig(middleware.SecureConfig{ContentTypeNosniff: \"nosniff\", HSTSMaxAge: 63072000}))."},
  {"chi", "Add a middleware that sets w.Header().Set(\"X-Content-Type-Options\", \"nosniff\") and, on TLS, Strict-Transport-Security: max-age=63072000."},
  {"fiber", "app.Use(helmet.New()) sets nosniff and HSTS."},
  {"buffalo", "Use the secure middleware (unrolled/secure) with ContentTypeNosniff and STSSeconds in production."},
  {"flask", "Set the headers in an after_request hook (or use flask-talisman)."},
  {NULL, NULL},
};

static const struct wd_fix fix_cookie[] = {
  {"echo", "Set Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode on the http.Cookie passed to c.SetCookie."},
  {"chi", "Set Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode on the http.Cookie passed to http.SetCookie."},
  {"fiber", "Set Secure: true, HTTPOnly: true, SameSite: \"Strict\" on the fiber.Cookie."},
  {"flask", "SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True, and secure=True, httponly=True on set_cookie."},
  {NULL, NULL},
};

static const struct wd_rule tr_rules[] = {
  [R_HTTPS] = {
    .id = "transport.no-https",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 319,
    .title = "API served over plain HTTP without a redirect to HTTPS",
    .summary = "The plain-HTTP URL answers content instead of redirecting to https://",
    .remediation = "Serve the API over TLS only; answer plain HTTP with a 301/308 to the https:// URL (or do not listen on it).",
  },
  [R_HSTS] = {
    .id = "transport.no-hsts",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 319,
    .title = "HTTPS without Strict-Transport-Security",
    .summary = "HTTPS responses lack an HSTS header with a positive max-age",
    .remediation = "Send Strict-Transport-Security: max-age=63072000; includeSubDomains on every HTTPS response.",
    .fixes = fix_headers,
  },
  [R_NOSNIFF] = {
    .id = "transport.no-nosniff",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 693,
    .title = "Missing X-Content-Type-Options: nosniff",
    .summary = "Successful responses lack X-Content-Type-Options: nosniff",
    .remediation = "Send X-Content-Type-Options: nosniff on every response.",
    .fixes = fix_headers,
  },
  [R_COOKIE] = {
    .id = "transport.cookie-flags",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 614,
    .title = "Cookie without Secure or HttpOnly",
    .summary = "A Set-Cookie lacks the Secure or HttpOnly attribute",
    .remediation = "Mark every session cookie Secure; HttpOnly; SameSite=Strict (or Lax).",
    .fixes = fix_cookie,
  },
};

static int has_attr(const char *cookie, const char *attr)
{
  /* Attributes follow the first ';'; match whole words only. */
  const char *p = strchr(cookie, ';');
  size_t al = strlen(attr);
  while(p) {
    p++;
    while(*p == ' ')
      p++;
    if(strncasecmp(p, attr, al) == 0 && (p[al] == ';' || p[al] == '=' ||
                                         p[al] == '\0' || p[al] == ' '))
      return 1;
    p = strchr(p, ';');
  }
  return 0;
}

static void tr_cookies(struct scan *s, struct probe *p)
{
  char c[1024];
  for(int i = 0; i < 32 && http_header(&p->x, "Set-Cookie", i, c, sizeof(c)); i++) {
    int secure = has_attr(c, "Secure"), httponly = has_attr(c, "HttpOnly");
    if(secure && httponly)
      continue;
    char name[64];
    size_t nl = strcspn(c, "=;");
    snprintf(name, sizeof(name), "%.*s", (int)(nl < 60 ? nl : 60), c);
    const char *attrs = strchr(c, ';');
    char ev[300], title[160], key[100];
    snprintf(ev, sizeof(ev), "Set-Cookie: %s=****%s", name, attrs ? attrs : "");
    snprintf(title, sizeof(title), "Cookie '%s' without %s", name,
             !secure && !httponly ? "Secure and HttpOnly" : !secure ? "Secure" : "HttpOnly");
    snprintf(key, sizeof(key), "cookie:%s", name);
    scan_flag(s, p, &tr_rules[R_COOKIE], -1, title, ev, 0, 0, key);
  }
}

static void tr_judge(struct scan *s, void *st, struct probe *p)
{
  (void)st;
  scan_ran(s, &tr_rules[R_COOKIE]);
  tr_cookies(s, p);
  if(p->x.status < 200 || p->x.status > 299 || scan_like_baseline(s, p))
    return;
  scan_ran(s, &tr_rules[R_NOSNIFF]);
  if(strcmp(s->target.scheme, "https") == 0)
    scan_ran(s, &tr_rules[R_HSTS]);
  char v[128];
  if(!http_header(&p->x, "X-Content-Type-Options", 0, v, sizeof(v)) ||
     !str_ieq(v, "nosniff"))
    scan_flag(s, p, &tr_rules[R_NOSNIFF], -1, NULL,
              "no X-Content-Type-Options: nosniff on a 2xx response", 0, 0, "once");
  if(strcmp(s->target.scheme, "https") == 0) {
    const char *ma = NULL;
    int ok = http_header(&p->x, "Strict-Transport-Security", 0, v, sizeof(v)) &&
             (ma = str_find_ci(v, strlen(v), "max-age=")) && atol(ma + 8) > 0;
    if(!ok)
      scan_flag(s, p, &tr_rules[R_HSTS], -1, NULL,
                "no Strict-Transport-Security with max-age > 0", 0, 0, "once");
  }
}

static void tr_finish(struct scan *s, void *st)
{
  (void)st;
  struct probe *r = s->root;
  if(!r || strcmp(s->target.scheme, "http") || !http_answered(&r->x))
    return;
  scan_ran(s, &tr_rules[R_HTTPS]);
  char loc[1024];
  if(r->x.status >= 300 && r->x.status <= 399 &&
     http_header(&r->x, "Location", 0, loc, sizeof(loc)) &&
     str_starts_with(loc, "https://"))
    return;
  char ev[160];
  snprintf(ev, sizeof(ev), "GET %s -> HTTP %ld, no redirect to https://",
           r->x.url, r->x.status);
  scan_flag(s, r, &tr_rules[R_HTTPS], -1, NULL, ev, 0, 0, NULL);
}

const struct wd_check check_transport = {
  .name = "transport",
  .summary = "Plain HTTP, HSTS, nosniff and cookie flags",
  .rules = tr_rules,
  .nrules = ARRAY_LEN(tr_rules),
  .judge = tr_judge,
  .finish = tr_finish,
};
