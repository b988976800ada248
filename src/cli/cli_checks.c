/*
 * cli_checks.c - `warden checks`: every rule warden can raise.
 */
#include <stdio.h>
#include <string.h>

#include "../checks/check.h"
#include "../correlate/corr.h"
#include "../iac/iac.h"
#include "../inspect/inspect.h"
#include "cli.h"

static void print_rule(const struct wd_rule *r)
{
  printf("%-34s %-8s %s\n", r->id, sev_name(r->severity), r->summary);
}

int cli_checks(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  printf("%-34s %-8s %s\n", "RULE", "SEVERITY", "DESCRIPTION");
  printf("# scan\n");
  for(size_t i = 0; check_registry[i]; i++) {
    const struct wd_check *c = check_registry[i];
    for(size_t j = 0; j < c->nrules; j++)
      print_rule(&c->rules[j]);
  }
  printf("# iac\n");
  for(size_t i = 0; i < iac_nrules; i++)
    print_rule(&iac_rules[i]);
  printf("# inspect\n");
  for(size_t i = 0; i < inspect_nrules; i++)
    print_rule(&inspect_rules[i]);
  printf("# correlation (scan, scan --iac, scan --inspect-report)\n");
  for(size_t i = 0; i < corr_nrules; i++)
    print_rule(&corr_rules[i]);
  return cli_stdout_done(EXIT_CLEAN);
}
