/*
 * fuzz_dockerfile.c - the Dockerfile parser and rules on arbitrary bytes.
 * Corpus: tests/fuzz/corpus/dockerfile/.
 */
#include <stddef.h>
#include <stdint.h>

#include "../../src/iac/iac.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct wd_findings f;
  struct report rep;
  findings_init(&f);
  report_init(&rep, "iac", "fuzz", &f);
  iac_analyze_buffer("Dockerfile", (const char *)data, size, 'd', &f, &rep);
  report_cleanup(&rep);
  findings_cleanup(&f);
  return 0;
}
