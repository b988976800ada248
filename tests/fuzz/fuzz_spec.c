/*
 * fuzz_spec.c - the OpenAPI/Swagger reader on any bytes (JSON or YAML:
 * both go through libfyaml). Invariants: an error names the document
 * ("fuzz.yaml..."); a success gives at most SPEC_MAX_OPS operations, each
 * with an upper-case method, a path starting with "/" and at most 16
 * query parameter names.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/scan/scan_spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size > 256 * 1024)
    return 0;
  struct spec sp;
  char err[512];
  err[0] = '\0';
  if(spec_parse(&sp, (const char *)data, size, "fuzz.yaml", err, sizeof(err))) {
    if(strncmp(err, "fuzz.yaml", 9))
      abort();
    if(sp.n || sp.ops || sp.title)
      abort(); /* a failure leaves nothing to free */
    return 0;
  }
  if(sp.n > SPEC_MAX_OPS)
    abort();
  for(size_t i = 0; i < sp.n; i++) {
    const struct spec_op *o = &sp.ops[i];
    if(!o->method || !o->path || o->nquery > 16)
      abort();
    for(const char *c = o->method; *c; c++)
      if(!isupper((unsigned char)*c))
        abort();
    if(o->path[0] != '/')
      abort();
    for(size_t q = 0; q < o->nquery; q++)
      if(!o->query[q])
        abort();
  }
  spec_cleanup(&sp);
  return 0;
}
