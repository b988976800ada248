#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"

void report_init(struct report *r, const char *kind, const char *target,
                 struct wd_findings *findings)
{
  memset(r, 0, sizeof(*r));
  r->kind = kind;
  r->target = target;
  r->findings = findings;
}

void report_cleanup(struct report *r)
{
  for(size_t i = 0; i < r->nnotes; i++)
    free(r->notes[i]);
  free(r->notes);
  for(size_t i = 0; i < r->nfacts; i++) {
    free(r->fact_keys[i]);
    free(r->fact_vals[i]);
  }
  free(r->fact_keys);
  free(r->fact_vals);
  memset(r, 0, sizeof(*r));
}

void report_note(struct report *r, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if(n < 0)
    return;
  char *s = xmalloc((size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(s, (size_t)n + 1, fmt, ap);
  va_end(ap);
  /* The same trouble seen on many probes is one note, not hundreds. */
  for(size_t i = 0; i < r->nnotes; i++)
    if(strcmp(r->notes[i], s) == 0) {
      free(s);
      return;
    }
  if(r->nnotes >= 50) {
    free(s);
    return;
  }
  r->notes = xgrow(r->notes, &r->capnotes, r->nnotes + 1, sizeof(char *));
  r->notes[r->nnotes++] = s;
}

void report_fact(struct report *r, const char *key, const char *val)
{
  size_t cap = r->capfacts;
  r->fact_keys = xgrow(r->fact_keys, &cap, r->nfacts + 1, sizeof(char *));
  cap = r->capfacts;
  r->fact_vals = xgrow(r->fact_vals, &cap, r->nfacts + 1, sizeof(char *));
  r->capfacts = cap;
  r->fact_keys[r->nfacts] = xstrdup(key);
  r->fact_vals[r->nfacts] = xstrdup(val ? val : "");
  r->nfacts++;
}

void report_tested(struct report *r, const struct wd_rule *rule)
{
  if(rule && rule->severity > WD_SEV_INFO)
    r->tested |= WD_CAT_BIT(rule->category);
}

void report_tested_cat(struct report *r, enum wd_category c)
{
  r->tested |= WD_CAT_BIT(c);
}

void report_finalize(struct report *r)
{
  findings_sort(r->findings);
  for(size_t i = 0; i < r->findings->n; i++) {
    struct wd_finding *x = &r->findings->v[i];
    if(!x->remediation)
      x->remediation = xstrdup(rule_remediation(x->rule, r->framework));
  }
  score_compute(r->findings, r->tested, &r->score);
}
