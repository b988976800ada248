/*
 * rep_jsonl.c - JSON Lines: one finding per line, then one summary line.
 * Every line names the side and the target, so lines from several runs
 * can be concatenated. docs/reports.md.
 */
#include <string.h>

#include "../core/core_jw.h"
#include "report.h"

static void jsonl_finding_body(struct jw *w, const char *kind, const char *target,
                               const struct wd_finding *x)
{
  const struct wd_rule *r = x->rule;
  jw_kstr(w, "type", "finding");
  jw_kstr(w, "kind", kind);
  jw_kstr(w, "target", target);
  jw_kstr(w, "rule", r->id);
  jw_kstr(w, "severity", sev_name(x->severity));
  jw_kstr(w, "category", cat_name(r->category));
  jw_kstr(w, "title", x->title ? x->title : r->title);
  jw_key(w, "location");
  rep_jw_location(w, x->method, x->url, x->file, x->line);
  jw_kstr(w, "evidence", x->evidence);
}

void rep_jsonl_finding(FILE *out, const char *kind, const char *target,
                       const struct wd_finding *x)
{
  struct jw w;
  jw_init(&w, out, 0);
  jw_obj_open(&w);
  jsonl_finding_body(&w, kind, target, x);
  jw_obj_close(&w);
  jw_end(&w);
  fflush(out);
}

void rep_write_jsonl(FILE *out, const struct report *r, const struct rep_opts *o)
{
  for(size_t i = 0; i < r->findings->n; i++) {
    const struct wd_finding *x = &r->findings->v[i];
    if(x->streamed && o->skip_streamed)
      continue; /* written while the scan ran (rep_jsonl_finding) */
    struct jw w;
    jw_init(&w, out, 0);
    jw_obj_open(&w);
    jsonl_finding_body(&w, r->kind, r->target, x);
    jw_kint(&w, "count", x->count);
    jw_kstr(&w, "remediation", x->remediation ? x->remediation : x->rule->remediation);
    jw_kstr(&w, "fingerprint", x->fingerprint);
    if(x->suppressed)
      jw_kbool(&w, "suppressed", 1);
    if(r->has_baseline)
      jw_kstr(&w, "baseline", x->baseline == 1 ? "new" : "unchanged");
    jw_obj_close(&w);
    jw_end(&w);
    fflush(out);
  }
  static const char *const status_names[] = {"complete", "partial", "failed"};
  struct jw w;
  jw_init(&w, out, 0);
  jw_obj_open(&w);
  jw_kstr(&w, "type", "summary");
  jw_kstr(&w, "kind", r->kind);
  jw_kstr(&w, "target", r->target);
  jw_kstr(&w, "status", status_names[r->status]);
  if(r->score.overall >= 0)
    jw_kint(&w, "score", r->score.overall);
  else
    jw_kstr(&w, "score", NULL);
  char g[2] = {r->score.grade, 0};
  jw_kstr(&w, "grade", r->score.overall >= 0 ? g : NULL);
  jw_kint(&w, "tested_count", r->score.ntested);
  jw_kint(&w, "findings", (long long)r->findings->n);
  jw_key(&w, "counts");
  rep_jw_counts(&w, r);
  if(r->has_baseline)
    jw_kint(&w, "fixed", (long long)r->nfixed);
  jw_kint(&w, "exit_code", o->exit_code);
  jw_obj_close(&w);
  jw_end(&w);
  fflush(out);
}
