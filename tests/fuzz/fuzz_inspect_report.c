/*
 * fuzz_inspect_report.c - the --inspect-report input reader
 * (scan_inspect_report_parse, src/scan/scan.c): a JSON report of `warden
 * inspect` carried out of a container, so any bytes. A rejection must
 * say why; an acceptance adds only items of the side "inspect".
 */
#include <stdint.h>
#include <string.h>

#include "../../src/correlate/corr.h"
#include "../../src/scan/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct corr_set cs;
  corr_init(&cs);
  char err[256] = "";
  int rc = scan_inspect_report_parse(&cs, (const char *)data, size, "fuzz.json", err,
                                     sizeof(err));
  if(rc != 0 && (rc != -1 || !err[0] || strnlen(err, sizeof(err)) >= sizeof(err)))
    __builtin_trap();
  if(rc != 0 && cs.n)
    __builtin_trap();
  for(size_t i = 0; i < cs.n; i++)
    if(strcmp(cs.v[i].side, "inspect"))
      __builtin_trap();
  corr_cleanup(&cs);
  return 0;
}
