#include "scan_spec.h"

#include <ctype.h>
#include <errno.h>
#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "../core/core_str.h"

/* A spec bigger than this is not a spec anyone wrote by hand. */
#define SPEC_MAX_BYTES (32u * 1024 * 1024)

static const char *const spec_methods[] = {"get", "put", "post", "delete",
                                           "options", "head", "patch",
                                           "trace"};

static int node_is_str(struct fy_node *n, const char *s)
{
  size_t len;
  const char *v = n ? fy_node_get_scalar(n, &len) : NULL;
  return v && len == strlen(s) && memcmp(v, s, len) == 0;
}

static char *node_strdup(struct fy_node *n)
{
  size_t len;
  const char *v = n ? fy_node_get_scalar(n, &len) : NULL;
  return v ? xstrndup(v, len) : NULL;
}

/* A security requirement list applies when it holds at least one
 * non-empty requirement object ("{}" means "optional"). */
static int security_applies(struct fy_node *sec)
{
  if(!sec || !fy_node_is_sequence(sec))
    return 0;
  void *it = NULL;
  struct fy_node *req;
  while((req = fy_node_sequence_iterate(sec, &it)))
    if(fy_node_is_mapping(req) && fy_node_mapping_item_count(req) > 0)
      return 1;
  return 0;
}

static void add_query_params(struct spec_op *op, struct fy_node *params)
{
  if(!params || !fy_node_is_sequence(params))
    return;
  void *it = NULL;
  struct fy_node *p;
  while((p = fy_node_sequence_iterate(params, &it))) {
    if(!fy_node_is_mapping(p))
      continue;
    if(!node_is_str(fy_node_mapping_lookup_by_string(p, "in", -1), "query"))
      continue;
    char *name = node_strdup(fy_node_mapping_lookup_by_string(p, "name", -1));
    if(!name)
      continue;
    if(op->nquery >= 16) {
      free(name);
      continue;
    }
    op->query = xrealloc(op->query, (op->nquery + 1) * sizeof(char *));
    op->query[op->nquery++] = name;
  }
}

static char *base_path(struct fy_node *root)
{
  char *bp = node_strdup(fy_node_mapping_lookup_by_string(root, "basePath", -1));
  if(!bp) {
    struct fy_node *servers = fy_node_mapping_lookup_by_string(root, "servers", -1);
    if(servers && fy_node_is_sequence(servers)) {
      void *it = NULL;
      struct fy_node *srv = fy_node_sequence_iterate(servers, &it);
      char *u = srv && fy_node_is_mapping(srv)
                    ? node_strdup(fy_node_mapping_lookup_by_string(srv, "url", -1))
                    : NULL;
      if(u) {
        /* "https://api.example.com/v1" and "/v1" both give "/v1". */
        char *p = strstr(u, "://");
        p = p ? strchr(p + 3, '/') : (u[0] == '/' ? u : NULL);
        bp = p ? xstrdup(p) : NULL;
        free(u);
      }
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

static int spec_walk(struct spec *sp, struct fy_node *root, const char *name,
                     char *err, size_t errlen)
{
  if(!root || !fy_node_is_mapping(root)) {
    snprintf(err, errlen, "%s: not an OpenAPI document (the top level is not a mapping)", name);
    return -1;
  }
  struct fy_node *paths = fy_node_mapping_lookup_by_string(root, "paths", -1);
  if(!fy_node_mapping_lookup_by_string(root, "openapi", -1) &&
     !fy_node_mapping_lookup_by_string(root, "swagger", -1)) {
    snprintf(err, errlen, "%s: not an OpenAPI document (no \"openapi\" or \"swagger\" key)", name);
    return -1;
  }
  if(!paths || !fy_node_is_mapping(paths)) {
    snprintf(err, errlen, "%s: OpenAPI document has no \"paths\" mapping", name);
    return -1;
  }
  struct fy_node *info = fy_node_mapping_lookup_by_string(root, "info", -1);
  if(info && fy_node_is_mapping(info))
    sp->title = node_strdup(fy_node_mapping_lookup_by_string(info, "title", -1));
  int global = security_applies(fy_node_mapping_lookup_by_string(root, "security", -1));
  char *bp = base_path(root);
  void *it = NULL;
  struct fy_node_pair *pp;
  while((pp = fy_node_mapping_iterate(paths, &it))) {
    char *path = node_strdup(fy_node_pair_key(pp));
    struct fy_node *item = fy_node_pair_value(pp);
    if(!path || path[0] != '/' || !item || !fy_node_is_mapping(item)) {
      free(path);
      continue;
    }
    struct fy_node *item_params = fy_node_mapping_lookup_by_string(item, "parameters", -1);
    for(size_t m = 0; m < sizeof(spec_methods) / sizeof(spec_methods[0]); m++) {
      struct fy_node *op = fy_node_mapping_lookup_by_string(item, spec_methods[m], -1);
      if(!op || !fy_node_is_mapping(op))
        continue;
      if(sp->n >= SPEC_MAX_OPS) {
        sp->skipped++; /* counted: the scan says so (no silent cap) */
        continue;
      }
      sp->ops = xgrow(sp->ops, &sp->cap, sp->n + 1, sizeof(*sp->ops));
      struct spec_op *o = &sp->ops[sp->n++];
      memset(o, 0, sizeof(*o));
      o->method = xstrdup(spec_methods[m]);
      for(char *c = o->method; *c; c++)
        *c = (char)toupper((unsigned char)*c);
      o->path = xasprintf("%s%s", bp, path);
      struct fy_node *sec = fy_node_mapping_lookup_by_string(op, "security", -1);
      o->secured = sec ? security_applies(sec) : global;
      add_query_params(o, item_params);
      add_query_params(o, fy_node_mapping_lookup_by_string(op, "parameters", -1));
    }
    free(path);
  }
  free(bp);
  return 0;
}

int spec_parse(struct spec *sp, const char *text, size_t len,
               const char *name, char *err, size_t errlen)
{
  memset(sp, 0, sizeof(*sp));
  if(len > SPEC_MAX_BYTES) {
    snprintf(err, errlen, "%s: too large for a spec (%zu bytes)", name, len);
    return -1;
  }
  /* JSON and YAML are UTF-8 here. libfyaml 0.7.12 never returns from a
   * directive line ("%...") holding a byte that is not UTF-8 (found by
   * fuzz_spec: a served /openapi.json of "%\xff" hung the scan past
   * --max-time), so such text never reaches it. */
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
  struct fy_diag_cfg dcfg;
  fy_diag_cfg_default(&dcfg);
  dcfg.fp = NULL;
  struct fy_diag *diag = fy_diag_create(&dcfg);
  if(diag)
    fy_diag_set_collect_errors(diag, true);
  /* Duplicate keys allowed: the default check is quadratic (c-stack.md).
   * Aliases are left unresolved: resolving them is a memory bomb. */
  struct fy_parse_cfg cfg = {
    .flags = FYPCF_QUIET | FYPCF_ALLOW_DUPLICATE_KEYS,
    .diag = diag,
  };
  struct fy_document *doc = fy_document_build_from_string(&cfg, text, len);
  int rc = -1;
  if(!doc) {
    void *it = NULL;
    struct fy_diag_error *de = diag ? fy_diag_errors_iterate(diag, &it) : NULL;
    if(de)
      snprintf(err, errlen, "%s:%d:%d: %s", name, de->line + 1, de->column + 1, de->msg);
    else
      snprintf(err, errlen, "%s: not valid JSON or YAML", name);
  } else {
    rc = spec_walk(sp, fy_document_root(doc), name, err, errlen);
    fy_document_destroy(doc);
  }
  if(diag)
    fy_diag_destroy(diag);
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
  for(size_t i = 0; i < sp->n; i++) {
    free(sp->ops[i].method);
    free(sp->ops[i].path);
    for(size_t j = 0; j < sp->ops[i].nquery; j++)
      free(sp->ops[i].query[j]);
    free(sp->ops[i].query);
  }
  free(sp->ops);
  free(sp->title);
  memset(sp, 0, sizeof(*sp));
}
