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
 * field (user_id, owner, email, account, ...) differs from the one all
 * of identity 1's objects on that route share is bola.adjacent-object.
 * Sequential numeric ids on a secured object route whose objects have an
 * owner (someone's data, not a catalogue) are bola.sequential-ids (low)
 * on their own.
 *
 * Without a spec (scan_objid.h): identity 1's JSON answers are read for
 * lists of objects with ids (numeric, UUID or hash-like), each mapped
 * back to the route that returned it: a list at /api/orders with id 7
 * makes the object /api/orders/7 on the route /api/orders/{id} (or the
 * item's own link to itself, when it has one); an object answered at a
 * path that ends in its own id is one of identity 1's too. Links in the
 * target URL's answer, and in the answers to those links (two levels,
 * BO_MAX_CRAWL at most, none that logs out or deletes; none with
 * --no-discovery), are followed with GET to find the lists. The objects
 * are then judged as above; "secured" is then the answer to no
 * credential: a route whose objects it refuses.
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
#include "../scan/scan_objid.h"
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
#define BO_MAX_CRAWL 24
#define BO_CRAWL_DEPTH 2

enum { W_MAIN, W_AS2, W_NONE, W_WRITE, W__N };
/* Links followed without a spec: BO_TAG_CRAWL + their depth. */
#define BO_TAG_CRAWL (8 * (BO_MAX_OBJS + BO_MAX_ADJ))

struct bo_ans {
  int got;
  long status;
  int hit;              /* 2xx and not the soft-404 page */
  int same_id;          /* the object's id is in the answer */
  unsigned long long hash;
  char *owner;          /* the owner field's value, as JSON text */
};

struct bo_obj {
  const struct spec_op *op;   /* the object route; borrowed from the spec;
                                 NULL without a spec */
  char *route;                /* the route: op->path, or "/x/{id}" */
  char *id, *path;
  int created;
  int numeric;                /* a numeric id */
  int has_owner;              /* the object carried an owner field */
  char owner_key[32];         /* which, and its value as identity 1 saw */
  char *owner;
  int want;                   /* bit per W_ slot that was queued */
  struct bo_ans a[W__N];
  char *url[W__N], *method[W__N];
  int judged;
};

struct bo_adj {
  const char *route;          /* borrowed from its object */
  char *path, *url;
  char owner_key[32];         /* the owner identity 1's objects share */
  char *owner_val;
  char *other;                /* the owner this id answered, when not the caller's */
  long long id;
};

struct bo_state {
  struct bo_obj obj[BO_MAX_OBJS];
  size_t nobj;
  struct bo_adj adj[BO_MAX_ADJ];
  size_t nadj;
  size_t ncrawl;        /* links followed (no spec) */
  size_t ncrawl0;       /* of which found in the target URL's answer */
  int seq_checked;
  int planned;          /* plan_late ran: the objects are fixed */
};

static void bo_obj_free(struct bo_obj *x)
{
  free(x->id);
  free(x->path);
  free(x->route);
  free(x->owner);
  for(int k = 0; k < W__N; k++) {
    free(x->a[k].owner);
    free(x->url[k]);
    free(x->method[k]);
  }
}

static void bo_cleanup(void *st)
{
  struct bo_state *b = st;
  for(size_t i = 0; i < b->nobj; i++)
    bo_obj_free(&b->obj[i]);
  for(size_t i = 0; i < b->nadj; i++) {
    free(b->adj[i].path);
    free(b->adj[i].url);
    free(b->adj[i].owner_val);
    free(b->adj[i].other);
  }
}

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

/* The route with its last parameter filled: "/orders/{orderId}" -> "/orders/7". */
static char *bo_fill(const char *tmpl, const char *value)
{
  const char *a = strrchr(tmpl, '{');
  return xasprintf("%.*s%s", (int)(a - tmpl), tmpl, value);
}

/* The order objects are kept and asked in: by route, then by id
 * (numerically when both are numbers), so which objects are kept under
 * the caps, which adjacent id is reported and which route is judged for
 * sequential ids never depend on the order the answers came in. */
static int bo_key_cmp(const char *route_a, const char *id_a, const char *route_b,
                      const char *id_b)
{
  int c = strcmp(route_a, route_b);
  if(c)
    return c;
  size_t la = strlen(id_a), lb = strlen(id_b);
  if(la && lb && strspn(id_a, "0123456789") == la && strspn(id_b, "0123456789") == lb &&
     la != lb)
    return la < lb ? -1 : 1; /* no leading zeros in ids that differ in length */
  return strcmp(id_a, id_b);
}

static int bo_obj_cmp(const void *pa, const void *pb)
{
  const struct bo_obj *a = pa, *b = pb;
  return bo_key_cmp(a->route, a->id, b->route, b->id);
}

/* Where a new object goes when a cap is reached: the largest kept one
 * (not one identity 1 created; on route when route is set) if the new
 * one sorts before it, else -1. */
static long bo_evict(const struct bo_state *b, const char *route, const char *new_route,
                     const char *id)
{
  long worst = -1;
  for(size_t i = 0; i < b->nobj; i++) {
    const struct bo_obj *x = &b->obj[i];
    if(x->created || (route && strcmp(x->route, route)))
      continue;
    if(worst < 0 || bo_obj_cmp(x, &b->obj[worst]) > 0)
      worst = (long)i;
  }
  if(worst >= 0 && bo_key_cmp(new_route, id, b->obj[worst].route, b->obj[worst].id) < 0)
    return worst;
  return -1;
}

/* An object of identity 1's on route (op, the spec's operation, or NULL
 * without a spec: the id must then have an id's shape). path: where it
 * lives when not route filled with its id. Returns the object (new or
 * already known), or NULL. */
static struct bo_obj *bo_add(struct bo_state *b, const struct spec_op *op, const char *route,
                             const json_t *o, int created, const char *path)
{
  char id[OBJID_MAX_LEN + 1];
  enum objid_shape shape = objid_of(o, !op, id, sizeof(id));
  if(shape == OBJID_NONE)
    return NULL;
  size_t per = 0;
  for(size_t i = 0; i < b->nobj; i++) {
    if(!strcmp(b->obj[i].route, route) && !strcmp(b->obj[i].id, id)) {
      /* The list may be answered after our POST and hold its object. */
      b->obj[i].created |= created;
      return &b->obj[i];
    }
    per += !strcmp(b->obj[i].route, route);
  }
  /* Over a cap, the smallest by route and id are kept (bo_key_cmp). */
  long slot = -1;
  if(per >= BO_PER_ROUTE && !created) {
    if((slot = bo_evict(b, route, route, id)) < 0)
      return NULL;
  } else if(b->nobj >= BO_MAX_OBJS) {
    if((slot = bo_evict(b, NULL, route, id)) < 0)
      return NULL;
  }
  struct bo_obj *x;
  if(slot >= 0) {
    x = &b->obj[slot];
    bo_obj_free(x);
  } else {
    x = &b->obj[b->nobj++];
  }
  memset(x, 0, sizeof(*x));
  x->op = op;
  x->route = xstrdup(route);
  x->id = xstrdup(id);
  x->path = path ? xstrdup(path) : bo_fill(route, id);
  x->created = created;
  x->numeric = shape == OBJID_NUMERIC;
  x->owner = objid_owner(o, x->owner_key, sizeof(x->owner_key));
  x->has_owner = x->owner != NULL;
  return x;
}

/* A JSON answer's body, parsed once by the scan (scan_body_json);
 * borrowed: valid during this probe's judges, never decref'd. */
static const json_t *bo_json(struct scan *s, struct probe *p)
{
  char ct[128];
  if(!http_header(&p->x, "Content-Type", 0, ct, sizeof(ct)) || !strstr(ct, "json"))
    return NULL;
  return scan_body_json(s, p);
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
  const json_t *doc = bo_json(s, p);
  if(post && json_is_object(doc)) {
    bo_add(b, obj, obj->path, doc, 1, NULL);
  } else if(!post) {
    const json_t *arr = objid_list(doc);
    for(size_t i = 0; i < json_array_size(arr) && i < 50; i++) {
      const json_t *o = json_array_get(arr, i);
      if(json_is_object(o))
        bo_add(b, obj, obj->path, o, 0, NULL);
    }
  }
}

static void bo_record(struct scan *s, struct bo_obj *x, int slot, struct probe *p,
                      const json_t *doc)
{
  struct bo_ans *a = &x->a[slot];
  a->got = 1;
  a->status = http_answered(&p->x) ? p->x.status : 0;
  a->hit = scan_is_hit(s, p);
  if(a->hit && json_is_object(doc)) {
    char id[OBJID_MAX_LEN + 1];
    a->same_id = objid_of(doc, !x->op, id, sizeof(id)) != OBJID_NONE && !strcmp(id, x->id);
    char *dump = json_dumps(doc, JSON_SORT_KEYS | JSON_COMPACT);
    if(dump) {
      a->hash = str_hash(dump, strlen(dump));
      free(dump);
    }
    char key[32];
    a->owner = objid_owner(doc, key, sizeof(key));
  }
}

/* Without a spec: identity 1's JSON answers, for lists of objects with
 * ids, objects answered at their own id's path, and (from the target
 * URL's answer and the links it leads to, depth < BO_CRAWL_DEPTH) links
 * to follow. */
static void bo_collect_free(struct scan *s, struct bo_state *b, struct probe *p, int depth)
{
  if(strcmp(p->x.method, "GET") || !scan_is_hit(s, p) ||
     (p->flags & (PROBE_BASELINE | PROBE_SPECFIND | PROBE_ERROR)))
    return;
  const json_t *doc = bo_json(s, p);
  if(!doc)
    return;
  const json_t *arr = objid_list(doc);
  char id[OBJID_MAX_LEN + 1];
  if(arr) {
    for(size_t i = 0; i < json_array_size(arr) && i < 50; i++) {
      const json_t *o = json_array_get(arr, i);
      if(!objid_of(o, 1, id, sizeof(id)))
        continue;
      char *route, *path = objid_object_path(o, id, p->path, s->origin, &route);
      bo_add(b, NULL, route, o, 0, path);
      free(path);
      free(route);
    }
  } else if(objid_of(doc, 1, id, sizeof(id))) {
    /* An object at a path that ends in its id: identity 1's own, and
     * this answer is identity 1's read of it. */
    char *route = objid_route_of(p->path, id);
    struct bo_obj *x = route ? bo_add(b, NULL, route, doc, 0, NULL) : NULL;
    if(x && !(x->want & (1 << W_MAIN))) {
      bo_record(s, x, W_MAIN, p, doc);
      x->want |= 1 << W_MAIN;
      x->url[W_MAIN] = xstrdup(p->x.url);
      x->method[W_MAIN] = xstrdup("GET");
    }
    free(route);
  }
  if(depth >= BO_CRAWL_DEPTH || s->opts->no_discovery)
    return;
  /* The target URL's answer takes what it needs of the budget; the
   * links it led to share the rest equally, each its first ones in its
   * own order, so which links are followed does not depend on which
   * answer came first (a link two answers share is asked once). */
  size_t max = 0;
  if(depth == 0)
    max = BO_MAX_CRAWL - b->ncrawl0;
  else if(b->ncrawl0)
    max = (BO_MAX_CRAWL - b->ncrawl0) / b->ncrawl0;
  char *links[BO_MAX_CRAWL];
  size_t n = objid_links(doc, s->origin, links, max < BO_MAX_CRAWL ? max : BO_MAX_CRAWL);
  for(size_t i = 0; i < n; i++) {
    if(scan_queue_as(s, "GET", links[i], PROBE_FOLLOWUP, &check_bola,
                     BO_TAG_CRAWL + depth + 1, ID_MAIN, NULL, NULL)) {
      b->ncrawl++;
      b->ncrawl0 += depth == 0;
    }
    free(links[i]);
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

/* The owner every one of identity 1's objects on route shares (the
 * object that shows it), or NULL: none has one, or they differ (a
 * directory of other people, not the caller's own objects). */
static const struct bo_obj *bo_route_owner(const struct bo_state *b, const char *route)
{
  const struct bo_obj *first = NULL;
  for(size_t i = 0; i < b->nobj; i++) {
    const struct bo_obj *x = &b->obj[i];
    if(strcmp(x->route, route) || x->created)
      continue;
    if(!x->owner)
      return NULL;
    if(!first)
      first = x;
    else if(strcmp(first->owner_key, x->owner_key) || strcmp(first->owner, x->owner))
      return NULL;
  }
  return first;
}

/* Numeric ids of identity 1's owned objects on route: how many, lowest, highest. */
static int bo_id_range(const struct bo_state *b, const char *route, long long *lo,
                       long long *hi)
{
  int n = 0;
  long long v;
  for(size_t j = 0; j < b->nobj; j++)
    if(!strcmp(b->obj[j].route, route) && !b->obj[j].created && b->obj[j].has_owner &&
       bo_numeric(b->obj[j].id, &v)) {
      *lo = n ? (v < *lo ? v : *lo) : v;
      *hi = n ? (v > *hi ? v : *hi) : v;
      n++;
    }
  return n;
}

static void bo_flag_seq(struct scan *s, const char *route, int n, long long lo, long long hi)
{
  char ev[300], *url = xasprintf("%s%s", s->origin, route);
  snprintf(ev, sizeof(ev), "%d of the caller's objects on %s have numeric ids from %lld to %lld",
           n, route, lo, hi);
  scan_flag_at(s, &bo_rules[R_SEQ], -1, NULL, "GET", url, ev, route);
  free(url);
}

static void bo_plan_late(struct scan *s, void *st)
{
  struct bo_state *b = st;
  int as2 = s->opts->as2.kind != CRED_NONE;
  /* The objects are fixed from here on, in bo_obj_cmp order (their
   * index is in the tags of the probes queued below). */
  b->planned = 1;
  qsort(b->obj, b->nobj, sizeof(b->obj[0]), bo_obj_cmp);
  for(size_t i = 0; i < b->nobj; i++) {
    struct bo_obj *x = &b->obj[i];
    int base = (int)i * 8;
    if(!(x->want & (1 << W_MAIN)))
      bo_queue(s, x, W_MAIN, base + W_MAIN, "GET", ID_MAIN, NULL);
    if(as2)
      bo_queue(s, x, W_AS2, base + W_AS2, "GET", ID_AS2, NULL);
    /* Without a spec, the answer to no credential also tells whether the
     * route is secured (sequential ids). */
    if(as2 || !x->op)
      bo_queue(s, x, W_NONE, base + W_NONE, "GET", ID_NONE, NULL);
    const struct spec_op *w =
      as2 && x->op && x->created && scan_active(s) ? bo_write_op(s, x->op->path) : NULL;
    if(w)
      bo_queue(s, x, W_WRITE, base + W_WRITE, w->method, ID_AS2, "{}");
  }
  /* Sequential ids: two or more small numeric ids of identity 1's on a
   * route the spec secures (without a spec: in finish, once the answers
   * to no credential are in). */
  for(size_t i = 0; i < b->nobj && !b->seq_checked; i++) {
    const struct spec_op *op = b->obj[i].op;
    long long lo = 0, hi = 0;
    int n = op ? bo_id_range(b, op->path, &lo, &hi) : 0;
    if(n < 2 || !op->secured)
      continue;
    b->seq_checked = 1;
    scan_ran(s, &bo_rules[R_SEQ]);
    if(hi - lo < 100L * n)
      bo_flag_seq(s, op->path, n, lo, hi);
  }
  /* One identity: the ids next to identity 1's own. */
  if(as2)
    return;
  for(size_t i = 0; i < b->nobj && b->nadj < BO_MAX_ADJ; i++) {
    long long v;
    const struct bo_obj *own = bo_route_owner(b, b->obj[i].route);
    if(!own || !bo_numeric(b->obj[i].id, &v))
      continue;
    static const int d[] = {1, -1, 2, -2};
    for(size_t k = 0; k < 4 && b->nadj < BO_MAX_ADJ; k++) {
      long long c = v + d[k];
      char idt[24];
      snprintf(idt, sizeof(idt), "%lld", c);
      int mine = c < 0;
      for(size_t j = 0; j < b->nobj && !mine; j++)
        mine = !strcmp(b->obj[j].route, b->obj[i].route) && !strcmp(b->obj[j].id, idt);
      if(mine)
        continue;
      char *path = bo_fill(b->obj[i].route, idt);
      struct probe *q = scan_queue_as(s, "GET", path, PROBE_FOLLOWUP, &check_bola,
                                      (int)b->nadj * 8 + 8 * BO_MAX_OBJS, ID_MAIN, NULL, NULL);
      if(q) {
        struct bo_adj *a = &b->adj[b->nadj++];
        a->route = b->obj[i].route;
        a->path = path;
        a->url = xstrdup(q->x.url);
        snprintf(a->owner_key, sizeof(a->owner_key), "%s", own->owner_key);
        a->owner_val = xstrdup(own->owner);
        a->id = c;
      } else {
        free(path);
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
             "object (id %s%s%s), no credential -> %ld%s", x->created ? "an object identity 1 "
             "created, " : "", x->path, m->status, o->status, x->id, m->owner ? ", owner " : "",
             m->owner ? m->owner : "", n->status,
             x->op ? "" : "; the route was found without a spec, from identity 1's answers");
    scan_flag_at(s, &bo_rules[R_READ], -1, NULL, "GET", x->url[W_AS2], ev, x->route);
  }
  const struct bo_ans *w = &x->a[W_WRITE];
  if((x->want & (1 << W_WRITE)) && w->status >= 200 && w->status < 300) {
    snprintf(ev, sizeof(ev), "%s %s as --as2 -> %ld on an object identity 1 created (id %s)",
             x->method[W_WRITE], x->path, w->status, x->id);
    scan_flag_at(s, &bo_rules[R_WRITE], -1, NULL, x->method[W_WRITE], x->url[W_WRITE], ev,
                 x->route);
  }
}

static void bo_judge_adj(struct scan *s, struct bo_state *b, struct probe *p, size_t i)
{
  if(i >= b->nadj)
    return;
  struct bo_adj *a = &b->adj[i];
  scan_ran(s, &bo_rules[R_ADJ]);
  if(a->other || !scan_is_hit(s, p))
    return;
  const json_t *doc = bo_json(s, p);
  const json_t *v = json_is_object(doc) ? json_object_get(doc, a->owner_key) : NULL;
  char *ow = v ? json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
  if(ow && strcmp(ow, a->owner_val))
    a->other = ow; /* flagged in bo_finish, so the answer order does not pick it */
  else
    free(ow);
}

/* The first adjacent id in the order they were asked (the caller's
 * objects by route and id, then +1, -1, +2, -2) that answered another
 * owner's object: one finding, the same whichever answer came first. */
static void bo_flag_adj(struct scan *s, struct bo_state *b)
{
  for(size_t i = 0; i < b->nadj; i++) {
    const struct bo_adj *a = &b->adj[i];
    if(!a->other)
      continue;
    char ev[400];
    snprintf(ev, sizeof(ev), "%s (an id next to the caller's own): 200 with \"%s\": %s, the "
             "caller's objects have %s", a->path, a->owner_key, a->other, a->owner_val);
    scan_flag_at(s, &bo_rules[R_ADJ], -1, NULL, "GET", a->url, ev, a->route);
    return;
  }
}

static void bo_judge(struct scan *s, void *st, struct probe *p)
{
  struct bo_state *b = st;
  int depth = BO_CRAWL_DEPTH;
  if(p->origin == &check_bola) {
    size_t i = (size_t)p->tag / 8;
    if(i >= BO_MAX_OBJS + BO_MAX_ADJ) {
      depth = p->tag % 8; /* a link followed (no spec) */
    } else if(i >= BO_MAX_OBJS) {
      bo_judge_adj(s, b, p, i - BO_MAX_OBJS);
      return;
    } else {
      if(i < b->nobj && p->tag % 8 < W__N) {
        const json_t *doc = scan_is_hit(s, p) ? bo_json(s, p) : NULL;
        bo_record(s, &b->obj[i], p->tag % 8, p, doc);
        bo_decide(s, &b->obj[i]);
      }
      return;
    }
  } else if(p == s->root || ((p->flags & PROBE_REDIRECT) && p->parent == s->root)) {
    depth = 0;
  }
  if(b->planned || p->ident != ID_MAIN || !scan_has_cred(s) || !http_answered(&p->x))
    return;
  if(s->have_spec)
    bo_collect(s, b, p);
  else
    bo_collect_free(s, b, p, depth);
}

/* 1 when identity 1 read each of its owned objects on route and no
 * credential did not; *owned counts those objects. */
static int bo_route_secured(const struct bo_state *b, const char *route, int *owned)
{
  *owned = 0;
  for(size_t j = 0; j < b->nobj; j++) {
    const struct bo_obj *y = &b->obj[j];
    if(strcmp(y->route, route) || !y->has_owner || y->created || !y->a[W_MAIN].got ||
       !y->a[W_NONE].got)
      continue;
    (*owned)++;
    if(!y->a[W_MAIN].hit || !y->a[W_MAIN].same_id ||
       (y->a[W_NONE].hit && y->a[W_NONE].same_id))
      return 0;
  }
  return 1;
}

/* Without a spec: sequential ids on a route whose objects the answer to
 * no credential refuses (a secured route), once all answers are in. The
 * first route with two or more of identity 1's owned objects is judged,
 * whatever their ids look like (random ids are the good answer). */
static void bo_finish(struct scan *s, void *st)
{
  struct bo_state *b = st;
  bo_flag_adj(s, b);
  for(size_t i = 0; i < b->nobj; i++) {
    const struct bo_obj *x = &b->obj[i];
    int owned = 0;
    if(x->op || !bo_route_secured(b, x->route, &owned) || owned < 2)
      continue;
    scan_ran(s, &bo_rules[R_SEQ]);
    long long lo = 0, hi = 0;
    int n = bo_id_range(b, x->route, &lo, &hi);
    if(n >= 2 && hi - lo < 100L * n)
      bo_flag_seq(s, x->route, n, lo, hi);
    return;
  }
}

const struct wd_check check_bola = {
  .name = "bola",
  .summary = "API1: identity 1's objects (from the spec's routes, or without a spec from ids in its answers) requested as identity 2 (--as2) and with no credential, ids next to the caller's own, sequential ids; with --active, objects identity 1 created changed by identity 2",
  .rules = bo_rules,
  .nrules = ARRAY_LEN(bo_rules),
  .state_size = sizeof(struct bo_state),
  .cleanup = bo_cleanup,
  .judge = bo_judge,
  .plan_late = bo_plan_late,
  .finish = bo_finish,
};
