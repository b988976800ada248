/* fuzz_sockreply.c - what a runtime socket answers to inspect's one
 * GET /version (insp_sock_reply, src/inspect/insp_sock.c): any bytes, up
 * to the 16 KiB the reader keeps, NUL-terminated as the reader leaves
 * them. The version line it builds must stay within its buffer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/inspect/insp_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char resp[16384];
  if(size > sizeof(resp) - 1)
    size = sizeof(resp) - 1;
  memcpy(resp, data, size);
  resp[size] = '\0';
  char version[96], err[128];
  memset(version, 'x', sizeof(version));
  int ok = insp_sock_reply(resp, size, version, sizeof(version), err, sizeof(err));
  if(ok && (strnlen(version, sizeof(version)) >= sizeof(version) || strncmp(version, "HTTP ", 5)))
    __builtin_trap();
  if(!ok && (strnlen(err, sizeof(err)) >= sizeof(err) || !err[0]))
    __builtin_trap();
  return 0;
}
