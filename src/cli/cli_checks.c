/*
 * cli_checks.c - `warden checks`: every rule warden can raise.
 */
#include <stdio.h>
#include <string.h>

#include "../checks/check.h"
#include "../correlate/corr.h"
#include "../iac/iac.h"
#include "../sig/sig.h"
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
  /* The exposure catalogue compiled in (signatures/NAME.yaml). */
  struct sig_catalog sc;
  sig_catalog_init(&sc);
  char err[512];
  if(sig_load_builtin(&sc, err, sizeof(err))) {
    cli_error("%s", err);
    sig_catalog_free(&sc);
    return EXIT_USAGE;
  }
  printf("# scan: exposure signatures (%zu, from signatures/NAME.yaml)\n", sc.n);
  for(size_t i = 0; i < sc.nrules; i++)
    print_rule(sc.rules[i]);
  for(size_t i = 0; i < sc.n; i++) {
    const struct sig *g = &sc.v[i];
    printf("  %-32s %-8s %s%s%s\n", g->id,
           g->rule ? sev_name(g->severity >= 0 ? (enum wd_severity)g->severity : g->rule->severity) : "-",
           g->rule ? g->rule->id : "product only", g->product ? ", product " : "",
           g->product ? g->product : "");
  }
  sig_catalog_free(&sc);
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
