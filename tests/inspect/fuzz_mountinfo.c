/* fuzz_mountinfo.c - /proc/PID/mountinfo parser. */
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "../../src/inspect/insp_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct insp_mounts m;
  insp_parse_mountinfo((const char *)data, size, &m);
  for(size_t i = 0; i < m.n; i++)
    if(strlen(m.v[i].mountpoint) == 0 || m.v[i].mountpoint[0] != '/')
      __builtin_trap();
  insp_mounts_cleanup(&m);
  return 0;
}
