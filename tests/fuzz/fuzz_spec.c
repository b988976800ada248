/*
 * fuzz_spec.c - the OpenAPI/Swagger reader on any bytes (JSON or YAML:
 * both go through libyaml's events, src/yaml). Invariants: an error names
 * the document ("fuzz.yaml...") and leaves nothing to free; a success
 * gives operations with an upper-case method, a path starting with "/",
 * the compact bounds of scan_spec.h (query names, parameters, tags,
 * response properties, servers, webhooks and callbacks), every parameter
 * named and placed, a callback's owner an operation that exists, and a
 * body example that, when there is one, is JSON jansson reads.
 */
#include <ctype.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/scan/scan_spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_param(const struct spec_param *p, int body)
{
  if(!p->name || p->in > SPEC_IN_BODY || (body != (p->in == SPEC_IN_BODY)))
    abort();
}

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
    if(sp.n || sp.ops || sp.title || sp.servers || sp.strs || sp.hooks)
      abort(); /* a failure leaves nothing to free */
    return 0;
  }
  if(sp.nservers > SPEC_MAX_SERVERS)
    abort();
  /* Webhooks and callbacks: bounded, named, an upper-case method, a
   * callback's owner an operation that exists. */
  if(sp.nhooks > SPEC_MAX_HOOKS || sp.nhooks > sp.hooks_total || (sp.nhooks && !sp.hooks))
    abort();
  for(size_t i = 0; i < sp.nhooks; i++) {
    const struct spec_hook *h = &sp.hooks[i];
    if(!h->name || !h->method || (h->op != SPEC_HOOK_NO_OP && h->op >= sp.n) ||
       (h->op == SPEC_HOOK_NO_OP) != (h->expr == NULL))
      abort();
    for(const char *c = h->method; *c; c++)
      if(!isupper((unsigned char)*c))
        abort();
  }
  for(size_t i = 0; i < sp.nservers; i++)
    if(!sp.servers[i])
      abort();
  for(size_t i = 0; i < sp.n; i++) {
    const struct spec_op *o = &sp.ops[i];
    if(!o->method || !o->path || o->nquery > SPEC_MAX_QUERY)
      abort();
    for(const char *c = o->method; *c; c++)
      if(!isupper((unsigned char)*c))
        abort();
    if(o->path[0] != '/')
      abort();
    for(size_t q = 0; q < o->nquery; q++)
      if(!o->query[q])
        abort();
    if(o->nparams > SPEC_MAX_PARAMS || o->nbody_props > SPEC_MAX_PARAMS ||
       o->ntags > SPEC_MAX_TAGS || o->nresp_props > SPEC_MAX_RESP_PROPS)
      abort();
    for(size_t p = 0; p < o->nparams; p++)
      check_param(&o->params[p], 0);
    for(size_t p = 0; p < o->nbody_props; p++)
      check_param(&o->body_props[p], 1);
    for(size_t t = 0; t < o->ntags; t++)
      if(!o->tags[t])
        abort();
    for(size_t r = 0; r < o->nresp_props; r++)
      if(!o->resp_props[r])
        abort();
    if(o->nresp_props && !o->resp_props_known)
      abort();
    if(o->body_example) {
      if(!o->body_ctype || strlen(o->body_example) > SPEC_MAX_EXAMPLE)
        abort();
      json_error_t je;
      json_t *j = json_loads(o->body_example, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
      if(!j)
        abort(); /* the example the scan would send is not JSON */
      json_decref(j);
    }
  }
  spec_cleanup(&sp);
  return 0;
}
