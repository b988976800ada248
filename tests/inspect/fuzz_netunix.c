/* fuzz_netunix.c - /proc/net/unix as inspect reads it (captured trees
 * come from anywhere): insp_parse_net_unix over any bytes, NUL or not.
 * A verdict must not depend on bytes past the buffer: the same input
 * copied into an exact-size allocation gives the same answer. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/inspect/insp_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *copy = malloc(size ? size : 1);
  if(!copy)
    return 0;
  memcpy(copy, data, size);
  int r = insp_parse_net_unix(copy, size);
  if(r & ~(INSP_UNIX_HOST | INSP_UNIX_SHIM))
    __builtin_trap();
  /* A marker appended must be seen, whatever came before it. */
  static const char shim[] = "\n0000: 00000002 00000000 00010000 0001 01 1 @/containerd-shim/x.sock\n";
  char *more = malloc(size + sizeof(shim));
  if(more) {
    memcpy(more, data, size);
    memcpy(more + size, shim, sizeof(shim) - 1);
    if(!(insp_parse_net_unix(more, size + sizeof(shim) - 1) & INSP_UNIX_SHIM))
      __builtin_trap();
    free(more);
  }
  free(copy);
  return 0;
}
