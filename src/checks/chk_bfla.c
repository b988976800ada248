/*
 * chk_bfla.c - API5, broken function-level authorization, beyond the JWT
 * check's scope test (bfla.scope-not-enforced, which owns admin-named
 * paths under a JWT --bearer):
 *   - admin functions by the spec's own words (tags, operationId,
 *     summary: "admin", "internal", "management", "staff", "superuser")
 *     or by path, which the user's identity opens, requested as the lower
 *     identity (--as2): a 2xx with data is bfla.admin-route;
 *   - with --active, a GET identity 1 opens but the lower identity is
 *     refused, on a path with a PUT/PATCH/POST in the spec: the write sent
 *     as the lower identity and accepted is bfla.method-gap;
 *   - routes absent from the spec under its API prefix ("/api/v1/admin",
 *     /internal, /management, /actuator) answered to the lower identity
 *     (--as2): bfla.undocumented-route.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "../core/core_alloc.h"
#include "../scan/scan.h"
#include "../scan/scan_jwt.h"
#include "check.h"

extern const struct wd_check check_bfla;

enum { R_ADMIN, R_GAP, R_UNDOC };

static const struct wd_rule bf_rules[] = {
  [R_ADMIN] = {
    .id = "bfla.admin-route", .severity = WD_SEV_HIGH, .category = WD_CAT_BFLA,
    .owasp = "API5:2023", .cwe = 285,
    .title = "Admin function answered to the lower identity",
    .summary = "A route the spec marks as an admin function (tags, operationId, summary, path) answers the second, lower identity (--as2) with data",
    .remediation = "Check the caller's role or scope in every admin handler (or the admin group's middleware), and answer 403 to other identities.",
  },
  [R_GAP] = {
    .id = "bfla.method-gap", .severity = WD_SEV_HIGH, .category = WD_CAT_BFLA,
    .owasp = "API5:2023", .cwe = 285,
    .title = "Write method allowed where reading is refused",
    .summary = "(--active) The lower identity's GET is refused, but the spec's PUT/PATCH/POST on the same route is accepted from it",
    .remediation = "Apply the same authorization to every method of a route (a group middleware, not a check inside the GET handler only).",
  },
  [R_UNDOC] = {
    .id = "bfla.undocumented-route", .severity = WD_SEV_MEDIUM, .category = WD_CAT_BFLA,
    .owasp = "API5:2023", .cwe = 285,
    .title = "Undocumented admin route answered",
    .summary = "A route absent from the spec under its API prefix (admin, internal, management, actuator) answers the lower identity",
    .remediation = "Remove forgotten internal or admin routes from the public API, or put them behind the same role check as the documented admin functions.",
  },
};

static const char *const bf_words[] = {"admin", "internal", "management", "manage", "staff",
                                       "superuser", NULL};
static const char *const bf_undoc[] = {"admin", "internal", "management", "actuator", NULL};

#define BF_MAX 32
enum { TAG_AS2 = 1, TAG_GAP, TAG_UNDOC };

struct bf_group {
  const struct spec_op *op;
  long main_status;
  int admin;               /* an admin function (else only a method-gap probe) */
};

/* The routes worth asking as --as2 are fixed from the spec alone, at the
 * first answer on a spec route: its GET operations without a parameter
 * in the path that are admin functions (or, --active, that the spec also
 * writes), the first BF_MAX in the spec's order. So which routes are
 * asked does not depend on the order identity 1's answers came in. */
struct bf_state {
  struct bf_group g[BF_MAX];
  size_t n;
  int fixed;               /* g[].op and n are set */
  int jwt_main;            /* the JWT check judges admin-named paths */
  char undoc[4][160];      /* the paths probed for undocumented routes */
  size_t nundoc;
  enum probe_ident undoc_id;
};

static int bf_has_word(const char *s)
{
  for(size_t i = 0; s && bf_words[i]; i++)
    if(strcasestr(s, bf_words[i]))
      return 1;
  return 0;
}

/* A path segment that names an admin function. */
static int bf_path_admin(const char *path)
{
  for(size_t i = 0; bf_words[i]; i++) {
    size_t n = strlen(bf_words[i]);
    for(const char *h = path; (h = strcasestr(h, bf_words[i])); h++)
      if(h > path && h[-1] == '/' && (h[n] == '/' || h[n] == '\0'))
        return 1;
  }
  return strcasestr(path, "admin") != NULL;
}

/* The spec's own words for an operation: its tags, operationId and
 * summary. */
static int bf_spec_admin(const struct spec_op *op)
{
  for(size_t i = 0; i < op->ntags; i++)
    if(bf_has_word(op->tags[i]))
      return 1;
  return bf_has_word(op->operation_id) || bf_has_word(op->summary);
}

static void bf_init(struct scan *s, void *st)
{
  struct bf_state *b = st;
  const struct cred *c = &s->opts->cred;
  b->jwt_main = c->kind == CRED_BEARER && c->value && jwt_looks_like(c->value);
}

static const struct spec_op *bf_write_op(const struct scan *s, const char *path);

/* Whether op is one to ask as --as2: *admin says if as an admin function
 * (else only for a method-gap probe). */
static int bf_candidate(const struct scan *s, const struct bf_state *b,
                        const struct spec_op *op, int *admin)
{
  if(strcmp(op->method, "GET") || strchr(op->path, '{'))
    return 0;
  int by_spec = bf_spec_admin(op), by_path = bf_path_admin(op->path);
  /* Admin-named paths under a JWT are bfla.scope-not-enforced's. */
  *admin = (by_spec || by_path) && !(by_path && b->jwt_main);
  /* --active: any route identity 1 opens and the spec also writes is
   * worth a method-gap probe. */
  int gap = scan_active(s) && bf_write_op(s, op->path);
  return *admin || gap;
}

/* op's group, or NULL when op is not among the BF_MAX kept. */
static struct bf_group *bf_group(const struct scan *s, struct bf_state *b,
                                 const struct spec_op *op)
{
  if(!b->fixed) {
    b->fixed = 1;
    for(size_t i = 0; i < s->spec.n && b->n < BF_MAX; i++) {
      int admin;
      if(bf_candidate(s, b, &s->spec.ops[i], &admin))
        b->g[b->n++] = (struct bf_group){&s->spec.ops[i], 0, admin};
    }
  }
  for(size_t i = 0; i < b->n; i++)
    if(b->g[i].op == op)
      return &b->g[i];
  return NULL;
}

/* A small JSON object with an "error"/"message" key: a refusal in a 2xx. */
static int bf_error_body(struct scan *s, struct probe *p)
{
  if(p->x.body.len > 512)
    return 0;
  const json_t *d = scan_body_json(s, p);
  return json_is_object(d) && json_object_size(d) <= 3 &&
         (json_object_get(d, "error") || json_object_get(d, "errors") ||
          json_object_get(d, "message"));
}

static int bf_answers(struct scan *s, struct probe *p)
{
  return scan_is_hit(s, p) && p->x.body.len > 0 && !bf_error_body(s, p);
}

static const struct spec_op *bf_write_op(const struct scan *s, const char *path)
{
  static const char *const m[] = {"PATCH", "PUT", "POST", NULL};
  for(size_t k = 0; m[k]; k++)
    for(size_t i = 0; i < s->spec.n; i++)
      if(!strcmp(s->spec.ops[i].path, path) && !strcmp(s->spec.ops[i].method, m[k]))
        return &s->spec.ops[i];
  return NULL;
}

static void bf_judge_own(struct scan *s, struct bf_state *b, struct probe *p)
{
  int kind = p->tag % 4;
  size_t i = (size_t)p->tag / 4;
  char ev[400];
  if(kind == TAG_UNDOC) {
    scan_ran(s, &bf_rules[R_UNDOC]);
    if(i < b->nundoc && bf_answers(s, p)) {
      snprintf(ev, sizeof(ev), "%s is in no operation of the spec; as %s: %ld with %zu bytes",
               b->undoc[i], b->undoc_id == ID_AS2 ? "the --as2 identity" : "no credential",
               p->x.status, p->x.body.len);
      scan_flag(s, p, &bf_rules[R_UNDOC], b->undoc_id == ID_NONE ? WD_SEV_HIGH : -1, NULL, ev,
                0, 0, b->undoc[i]);
    }
    return;
  }
  if(i >= b->n)
    return;
  struct bf_group *g = &b->g[i];
  if(kind == TAG_AS2) {
    if(g->admin)
      scan_ran(s, &bf_rules[R_ADMIN]);
    if(g->admin && bf_answers(s, p)) {
      snprintf(ev, sizeof(ev), "admin function %s (%s%s%s): identity 1 -> %ld, --as2 identity "
               "-> %ld with %zu bytes", g->op->path, g->op->operation_id ? "operationId " : "path",
               g->op->operation_id ? g->op->operation_id : "", g->op->ntags ? ", tagged" : "",
               g->main_status, p->x.status, p->x.body.len);
      scan_flag(s, p, &bf_rules[R_ADMIN], -1, NULL, ev, 0, 0, g->op->path);
    } else if(p->x.status == 401 || p->x.status == 403) {
      const struct spec_op *w = scan_active(s) ? bf_write_op(s, g->op->path) : NULL;
      if(w) {
        const char *body = "{}";
        scan_queue_body(s, w->method, g->op->path, "application/json", body, strlen(body),
                        PROBE_FOLLOWUP, &check_bfla, (int)i * 4 + TAG_GAP, ID_AS2, NULL, NULL);
      }
    }
  } else if(kind == TAG_GAP) {
    scan_ran(s, &bf_rules[R_GAP]);
    if(p->x.status >= 200 && p->x.status < 300 && !bf_error_body(s, p)) {
      snprintf(ev, sizeof(ev), "GET %s as --as2 -> refused, %s %s as --as2 -> %ld",
               g->op->path, p->x.method, g->op->path, p->x.status);
      scan_flag(s, p, &bf_rules[R_GAP], -1, NULL, ev, 0, 0, g->op->path);
    }
  }
}

static void bf_judge(struct scan *s, void *st, struct probe *p)
{
  struct bf_state *b = st;
  if(!http_answered(&p->x))
    return;
  if(p->origin == &check_bfla) {
    bf_judge_own(s, b, p);
    return;
  }
  /* Identity 1 opens an admin function of the spec: ask as identity 2.
   * Only the scan's own request of the route (and where it redirects)
   * counts, so the status shown is the same whatever answered first. */
  const struct spec_op *op = p->op;
  if(s->opts->as2.kind == CRED_NONE || !op || p->origin || !(p->flags & PROBE_SPEC) ||
     p->ident != ID_MAIN || !scan_has_cred(s) || strcmp(p->x.method, "GET") ||
     (p->flags & PROBE_ERROR) || !scan_is_hit(s, p))
    return;
  struct bf_group *g = bf_group(s, b, op);
  if(!g || g->main_status)
    return;
  g->main_status = p->x.status;
  scan_queue_as(s, "GET", op->path, PROBE_FOLLOWUP, &check_bfla,
                (int)(g - b->g) * 4 + TAG_AS2, ID_AS2, NULL, NULL);
}

/* The spec's API prefix: the path segments every operation shares. */
static size_t bf_prefix(const struct scan *s, char *out, size_t outlen)
{
  if(!s->spec.n)
    return 0;
  const char *first = s->spec.ops[0].path;
  size_t n = strlen(first);
  for(size_t i = 1; i < s->spec.n; i++) {
    const char *p = s->spec.ops[i].path;
    size_t k = 0;
    while(k < n && p[k] == first[k])
      k++;
    n = k;
  }
  while(n > 0 && first[n - 1] != '/')
    n--;
  while(n > 0 && first[n - 1] == '/')
    n--;
  if(n == 0 || n >= outlen)
    return 0;
  memcpy(out, first, n);
  out[n] = '\0';
  return n;
}

static void bf_plan_late(struct scan *s, void *st)
{
  struct bf_state *b = st;
  char prefix[128];
  if(!s->have_spec || s->opts->as2.kind == CRED_NONE || !bf_prefix(s, prefix, sizeof(prefix)))
    return;
  b->undoc_id = ID_AS2;
  for(size_t i = 0; bf_undoc[i] && b->nundoc < 4; i++) {
    char path[160];
    snprintf(path, sizeof(path), "%s/%s", prefix, bf_undoc[i]);
    int known = 0;
    for(size_t j = 0; j < s->spec.n && !known; j++)
      known = !strncmp(s->spec.ops[j].path, path, strlen(path));
    if(known)
      continue;
    if(scan_queue_as(s, "GET", path, PROBE_FOLLOWUP, &check_bfla,
                     (int)b->nundoc * 4 + TAG_UNDOC, b->undoc_id, NULL, NULL))
      snprintf(b->undoc[b->nundoc++], sizeof(b->undoc[0]), "%s", path);
  }
}

const struct wd_check check_bfla = {
  .name = "bfla",
  .summary = "API5: admin functions (spec tags, operationId, path) answered to the lower identity (--as2), undocumented admin routes under the API prefix, write methods allowed where GET is refused (--active)",
  .rules = bf_rules,
  .nrules = ARRAY_LEN(bf_rules),
  .state_size = sizeof(struct bf_state),
  .init = bf_init,
  .judge = bf_judge,
  .plan_late = bf_plan_late,
};
