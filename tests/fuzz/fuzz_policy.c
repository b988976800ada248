/*
 * fuzz_policy.c - the readers of what a user hands `--ignore` (YAML
 * suppressions) and `--baseline` (an earlier JSON report), then applying
 * the result to a report with a few findings. The first byte picks the
 * reader (bit 0: baseline; bit 1: require kind "scan"); the rest is the
 * file. A parser must either accept the input or say why with the file's
 * name in err, never crash, leak or read past the input.
 *
 * cli_error is the CLI's printer (cli_out.c), which this harness does not
 * link: the parsers under test report through err, and only the file
 * loader and apply_baseline's kind check print.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/cli.h"
#include "../../src/report/report.h"

void cli_error(const char *fmt, ...)
{
  (void)fmt;
}

static const struct wd_rule rules[2] = {
  {.id = "scan.fuzz-a", .severity = WD_SEV_HIGH, .title = "a", .summary = "a", /* lint: not a rule id */
   .remediation = "fix a"},
  {.id = "iac.fuzz-b", .severity = WD_SEV_LOW, .title = "b", .summary = "b", /* lint: not a rule id */
   .remediation = "fix b"},
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size < 1)
    return 0;
  const char *text = (const char *)data + 1;
  size_t len = size - 1;
  struct cli_policy *pol = cli_policy_new();
  char err[512] = "";
  int rc = (data[0] & 1)
             ? cli_policy_parse_baseline(pol, text, len, "fuzz.json",
                                         (data[0] & 2) ? "scan" : NULL, err, sizeof(err))
             : cli_policy_parse_ignore(pol, text, len, "fuzz.yml", err, sizeof(err));
  if(rc != 0 && strncmp(err, "fuzz.", 5) != 0)
    abort(); /* an error that does not name the file */
  if(rc == 0) {
    struct wd_findings f;
    findings_init(&f);
    struct wd_finding_spec a = {.rule = &rules[0], .severity = -1, .method = "GET",
                                .url = "http://127.0.0.1/x"};
    struct wd_finding_spec b = {.rule = &rules[1], .severity = -1, .file = "Dockerfile",
                                .line = 3};
    findings_add(&f, &a);
    findings_add(&f, &b);
    struct report r;
    report_init(&r, "scan", "http://127.0.0.1/", &f);
    report_finalize(&r);
    struct cli_out o;
    memset(&o, 0, sizeof(o));
    o.policy = pol;
    cli_policy_apply(&r, &o);
    report_cleanup(&r);
    findings_cleanup(&f);
  }
  cli_policy_free(pol);
  return 0;
}
