/*
 * fuzz_gql.c - the GraphQL check's reading of an introspection answer
 * (gql_self_loop) on any JSON a target sends.
 *
 * Input: a JSON document (an answer to GQL_SCHEMA_QUERY); its "data"
 * member (or the document itself) is handed over. Invariants: a field
 * pair found names two non-empty GraphQL names that fit their buffers.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/scan/scan_gql.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size > 1 << 20)
    return 0;
  json_error_t e;
  json_t *j = json_loadb((const char *)data, size, 0, &e);
  if(!j)
    return 0;
  const json_t *d = json_is_object(j) && json_object_get(j, "data") ? json_object_get(j, "data") : j;
  char root[16], loop[72];
  if(gql_self_loop(d, root, sizeof(root), loop, sizeof(loop))) {
    size_t rl = strnlen(root, sizeof(root)), ll = strnlen(loop, sizeof(loop));
    if(!rl || rl >= sizeof(root) || !ll || ll >= sizeof(loop) || root[0] == '_' || loop[0] == '_')
      abort();
  }
  json_decref(j);
  return 0;
}
