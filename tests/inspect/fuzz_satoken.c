/* fuzz_satoken.c - the service-account token decoder: base64url, the
 * minimal JSON field extractor and the claim reader. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "../../src/inspect/insp_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct insp_jwt j;
  insp_jwt_claims((const char *)data, size, &j);
  if(strlen(j.ns) >= sizeof(j.ns) || strlen(j.sub) >= sizeof(j.sub))
    __builtin_trap();
  char v[16];
  insp_json_get((const char *)data, size, "exp", v, sizeof(v));
  if(strlen(v) >= sizeof(v))
    __builtin_trap();
  unsigned char out[256];
  insp_b64url_decode((const char *)data, size, out, sizeof(out));
  return 0;
}
