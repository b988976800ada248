/*
 * yaml_tree.c - YAML documents as small trees, built from libyaml's event
 * parser, and the accessors the rules use.
 *
 * Why libyaml events and not a document library: events never expand
 * aliases, so a "billion laughs" file costs its own size; the tree keeps
 * an alias as a link and every walk over links pays into a per-document
 * budget. Nesting depth and node count are capped while loading, so
 * deep or huge files fail fast with a line and column instead of eating
 * memory. Nodes live in an arena emptied at the next document (one chunk
 * is kept for it, and across texts with yl_restart).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "../core/core_alloc.h"
#include "yaml_tree.h"

#define YL_MAX_DEPTH 200
#define YL_MAX_NODES 2000000
#define YL_BUDGET 2000000L
#define YL_MERGE_DEPTH 16

/* ---- arena -------------------------------------------------------------- */

struct achunk {
  struct achunk *next;
  size_t used, cap;
  max_align_t data[];
};

#define ARENA_CHUNK 65536

static void *arena_alloc(struct achunk **head, size_t n)
{
  n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
  struct achunk *c = *head;
  if(!c || c->cap - c->used < n) {
    size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
    c = xmalloc(sizeof(*c) + cap);
    c->cap = cap;
    c->used = 0;
    c->next = *head;
    *head = c;
  }
  void *p = (char *)c->data + c->used;
  c->used += n;
  return p;
}

static void arena_free(struct achunk **head)
{
  struct achunk *c = *head;
  while(c) {
    struct achunk *n = c->next;
    free(c);
    c = n;
  }
  *head = NULL;
}

/* Empties an arena but keeps one chunk of the usual size for what comes
 * next: a stream of small documents (or files, yl_restart) allocates it
 * once instead of once per document. */
static void arena_reset(struct achunk **head)
{
  struct achunk *keep = NULL, *c = *head;
  while(c) {
    struct achunk *n = c->next;
    if(!keep && c->cap == ARENA_CHUNK)
      keep = c;
    else
      free(c);
    c = n;
  }
  if(keep) {
    keep->used = 0;
    keep->next = NULL;
  }
  *head = keep;
}

/* ---- loader ------------------------------------------------------------- */

struct anchor {
  const char *name; /* arena */
  struct ynode *node;
};

struct frame {
  struct ynode *node;
  size_t base;      /* first child in kids */
  char *anchor;     /* arena copy, registered at the end */
};

struct atable {
  struct anchor *v; /* open addressing, power of two */
  size_t n, cap;
};

struct yloader {
  yaml_parser_t p;
  struct achunk *arena;
  struct achunk **cur;    /* where new nodes go: &arena, or &tmp */
  struct achunk *tmp;     /* the entry being streamed (yl_stream) */
  struct atable tanchors; /* anchors of that entry */
  size_t tnodes;          /* its nodes */
  const struct ystream *cb; /* yl_stream's callbacks, or NULL */
  int skip;               /* events left to skip: open collections */
  int each;               /* inside a YS_EACH mapping */
  int lost;               /* an alias whose anchor was not kept */
  char key[128];          /* the top-level key whose value comes next */
  struct frame *st;
  size_t nst, capst;
  struct ynode **kids;
  size_t nkids, capkids;
  struct atable anchors;
  size_t nodes;
  struct ynode *root;
  int ended;
};

struct yloader *yl_new(const char *data, size_t len)
{
  struct yloader *l = xcalloc(1, sizeof(*l));
  if(!yaml_parser_initialize(&l->p)) {
    free(l);
    return NULL;
  }
  yaml_parser_set_input_string(&l->p, (const unsigned char *)data, len);
  l->cur = &l->arena;
  return l;
}

static void doc_reset(struct yloader *l);

int yl_restart(struct yloader *l, const char *data, size_t len)
{
  yaml_parser_delete(&l->p);
  doc_reset(l);
  /* The work stacks stay for the next text unless a large one grew them
   * (the node arena keeps one chunk: doc_reset). */
  if(l->capkids > 4096) {
    free(l->kids);
    l->kids = NULL;
    l->capkids = 0;
  }
  if(l->capst > 256) {
    free(l->st);
    l->st = NULL;
    l->capst = 0;
  }
  l->cb = NULL;
  l->lost = 0;
  l->ended = 0;
  if(!yaml_parser_initialize(&l->p))
    return -1;
  yaml_parser_set_input_string(&l->p, (const unsigned char *)data, len);
  return 0;
}

void yl_free(struct yloader *l)
{
  if(!l)
    return;
  yaml_parser_delete(&l->p);
  arena_free(&l->arena);
  arena_free(&l->tmp);
  free(l->st);
  free(l->kids);
  free(l->anchors.v);
  free(l->tanchors.v);
  free(l);
}

static unsigned long anchor_hash(const char *s)
{
  unsigned long h = 5381;
  while(*s)
    h = h * 33 + (unsigned char)*s++;
  return h;
}

static void anchor_put(struct atable *t, const char *name, struct ynode *n);

static void anchor_grow(struct atable *t)
{
  size_t oldcap = t->cap;
  struct anchor *old = t->v;
  t->cap = oldcap ? oldcap * 2 : 64;
  t->v = xcalloc(t->cap, sizeof(*t->v));
  t->n = 0;
  for(size_t i = 0; i < oldcap; i++)
    if(old[i].name)
      anchor_put(t, old[i].name, old[i].node);
  free(old);
}

/* A later anchor of the same name replaces the earlier one, as in YAML. */
static void anchor_put(struct atable *t, const char *name, struct ynode *n)
{
  if((t->n + 1) * 2 > t->cap)
    anchor_grow(t);
  size_t mask = t->cap - 1;
  for(size_t i = anchor_hash(name) & mask;; i = (i + 1) & mask) {
    if(!t->v[i].name) {
      t->v[i].name = name;
      t->v[i].node = n;
      t->n++;
      return;
    }
    if(strcmp(t->v[i].name, name) == 0) {
      t->v[i].node = n;
      return;
    }
  }
}

static struct ynode *anchor_find(const struct atable *t, const char *name)
{
  if(!t->cap)
    return NULL;
  size_t mask = t->cap - 1;
  for(size_t i = anchor_hash(name) & mask; t->v[i].name; i = (i + 1) & mask)
    if(strcmp(t->v[i].name, name) == 0)
      return t->v[i].node;
  return NULL;
}

static void atable_clear(struct atable *t)
{
  free(t->v);
  memset(t, 0, sizeof(*t));
}

/* Anchors go to the streamed entry's table while one is being built. */
static void anchor_reg(struct yloader *l, const char *name, struct ynode *n)
{
  anchor_put(l->cur == &l->tmp ? &l->tanchors : &l->anchors, name, n);
}

static struct ynode *anchor_get(struct yloader *l, const char *name)
{
  struct ynode *n = l->cur == &l->tmp ? anchor_find(&l->tanchors, name) : NULL;
  return n ? n : anchor_find(&l->anchors, name);
}

static char *arena_strdup(struct yloader *l, const char *s, size_t n)
{
  char *d = arena_alloc(l->cur, n + 1);
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

static struct ynode *node_new(struct yloader *l, int kind, const yaml_mark_t *m)
{
  struct ynode *n = arena_alloc(l->cur, sizeof(*n));
  memset(n, 0, sizeof(*n));
  n->kind = (unsigned char)kind;
  n->line = (int)m->line + 1;
  n->col = (int)m->column + 1;
  l->nodes++;
  if(l->cur == &l->tmp)
    l->tnodes++;
  return n;
}

static void node_attach(struct yloader *l, struct ynode *n)
{
  if(l->nst == 0) {
    l->root = n;
    return;
  }
  if(l->nkids == l->capkids)
    l->kids = xgrow(l->kids, &l->capkids, l->nkids + 1, sizeof(*l->kids));
  l->kids[l->nkids++] = n;
}

static void doc_reset(struct yloader *l)
{
  arena_reset(&l->arena);
  arena_free(&l->tmp);
  l->cur = &l->arena;
  l->nst = 0;
  l->nkids = 0;
  atable_clear(&l->anchors);
  atable_clear(&l->tanchors);
  l->nodes = l->tnodes = 0;
  l->skip = l->each = 0;
  l->root = NULL;
}

static int yl_fail(char *err, size_t errlen, const yaml_mark_t *m, const char *what)
{
  snprintf(err, errlen, "%zu:%zu: %s", m->line + 1, m->column + 1, what);
  return -1;
}

/* What the stream does with an event before the tree sees it: 1 when
 * the event is consumed here (skipped), 0 when it is built as usual. */
static int stream_pre(struct yloader *l, const yaml_event_t *ev, const yaml_mark_t *m)
{
  int start = ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT;
  int end = ev->type == YAML_SEQUENCE_END_EVENT || ev->type == YAML_MAPPING_END_EVENT;
  if(l->skip) {
    l->skip += start ? 1 : end ? -1 : 0;
    return 1;
  }
  if(!start && !end && ev->type != YAML_SCALAR_EVENT && ev->type != YAML_ALIAS_EVENT)
    return 0;
  /* Inside the root mapping (st[0]) at its own level: a key or a value. */
  if(l->nst == 1 && l->st[0].node->kind == Y_MAP && !end) {
    if((l->nkids - l->st[0].base) % 2 == 0) {
      l->key[0] = '\0';
      if(ev->type == YAML_SCALAR_EVENT)
        snprintf(l->key, sizeof(l->key), "%.*s",
                 (int)(ev->data.scalar.length < sizeof(l->key) ? ev->data.scalar.length
                                                               : sizeof(l->key) - 1),
                 (const char *)ev->data.scalar.value);
      return 0;
    }
    int want = l->key[0] ? l->cb->want(l->cb->ctx, l->key) : YS_SKIP;
    if(want == YS_EACH && ev->type == YAML_MAPPING_START_EVENT) {
      l->each = 1;
      return 0;
    }
    if(want == YS_KEEP)
      return 0;
    /* Skipped: an empty scalar keeps the mapping's pairs whole. */
    struct ynode *n = node_new(l, Y_SCALAR, m);
    n->u.s = arena_strdup(l, "", 0);
    node_attach(l, n);
    if(start)
      l->skip = 1;
    return 1;
  }
  /* A key of the YS_EACH mapping opens a new entry in the tmp arena. */
  if(l->each && l->nst == 2 && !end && (l->nkids - l->st[1].base) == 0)
    l->cur = &l->tmp;
  return 0;
}

/* After an event was built: a YS_EACH entry that is complete (key and
 * value attached) is handed over, then forgotten. */
static int stream_post(struct yloader *l, const yaml_event_t *ev, char *err, size_t errlen)
{
  if(l->each && l->nst == 1 && ev->type == YAML_MAPPING_END_EVENT) {
    l->each = 0;
    return 0;
  }
  if(!l->each || l->nst != 2 || l->nkids - l->st[1].base != 2)
    return 0;
  struct ydoc d = {.root = l->root, .budget = YL_BUDGET};
  int rc = l->cb->each(l->cb->ctx, l->key, l->kids[l->st[1].base],
                       l->kids[l->st[1].base + 1], &d, err, errlen);
  l->nkids -= 2;
  arena_reset(&l->tmp);
  atable_clear(&l->tanchors);
  l->nodes -= l->tnodes;
  l->tnodes = 0;
  l->cur = &l->arena;
  return rc < 0 ? -1 : 0;
}

/* Builds one event into the tree. Returns 0 to go on, 1 when a document
 * is complete (in doc), 2 at the end of the stream, -1 on error. */
static int yl_event(struct yloader *l, yaml_event_t *ev, struct ydoc *doc, char *err,
                    size_t errlen)
{
  struct ynode *n;
  switch(ev->type) {
  case YAML_STREAM_END_EVENT:
    return 2;
  case YAML_DOCUMENT_START_EVENT:
    doc_reset(l);
    break;
  case YAML_DOCUMENT_END_EVENT:
    doc->root = l->root;
    doc->budget = YL_BUDGET;
    return 1;
  case YAML_SCALAR_EVENT:
    n = node_new(l, Y_SCALAR, &ev->start_mark);
    n->u.s = arena_strdup(l, (const char *)ev->data.scalar.value, ev->data.scalar.length);
    n->n = ev->data.scalar.length;
    n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    if(ev->data.scalar.anchor)
      anchor_reg(l, arena_strdup(l, (const char *)ev->data.scalar.anchor,
                                 strlen((const char *)ev->data.scalar.anchor)), n);
    node_attach(l, n);
    break;
  case YAML_SEQUENCE_START_EVENT:
  case YAML_MAPPING_START_EVENT: {
    if(l->nst >= YL_MAX_DEPTH)
      return yl_fail(err, errlen, &ev->start_mark, "nesting deeper than 200 levels");
    int seq = ev->type == YAML_SEQUENCE_START_EVENT;
    n = node_new(l, seq ? Y_SEQ : Y_MAP, &ev->start_mark);
    const yaml_char_t *a = seq ? ev->data.sequence_start.anchor : ev->data.mapping_start.anchor;
    if(l->nst == l->capst)
      l->st = xgrow(l->st, &l->capst, l->nst + 1, sizeof(*l->st));
    l->st[l->nst].node = n;
    l->st[l->nst].base = l->nkids;
    l->st[l->nst].anchor = a ? arena_strdup(l, (const char *)a, strlen((const char *)a)) : NULL;
    l->nst++;
    break;
  }
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT: {
    struct frame *f = &l->st[--l->nst];
    n = f->node;
    size_t cnt = l->nkids - f->base;
    n->u.items = arena_alloc(l->cur, (cnt ? cnt : 1) * sizeof(struct ynode *));
    if(cnt) /* an empty collection before any child: l->kids may be NULL */
      memcpy(n->u.items, l->kids + f->base, cnt * sizeof(struct ynode *));
    n->n = n->kind == Y_MAP ? cnt / 2 : cnt;
    l->nkids = f->base;
    /* Registered only now: an alias inside the node cannot reach it. */
    if(f->anchor)
      anchor_reg(l, f->anchor, n);
    node_attach(l, n);
    break;
  }
  case YAML_ALIAS_EVENT: {
    struct ynode *t = anchor_get(l, (const char *)ev->data.alias.anchor);
    if(!t && l->cb) {
      /* Its anchor was skipped or forgotten with an earlier entry: the
       * caller reads the document whole instead (yl_stream says so). */
      l->lost = 1;
      snprintf(err, errlen, "%zu:%zu: alias *%.100s: its anchor was not kept",
               ev->start_mark.line + 1, ev->start_mark.column + 1,
               (const char *)ev->data.alias.anchor);
      return -1;
    }
    if(!t) {
      char what[160];
      snprintf(what, sizeof(what), "alias *%.100s has no anchor before it",
               (const char *)ev->data.alias.anchor);
      return yl_fail(err, errlen, &ev->start_mark, what);
    }
    n = node_new(l, Y_ALIAS, &ev->start_mark);
    n->u.target = t;
    node_attach(l, n);
    break;
  }
  default:
    break;
  }
  if(l->nodes > YL_MAX_NODES)
    return yl_fail(err, errlen, &ev->start_mark, "more than 2,000,000 nodes in one document");
  return 0;
}

static int yl_parse_error(struct yloader *l, char *err, size_t errlen)
{
  char what[300];
  const yaml_mark_t *m = &l->p.problem_mark;
  if(l->p.context)
    snprintf(what, sizeof(what), "%s %s", l->p.problem ? l->p.problem : "syntax error",
             l->p.context);
  else
    snprintf(what, sizeof(what), "%s", l->p.problem ? l->p.problem : "syntax error");
  l->ended = 1;
  return yl_fail(err, errlen, m, what);
}

int yl_next(struct yloader *l, struct ydoc *doc, char *err, size_t errlen)
{
  memset(doc, 0, sizeof(*doc));
  if(l->ended)
    return 0;
  for(;;) {
    yaml_event_t ev;
    if(!yaml_parser_parse(&l->p, &ev))
      return yl_parse_error(l, err, errlen);
    int rc = yl_event(l, &ev, doc, err, errlen);
    yaml_event_delete(&ev);
    if(rc == 0)
      continue;
    if(rc == 1)
      return 1;
    l->ended = 1;
    return rc == 2 ? 0 : -1;
  }
}

int yl_stream(struct yloader *l, const struct ystream *cb, struct ydoc *doc, char *err,
              size_t errlen)
{
  memset(doc, 0, sizeof(*doc));
  if(l->ended)
    return 0;
  l->cb = cb;
  for(;;) {
    yaml_event_t ev;
    if(!yaml_parser_parse(&l->p, &ev))
      return yl_parse_error(l, err, errlen);
    int rc = stream_pre(l, &ev, &ev.start_mark);
    rc = rc ? 0 : yl_event(l, &ev, doc, err, errlen);
    if(rc == 0 && stream_post(l, &ev, err, errlen))
      rc = -1;
    yaml_event_delete(&ev);
    if(rc == 0)
      continue;
    l->cb = NULL;
    l->ended = 1; /* the first document only */
    if(rc == 1)
      return 1;
    return rc == 2 ? 0 : l->lost ? -2 : -1;
  }
}

/* ---- accessors ---------------------------------------------------------- */

static int spend(struct ydoc *d)
{
  if(d->budget <= 0) {
    d->exhausted = 1;
    return 0;
  }
  d->budget--;
  return 1;
}

const struct ynode *y_deref(struct ydoc *d, const struct ynode *n)
{
  while(n && n->kind == Y_ALIAS) {
    if(!spend(d))
      return NULL;
    n = n->u.target;
  }
  return n;
}

static int is_merge_key(const struct ynode *k)
{
  return k && k->kind == Y_SCALAR && !k->quoted && k->u.s[0] == '<' && k->u.s[1] == '<' &&
         k->u.s[2] == '\0';
}

static const struct ynode *get_depth(struct ydoc *d, const struct ynode *map,
                                     const char *key, int depth)
{
  map = y_deref(d, map);
  if(!map || map->kind != Y_MAP || !spend(d))
    return NULL;
  const struct ynode *found = NULL;
  int merges = 0;
  for(size_t i = 0; i < map->n; i++) {
    const struct ynode *k = map->u.items[2 * i];
    if(is_merge_key(k)) {
      merges = 1;
      continue;
    }
    if(k && k->kind == Y_ALIAS)
      k = y_deref(d, k);
    /* The first byte tells most keys apart without a call. */
    if(k && k->kind == Y_SCALAR && k->u.s[0] == key[0] && strcmp(k->u.s, key) == 0)
      found = map->u.items[2 * i + 1]; /* the last duplicate wins */
  }
  if(found || !merges || depth >= YL_MERGE_DEPTH)
    return found;
  for(size_t i = 0; i < map->n && !found; i++) {
    if(!is_merge_key(map->u.items[2 * i]))
      continue;
    const struct ynode *v = y_deref(d, map->u.items[2 * i + 1]);
    if(v && v->kind == Y_SEQ) {
      for(size_t j = 0; j < v->n && !found; j++)
        found = get_depth(d, v->u.items[j], key, depth + 1);
    } else {
      found = get_depth(d, v, key, depth + 1);
    }
  }
  return found;
}

const struct ynode *y_get(struct ydoc *d, const struct ynode *map, const char *key)
{
  return get_depth(d, map, key, 0);
}

const struct ynode *y_path(struct ydoc *d, const struct ynode *map, const char *path)
{
  char k[128];
  const struct ynode *n = map;
  while(n && *path) {
    size_t l = strcspn(path, ".");
    if(l >= sizeof(k))
      return NULL;
    memcpy(k, path, l);
    k[l] = '\0';
    n = y_get(d, n, k);
    path += l;
    if(*path == '.')
      path++;
  }
  return n;
}

const char *y_str(struct ydoc *d, const struct ynode *n)
{
  n = y_deref(d, n);
  return n && n->kind == Y_SCALAR ? n->u.s : NULL;
}

int y_bool(struct ydoc *d, const struct ynode *n)
{
  const char *s = y_str(d, n);
  if(!s)
    return -1;
  if(!strcasecmp(s, "true") || !strcasecmp(s, "yes") || !strcasecmp(s, "on"))
    return 1;
  if(!strcasecmp(s, "false") || !strcasecmp(s, "no") || !strcasecmp(s, "off"))
    return 0;
  return -1;
}

int y_int(struct ydoc *d, const struct ynode *n, long long *v)
{
  const char *s = y_str(d, n);
  if(!s || !*s)
    return -1;
  char *end;
  long long x = strtoll(s, &end, 10);
  if(*end)
    return -1;
  *v = x;
  return 0;
}

size_t y_len(struct ydoc *d, const struct ynode *n)
{
  n = y_deref(d, n);
  return n && n->kind == Y_SEQ ? n->n : 0;
}

const struct ynode *y_item(struct ydoc *d, const struct ynode *seq, size_t i)
{
  seq = y_deref(d, seq);
  if(!seq || seq->kind != Y_SEQ || i >= seq->n || !spend(d))
    return NULL;
  return y_deref(d, seq->u.items[i]);
}

int y_is_map(struct ydoc *d, const struct ynode *n)
{
  n = y_deref(d, n);
  return n && n->kind == Y_MAP;
}

int y_is_seq(struct ydoc *d, const struct ynode *n)
{
  n = y_deref(d, n);
  return n && n->kind == Y_SEQ;
}

struct pairv {
  struct ypair *v;
  size_t n, cap;
};

static int pairs_has(struct ydoc *d, const struct pairv *pv, const char *key)
{
  /* Dedupe is quadratic; huge hostile mappings skip it rather than stall. */
  if(pv->n > 4096)
    return 0;
  for(size_t i = 0; i < pv->n; i++) {
    const char *s = y_str(d, pv->v[i].k);
    if(s && strcmp(s, key) == 0)
      return 1;
  }
  return 0;
}

static void pairs_collect(struct ydoc *d, const struct ynode *map,
                          struct pairv *pv, int merged, int depth)
{
  map = y_deref(d, map);
  if(!map || map->kind != Y_MAP || depth > YL_MERGE_DEPTH || !spend(d))
    return;
  for(size_t i = 0; i < map->n; i++) {
    const struct ynode *k = map->u.items[2 * i];
    if(is_merge_key(k))
      continue;
    if(merged) {
      const char *s = y_str(d, k);
      if(!spend(d) || (s && pairs_has(d, pv, s)))
        continue;
    }
    pv->v = xgrow(pv->v, &pv->cap, pv->n + 1, sizeof(*pv->v));
    pv->v[pv->n].k = y_deref(d, k);
    pv->v[pv->n].v = map->u.items[2 * i + 1];
    pv->n++;
  }
  for(size_t i = 0; i < map->n; i++) {
    if(!is_merge_key(map->u.items[2 * i]))
      continue;
    const struct ynode *v = y_deref(d, map->u.items[2 * i + 1]);
    if(v && v->kind == Y_SEQ) {
      for(size_t j = 0; j < v->n; j++)
        pairs_collect(d, v->u.items[j], pv, 1, depth + 1);
    } else {
      pairs_collect(d, v, pv, 1, depth + 1);
    }
  }
}

size_t y_pairs(struct ydoc *d, const struct ynode *map, struct ypair **out)
{
  struct pairv pv = {NULL, 0, 0};
  pairs_collect(d, map, &pv, 0, 0);
  *out = pv.v;
  return pv.n;
}
