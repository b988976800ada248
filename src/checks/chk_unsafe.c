/*
 * chk_unsafe.c - API10 unsafe consumption of APIs, as far as it shows from
 * outside: what the API relays from the services behind it.
 *
 * Judged, on every answered request (no request of its own):
 *  - unsafe.upstream-content: a JSON answer with a string value that is
 *    an HTML document (<html or <!DOCTYPE html), or an upstream's error
 *    page or gateway error text (502 Bad Gateway, upstream connect error,
 *    an nginx/Apache error page): a third party's answer passed through
 *    unvalidated;
 *  - unsafe.upstream-headers: X-Upstream-* / X-Backend-* headers naming
 *    the service behind, or a Via chain of two hops or more naming hosts;
 *  - unsafe.foreign-redirect: a redirect (3xx Location) to a host other
 *    than the target's (never followed: the scope lock refuses it).
 * From the spec alone (nothing sent), in finish:
 *  - unsafe.webhook-unsigned: a request the API sends to a URL its
 *    clients chose (an OpenAPI 3.1 top-level webhook, or an operation's
 *    callback) for which the document names no signature: no header
 *    parameter whose name says "signature" or "hmac" (X-Hub-Signature-256,
 *    Webhook-Signature, X-Shop-HMAC, ...) on the request's path item or
 *    operation, and no non-empty security requirement on it. One finding
 *    per webhook, and one per operation that registers callbacks (listing
 *    them), in document order. Descriptions are not read: a signature
 *    told only in prose is not seen (a false positive the remediation
 *    names), and whether the receivers really check it is not judged.
 * Not judged: whether the API validates what an upstream sends it (TLS to
 * the upstream, schema checks, size limits), which no outside request can
 * see.
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
#include "../scan/scan_rx.h"
#include "check.h"

enum { R_CONTENT, R_HEADERS, R_REDIRECT, R_WEBHOOK };

static const struct wd_rule un_rules[] = {
  [R_CONTENT] = {
    .id = "unsafe.upstream-content",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_UNSAFE,
    .owasp = "API10:2023",
    .cwe = 20,
    .title = "Upstream content relayed unvalidated",
    .summary = "A JSON answer carries an upstream's HTML page or gateway error: what a third-party service sends is passed to clients as it came",
    .remediation = "Validate what upstream services return (status, content type, schema) before using it, and map their failures to your own error without their body.",
  },
  [R_HEADERS] = {
    .id = "unsafe.upstream-headers",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_UNSAFE,
    .owasp = "API10:2023",
    .cwe = 200,
    .title = "Upstream service named in response headers",
    .summary = "X-Upstream-*/X-Backend-* headers or a Via chain name the services behind the API",
    .remediation = "Strip upstream and hop headers at the edge (proxy_hide_header, header_down -X-Upstream-*); keep the topology in logs.",
  },
  [R_REDIRECT] = {
    .id = "unsafe.foreign-redirect",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_UNSAFE,
    .owasp = "API10:2023",
    .cwe = 601,
    .title = "Redirect to another host",
    .summary = "The API answers with a redirect to a host other than its own: clients that follow it trust whatever that host returns",
    .remediation = "Redirect only to your own hosts (an allowlist); never build a Location from input or from an upstream's answer.",
  },
  [R_WEBHOOK] = {
    .id = "unsafe.webhook-unsigned",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_UNSAFE,
    .owasp = "API10:2023",
    .cwe = 345,
    .title = "Webhook or callback without a documented signature",
    .summary = "The spec declares a request the API sends to a URL its clients register (a webhook or a callback) and names no signature header or security scheme for it: receivers cannot tell its calls from anyone else's",
    .remediation = "Sign every webhook and callback request (an HMAC of the timestamp and body with a per-subscription secret, in a header such as Webhook-Signature), declare that header (or a security scheme) on the request in the spec, and reject unsigned or stale calls on the receiving side.",
  },
};

static const struct rx un_html = RX_I("<!doctype html|<html[\\s>]");
static const struct rx un_gateway =
  RX_I("502 Bad Gateway|504 Gateway Time-?out|upstream connect error|upstream request timeout|"
       "no healthy upstream|<center>nginx</center>|Apache/[0-9.]+ \\([A-Za-z]+\\) Server at");

/* Looks for HTML or a gateway error in the JSON's string values (decoded:
 * a JSON encoder writes < as \u003c), at most depth 8 and 256 strings. */
static const char *un_strings(struct scan *s, json_t *j, int depth, int *budget, const char **which)
{
  if(depth > 8 || *budget <= 0)
    return NULL;
  if(json_is_string(j)) {
    (*budget)--;
    const char *v = json_string_value(j);
    size_t n = json_string_length(j), mo, ml;
    if(rx_search(s->rx, &un_html, v, n, 0, &mo, &ml)) {
      *which = "an HTML document inside the JSON answer";
      return v;
    }
    if(rx_search(s->rx, &un_gateway, v, n, 0, &mo, &ml)) {
      *which = "an upstream gateway error inside the JSON answer";
      return v;
    }
    return NULL;
  }
  if(json_is_object(j)) {
    const char *k;
    json_t *v;
    json_object_foreach(j, k, v) {
      const char *r = un_strings(s, v, depth + 1, budget, which);
      if(r)
        return r;
    }
  } else if(json_is_array(j)) {
    for(size_t i = 0; i < json_array_size(j); i++) {
      const char *r = un_strings(s, json_array_get(j, i), depth + 1, budget, which);
      if(r)
        return r;
    }
  }
  return NULL;
}

#define UN_MAX_JSON (512 * 1024)

static void un_content(struct scan *s, struct probe *p)
{
  char ct[128];
  if(!http_header(&p->x, "Content-Type", 0, ct, sizeof(ct)) || !strcasestr(ct, "json") ||
     p->x.body.len > UN_MAX_JSON)
    return;
  /* Parsed once by the scan, borrowed; un_strings walks it with
   * jansson's iterator, which takes a non-const object, and only reads. */
  json_t *j = (json_t *)scan_body_json(s, p);
  if(!j)
    return;
  scan_ran(s, &un_rules[R_CONTENT]);
  int budget = 256;
  const char *what = NULL;
  const char *v = un_strings(s, j, 0, &budget, &what);
  if(v) {
    char ev[400];
    snprintf(ev, sizeof(ev), "%s (%ld, %s): %.200s", what, p->x.status, ct, v);
    scan_flag(s, p, &un_rules[R_CONTENT], -1, NULL, ev, 0, 0, "upstream-content");
  }
}

/* X-Upstream-* / X-Backend-* header lines, or a Via of two hops or more. */
static void un_headers(struct scan *s, struct probe *p)
{
  scan_ran(s, &un_rules[R_HEADERS]);
  const char *h = buf_str(&p->x.head);
  size_t n = p->x.head.len;
  static const char *const names[] = {"x-upstream", "x-backend", "x-served-by-upstream", NULL};
  for(size_t i = 0; i < n;) {
    size_t e = i;
    while(e < n && h[e] != '\n')
      e++;
    size_t l = e - i;
    while(l && (h[i + l - 1] == '\r' || h[i + l - 1] == ' '))
      l--;
    int hit = 0;
    for(int k = 0; names[k]; k++) {
      size_t kl = strlen(names[k]);
      if(l > kl && strncasecmp(h + i, names[k], kl) == 0 && memchr(h + i, ':', l))
        hit = 1;
    }
    if(!hit && l > 4 && strncasecmp(h + i, "via:", 4) == 0 && memchr(h + i, ',', l))
      hit = 1;
    if(hit) {
      char ev[300];
      snprintf(ev, sizeof(ev), "response header %.*s", (int)(l < 200 ? l : 200), h + i);
      scan_flag(s, p, &un_rules[R_HEADERS], -1, NULL, ev, 0, 0, "upstream-headers");
      return;
    }
    i = e + 1;
  }
}

static void un_redirect(struct scan *s, struct probe *p)
{
  if(p->x.status < 300 || p->x.status > 399 || p->x.status == 304)
    return;
  char loc[1024];
  if(!http_header(&p->x, "Location", 0, loc, sizeof(loc)))
    return;
  scan_ran(s, &un_rules[R_REDIRECT]);
  struct url_parts u;
  char err[128];
  char *abs = url_resolve(p->x.url, loc);
  if(!abs)
    return;
  if(url_parse(abs, &u, err, sizeof(err)) == 0) {
    if(u.host && s->target.host && strcasecmp(u.host, s->target.host) != 0 &&
       !scope_allows(&s->scope, abs)) {
      char ev[400];
      snprintf(ev, sizeof(ev), "%ld Location: %.300s (the target is %s)", p->x.status, loc,
               s->target.host);
      scan_flag(s, p, &un_rules[R_REDIRECT], -1, NULL, ev, 0, 0, "foreign-redirect");
    }
    url_parts_cleanup(&u);
  }
  free(abs);
}

/* The spec's webhooks and callbacks without a documented signature:
 * one finding per webhook, one per operation registering callbacks. */
static void un_webhooks(struct scan *s, void *st)
{
  (void)st;
  if(!s->have_spec || !s->spec.nhooks)
    return;
  scan_ran(s, &un_rules[R_WEBHOOK]);
  const struct spec *sp = &s->spec;
  char *where = xstrdup(s->spec_url ? s->spec_url : s->target_url);
  for(size_t i = 0; i < sp->nhooks; i++) {
    const struct spec_hook *h = &sp->hooks[i];
    if(h->signature)
      continue;
    if(h->op == SPEC_HOOK_NO_OP) {
      char ev[600], key[200];
      snprintf(ev, sizeof(ev), "the spec's webhook %.100s (%s to the subscriber's URL) names no "
               "signature header and no security requirement", h->name, h->method);
      snprintf(key, sizeof(key), "webhook %.100s %s", h->name, h->method);
      scan_flag_at(s, &un_rules[R_WEBHOOK], -1, NULL, h->method, where, ev, key);
      continue;
    }
    /* A callback: gathered by its operation, once, at its first hook. */
    int first = 1;
    for(size_t k = 0; k < i && first; k++)
      first = !(sp->hooks[k].op == h->op && !sp->hooks[k].signature);
    if(!first)
      continue;
    struct buf b;
    buf_init(&b, 600);
    int n = 0;
    for(size_t k = i; k < sp->nhooks; k++) {
      const struct spec_hook *c = &sp->hooks[k];
      if(c->op != h->op || c->signature)
        continue;
      buf_printf(&b, "%s%.60s (%s %.100s)", n++ ? ", " : "", c->name, c->method, c->expr);
    }
    const struct spec_op *op = &sp->ops[h->op];
    char ev[900], key[300];
    snprintf(ev, sizeof(ev), "the spec's %s %.200s registers callback%s with no signature header "
             "and no security requirement: %s", op->method, op->path, n == 1 ? "" : "s", buf_str(&b));
    snprintf(key, sizeof(key), "callback %s %.200s", op->method, op->path);
    char *url = xasprintf("%s%s", s->origin, op->path);
    scan_flag_at(s, &un_rules[R_WEBHOOK], -1, NULL, op->method, url, ev, key);
    free(url);
    buf_cleanup(&b);
  }
  struct buf sig;
  buf_init(&sig, 600);
  size_t nsig = 0;
  for(size_t i = 0; i < sp->nhooks; i++)
    if(sp->hooks[i].signature)
      buf_printf(&sig, "%s%.60s: %.60s", nsig++ ? ", " : "", sp->hooks[i].name,
                 sp->hooks[i].signature);
  report_note(&s->rep, "unsafe: the spec declares %zu webhook and callback request%s, %zu with a "
              "documented signature%s%s%s", sp->nhooks, sp->nhooks == 1 ? "" : "s", nsig,
              nsig ? " (" : "", buf_str(&sig), nsig ? ")" : "");
  buf_cleanup(&sig);
  if(sp->hooks_total > sp->nhooks)
    report_note(&s->rep, "unsafe: the spec declares %zu webhook and callback requests; the first "
                "%zu were judged for a signature", sp->hooks_total, sp->nhooks);
  free(where);
}

static void un_judge(struct scan *s, void *st, struct probe *p)
{
  (void)st;
  if(!http_answered(&p->x) || (p->flags & (PROBE_BASELINE | PROBE_BURST)))
    return;
  un_headers(s, p);
  un_redirect(s, p);
  if(p->x.body.len)
    un_content(s, p);
}

const struct wd_check check_unsafe = {
  .name = "unsafe",
  .summary = "API10: upstream content, headers and redirects the API relays; webhooks and callbacks the spec declares without a signature",
  .rules = un_rules,
  .nrules = ARRAY_LEN(un_rules),
  .judge = un_judge,
  .finish = un_webhooks,
};
