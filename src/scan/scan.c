#include "scan.h"
#include "scan_check.h"
#include "scan_canary.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h> /* struct curl_slist (the library is loaded: net_curl_load.h) */
#include <jansson.h>

#include "../core/core_alloc.h"
#include "../core/core_time.h"
#include "../core/core_str.h"
#include "../correlate/corr.h"
#include "../net/net_tls.h"
#include "scan_rx.h"

#define SCAN_MAX_REDIRECTS 5
#define EXCERPT_BEFORE 40
#define EXCERPT_MAX 200

static void scan_on_done(struct http_exchange *x, void *ctx);
static void scan_found_spec(struct scan *s, struct probe *p);
static void scan_choose_spec(struct scan *s);

/* Request key: method, URL and what else changes what is sent (the
 * identity, a custom header, the credential generation of a retry, the
 * body's type and bytes), hashed part by part with a separator after
 * each, never formatted into one string. */
static unsigned long long probe_key(const char *method, const char *url, int ident,
                                    const char *header, long gen, const char *ctype,
                                    const char *body, size_t blen)
{
  unsigned long long h = STR_HASH_INIT;
  h = str_hash_more(h, method, strlen(method) + 1);
  h = str_hash_more(h, url, strlen(url) + 1);
  unsigned char n[2 * sizeof(long long)];
  long long nums[2] = {ident, gen};
  memcpy(n, nums, sizeof(n));
  h = str_hash_more(h, (const char *)n, sizeof(n));
  if(header)
    h = str_hash_more(h, header, strlen(header));
  h = str_hash_more(h, "", 1);
  if(ctype)
    h = str_hash_more(h, ctype, strlen(ctype));
  h = str_hash_more(h, "", 1);
  if(body)
    h = str_hash_more(h, body, blen);
  return h;
}

/* The request dedupe: a hash set of 64-bit request keys (open
 * addressing, linear probing, a power-of-two table at most half full; 0
 * marks a free slot, so the key 0 is kept apart). Returns 1 if key was
 * already there, else adds it. */
static int scan_seen(struct scan *s, unsigned long long key)
{
  if(key == 0) {
    int had = s->seen_zero;
    s->seen_zero = 1;
    return had;
  }
  if((s->nseen + 1) * 2 > s->capseen) {
    size_t oldcap = s->capseen;
    unsigned long long *old = s->seen;
    s->capseen = oldcap ? oldcap * 2 : 1024;
    s->seen = xcalloc(s->capseen, sizeof(*s->seen));
    for(size_t i = 0; i < oldcap; i++) {
      if(!old[i])
        continue;
      size_t j = (size_t)(old[i] * 0x9e3779b97f4a7c15ULL >> 20) & (s->capseen - 1);
      while(s->seen[j])
        j = (j + 1) & (s->capseen - 1);
      s->seen[j] = old[i];
    }
    free(old);
  }
  size_t mask = s->capseen - 1;
  size_t j = (size_t)(key * 0x9e3779b97f4a7c15ULL >> 20) & mask;
  for(; s->seen[j]; j = (j + 1) & mask)
    if(s->seen[j] == key)
      return 1;
  s->seen[j] = key;
  s->nseen++;
  return 0;
}

static int method_reads(const char *m)
{
  return !strcmp(m, "GET") || !strcmp(m, "HEAD") || !strcmp(m, "OPTIONS");
}

/* The method policy (scan.h): reads always; a write only with --active,
 * within the budget, and DELETE only with --allow-delete too. A write
 * refused for the budget is counted (the report says so). */
static int method_allowed(struct scan *s, const char *m)
{
  if(method_reads(m))
    return 1;
  if(!s->opts->active || (!strcmp(m, "DELETE") && !s->opts->allow_delete))
    return 0;
  if(s->writes >= s->opts->max_writes) {
    s->writes_over++;
    return 0;
  }
  return 1;
}

int scan_active(const struct scan *s)
{
  return s->opts->active != 0;
}

int scan_out_of_budget(const struct scan *s)
{
  return http_engine_out_of_budget(s->eng);
}

int scan_writes_left(const struct scan *s)
{
  if(!s->opts->active || s->writes >= s->opts->max_writes)
    return 0;
  return s->opts->max_writes - s->writes;
}

int scan_has_cred(const struct scan *s)
{
  return s->opts->cred.kind != CRED_NONE;
}

/* The header line that carries a credential, or NULL (API key in the
 * query, or none). wrong: the same credential with a value that cannot be
 * valid, to tell "checks the value" from "checks that one is present". */
static char *cred_header(const struct cred *c, int wrong)
{
  const char *v = wrong ? "warden-invalid-credential-0000" : c->value;
  switch(c->kind) {
  case CRED_BEARER:
    return xasprintf("Authorization: Bearer %s", v);
  case CRED_APIKEY:
    return c->in_query ? NULL : xasprintf("%s: %s", c->name, v);
  case CRED_BASIC: {
    const char *up = wrong ? "warden:invalid-password-0000" : c->value;
    return xasprintf("Authorization: Basic %s", up); /* encoded by the CLI */
  }
  case CRED_COOKIE:
    return xasprintf("Cookie: %s", wrong ? "session=warden-invalid-0000" : v);
  default:
    return NULL;
  }
}

/* The query parameter that carries an API key, or NULL. */
static char *cred_query(const struct cred *c, enum probe_ident id)
{
  if(c->kind != CRED_APIKEY)
    return NULL;
  if(id == ID_QUERYKEY || (c->in_query && (id == ID_MAIN || id == ID_AS2)))
    return xasprintf("%s=%s", c->name, c->value);
  if(c->in_query && id == ID_WRONG)
    return xasprintf("%s=warden-invalid-credential-0000", c->name);
  return NULL;
}

static size_t scan_max_requests(const struct scan *s)
{
  return s->opts->max_requests ? s->opts->max_requests : SCAN_MAX_REQUESTS;
}

static void probe_free(struct probe *p)
{
  http_list_free(p->hdrs);
  http_exchange_cleanup(&p->x);
  free(p->x.url);
  free(p->path);
  free(p->base);
  free(p->masked);
  mask_map_free(&p->masked_map);
  json_decref(p->json);
  free(p->req_body);
  free(p->req_ctype);
  free(p);
}

/* A path libcurl's URL parser keeps as it is: '/' then letters, digits,
 * "-._~/", no dot segment, no "//" at the start (a host), no escapes,
 * query or fragment. */
/* url_resolve(target_url, path), without libcurl for a plain path (its
 * URL API costs about 24k instructions per call): the target's
 * resolved origin and the path. *fast says which; the caller checks a
 * fast result against url_parse (which reads the URL as libcurl will)
 * and resolves again through libcurl if the path came out different. */
static char *scan_resolve(struct scan *s, const char *path, int *fast)
{
  *fast = 0;
  if(url_plain_path(path)) {
    if(!s->resolve_prefix) {
      char *root = url_resolve(s->target_url, "/");
      size_t n = root ? strlen(root) : 0;
      char err[128];
      s->resolve_parsed = root && url_parse(root, &s->resolve_parts, err, sizeof(err)) == 0;
      if(s->resolve_parsed &&
         (strcmp(s->resolve_parts.path, "/") || s->resolve_parts.query)) {
        url_parts_cleanup(&s->resolve_parts);
        s->resolve_parsed = 0;
      }
      if(n && root[n - 1] == '/')
        root[n - 1] = '\0';
      s->resolve_prefix = root ? root : xstrdup("");
    }
    if(s->resolve_prefix[0]) {
      *fast = 1;
      return xasprintf("%s%s", s->resolve_prefix, path);
    }
  }
  return url_resolve(s->target_url, path);
}

static struct probe *scan_queue_req2(struct scan *s, const char *method, const char *path,
                                     const char *ctype, const char *body, size_t blen,
                                     unsigned flags, const struct wd_check *origin, int tag,
                                     enum probe_ident ident, const char *header,
                                     struct probe *of, int allow_fast)
{
  int has_body = http_method_has_body(method);
  if(!has_body) {
    body = NULL; /* only POST, PUT and PATCH carry one */
    ctype = NULL;
  }
  if(!body)
    blen = 0;
  if(s->nprobes >= scan_max_requests(s)) {
    s->dropped++; /* said in the report: no silent cap */
    return NULL;
  }
  int fast = 0;
  char *url = allow_fast ? scan_resolve(s, path, &fast) : url_resolve(s->target_url, path);
  if(!url)
    return NULL;
  const struct cred *c = ident == ID_AS2 ? &s->opts->as2 : &s->opts->cred;
  char *base = xstrdup(url);
  char *q = ident == ID_NONE || ident == ID_CUSTOM ? NULL : cred_query(c, ident);
  int added = q != NULL; /* a query went on the URL */
  if(q) {
    char *u2 = xasprintf("%s%c%s", url, strchr(url, '?') ? '&' : '?', q);
    free(url);
    free(q);
    url = u2;
  }
  /* The scope lock: nothing outside it is ever requested. The request
   * key names the identity so variants are not taken for repeats. */
  unsigned long long k = probe_key(method, url, (int)ident, header,
                                   (flags & PROBE_RETRY) ? s->cred_gen : 0, ctype, body, blen);
  /* The method policy last, so that a repeat or an out-of-scope write
   * spends none of the budget. A burst repeats one request on purpose:
   * it skips the repeat filter (the scope lock still applies). The URL
   * is read once, for the scope and for the probe's path; a plain path
   * joined to the target's origin (and nothing added) is not read
   * again: it reads back as the origin's parts and that path. */
  struct url_parts u;
  int parsed, borrowed = fast && !added && s->resolve_parsed;
  if(borrowed) {
    u = s->resolve_parts;
    u.path = (char *)path;
    u.query = NULL;
    parsed = 1;
  } else {
    char err[128];
    parsed = url_parse(url, &u, err, sizeof(err)) == 0;
  }
  if(fast && !borrowed && (!parsed || strcmp(u.path, path))) {
    /* A joined URL reads back as libcurl reads it, or libcurl resolves
     * the path itself (nothing was recorded yet). */
    if(parsed)
      url_parts_cleanup(&u);
    free(url);
    free(base);
    return scan_queue_req2(s, method, path, ctype, body, blen, flags, origin, tag, ident,
                           header, of, 0);
  }
  if(!parsed || !scope_allows_parts(&s->scope, &u) ||
     (!(flags & PROBE_BURST) && scan_seen(s, k)) || !method_allowed(s, method)) {
    if(parsed && !borrowed)
      url_parts_cleanup(&u);
    free(url);
    free(base);
    return NULL;
  }
  struct probe *p = xcalloc(1, sizeof(*p));
  http_exchange_init(&p->x, method, url);
  p->ident = ident;
  p->cred_gen = s->cred_gen;
  p->base = base;
  p->path = u.query ? xasprintf("%s?%s", u.path, u.query) : xstrdup(u.path);
  if(!borrowed)
    url_parts_cleanup(&u);
  p->flags = flags;
  p->origin = origin;
  p->tag = tag;
  /* Headers: the user's -H list, then this identity's credential. */
  char *line = NULL;
  if(ident == ID_CUSTOM)
    line = header ? xstrdup(header) : NULL;
  else if(ident == ID_MAIN || ident == ID_WRONG || ident == ID_AS2)
    line = cred_header(c, ident == ID_WRONG);
  /* Without a line of its own the probe sends the engine's list, which
   * is the -H list: credentials given with -H are plain headers. */
  if(line || has_body) {
    for(const struct curl_slist *h = s->opts->http.headers; h; h = h->next)
      p->hdrs = http_list_add(p->hdrs, h->data);
    if(line)
      p->hdrs = http_list_add(p->hdrs, line);
    if(has_body) {
      /* No "Expect: 100-continue" round trip: the body goes at once. */
      p->hdrs = http_list_add(p->hdrs, "Expect:");
      if(ctype && !strpbrk(ctype, "\r\n")) {
        char *ct = xasprintf("Content-Type: %s", ctype);
        p->hdrs = http_list_add(p->hdrs, ct);
        free(ct);
      }
    }
    p->x.headers = p->hdrs;
  }
  free(line);
  if(has_body) {
    p->req_body = xmalloc(blen + 1);
    if(blen)
      memcpy(p->req_body, body, blen);
    p->req_body[blen] = '\0';
    p->req_body_len = blen;
    p->req_ctype = ctype ? xstrdup(ctype) : NULL;
    p->x.req_body = p->req_body;
    p->x.req_body_len = blen;
  }
  if(http_engine_submit(s->eng, &p->x, scan_on_done, s)) {
    probe_free(p);
    return NULL;
  }
  s->probes = xgrow(s->probes, &s->capprobes, s->nprobes + 1, sizeof(*s->probes));
  s->probes[s->nprobes++] = p;
  if(!method_reads(method)) {
    /* Spent and listed once queued: it may reach the target even if the
     * budget of time cancels it in flight. */
    s->writes++;
    p->write_slot = report_write(&s->rep, method, p->x.url) + 1;
  }
  if(of) {
    of->var[ident] = p;
    p->parent = of;
  }
  return p;
}

static struct probe *scan_queue_req(struct scan *s, const char *method, const char *path,
                                    const char *ctype, const char *body, size_t blen,
                                    unsigned flags, const struct wd_check *origin, int tag,
                                    enum probe_ident ident, const char *header,
                                    struct probe *of)
{
  return scan_queue_req2(s, method, path, ctype, body, blen, flags, origin, tag, ident, header,
                         of, 1);
}

struct probe *scan_queue_as(struct scan *s, const char *method, const char *path,
                            unsigned flags, const struct wd_check *origin, int tag,
                            enum probe_ident ident, const char *header,
                            struct probe *of)
{
  return scan_queue_req(s, method, path, NULL, NULL, 0, flags, origin, tag, ident, header, of);
}

struct probe *scan_queue_body(struct scan *s, const char *method, const char *path,
                              const char *ctype, const char *body, size_t blen,
                              unsigned flags, const struct wd_check *origin, int tag,
                              enum probe_ident ident, const char *header,
                              struct probe *of)
{
  return scan_queue_req(s, method, path, ctype, body, blen, flags, origin, tag, ident,
                        header, of);
}

struct probe *scan_queue(struct scan *s, const char *method, const char *path,
                         unsigned flags, const struct wd_check *origin, int tag)
{
  return scan_queue_as(s, method, path, flags, origin, tag, ID_MAIN, NULL, NULL);
}

/* ---- baseline and soft 404 ------------------------------------------ */

/* The probe's digest, computed once (a probe judged by a harness that
 * did not go through scan_on_done gets it here). */
static void probe_digest(struct probe *p)
{
  if(p->sum.done)
    return;
  if(p->x.body.len <= SCAN_JSON_ERROR_MAX_BODY)
    probe_body_json(p); /* the digest's "small JSON error" reads it */
  scan_body_digest(p, &p->sum);
}

size_t scan_body_len(const struct probe *p)
{
  return p->sum.done ? p->sum.len : p->x.body.len;
}

const json_t *probe_body_json(struct probe *p)
{
  if(p->json_done)
    return p->json;
  p->json_done = 1;
  const char *b = buf_str(&p->x.body);
  size_t n = p->x.body.len;
  if(p->body_released || n == 0 || n > SCAN_JSON_CAP)
    return NULL;
  /* Without JSON_DECODE_ANY jansson takes only an object or an array
   * after JSON's white space: anything else is not even tried. */
  size_t i = 0;
  while(i < n && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r'))
    i++;
  if(i == n || (b[i] != '{' && b[i] != '['))
    return NULL;
  p->json = json_loadb(b, n, 0, NULL);
  return p->json;
}

const json_t *scan_body_json(struct scan *s, struct probe *p)
{
  (void)s;
  return probe_body_json(p);
}

/* After the last judge of p: its body and the masked copy of it go; the
 * status, the headers (at most SCAN_KEEP_HEAD bytes, whole lines) and
 * the digest stay. */
#define SCAN_KEEP_HEAD 16384
void scan_release_body(struct probe *p)
{
  if(p->body_released)
    return;
  probe_digest(p);
  buf_cleanup(&p->x.body);
  json_decref(p->json);
  p->json = NULL;
  p->json_done = 1;
  free(p->masked);
  p->masked = NULL;
  p->masked_len = 0;
  mask_map_free(&p->masked_map);
  if(p->x.head.len > SCAN_KEEP_HEAD) {
    size_t n = SCAN_KEEP_HEAD;
    while(n > 0 && p->x.head.data[n - 1] != '\n')
      n--;
    p->x.head.len = n;
    p->x.head.data[n] = '\0';
    p->x.head.data = xrealloc(p->x.head.data, n + 1);
    p->x.head.cap = n + 1;
  }
  p->body_released = 1;
}

void scan_baseline_record(struct scan *s, struct probe *p, int slot)
{
  struct baseline *b = &s->base[slot];
  if(!http_answered(&p->x))
    return;
  b->valid = 1;
  b->status = p->x.status;
  probe_digest(p);
  b->hash = p->sum.shape;
  b->len = p->sum.shape_len;
  if(!http_header(&p->x, "Content-Type", 0, b->ctype, sizeof(b->ctype)))
    b->ctype[0] = '\0';
}

int scan_like_baseline(const struct scan *s, const struct probe *p)
{
  struct body_sum tmp;
  const struct body_sum *ps = &p->sum;
  if(!ps->done) {
    scan_body_digest(p, &tmp);
    ps = &tmp;
  }
  size_t len = ps->shape_len;
  unsigned long long h = ps->shape;
  for(int i = 0; i < 2; i++) {
    const struct baseline *b = &s->base[i];
    if(!b->valid || b->status != p->x.status)
      continue;
    if(b->hash == h)
      return 1;
    /* Same status, same type, nearly the same size: a templated page
     * (a catch-all SPA index, a "not found" page with a timestamp). */
    char ct[64];
    if(!http_header(&p->x, "Content-Type", 0, ct, sizeof(ct)))
      ct[0] = '\0';
    size_t lo = b->len < len ? b->len : len, hi = b->len < len ? len : b->len;
    if(strcmp(ct, b->ctype) == 0 && hi - lo <= hi / 20 + 8)
      return 1;
  }
  return 0;
}

int scan_is_hit(const struct scan *s, const struct probe *p)
{
  if(!http_answered(&p->x) || p->x.status < 200 || p->x.status > 299)
    return 0;
  return !scan_like_baseline(s, p);
}

/* ---- findings -------------------------------------------------------- */

void scan_add_secret(struct scan *s, const char *value)
{
  mask_add(&s->mask, value);
}

void scan_add_cred(struct scan *s, const struct cred *c)
{
  switch(c->kind) {
  case CRED_BASIC:
    mask_add_basic(&s->mask, c->value);
    break;
  case CRED_COOKIE:
    mask_add_cookie(&s->mask, c->value);
    break;
  case CRED_BEARER:
  case CRED_APIKEY:
    mask_add(&s->mask, c->value);
    break;
  case CRED_NONE:
    break;
  }
}

char *scan_mask(const struct scan *s, const char *text)
{
  return mask_str(s ? &s->mask : NULL, text);
}

/* findings_add, and scan_opts.on_finding when the finding is new. */
static void scan_add_finding(struct scan *s, const struct wd_finding_spec *fs)
{
  size_t before = s->findings.n;
  struct wd_finding *f = findings_add(&s->findings, fs);
  if(s->opts && s->opts->on_finding && f && s->findings.n > before)
    s->opts->on_finding(s->opts->on_finding_ctx, s, f);
}

void scan_flag(struct scan *s, struct probe *p, const struct wd_rule *r,
               int severity, const char *title, const char *text,
               size_t off, size_t len, const char *dedupe)
{
  char *ev;
  if(text) {
    ev = scan_mask(s, text);
  } else {
    /* The whole body is masked first (once per probe), and the excerpt
     * is cut from the masked body: a value is recognised by its name
     * even when the cut leaves the name out. */
    if(!p->masked) {
      mask_learn(&s->mask, buf_str(&p->x.body), p->x.body.len);
      p->masked = mask_text(&s->mask, buf_str(&p->x.body), p->x.body.len,
                            &p->masked_len, &p->masked_map);
    }
    size_t mo = mask_map_off(&p->masked_map, off);
    size_t mend = mask_map_off(&p->masked_map, off + len);
    if(mend < mo)
      mend = mo;
    size_t from = mo > EXCERPT_BEFORE ? mo - EXCERPT_BEFORE : 0;
    size_t to = mend + 80;
    if(to > p->masked_len)
      to = p->masked_len;
    if(from > to)
      from = to;
    size_t max = to - from < EXCERPT_MAX ? to - from : EXCERPT_MAX;
    char *raw = str_excerpt(p->masked, to, from, max);
    /* Once more after the cut: folding whitespace must not join pieces
     * into a registered value. */
    ev = scan_mask(s, raw);
    free(raw);
  }
  char *dd = dedupe ? scan_mask(s, dedupe) : NULL;
  char *url = scan_mask(s, p->x.url); /* an API key may ride in the query */
  struct wd_finding_spec fs = {
    .rule = r,
    .severity = severity,
    .title = title,
    .evidence = ev,
    .method = p->x.method,
    .url = url,
    .dedupe = dd,
  };
  scan_add_finding(s, &fs);
  free(ev);
  free(dd);
  free(url);
  p->nfindings++;
}

void scan_ran(struct scan *s, const struct wd_rule *r)
{
  report_tested(&s->rep, r);
}

void scan_flag_at(struct scan *s, const struct wd_rule *r, int severity,
                  const char *title, const char *method, const char *url,
                  const char *evidence, const char *dedupe)
{
  char *ev = scan_mask(s, evidence);
  char *u = url ? scan_mask(s, url) : NULL;
  char *dd = dedupe ? scan_mask(s, dedupe) : NULL;
  struct wd_finding_spec fs = {
    .rule = r,
    .severity = severity,
    .title = title,
    .evidence = ev,
    .method = method,
    .url = u,
    .dedupe = dd,
  };
  scan_add_finding(s, &fs);
  free(ev);
  free(u);
  free(dd);
}

void scan_debug(struct scan *s, const char *fmt, ...)
{
  if(!s->opts->verbose)
    return;
  va_list ap;
  va_start(ap, fmt);
  char *line = xvasprintf(fmt, ap);
  va_end(ap);
  char *m = scan_mask(s, line);
  report_debug(&s->rep, "%s", m);
  free(m);
  free(line);
}

/* Kept sorted (the smallest names when more than fit): the first with a
 * fix gives a finding its remediation, which must not depend on the
 * order the answers came in. */
void scan_note_product(struct scan *s, const char *name)
{
  size_t pos = 0;
  for(; pos < s->nproducts; pos++) {
    int c = strcmp(name, s->products[pos]);
    if(!c)
      return;
    if(c < 0)
      break;
  }
  if(pos >= ARRAY_LEN(s->products))
    return;
  if(s->nproducts == ARRAY_LEN(s->products))
    free(s->products[--s->nproducts]);
  memmove(&s->products[pos + 1], &s->products[pos], (s->nproducts - pos) * sizeof(char *));
  s->products[pos] = xstrdup(name);
  s->nproducts++;
}

/* A finding whose rule has a fix for a recognised product gets it: the
 * product says more than the framework. */
static void scan_product_remediation(struct scan *s)
{
  for(size_t i = 0; i < s->findings.n; i++) {
    struct wd_finding *x = &s->findings.v[i];
    for(size_t j = 0; !x->remediation && j < s->nproducts; j++) {
      const char *t = rule_remediation(x->rule, s->products[j]);
      if(t && t != x->rule->remediation)
        x->remediation = xstrdup(t);
    }
  }
}

static void scan_template_note(void *ctx, const char *msg)
{
  struct scan *s = ctx;
  report_note(&s->rep, "--templates %s", msg);
}

/* The catalogue: built in, then the user's own signatures and templates.
 * A bad signature file is a configuration error (exit 2). */
static int scan_load_catalog(struct scan *s, char *err, size_t errlen)
{
  const struct scan_opts *o = s->opts;
  if(sig_load_builtin(&s->sigs, err, errlen))
    return -1;
  for(size_t i = 0; i < o->nsignatures; i++)
    if(sig_load_path(&s->sigs, o->signatures[i], err, errlen)) {
      char why[512];
      snprintf(why, sizeof(why), "--signatures: %s", err);
      snprintf(err, errlen, "%s", why);
      return -1;
    }
  /* Templates: each one warden cannot honour is skipped with its reason
   * (a report note); only "none at all" is a configuration error. */
  for(size_t i = 0; i < o->ntemplates; i++) {
    char first[512] = "";
    size_t nnotes = s->rep.nnotes;
    int n = sig_load_templates(&s->sigs, o->templates[i], scan_template_note, s, err, errlen);
    if(n < 0) {
      char why[512];
      snprintf(why, sizeof(why), "--templates: %s", err);
      snprintf(err, errlen, "%s", why);
      return -1;
    }
    if(n == 0) {
      if(s->rep.nnotes > nnotes)
        snprintf(first, sizeof(first), " (%s)", s->rep.notes[nnotes]);
      snprintf(err, errlen, "--templates %s: no template warden can run%s", o->templates[i], first);
      return -1;
    }
    char msg[64];
    snprintf(msg, sizeof(msg), "%d", n);
    report_fact(&s->rep, "templates", msg);
  }
  sig_catalog_index(&s->sigs);
  return 0;
}

void scan_vote_framework(struct scan *s, const char *name, int strength)
{
  /* Equal votes: the smaller name, not the first answer to arrive. */
  if(strength > s->fw_votes || (strength == s->fw_votes && strcmp(name, s->framework) < 0)) {
    snprintf(s->framework, sizeof(s->framework), "%s", name);
    s->fw_votes = strength;
  }
}

/* ---- the loop -------------------------------------------------------- */

static void scan_progress(struct scan *s, int final)
{
  if(!s->opts->progress)
    return;
  double now = mono_now();
  if(!final && (now - s->t0 < 1.0 || now - s->last_progress < 0.2))
    return;
  if(final && s->last_progress == 0)
    return;
  s->last_progress = now;
  s->opts->progress(s->completed, s->nprobes, s->findings.n, final);
}

static void scan_note_failure(struct scan *s, const struct probe *p)
{
  switch(p->x.outcome) {
  case HTTP_TIMEOUT:
    report_note(&s->rep, "%s %s: no complete answer within the %ld ms request timeout%s",
                p->x.method, p->x.url, s->opts->http.timeout_ms,
                p->x.status ? " (a slow or endless body)" : "");
    break;
  case HTTP_TRUNCATED:
    report_note(&s->rep, "%s %s: body cut at the %zu-byte cap (endless or oversized body)",
                p->x.method, p->x.url, s->opts->http.body_cap);
    break;
  case HTTP_CONNECT:
  case HTTP_TLS:
  case HTTP_PROTOCOL:
    report_note(&s->rep, "%s %s: %s: %s", p->x.method, p->x.url,
                http_outcome_name(p->x.outcome), p->x.error);
    break;
  default:
    break;
  }
}

/* Follows an in-scope redirect of a GET or HEAD, up to five hops. An
 * out-of-scope target is never requested; a loop ends at the cap. */
static void scan_follow(struct scan *s, struct probe *p)
{
  if(p->x.status < 300 || p->x.status > 399 || p->x.status == 304)
    return;
  if(!method_reads(p->x.method))
    return; /* a write is sent once: never again at the redirect's target */
  char loc[2048];
  if(!http_header(&p->x, "Location", 0, loc, sizeof(loc)) || !loc[0])
    return;
  char *next = url_resolve(p->x.url, loc);
  if(!next)
    return;
  if(!scope_allows(&s->scope, next)) {
    /* Never requested, but said: a report that is silent about it reads
     * as if the redirect's target had been scanned. One note per
     * origin (report_note merges repeats). */
    struct url_parts u;
    char uerr[128];
    if(url_parse(next, &u, uerr, sizeof(uerr)) == 0) {
      char *o = url_origin(&u);
      int v6 = strchr(u.host, ':') != NULL;
      report_note(&s->rep, "a redirect to %s is outside the scope: not followed "
                  "(--scope %s%s%s:%d would allow it)", o, v6 ? "[" : "", u.host,
                  v6 ? "]" : "", u.port);
      free(o);
      url_parts_cleanup(&u);
    } else {
      report_note(&s->rep, "%s: a redirect outside the scope was not followed", p->x.url);
    }
    free(next);
    return;
  }
  /* A redirect back to this URL or to one before it in the chain is a
   * loop; the repeat would be dropped silently as already queued. */
  for(const struct probe *a = p; a; a = (a->flags & PROBE_REDIRECT) ? a->parent : NULL)
    if(strcmp(a->x.url, next) == 0) {
      report_note(&s->rep, "%s: redirect loop (back to %s): not followed", p->x.url, next);
      free(next);
      return;
    }
  if(p->redirects >= SCAN_MAX_REDIRECTS) {
    report_note(&s->rep, "%s: stopped after %d redirects (a redirect loop?)",
                p->x.url, SCAN_MAX_REDIRECTS);
    free(next);
    return;
  }
  if(p->ident == ID_CUSTOM) {
    free(next);
    return; /* forged-credential probes judge the first answer only */
  }
  struct probe *q = scan_queue_as(s, p->x.method, next, p->flags | PROBE_REDIRECT,
                                  p->origin, p->tag, p->ident, NULL, NULL);
  free(next);
  if(q) {
    q->redirects = p->redirects + 1;
    q->parent = p;
    q->op = p->op;
    if(q->flags & PROBE_SPECFIND)
      s->specfind_out++;
  }
}

/* ---- the checks ------------------------------------------------------ */

/* The checks the caller handed in (scan_opts.checks); none without. */
static const struct wd_check *const *scan_checks(const struct scan *s)
{
  static const struct wd_check *const none[] = {NULL};
  return s->opts && s->opts->checks ? s->opts->checks : none;
}

void scan_checks_begin(struct scan *s)
{
  if(!s->rx)
    s->rx = rx_cache_new();
  if(s->check_state)
    return;
  const struct wd_check *const *reg = scan_checks(s);
  size_t n = 0;
  while(reg[n])
    n++;
  s->check_state = xcalloc(n ? n : 1, sizeof(void *));
  for(size_t i = 0; i < n; i++) {
    const struct wd_check *c = reg[i];
    if(c->state_size)
      s->check_state[i] = xcalloc(1, c->state_size);
    if(c->init)
      c->init(s, s->check_state[i]);
  }
}

static void scan_checks_end(struct scan *s)
{
  if(s->check_state) {
    const struct wd_check *const *reg = scan_checks(s);
    for(size_t i = 0; reg[i]; i++) {
      if(reg[i]->cleanup)
        reg[i]->cleanup(s->check_state[i]);
      free(s->check_state[i]);
    }
    free(s->check_state);
    s->check_state = NULL;
  }
  rx_cache_free(s->rx);
  s->rx = NULL;
}

void scan_checks_plan(struct scan *s)
{
  scan_checks_begin(s);
  const struct wd_check *const *reg = scan_checks(s);
  for(size_t i = 0; reg[i]; i++)
    if(reg[i]->plan)
      reg[i]->plan(s, s->check_state[i]);
}

void scan_checks_judge(struct scan *s, struct probe *p)
{
  scan_checks_begin(s);
  probe_digest(p);
  const struct wd_check *const *reg = scan_checks(s);
  for(size_t i = 0; reg[i]; i++)
    if(reg[i]->judge)
      reg[i]->judge(s, s->check_state[i], p);
}

void scan_checks_plan_late(struct scan *s)
{
  scan_checks_begin(s);
  const struct wd_check *const *reg = scan_checks(s);
  for(size_t i = 0; reg[i]; i++)
    if(reg[i]->plan_late)
      reg[i]->plan_late(s, s->check_state[i]);
}

void scan_checks_finish(struct scan *s)
{
  scan_checks_begin(s);
  const struct wd_check *const *reg = scan_checks(s);
  for(size_t i = 0; reg[i]; i++)
    if(reg[i]->finish)
      reg[i]->finish(s, s->check_state[i]);
}

int scan_tls_probe(struct scan *s, struct tls_probe_opts *o, struct tls_result *r,
                   char *err, size_t errlen)
{
  const char *why = NULL;
  const struct http_opts *h = &s->opts->http;
  if(h->proxy)
    why = "TLS probes connect directly and --proxy is set";
  else {
    /* The first probe opens the window for all of them. */
    if(s->tls_deadline == 0) {
      s->tls_deadline = mono_now() + SCAN_TLS_BUDGET_S;
      if(h->max_seconds > 0 && s->t0 + h->max_seconds < s->tls_deadline)
        s->tls_deadline = s->t0 + h->max_seconds;
    }
    if(mono_now() >= s->tls_deadline)
      why = "time for TLS probes spent";
  }
  if(why) {
    memset(r, 0, sizeof(*r));
    r->alert = -1;
    snprintf(r->error, sizeof(r->error), "%s", why);
    snprintf(err, errlen, "%s", why);
    return -1;
  }
  /* The scope of a handshake: the target's own host and port. */
  o->host = s->target.host;
  o->port = s->target.port;
  return tls_probe(o, r, err, errlen);
}

/* --auth-cmd: an authenticated request got 401. Refresh the credential
 * once per generation (bounded), and resend the request with the new one;
 * returns 1 when a resend was queued (p is then not judged). */
static int scan_refresh_retry(struct scan *s, struct probe *p)
{
  const struct scan_opts *o = s->opts;
  if(!o->refresh_cred || p->ident != ID_MAIN || p->x.status != 401 ||
     (p->flags & PROBE_RETRY))
    return 0;
  if(p->cred_gen == s->cred_gen) {
    if(s->refreshes >= o->refresh_max) {
      report_note(&s->rep, "%s: 401 after %d refreshes; not refreshed again",
                  o->refresh_name ? o->refresh_name : "--auth-cmd", s->refreshes);
      return 0;
    }
    char err[256] = "";
    s->refreshes++;
    if(o->refresh_cred(o->refresh_ctx, err, sizeof(err))) {
      report_note(&s->rep, "%s: refresh after a 401 failed: %s",
                  o->refresh_name ? o->refresh_name : "--auth-cmd", err);
      return 0;
    }
    scan_add_secret(s, o->cred.value);
    s->cred_gen++;
    report_note(&s->rep, "%s: credential refreshed after a 401 (%d of at most %d)",
                o->refresh_name ? o->refresh_name : "--auth-cmd", s->refreshes, o->refresh_max);
  }
  struct probe *q = scan_queue_req(s, p->x.method, p->base, p->req_ctype, p->req_body,
                                   p->req_body_len, p->flags | PROBE_RETRY, p->origin,
                                   p->tag, ID_MAIN, NULL, NULL);
  if(!q)
    return 0;
  q->op = p->op;
  q->parent = p->parent;
  /* The resend takes the place of p among its variants. */
  for(int i = 0; i < ID__COUNT; i++)
    if(p->var[i]) {
      q->var[i] = p->var[i];
      p->var[i]->parent = q;
      p->var[i] = NULL;
    }
  if(s->root == p)
    s->root = q;
  return 1;
}

static void scan_on_done(struct http_exchange *x, void *ctx)
{
  struct scan *s = ctx;
  struct probe *p = (struct probe *)x; /* x is the first member */
  s->completed++;
  if(p->write_slot)
    report_write_status(&s->rep, p->write_slot - 1, http_answered(&p->x) ? p->x.status : 0);
  if(p->x.outcome != HTTP_OK && p->x.outcome != HTTP_BUDGET)
    scan_note_failure(s, p);
  if(!http_answered(&p->x) && p->x.outcome != HTTP_BUDGET)
    s->unanswered++;
  if(p->x.outcome == HTTP_TRUNCATED)
    s->truncated++;
  probe_digest(p);
  if(s->phase == 2 && http_answered(&p->x) && scan_refresh_retry(s, p)) {
    scan_release_body(p);
    scan_progress(s, 0);
    return;
  }
  if(s->phase == 2 && http_answered(&p->x)) {
    if(p->flags & PROBE_SPECFIND)
      scan_found_spec(s, p);
    scan_follow(s, p);
  }
  /* After scan_follow, which counts a redirect of it as still out. */
  if(s->phase == 2 && (p->flags & PROBE_SPECFIND) && s->specfind_out && !--s->specfind_out)
    scan_choose_spec(s);
  if(s->phase == 2 && http_answered(&p->x))
    scan_checks_judge(s, p);
  /* Judged: the body goes (phase 1's wait for the baseline, the checks'
   * plan and the root's judge, in scan_run). */
  if(s->phase == 2)
    scan_release_body(p);
  scan_progress(s, 0);
}

/* Fills {placeholders} of a spec path with value. */
static char *fill_path(const char *path, const char *value)
{
  struct buf b;
  buf_init(&b, 0);
  for(const char *c = path; *c;) {
    if(*c == '{') {
      const char *e = strchr(c, '}');
      if(e) {
        buf_appendz(&b, value);
        c = e + 1;
        continue;
      }
    }
    buf_append(&b, c++, 1);
  }
  return buf_steal(&b);
}

/* The body of a spec write and its media type: the spec's example, or
 * the JSON body the spec model built from the schema (body_example);
 * an empty JSON object when the spec gives none. */
static const char *op_body(const struct spec_op *op, const char **ctype)
{
  if(op->body_example && op->body_ctype) {
    *ctype = op->body_ctype;
    return op->body_example;
  }
  *ctype = "application/json";
  return "{}";
}

/* --active: a spec write (POST, PUT, PATCH) once, as the main identity,
 * with its path filled with ordinary values and a body from the spec.
 * DELETE operations wait until everything else was sent (scan_run), so
 * nothing another probe reads is removed first. */
static void scan_queue_write_op(struct scan *s, struct spec_op *op)
{
  if(!strcmp(op->method, "DELETE")) {
    if(s->opts->allow_delete) {
      s->deletes = xgrow(s->deletes, &s->capdeletes, s->ndeletes + 1, sizeof(*s->deletes));
      s->deletes[s->ndeletes++] = op;
    }
    return;
  }
  if(!http_method_has_body(op->method))
    return;
  const char *ctype;
  const char *body = op_body(op, &ctype);
  char *path = fill_path(op->path, "1");
  struct probe *p = scan_queue_body(s, op->method, path, ctype, body, strlen(body),
                                    PROBE_SPEC, NULL, 0, ID_MAIN, NULL, NULL);
  if(p)
    p->op = op;
  free(path);
}

static void scan_queue_deletes(struct scan *s)
{
  for(size_t i = 0; i < s->ndeletes; i++) {
    char *path = fill_path(s->deletes[i]->path, "1");
    struct probe *p = scan_queue(s, "DELETE", path, PROBE_SPEC, NULL, 0);
    if(p)
      p->op = s->deletes[i];
    free(path);
  }
  s->ndeletes = 0;
}

/* Queues what a spec operation suggests: the route with ordinary values,
 * and, when it takes parameters, once more with a value that no handler
 * expects, to see how it fails. GET operations are requested; the others
 * only with --active (scan_queue_write_op). */
static void scan_queue_op(struct scan *s, struct spec_op *op)
{
  if(strcmp(op->method, "GET")) {
    if(s->opts->active)
      scan_queue_write_op(s, op);
    return;
  }
  int has_params = strchr(op->path, '{') != NULL || op->nquery > 0;
  for(int bad = 0; bad <= has_params; bad++) {
    const char *val = bad ? "warden%27%22x" : "1";
    char *path = fill_path(op->path, val);
    struct buf b;
    buf_init(&b, 0);
    buf_appendz(&b, path);
    for(size_t i = 0; i < op->nquery; i++)
      buf_printf(&b, "%c%s=%s", i ? '&' : '?', op->query[i], val);
    struct probe *p = scan_queue(s, "GET", buf_str(&b),
                                 PROBE_SPEC | (bad ? PROBE_ERROR : 0), NULL, 0);
    if(p)
      p->op = op;
    buf_cleanup(&b);
    free(path);
  }
}

/* Takes over *sp (the caller's copy is emptied) and queues its routes
 * (scan.h). */
void scan_use_spec(struct scan *s, struct spec *sp)
{
  if(sp != &s->spec) {
    s->spec = *sp;
    memset(sp, 0, sizeof(*sp));
  }
  s->have_spec = 1;
  if(s->spec.refs_unresolved)
    report_note(&s->rep, "the spec has %zu \"$ref\" that lead nowhere in the document (or "
                "past %d steps): what they describe was left out", s->spec.refs_unresolved, 16);
  for(size_t i = 0; i < s->spec.n; i++)
    scan_queue_op(s, &s->spec.ops[i]);
}

static void scan_spec_fetched(struct http_exchange *x, void *ctx)
{
  (void)x;
  (void)ctx;
}

static int scan_fetch_spec_url(struct scan *s, const char *url, char *err,
                               size_t errlen)
{
  /* The spec URL is the user's explicit choice, so it may lie outside
   * the scan scope; it is fetched once, with GET, before the scan. */
  struct http_exchange x;
  char *u = xstrdup(url);
  http_exchange_init(&x, "GET", u);
  http_engine_submit(s->eng, &x, scan_spec_fetched, NULL);
  http_engine_run(s->eng);
  int rc = -1;
  struct spec sp;
  if(!http_answered(&x))
    snprintf(err, errlen, "%s: cannot fetch spec: %s", url,
             x.error[0] ? x.error : http_outcome_name(x.outcome));
  else if(x.status != 200)
    snprintf(err, errlen, "%s: cannot fetch spec: HTTP %ld", url, x.status);
  else if(spec_parse(&sp, buf_str(&x.body), x.body.len, url, err, errlen) == 0) {
    s->spec = sp;
    s->have_spec = 1;
    free(s->spec_url);
    s->spec_url = xstrdup(url);
    rc = 0;
  }
  http_exchange_cleanup(&x);
  free(u);
  return rc;
}

/* Where frameworks and generators usually serve the document. */
static const char *const spec_locations[] = {
  "/openapi.json", "/openapi.yaml", "/swagger.json", "/swagger.yaml",
  "/v3/api-docs", "/v2/api-docs", "/api-docs", "/swagger/doc.json",
  "/api/openapi.json", "/api/swagger.json", "/docs/openapi.json",
};

/* The tag of a discovery probe (and of its redirects) is its index in
 * spec_locations. */
static void scan_queue_discovery(struct scan *s)
{
  for(size_t i = 0; i < ARRAY_LEN(spec_locations); i++)
    if(scan_queue(s, "GET", spec_locations[i], PROBE_SPECFIND, NULL, (int)i))
      s->specfind_out++;
}

/* A spec found by discovery: kept if it parses and its location comes
 * before the one kept so far; used by scan_choose_spec. */
static void scan_found_spec(struct scan *s, struct probe *p)
{
  if(s->have_spec || !scan_is_hit(s, p) ||
     (s->found_spec_at && p->tag + 1 >= s->found_spec_at))
    return;
  struct spec sp;
  char err[256];
  if(spec_parse(&sp, buf_str(&p->x.body), p->x.body.len, p->x.url, err,
                sizeof(err)) == 0) {
    if(s->found_spec_at)
      spec_cleanup(&s->found_spec);
    s->found_spec = sp;
    s->found_spec_at = p->tag + 1;
    s->found_spec_probe = p;
  }
}

/* Every discovery probe has answered: the spec of the first location
 * that gave one is used, whichever answered first. */
static void scan_choose_spec(struct scan *s)
{
  if(s->have_spec || !s->found_spec_at)
    return;
  report_fact(&s->rep, "spec", s->found_spec_probe->x.url);
  free(s->spec_url);
  s->spec_url = xstrdup(s->found_spec_probe->x.url);
  s->spec_probe = s->found_spec_probe;
  s->found_spec_at = 0;
  scan_use_spec(s, &s->found_spec);
}

/* Reads the rule ids and locations of an `inspect` JSON report held in
 * text (name for messages). */
int scan_inspect_report_parse(struct corr_set *cs, const char *text, size_t len,
                              const char *name, char *err, size_t errlen)
{
  json_error_t je;
  json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if(!doc) {
    snprintf(err, errlen, "--inspect-report %s:%d:%d: %s", name, je.line, je.column, je.text);
    return -1;
  }
  json_t *fs = json_object_get(doc, "findings");
  const char *kind = json_string_value(json_object_get(doc, "kind"));
  if(!json_is_array(fs) || !kind || strcmp(kind, "inspect")) {
    snprintf(err, errlen, "--inspect-report %s: not a JSON report of `warden inspect`", name);
    json_decref(doc);
    return -1;
  }
  size_t i;
  json_t *f;
  json_array_foreach(fs, i, f) {
    const char *rule = json_string_value(json_object_get(f, "rule"));
    json_t *loc = json_object_get(f, "location");
    const char *file = json_string_value(json_object_get(loc, "file"));
    if(!rule)
      continue;
    char *l = xasprintf("%s (inside the container)", file ? file : "inspect");
    corr_add(cs, "inspect", rule, l, NULL);
    free(l);
  }
  json_decref(doc);
  return 0;
}

/* The file, read whole up to SCAN_MAX_INSPECT_REPORT bytes (a report is
 * a few KiB; anything far larger is not one, and memory stays bounded). */
#define SCAN_MAX_INSPECT_REPORT (64u << 20)
static int scan_import_inspect(struct corr_set *cs, const char *path, char *err,
                               size_t errlen)
{
  FILE *fp = fopen(path, "rb");
  if(!fp) {
    snprintf(err, errlen, "--inspect-report %s: %s", path, strerror(errno));
    return -1;
  }
  struct buf b;
  buf_init(&b, 0);
  char chunk[65536];
  size_t n;
  int rc = 0;
  while((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
    if(b.len + n > SCAN_MAX_INSPECT_REPORT) {
      snprintf(err, errlen, "--inspect-report %s: larger than %u MiB: not a report of "
               "`warden inspect`", path, SCAN_MAX_INSPECT_REPORT >> 20);
      rc = -1;
      break;
    }
    buf_append(&b, chunk, n);
  }
  if(rc == 0 && ferror(fp)) {
    snprintf(err, errlen, "--inspect-report %s: %s", path, strerror(errno));
    rc = -1;
  }
  fclose(fp);
  if(rc == 0)
    rc = scan_inspect_report_parse(cs, buf_str(&b), b.len, path, err, errlen);
  buf_cleanup(&b);
  return rc;
}

/* Phase 4: the other sides' findings, and the chains across them. The
 * inspect report was read into s->corr before the scan started. */
static void scan_correlate(struct scan *s)
{
  const struct scan_opts *o = s->opts;
  /* In report order, not the order the answers came in: a chain names
   * the first scan finding of its kind. */
  findings_sort(&s->findings);
  corr_add_findings(&s->corr, "scan", &s->findings);
  if(o->niac && o->iac_analyze) {
    if(o->iac_analyze(o->iac_paths, o->niac, &s->side_findings, &s->rep) == 0)
      report_note(&s->rep, "--iac: no deployment file could be read");
    corr_add_findings(&s->corr, "iac", &s->side_findings);
  }
  corr_chains(&s->corr, &s->findings);
  /* The deployment's findings join the report under their own rules;
   * their keys name files, so nothing merges with the scan's. */
  findings_take(&s->findings, &s->side_findings);
}

/* A SIGINT or SIGTERM (http_opts.stop) ends the scan as the budget does:
 * status partial, and a note that says why. Returns the signal, or 0. */
static int scan_note_stop(struct scan *s)
{
  int sig = http_engine_stop_signal(s->eng);
  if(!sig && s->opts->http.stop)
    sig = (int)*s->opts->http.stop;
  if(!sig)
    return 0;
  if(s->rep.status == REP_COMPLETE)
    s->rep.status = REP_PARTIAL;
  s->interrupted = sig;
  report_note(&s->rep, "interrupted by %s: requests in flight were cancelled and the rest "
              "never sent; the report covers what was judged until then",
              sig == SIGINT ? "SIGINT (Ctrl-C)" : sig == SIGTERM ? "SIGTERM" : "a signal");
  return sig;
}

/* The last pass before the report is written: values learned late (a
 * password found in the last response) are masked wherever earlier
 * findings, notes or the error quoted them. */
static void scan_remask(struct scan *s, char *err)
{
  findings_remask(&s->findings, &s->mask);
  report_remask(&s->rep);
  if(err) {
    char *m = scan_mask(s, err);
    snprintf(err, strlen(err) + 1, "%s", m);
    free(m);
  }
}

int scan_run(struct scan *s, const struct scan_opts *o, char *err, size_t errlen)
{
  memset(s, 0, sizeof(*s));
  if(!o->checks) {
    snprintf(err, errlen, "warden: bug: scan_run without checks (scan_opts.checks)");
    return 2;
  }
  s->opts = o;
  scan_checks_begin(s);
  findings_init(&s->findings);
  findings_init(&s->side_findings);
  corr_init(&s->corr);
  scope_init(&s->scope);
  sig_catalog_init(&s->sigs);
  if(url_parse(o->url, &s->target, err + 0, errlen)) {
    char why[256];
    snprintf(why, sizeof(why), "%s", err);
    char *msg = xasprintf("invalid URL '%s': %s", o->url, why);
    char *shown = mask_str(NULL, msg); /* user:password@ in the URL */
    snprintf(err, errlen, "%s", shown);
    free(shown);
    free(msg);
    return 2;
  }
  s->target_url = url_resolve(o->url, o->url);
  scan_add_cred(s, &o->cred);
  scan_add_cred(s, &o->as2);
  s->findings.mask = &s->mask;
  s->side_findings.mask = &s->mask;
  s->origin = url_origin(&s->target);
  s->shown_url = scan_mask(s, s->target_url);
  report_init(&s->rep, "scan", s->shown_url, &s->findings);
  s->rep.mask = &s->mask;
  s->rep.active = o->active;
  scope_add_url(&s->scope, &s->target);
  for(int i = 0; i < o->nscope; i++)
    if(scope_add_spec(&s->scope, o->scope[i], err, errlen))
      return 2;
  /* Read it now: a bad file is a configuration error, found before any
   * traffic is sent. */
  if(o->inspect_report && scan_import_inspect(&s->corr, o->inspect_report, err, errlen))
    return 2;
  if(scan_load_catalog(s, err, errlen))
    return 2;
  struct spec sp;
  int have_file_spec = 0;
  if(o->spec && !str_starts_with(o->spec, "http://") &&
     !str_starts_with(o->spec, "https://")) {
    if(spec_load_file(&sp, o->spec, err, errlen))
      return 2;
    have_file_spec = 1;
  }
  s->eng = http_engine_new(&o->http, err, errlen);
  if(!s->eng)
    return 2;
  if(o->spec && !have_file_spec && scan_fetch_spec_url(s, o->spec, err, errlen))
    return 2;
  s->t0 = mono_now();

  /* Phase 1: the URL itself and two random paths. */
  s->phase = 1;
  char rnd[17], rnd2[17];
  str_random_hex(rnd, 16);
  str_random_hex(rnd2, 16);
  s->root = scan_queue(s, "GET", s->target_url, PROBE_ROOT, NULL, 0);
  char *b1 = xasprintf("/warden-%s", rnd);
  char *b2 = xasprintf("/api/warden-%s/%s", rnd2, rnd);
  struct probe *p1 = scan_queue(s, "GET", b1, PROBE_BASELINE, NULL, 0);
  struct probe *p2 = scan_queue(s, "GET", b2, PROBE_BASELINE, NULL, 0);
  free(b1);
  free(b2);
  http_engine_run(s->eng);
  if(!s->root || !http_answered(&s->root->x)) {
    s->rep.status = REP_FAILED;
    if(s->root)
      snprintf(err, errlen, "%s: cannot be scanned: %s", s->target_url,
               s->root->x.error[0] ? s->root->x.error : http_outcome_name(s->root->x.outcome));
    else
      snprintf(err, errlen, "%s: cannot be scanned", s->target_url);
    report_note(&s->rep, "%s", err);
    scan_note_stop(s);
    s->rep.requests = http_engine_sent(s->eng);
    s->rep.seconds = mono_now() - s->t0;
    scan_remask(s, err);
    report_finalize(&s->rep);
    return 3;
  }
  if(p1)
    scan_baseline_record(s, p1, 0);
  if(p2)
    scan_baseline_record(s, p2, 1);

  /* Phase 2: spec, discovery, checks; judged as they complete. */
  s->phase = 2;
  if(have_file_spec)
    scan_use_spec(s, &sp);
  else if(s->have_spec)
    scan_use_spec(s, &s->spec);
  if(!o->no_discovery && !s->have_spec)
    scan_queue_discovery(s);
  scan_checks_plan(s);
  /* Phase-1 probes are judged now that the baseline is known. */
  scan_checks_judge(s, s->root);
  scan_follow(s, s->root);
  for(size_t i = 0; i < s->nprobes; i++)
    if(s->probes[i]->flags & (PROBE_BASELINE | PROBE_ROOT))
      scan_release_body(s->probes[i]);
  http_engine_run(s->eng);

  /* Phase 2b: what depends on phase 2's answers (forged tokens against
   * routes known to be protected, TLS probes). */
  scan_pick_witnesses(s);
  scan_checks_plan_late(s);
  http_engine_run(s->eng);
  /* --allow-delete: the spec's DELETE operations, after every other
   * request, still judged. */
  scan_queue_deletes(s);
  http_engine_run(s->eng);

  /* Phase 3. */
  s->phase = 3;
  scan_checks_finish(s);
  scan_progress(s, 1);
  scan_correlate(s);
  s->rep.requests = http_engine_sent(s->eng);
  s->rep.seconds = mono_now() - s->t0;
  if(s->dropped) {
    s->rep.status = REP_PARTIAL;
    report_note(&s->rep, "%zu requests were not sent: the scan stops queueing at %zu requests "
                "(--max-requests), so the routes behind them were not judged",
                s->dropped, scan_max_requests(s));
  }
  if(s->writes_over) {
    s->rep.status = REP_PARTIAL;
    report_note(&s->rep, "%zu writes were not sent: the --max-writes budget (%d) was spent, "
                "so the routes behind them were not judged", s->writes_over,
                o->max_writes);
  }
  if(s->truncated) {
    /* What lies past the cap was never seen: a finding may hide there. */
    s->rep.status = REP_PARTIAL;
    report_note(&s->rep, "%zu response bodies were cut at the %zu-byte cap (--body-cap): "
                "what follows the cut was not judged", s->truncated, o->http.body_cap);
  }
  if(s->unanswered && s->rep.status == REP_COMPLETE) {
    /* Some routes were never judged: say so rather than look clean. */
    s->rep.status = REP_PARTIAL;
    report_note(&s->rep, "%zu of %zu requests got no answer: the routes behind them were not judged",
                s->unanswered, s->completed);
  }
  if(scan_note_stop(s) == 0 && http_engine_out_of_budget(s->eng)) {
    s->rep.status = REP_PARTIAL;
    report_note(&s->rep, "the --max-time budget (%.0f s) ran out: the scan is incomplete",
                o->http.max_seconds);
  }
  if(s->fw_votes)
    s->rep.framework = s->framework;
  scan_product_remediation(s);
  if(s->nproducts) {
    struct buf pb;
    buf_init(&pb, 0);
    for(size_t i = 0; i < s->nproducts; i++)
      buf_printf(&pb, "%s%s", i ? ", " : "", s->products[i]);
    report_fact(&s->rep, "products", buf_str(&pb));
    buf_cleanup(&pb);
  }
  scan_remask(s, NULL);
  report_finalize(&s->rep);
  return 0;
}

void scan_cleanup(struct scan *s)
{
  scan_canary_close(s);
  scan_checks_end(s);
  for(size_t i = 0; i < s->nprobes; i++)
    probe_free(s->probes[i]);
  free(s->probes);
  free(s->seen);
  free(s->deletes);
  mask_cleanup(&s->mask);
  spec_cleanup(&s->spec);
  free(s->spec_url);
  s->spec_url = NULL;
  if(s->found_spec_at)
    spec_cleanup(&s->found_spec);
  http_engine_free(s->eng);
  report_cleanup(&s->rep);
  findings_cleanup(&s->findings);
  findings_cleanup(&s->side_findings);
  corr_cleanup(&s->corr);
  scope_cleanup(&s->scope);
  sig_catalog_free(&s->sigs);
  for(size_t i = 0; i < s->nproducts; i++)
    free(s->products[i]);
  url_parts_cleanup(&s->target);
  free(s->target_url);
  free(s->shown_url);
  free(s->origin);
  free(s->resolve_prefix);
  if(s->resolve_parsed)
    url_parts_cleanup(&s->resolve_parts);
}
