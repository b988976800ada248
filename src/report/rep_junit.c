/*
 * rep_junit.c - JUnit XML: one test suite per side, one test case per
 * rule that ran (report_rule_ran) or raised a finding, failed where
 * findings at or above --fail-on exist (new ones only with
 * --fail-on-new); suppressed findings never fail. A rule that did not
 * run (no token to forge, no https, no file of its kind) is not a
 * passed test: it is left out, and the suite's "skipped" counts it.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "rep_text.h"
#include "report.h"

struct junit_case {
  const struct wd_rule *rule;
  size_t failing, total;
  int worst; /* highest severity among the failing findings */
};

static int finding_fails(const struct report *r, const struct rep_opts *o,
                         const struct wd_finding *x)
{
  if(x->suppressed || o->fail_on > WD_SEV_CRITICAL || (int)x->severity < o->fail_on)
    return 0;
  if(o->fail_new_only && r->has_baseline && x->baseline != 1)
    return 0;
  return 1;
}

/* Appends the side's registered rules not yet in c, each once, in table
 * order: those that ran (ran = 1), or all the others (ran = 0). */
static void add_rules(const struct report *r, const char *side, int ran,
                      struct junit_case *c, size_t *n)
{
  for(size_t i = 0; i < r->nrules; i++) {
    if(strcmp(r->rules[i].side, side) || (ran && !report_rule_ran(r, r->rules[i].rule)))
      continue;
    size_t k;
    for(k = 0; k < *n; k++)
      if(strcmp(c[k].rule->id, r->rules[i].rule->id) == 0)
        break;
    if(k == *n)
      c[(*n)++].rule = r->rules[i].rule;
  }
}

static void junit_suite(FILE *out, const struct report *r, const struct rep_opts *o,
                        const char *side)
{
  /* The side's rules, in table order, each once. */
  size_t n = 0;
  struct junit_case *c = xcalloc(r->nrules + r->findings->n + 1, sizeof(*c));
  add_rules(r, side, 1, c, &n);
  for(size_t i = 0; i < r->findings->n; i++) {
    const struct wd_finding *x = &r->findings->v[i];
    if(strcmp(report_rule_side(r, x->rule), side))
      continue;
    size_t k;
    for(k = 0; k < n; k++)
      if(strcmp(c[k].rule->id, x->rule->id) == 0)
        break;
    if(k == n)
      c[n++].rule = x->rule;
    c[k].total++;
    if(finding_fails(r, o, x)) {
      c[k].failing++;
      if((int)x->severity > c[k].worst)
        c[k].worst = (int)x->severity;
    }
  }
  /* The side's rules that did not run (and raised nothing), each once:
   * skipped test cases, never passed ones. */
  size_t nrun = n;
  add_rules(r, side, 0, c, &n);
  size_t failures = 0;
  for(size_t k = 0; k < nrun; k++)
    failures += c[k].failing > 0;
  fprintf(out, "  <testsuite name=\"warden %s\" tests=\"%zu\" failures=\"%zu\" errors=\"%d\" skipped=\"%zu\" time=\"%.3f\">\n",
          side, n, failures, r->status == REP_FAILED ? 1 : 0, n - nrun, r->seconds);
  fputs("    <properties>\n      <property name=\"target\" value=\"", out);
  rep_esc_xml(out, r->target);
  char label[96];
  score_label(&r->score, label, sizeof(label));
  fputs("\"/>\n", out);
  if(r->score.overall >= 0)
    fprintf(out, "      <property name=\"score\" value=\"%d\"/>\n", r->score.overall);
  fprintf(out, "      <property name=\"grade\" value=\"%s\"/>\n    </properties>\n", label);
  for(size_t k = 0; k < n; k++) {
    fprintf(out, "    <testcase classname=\"warden.%s\" name=\"", side);
    rep_esc_xml(out, c[k].rule->id);
    if(k >= nrun) {
      fputs("\">\n      <skipped message=\"did not run in this run\"/>\n    </testcase>\n", out);
      continue;
    }
    if(!c[k].total) {
      fputs("\"/>\n", out);
      continue;
    }
    fputs("\">\n", out);
    FILE *detail = out;
    if(c[k].failing) {
      fprintf(out, "      <failure type=\"%s\" message=\"%zu finding%s at or above %s: ",
              sev_name((enum wd_severity)c[k].worst), c[k].failing, c[k].failing == 1 ? "" : "s",
              sev_name((enum wd_severity)o->fail_on));
      rep_esc_xml(out, c[k].rule->title);
      fputs("\">", out);
    } else {
      fputs("      <system-out>", out);
    }
    for(size_t i = 0; i < r->findings->n; i++) {
      const struct wd_finding *x = &r->findings->v[i];
      if(strcmp(x->rule->id, c[k].rule->id))
        continue;
      char *loc = rep_location(x);
      fprintf(detail, "%s%s: ", sev_name(x->severity), x->suppressed ? " (suppressed)" : "");
      rep_esc_xml(detail, x->title ? x->title : x->rule->title);
      fputs(" at ", detail);
      rep_esc_xml(detail, loc);
      if(x->evidence) {
        fputs("\nEvidence: ", detail);
        rep_esc_xml(detail, x->evidence);
      }
      fputs("\nFix: ", detail);
      rep_esc_xml(detail, x->remediation ? x->remediation : x->rule->remediation);
      fputs("\n", detail);
      free(loc);
    }
    fputs(c[k].failing ? "</failure>\n" : "</system-out>\n", out);
    fputs("    </testcase>\n", out);
  }
  fputs("  </testsuite>\n", out);
  free(c);
}

void rep_write_junit(FILE *out, const struct report *r, const struct rep_opts *o)
{
  const char *sides[8];
  size_t nsides = rep_sides(r, sides, 8);
  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
  fputs("<testsuites name=\"warden ", out);
  rep_esc_xml(out, r->kind);
  fputs("\">\n", out);
  for(size_t s = 0; s < nsides; s++)
    junit_suite(out, r, o, sides[s]);
  fputs("</testsuites>\n", out);
}
