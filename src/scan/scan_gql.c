/*
 * scan_gql.c - a recursive field in a GraphQL introspection answer
 * (scan_gql.h). Reads only; every value is checked for its JSON type.
 */
#include "scan_gql.h"

#include <stdio.h>
#include <string.h>

#define GQL_MAX_TYPES 2000
#define GQL_MAX_FIELDS 200

/* The named type under list and non-null wrappers (type and three
 * ofType: the depth GQL_SCHEMA_QUERY asks, enough for [T!]!), or NULL. */
static const char *gql_base(const json_t *t)
{
  for(int i = 0; i < 4 && json_is_object(t); i++) {
    const json_t *n = json_object_get(t, "name");
    if(json_is_string(n))
      return json_string_value(n);
    t = json_object_get(t, "ofType");
  }
  return NULL;
}

/* 1 when the field takes a required argument (NON_NULL, no way to fill
 * it without knowing the schema's values). */
static int gql_required_args(const json_t *f)
{
  const json_t *args = json_object_get(f, "args");
  for(size_t i = 0; json_is_array(args) && i < json_array_size(args) && i < GQL_MAX_FIELDS; i++) {
    const json_t *k = json_object_get(json_object_get(json_array_get(args, i), "type"), "kind");
    if(json_is_string(k) && !strcmp(json_string_value(k), "NON_NULL"))
      return 1;
  }
  return 0;
}

static const json_t *gql_type(const json_t *types, const char *name)
{
  for(size_t i = 0; i < json_array_size(types) && i < GQL_MAX_TYPES; i++) {
    const json_t *t = json_array_get(types, i);
    const json_t *n = json_object_get(t, "name");
    if(json_is_string(n) && !strcmp(json_string_value(n), name))
      return t;
  }
  return NULL;
}

/* A usable field name: a GraphQL name, short. */
static int gql_name_ok(const char *n)
{
  size_t l = strlen(n);
  if(!l || l > 64 || n[0] == '_')
    return 0;
  for(size_t i = 0; i < l; i++) {
    char c = n[i];
    if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return 0;
  }
  return !(n[0] >= '0' && n[0] <= '9');
}

int gql_self_loop(const json_t *data, char *root, size_t rootlen, char *loop, size_t looplen)
{
  const json_t *sch = json_is_object(data) ? json_object_get(data, "__schema") : NULL;
  const json_t *types = json_is_object(sch) ? json_object_get(sch, "types") : NULL;
  const json_t *qn = json_is_object(sch) ? json_object_get(json_object_get(sch, "queryType"), "name") : NULL;
  if(!json_is_array(types) || !json_is_string(qn))
    return 0;
  const json_t *q = gql_type(types, json_string_value(qn));
  const json_t *qf = q ? json_object_get(q, "fields") : NULL;
  for(size_t i = 0; json_is_array(qf) && i < json_array_size(qf) && i < GQL_MAX_FIELDS; i++) {
    const json_t *f = json_array_get(qf, i);
    const json_t *fn = json_object_get(f, "name");
    const char *tn = gql_base(json_object_get(f, "type"));
    if(!json_is_string(fn) || !tn || !gql_name_ok(json_string_value(fn)) || gql_required_args(f))
      continue;
    const json_t *t = gql_type(types, tn);
    const json_t *tf = t ? json_object_get(t, "fields") : NULL;
    for(size_t k = 0; json_is_array(tf) && k < json_array_size(tf) && k < GQL_MAX_FIELDS; k++) {
      const json_t *g = json_array_get(tf, k);
      const json_t *gn = json_object_get(g, "name");
      const char *gt = gql_base(json_object_get(g, "type"));
      if(!json_is_string(gn) || !gt || strcmp(gt, tn) || !gql_name_ok(json_string_value(gn)) ||
         gql_required_args(g))
        continue;
      if(strlen(json_string_value(fn)) >= rootlen || strlen(json_string_value(gn)) >= looplen)
        return 0;
      snprintf(root, rootlen, "%s", json_string_value(fn));
      snprintf(loop, looplen, "%s", json_string_value(gn));
      return 1;
    }
  }
  return 0;
}
