/*
 * rep_json.c - the JSON report; docs/report-json.md is its schema.
 */
#include <stddef.h>
#include <string.h>

#include "../core/core_jw.h"
#include "report.h"

static const char *const status_names[] = {"complete", "partial", "failed"};

void rep_jw_counts(struct jw *w, const struct report *r)
{
  jw_obj_open(w);
  int counts[5];
  report_counts(r, counts);
  for(int s = WD_SEV_CRITICAL; s >= WD_SEV_INFO; s--)
    jw_kint(w, sev_name((enum wd_severity)s), counts[s]);
  jw_kint(w, "suppressed", (long long)r->nsuppressed);
  jw_obj_close(w);
}

void rep_jw_location(struct jw *w, const char *method, const char *url, const char *file,
                     int line)
{
  jw_obj_open(w);
  if(url) {
    jw_kstr(w, "method", method);
    jw_kstr(w, "url", url);
  }
  if(file) {
    jw_kstr(w, "file", file);
    jw_kint(w, "line", line);
  }
  jw_obj_close(w);
}

static void rep_json_finding(struct jw *w, const struct wd_finding *x,
                             int has_baseline)
{
  const struct wd_rule *r = x->rule;
  jw_obj_open(w);
  jw_kstr(w, "rule", r->id);
  jw_kstr(w, "severity", sev_name(x->severity));
  jw_kstr(w, "category", cat_name(r->category));
  jw_kstr(w, "title", x->title ? x->title : r->title);
  jw_kstr(w, "owasp", r->owasp);
  if(r->cwe)
    jw_kint(w, "cwe", r->cwe);
  else
    jw_kstr(w, "cwe", NULL);
  jw_key(w, "location");
  rep_jw_location(w, x->method, x->url, x->file, x->line);
  /* Every distinct place it was seen (bounded; count has them all). */
  jw_key(w, "locations");
  jw_arr_open(w);
  for(unsigned i = 0; i < x->nlocs; i++)
    rep_jw_location(w, x->locs[i].method, x->locs[i].url, x->locs[i].file, x->locs[i].line);
  jw_arr_close(w);
  jw_kstr(w, "evidence", x->evidence);
  jw_kint(w, "count", x->count);
  jw_kstr(w, "remediation", x->remediation ? x->remediation : r->remediation);
  jw_kstr(w, "fingerprint", x->fingerprint);
  if(x->suppressed) {
    jw_kbool(w, "suppressed", 1);
    jw_kstr(w, "suppression", x->suppress_reason);
  }
  if(has_baseline)
    jw_kstr(w, "baseline", x->baseline == 1 ? "new" : "unchanged");
  jw_obj_close(w);
}

void rep_write_json(FILE *out, const struct report *r)
{
  struct jw w;
  jw_init(&w, out, 1);
  jw_obj_open(&w);
  jw_kstr(&w, "schema", WD_REPORT_SCHEMA);
  jw_kstr(&w, "tool", "warden " WARDEN_VERSION);
  jw_kstr(&w, "kind", r->kind);
  jw_kstr(&w, "target", r->target);
  jw_kstr(&w, "status", status_names[r->status]);
  jw_kstr(&w, "framework", r->framework);
  jw_knum(&w, "seconds", r->seconds);
  if(r->requests >= 0)
    jw_kint(&w, "requests", r->requests);
  jw_key(&w, "score");
  jw_obj_open(&w);
  jw_kstr(&w, "formula", WD_SCORE_VERSION);
  /* Nothing tested: no figure and no grade (null), never a clean 100. */
  const struct wd_score *sc = &r->score;
  jw_key(&w, "overall");
  if(sc->overall >= 0)
    jw_int(&w, sc->overall);
  else
    jw_null(&w);
  char g[2] = {sc->grade, 0};
  jw_kstr(&w, "grade", sc->overall >= 0 ? g : NULL);
  char label[96];
  score_label(sc, label, sizeof(label));
  jw_kstr(&w, "label", label);
  jw_kstr(&w, "cap", sc->cap_reason);
  jw_kint(&w, "tested_count", sc->ntested);
  jw_kint(&w, "category_count", WD_CAT__COUNT);
  for(int t = 1; t >= 0; t--) {
    jw_key(&w, t ? "tested" : "not_tested");
    jw_arr_open(&w);
    for(int c = 0; c < WD_CAT__COUNT; c++)
      if(score_is_tested(sc, (enum wd_category)c) == t)
        jw_str(&w, cat_name((enum wd_category)c));
    jw_arr_close(&w);
  }
  /* A category that was not tested is null here (and listed in
   * not_tested), never a score. */
  jw_key(&w, "categories");
  jw_obj_open(&w);
  for(int c = 0; c < WD_CAT__COUNT; c++) {
    jw_key(&w, cat_name((enum wd_category)c));
    if(score_is_tested(sc, (enum wd_category)c))
      jw_int(&w, sc->category[c]);
    else
      jw_null(&w);
  }
  jw_obj_close(&w);
  jw_obj_close(&w);
  jw_key(&w, "summary");
  rep_jw_counts(&w, r);
  if(r->nfacts) {
    jw_key(&w, "facts");
    jw_obj_open(&w);
    for(size_t i = 0; i < r->nfacts; i++)
      jw_kstr(&w, r->fact_keys[i], r->fact_vals[i]);
    jw_obj_close(&w);
  }
  jw_key(&w, "findings");
  jw_arr_open(&w);
  for(size_t i = 0; i < r->findings->n; i++)
    rep_json_finding(&w, &r->findings->v[i], r->has_baseline);
  jw_arr_close(&w);
  if(r->has_baseline) {
    /* What the baseline had and this run no longer finds. */
    jw_key(&w, "fixed");
    jw_arr_open(&w);
    for(size_t i = 0; i < r->nfixed; i++) {
      const struct rep_fixed *x = &r->fixed[i];
      jw_obj_open(&w);
      jw_kstr(&w, "rule", x->rule);
      jw_kstr(&w, "severity", x->severity);
      jw_kstr(&w, "title", x->title);
      jw_kstr(&w, "location", x->location);
      jw_kstr(&w, "fingerprint", x->fingerprint);
      jw_obj_close(&w);
    }
    jw_arr_close(&w);
  }
  if(strcmp(r->kind, "scan") == 0) {
    /* Every request that may have changed the target, so the user can
     * clean up; [] in the default (read-only) mode. */
    jw_key(&w, "writes");
    jw_arr_open(&w);
    for(size_t i = 0; i < r->nwrites; i++) {
      const struct rep_write *x = &r->writes[i];
      jw_obj_open(&w);
      jw_kstr(&w, "method", x->method);
      jw_kstr(&w, "url", x->url);
      jw_key(&w, "status");
      if(x->status)
        jw_int(&w, x->status);
      else
        jw_null(&w);
      jw_obj_close(&w);
    }
    jw_arr_close(&w);
  }
  jw_key(&w, "notes");
  jw_arr_open(&w);
  for(size_t i = 0; i < r->nnotes; i++)
    jw_str(&w, r->notes[i]);
  jw_arr_close(&w);
  jw_obj_close(&w);
  jw_end(&w);
}
