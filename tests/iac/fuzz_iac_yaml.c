/*
 * fuzz_iac_yaml.c - the YAML loader (aliases, merge keys, limits) and the
 * compose and Kubernetes rules on arbitrary bytes.
 * Corpus: tests/fuzz/corpus/iac_yaml/.
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
  iac_analyze_buffer("fuzz.yaml", (const char *)data, size, 'y', &f, &rep);
  report_cleanup(&rep);
  findings_cleanup(&f);
  return 0;
}
