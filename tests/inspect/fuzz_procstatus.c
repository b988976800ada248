/* fuzz_procstatus.c - /proc/PID/status parser. */
#include <stdint.h>
#include <stddef.h>

#include "../../src/inspect/insp_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct insp_status st;
  insp_parse_status((const char *)data, size, &st);
  return 0;
}
