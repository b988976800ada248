/* fuzz_uidmap.c - /proc/PID/uid_map parser, kernel release and ns links. */
#include <stdint.h>
#include <stddef.h>

#include "../../src/inspect/insp_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct insp_idmap m;
  insp_parse_idmap((const char *)data, size, &m);
  insp_idmap_outside(&m, 0);
  insp_idmap_outside(&m, 4294967294ULL);
  insp_idmap_is_initial(&m);
  int v[3];
  insp_parse_kver((const char *)data, size, v);
  insp_parse_nslink((const char *)data, size);
  return 0;
}
