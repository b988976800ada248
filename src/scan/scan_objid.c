/*
 * scan_objid.c - object ids, owners and links in a JSON answer
 * (scan_objid.h).
 */
#include "scan_objid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"

static int is_dig(unsigned char c)
{
  return c >= '0' && c <= '9';
}

static int is_hex(unsigned char c)
{
  return is_dig(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_alpha(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

enum objid_shape objid_shape(const char *v, size_t n)
{
  if(n == 0 || n > OBJID_MAX_LEN)
    return OBJID_NONE;
  size_t digits = 0, hex = 0, letters = 0, other = 0;
  for(size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    digits += is_dig(c);
    hex += is_hex(c);
    letters += is_alpha(c);
    other += !(is_dig(c) || is_alpha(c) || c == '_' || c == '-');
  }
  if(digits == n && n <= 20)
    return OBJID_NUMERIC;
  if(n == 36) {
    int ok = 1;
    for(size_t i = 0; i < n && ok; i++)
      ok = (i == 8 || i == 13 || i == 18 || i == 23) ? v[i] == '-' : is_hex((unsigned char)v[i]);
    if(ok)
      return OBJID_UUID;
  }
  if(n >= 16 && n <= 64 && (hex == n || (!other && digits && letters)))
    return OBJID_HASH;
  return OBJID_NONE;
}

enum objid_shape objid_of(const json_t *o, int strict, char *out, size_t outlen)
{
  static const char *const keys[] = {"id", "uuid", "_id", "guid", NULL};
  if(outlen)
    out[0] = '\0';
  if(!json_is_object(o) || outlen == 0)
    return OBJID_NONE;
  const json_t *v = NULL;
  for(size_t k = 0; keys[k] && !v; k++)
    v = json_object_get(o, keys[k]);
  char buf[OBJID_MAX_LEN + 1];
  size_t n;
  if(json_is_integer(v)) {
    long long x = (long long)json_integer_value(v);
    if(x < 0)
      return OBJID_NONE;
    n = (size_t)snprintf(buf, sizeof(buf), "%lld", x);
  } else if(json_is_string(v)) {
    n = json_string_length(v);
    if(n == 0 || n > OBJID_MAX_LEN || memchr(json_string_value(v), '\0', n))
      return OBJID_NONE;
    memcpy(buf, json_string_value(v), n);
    buf[n] = '\0';
  } else {
    return OBJID_NONE;
  }
  enum objid_shape sh = objid_shape(buf, n);
  if(sh == OBJID_NONE) {
    if(strict || !strcmp(buf, ".") || !strcmp(buf, ".."))
      return OBJID_NONE;
    for(size_t i = 0; i < n; i++) {
      unsigned char c = (unsigned char)buf[i];
      if(c <= ' ' || c >= 0x7f || strchr("/?#%&\"'\\<>", c))
        return OBJID_NONE;
    }
    sh = OBJID_OTHER;
  }
  if(n + 1 > outlen)
    return OBJID_NONE;
  memcpy(out, buf, n + 1);
  return sh;
}

const json_t *objid_list(const json_t *doc)
{
  if(json_is_array(doc))
    return doc;
  static const char *const keys[] = {"items", "data", "results", "content", "records", NULL};
  for(size_t i = 0; keys[i] && json_is_object(doc); i++)
    if(json_is_array(json_object_get(doc, keys[i])))
      return json_object_get(doc, keys[i]);
  return NULL;
}

char *objid_owner(const json_t *o, char *key, size_t keylen)
{
  static const char *const keys[] = {
    "owner_id", "ownerId", "user_id", "userId", "owner", "account_id", "accountId",
    "customer_id", "customerId", "account", "username", "email", NULL};
  if(keylen)
    key[0] = '\0';
  if(!json_is_object(o))
    return NULL;
  for(size_t k = 0; keys[k]; k++) {
    const json_t *v = json_object_get(o, keys[k]);
    if(v && (json_is_string(v) || json_is_integer(v))) {
      if(keylen)
        snprintf(key, keylen, "%s", keys[k]);
      return json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    }
  }
  return NULL;
}

char *objid_link_path(const char *v, const char *origin)
{
  if(!v)
    return NULL;
  size_t ol = origin ? strlen(origin) : 0;
  const char *p = v;
  if(ol && !strncmp(v, origin, ol) && v[ol] == '/')
    p = v + ol;
  if(p[0] != '/' || p[1] == '/')
    return NULL;
  size_t n = strcspn(p, "#");
  if(n > OBJID_MAX_LINK)
    return NULL;
  for(size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)p[i];
    if(c <= ' ' || c >= 0x7f || c == '{' || c == '}' || c == '\\' || c == '"')
      return NULL;
  }
  char *path = xstrndup(p, n);
  /* ".." as a segment: the path would leave where it seems to be. */
  for(const char *d = path; (d = strstr(d, "..")); d++)
    if(d[-1] == '/' && (d[2] == '/' || d[2] == '\0' || d[2] == '?')) {
      free(path);
      return NULL;
    }
  return path;
}

int objid_link_risky(const char *path)
{
  static const char *const words[] = {"logout", "log-out", "log_out", "signout", "sign-out",
                                      "sign_out", "delete", "remove", "revoke", "destroy",
                                      "unsubscribe", "disable", "reset", "cancel", NULL};
  char low[OBJID_MAX_LINK + 1];
  size_t n = 0;
  for(; path[n] && n < OBJID_MAX_LINK; n++)
    low[n] = (char)((path[n] >= 'A' && path[n] <= 'Z') ? path[n] + 32 : path[n]);
  low[n] = '\0';
  for(size_t i = 0; words[i]; i++)
    if(strstr(low, words[i]))
      return 1;
  return 0;
}

struct walk {
  const char *origin;
  char **out;
  size_t n, max, nodes;
};

static void links_walk(struct walk *w, const json_t *v, int depth)
{
  if(depth > OBJID_MAX_DEPTH || ++w->nodes > OBJID_MAX_NODES || w->n >= w->max)
    return;
  if(json_is_string(v)) {
    char *p = objid_link_path(json_string_value(v), w->origin);
    if(!p)
      return;
    int seen = objid_link_risky(p);
    for(size_t i = 0; i < w->n && !seen; i++)
      seen = !strcmp(w->out[i], p);
    if(seen)
      free(p);
    else
      w->out[w->n++] = p;
  } else if(json_is_array(v)) {
    for(size_t i = 0; i < json_array_size(v) && w->n < w->max; i++)
      links_walk(w, json_array_get(v, i), depth + 1);
  } else if(json_is_object(v)) {
    /* jansson's iterator takes a non-const object; nothing is changed. */
    json_t *o = (json_t *)v;
    for(void *it = json_object_iter(o); it && w->n < w->max && w->nodes <= OBJID_MAX_NODES;
        it = json_object_iter_next(o, it))
      links_walk(w, json_object_iter_value(it), depth + 1);
  }
}

size_t objid_links(const json_t *doc, const char *origin, char **out, size_t max)
{
  struct walk w = {origin, out, 0, max, 0};
  links_walk(&w, doc, 0);
  return w.n;
}

/* The path without its query and trailing slashes, as a fresh string. */
static char *bare(const char *path)
{
  size_t n = strcspn(path, "?#");
  while(n > 0 && path[n - 1] == '/')
    n--;
  return xstrndup(path, n);
}

char *objid_route_of(const char *path, const char *id)
{
  char *b = bare(path);
  const char *last = strrchr(b, '/');
  char *route = NULL;
  if(last && *id && !strcmp(last + 1, id))
    route = xasprintf("%.*s/{id}", (int)(last - b), b);
  free(b);
  return route;
}

char *objid_object_path(const json_t *item, const char *id, const char *list_path,
                        const char *origin, char **route)
{
  /* A link to the object itself among the item's strings. */
  if(json_is_object(item)) {
    json_t *o = (json_t *)item; /* iteration only */
    size_t k = 0;
    for(void *it = json_object_iter(o); it && k < 64; it = json_object_iter_next(o, it), k++) {
      const char *v = json_string_value(json_object_iter_value(it));
      char *p = v ? objid_link_path(v, origin) : NULL;
      char *r = p ? objid_route_of(p, id) : NULL;
      if(r && !objid_link_risky(p)) {
        *route = r;
        char *b = bare(p);
        free(p);
        return b;
      }
      free(r);
      free(p);
    }
  }
  char *b = bare(list_path);
  char *path = xasprintf("%s/%s", b, id);
  *route = xasprintf("%s/{id}", b);
  free(b);
  return path;
}
