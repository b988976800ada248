/*
 * chk_fingerprint.c - which framework answers, from headers and from the
 * way it says "not found", so that remediation speaks its language.
 */
#include <stdio.h>
#include <string.h>

#include "../core/core_str.h"
#include "../scan/scan.h"
#include "check.h"

static const struct wd_rule fp_rules[] = {
  {
    .id = "fingerprint.framework",
    .severity = WD_SEV_INFO,
    .category = WD_CAT_INVENTORY,
    .owasp = "API9:2023",
    .cwe = 200,
    .title = "Server framework identified",
    .summary = "Names the framework behind the API (headers, default error pages); remediation uses it",
    .remediation = "Nothing to fix on its own; framework banners help attackers pick exploits, so drop Server and X-Powered-By headers where you can.",
  },
};

struct fp_sig {
  const char *framework;
  int strength;
  const char *header;      /* header name to test, or NULL for the body */
  const char *needle;      /* substring (case blind) */
  int status;              /* required status, 0 = any */
  const char *ctype;       /* required content-type prefix, or NULL */
};

static const struct fp_sig fp_sigs[] = {
  {"flask", 5, "Server", "Werkzeug", 0, NULL},
  {"express", 5, "X-Powered-By", "Express", 0, NULL},
  {"fiber", 5, "Server", "Fiber", 0, NULL},
  {"buffalo", 5, "X-Powered-By", "Buffalo", 0, NULL},
  {"spring", 4, NULL, "Whitelabel Error Page", 0, NULL},
  {"echo", 3, NULL, "{\"message\":\"Not Found\"}", 404, "application/json"},
  {"buffalo", 3, NULL, "gobuffalo", 404, NULL},
  {"buffalo", 3, NULL, "| Buffalo</title>", 0, NULL},
  {"fiber", 3, NULL, "Cannot GET /", 404, "text/plain"},
  {"express", 3, NULL, "<pre>Cannot GET /", 404, "text/html"},
  {"flask", 3, NULL, "The requested URL was not found on the server", 404, "text/html"},
  /* Go's net/http default (http.NotFound): chi, gorilla and plain
   * ServeMux all say it, so it names only net/http. */
  {"net/http", 2, NULL, "404 page not found", 404, "text/plain"},
};

static void fp_test(struct scan *s, struct probe *p)
{
  if(!http_answered(&p->x))
    return;
  char ct[128], hv[256];
  if(!http_header(&p->x, "Content-Type", 0, ct, sizeof(ct)))
    ct[0] = '\0';
  for(size_t i = 0; i < ARRAY_LEN(fp_sigs); i++) {
    const struct fp_sig *g = &fp_sigs[i];
    if(g->strength < s->fw_votes)
      continue; /* an equal vote may still win on its name (scan_vote_framework) */
    if(g->status && p->x.status != g->status)
      continue;
    if(g->ctype && !str_find_ci(ct, strlen(ct), g->ctype))
      continue;
    if(g->header) {
      if(!http_header(&p->x, g->header, 0, hv, sizeof(hv)) ||
         !str_find_ci(hv, strlen(hv), g->needle))
        continue;
    } else if(!str_find_ci(buf_str(&p->x.body), p->x.body.len, g->needle)) {
      continue;
    }
    scan_vote_framework(s, g->framework, g->strength);
  }
  /* On top of Go's stock 404, chi's own 405 (methodNotAllowedHandler: the
   * status and an empty body; net/http's ServeMux has no 405 of its own)
   * tells chi apart. */
  if(p->x.status == 405 && p->x.body.len == 0 && !strcmp(s->framework, "net/http") &&
     s->fw_votes < 3)
    scan_vote_framework(s, "chi", 3);
}

static void fp_plan(struct scan *s, void *st)
{
  (void)st;
  /* The baseline probes ran in phase 1, before any judge: read them now. */
  for(size_t i = 0; i < s->nprobes; i++)
    if(s->probes[i]->flags & (PROBE_BASELINE | PROBE_ROOT))
      fp_test(s, s->probes[i]);
}

/* The OPTIONS probe that tells chi from net/http goes to the smallest
 * path identity 1's GET opened, asked once phase 2 is in (plan_late), so
 * neither the route nor whether it is asked depends on which answer
 * came first. */
#define FP_PATH_MAX 256
struct fp_state {
  char path[FP_PATH_MAX]; /* the smallest such path, or "" */
};

extern const struct wd_check check_fingerprint;

static void fp_judge(struct scan *s, void *st, struct probe *p)
{
  struct fp_state *fs = st;
  fp_test(s, p);
  if(p->origin == &check_fingerprint || strcmp(p->x.method, "GET") || p->ident != ID_MAIN ||
     strlen(p->path) >= FP_PATH_MAX || !scan_is_hit(s, p))
    return;
  if(!fs->path[0] || strcmp(p->path, fs->path) < 0)
    snprintf(fs->path, sizeof(fs->path), "%s", p->path);
}

/* Only Go's stock 404 is known: ask a route that answers GET with
 * OPTIONS (read-only). chi answers 405 with an empty body, a plain
 * ServeMux hands it to the same handler. */
static void fp_plan_late(struct scan *s, void *st)
{
  struct fp_state *fs = st;
  if(fs->path[0] && !strcmp(s->framework, "net/http"))
    scan_queue(s, "OPTIONS", fs->path, PROBE_FOLLOWUP, &check_fingerprint, 0);
}

static void fp_finish(struct scan *s, void *st)
{
  (void)st;
  if(!s->fw_votes || !s->root)
    return;
  char ev[96];
  snprintf(ev, sizeof(ev), "framework: %s%s (confidence %d/5)", s->framework,
           strcmp(s->framework, "net/http") ? "" : " (Go; the router is not known)", s->fw_votes);
  scan_flag(s, s->root, &fp_rules[0], -1, NULL, ev, 0, 0, "framework");
}

const struct wd_check check_fingerprint = {
  .name = "fingerprint",
  .summary = "Framework identification from headers and default error pages",
  .rules = fp_rules,
  .nrules = ARRAY_LEN(fp_rules),
  .state_size = sizeof(struct fp_state),
  .plan = fp_plan,
  .judge = fp_judge,
  .plan_late = fp_plan_late,
  .finish = fp_finish,
};
