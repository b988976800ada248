/*
 * chk_bola.c - API1, broken object-level authorization (BOLA/IDOR).
 *
 * Objects: the spec's object routes (a GET whose last segment is a path
 * parameter, "/orders/{orderId}") are fed with the ids identity 1 (the
 * user's credential) sees on the matching list route ("/orders") and,
 * with --active, in the answers to its own POSTs there. Each object is
 * then requested (plan_late) as identity 1, as identity 2 (--as2) and
 * with no credential:
 *   - identity 2 getting identity 1's object (a 2xx whose id is the
 *     object's and whose content, or owner field, is what identity 1
 *     got) is bola.object-read-by-other, unless the answer without any
 *     credential is the same object (a public object, not a finding);
 *   - with --active, identity 2's PATCH (or PUT) of an object identity 1
 *     created answered 2xx: bola.object-write-by-other.
 * With one identity only: the numeric ids next to identity 1's own
 * (id +-1, +-2) are requested as identity 1, and an answer whose owner
 * field (user_id, owner, email, account, ...) differs from identity 1's
 * is bola.adjacent-object. Sequential numeric ids on a secured object
 * route whose objects have an owner (someone's data, not a catalogue)
 * are bola.sequential-ids (low) on their own.
 *
 * Bodies are read only in judge; what a later judgement needs (status,
 * id, a hash of the object, its owner value) is copied into the state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "check.h"

extern const struct wd_check check_bola;

enum { R_READ, R_WRITE, R_ADJ, R_SEQ };

static const struct wd_rule bo_rules[] = {
  [R_READ] = {
    .id = "bola.object-read-by-other", .severity = WD_SEV_HIGH, .category = WD_CAT_BOLA,
    .owasp = "API1:2023", .cwe = 639,
    .title = "Another user's object is returned (BOLA)",
    .summary = "The second identity (--as2) gets an object of the first identity's (same id, same content) that is not public",
    .remediation = "Authorize every object access on the server: load the object, compare its owner (or ACL) with the authenticated caller, and answer 404 when they differ.",
  },
  [R_WRITE] = {
    .id = "bola.object-write-by-other", .severity = WD_SEV_CRITICAL, .category = WD_CAT_BOLA,
    .owasp = "API1:2023", .cwe = 639,
    .title = "Another user's object can be changed (BOLA)",
    .summary = "(--active) The second identity's PATCH/PUT of an object the first identity created is accepted",
    .remediation = "Check the object's owner against the caller in every write handler (not only in reads), and answer 404 when they differ.",
  },
  [R_ADJ] = {
    .id = "bola.adjacent-object", .severity = WD_SEV_HIGH, .category = WD_CAT_BOLA,
    .owasp = "API1:2023", .cwe = 639,
    .title = "Objects of other owners reachable by changing the id (IDOR)",
    .summary = "An id next to one of the caller's own returns an object whose owner field is someone else",
    .remediation = "Authorize each object on its owner, not on the id being known; prefer random identifiers (UUIDs) so ids cannot be enumerated.",
  },
  [R_SEQ] = {
    .id = "bola.sequential-ids", .severity = WD_SEV_LOW, .category = WD_CAT_BOLA,
    .owasp = "API1:2023", .cwe = 330,
    .title = "Sequential object ids on a protected route",
    .summary = "A secured route's objects, which belong to someone (an owner field), carry small sequential numeric ids, which make enumeration trivial",
    .remediation = "Use random identifiers (UUIDv4 or similar) for objects exposed to clients, in addition to owner checks.",
  },
};

#define BO_MAX_OBJS 24
#define BO_PER_ROUTE 3
#define BO_MAX_ADJ 12

enum { W_MAIN, W_AS2, W_NONE, W_WRITE, W__N };
enum { TAG_OBJ = 0, TAG_ADJ = 1 };

struct bo_ans {
  int got;
  long status;
  int hit;              /* 2xx and not the soft-404 page */
  int same_id;          /* the object's id is in the answer */
  unsigned long long hash;
  char *owner;          /* the owner field's value, as JSON text */
};

struct bo_obj {
  const struct spec_op *op;   /* the object route; borrowed from the spec */
  char *id, *path;
  int created;
  int has_owner;              /* the object carried an owner field */
  int want;                   /* bit per W_ slot that was queued */
  struct bo_ans a[W__N];
  char *url[W__N], *method[W__N];
  int judged;
};

struct bo_adj {
  const struct spec_op *op;
  char *path, *url;
  long long id;
};

struct bo_state {
  struct bo_obj obj[BO_MAX_OBJS];
  size_t nobj;
  struct bo_adj adj[BO_MAX_ADJ];
  size_t nadj;
  char owner_key[32];   /* identity 1's owner field and value */
  char *owner_val;
  int adj_flagged, seq_checked;
};

static void bo_cleanup(void *st)
{
  struct bo_state *b = st;
  for(size_t i = 0; i < b->nobj; i++) {
    free(b->obj[i].id);
    free(b->obj[i].path);
    for(int k = 0; k < W__N; k++) {
      free(b->obj[i].a[k].owner);
      free(b->obj[i].url[k]);
      free(b->obj[i].method[k]);
    }
  }
  for(size_t i = 0; i < b->nadj; i++) {
    free(b->adj[i].path);
    free(b->adj[i].url);
  }
  free(b->owner_val);
}

static const char *const bo_owner_keys[] = {
  "owner_id", "ownerId", "user_id", "userId", "owner", "account_id", "accountId",
  "customer_id", "customerId", "account", "username", "email", NULL};

/* The object route under list path L: a GET "L/{x}" with that one
 * parameter. */
static const struct spec_op *bo_object_route(const struct scan *s, const char *list)
{
  size_t n = strlen(list);
  for(size_t i = 0; i < s->spec.n; i++) {
    const struct spec_op *o = &s->spec.ops[i];
    if(strcmp(o->method, "GET") || strncmp(o->path, list, n) || o->path[n] != '/' ||
       o->path[n + 1] != '{')
      continue;
    const char *close = strchr(o->path + n + 1, '}');
    if(close && close[1] == '\0')
      return o;
  }
  return NULL;
}

static const struct spec_op *bo_write_op(const struct scan *s, const char *path)
{
  const struct spec_op *w = NULL;
  for(size_t i = 0; i < s->spec.n; i++) {
    const struct spec_op *o = &s->spec.ops[i];
    if(!strcmp(o->path, path) && (!strcmp(o->method, "PATCH") || (!strcmp(o->method, "PUT") && !w)))
      w = o;
  }
  return w;
}

/* An object's id as text ("id", else "uuid"), or NULL. */
static char *bo_id(json_t *o)
{
  json_t *v = json_object_get(o, "id");
  if(!v)
    v = json_object_get(o, "uuid");
  if(json_is_integer(v))
    return xasprintf("%lld", (long long)json_integer_value(v));
  if(json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) <= 128 &&
     !strpbrk(json_string_value(v), "/?#% \r\n"))
    return xstrdup(json_string_value(v));
  return NULL;
}

static char *bo_fill(const char *tmpl, const char *value)
{
  const char *a = strrchr(tmpl, '{');
  return xasprintf("%.*s%s", (int)(a - tmpl), tmpl, value);
}

static void bo_add(struct scan *s, struct bo_state *b, const struct spec_op *op, json_t *o,
                   int created)
{
  char *id = bo_id(o);
  if(!id)
    return;
  size_t per = 0;
  for(size_t i = 0; i < b->nobj; i++) {
    if(b->obj[i].op == op && !strcmp(b->obj[i].id, id)) {
      /* The list may be answered after our POST and hold its object. */
      b->obj[i].created |= created;
      free(id);
      return;
    }
    per += b->obj[i].op == op;
  }
  if(b->nobj >= BO_MAX_OBJS || (per >= BO_PER_ROUTE && !created)) {
    free(id);
    return;
  }
  struct bo_obj *x = &b->obj[b->nobj++];
  memset(x, 0, sizeof(*x));
  x->op = op;
  x->id = id;
  x->path = bo_fill(op->path, id);
  x->created = created;
  for(size_t k = 0; bo_owner_keys[k] && !x->has_owner; k++)
    x->has_owner = json_object_get(o, bo_owner_keys[k]) != NULL;
  /* Identity 1's owner field: the first owner-like property of its own
   * objects. */
  if(!b->owner_val)
    for(size_t k = 0; bo_owner_keys[k]; k++) {
      json_t *v = json_object_get(o, bo_owner_keys[k]);
      if(v && (json_is_string(v) || json_is_integer(v))) {
        snprintf(b->owner_key, sizeof(b->owner_key), "%s", bo_owner_keys[k]);
        b->owner_val = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        break;
      }
    }
  (void)s;
}

/* A JSON answer's body, parsed once by the scan; borrowed (never
 * decref'd). jansson's iterators take non-const objects: this only
 * reads. */
static json_t *bo_json(struct scan *s, struct probe *p)
{
  char ct[128];
  if(!http_header(&p->x, "Content-Type", 0, ct, sizeof(ct)) || !strstr(ct, "json"))
    return NULL;
  return (json_t *)scan_body_json(s, p);
}

/* The array a list route answers: the body, or its items/data/results. */
static json_t *bo_list(json_t *doc)
{
  if(json_is_array(doc))
    return doc;
  static const char *const keys[] = {"items", "data", "results", "content", NULL};
  for(size_t i = 0; keys[i] && json_is_object(doc); i++)
    if(json_is_array(json_object_get(doc, keys[i])))
      return json_object_get(doc, keys[i]);
  return NULL;
}

/* Identity 1's answers on list routes (and its POSTs): objects to try. */
static void bo_collect(struct scan *s, struct bo_state *b, struct probe *p)
{
  if(!p->op || (p->flags & PROBE_ERROR) || strchr(p->op->path, '{') ||
     p->x.status < 200 || p->x.status > 299)
    return;
  int post = !strcmp(p->x.method, "POST");
  if(!post && (strcmp(p->x.method, "GET") || !scan_is_hit(s, p)))
    return;
  const struct spec_op *obj = bo_object_route(s, p->op->path);
  if(!obj)
    return;
  json_t *doc = bo_json(s, p);
  if(post && json_is_object(doc)) {
    bo_add(s, b, obj, doc, 1);
  } else if(!post) {
    json_t *arr = bo_list(doc), *o;
    size_t i;
    json_array_foreach(arr, i, o) {
      if(i >= 50)
        break;
      if(json_is_object(o))
        bo_add(s, b, obj, o, 0);
    }
  }
}

static void bo_queue(struct scan *s, struct bo_obj *x, int slot, int tag, const char *method,
                     enum probe_ident id, const char *body)
{
  struct probe *q = body ? scan_queue_body(s, method, x->path, "application/json", body,
                                           strlen(body), PROBE_FOLLOWUP, &check_bola, tag, id,
                                           NULL, NULL)
                         : scan_queue_as(s, method, x->path, PROBE_FOLLOWUP, &check_bola, tag,
                                         id, NULL, NULL);
  if(q) {
    x->want |= 1 << slot;
    x->url[slot] = xstrdup(q->x.url);
    x->method[slot] = xstrdup(method);
  }
}

static int bo_numeric(const char *id, long long *v)
{
  char *end;
  if(!*id || strlen(id) > 15)
    return 0;
  for(const char *c = id; *c; c++)
    if(*c < '0' || *c > '9')
      return 0;
  *v = strtoll(id, &end, 10);
  return 1;
}

static void bo_plan_late(struct scan *s, void *st)
{
  struct bo_state *b = st;
  int as2 = s->opts->as2.kind != CRED_NONE;
  for(size_t i = 0; i < b->nobj; i++) {
    struct bo_obj *x = &b->obj[i];
    int base = (int)i * 8;
    bo_queue(s, x, W_MAIN, base + W_MAIN, "GET", ID_MAIN, NULL);
    if(as2) {
      bo_queue(s, x, W_AS2, base + W_AS2, "GET", ID_AS2, NULL);
      bo_queue(s, x, W_NONE, base + W_NONE, "GET", ID_NONE, NULL);
      const struct spec_op *w = x->created && scan_active(s) ? bo_write_op(s, x->op->path) : NULL;
      if(w)
        bo_queue(s, x, W_WRITE, base + W_WRITE, w->method, ID_AS2, "{}");
    }
  }
  /* Sequential ids: two or more small numeric ids of identity 1's on a
   * secured route. */
  for(size_t i = 0; i < b->nobj && !b->seq_checked; i++) {
    const struct spec_op *op = b->obj[i].op;
    long long lo = 0, hi = 0, v;
    int n = 0;
    for(size_t j = 0; j < b->nobj; j++)
      if(b->obj[j].op == op && !b->obj[j].created && b->obj[j].has_owner &&
         bo_numeric(b->obj[j].id, &v)) {
        lo = n ? (v < lo ? v : lo) : v;
        hi = n ? (v > hi ? v : hi) : v;
        n++;
      }
    if(n < 2 || !op->secured)
      continue;
    b->seq_checked = 1;
    scan_ran(s, &bo_rules[R_SEQ]);
    if(hi - lo < 100L * n) {
      char ev[300], *url = xasprintf("%s%s", s->origin, op->path);
      snprintf(ev, sizeof(ev), "%d of the caller's objects on %s have numeric ids from %lld to %lld",
               n, op->path, lo, hi);
      scan_flag_at(s, &bo_rules[R_SEQ], -1, NULL, "GET", url, ev, op->path);
      free(url);
    }
  }
  /* One identity: the ids next to identity 1's own. */
  if(as2 || !b->owner_val)
    return;
  for(size_t i = 0; i < b->nobj && b->nadj < BO_MAX_ADJ; i++) {
    long long v;
    if(!bo_numeric(b->obj[i].id, &v))
      continue;
    static const int d[] = {1, -1, 2, -2};
    for(size_t k = 0; k < 4 && b->nadj < BO_MAX_ADJ; k++) {
      long long c = v + d[k];
      char idt[24];
      snprintf(idt, sizeof(idt), "%lld", c);
      int own = c < 0;
      for(size_t j = 0; j < b->nobj && !own; j++)
        own = b->obj[j].op == b->obj[i].op && !strcmp(b->obj[j].id, idt);
      if(own)
        continue;
      char *path = bo_fill(b->obj[i].op->path, idt);
      struct probe *q = scan_queue_as(s, "GET", path, PROBE_FOLLOWUP, &check_bola,
                                      (int)b->nadj * 8 + 8 * BO_MAX_OBJS, ID_MAIN, NULL, NULL);
      if(q) {
        struct bo_adj *a = &b->adj[b->nadj++];
        a->op = b->obj[i].op;
        a->path = path;
        a->url = xstrdup(q->x.url);
        a->id = c;
      } else {
        free(path);
      }
    }
  }
}

static void bo_record(struct scan *s, struct bo_obj *x, int slot, struct probe *p)
{
  struct bo_ans *a = &x->a[slot];
  a->got = 1;
  a->status = http_answered(&p->x) ? p->x.status : 0;
  a->hit = scan_is_hit(s, p);
  json_t *doc = a->hit ? bo_json(s, p) : NULL;
  if(json_is_object(doc)) {
    char *id = bo_id(doc);
    a->same_id = id && !strcmp(id, x->id);
    free(id);
    char *dump = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT);
    if(dump) {
      a->hash = str_hash(dump, strlen(dump));
      free(dump);
    }
    for(size_t k = 0; bo_owner_keys[k]; k++) {
      json_t *v = json_object_get(doc, bo_owner_keys[k]);
      if(v && (json_is_string(v) || json_is_integer(v))) {
        a->owner = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        break;
      }
    }
  }
}

static void bo_decide(struct scan *s, struct bo_obj *x)
{
  for(int k = 0; k < W__N; k++)
    if((x->want & (1 << k)) && !x->a[k].got)
      return;
  if(x->judged || !(x->want & (1 << W_AS2)))
    return;
  x->judged = 1;
  const struct bo_ans *m = &x->a[W_MAIN], *o = &x->a[W_AS2], *n = &x->a[W_NONE];
  scan_ran(s, &bo_rules[R_READ]);
  if(x->want & (1 << W_WRITE))
    scan_ran(s, &bo_rules[R_WRITE]);
  /* Identity 1 must see its own object for the comparison to mean
   * anything. */
  if(!m->hit || !m->same_id)
    return;
  int same = o->hit && o->same_id &&
             (o->hash == m->hash || (o->owner && m->owner && !strcmp(o->owner, m->owner)));
  int public = n->hit && n->same_id && n->hash == o->hash;
  char ev[500];
  if(same && !public) {
    snprintf(ev, sizeof(ev), "%s%s: identity 1 -> %ld, --as2 identity -> %ld with the same "
             "object (id %s%s%s), no credential -> %ld", x->created ? "an object identity 1 "
             "created, " : "", x->path, m->status, o->status, x->id, m->owner ? ", owner " : "",
             m->owner ? m->owner : "", n->status);
    scan_flag_at(s, &bo_rules[R_READ], -1, NULL, "GET", x->url[W_AS2], ev, x->op->path);
  }
  const struct bo_ans *w = &x->a[W_WRITE];
  if((x->want & (1 << W_WRITE)) && w->status >= 200 && w->status < 300) {
    snprintf(ev, sizeof(ev), "%s %s as --as2 -> %ld on an object identity 1 created (id %s)",
             x->method[W_WRITE], x->path, w->status, x->id);
    scan_flag_at(s, &bo_rules[R_WRITE], -1, NULL, x->method[W_WRITE], x->url[W_WRITE], ev,
                 x->op->path);
  }
}

static void bo_judge_adj(struct scan *s, struct bo_state *b, struct probe *p, size_t i)
{
  if(i >= b->nadj)
    return;
  struct bo_adj *a = &b->adj[i];
  scan_ran(s, &bo_rules[R_ADJ]);
  if(b->adj_flagged || !scan_is_hit(s, p))
    return;
  json_t *doc = bo_json(s, p);
  json_t *v = json_is_object(doc) ? json_object_get(doc, b->owner_key) : NULL;
  char *ow = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
  if(ow && strcmp(ow, b->owner_val)) {
    b->adj_flagged = 1;
    char ev[400];
    snprintf(ev, sizeof(ev), "%s (an id next to the caller's own): 200 with \"%s\": %s, the "
             "caller's objects have %s", a->path, b->owner_key, ow, b->owner_val);
    scan_flag(s, p, &bo_rules[R_ADJ], -1, NULL, ev, 0, 0, a->op->path);
  }
  free(ow);
}

static void bo_judge(struct scan *s, void *st, struct probe *p)
{
  struct bo_state *b = st;
  if(!s->have_spec)
    return;
  if(p->origin == &check_bola) {
    size_t i = (size_t)p->tag / 8;
    if(i >= BO_MAX_OBJS) {
      bo_judge_adj(s, b, p, i - BO_MAX_OBJS);
      return;
    }
    if(i < b->nobj && p->tag % 8 < W__N) {
      bo_record(s, &b->obj[i], p->tag % 8, p);
      bo_decide(s, &b->obj[i]);
    }
    return;
  }
  if(p->ident == ID_MAIN && scan_has_cred(s) && http_answered(&p->x))
    bo_collect(s, b, p);
}

const struct wd_check check_bola = {
  .name = "bola",
  .summary = "API1: identity 1's objects requested as identity 2 (--as2) and with no credential, ids next to the caller's own, sequential ids; with --active, objects identity 1 created changed by identity 2",
  .rules = bo_rules,
  .nrules = ARRAY_LEN(bo_rules),
  .state_size = sizeof(struct bo_state),
  .cleanup = bo_cleanup,
  .judge = bo_judge,
  .plan_late = bo_plan_late,
};
