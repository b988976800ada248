/*
 * fuzz_objid.c - what BOLA without a spec reads from an answer
 * (src/scan/scan_objid.c) on any bytes: the input is parsed as JSON (as
 * the check's judge does) and every function runs on the document, its
 * list items and every string in it. Invariants: an id has the shape it
 * is said to have and is never empty; a link is a path ("/", not "//")
 * without whitespace, templates or a ".." segment; an object's path
 * ends in its id and its route in "{id}".
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "../../src/scan/scan_objid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define ORIGIN "http://127.0.0.1:9"

static void check_link(const char *p)
{
  if(p[0] != '/' || p[1] == '/' || strpbrk(p, " \t\r\n{}#") || strlen(p) > OBJID_MAX_LINK)
    abort();
  for(const char *d = p; (d = strstr(d, "..")); d++)
    if(d[-1] == '/' && (d[2] == '/' || d[2] == '\0' || d[2] == '?'))
      abort();
}

static void check_item(const json_t *o, const char *list_path)
{
  char id[OBJID_MAX_LEN + 1];
  for(int strict = 0; strict < 2; strict++) {
    enum objid_shape sh = objid_of(o, strict, id, sizeof(id));
    if(sh == OBJID_NONE) {
      if(id[0])
        abort();
      continue;
    }
    if(!id[0] || (strict && sh == OBJID_OTHER) ||
        (sh != OBJID_OTHER && objid_shape(id, strlen(id)) != sh))
      abort();
    char *route, *path = objid_object_path(o, id, list_path, ORIGIN, &route);
    size_t pl = strlen(path), il = strlen(id), rl = strlen(route);
    if(pl < il + 1 || strcmp(path + pl - il, id) || path[pl - il - 1] != '/' || rl < 4 ||
       strcmp(route + rl - 4, "{id}"))
      abort();
    char *r2 = objid_route_of(path, id);
    if(!r2 || strcmp(r2, route))
      abort();
    free(r2);
    free(path);
    free(route);
  }
  char key[32];
  char *owner = objid_owner(o, key, sizeof(key));
  if(owner && !key[0])
    abort();
  free(owner);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size > 64 * 1024)
    return 0;
  /* The shape of the raw bytes, too (a path segment, a header value). */
  objid_shape((const char *)data, size);
  json_t *doc = json_loadb((const char *)data, size, JSON_DECODE_ANY, NULL);
  if(!doc)
    return 0;
  char *links[32];
  size_t n = objid_links(doc, ORIGIN, links, 32);
  if(n > 32)
    abort();
  for(size_t i = 0; i < n; i++) {
    check_link(links[i]);
    if(objid_link_risky(links[i]))
      abort();
    for(size_t j = 0; j < i; j++)
      if(!strcmp(links[i], links[j]))
        abort();
  }
  for(size_t i = 0; i < n; i++)
    free(links[i]);
  if(json_is_string(doc)) {
    char *p = objid_link_path(json_string_value(doc), ORIGIN);
    if(p)
      check_link(p);
    free(p);
  }
  const json_t *l = objid_list(doc);
  if(l && !json_is_array(l))
    abort();
  for(size_t i = 0; i < json_array_size(l) && i < 64; i++)
    check_item(json_array_get(l, i), "/api/v1/list/");
  check_item(doc, "/");
  json_decref(doc);
  return 0;
}
