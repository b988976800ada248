/*
 * cli_checks.c - `warden checks [--format md]`: every rule warden can
 * raise, from the rule tables themselves (the check registry, the
 * exposure catalogue, iac, inspect, correlation): the text listing, or
 * the Markdown of docs/rules.md (tests/lint/docs_gen.py fails when that
 * file is stale).
 */
#include <stdio.h>
#include <string.h>

#include "../checks/check.h"
#include "../correlate/corr.h"
#include "../iac/iac.h"
#include "../sig/sig.h"
#include "../inspect/inspect.h"
#include "cli.h"

/* One cell of a Markdown table: '|' escaped, lines joined. */
static void md_cell(const char *s)
{
  for(; s && *s; s++)
    if(*s == '|')
      fputs("\\|", stdout);
    else
      putchar(*s == '\n' ? ' ' : *s);
}

static void md_head(const char *title, const char *text)
{
  printf("\n## %s\n\n", title);
  if(text)
    printf("%s\n\n", text);
  puts("| rule | severity | OWASP | CWE | summary |\n|---|---|---|---|---|");
}

static void print_rule(const struct wd_rule *r, int md)
{
  if(!md) {
    printf("%-34s %-8s %s\n", r->id, sev_name(r->severity), r->summary);
    return;
  }
  printf("| `%s` | %s | %s | ", r->id, sev_name(r->severity), r->owasp ? r->owasp : "");
  if(r->cwe)
    printf("CWE-%d", r->cwe);
  fputs(" | ", stdout);
  md_cell(r->summary);
  puts(" |");
}

static void print_table(const char *title, const char *text, const struct wd_rule *rules,
                        size_t n, int md)
{
  if(md)
    md_head(title, text);
  else
    printf("# %s\n", title);
  for(size_t i = 0; i < n; i++)
    print_rule(&rules[i], md);
}

void cli_scan_rules(struct report *r, int with_iac)
{
  for(size_t i = 0; check_registry[i]; i++)
    report_rules_add(r, "scan", check_registry[i]->rules, check_registry[i]->nrules);
  if(with_iac)
    report_rules_add(r, "iac", iac_rules, iac_nrules);
  report_rules_add(r, "correlation", corr_rules, corr_nrules);
}

static const char checks_usage[] =
  "usage: warden checks [--format term|md]\n"
  "Every rule warden can raise: id, severity and summary (--format md: the\n"
  "Markdown of docs/rules.md, with OWASP and CWE).\n";

int cli_checks(int argc, char **argv)
{
  int md = 0;
  if(argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
    fputs(checks_usage, stdout);
    return EXIT_CLEAN;
  }
  if(argc == 3 && (!strcmp(argv[1], "--format") || !strcmp(argv[1], "-f")))
    md = !strcmp(argv[2], "md") ? 1 : !strcmp(argv[2], "term") ? 0 : -1;
  else if(argc == 2)
    md = !strcmp(argv[1], "--format=md") ? 1 : -1;
  else if(argc != 1)
    md = -1;
  if(md < 0) {
    cli_error("checks: expected nothing, --format term or --format md");
    fputs(checks_usage, stderr);
    return EXIT_USAGE;
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
  if(md)
    puts("# Rules\n\n"
         "Every rule warden can raise, generated from the rule tables by\n"
         "`warden checks --format md > docs/rules.md` (`tests/lint/docs_gen.py`\n"
         "fails when this file is stale). Severity is the rule's default; a\n"
         "finding may carry another. Remediation: the reports (`docs/reports.md`).");
  else
    printf("%-34s %-8s %s\n", "RULE", "SEVERITY", "DESCRIPTION");
  if(md) {
    puts("\n## scan\n\nOne section per check of the registry (`src/checks/checks.def`), in\n"
         "the order of its judges.");
    for(size_t i = 0; check_registry[i]; i++) {
      const struct wd_check *c = check_registry[i];
      printf("\n### `%s`: ", c->name);
      md_cell(c->summary);
      if(!c->nrules) {
        puts("\n\nIts rules are the exposure signatures' (below).");
        continue;
      }
      puts("\n\n| rule | severity | OWASP | CWE | summary |\n|---|---|---|---|---|");
      for(size_t j = 0; j < c->nrules; j++)
        print_rule(&c->rules[j], 1);
    }
  } else {
    printf("# scan\n");
    for(size_t i = 0; check_registry[i]; i++)
      for(size_t j = 0; j < check_registry[i]->nrules; j++)
        print_rule(&check_registry[i]->rules[j], 0);
  }
  if(md) {
    char text[200];
    snprintf(text, sizeof(text), "The rules of the %zu signatures of `signatures/NAME.yaml` "
             "(docs/signatures.md).", sc.n);
    md_head("scan: exposure signatures", text);
  } else {
    printf("# scan: exposure signatures (%zu, from signatures/NAME.yaml)\n", sc.n);
  }
  for(size_t i = 0; i < sc.nrules; i++)
    print_rule(sc.rules[i], md);
  if(md)
    puts("\n| signature | severity | rule, product |\n|---|---|---|");
  for(size_t i = 0; i < sc.n; i++) {
    const struct sig *g = &sc.v[i];
    const char *sev = g->rule ? sev_name(g->severity >= 0 ? (enum wd_severity)g->severity
                                                          : g->rule->severity) : "-";
    if(md)
      printf("| `%s` | %s | %s%s%s%s%s |\n", g->id, sev, g->rule ? "`" : "",
             g->rule ? g->rule->id : "product only", g->rule ? "`" : "",
             g->product ? ", product " : "", g->product ? g->product : "");
    else
      printf("  %-32s %-8s %s%s%s\n", g->id, sev, g->rule ? g->rule->id : "product only",
             g->product ? ", product " : "", g->product ? g->product : "");
  }
  sig_catalog_free(&sc);
  print_table("iac", md ? "`warden iac` and `warden scan --iac` (docs/iac.md)." : NULL,
              iac_rules, iac_nrules, md);
  print_table("inspect", md ? "`warden inspect` (docs/inspect.md)." : NULL,
              inspect_rules, inspect_nrules, md);
  print_table(md ? "correlation" : "correlation (scan, scan --iac, scan --inspect-report)",
              md ? "Attack chains across the sides: `scan`, `scan --iac`, "
                   "`scan --inspect-report`." : NULL,
              corr_rules, corr_nrules, md);
  return cli_stdout_done(EXIT_CLEAN);
}
