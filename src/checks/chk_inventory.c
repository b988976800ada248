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
 * Judged only with a spec. Read-only; one extra GET per versioned route.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "check.h"

enum { R_OLDVER, R_MISSING };

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
};

extern const struct wd_check check_inventory;

#define INV_TAG_OLD 1

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

static void inv_judge(struct scan *s, void *st, struct probe *p)
{
  (void)st;
  if(!http_answered(&p->x) || strcmp(p->x.method, "GET") || p->ident != ID_MAIN ||
     (p->flags & (PROBE_REDIRECT | PROBE_BURST)))
    return;
  if(p->origin == &check_inventory && p->tag == INV_TAG_OLD) {
    scan_ran(s, &inv_rules[R_OLDVER]);
    if(!scan_is_hit(s, p) || !p->parent)
      return;
    char ev[400];
    snprintf(ev, sizeof(ev), "the spec declares %.150s; GET %.150s -> %ld with a body of %zu bytes",
             p->parent->path, p->path, p->x.status, p->x.body.len);
    scan_flag(s, p, &inv_rules[R_OLDVER], -1, NULL, ev, 0, 0, "old-version");
    return;
  }
  if(!p->op || p->origin || !(p->flags & PROBE_SPEC) || (p->flags & PROBE_ERROR))
    return;
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

const struct wd_check check_inventory = {
  .name = "inventory",
  .summary = "API9: older versions alive, spec routes not served",
  .rules = inv_rules,
  .nrules = ARRAY_LEN(inv_rules),
  .judge = inv_judge,
};
