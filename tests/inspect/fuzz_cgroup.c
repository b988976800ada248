/* fuzz_cgroup.c - /proc/PID/cgroup parser. */
#include <stdint.h>
#include <stddef.h>

#include "../../src/inspect/insp_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct insp_cgroups c;
  insp_parse_cgroup((const char *)data, size, &c);
  insp_cgroups_cleanup(&c);
  return 0;
}
