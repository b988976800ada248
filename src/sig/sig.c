/*
 * sig.c - the catalogue in memory: rules, signatures, the path index and
 * the matchers (sig.h).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "sig.h"

#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"

/* A signature's pattern may come from a user's file and meets a hostile
 * server's body: backtracking is bounded (a limit hit is "no match"). */
#define SIG_MATCH_LIMIT 200000
#define SIG_DEPTH_LIMIT 5000

void sig_catalog_init(struct sig_catalog *c)
{
  memset(c, 0, sizeof(*c));
  pcre2_match_context *mc = pcre2_match_context_create(NULL);
  pcre2_set_match_limit(mc, SIG_MATCH_LIMIT);
  pcre2_set_depth_limit(mc, SIG_DEPTH_LIMIT);
  c->mctx = mc;
}

/* A loader that stopped half-way may leave a count without its array:
 * the frees accept that (strv_free takes NULL). */

static void free_rxv(void **v, size_t n)
{
  if(!v)
    return;
  for(size_t i = 0; i < n; i++)
    if(v[i])
      pcre2_code_free(v[i]);
  free(v);
}

static void sig_free_one(struct sig *g)
{
  free(g->id);
  free(g->title);
  free(g->what);
  free(g->product);
  strv_free(g->paths, g->npaths);
  free_rxv(g->routes, g->nroutes);
  for(size_t j = 0; j < g->nm; j++) {
    struct sig_matcher *m = &g->m[j];
    strv_free(m->words, m->kind == SIG_M_STATUS || m->kind == SIG_M_SIZE ? 0 : m->n);
    free_rxv(m->rx, m->kind == SIG_M_REGEX ? m->n : 0);
    free(m->nums);
  }
  free(g->m);
  free(g->file);
  if(g->xrx)
    pcre2_code_free(g->xrx);
  free(g->xkval);
}

static void rule_free_one(struct wd_rule *r)
{
  free((char *)r->id);
  free((char *)r->owasp);
  free((char *)r->title);
  free((char *)r->summary);
  free((char *)r->remediation);
  if(r->fixes) {
    for(const struct wd_fix *f = r->fixes; f->framework; f++) {
      free((char *)f->framework);
      free((char *)f->text);
    }
    free((void *)r->fixes);
  }
  free(r);
}

void sig_catalog_truncate(struct sig_catalog *c, size_t nrules, size_t nsigs)
{
  while(c->n > nsigs)
    sig_free_one(&c->v[--c->n]);
  while(c->nrules > nrules)
    rule_free_one(c->rules[--c->nrules]);
}

void sig_catalog_free(struct sig_catalog *c)
{
  sig_catalog_truncate(c, 0, 0);
  free(c->v);
  free(c->rules);
  free(c->slots);
  free(c->refs);
  free(c->route_sigs);
  pcre2_match_context_free(c->mctx);
  memset(c, 0, sizeof(*c));
}

struct wd_rule *sig_add_rule(struct sig_catalog *c)
{
  c->rules = xgrow(c->rules, &c->caprules, c->nrules + 1, sizeof(*c->rules));
  struct wd_rule *r = xcalloc(1, sizeof(*r));
  c->rules[c->nrules++] = r;
  return r;
}

struct sig *sig_add(struct sig_catalog *c)
{
  c->v = xgrow(c->v, &c->cap, c->n + 1, sizeof(*c->v));
  struct sig *g = &c->v[c->n++];
  memset(g, 0, sizeof(*g));
  g->severity = -1;
  return g;
}

const struct wd_rule *sig_find_rule(const struct sig_catalog *c, const char *id)
{
  for(size_t i = 0; i < c->nrules; i++)
    if(strcmp(c->rules[i]->id, id) == 0)
      return c->rules[i];
  return NULL;
}

void *sig_rx_compile(const char *pattern, int caseless, char *err, size_t errlen)
{
  int ec;
  PCRE2_SIZE eo;
  pcre2_code *code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   caseless ? PCRE2_CASELESS : 0, &ec, &eo, NULL);
  if(!code) {
    PCRE2_UCHAR msg[160];
    pcre2_get_error_message(ec, msg, sizeof(msg));
    snprintf(err, errlen, "regex does not compile at offset %zu: %s", (size_t)eo,
             (char *)msg);
    return NULL;
  }
  (void)pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  return code;
}

/* ---- the path index ---------------------------------------------------- */

static size_t path_slot(const char *path, size_t n)
{
  return (size_t)(str_hash(path, n) & 0xffffffffu);
}

void sig_catalog_index(struct sig_catalog *c)
{
  c->nrefs = 0;
  c->nroute_sigs = 0;
  for(size_t i = 0; i < c->n; i++) {
    for(size_t j = 0; j < c->v[i].npaths; j++) {
      c->refs = xgrow(c->refs, &c->caprefs, c->nrefs + 1, sizeof(*c->refs));
      c->refs[c->nrefs].path = c->v[i].paths[j];
      c->refs[c->nrefs++].sig = i;
    }
    if(c->v[i].nroutes) {
      c->route_sigs = xrealloc(c->route_sigs, (c->nroute_sigs + 1) * sizeof(size_t));
      c->route_sigs[c->nroute_sigs++] = i;
    }
  }
  free(c->slots);
  c->nslots = 16;
  while(c->nslots < c->nrefs * 2 + 2)
    c->nslots *= 2;
  c->slots = xcalloc(c->nslots, sizeof(size_t));
  for(size_t r = 0; r < c->nrefs; r++) {
    const char *p = c->refs[r].path;
    size_t h = path_slot(p, strlen(p)) & (c->nslots - 1);
    while(c->slots[h])
      h = (h + 1) & (c->nslots - 1);
    c->slots[h] = r + 1;
  }
}

/* ---- matching ---------------------------------------------------------- */

static int rx_find(const struct sig_catalog *c, void *code, const char *s, size_t n,
                   size_t *off, size_t *len)
{
  pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
  int rc = pcre2_match(code, (PCRE2_SPTR)s, n, 0, 0, md, c->mctx);
  int hit = rc > 0;
  if(hit) {
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    *off = ov[0];
    *len = ov[1] - ov[0];
  }
  pcre2_match_data_free(md);
  return hit;
}

/* The Content-Type value in a raw header block (the last one wins, as a
 * client would read it), into out. */
static void head_ctype(const char *h, size_t n, char *out, size_t outlen)
{
  out[0] = '\0';
  for(size_t i = 0; i < n;) {
    size_t e = i;
    while(e < n && h[e] != '\n')
      e++;
    if(e - i > 13 && strncasecmp(h + i, "content-type:", 13) == 0) {
      size_t a = i + 13, b = e;
      while(a < b && (h[a] == ' ' || h[a] == '\t'))
        a++;
      while(b > a && (h[b - 1] == '\r' || h[b - 1] == ' '))
        b--;
      size_t l = b - a < outlen - 1 ? b - a : outlen - 1;
      memcpy(out, h + a, l);
      out[l] = '\0';
    }
    i = e + 1;
  }
}

static int word_in(const char *s, size_t n, const char *w, int caseless,
                   size_t *off)
{
  const char *hit = caseless ? str_find_ci(s, n, w) : str_find(s, n, w);
  if(hit)
    *off = (size_t)(hit - s);
  return hit != NULL;
}

/* One matcher, before negation. *off and *len: where in the body it
 * (len 0 when it was not the body). */
static int matcher_test(const struct sig_catalog *c, const struct sig_matcher *m,
                        const struct sig_resp *r, size_t *off, size_t *len)
{
  *len = 0;
  switch(m->kind) {
  case SIG_M_STATUS:
  case SIG_M_SIZE: {
    long v = m->kind == SIG_M_STATUS ? r->status : (long)r->bodylen;
    for(size_t i = 0; i < m->n; i++)
      if(m->nums[i] == v)
        return 1;
    return 0;
  }
  case SIG_M_CTYPE: {
    char ct[160];
    head_ctype(r->head, r->headlen, ct, sizeof(ct));
    for(size_t i = 0; i < m->n; i++)
      if(str_find_ci(ct, strlen(ct), m->words[i]))
        return 1;
    return 0;
  }
  case SIG_M_WORD:
  case SIG_M_REGEX: {
    size_t nok = 0;
    for(size_t i = 0; i < m->n; i++) {
      int ok = 0;
      size_t o = 0, l = 0;
      for(int part = 0; part < 2 && !ok; part++) {
        int body = part == 1;
        if(body ? m->part == SIG_HEADER : m->part == SIG_BODY)
          continue;
        const char *s = body ? r->body : r->head;
        size_t n = body ? r->bodylen : r->headlen;
        if(!s)
          continue;
        if(m->kind == SIG_M_WORD) {
          ok = word_in(s, n, m->words[i], m->caseless, &o);
          l = strlen(m->words[i]);
        } else {
          ok = rx_find(c, m->rx[i], s, n, &o, &l);
        }
        if(ok && body && *len == 0) {
          *off = o;
          *len = l ? l : 1;
        }
      }
      if(ok)
        nok++;
      if(ok && !m->all)
        return 1;
      if(!ok && m->all)
        return 0;
    }
    return m->all && nok == m->n && m->n > 0;
  }
  }
  return 0;
}

int sig_match(const struct sig_catalog *c, const struct sig *sg,
              const struct sig_resp *r, size_t *off, size_t *len)
{
  *off = 0;
  *len = 0;
  if(!sg->nm)
    return 0;
  int any_ok = 0;
  for(size_t i = 0; i < sg->nm; i++) {
    const struct sig_matcher *m = &sg->m[i];
    size_t o, l;
    int ok = matcher_test(c, m, r, &o, &l);
    if(m->negative)
      ok = !ok;
    else if(ok && l && *len == 0) {
      *off = o;
      *len = l;
    }
    if(ok)
      any_ok = 1;
    if(!ok && !sg->any)
      return 0;
  }
  return any_ok;
}

static int route_match(const struct sig_catalog *c, const struct sig *g, const char *path)
{
  size_t o, l;
  for(size_t i = 0; i < g->nroutes; i++)
    if(rx_find(c, g->routes[i], path, strlen(path), &o, &l))
      return 1;
  return 0;
}

size_t sig_judge(const struct sig_catalog *c, const char *path,
                 const struct sig_resp *r, struct sig_hit *hits, size_t max)
{
  size_t nh = 0;
  if(!c->nslots || max == 0)
    return 0;
  size_t pl = strlen(path);
  size_t h = path_slot(path, pl) & (c->nslots - 1);
  size_t last = (size_t)-1;
  /* Refs of one signature are consecutive, so a signature listed twice
   * for one path is tested once. */
  for(; c->slots[h]; h = (h + 1) & (c->nslots - 1)) {
    const struct sig_pathref *ref = &c->refs[c->slots[h] - 1];
    if(strcmp(ref->path, path) || ref->sig == last)
      continue;
    last = ref->sig;
    const struct sig *g = &c->v[ref->sig];
    int dup = 0;
    for(size_t k = 0; k < nh; k++)
      dup |= hits[k].sig == g;
    size_t off, len;
    if(!dup && sig_match(c, g, r, &off, &len)) {
      hits[nh].sig = g;
      hits[nh].off = off;
      hits[nh].len = len;
      if(++nh == max)
        return nh;
    }
  }
  for(size_t i = 0; i < c->nroute_sigs; i++) {
    const struct sig *g = &c->v[c->route_sigs[i]];
    int dup = 0;
    for(size_t k = 0; k < nh; k++)
      dup |= hits[k].sig == g;
    size_t off, len;
    if(!dup && route_match(c, g, path) && sig_match(c, g, r, &off, &len)) {
      hits[nh].sig = g;
      hits[nh].off = off;
      hits[nh].len = len;
      if(++nh == max)
        return nh;
    }
  }
  return nh;
}

void sig_extract(const struct sig_catalog *c, const struct sig *sg,
                 const struct sig_resp *r, char *out, size_t outlen)
{
  out[0] = '\0';
  if(sg->xkval) {
    /* header "name: value" (kval names use _ for -) */
    size_t kl = strlen(sg->xkval);
    for(size_t i = 0; i < r->headlen;) {
      size_t e = i;
      while(e < r->headlen && r->head[e] != '\n')
        e++;
      int same = e - i > kl && r->head[i + kl] == ':';
      for(size_t k = 0; same && k < kl; k++) {
        char a = r->head[i + k], b = sg->xkval[k];
        a = a == '-' ? '_' : (char)(a | 0x20);
        b = b == '-' ? '_' : (char)(b | 0x20);
        same = a == b;
      }
      if(same) {
        size_t a = i + kl + 1, b = e;
        while(a < b && r->head[a] == ' ')
          a++;
        while(b > a && (r->head[b - 1] == '\r' || r->head[b - 1] == ' '))
          b--;
        snprintf(out, outlen, "%.*s", (int)(b - a < 120 ? b - a : 120), r->head + a);
        return;
      }
      i = e + 1;
    }
    return;
  }
  if(!sg->xrx)
    return;
  for(int part = 0; part < 2 && !out[0]; part++) {
    int body = part == 1;
    if(body ? sg->xpart == SIG_HEADER : sg->xpart == SIG_BODY)
      continue;
    const char *s = body ? r->body : r->head;
    size_t n = body ? r->bodylen : r->headlen;
    if(!s)
      continue;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(sg->xrx, NULL);
    int rc = pcre2_match(sg->xrx, (PCRE2_SPTR)s, n, 0, 0, md, c->mctx);
    if(rc > sg->xgroup) {
      PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
      size_t a = ov[2 * sg->xgroup], b = ov[2 * sg->xgroup + 1];
      if(a != PCRE2_UNSET && b >= a)
        snprintf(out, outlen, "%.*s", (int)(b - a < 120 ? b - a : 120), s + a);
    }
    pcre2_match_data_free(md);
  }
}
