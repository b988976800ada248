/*
 * chk_property.c - API3, broken object property-level authorization.
 *
 * Excessive data exposure: every 2xx JSON answer is walked (bounded depth
 * and size) for properties a client should never get: password hashes
 * (bcrypt, argon2, scrypt/yescrypt, sha-crypt, md5-crypt, PBKDF2 by
 * format, or a password-named property with a value), secrets by name
 * (core_mask's rule; values core_mask already recognises by format are
 * the data check's), and internal properties: internal_* anywhere, and
 * authorization flags (is_admin, role, permissions) of the accounts in a
 * list (objects with a username, e-mail or user id: other people's; the
 * caller's own role is its to know). One
 * finding per property and route. With a spec that declares the 2xx
 * response's properties, a finding on an undeclared one says so, and the
 * other undeclared properties are an inventory note.
 *
 * Mass assignment, with --active only: for each route the spec lets one
 * read (GET) and change (PATCH, else PUT) without a path parameter, the
 * lower identity (--as2, else the user's) reads the object, sends it back
 * with privileged properties added (role "admin", is_admin true), and
 * reads it again: a property that now holds the value sent, and did not
 * before, was bound from the request. Whatever the write changed is then
 * put back (PUT: the object as read before; PATCH: the changed
 * properties with their values before, null for those that were absent)
 * and read back once more; a report note says what was restored, or
 * that it could not be and must be set back by hand. The restore is a
 * write like the others: listed in the report, within --max-writes.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../core/core_alloc.h"
#include "../scan/scan.h"
#include "check.h"

enum { R_HASH, R_SECRET, R_INTERNAL, R_MASS };

static const struct wd_rule pr_rules[] = {
  [R_HASH] = {
    .id = "property.password-hash", .severity = WD_SEV_HIGH, .category = WD_CAT_PROPERTY,
    .owasp = "API3:2023", .cwe = 213,
    .title = "Password hash returned by the API",
    .summary = "A JSON answer holds a password hash (bcrypt, argon2, scrypt, sha-crypt, PBKDF2 by format) or a password-named property with a value",
    .remediation = "Serialize responses from an explicit allow-list of fields (a response DTO), never the stored record: a password hash can be cracked offline.",
  },
  [R_SECRET] = {
    .id = "property.secret-field", .severity = WD_SEV_HIGH, .category = WD_CAT_PROPERTY,
    .owasp = "API3:2023", .cwe = 213,
    .title = "Secret-named property returned by the API",
    .summary = "A JSON answer holds a property named like a secret (secret, token, api_key, private_key, ...) with a value",
    .remediation = "Leave secrets out of response objects (an allow-list of fields per route) and rotate the ones that were returned.",
  },
  [R_INTERNAL] = {
    .id = "property.internal-field", .severity = WD_SEV_MEDIUM, .category = WD_CAT_PROPERTY,
    .owasp = "API3:2023", .cwe = 213,
    .title = "Internal property returned by the API",
    .summary = "A JSON answer holds internal bookkeeping properties (internal_*), or the authorization flags (is_admin, role, permissions) of the objects in a list",
    .remediation = "Return only the properties the client needs; keep authorization flags and internal notes server-side.",
  },
  [R_MASS] = {
    .id = "property.mass-assignment", .severity = WD_SEV_HIGH, .category = WD_CAT_PROPERTY,
    .owasp = "API3:2023", .cwe = 915,
    .title = "Mass assignment: a privileged property is bound from the request",
    .summary = "(--active) A write with role/is_admin added to the object changed them: the server binds every property of the request",
    .remediation = "Bind requests to a type that lists the properties a client may set (or an allow-list), and ignore or refuse the others.",
  },
};

extern const struct wd_check check_property;

#define PR_MAX_NODES 4000
#define PR_MAX_DEPTH 8
#define PR_MAX_MASS 8

/* The privileged properties mass assignment sends. */
static const struct { const char *name; int is_bool; } pr_priv[] = {
  {"role", 0}, {"is_admin", 1}, {"isAdmin", 1},
};
#define PR_NPRIV (sizeof(pr_priv) / sizeof(pr_priv[0]))

enum { TAG_BEFORE = 1, TAG_WRITE, TAG_AFTER, TAG_RESTORE, TAG_CHECK };
#define PR_TAGS 8 /* tag = attempt * PR_TAGS + step */

/* One mass-assignment attempt: a route read, written, read again. */
struct pr_mass {
  const struct spec_op *get, *write; /* borrowed from the spec */
  int before_known;
  char *before[PR_NPRIV];  /* the values before, as JSON text (NULL: absent) */
  char *obj;               /* the object read before (JSON), to send back */
  int done;
  char changed[160];       /* the properties the write changed, to restore */
};

#define PR_MAX_NOTED 32

/* An inventory note, said in finish: over PR_MAX_NOTED, the first in the
 * spec's order are kept, whatever order the answers came in. */
struct pr_noted {
  const struct spec_op *op; /* borrowed from the spec */
  size_t n;                 /* undeclared properties */
  char list[300];
};

struct pr_state {
  struct pr_noted noted[PR_MAX_NOTED]; /* sorted by op (the spec's order) */
  size_t nnoted;
  struct pr_mass mass[PR_MAX_MASS];
  size_t nmass;
  enum probe_ident ident;
};

static void pr_cleanup(void *st)
{
  struct pr_state *ps = st;
  for(size_t i = 0; i < ps->nmass; i++) {
    for(size_t k = 0; k < PR_NPRIV; k++)
      free(ps->mass[i].before[k]);
    free(ps->mass[i].obj);
  }
}

/* "$2b$10$" + 53: bcrypt; "$argon2id$v=19$m=...": argon2; "$scrypt$",
 * "$7$", "$y$": scrypt and yescrypt; "$5$"/"$6$": sha-crypt; "$1$":
 * md5-crypt; PBKDF2 as Django, Werkzeug and passlib write it. */
static const char *pr_hash_kind(const char *v)
{
  size_t n = strlen(v);
  if(n == 60 && v[0] == '$' && v[1] == '2' && strchr("abxy", v[2]) && v[3] == '$' &&
     v[4] >= '0' && v[4] <= '9' && v[5] >= '0' && v[5] <= '9' && v[6] == '$') {
    for(size_t i = 7; i < n; i++)
      if(!(isalnum((unsigned char)v[i]) || v[i] == '.' || v[i] == '/'))
        return NULL;
    return "bcrypt";
  }
  if(!strncmp(v, "$argon2", 7) && (strstr(v, "$m=") || strstr(v, "$v=")))
    return "argon2";
  if((!strncmp(v, "$scrypt$", 8) || !strncmp(v, "$7$", 3) || !strncmp(v, "$y$", 3)) && n >= 30)
    return "scrypt";
  if((!strncmp(v, "$5$", 3) || !strncmp(v, "$6$", 3) || !strncmp(v, "$1$", 3)) && n >= 30) {
    const char *last = strrchr(v, '$');
    size_t hl = strlen(last + 1);
    if(hl == 43 || hl == 86 || hl == 22)
      return v[1] == '1' ? "md5-crypt" : "sha-crypt";
  }
  if(!strncmp(v, "pbkdf2_sha", 10) || !strncmp(v, "pbkdf2:sha", 10) ||
     !strncmp(v, "$pbkdf2", 7))
    return "pbkdf2";
  return NULL;
}

/* A property name, lower case without '_' and '-'. */
static void pr_norm(const char *k, char *out, size_t outlen)
{
  size_t j = 0;
  for(; *k && j + 1 < outlen; k++)
    if(*k != '_' && *k != '-')
      out[j++] = (char)tolower((unsigned char)*k);
  out[j] = '\0';
}

static int pr_password_name(const char *norm)
{
  return strstr(norm, "password") || strstr(norm, "passwd") || !strcmp(norm, "pwdhash") ||
         !strcmp(norm, "passhash") || !strcmp(norm, "hashedpwd");
}

/* Internal bookkeeping (internal_*, *_internal) anywhere; authorization
 * flags (is_admin, role, permissions) in a list, where they are other
 * people's: a caller's own role in /me or whoami is its to know. */
static int pr_internal_name(const char *key, const char *norm, int in_list)
{
  static const char *const names[] = {"isadmin", "admin", "issuperuser", "superuser", "isstaff",
                                      "role", "roles", "permissions", NULL};
  for(size_t i = 0; names[i] && in_list; i++)
    if(!strcmp(norm, names[i]))
      return 1;
  return !strncmp(norm, "internal", 8) || !strncmp(key, "_internal", 9) ||
         (strlen(norm) > 8 && !strcmp(norm + strlen(norm) - 8, "internal"));
}

/* An object that describes an account (a username, e-mail or user id
 * next to the flags): a chat message's "role" is not an authorization
 * flag. */
static int pr_is_account(json_t *o)
{
  static const char *const k[] = {"username", "user_name", "login", "email", "user_id",
                                  "userId", NULL};
  for(size_t i = 0; k[i]; i++)
    if(json_object_get(o, k[i]))
      return 1;
  return 0;
}

static int pr_not_secret(const char *norm)
{
  static const char *const w[] = {"csrf", "page", "cursor", "next", "expire", "count", NULL};
  for(size_t i = 0; w[i]; i++)
    if(strstr(norm, w[i]))
      return 1;
  return 0;
}

static int pr_is_given(const struct scan *s, const char *v)
{
  return (s->opts->cred.value && !strcmp(v, s->opts->cred.value)) ||
         (s->opts->as2.value && !strcmp(v, s->opts->as2.value));
}

/* 1 when the spec declares the 2xx response's properties and key is not
 * among them. */
static int pr_undeclared(const struct probe *p, const char *key)
{
  if(!p->op || !p->op->resp_props_known)
    return 0;
  for(size_t i = 0; i < p->op->nresp_props; i++)
    if(!strcmp(p->op->resp_props[i], key))
      return 0;
  return 1;
}

static void pr_flag(struct scan *s, struct probe *p, int rule, const char *key, const char *ev0)
{
  char ev[400];
  snprintf(ev, sizeof(ev), "%s%s", ev0,
           pr_undeclared(p, key) ? "; not declared in the spec's response schema" : "");
  char dd[300];
  snprintf(dd, sizeof(dd), "%s %s", key, p->op ? p->op->path : p->path);
  char title[200];
  snprintf(title, sizeof(title), "%s: \"%s\"", pr_rules[rule].title, key);
  scan_flag(s, p, &pr_rules[rule], -1, title, ev, 0, 0, dd);
}

static void pr_walk(struct scan *s, struct probe *p, json_t *v, int depth, int in_list,
                    size_t *nodes)
{
  if(depth > PR_MAX_DEPTH || ++*nodes > PR_MAX_NODES)
    return;
  if(json_is_array(v)) {
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x) {
      if(i >= 200)
        break;
      pr_walk(s, p, x, depth + 1, 1, nodes);
    }
    return;
  }
  if(!json_is_object(v))
    return;
  const char *key;
  json_t *x;
  json_object_foreach(v, key, x) {
    char norm[80], ev[300];
    pr_norm(key, norm, sizeof(norm));
    const char *str = json_string_value(x);
    const char *hk = str ? pr_hash_kind(str) : NULL;
    if(hk) {
      snprintf(ev, sizeof(ev), "%s hash in \"%s\" (value %s)", hk, key, MASK_STARS);
      pr_flag(s, p, R_HASH, key, ev);
    } else if(str && str[0] && pr_password_name(norm)) {
      snprintf(ev, sizeof(ev), "a password-named property with a value: \"%s\" (value %s)", key,
               MASK_STARS);
      pr_flag(s, p, R_HASH, key, ev);
    } else if(str && strlen(str) >= 8 && mask_is_secret_name(key, strlen(key)) &&
              !pr_not_secret(norm) && !pr_is_given(s, str) &&
              mask_find(str, strlen(str), NULL, 0) == 0) {
      snprintf(ev, sizeof(ev), "a secret-named property with a value: \"%s\" (value %s)", key,
               MASK_STARS);
      pr_flag(s, p, R_SECRET, key, ev);
    } else if(!json_is_null(x) && pr_internal_name(key, norm, in_list && pr_is_account(v))) {
      char *val = json_dumps(x, JSON_ENCODE_ANY | JSON_COMPACT);
      snprintf(ev, sizeof(ev), "\"%s\": %.60s", key, val ? val : "?");
      free(val);
      pr_flag(s, p, R_INTERNAL, key, ev);
    }
    if(json_is_object(x) || json_is_array(x))
      pr_walk(s, p, x, depth + 1, in_list, nodes);
  }
}

/* A JSON answer's body, parsed once by the scan; borrowed (never
 * decref'd). jansson's object iterator takes a non-const object: the
 * walks only read it. */
static json_t *pr_json(struct scan *s, struct probe *p)
{
  char ct[128];
  if(!http_header(&p->x, "Content-Type", 0, ct, sizeof(ct)) || !strstr(ct, "json"))
    return NULL;
  return (json_t *)scan_body_json(s, p);
}

/* ---- mass assignment ---------------------------------------------------- */

static void pr_plan_late(struct scan *s, void *st)
{
  struct pr_state *ps = st;
  if(!scan_active(s) || !s->have_spec)
    return;
  ps->ident = s->opts->as2.kind != CRED_NONE ? ID_AS2 : ID_MAIN;
  for(size_t i = 0; i < s->spec.n && ps->nmass < PR_MAX_MASS; i++) {
    const struct spec_op *g = &s->spec.ops[i];
    if(strcmp(g->method, "GET") || strchr(g->path, '{'))
      continue;
    const struct spec_op *w = NULL;
    for(size_t j = 0; j < s->spec.n; j++) {
      const struct spec_op *o = &s->spec.ops[j];
      if(!strcmp(o->path, g->path) && (!strcmp(o->method, "PATCH") ||
                                       (!strcmp(o->method, "PUT") && !w)))
        w = o;
    }
    if(!w)
      continue;
    struct pr_mass *m = &ps->mass[ps->nmass];
    memset(m, 0, sizeof(*m));
    m->get = g;
    m->write = w;
    /* A query the route ignores: the read is this check's own, never
     * taken for a repeat of another check's. */
    char *u = xasprintf("%s?warden-before=1", g->path);
    if(scan_queue_as(s, "GET", u, PROBE_FOLLOWUP, &check_property,
                     (int)(ps->nmass * PR_TAGS + TAG_BEFORE), ps->ident, NULL, NULL))
      ps->nmass++;
    free(u);
  }
}

static char *pr_prop(json_t *o, const char *name)
{
  json_t *x = json_object_get(o, name);
  return x ? json_dumps(x, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
}

/* Puts back what the mass-assignment write changed (m->changed). */
static void pr_restore(struct scan *s, struct pr_state *ps, size_t i, json_t *after)
{
  struct pr_mass *m = &ps->mass[i];
  json_t *body = NULL;
  if(!strcmp(m->write->method, "PUT")) {
    body = m->obj ? json_loads(m->obj, 0, NULL) : NULL;
  } else {
    body = json_object();
    for(size_t k = 0; k < PR_NPRIV; k++) {
      char *a = pr_prop(after, pr_priv[k].name);
      int same = (!a && !m->before[k]) || (a && m->before[k] && !strcmp(a, m->before[k]));
      free(a);
      if(!same)
        json_object_set_new(body, pr_priv[k].name,
                            m->before[k] ? json_loads(m->before[k], JSON_DECODE_ANY, NULL)
                                         : json_null());
    }
  }
  char *b = body ? json_dumps(body, JSON_COMPACT) : NULL;
  json_decref(body);
  struct probe *q = b ? scan_queue_body(s, m->write->method, m->write->path, "application/json",
                                        b, strlen(b), PROBE_FOLLOWUP, &check_property,
                                        (int)(i * PR_TAGS + TAG_RESTORE), ps->ident, NULL, NULL)
                      : NULL;
  free(b);
  if(!q)
    report_note(&s->rep, "mass assignment: %s %s changed %s, which could not be restored (%s): "
                "set them back by hand", m->write->method, m->write->path, m->changed,
                scan_writes_left(s) <= 0 ? "the --max-writes budget was spent"
                                         : "the write could not be queued");
}

static void pr_mass_judge(struct scan *s, struct pr_state *ps, struct probe *p)
{
  size_t i = (size_t)p->tag / PR_TAGS;
  int step = p->tag % PR_TAGS;
  if(i >= ps->nmass)
    return;
  struct pr_mass *m = &ps->mass[i];
  json_t *doc = scan_is_hit(s, p) ? pr_json(s, p) : NULL;
  if(step == TAG_BEFORE) {
    if(!json_is_object(doc))
      return;
    m->before_known = 1;
    for(size_t k = 0; k < PR_NPRIV; k++)
      m->before[k] = pr_prop(doc, pr_priv[k].name);
    m->obj = json_dumps(doc, JSON_COMPACT);
    /* PUT replaces: send the object back whole, privileged props added.
     * PATCH: the added properties alone. */
    json_t *body = !strcmp(m->write->method, "PUT") ? json_deep_copy(doc) : json_object();
    for(size_t k = 0; k < PR_NPRIV; k++)
      json_object_set_new(body, pr_priv[k].name,
                          pr_priv[k].is_bool ? json_true() : json_string("admin"));
    char *b = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    if(b)
      scan_queue_body(s, m->write->method, m->write->path, "application/json", b, strlen(b),
                      PROBE_FOLLOWUP, &check_property, (int)(i * PR_TAGS + TAG_WRITE),
                      ps->ident, NULL, NULL);
    free(b);
  } else if(step == TAG_WRITE || step == TAG_RESTORE) {
    if(p->x.status >= 200 && p->x.status < 300) {
      /* Read back (a query the route ignores, so it is not a repeat). */
      char *u = xasprintf("%s?warden-%s=1", m->get->path,
                          step == TAG_WRITE ? "readback" : "restored");
      scan_queue_as(s, "GET", u, PROBE_FOLLOWUP, &check_property,
                    (int)(i * PR_TAGS + (step == TAG_WRITE ? TAG_AFTER : TAG_CHECK)), ps->ident,
                    NULL, NULL);
      free(u);
    } else if(step == TAG_RESTORE) {
      report_note(&s->rep, "mass assignment: the restore %s %s of %s was answered %ld: set them "
                  "back by hand", m->write->method, m->write->path, m->changed,
                  http_answered(&p->x) ? p->x.status : 0L);
    }
  } else if(step == TAG_AFTER && json_is_object(doc) && m->before_known && !m->done) {
    scan_ran(s, &pr_rules[R_MASS]);
    char ev[400] = "";
    size_t len = 0, clen = 0;
    for(size_t k = 0; k < PR_NPRIV; k++) {
      char *after = pr_prop(doc, pr_priv[k].name);
      const char *sent = pr_priv[k].is_bool ? "true" : "\"admin\"";
      if(after && !strcmp(after, sent) && (!m->before[k] || strcmp(m->before[k], sent)))
        len += (size_t)snprintf(ev + len, len < sizeof(ev) ? sizeof(ev) - len : 0,
                                "%s\"%s\": %s -> %s", len ? ", " : "", pr_priv[k].name,
                                m->before[k] ? m->before[k] : "(absent)", after);
      if(!((!after && !m->before[k]) || (after && m->before[k] && !strcmp(after, m->before[k]))))
        clen += (size_t)snprintf(m->changed + clen,
                                 clen < sizeof(m->changed) ? sizeof(m->changed) - clen : 0,
                                 "%s%s", clen ? ", " : "", pr_priv[k].name);
      free(after);
      if(len >= sizeof(ev))
        len = sizeof(ev) - 1;
      if(clen >= sizeof(m->changed))
        clen = sizeof(m->changed) - 1;
    }
    m->done = 1;
    if(len) {
      char text[600];
      snprintf(text, sizeof(text), "%s %s with the privileged properties added, then GET: %s",
               m->write->method, m->write->path, ev);
      scan_flag(s, p, &pr_rules[R_MASS], -1, NULL, text, 0, 0, m->get->path);
    }
    if(clen)
      pr_restore(s, ps, i, doc);
  } else if(step == TAG_CHECK) {
    int back = json_is_object(doc);
    for(size_t k = 0; k < PR_NPRIV && back; k++) {
      char *a = pr_prop(doc, pr_priv[k].name);
      back = (!a && !m->before[k]) || (a && m->before[k] && !strcmp(a, m->before[k])) ||
             (a && !m->before[k] && !strcmp(a, "null"));
      free(a);
    }
    if(back)
      report_note(&s->rep, "mass assignment: restored %s on %s to their values before the test "
                  "(%s %s, then read back)", m->changed, m->get->path, m->write->method,
                  m->write->path);
    else
      report_note(&s->rep, "mass assignment: the restore %s %s of %s was accepted but the read "
                  "back differs from the values before: set them back by hand",
                  m->write->method, m->write->path, m->changed);
  }
}

/* Properties the answer has and the spec's response schema does not
 * declare, top level (or the first item of a list): an inventory note,
 * once per operation, said in finish (the sensitive ones are findings,
 * which say it). */
static void pr_inventory(struct pr_state *ps, struct probe *p, json_t *doc)
{
  /* The scan's own request of the operation, not another check's (a
   * malformed value, a page size): one answer per operation, so the note
   * does not depend on which came first. */
  if(!p->op || !p->op->resp_props_known || p->ident != ID_MAIN || strcmp(p->x.method, "GET") ||
     p->origin || !(p->flags & PROBE_SPEC) || (p->flags & PROBE_ERROR))
    return;
  size_t pos = 0;
  for(; pos < ps->nnoted && ps->noted[pos].op <= p->op; pos++)
    if(ps->noted[pos].op == p->op)
      return;
  if(pos >= PR_MAX_NOTED)
    return;
  json_t *o = json_is_array(doc) ? json_array_get(doc, 0) : doc;
  if(!json_is_object(o))
    return;
  char list[300] = "";
  size_t len = 0, n = 0;
  const char *key;
  json_t *x;
  json_object_foreach(o, key, x) {
    if(!pr_undeclared(p, key))
      continue;
    n++;
    if(len < sizeof(list))
      len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", len ? ", " : "", key);
  }
  (void)x;
  if(!n)
    return;
  if(ps->nnoted == PR_MAX_NOTED)
    ps->nnoted--;
  memmove(&ps->noted[pos + 1], &ps->noted[pos], (ps->nnoted - pos) * sizeof(ps->noted[0]));
  ps->noted[pos].op = p->op;
  ps->noted[pos].n = n;
  memcpy(ps->noted[pos].list, list, sizeof(list));
  ps->nnoted++;
}

static void pr_finish(struct scan *s, void *st)
{
  struct pr_state *ps = st;
  for(size_t i = 0; i < ps->nnoted; i++) {
    const struct pr_noted *x = &ps->noted[i];
    report_note(&s->rep, "inventory: GET %s answers %zu propert%s its spec's response schema "
                "does not declare: %s", x->op->path, x->n, x->n == 1 ? "y" : "ies", x->list);
  }
}

static void pr_judge(struct scan *s, void *st, struct probe *p)
{
  struct pr_state *ps = st;
  if(!http_answered(&p->x))
    return;
  if(p->origin == &check_property) {
    pr_mass_judge(s, ps, p);
    return;
  }
  if(p->ident == ID_WRONG || p->ident == ID_CUSTOM || !scan_is_hit(s, p) ||
     (p->flags & (PROBE_SPECFIND | PROBE_BASELINE)) || p->claimed)
    return;
  json_t *doc = pr_json(s, p);
  if(!doc)
    return;
  size_t nodes = 0;
  if(!json_object_get(doc, "openapi") && !json_object_get(doc, "swagger")) {
    scan_ran(s, &pr_rules[R_HASH]);
    scan_ran(s, &pr_rules[R_SECRET]);
    scan_ran(s, &pr_rules[R_INTERNAL]);
    pr_walk(s, p, doc, 0, 0, &nodes);
    pr_inventory(ps, p, doc);
  }
}

const struct wd_check check_property = {
  .name = "property",
  .summary = "API3: password hashes, secrets and internal flags in answers; mass assignment (--active)",
  .rules = pr_rules,
  .nrules = ARRAY_LEN(pr_rules),
  .state_size = sizeof(struct pr_state),
  .cleanup = pr_cleanup,
  .judge = pr_judge,
  .plan_late = pr_plan_late,
  .finish = pr_finish,
};
