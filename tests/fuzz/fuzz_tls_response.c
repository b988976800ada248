/*
 * fuzz_tls_response.c - the TLS probe's response reader
 * (tls_parse_response, src/net/net_tls.c): whatever a server sends back
 * over the raw TLS connection, up to TLS_RESP_CAP bytes, NUL bytes and
 * all. The probe keeps it NUL-terminated; so does this target. Then the
 * excerpt chk_tls prints of the body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/core_str.h"
#include "../../src/net/net_tls.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size > TLS_RESP_CAP)
    size = TLS_RESP_CAP;
  char *resp = malloc(size + 1);
  if(!resp)
    return 0;
  memcpy(resp, data, size);
  resp[size] = '\0';
  size_t off = 12345;
  long status = tls_parse_response(resp, size, &off);
  if(off > size)
    __builtin_trap();
  if(status != 0 && (status < 100 || status > 599))
    __builtin_trap();
  if(status && memcmp(resp, "HTTP/1.", 7))
    __builtin_trap();
  char *ex = str_excerpt(resp + off, size - off, 0, 80);
  free(ex);
  free(resp);
  return 0;
}
