/*
 * scan_spec.c - the OpenAPI/Swagger reader (scan_spec.h).
 *
 * Two passes of libyaml events over the text (src/yaml): the first keeps
 * everything but "paths" as a tree (info, servers, security, components
 * or definitions: what "$ref" points into); the second reads "paths" one
 * path item at a time, turns it into compact operations and frees it.
 * Only if an alias needs an anchor the streaming forgot (a YAML spec that
 * shares parameter lists with &anchors across path items) is the text
 * read a third time, whole. Strings are interned in the spec, so a schema
 * that a thousand operations share costs its example once.
 */
#include "scan_spec.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "../core/core_str.h"
#include "../yaml/yaml_tree.h"

/* A spec bigger than this is not a spec anyone wrote by hand. */
#define SPEC_MAX_BYTES (32u * 1024 * 1024)
#define REF_CHAIN 16           /* "$ref" to "$ref" ... */
#define REF_CACHE_MAX 65536    /* distinct "$ref" strings remembered */
#define SCHEMA_DEPTH 8         /* nesting followed to build an example */
#define SCHEMA_PROPS 32        /* properties per object in an example */
#define ALLOF_DEPTH 4
#define ITEM_BUDGET 400000L    /* tree steps per path item (aliases, refs) */

struct spec_strs {
  char **v; /* open addressing, power of two */
  size_t n, cap;
  size_t bytes;
};

static const char *const spec_methods[] = {"get", "put", "post", "delete",
                                           "options", "head", "patch",
                                           "trace"};

/* ---- interned strings ---------------------------------------------------- */

static unsigned long long fnv(const char *s, size_t n)
{
  unsigned long long h = 1469598103934665603ull;
  for(size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
  return h;
}

static void strs_grow(struct spec_strs *t)
{
  size_t oldcap = t->cap;
  char **old = t->v;
  t->cap = oldcap ? oldcap * 2 : 256;
  t->v = xcalloc(t->cap, sizeof(*t->v));
  for(size_t i = 0; i < oldcap; i++) {
    if(!old[i])
      continue;
    size_t j = fnv(old[i], strlen(old[i])) & (t->cap - 1);
    while(t->v[j])
      j = (j + 1) & (t->cap - 1);
    t->v[j] = old[i];
  }
  free(old);
}

/* The spec's copy of s[0..n) (at most max bytes kept). */
static char *intern_n(struct spec *sp, const char *s, size_t n, size_t max)
{
  if(!s)
    return NULL;
  if(n > max)
    n = max;
  if(!sp->strs)
    sp->strs = xcalloc(1, sizeof(*sp->strs));
  struct spec_strs *t = sp->strs;
  if((t->n + 1) * 2 > t->cap)
    strs_grow(t);
  size_t mask = t->cap - 1;
  size_t i = fnv(s, n) & mask;
  for(; t->v[i]; i = (i + 1) & mask)
    if(strncmp(t->v[i], s, n) == 0 && t->v[i][n] == '\0')
      return t->v[i];
  t->v[i] = xstrndup(s, n);
  t->n++;
  t->bytes += n + 1;
  return t->v[i];
}

static char *intern(struct spec *sp, const char *s)
{
  return s ? intern_n(sp, s, strlen(s), SPEC_MAX_TEXT) : NULL;
}

/* ---- the walk's context and "$ref" ---------------------------------------- */

struct refent {
  char *ref;
  const struct ynode *node;
};

struct sctx {
  struct spec *sp;
  struct ydoc *d;            /* budget for every walk */
  const struct ynode *root;  /* what "$ref" points into */
  const char *name;
  char *bp;                  /* base path, "" or "/v1" */
  int global_secured;
  const char *consumes;      /* Swagger: the document's first media type */
  unsigned consumes_types;   /* Swagger: the document's media types, SPEC_BT_* */
  struct refent *refs;       /* open addressing, power of two */
  size_t nrefs, caprefs;
  int paths_seen;            /* a "paths" key, whatever its value */
};

static const struct ynode *ptr_lookup(struct sctx *c, const char *ref)
{
  if(ref[0] != '#')
    return NULL;
  const struct ynode *n = c->root;
  const char *p = ref + 1;
  char tok[256];
  while(n && *p) {
    if(*p != '/')
      return NULL;
    p++;
    size_t k = 0;
    while(*p && *p != '/') {
      char ch = *p++;
      if(ch == '~' && (*p == '0' || *p == '1'))
        ch = *p++ == '0' ? '~' : '/';
      else if(ch == '%' && isxdigit((unsigned char)p[0]) && isxdigit((unsigned char)p[1])) {
        char hx[3] = {p[0], p[1], 0};
        ch = (char)strtol(hx, NULL, 16);
        p += 2;
      }
      if(k + 1 >= sizeof(tok))
        return NULL;
      tok[k++] = ch;
    }
    tok[k] = '\0';
    if(y_is_seq(c->d, n)) {
      char *end;
      long i = strtol(tok, &end, 10);
      n = *tok && !*end && i >= 0 ? y_item(c->d, n, (size_t)i) : NULL;
    } else {
      n = y_get(c->d, n, tok);
    }
  }
  return y_deref(c->d, n);
}

/* The node a "$ref" string names (cached: a large spec names the same
 * schema many times), or NULL. */
static const struct ynode *ref_lookup(struct sctx *c, const char *ref)
{
  if((c->nrefs + 1) * 2 > c->caprefs && c->nrefs < REF_CACHE_MAX) {
    size_t oldcap = c->caprefs;
    struct refent *old = c->refs;
    c->caprefs = oldcap ? oldcap * 2 : 64;
    c->refs = xcalloc(c->caprefs, sizeof(*c->refs));
    for(size_t i = 0; i < oldcap; i++) {
      if(!old[i].ref)
        continue;
      size_t j = fnv(old[i].ref, strlen(old[i].ref)) & (c->caprefs - 1);
      while(c->refs[j].ref)
        j = (j + 1) & (c->caprefs - 1);
      c->refs[j] = old[i];
    }
    free(old);
  }
  if(!c->caprefs || (c->nrefs + 1) * 2 > c->caprefs)
    return ptr_lookup(c, ref);
  size_t mask = c->caprefs - 1;
  size_t i = fnv(ref, strlen(ref)) & mask;
  for(; c->refs[i].ref; i = (i + 1) & mask)
    if(strcmp(c->refs[i].ref, ref) == 0)
      return c->refs[i].node;
  const struct ynode *n = ptr_lookup(c, ref);
  c->refs[i].ref = xstrdup(ref);
  c->refs[i].node = n;
  c->nrefs++;
  return n;
}

/* n with its "$ref" chain followed (bounded); NULL when it points
 * nowhere. A node without "$ref" is itself. */
static const struct ynode *res(struct sctx *c, const struct ynode *n)
{
  n = y_deref(c->d, n);
  for(int i = 0; n && i <= REF_CHAIN; i++) {
    if(!y_is_map(c->d, n))
      return n;
    const char *ref = y_str(c->d, y_get(c->d, n, "$ref"));
    if(!ref)
      return n;
    if(i == REF_CHAIN)
      break;
    const struct ynode *t = ref_lookup(c, ref);
    if(!t)
      break;
    n = t;
  }
  if(n)
    c->sp->refs_unresolved++;
  return NULL;
}

static const struct ynode *rget(struct sctx *c, const struct ynode *map, const char *key)
{
  return res(c, y_get(c->d, map, key));
}

static const char *sget(struct sctx *c, const struct ynode *map, const char *key)
{
  return y_str(c->d, y_get(c->d, map, key));
}

/* ---- JSON text of nodes and schemas -------------------------------------- */

static int plain_is_json(const char *s)
{
  if(!strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "null"))
    return 1;
  /* A JSON number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
  const char *p = s;
  if(*p == '-')
    p++;
  if(*p == '0')
    p++;
  else if(*p >= '1' && *p <= '9')
    while(isdigit((unsigned char)*p))
      p++;
  else
    return 0;
  if(*p == '.') {
    p++;
    if(!isdigit((unsigned char)*p))
      return 0;
    while(isdigit((unsigned char)*p))
      p++;
  }
  if(*p == 'e' || *p == 'E') {
    p++;
    if(*p == '+' || *p == '-')
      p++;
    if(!isdigit((unsigned char)*p))
      return 0;
    while(isdigit((unsigned char)*p))
      p++;
  }
  return *p == '\0';
}

static void json_str(struct buf *b, const char *s)
{
  buf_append(b, "\"", 1);
  for(const unsigned char *p = (const unsigned char *)s; *p && !b->truncated; p++) {
    if(*p == '"' || *p == '\\')
      buf_printf(b, "\\%c", *p);
    else if(*p < 0x20)
      buf_printf(b, "\\u%04x", *p);
    else
      buf_append(b, p, 1);
  }
  buf_append(b, "\"", 1);
}

/* A scalar as JSON: a string when quoted or when the schema says string,
 * else a number, true, false or null when it reads as one. */
static void json_scalar(struct buf *b, const struct ynode *n, const char *type)
{
  const char *s = n->u.s;
  if(!n->quoted && !strcmp(s, "~"))
    s = "null";
  /* Numbers past what a 64-bit integer or a double holds are kept as
   * text: many JSON readers refuse them. */
  const char *e = strpbrk(s, "eE");
  int fits = strlen(s) <= 18 && (!e || strlen(e) <= 4);
  if(!n->quoted && (!type || strcmp(type, "string")) && plain_is_json(s) &&
     (fits || !strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "null")))
    buf_appendz(b, s);
  else
    json_str(b, s);
}

static void json_node(struct sctx *c, struct buf *b, const struct ynode *n,
                      const char *type, int depth)
{
  n = y_deref(c->d, n);
  if(!n || depth > 16 || b->truncated) {
    buf_appendz(b, "null");
    return;
  }
  if(n->kind == Y_SCALAR) {
    json_scalar(b, n, type);
  } else if(n->kind == Y_SEQ) {
    buf_append(b, "[", 1);
    for(size_t i = 0; i < n->n && !b->truncated; i++) {
      if(i)
        buf_append(b, ",", 1);
      json_node(c, b, n->u.items[i], NULL, depth + 1);
    }
    buf_append(b, "]", 1);
  } else {
    buf_append(b, "{", 1);
    for(size_t i = 0; i < n->n && !b->truncated; i++) {
      const char *k = y_str(c->d, n->u.items[2 * i]);
      if(i)
        buf_append(b, ",", 1);
      json_str(b, k ? k : "");
      buf_append(b, ":", 1);
      json_node(c, b, n->u.items[2 * i + 1], NULL, depth + 1);
    }
    buf_append(b, "}", 1);
  }
}

/* A schema's type: "type" (the first that is not "null" when it is a
 * list), else "object" with properties, "array" with items. */
static const char *schema_type(struct sctx *c, const struct ynode *sch)
{
  const struct ynode *t = y_get(c->d, sch, "type");
  const char *s = y_str(c->d, t);
  if(s)
    return s;
  for(size_t i = 0; i < y_len(c->d, t); i++) {
    s = y_str(c->d, y_item(c->d, t, i));
    if(s && strcmp(s, "null"))
      return s;
  }
  if(y_get(c->d, sch, "properties") || y_get(c->d, sch, "allOf"))
    return "object";
  if(y_get(c->d, sch, "items"))
    return "array";
  return NULL;
}

/* The node an example is taken from: example, examples[0] (a list in a
 * 3.1 schema), default, enum[0]. */
static const struct ynode *schema_example(struct sctx *c, const struct ynode *sch)
{
  const struct ynode *e = y_get(c->d, sch, "example");
  if(e)
    return e;
  e = y_get(c->d, sch, "examples");
  if(y_is_seq(c->d, e) && y_len(c->d, e))
    return y_item(c->d, e, 0);
  e = y_get(c->d, sch, "default");
  if(e)
    return e;
  e = y_get(c->d, sch, "enum");
  return y_len(c->d, e) ? y_item(c->d, e, 0) : NULL;
}

/* Text of an example: a scalar as written, anything else as JSON. */
static char *example_text(struct sctx *c, const struct ynode *e)
{
  e = y_deref(c->d, e);
  if(!e)
    return NULL;
  if(e->kind == Y_SCALAR)
    return intern(c->sp, e->u.s);
  struct buf b;
  buf_init(&b, SPEC_MAX_TEXT);
  json_node(c, &b, e, NULL, 0);
  char *r = b.truncated ? NULL : intern(c->sp, buf_str(&b));
  buf_cleanup(&b);
  return r;
}

static const char *string_for_format(const char *fmt)
{
  static const char *const v[][2] = {
    {"date-time", "2024-01-01T00:00:00Z"}, {"date", "2024-01-01"},
    {"time", "00:00:00"}, {"email", "user@example.com"},
    {"uuid", "3f1c2b8e-5d4a-4c6b-9e7f-0a1b2c3d4e5f"}, {"uri", "https://example.com/"},
    {"url", "https://example.com/"}, {"hostname", "example.com"},
    {"ipv4", "192.0.2.1"}, {"ipv6", "2001:db8::1"}, {"byte", "d2FyZGVu"},
    {"password", "warden"}, {"binary", "warden"},
  };
  for(size_t i = 0; fmt && i < sizeof(v) / sizeof(v[0]); i++)
    if(!strcmp(fmt, v[i][0]))
      return v[i][1];
  return "warden";
}

struct propv {
  const struct ynode *k[SCHEMA_PROPS * 2];
  const struct ynode *v[SCHEMA_PROPS * 2];
  size_t n, max;
};

/* The properties of a schema and of its allOf parts (bounded). */
static void props_collect(struct sctx *c, const struct ynode *sch, struct propv *pv, int depth)
{
  sch = res(c, sch);
  if(!sch || depth > ALLOF_DEPTH)
    return;
  const struct ynode *props = y_deref(c->d, y_get(c->d, sch, "properties"));
  if(props && props->kind == Y_MAP)
    for(size_t i = 0; i < props->n && pv->n < pv->max; i++) {
      const char *k = y_str(c->d, props->u.items[2 * i]);
      size_t j = 0;
      while(k && j < pv->n && strcmp(y_str(c->d, pv->k[j]), k))
        j++;
      if(!k || j < pv->n)
        continue;
      pv->k[pv->n] = y_deref(c->d, props->u.items[2 * i]);
      pv->v[pv->n++] = props->u.items[2 * i + 1];
    }
  const struct ynode *all = y_get(c->d, sch, "allOf");
  for(size_t i = 0; i < y_len(c->d, all) && i < 8; i++)
    props_collect(c, y_item(c->d, all, i), pv, depth + 1);
}

static int required_in(struct sctx *c, const struct ynode *sch, const char *name, int depth)
{
  sch = res(c, sch);
  if(!sch || depth > ALLOF_DEPTH)
    return 0;
  const struct ynode *req = y_get(c->d, sch, "required");
  for(size_t i = 0; i < y_len(c->d, req) && i < 256; i++) {
    const char *s = y_str(c->d, y_item(c->d, req, i));
    if(s && !strcmp(s, name))
      return 1;
  }
  const struct ynode *all = y_get(c->d, sch, "allOf");
  for(size_t i = 0; i < y_len(c->d, all) && i < 8; i++)
    if(required_in(c, y_item(c->d, all, i), name, depth + 1))
      return 1;
  return 0;
}

/* A JSON value for a schema: its example if it has one, else built from
 * its type, format and properties. */
static void build_json(struct sctx *c, struct buf *b, const struct ynode *sch, int depth)
{
  sch = res(c, sch);
  if(!sch || depth > SCHEMA_DEPTH || b->truncated || !y_is_map(c->d, sch)) {
    buf_appendz(b, "null");
    return;
  }
  const char *type = schema_type(c, sch);
  const struct ynode *ex = schema_example(c, sch);
  if(ex) {
    json_node(c, b, ex, type, 0);
    return;
  }
  const struct ynode *alt = y_get(c->d, sch, "oneOf");
  if(!alt)
    alt = y_get(c->d, sch, "anyOf");
  if(!type && y_len(c->d, alt)) {
    build_json(c, b, y_item(c->d, alt, 0), depth + 1);
    return;
  }
  if(!type) {
    buf_appendz(b, "null");
  } else if(!strcmp(type, "object")) {
    struct propv pv = {.max = SCHEMA_PROPS};
    props_collect(c, sch, &pv, 0);
    buf_append(b, "{", 1);
    for(size_t i = 0; i < pv.n && !b->truncated; i++) {
      if(i)
        buf_append(b, ",", 1);
      json_str(b, pv.k[i]->u.s);
      buf_append(b, ":", 1);
      build_json(c, b, pv.v[i], depth + 1);
    }
    buf_append(b, "}", 1);
  } else if(!strcmp(type, "array")) {
    buf_append(b, "[", 1);
    build_json(c, b, y_get(c->d, sch, "items"), depth + 1);
    buf_append(b, "]", 1);
  } else if(!strcmp(type, "integer") || !strcmp(type, "number")) {
    const char *min = sget(c, sch, "minimum");
    buf_appendz(b, min && plain_is_json(min) && strcmp(min, "0") ? min : "1");
  } else if(!strcmp(type, "boolean")) {
    buf_appendz(b, "true");
  } else if(!strcmp(type, "string")) {
    json_str(b, string_for_format(sget(c, sch, "format")));
  } else {
    buf_appendz(b, "null");
  }
}

/* ---- parameters ----------------------------------------------------------- */

static int num_of(struct sctx *c, const struct ynode *map, const char *key, double *v)
{
  const char *s = sget(c, map, key);
  if(!s || !plain_is_json(s) || !strcmp(s, "true") || !strcmp(s, "false") ||
     !strcmp(s, "null"))
    return 0;
  *v = strtod(s, NULL);
  return 1;
}

/* Type, format, example and bounds from a parameter (Swagger keeps them
 * on the parameter) and its schema (OpenAPI 3). */
static void param_fill(struct sctx *c, struct spec_param *p, const struct ynode *par,
                       const struct ynode *sch)
{
  const struct ynode *src[2] = {par, sch};
  for(int i = 0; i < 2; i++) {
    const struct ynode *m = src[i];
    if(!m)
      continue;
    if(!p->type) {
      const char *t = schema_type(c, m);
      p->type = t ? intern(c->sp, t) : NULL;
    }
    if(!p->format)
      p->format = intern(c->sp, sget(c, m, "format"));
    if(!p->example) {
      const struct ynode *e = y_get(c->d, m, "example");
      if(!e && i == 0) { /* OpenAPI 3: examples: {name: {value: ...}} */
        const struct ynode *ex = y_deref(c->d, y_get(c->d, m, "examples"));
        if(ex && ex->kind == Y_MAP && ex->n)
          e = y_get(c->d, res(c, ex->u.items[1]), "value");
      }
      if(!e)
        e = schema_example(c, m);
      p->example = example_text(c, e);
    }
    if(!p->has_maximum)
      p->has_maximum = num_of(c, m, "maximum", &p->maximum) ||
                       num_of(c, m, "maxItems", &p->maximum) ||
                       num_of(c, m, "maxLength", &p->maximum);
  }
}

static int in_of(const char *s, enum spec_in *in)
{
  static const char *const names[] = {"path", "query", "header", "cookie", "body"};
  for(int i = 0; s && i < 5; i++)
    if(!strcmp(s, names[i])) {
      *in = (enum spec_in)i;
      return 1;
    }
  return 0;
}

struct opbuild {
  struct spec_op *o;
  size_t capparams, capbody;
  const struct ynode *body_schema; /* Swagger in: body */
  int form;                        /* Swagger in: formData seen */
  int multipart;
};

static void add_param(struct sctx *c, struct opbuild *ob, const struct ynode *par)
{
  struct spec_op *o = ob->o;
  par = res(c, par);
  if(!y_is_map(c->d, par))
    return;
  const char *name = sget(c, par, "name");
  const char *ins = sget(c, par, "in");
  if(ins && !strcmp(ins, "body")) {
    ob->body_schema = y_get(c->d, par, "schema");
    return;
  }
  if(ins && !strcmp(ins, "formData")) {
    if(!name || o->nbody_props >= SPEC_MAX_PARAMS)
      return;
    ob->form = 1;
    const char *t = sget(c, par, "type");
    if(t && !strcmp(t, "file"))
      ob->multipart = 1;
    o->body_props = xgrow(o->body_props, &ob->capbody, o->nbody_props + 1,
                          sizeof(*o->body_props));
    struct spec_param *p = &o->body_props[o->nbody_props++];
    memset(p, 0, sizeof(*p));
    p->name = intern(c->sp, name);
    p->in = SPEC_IN_BODY;
    p->required = y_bool(c->d, y_get(c->d, par, "required")) == 1;
    param_fill(c, p, par, NULL);
    return;
  }
  enum spec_in in;
  if(!name || !in_of(ins, &in) || in == SPEC_IN_BODY)
    return;
  /* An operation's parameter overrides the path item's of the same name
   * and place. */
  struct spec_param *p = NULL;
  for(size_t i = 0; i < o->nparams && !p; i++)
    if(o->params[i].in == in && !strcmp(o->params[i].name, name))
      p = &o->params[i];
  if(!p) {
    if(o->nparams >= SPEC_MAX_PARAMS)
      return;
    o->params = xgrow(o->params, &ob->capparams, o->nparams + 1, sizeof(*o->params));
    p = &o->params[o->nparams++];
  }
  memset(p, 0, sizeof(*p));
  p->name = intern(c->sp, name);
  p->in = in;
  p->required = y_bool(c->d, y_get(c->d, par, "required")) == 1 || in == SPEC_IN_PATH;
  param_fill(c, p, par, rget(c, par, "schema"));
}

static void add_params(struct sctx *c, struct opbuild *ob, const struct ynode *list)
{
  list = res(c, list);
  for(size_t i = 0; i < y_len(c->d, list) && i < 4 * SPEC_MAX_PARAMS; i++)
    add_param(c, ob, y_item(c->d, list, i));
}

/* ---- bodies and responses -------------------------------------------------- */

static void body_props_from(struct sctx *c, struct opbuild *ob, const struct ynode *sch)
{
  struct spec_op *o = ob->o;
  sch = res(c, sch);
  if(!sch)
    return;
  struct propv pv = {.max = SPEC_MAX_PARAMS};
  props_collect(c, sch, &pv, 0);
  for(size_t i = 0; i < pv.n && o->nbody_props < SPEC_MAX_PARAMS; i++) {
    o->body_props = xgrow(o->body_props, &ob->capbody, o->nbody_props + 1,
                          sizeof(*o->body_props));
    struct spec_param *p = &o->body_props[o->nbody_props++];
    memset(p, 0, sizeof(*p));
    p->name = intern(c->sp, pv.k[i]->u.s);
    p->in = SPEC_IN_BODY;
    p->required = required_in(c, sch, pv.k[i]->u.s, 0);
    param_fill(c, p, NULL, res(c, pv.v[i]));
  }
}

static char *body_json(struct sctx *c, const struct ynode *example, const struct ynode *sch)
{
  struct buf b;
  buf_init(&b, SPEC_MAX_EXAMPLE);
  if(example)
    json_node(c, &b, example, NULL, 0);
  else
    build_json(c, &b, sch, 0);
  char *r = b.truncated || !b.len ? NULL
                                  : intern_n(c->sp, buf_str(&b), b.len, SPEC_MAX_EXAMPLE);
  buf_cleanup(&b);
  return r;
}

static int is_json_type(const char *t)
{
  return t && (strstr(t, "/json") || strstr(t, "+json"));
}

/* The SPEC_BT_* bit of a media type (parameters ignored). */
static unsigned media_bit(const char *t)
{
  if(!t)
    return 0;
  size_t n = strcspn(t, "; \t");
  char m[96];
  if(n >= sizeof(m))
    return SPEC_BT_OTHER;
  for(size_t i = 0; i < n; i++)
    m[i] = (char)tolower((unsigned char)t[i]);
  m[n] = '\0';
  if(strchr(m, '*'))
    return SPEC_BT_ANY;
  if(is_json_type(m))
    return SPEC_BT_JSON;
  if(!strcmp(m, "application/x-www-form-urlencoded"))
    return SPEC_BT_FORM;
  if(!strncmp(m, "multipart/", 10))
    return SPEC_BT_MULTIPART;
  if(!strcmp(m, "application/xml") || !strcmp(m, "text/xml") || strstr(m, "+xml"))
    return SPEC_BT_XML;
  if(!strcmp(m, "text/plain"))
    return SPEC_BT_TEXT;
  return SPEC_BT_OTHER;
}

/* The SPEC_BT_* bits of a list of media types (Swagger's consumes). */
static unsigned media_bits_list(struct sctx *c, const struct ynode *list)
{
  unsigned bits = 0;
  for(size_t i = 0; i < y_len(c->d, list) && i < 16; i++)
    bits |= media_bit(y_str(c->d, y_item(c->d, list, i)));
  return bits;
}

/* The media type entry of a content map to use: JSON first. */
static const struct ynode *pick_media(struct sctx *c, const struct ynode *content,
                                      const char **ctype)
{
  content = y_deref(c->d, content);
  if(!content || content->kind != Y_MAP || !content->n)
    return NULL;
  size_t pick = 0;
  for(size_t i = 0; i < content->n; i++) {
    const char *k = y_str(c->d, content->u.items[2 * i]);
    if(k && !strcmp(k, "application/json")) {
      pick = i;
      break;
    }
    if(k && is_json_type(k) && !is_json_type(y_str(c->d, content->u.items[2 * pick])))
      pick = i;
  }
  *ctype = y_str(c->d, content->u.items[2 * pick]);
  return res(c, content->u.items[2 * pick + 1]);
}

static void op_body(struct sctx *c, struct opbuild *ob, const struct ynode *op)
{
  struct spec_op *o = ob->o;
  const struct ynode *rb = rget(c, op, "requestBody");
  if(rb) { /* OpenAPI 3 */
    const char *ctype = NULL;
    const struct ynode *content = y_deref(c->d, y_get(c->d, rb, "content"));
    const struct ynode *media = pick_media(c, content, &ctype);
    if(!media || !ctype)
      return;
    for(size_t i = 0; i < content->n && i < 16; i++)
      o->body_types |= media_bit(y_str(c->d, content->u.items[2 * i]));
    o->body_ctype = intern(c->sp, ctype);
    const struct ynode *sch = rget(c, media, "schema");
    body_props_from(c, ob, sch);
    if(!is_json_type(ctype))
      return;
    const struct ynode *ex = y_get(c->d, media, "example");
    if(!ex) {
      const struct ynode *exs = y_deref(c->d, y_get(c->d, media, "examples"));
      if(exs && exs->kind == Y_MAP && exs->n)
        ex = y_get(c->d, res(c, exs->u.items[1]), "value");
    }
    o->body_example = body_json(c, ex, sch);
    return;
  }
  /* Swagger 2: a body parameter, or form fields. */
  const struct ynode *cons = y_get(c->d, op, "consumes");
  const char *ctype = NULL;
  for(size_t i = 0; i < y_len(c->d, cons) && i < 16; i++) {
    const char *t = y_str(c->d, y_item(c->d, cons, i));
    if(t && (!ctype || (is_json_type(t) && !is_json_type(ctype))))
      ctype = t;
  }
  unsigned types = y_len(c->d, cons) ? media_bits_list(c, cons) : c->consumes_types;
  if(!ctype)
    ctype = c->consumes;
  if(ob->body_schema)
    o->body_types = types ? types : SPEC_BT_JSON;
  else if(ob->form)
    o->body_types = types ? types : SPEC_BT_FORM;
  if(ob->body_schema) {
    o->body_ctype = intern(c->sp, ctype && is_json_type(ctype) ? ctype
                                  : ctype ? ctype : "application/json");
    body_props_from(c, ob, ob->body_schema);
    if(is_json_type(o->body_ctype)) {
      const struct ynode *sch = res(c, ob->body_schema);
      o->body_example = body_json(c, NULL, sch);
    }
  } else if(ob->form) {
    o->body_ctype = intern(c->sp, ob->multipart || (ctype && strstr(ctype, "multipart"))
                                      ? "multipart/form-data"
                                      : "application/x-www-form-urlencoded");
  }
}

static void resp_props_from(struct sctx *c, struct spec_op *o, const struct ynode *sch)
{
  sch = res(c, sch);
  if(!sch)
    return;
  o->resp_props_known = 1;
  const char *t = schema_type(c, sch);
  if(t && !strcmp(t, "array"))
    sch = rget(c, sch, "items");
  struct propv pv = {.max = SPEC_MAX_RESP_PROPS};
  props_collect(c, sch, &pv, 0);
  if(!pv.n)
    return;
  o->resp_props = xmalloc(pv.n * sizeof(char *));
  for(size_t i = 0; i < pv.n; i++)
    o->resp_props[i] = intern(c->sp, pv.k[i]->u.s);
  o->nresp_props = pv.n;
}

static void op_responses(struct sctx *c, struct spec_op *o, const struct ynode *op)
{
  const struct ynode *rs = y_deref(c->d, y_get(c->d, op, "responses"));
  if(!rs || rs->kind != Y_MAP)
    return;
  /* The lowest 2xx code declared ("200" before "201", "2XX" last). */
  const struct ynode *best = NULL;
  const char *bestk = NULL;
  for(size_t i = 0; i < rs->n; i++) {
    const char *k = y_str(c->d, rs->u.items[2 * i]);
    if(!k || k[0] != '2' || strlen(k) != 3)
      continue;
    if(!bestk || strcmp(k, bestk) < 0)
      bestk = k, best = rs->u.items[2 * i + 1];
  }
  const struct ynode *r = res(c, best);
  if(!r)
    return;
  const struct ynode *sch = y_get(c->d, r, "schema"); /* Swagger 2 */
  if(!sch) {
    const char *ctype = NULL;
    const struct ynode *media = pick_media(c, y_get(c->d, r, "content"), &ctype);
    if(media && is_json_type(ctype))
      sch = y_get(c->d, media, "schema");
  }
  resp_props_from(c, o, sch);
}

/* ---- operations ------------------------------------------------------------ */

/* A security requirement list applies when it holds at least one
 * non-empty requirement object ("{}" means "optional"). */
static int security_applies(struct sctx *c, const struct ynode *sec)
{
  for(size_t i = 0; i < y_len(c->d, sec) && i < 64; i++) {
    const struct ynode *req = y_item(c->d, sec, i);
    if(y_is_map(c->d, req) && req->n > 0)
      return 1;
  }
  return 0;
}

/* ---- webhooks and callbacks ---------------------------------------------- */

/* What documents the signature of the request op (in path item item)
 * sends: a header parameter whose name says signature or HMAC, else a
 * non-empty security requirement on op; NULL when nothing does. */
static char *hook_signature(struct sctx *c, const struct ynode *item, const struct ynode *op)
{
  const struct ynode *lists[2] = {y_get(c->d, item, "parameters"), y_get(c->d, op, "parameters")};
  for(int l = 0; l < 2; l++) {
    const struct ynode *list = res(c, lists[l]);
    for(size_t i = 0; i < y_len(c->d, list) && i < SPEC_MAX_PARAMS; i++) {
      const struct ynode *par = res(c, y_item(c->d, list, i));
      const char *in = sget(c, par, "in"), *name = sget(c, par, "name");
      if(in && name && !strcasecmp(in, "header") &&
         (strcasestr(name, "signature") || strcasestr(name, "hmac")))
        return intern(c->sp, name);
    }
  }
  const struct ynode *sec = y_get(c->d, op, "security");
  if(sec && security_applies(c, sec))
    return intern(c->sp, "security");
  return NULL;
}

/* One hook per method of path item v. */
static void add_hooks(struct sctx *c, const char *name, const char *expr, size_t owner,
                      const struct ynode *v)
{
  struct spec *sp = c->sp;
  const struct ynode *item = res(c, v);
  if(!name || !y_is_map(c->d, item))
    return;
  for(size_t m = 0; m < sizeof(spec_methods) / sizeof(spec_methods[0]); m++) {
    const struct ynode *op = y_deref(c->d, y_get(c->d, item, spec_methods[m]));
    if(!op || op->kind != Y_MAP)
      continue;
    sp->hooks_total++;
    if(sp->nhooks >= SPEC_MAX_HOOKS)
      continue;
    if(!sp->hooks)
      sp->hooks = xmalloc(SPEC_MAX_HOOKS * sizeof(*sp->hooks));
    struct spec_hook *h = &sp->hooks[sp->nhooks++];
    memset(h, 0, sizeof(*h));
    char mu[16];
    size_t i = 0;
    for(; spec_methods[m][i] && i + 1 < sizeof(mu); i++)
      mu[i] = (char)toupper((unsigned char)spec_methods[m][i]);
    mu[i] = '\0';
    h->name = intern(sp, name);
    h->method = intern(sp, mu);
    h->expr = expr ? intern(sp, expr) : NULL;
    h->op = owner;
    h->signature = hook_signature(c, item, op);
  }
}

/* A mapping's string keys and values, at most max pairs. */
#define HOOK_PAIRS_MAX 64
static void each_pair(struct sctx *c, const struct ynode *map,
                      void (*fn)(struct sctx *c, const char *key, const struct ynode *v, void *arg),
                      void *arg)
{
  map = res(c, map);
  if(!map || map->kind != Y_MAP)
    return;
  for(size_t i = 0; i < map->n && i < HOOK_PAIRS_MAX; i++) {
    const char *k = y_str(c->d, map->u.items[2 * i]);
    if(k && strcmp(k, "<<") && strncmp(k, "x-", 2))
      fn(c, k, map->u.items[2 * i + 1], arg);
  }
}

struct cb_arg {
  const char *name;
  size_t owner;
};

static void callback_expr(struct sctx *c, const char *expr, const struct ynode *v, void *arg)
{
  const struct cb_arg *a = arg;
  add_hooks(c, a->name, expr, a->owner, v);
}

static void callback_one(struct sctx *c, const char *name, const struct ynode *v, void *arg)
{
  struct cb_arg a = {name, *(const size_t *)arg};
  each_pair(c, v, callback_expr, &a);
}

static void webhook_one(struct sctx *c, const char *name, const struct ynode *v, void *arg)
{
  (void)arg;
  add_hooks(c, name, NULL, SPEC_HOOK_NO_OP, v);
}

static void add_op(struct sctx *c, const char *path, const char *method,
                   const struct ynode *item, const struct ynode *op)
{
  struct spec *sp = c->sp;
  sp->ops = xgrow(sp->ops, &sp->cap, sp->n + 1, sizeof(*sp->ops));
  struct spec_op *o = &sp->ops[sp->n++];
  memset(o, 0, sizeof(*o));
  char m[16];
  size_t i = 0;
  for(; method[i] && i + 1 < sizeof(m); i++)
    m[i] = (char)toupper((unsigned char)method[i]);
  m[i] = '\0';
  o->method = intern(sp, m);
  char *full = xasprintf("%s%s", c->bp, path);
  o->path = intern_n(sp, full, strlen(full), SPEC_MAX_BYTES);
  free(full);
  const struct ynode *sec = y_get(c->d, op, "security");
  o->secured = sec ? security_applies(c, sec) : c->global_secured;
  o->operation_id = intern(sp, sget(c, op, "operationId"));
  o->summary = intern(sp, sget(c, op, "summary"));
  const struct ynode *tags = y_get(c->d, op, "tags");
  size_t ntags = y_len(c->d, tags);
  for(size_t t = 0; t < ntags && o->ntags < SPEC_MAX_TAGS; t++) {
    const char *s = y_str(c->d, y_item(c->d, tags, t));
    if(!s)
      continue;
    if(!o->tags)
      o->tags = xmalloc((ntags < SPEC_MAX_TAGS ? ntags : SPEC_MAX_TAGS) * sizeof(char *));
    o->tags[o->ntags++] = intern(sp, s);
  }
  o->deprecated = y_bool(c->d, y_get(c->d, op, "deprecated")) == 1;
  struct opbuild ob = {.o = o};
  add_params(c, &ob, y_get(c->d, item, "parameters"));
  add_params(c, &ob, y_get(c->d, op, "parameters"));
  size_t nq = 0;
  for(size_t p = 0; p < o->nparams; p++)
    nq += o->params[p].in == SPEC_IN_QUERY;
  if(nq > SPEC_MAX_QUERY)
    nq = SPEC_MAX_QUERY;
  for(size_t p = 0; p < o->nparams && o->nquery < nq; p++) {
    if(!o->query)
      o->query = xmalloc(nq * sizeof(char *));
    if(o->params[p].in == SPEC_IN_QUERY)
      o->query[o->nquery++] = o->params[p].name;
  }
  op_body(c, &ob, op);
  op_responses(c, o, op);
  /* Its callbacks: name -> {URL expression -> path item}. */
  size_t owner = sp->n - 1;
  each_pair(c, y_get(c->d, op, "callbacks"), callback_one, &owner);
  /* Exactly as large as what they hold: a large spec has many of them. */
  if(o->nparams < ob.capparams)
    o->params = xrealloc(o->params, o->nparams * sizeof(*o->params));
  if(o->nbody_props < ob.capbody)
    o->body_props = xrealloc(o->body_props, o->nbody_props * sizeof(*o->body_props));
}

static int do_path_item(void *ctx, const char *key, const struct ynode *k,
                        const struct ynode *v, struct ydoc *d, char *err, size_t errlen)
{
  struct sctx *c = ctx;
  (void)key;
  (void)d;
  (void)err;
  (void)errlen;
  c->d->budget = ITEM_BUDGET; /* per path item: a large spec is not a bomb */
  c->d->exhausted = 0;
  const char *path = y_str(c->d, k);
  const struct ynode *item = res(c, v);
  if(!path || path[0] != '/' || !y_is_map(c->d, item))
    return 0;
  for(size_t m = 0; m < sizeof(spec_methods) / sizeof(spec_methods[0]); m++) {
    const struct ynode *op = y_deref(c->d, y_get(c->d, item, spec_methods[m]));
    if(op && op->kind == Y_MAP)
      add_op(c, path, spec_methods[m], item, op);
  }
  return 0;
}

/* ---- the document ----------------------------------------------------------- */

static void add_server(struct sctx *c, const char *url)
{
  struct spec *sp = c->sp;
  if(!url || !*url || sp->nservers >= SPEC_MAX_SERVERS)
    return;
  if(!sp->servers)
    sp->servers = xmalloc(SPEC_MAX_SERVERS * sizeof(char *));
  sp->servers[sp->nservers++] = intern(sp, url);
}

/* servers[].url with its {variables} replaced by their defaults. */
static void read_servers(struct sctx *c, const struct ynode *root)
{
  const struct ynode *servers = y_get(c->d, root, "servers");
  for(size_t i = 0; i < y_len(c->d, servers) && i < SPEC_MAX_SERVERS; i++) {
    const struct ynode *srv = y_item(c->d, servers, i);
    const char *u = sget(c, srv, "url");
    if(!u)
      continue;
    const struct ynode *vars = y_get(c->d, srv, "variables");
    struct buf b;
    buf_init(&b, SPEC_MAX_TEXT);
    for(const char *p = u; *p;) {
      const char *e = *p == '{' ? strchr(p, '}') : NULL;
      if(e && e - p < 128) {
        char vn[128];
        snprintf(vn, sizeof(vn), "%.*s", (int)(e - p - 1), p + 1);
        const char *def = sget(c, y_get(c->d, vars, vn), "default");
        if(def) {
          buf_appendz(&b, def);
          p = e + 1;
          continue;
        }
      }
      buf_append(&b, p++, 1);
    }
    add_server(c, buf_str(&b));
    buf_cleanup(&b);
  }
  /* Swagger 2: scheme://host + basePath. */
  const char *host = sget(c, root, "host");
  const char *bp = sget(c, root, "basePath");
  if(host) {
    const char *scheme = y_str(c->d, y_item(c->d, y_get(c->d, root, "schemes"), 0));
    char *u = xasprintf("%s://%s%s", scheme ? scheme : "https", host, bp ? bp : "");
    add_server(c, u);
    free(u);
  } else if(bp && !c->sp->nservers) {
    add_server(c, bp);
  }
}

static char *base_path(struct sctx *c, const struct ynode *root)
{
  const char *b = sget(c, root, "basePath");
  char *bp = b ? xstrdup(b) : NULL;
  if(!bp) {
    const char *u = c->sp->nservers && !sget(c, root, "host") ? c->sp->servers[0] : NULL;
    if(u) {
      /* "https://api.example.com/v1" and "/v1" both give "/v1". */
      const char *p = strstr(u, "://");
      p = p ? strchr(p + 3, '/') : (u[0] == '/' ? u : NULL);
      bp = p ? xstrdup(p) : NULL;
    }
  }
  if(bp) {
    size_t l = strlen(bp);
    while(l > 0 && bp[l - 1] == '/')
      bp[--l] = '\0';
    if(bp[0] != '/' || strchr(bp, '{')) {
      free(bp);
      bp = NULL;
    }
  }
  return bp ? bp : xstrdup("");
}

/* Everything but the paths; the root must be an OpenAPI mapping. */
static int read_top(struct sctx *c, const struct ynode *root, char *err, size_t errlen)
{
  if(!root) {
    snprintf(err, errlen, "%s: empty document: not an OpenAPI document", c->name);
    return -1;
  }
  if(!y_is_map(c->d, root)) {
    snprintf(err, errlen, "%s:%d:%d: not an OpenAPI document (the top level is not a mapping)",
             c->name, root->line, root->col);
    return -1;
  }
  if(!y_get(c->d, root, "openapi") && !y_get(c->d, root, "swagger")) {
    snprintf(err, errlen,
             "%s:%d:%d: not an OpenAPI document (no \"openapi\" or \"swagger\" key)",
             c->name, root->line, root->col);
    return -1;
  }
  c->sp->title = intern(c->sp, sget(c, y_get(c->d, root, "info"), "title"));
  c->global_secured = security_applies(c, y_get(c->d, root, "security"));
  read_servers(c, root);
  c->bp = base_path(c, root);
  /* OpenAPI 3.1: the requests the API sends, name -> path item. */
  each_pair(c, y_get(c->d, root, "webhooks"), webhook_one, NULL);
  const struct ynode *cons = y_get(c->d, root, "consumes");
  for(size_t i = 0; i < y_len(c->d, cons) && i < 16; i++) {
    const char *t = y_str(c->d, y_item(c->d, cons, i));
    if(t && (!c->consumes || (is_json_type(t) && !is_json_type(c->consumes))))
      c->consumes = t;
  }
  c->consumes_types = media_bits_list(c, cons);
  return 0;
}

static int want_top(void *ctx, const char *key)
{
  (void)ctx;
  return strcmp(key, "paths") ? YS_KEEP : YS_SKIP;
}

static int want_paths(void *ctx, const char *key)
{
  struct sctx *c = ctx;
  if(strcmp(key, "paths"))
    return YS_SKIP;
  c->paths_seen = 1;
  return YS_EACH;
}

static int paths_error(struct sctx *c, const struct ynode *root, char *err, size_t errlen)
{
  const struct ynode *p = y_get(c->d, root, "paths");
  if(p && y_is_map(c->d, p))
    return 0;
  if(p)
    snprintf(err, errlen, "%s:%d:%d: OpenAPI document: \"paths\" is not a mapping", c->name,
             p->line, p->col);
  else
    snprintf(err, errlen, "%s: OpenAPI document has no \"paths\" mapping", c->name);
  return -1;
}

/* One pass of the loader over the text: the next whole document (cb
 * NULL: yl_next) or the first one streamed through cb (yl_stream). The
 * caller frees *l, also when the pass failed. Returns 1 (a document), 0
 * (an empty stream), -2 (an alias met a forgotten anchor: read the text
 * whole) or -1 with err set ("name:line:col: what"). */
static int load_pass(struct sctx *c, const char *text, size_t len, const struct ystream *cb,
                     struct yloader **l, struct ydoc *doc, char *err, size_t errlen)
{
  char what[400];
  *l = yl_new(text, len);
  if(!*l) {
    snprintf(err, errlen, "%s: out of memory", c->name);
    return -1;
  }
  int r = cb ? yl_stream(*l, cb, doc, what, sizeof(what)) : yl_next(*l, doc, what, sizeof(what));
  if(r < 0 && r != -2)
    snprintf(err, errlen, "%s:%s", c->name, what);
  return r;
}

/* The whole document as one tree: for a spec whose aliases cross what
 * the streaming reader forgets. */
static int parse_whole(struct sctx *c, const char *text, size_t len, char *err, size_t errlen)
{
  struct yloader *l;
  struct ydoc doc;
  int rc = load_pass(c, text, len, NULL, &l, &doc, err, errlen);
  if(rc < 0) {
    yl_free(l);
    return -1;
  }
  c->d = &doc;
  c->root = rc == 1 ? doc.root : NULL;
  rc = read_top(c, c->root, err, errlen);
  if(rc == 0)
    rc = paths_error(c, c->root, err, errlen);
  if(rc == 0) {
    const struct ynode *paths = y_deref(c->d, y_get(c->d, c->root, "paths"));
    for(size_t i = 0; i < paths->n; i++)
      do_path_item(c, "paths", y_deref(c->d, paths->u.items[2 * i]),
                   paths->u.items[2 * i + 1], &doc, err, errlen);
  }
  yl_free(l);
  c->d = NULL;
  return rc;
}

/* The two streaming passes; -2 when an alias needs the whole document. */
static int parse_stream(struct sctx *c, const char *text, size_t len, char *err, size_t errlen)
{
  struct yloader *top, *pl = NULL;
  struct ydoc doc, pdoc;
  int rc = -1;
  struct ystream s1 = {c, want_top, NULL};
  int r = load_pass(c, text, len, &s1, &top, &doc, err, errlen);
  if(r < 0) {
    rc = r;
    goto out;
  }
  c->d = &doc;
  c->root = r == 1 ? doc.root : NULL;
  if(read_top(c, c->root, err, errlen))
    goto out;
  struct ystream s2 = {c, want_paths, do_path_item};
  r = load_pass(c, text, len, &s2, &pl, &pdoc, err, errlen);
  c->d = &doc;
  if(r < 0) {
    rc = r;
    goto out;
  }
  /* pdoc's root holds "paths" as an empty mapping when it was one. */
  rc = paths_error(c, r == 1 ? pdoc.root : NULL, err, errlen);
out:
  yl_free(pl);
  yl_free(top);
  c->d = NULL;
  return rc;
}

static void spec_clear_ops(struct spec *sp)
{
  for(size_t i = 0; i < sp->n; i++) {
    struct spec_op *o = &sp->ops[i];
    free(o->query);
    free(o->params);
    free(o->tags);
    free(o->body_props);
    free(o->resp_props);
  }
  free(sp->ops);
  sp->ops = NULL;
  sp->n = sp->cap = 0;
  free(sp->hooks);
  sp->hooks = NULL;
  sp->nhooks = sp->hooks_total = 0;
  free(sp->servers);
  sp->servers = NULL;
  sp->nservers = 0;
  sp->title = NULL;
  sp->refs_unresolved = 0;
}

int spec_parse(struct spec *sp, const char *text, size_t len,
               const char *name, char *err, size_t errlen)
{
  memset(sp, 0, sizeof(*sp));
  if(len > SPEC_MAX_BYTES) {
    snprintf(err, errlen, "%s: too large for a spec (%zu bytes)", name, len);
    return -1;
  }
  /* JSON and YAML are UTF-8 here; the first bad byte is named. */
  size_t bad = str_utf8_invalid_at(text, len);
  if(bad < len) {
    int line = 1, col = 1;
    for(size_t i = 0; i < bad; i++) {
      if(text[i] == '\n')
        line++, col = 1;
      else if(((unsigned char)text[i] & 0xc0) != 0x80)
        col++;
    }
    snprintf(err, errlen, "%s:%d:%d: not valid UTF-8 (byte 0x%02x)", name, line, col,
             (unsigned char)text[bad]);
    return -1;
  }
  struct sctx c = {.sp = sp, .name = name};
  int rc = parse_stream(&c, text, len, err, errlen);
  if(rc == -2) {
    spec_clear_ops(sp);
    free(c.bp);
    c.bp = NULL;
    c.consumes = NULL;
    c.consumes_types = 0;
    c.paths_seen = 0;
    rc = parse_whole(&c, text, len, err, errlen);
  }
  if(rc == 0 && sp->n < sp->cap) {
    sp->ops = xrealloc(sp->ops, sp->n * sizeof(*sp->ops));
    sp->cap = sp->n;
  }
  free(c.bp);
  for(size_t i = 0; i < c.caprefs; i++)
    free(c.refs[i].ref);
  free(c.refs);
  if(rc)
    spec_cleanup(sp);
  return rc;
}

int spec_load_file(struct spec *sp, const char *path, char *err, size_t errlen)
{
  memset(sp, 0, sizeof(*sp));
  FILE *f = fopen(path, "rb");
  if(!f) {
    snprintf(err, errlen, "%s: cannot open spec: %s", path, strerror(errno));
    return -1;
  }
  struct buf b;
  buf_init(&b, SPEC_MAX_BYTES + 1);
  char chunk[65536];
  size_t n;
  while((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    if(buf_append(&b, chunk, n) < 0)
      break;
  int rd_err = ferror(f);
  fclose(f);
  int rc;
  if(rd_err) {
    snprintf(err, errlen, "%s: cannot read spec", path);
    rc = -1;
  } else {
    rc = spec_parse(sp, buf_str(&b), b.len, path, err, errlen);
  }
  buf_cleanup(&b);
  return rc;
}

void spec_cleanup(struct spec *sp)
{
  spec_clear_ops(sp);
  struct spec_strs *t = sp->strs;
  if(t) {
    for(size_t i = 0; i < t->cap; i++)
      free(t->v[i]);
    free(t->v);
    free(t);
  }
  memset(sp, 0, sizeof(*sp));
}
