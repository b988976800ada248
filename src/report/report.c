#include "report.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"

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
  free(r->dropped_hashes);
  for(size_t i = 0; i < r->ndebug; i++)
    free(r->debug[i]);
  free(r->debug);
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
  if(r->nnotes >= REPORT_MAX_NOTES) {
    /* Past the cap: counted (once per distinct note) and said by
     * report_finalize, never dropped silently. */
    unsigned long long h = str_hash(s, strlen(s));
    free(s);
    for(size_t i = 0; i < r->notes_dropped; i++)
      if(r->dropped_hashes[i] == h)
        return;
    r->dropped_hashes = xgrow(r->dropped_hashes, &r->capdropped, r->notes_dropped + 1,
                              sizeof(*r->dropped_hashes));
    r->dropped_hashes[r->notes_dropped++] = h;
    return;
  }
  r->notes = xgrow(r->notes, &r->capnotes, r->nnotes + 1, sizeof(char *));
  r->notes[r->nnotes++] = s;
}

void report_debug(struct report *r, const char *fmt, ...)
{
  if(r->ndebug >= REPORT_MAX_DEBUG)
    return;
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
  r->debug = xgrow(r->debug, &r->capdebug, r->ndebug + 1, sizeof(char *));
  r->debug[r->ndebug++] = s;
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
  if(r->notes_dropped) {
    /* One line past the cap, so the reader knows the list is not all. */
    char *s = xasprintf("%zu further notes were left out (the report keeps %d)",
                        r->notes_dropped, REPORT_MAX_NOTES);
    r->notes = xgrow(r->notes, &r->capnotes, r->nnotes + 1, sizeof(char *));
    r->notes[r->nnotes++] = s;
    r->notes_dropped = 0;
    free(r->dropped_hashes);
    r->dropped_hashes = NULL;
    r->capdropped = 0;
  }
  findings_sort(r->findings);
  for(size_t i = 0; i < r->findings->n; i++) {
    struct wd_finding *x = &r->findings->v[i];
    if(!x->remediation)
      x->remediation = xstrdup(rule_remediation(x->rule, r->framework));
  }
  score_compute(r->findings, r->tested, &r->score);
}
