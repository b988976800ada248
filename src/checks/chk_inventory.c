/*
 * chk_inventory.c - API9 improper inventory management: the spec against
 * what answers.
 *
 *  - inventory.old-version-alive: for a spec GET route without path
 *    parameters under a version segment (/v2/, /api/v3/...), the same
 *    route one version lower is asked; a real answer (2xx that is not the
 *    random-path page) means the older version still runs next to the
 *    current one.
 *  - inventory.spec-route-missing: a spec GET route without parameters
 *    answers 404: declared, not served (an inventory that does not match
 *    what runs). Routes with path or query parameters are left alone:
 *    their 404 may be "no object 1".
 *  - inventory.deprecated-alive: a GET operation the spec marks
 *    deprecated answers (2xx that is not the random-path page): it was
 *    announced as going away and still serves.
 *  - inventory.non-production-server: the spec's servers name a host that
 *    is not a production one (url_host_nonprod: loopback, private,
 *    link-local, unique-local addresses; staging/dev/test/qa/internal
 *    labels; internal suffixes); the target's own host is left alone.
 * Notes, not findings (every lab and most real APIs would carry them):
 * the API description answered at a well-known path to a request without
 * credentials, and the discovery hits (well-known paths, the older
 * version) that the spec does not declare.
 * Judged only with a spec. Read-only; one extra GET per versioned route
 * (and, with a credential, the spec document once without it).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "check.h"

enum { R_OLDVER, R_MISSING, R_DEPRECATED, R_NONPROD };

static const struct wd_rule inv_rules[] = {
  [R_OLDVER] = {
    .id = "inventory.old-version-alive",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_INVENTORY,
    .owasp = "API9:2023",
    .cwe = 1059,
    .title = "Older API version still answering",
    .summary = "A route of the spec's version answers one version lower too: the older version runs next to the current one, usually without its fixes",
    .remediation = "Retire old versions on a schedule (410 Gone, then remove the routes), or keep them in the spec and patched like the current one.",
  },
  [R_MISSING] = {
    .id = "inventory.spec-route-missing",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_INVENTORY,
    .owasp = "API9:2023",
    .cwe = 1059,
    .title = "Spec route not served",
    .summary = "A GET route the spec declares (without parameters) answers 404: the published inventory does not match what runs",
    .remediation = "Generate the spec from the code (or test it against the running service) so that it lists what is served, no more and no less.",
  },
  [R_DEPRECATED] = {
    .id = "inventory.deprecated-alive",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_INVENTORY,
    .owasp = "API9:2023",
    .cwe = 1059,
    .title = "Deprecated operation still served",
    .summary = "A GET operation the spec marks deprecated still answers with data: retired surface that keeps running, usually unwatched",
    .remediation = "Retire deprecated operations on a schedule: announce a date (Sunset header), then answer 410 Gone and remove them from the code and the spec.",
  },
  [R_NONPROD] = {
    .id = "inventory.non-production-server",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_INVENTORY,
    .owasp = "API9:2023",
    .cwe = 200,
    .title = "Spec names non-production or internal servers",
    .summary = "The spec's servers name a staging, development, test or internal host, or a private address: the published document maps environments that should not be reachable or known",
    .remediation = "Publish a spec per environment with only that environment's public server URL; keep staging and internal hosts out of documents served to clients.",
  },
};

extern const struct wd_check check_inventory;

#define INV_TAG_OLD 1
#define INV_TAG_SPECANON 2
#define INV_UNDOC_MAX 16
#define INV_PATH_MAX 256
#define INV_SPECS_MAX 16

struct inv_state {
  char spec_path[INV_PATH_MAX]; /* where discovery found the spec */
  int spec_anon;                /* it answered without credentials */
  const struct probe *anon[INV_SPECS_MAX]; /* discovery probes whose spec did */
  size_t nanon;
  char undoc[INV_UNDOC_MAX][INV_PATH_MAX]; /* discovery hits, judged at finish */
  int nundoc;
};

/* Finds a "/vN/" (or "/vN" at the end) segment with N >= 2; sets *at to
 * the digits and *len to their count. */
static int inv_version(const char *path, size_t *at, size_t *len, long *n)
{
  for(const char *c = path; (c = strstr(c, "/v")); c++) {
    const char *d = c + 2;
    size_t k = 0;
    while(isdigit((unsigned char)d[k]))
      k++;
    if(k && k < 4 && (d[k] == '/' || d[k] == '\0' || d[k] == '?')) {
      long v = strtol(d, NULL, 10);
      if(v >= 2) {
        *at = (size_t)(d - path);
        *len = k;
        *n = v;
        return 1;
      }
    }
  }
  return 0;
}

/* 1 when path (its query left out) is a route of the spec: segment by
 * segment, a "{name}" placeholder matching any non-empty segment. */
static int inv_in_spec(const struct scan *s, const char *path)
{
  size_t plen = strcspn(path, "?#");
  for(size_t i = 0; s->have_spec && i < s->spec.n; i++) {
    const char *t = s->spec.ops[i].path, *c = path, *end = path + plen;
    while(*t && c < end) {
      if(*t == '{') {
        const char *te = strchr(t, '}');
        if(!te)
          break;
        const char *ce = c;
        while(ce < end && *ce != '/')
          ce++;
        if(ce == c)
          break;
        t = te + 1;
        c = ce;
      } else if(*t == *c) {
        t++;
        c++;
      } else {
        break;
      }
    }
    if(!*t && c == end)
      return 1;
  }
  return 0;
}

/* Keeps path (its query left out) in is->undoc: sorted, each once, the
 * INV_UNDOC_MAX smallest, so the note lists the same routes in the same
 * order whatever order the answers came in. */
static void inv_keep_undoc(struct inv_state *is, const char *path)
{
  size_t n = strcspn(path, "?#");
  if(n >= INV_PATH_MAX)
    return;
  char p[INV_PATH_MAX];
  memcpy(p, path, n);
  p[n] = '\0';
  int found, pos = str_sorted_keep(is->undoc, sizeof(is->undoc[0]), &is->nundoc, INV_UNDOC_MAX,
                                   p, 1, &found);
  if(pos >= 0 && !found)
    memcpy(is->undoc[pos], p, n + 1);
}

/* A discovery probe that answered a spec: asked once more without a
 * credential (when it was sent with one), and the answer to that. Which
 * of them is the scan's spec is known in plan_late (inv_spec_found). */
static void inv_judge_specfind(struct scan *s, struct inv_state *is, struct probe *p)
{
  if(p->origin == &check_inventory && p->tag == INV_TAG_SPECANON) {
    if(!scan_is_hit(s, p) || p->x.status != 200 || !p->parent)
      return;
    /* Over INV_SPECS_MAX, the smallest paths are kept (the largest gives
     * way), not the first to answer. */
    size_t worst = 0;
    for(size_t i = 1; i < is->nanon; i++)
      if(strcmp(is->anon[i]->path, is->anon[worst]->path) > 0)
        worst = i;
    if(is->nanon < INV_SPECS_MAX)
      is->anon[is->nanon++] = p->parent;
    else if(strcmp(p->parent->path, is->anon[worst]->path) < 0)
      is->anon[worst] = p->parent;
    return;
  }
  if(!(p->flags & PROBE_SPECFIND) || !scan_is_hit(s, p) || strlen(p->path) >= INV_PATH_MAX ||
     !scan_has_cred(s))
    return;
  size_t n = p->x.body.len < 4096 ? p->x.body.len : 4096;
  const char *b = buf_str(&p->x.body);
  if(!str_find(b, n, "openapi") && !str_find(b, n, "swagger"))
    return;
  scan_queue_as(s, "GET", p->path, PROBE_FOLLOWUP, &check_inventory, INV_TAG_SPECANON, ID_NONE,
                NULL, p);
}

/* The discovery probe whose spec the scan uses (the first location that
 * gave one, not the first to answer): where the spec is, and whether it
 * is served without a credential. */
static void inv_spec_found(struct scan *s, struct inv_state *is)
{
  const struct probe *p = s->spec_probe;
  if(!p || strlen(p->path) >= INV_PATH_MAX)
    return;
  snprintf(is->spec_path, sizeof(is->spec_path), "%s", p->path);
  is->spec_anon = !scan_has_cred(s);
  for(size_t i = 0; i < is->nanon; i++)
    is->spec_anon |= is->anon[i] == p;
}

static void inv_judge(struct scan *s, void *st, struct probe *p)
{
  struct inv_state *is = st;
  if(!http_answered(&p->x) || strcmp(p->x.method, "GET") ||
     (p->flags & (PROBE_REDIRECT | PROBE_BURST)))
    return;
  if(p->ident == ID_NONE || (p->flags & PROBE_SPECFIND)) {
    inv_judge_specfind(s, is, p);
    return;
  }
  if(p->ident != ID_MAIN)
    return;
  if((p->flags & PROBE_WELLKNOWN) && scan_is_hit(s, p))
    inv_keep_undoc(is, p->path);
  if(p->origin == &check_inventory && p->tag == INV_TAG_OLD) {
    scan_ran(s, &inv_rules[R_OLDVER]);
    if(!scan_is_hit(s, p) || !p->parent)
      return;
    inv_keep_undoc(is, p->path);
    char ev[400];
    snprintf(ev, sizeof(ev), "the spec declares %.150s; GET %.150s -> %ld with a body of %zu bytes",
             p->parent->path, p->path, p->x.status, p->x.body.len);
    scan_flag(s, p, &inv_rules[R_OLDVER], -1, NULL, ev, 0, 0, "old-version");
    return;
  }
  if(!p->op || p->origin || !(p->flags & PROBE_SPEC) || (p->flags & PROBE_ERROR))
    return;
  if(p->op->deprecated) {
    scan_ran(s, &inv_rules[R_DEPRECATED]);
    if(scan_is_hit(s, p)) {
      char ev[600], key[300];
      snprintf(ev, sizeof(ev), "the spec marks GET %.200s deprecated; GET %.120s -> %ld with a "
               "body of %zu bytes", p->op->path, p->path, p->x.status, p->x.body.len);
      snprintf(key, sizeof(key), "deprecated %.200s", p->op->path);
      scan_flag(s, p, &inv_rules[R_DEPRECATED], -1, NULL, ev, 0, 0, key);
    }
  }
  /* A route with parameters may answer 404 about their value ("no file
   * named 1"): only routes without any are judged. */
  int params = strchr(p->op->path, '{') || p->op->nquery;
  if(!params)
    scan_ran(s, &inv_rules[R_MISSING]);
  if(!params && p->x.status == 404) {
    char ev[300];
    snprintf(ev, sizeof(ev), "the spec declares GET %.200s; it answers 404", p->op->path);
    scan_flag(s, p, &inv_rules[R_MISSING], -1, NULL, ev, 0, 0, "spec-missing");
  }
  size_t at, len;
  long v;
  if(!scan_is_hit(s, p) || !inv_version(p->path, &at, &len, &v))
    return;
  char *old = xasprintf("%.*s%ld%s", (int)at, p->path, v - 1, p->path + at + len);
  struct probe *q = scan_queue(s, "GET", old, PROBE_FOLLOWUP, &check_inventory, INV_TAG_OLD);
  if(q)
    q->parent = p;
  free(old);
}

/* The spec's servers: each host that is not the target's and looks like
 * a non-production or internal one. */
static void inv_plan_late(struct scan *s, void *st)
{
  struct inv_state *is = st;
  inv_spec_found(s, is);
  if(!s->have_spec || !s->spec.nservers)
    return;
  scan_ran(s, &inv_rules[R_NONPROD]);
  char *where = xasprintf("%s%s", s->origin, is->spec_path[0] ? is->spec_path : "/");
  for(size_t i = 0; i < s->spec.nservers; i++) {
    char host[256];
    const char *why;
    if(!s->spec.servers[i] || !url_host_of(s->spec.servers[i], host, sizeof(host)) ||
       (s->target.host && strcmp(host, s->target.host) == 0) || !(why = url_host_nonprod(host)))
      continue;
    char ev[600], key[300];
    snprintf(ev, sizeof(ev), "the spec's servers name %.200s: %s (%.60s)", s->spec.servers[i], why,
             host);
    snprintf(key, sizeof(key), "nonprod %.200s", host);
    scan_flag_at(s, &inv_rules[R_NONPROD], -1, NULL, "GET", where, ev, key);
  }
  free(where);
}

static void inv_finish(struct scan *s, void *st)
{
  struct inv_state *is = st;
  if(is->spec_anon)
    report_note(&s->rep, "inventory: the API description %s is served without credentials "
                "(anyone can read the whole inventory; fine for a public API)", is->spec_path);
  if(!s->have_spec || !is->nundoc)
    return;
  struct buf b;
  buf_init(&b, 0);
  int n = 0;
  for(int i = 0; i < is->nundoc; i++)
    if(!inv_in_spec(s, is->undoc[i]))
      buf_printf(&b, "%s%s", n++ ? ", " : "", is->undoc[i]);
  if(n)
    report_note(&s->rep, "inventory: %d live route%s not in the spec (found by discovery): %s", n,
                n == 1 ? "" : "s", buf_str(&b));
  buf_cleanup(&b);
}

const struct wd_check check_inventory = {
  .name = "inventory",
  .summary = "API9: older versions alive, spec routes not served, deprecated operations, non-production servers",
  .rules = inv_rules,
  .nrules = ARRAY_LEN(inv_rules),
  .state_size = sizeof(struct inv_state),
  .judge = inv_judge,
  .plan_late = inv_plan_late,
  .finish = inv_finish,
};
