/*
 * chk_ssrf.c - API7 server-side request forgery: the surface, read-only.
 *
 * A spec GET operation whose query parameter takes a URL or a host (spec
 * format uri, url or uri-reference; by name: url, uri, callback, webhook,
 * redirect, next, image, feed, target, host, dest, and names ending in
 * _url/_uri/Url) on a route that needs no
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
 * When the listener is on 127.0.0.1 (the default), the same parameter
 * also gets the canary URL with 127.0.0.1 spelled as a decimal number
 * (2130706433), in hex (0x7f000001) and IPv6-mapped ([::ffff:127.0.0.1]),
 * each with its own token: still only loopback, still only the scan's
 * own listener. Judged by what happens:
 *  - ssrf.callback: any form was requested;
 *  - ssrf.filter-bypass: the plain URL was answered but never requested
 *    (a filter refused it) while a spelling was requested;
 *  - ssrf.response-returned: the listener's answer for a token (a marker
 *    with a per-scan key that was never sent, scan_canary_marker) is in
 *    the target's answer: what the target fetches comes back to the
 *    caller (a full-read SSRF: cloud metadata, internal services).
 * Cloud metadata and the target's own loopback, judged by what comes
 * back (nothing is sent anywhere but the target; whatever the target
 * fetches, it fetches itself). The same parameter also gets the AWS
 * instance metadata URL http://169.254.169.254/latest/meta-data/ with
 * the address written five ways (dotted, decimal 2852039166, hex
 * 0xA9FEA9FE, octal 0251.0376.0251.0376, IPv6-mapped
 * [::ffff:169.254.169.254]), and, when the spec was read from the target
 * itself, the spec's URL with the host 127.0.0.1 and the target's scheme
 * and port (the target asked for its own document over loopback):
 *  - ssrf.cloud-metadata: an answer to a metadata URL holds two or more
 *    names of instance metadata (sf_meta_words: ami-id, instance-id,
 *    local-ipv4, security-credentials, instanceId, computeMetadata, vmId,
 *    ...) that the same parameter's answer to the canary URL (the
 *    control, when the listener is open) does not hold: the target
 *    fetched the metadata service and returned it. The evidence names
 *    the spellings that came back and the words, never their values.
 *  - ssrf.loopback-target: the answer to the loopback URL holds the
 *    spec's title (8 characters or more) and the control does not: the
 *    target fetched from its own loopback address and returned it.
 * Each is decided in finish from what every form of the parameter got,
 * whatever order the answers came in.
 * In bodies (--active): an operation the scan sent with its JSON example
 * body (POST, PUT, PATCH, without path parameters) whose top-level body
 * property takes a URL (spec format uri/url/uri-reference/iri, or by
 * name) is sent once more as the main identity with that property set
 * to a canary URL (a write, within --max-writes; at most SF_BODY_MAX per
 * scan, one property per operation): ssrf.callback and
 * ssrf.response-returned as above. The first SF_BODY_META of them (in
 * the spec's order) also get the metadata URL in the four spellings
 * marked body (no octal) and the target's own loopback URL in the same
 * property, each another write, in the same group as the body's canary
 * (the control): ssrf.cloud-metadata and ssrf.loopback-target as above.
 * The 127.0.0.1 spellings of the canary URL go to query parameters only.
 */
#include <jansson.h>
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

enum { R_PARAM, R_CALLBACK, R_BYPASS, R_RETURNED, R_METADATA, R_LOOPBACK };

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
  [R_BYPASS] = {
    .id = "ssrf.filter-bypass",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_SSRF,
    .owasp = "API7:2023",
    .cwe = 918,
    .title = "SSRF filter bypassed by another spelling of the address",
    .summary = "The target refused to fetch http://127.0.0.1:PORT/ but fetched the same address spelled as a decimal or hex number or IPv6-mapped: its filter compares text, not the resolved address (--active)",
    .remediation = "Parse the URL, resolve the host, and check every resolved address against the allowlist (or reject loopback, link-local and private ranges) right before connecting; never match URL text against a blocklist.",
  },
  [R_RETURNED] = {
    .id = "ssrf.response-returned",
    .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_SSRF,
    .owasp = "API7:2023",
    .cwe = 918,
    .title = "SSRF with the fetched content returned",
    .summary = "What the target fetched from a URL given in a parameter came back in its answer (the canary listener's marker, which warden never sent): cloud metadata credentials and internal services are readable through it (--active)",
    .remediation = "Do not return fetched content verbatim; fetch only from an allowlist of hosts, checked on the resolved address before connecting, and never from loopback, link-local (169.254.169.254) or private ranges.",
  },
  [R_METADATA] = {
    .id = "ssrf.cloud-metadata",
    .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_SSRF,
    .owasp = "API7:2023",
    .cwe = 918,
    .title = "SSRF reaches the cloud metadata service",
    .summary = "Given the instance metadata URL (169.254.169.254, written dotted, as a decimal or hex or octal number, or IPv6-mapped) in a parameter, the target answered with instance metadata: its cloud credentials (iam/security-credentials) are one request away (--active)",
    .remediation = "Refuse link-local, loopback and private addresses after resolving the host (all spellings parse to the same address), fetch only from an allowlist, and require IMDSv2 session tokens (hop limit 1) so a forged GET cannot read the metadata service.",
  },
  [R_LOOPBACK] = {
    .id = "ssrf.loopback-target",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_SSRF,
    .owasp = "API7:2023",
    .cwe = 918,
    .title = "SSRF reaches the target's own loopback",
    .summary = "Given http(s)://127.0.0.1:PORT/ (the target's own port and spec path) in a parameter, the target fetched itself over loopback and returned the answer: services bound to localhost (admin, debug, metrics) are reachable through it (--active)",
    .remediation = "Refuse loopback, link-local and private addresses after resolving the host, fetch only from an allowlist, and never return fetched content verbatim.",
  },
};

extern const struct wd_check check_ssrf;

#define SF_MAX 64

/* The forms of a parameter's requests. */
enum { SF_CANARY = 0, SF_META = 1, SF_LOOP = 2 };

/* The AWS instance metadata URL, its address written five ways. */
static const struct {
  const char *brief, *url;
  int body; /* also sent in JSON bodies (each a write): not the octal */
} sf_meta_forms[] = {
  {"dotted", "http://169.254.169.254/latest/meta-data/", 1},
  {"decimal", "http://2852039166/latest/meta-data/", 1},
  {"hex", "http://0xA9FEA9FE/latest/meta-data/", 1},
  {"octal", "http://0251.0376.0251.0376/latest/meta-data/", 0},
  {"IPv6-mapped", "http://[::ffff:169.254.169.254]/latest/meta-data/", 1},
};

/* Names the cloud metadata services answer with (AWS listings and
 * identity document, Google's and Azure's keys); none is part of a URL
 * warden sends. Two distinct ones make an answer metadata. */
static const char *const sf_meta_words[] = {
  "ami-id", "ami-launch-index", "instance-id", "instance-type", "local-ipv4", "local-hostname",
  "public-keys/", "security-credentials", "reservation-id", "block-device-mapping",
  "\"instanceId\"", "\"imageId\"", "\"accountId\"", "\"availabilityZone\"", "\"privateIp\"",
  "computeMetadata", "service-accounts/", "numeric-project-id", "\"vmId\"", "\"subscriptionId\"",
  "\"azEnvironment\"", NULL,
};
#define SF_META_MIN 2
#define SF_TITLE_MIN 8

/* How the canary URL's host is spelled (forms 1.. only on 127.0.0.1). */
static const struct {
  const char *what, *brief;
  const char *fmt; /* host:port part, from the port; NULL: the URL as given */
} sf_forms[] = {
  {"as given", "as given", NULL},
  {"127.0.0.1 spelled as a decimal number", "decimal", "2130706433:%d"},
  {"127.0.0.1 spelled in hex", "hex", "0x7f000001:%d"},
  {"127.0.0.1 IPv6-mapped", "IPv6-mapped", "[::ffff:127.0.0.1]:%d"},
};

struct sf_sent {
  char token[24];
  char param[64];
  char url[384];   /* the request that carried the canary, relative */
  char sent[128];  /* the URL given to the parameter */
  char marker[64]; /* what the listener answers for token */
  int form, group; /* sf_forms / sf_meta_forms index; the parameter */
  int kind;        /* SF_CANARY, SF_META, SF_LOOP */
  int body;        /* sent in a JSON request body, not the query */
  char method[8];  /* the body's method */
  int answered;
  int returned;    /* the marker came back in the target's answer */
  unsigned meta;   /* which sf_meta_words the answer holds (bits) */
  int title;       /* the answer holds the spec's title */
  long status;
};

#define SF_BODY_MAX 4  /* body properties sent a canary URL (each a write) */
#define SF_BODY_META 2 /* of them, those also sent the metadata and loopback URLs */

struct sf_state {
  struct sf_sent v[SF_MAX];
  int n;
  int groups;
  int loop_note;   /* the note on the loopback form not sent, once */
  size_t body_ops[SF_BODY_MAX]; /* operations whose body was tried */
  int nbody;
  /* --active: the operations whose spec request identity 1 got an answer
   * to, by their index in the spec (the SF_MAX first), sent their canaries
   * in that order in plan_late: which are tried, and the order of the
   * entries and groups the findings are chosen from, do not depend on the
   * order the answers came in. */
  size_t pend[SF_MAX];
  int npend;
};

static const char *const sf_names[] = {
  "url", "uri", "callback", "webhook", "redirect", "next", "image", "feed", "target", "host",
  "dest", "destination", "link", "src", "source", "proxy", "fetch", "endpoint", NULL,
};

/* 1 when a parameter name says it takes a URL or a host. */
static int sf_url_name(const char *n);

/* 1 when the query parameter name of op takes a URL: its spec format
 * says so, or its name. */
static int sf_url_param(const struct spec_op *op, const char *n)
{
  for(size_t k = 0; k < op->nparams; k++) {
    const struct spec_param *sp = &op->params[k];
    if(sp->in == SPEC_IN_QUERY && sp->name && !strcmp(sp->name, n) && sp->format &&
       (!strcasecmp(sp->format, "uri") || !strcasecmp(sp->format, "url") ||
        !strcasecmp(sp->format, "uri-reference") || !strcasecmp(sp->format, "iri")))
      return 1;
  }
  return sf_url_name(n);
}

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

/* One probe: value in parameter i of op, the others 1. */
static void sf_queue(struct scan *s, struct sf_state *ss, const struct spec_op *op, size_t i,
                     const char *value, int form, int kind)
{
  struct sf_sent *e = &ss->v[ss->n];
  e->kind = kind;
  char *enc = str_pct_encode(value, strlen(value), "-_.");
  char *q = xasprintf("%s?%s=%s", op->path, op->query[i], enc);
  for(size_t k = 0; k < op->nquery; k++)
    if(k != i) {
      char *q2 = xasprintf("%s&%s=1", q, op->query[k]);
      free(q);
      q = q2;
    }
  snprintf(e->param, sizeof(e->param), "%s", op->query[i]);
  snprintf(e->url, sizeof(e->url), "%s", q);
  snprintf(e->sent, sizeof(e->sent), "%s", value);
  e->form = form;
  e->group = ss->groups;
  if(kind != SF_CANARY || scan_canary_marker(s, e->token, e->marker, sizeof(e->marker)))
    e->marker[0] = '\0';
  if(strlen(q) < sizeof(e->url) &&
     scan_queue(s, "GET", q, PROBE_FOLLOWUP, &check_ssrf, ss->n))
    ss->n++;
  free(q);
  free(enc);
}

/* --active: a canary URL in each URL parameter of op, the others 1; on
 * a loopback listener, the same URL with the host spelled three more
 * ways. */
static void sf_send_canary(struct scan *s, struct sf_state *ss, const struct spec_op *op,
                           size_t i);

/* The target's own spec URL with the host 127.0.0.1 (its scheme, port
 * and path), when the spec was read from the target; else 0. */
static int sf_loop_url(struct scan *s, char *out, size_t outlen)
{
  struct url_parts u;
  char err[128];
  if(!s->spec_url || !s->spec.title || strlen(s->spec.title) < SF_TITLE_MIN ||
     url_parse(s->spec_url, &u, err, sizeof(err)))
    return 0;
  int same = s->target.host && !strcmp(u.host, s->target.host) && u.port == s->target.port &&
             !strcmp(u.scheme, s->target.scheme);
  int n = snprintf(out, outlen, "%s://127.0.0.1:%d%s%s%s", u.scheme, u.port, u.path,
                   u.query ? "?" : "", u.query ? u.query : "");
  url_parts_cleanup(&u);
  return same && n > 0 && (size_t)n < outlen;
}

static void sf_send(struct scan *s, struct sf_state *ss, const struct spec_op *op)
{
  size_t per = ARRAY_LEN(sf_forms) + ARRAY_LEN(sf_meta_forms) + 1;
  for(size_t i = 0; i < op->nquery; i++) {
    if(ss->n + (int)per > SF_MAX)
      return;
    if(!sf_url_param(op, op->query[i]) || strchr(op->path, '{'))
      continue;
    /* The metadata service and the target's own loopback: no listener
     * needed, what comes back decides. */
    for(size_t f = 0; f < ARRAY_LEN(sf_meta_forms); f++) {
      memset(&ss->v[ss->n], 0, sizeof(ss->v[ss->n]));
      sf_queue(s, ss, op, i, sf_meta_forms[f].url, (int)f, SF_META);
    }
    char loop[384];
    if(sf_loop_url(s, loop, sizeof(loop))) {
      memset(&ss->v[ss->n], 0, sizeof(ss->v[ss->n]));
      sf_queue(s, ss, op, i, loop, 0, SF_LOOP);
    } else if(!ss->loop_note) {
      ss->loop_note = 1;
      report_note(&s->rep, "ssrf: the target's own loopback address was not tried: the spec was "
                  "not read from the target (or has no title of %d characters or more), so "
                  "nothing would recognise its answer", SF_TITLE_MIN);
    }
    sf_send_canary(s, ss, op, i);
    ss->groups++;
  }
}

/* The next entry of ss (the caller made room), zeroed, with a fresh
 * token; url gets the listener's URL for it. NULL when the listener
 * cannot name one. */
static struct sf_sent *sf_fresh(struct scan *s, struct sf_state *ss, char *url, size_t n)
{
  struct sf_sent *e = &ss->v[ss->n];
  memset(e, 0, sizeof(*e));
  char hex[17];
  str_random_hex(hex, 16);
  snprintf(e->token, sizeof(e->token), "%s", hex);
  return scan_canary_url(s, e->token, url, n) ? NULL : e;
}

/* The canary URL in parameter i of op, and on a loopback listener the
 * same URL with the host spelled three more ways. */
static void sf_send_canary(struct scan *s, struct sf_state *ss, const struct spec_op *op, size_t i)
{
  {
    char canary[256];
    int port = 0;
    for(size_t f = 0; f < ARRAY_LEN(sf_forms); f++) {
      char url[256];
      struct sf_sent *e = sf_fresh(s, ss, url, sizeof(url));
      if(!e)
        return;
      if(f == 0) {
        snprintf(canary, sizeof(canary), "%s", url);
        char rest[8];
        /* The spellings only name the listener when it is on 127.0.0.1. */
        if(sscanf(canary, "http://127.0.0.1:%d%7s", &port, rest) != 2 || port <= 0)
          port = 0;
        sf_queue(s, ss, op, i, url, 0, SF_CANARY);
        continue;
      }
      if(!port)
        break;
      char hostport[64];
      snprintf(hostport, sizeof(hostport), sf_forms[f].fmt, port);
      snprintf(url, sizeof(url), "http://%s/wd-%s", hostport, e->token);
      sf_queue(s, ss, op, i, url, (int)f, SF_CANARY);
    }
  }
}

/* A finding about the target (not one probe): the route that took the
 * parameter, merged per parameter under "what param". */
static void sf_flag(struct scan *s, const struct wd_rule *r, const char *method, const char *path,
                    const char *param, const char *what, const char *ev)
{
  char *url = xasprintf("%s%s", s->origin, path);
  char key[100];
  snprintf(key, sizeof(key), "%s %s", what, param);
  scan_flag_at(s, r, -1, NULL, method, url, ev, key);
  free(url);
}

/* Where an entry's URL went: "?param=" or "POST /path with the body
 * property \"param\"". */
static void sf_where(char *out, size_t n, const struct sf_sent *e)
{
  if(e->body)
    snprintf(out, n, "%.7s %.200s with the JSON body property \"%.60s\"", e->method, e->url,
             e->param);
  else
    snprintf(out, n, "?%.60s=", e->param);
}

/* Group g's metadata and loopback forms, against control (the canary
 * URL's answer, or NULL). */
static void sf_judge_meta(struct scan *s, struct sf_state *ss, int g, const struct sf_sent *control)
{
  char back[120] = "", refused[200] = "", words[300] = "";
  const struct sf_sent *first = NULL, *loop = NULL;
  unsigned all = 0;
  for(int i = 0; i < ss->n; i++) {
    const struct sf_sent *e = &ss->v[i];
    if(e->group != g || !e->answered)
      continue;
    if(e->kind == SF_LOOP) {
      scan_ran(s, &sf_rules[R_LOOPBACK]);
      if(e->title && !(control && control->title))
        loop = e;
      continue;
    }
    if(e->kind != SF_META)
      continue;
    scan_ran(s, &sf_rules[R_METADATA]);
    unsigned m = e->meta & ~(control ? control->meta : 0u);
    if(__builtin_popcount(m) >= SF_META_MIN) {
      snprintf(back + strlen(back), sizeof(back) - strlen(back), "%s%s", back[0] ? ", " : "",
               sf_meta_forms[e->form].brief);
      all |= m;
      if(!first)
        first = e;
    } else {
      snprintf(refused + strlen(refused), sizeof(refused) - strlen(refused), "%s%s %ld",
               refused[0] ? ", " : "", sf_meta_forms[e->form].brief, e->status);
    }
  }
  if(first) {
    for(int w = 0; sf_meta_words[w]; w++)
      if(all & (1u << w))
        snprintf(words + strlen(words), sizeof(words) - strlen(words), "%s%s",
                 words[0] ? ", " : "", sf_meta_words[w]);
    char ev[900], where[300];
    sf_where(where, sizeof(where), first);
    snprintf(ev, sizeof(ev), "%s given the instance metadata URL .../latest/meta-data/ with "
             "169.254.169.254 written %s: the answer holds instance metadata (%s)%s%s%s%s",
             where, back, words, control ? ", which the answer to the canary URL does not" : "",
             refused[0] ? "; not returned for " : "", refused, refused[0] ? " (form, status)" : "");
    sf_flag(s, &sf_rules[R_METADATA], first->body ? first->method : "GET", first->url,
            first->param, first->body ? "metadata body" : "metadata", ev);
  }
  if(loop) {
    char ev[900], where[300];
    sf_where(where, sizeof(where), loop);
    snprintf(ev, sizeof(ev), "%s given %s (the target's own port and spec path over loopback): "
             "the answer (%ld) holds the spec's title \"%.80s\"%s", where, loop->sent,
             loop->status, s->spec.title, control ? ", which the answer to the canary URL does not" : "");
    sf_flag(s, &sf_rules[R_LOOPBACK], loop->body ? loop->method : "GET", loop->url, loop->param,
            loop->body ? "loopback body" : "loopback", ev);
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
      missing += ss->v[i].kind == SF_CANARY && ss->v[i].answered &&
                 !scan_canary_hit(s, ss->v[i].token, NULL, 0, NULL, 0);
    if(!missing)
      break;
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
  for(int g = 0; g < ss->groups; g++) {
    struct sf_sent *plain = NULL, *hit = NULL, *ret = NULL;
    int spelled_answered = 0, plain_hit = 0;
    char forms[200] = "";
    char ua[160] = "", peer[64] = "";
    for(int i = 0; i < ss->n; i++) {
      struct sf_sent *e = &ss->v[i];
      if(e->group != g || !e->answered || e->kind != SF_CANARY)
        continue;
      int h = scan_canary_hit(s, e->token, hit ? NULL : ua, sizeof(ua), hit ? NULL : peer, sizeof(peer));
      if(e->form == 0) {
        plain = e;
        plain_hit = h;
      } else {
        spelled_answered = 1;
        if(h)
          snprintf(forms + strlen(forms), sizeof(forms) - strlen(forms), "%s%s",
                   forms[0] ? ", " : "", sf_forms[e->form].brief);
      }
      if(h && !hit)
        hit = e;
      if(e->returned && !ret)
        ret = e;
    }
    sf_judge_meta(s, ss, g, plain);
    if(!plain && !spelled_answered)
      continue;
    scan_ran(s, &sf_rules[R_CALLBACK]);
    scan_ran(s, &sf_rules[R_RETURNED]);
    if(plain && spelled_answered)
      scan_ran(s, &sf_rules[R_BYPASS]);
    if(hit) {
      char ev[1024];
      if(hit->body)
        snprintf(ev, sizeof(ev), "%.7s %.200s with \"%.60s\" set to the canary URL %.120s in its "
                 "JSON body: the target requested it (from %.60s, User-Agent: %.150s)", hit->method,
                 hit->url, hit->param, hit->sent, peer, ua[0] ? ua : "none");
      else if(hit->form == 0)
        snprintf(ev, sizeof(ev), "?%s= given the canary URL .../wd-%s: the target requested it "
                 "(from %s, User-Agent: %s)", hit->param, hit->token, peer, ua[0] ? ua : "none");
      else
        snprintf(ev, sizeof(ev), "?%s= given the canary URL with %s (%s): the target requested it "
                 "(from %s, User-Agent: %s)", hit->param, sf_forms[hit->form].what, hit->sent,
                 peer, ua[0] ? ua : "none");
      sf_flag(s, &sf_rules[R_CALLBACK], hit->body ? hit->method : "GET", hit->url, hit->param,
              "callback", ev);
    }
    if(plain && !plain_hit && forms[0]) {
      char ev[600];
      snprintf(ev, sizeof(ev), "?%s= given %s: answered %ld and never requested (refused); the "
               "same canary URL with 127.0.0.1 spelled %s was requested", plain->param, plain->sent, plain->status,
               forms);
      sf_flag(s, &sf_rules[R_BYPASS], "GET", hit->url, plain->param, "bypass", ev);
    }
    if(ret) {
      char ev[600];
      snprintf(ev, sizeof(ev), "%s%s%s given %s (%s): the listener's answer \"%s\" (never sent by "
               "warden) came back in the target's answer (%ld)", ret->body ? "the body property \"" : "?",
               ret->param, ret->body ? "\"" : "=", ret->sent,
               sf_forms[ret->form].what, ret->marker, ret->status);
      sf_flag(s, &sf_rules[R_RETURNED], ret->body ? ret->method : "GET", ret->url, ret->param,
              "returned", ev);
    }
  }
}

/* One write of op's example body with property prop set to value,
 * recorded in entry e (which the caller filled: kind, form, token,
 * marker). 1 when queued. */
static int sf_body_queue(struct scan *s, struct sf_state *ss, const struct spec_op *op,
                         struct sf_sent *e, const char *prop, const char *value)
{
  /* The spec's own example (text the spec built, not an answer). */
  json_t *doc = json_loads(op->body_example, 0, NULL);
  if(!json_is_object(doc)) {
    json_decref(doc);
    return 0;
  }
  json_object_set_new(doc, prop, json_string(value));
  char *body = json_dumps(doc, JSON_COMPACT);
  json_decref(doc);
  if(!body)
    return 0;
  snprintf(e->param, sizeof(e->param), "%s", prop);
  snprintf(e->url, sizeof(e->url), "%s", op->path);
  snprintf(e->sent, sizeof(e->sent), "%.120s", value);
  e->body = 1;
  snprintf(e->method, sizeof(e->method), "%s", op->method);
  e->group = ss->groups;
  int ok = scan_queue_body(s, op->method, op->path, "application/json", body, strlen(body),
                           PROBE_FOLLOWUP, &check_ssrf, ss->n, ID_MAIN, NULL, NULL) != NULL;
  if(ok)
    ss->n++;
  free(body);
  return ok;
}

/* --active: a JSON request body with a URL-taking top-level property
 * (spec format uri/url/..., or by name): the operation's own example
 * body with that property set to a canary URL, sent once as the main
 * identity (a write, within --max-writes). At most SF_BODY_MAX per scan,
 * one per operation. The first SF_BODY_META of them (in the spec's
 * order, plan_late) also get the metadata URL in the forms marked body
 * and the target's own loopback URL, each a write, judged with the query
 * forms (sf_judge_meta, the body's canary answer the control). */
static void sf_send_body(struct scan *s, struct sf_state *ss, const struct spec_op *op)
{
  size_t opi = (size_t)(op - s->spec.ops);
  if(!op->body_example || !op->body_ctype || !strcasestr(op->body_ctype, "json") ||
     !http_method_has_body(op->method) || strchr(op->path, '{') || opi >= s->spec.n)
    return;
  for(int i = 0; i < ss->nbody; i++)
    if(ss->body_ops[i] == opi)
      return;
  for(size_t k = 0; k < op->nbody_props; k++) {
    const struct spec_param *bp = &op->body_props[k];
    int urlish = bp->name && ((bp->format && (!strcasecmp(bp->format, "uri") ||
                                             !strcasecmp(bp->format, "url") ||
                                             !strcasecmp(bp->format, "uri-reference") ||
                                             !strcasecmp(bp->format, "iri"))) ||
                              sf_url_name(bp->name));
    if(!urlish || (bp->type && strcmp(bp->type, "string")))
      continue;
    size_t per = 1 + ARRAY_LEN(sf_meta_forms) + 1;
    if(ss->nbody >= SF_BODY_MAX || ss->n + (int)per > SF_MAX || !scan_writes_left(s))
      return;
    char url[256];
    struct sf_sent *e = sf_fresh(s, ss, url, sizeof(url));
    if(!e)
      return;
    e->kind = SF_CANARY;
    if(scan_canary_marker(s, e->token, e->marker, sizeof(e->marker)))
      e->marker[0] = '\0';
    if(!sf_body_queue(s, ss, op, e, bp->name, url))
      return;
    ss->body_ops[ss->nbody++] = opi;
    if(ss->nbody <= SF_BODY_META) {
      for(size_t f = 0; f < ARRAY_LEN(sf_meta_forms); f++) {
        if(!sf_meta_forms[f].body || !scan_writes_left(s))
          continue;
        e = &ss->v[ss->n];
        memset(e, 0, sizeof(*e));
        e->kind = SF_META;
        e->form = (int)f;
        sf_body_queue(s, ss, op, e, bp->name, sf_meta_forms[f].url);
      }
      char loop[384];
      if(sf_loop_url(s, loop, sizeof(loop)) && scan_writes_left(s)) {
        e = &ss->v[ss->n];
        memset(e, 0, sizeof(*e));
        e->kind = SF_LOOP;
        sf_body_queue(s, ss, op, e, bp->name, loop);
      }
    }
    ss->groups++;
    return;
  }
}

/* Keeps op for plan_late: the SF_MAX smallest spec indices, sorted. */
static void sf_pend(const struct scan *s, struct sf_state *ss, const struct spec_op *op)
{
  size_t opi = (size_t)(op - s->spec.ops);
  if(opi >= s->spec.n)
    return;
  int pos = 0;
  for(; pos < ss->npend && ss->pend[pos] <= opi; pos++)
    if(ss->pend[pos] == opi)
      return;
  if(pos >= SF_MAX)
    return;
  if(ss->npend == SF_MAX)
    ss->npend--;
  memmove(&ss->pend[pos + 1], &ss->pend[pos], (size_t)(ss->npend - pos) * sizeof(ss->pend[0]));
  ss->pend[pos] = opi;
  ss->npend++;
}

/* --active: the canaries, operation by operation in the spec's order
 * (the body first, then the query parameters, as each operation's). */
static void sf_plan_late(struct scan *s, void *st)
{
  struct sf_state *ss = st;
  for(int i = 0; i < ss->npend; i++) {
    const struct spec_op *op = &s->spec.ops[ss->pend[i]];
    if(op->nbody_props)
      sf_send_body(s, ss, op);
    if(op->nquery)
      sf_send(s, ss, op);
  }
}

static void sf_judge(struct scan *s, void *st, struct probe *p)
{
  struct sf_state *ss = st;
  if(p->origin == &check_ssrf) {
    if(p->tag >= 0 && p->tag < ss->n && http_answered(&p->x)) {
      struct sf_sent *e = &ss->v[p->tag];
      e->answered = 1;
      e->status = p->x.status;
      /* The marker, the metadata words and the title are read here,
       * while the body lives. */
      const char *b = buf_str(&p->x.body);
      size_t bl = p->x.body.len;
      if(e->marker[0] && str_find(b, bl, e->marker))
        e->returned = 1;
      if(e->kind == SF_META || (e->kind == SF_CANARY && e->form == 0))
        for(int w = 0; sf_meta_words[w]; w++)
          if(str_find(b, bl, sf_meta_words[w]))
            e->meta |= 1u << w;
      if((e->kind == SF_LOOP || (e->kind == SF_CANARY && e->form == 0)) && s->spec.title &&
         str_find(b, bl, s->spec.title))
        e->title = 1;
    }
    return;
  }
  if(!p->op || p->origin || !(p->flags & PROBE_SPEC) || (p->flags & PROBE_ERROR) ||
     !http_answered(&p->x))
    return;
  if(scan_active(s) && p->ident == ID_MAIN && (p->op->nbody_props || p->op->nquery))
    sf_pend(s, ss, p->op);
  if(p->op->nquery == 0)
    return;
  /* Unauthenticated: asked without a credential and not refused. */
  int anonymous = p->ident == ID_NONE || (p->ident == ID_MAIN && !scan_has_cred(s));
  if(!anonymous || p->x.status == 401 || p->x.status == 403 || p->x.status == 404)
    return;
  scan_ran(s, &sf_rules[R_PARAM]);
  for(size_t i = 0; i < p->op->nquery; i++) {
    if(!sf_url_param(p->op, p->op->query[i]))
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
  .summary = "API7: URL-taking parameters (the SSRF surface); with --active canary callbacks, loopback spellings, content returned, cloud metadata in five spellings, the target's own loopback",
  .rules = sf_rules,
  .nrules = ARRAY_LEN(sf_rules),
  .state_size = sizeof(struct sf_state),
  .judge = sf_judge,
  .plan_late = sf_plan_late,
  .finish = sf_finish,
};
