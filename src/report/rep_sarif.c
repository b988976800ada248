/*
 * rep_sarif.c - SARIF 2.1.0 (OASIS), shaped for code-scanning consumers:
 * one run per side of warden, the side's rule table with
 * security-severity, stable partialFingerprints, physical locations for
 * files (relative to --sarif-base), logical locations for URLs and
 * in-container paths, suppressions and the invocation. docs/reports.md.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "../core/core_jw.h"
#include "rep_text.h"
#include "report.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

const char *rep_sarif_level(enum wd_severity s)
{
  return s >= WD_SEV_HIGH ? "error" : s == WD_SEV_MEDIUM ? "warning" : "note";
}

/* Code scanning's scale: 9.0+ critical, 7.0-8.9 high, 4.0-6.9 medium,
 * 0.1-3.9 low. Informational rules carry none (they are not alerts). */
static const char *sarif_security_severity(enum wd_severity s)
{
  switch(s) {
  case WD_SEV_CRITICAL: return "9.5";
  case WD_SEV_HIGH: return "8.0";
  case WD_SEV_MEDIUM: return "5.5";
  case WD_SEV_LOW: return "3.0";
  default: return NULL;
  }
}

/* "container.socket-path" -> "ContainerSocketPath". */
static char *rule_name(const char *id)
{
  char *o = xmalloc(strlen(id) + 1);
  size_t n = 0;
  int up = 1;
  for(const char *p = id; *p; p++) {
    char c = *p;
    if(c == '.' || c == '-' || c == '_' || c == '/') {
      up = 1;
      continue;
    }
    if(up && c >= 'a' && c <= 'z')
      c = (char)(c - 'a' + 'A');
    up = 0;
    o[n++] = c;
  }
  o[n] = '\0';
  return o;
}

/* Percent-encodes what a URI path may not hold as is. */
static void uri_path(struct buf *b, const char *s)
{
  static const char hex[] = "0123456789ABCDEF";
  for(const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
       (*p >= '0' && *p <= '9') || strchr("-._~/!$&'()*+,;=:@", *p)) {
      char c = (char)*p;
      buf_append(b, &c, 1);
    } else {
      char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
      buf_append(b, e, 3);
    }
  }
}

/* The artifact URI of a file: relative to base when the file lies under
 * it (with uriBaseId SRCROOT), else an absolute file: URI. Returns 1 if
 * relative. */
static int file_uri(struct buf *out, const char *file, const char *base_real)
{
  char fr[PATH_MAX];
  if(base_real && realpath(file, fr)) {
    size_t bl = strlen(base_real);
    if(strncmp(fr, base_real, bl) == 0 && (fr[bl] == '/' || bl == 1)) {
      uri_path(out, fr + bl + (bl == 1 ? 0 : 1));
      return 1;
    }
    buf_appendz(out, "file://");
    uri_path(out, fr);
    return 0;
  }
  if(file[0] == '/') {
    buf_appendz(out, "file://");
    uri_path(out, file);
    return 0;
  }
  const char *f = file;
  while(strncmp(f, "./", 2) == 0)
    f += 2;
  uri_path(out, f);
  return 1;
}

struct sarif_run {
  const char *side;
  const struct wd_rule **rules;
  size_t nrules, cap;
};

static size_t run_rule_index(struct sarif_run *run, const struct wd_rule *r)
{
  for(size_t i = 0; i < run->nrules; i++)
    if(run->rules[i] == r || strcmp(run->rules[i]->id, r->id) == 0)
      return i;
  run->rules = xgrow(run->rules, &run->cap, run->nrules + 1, sizeof(*run->rules));
  run->rules[run->nrules] = r;
  return run->nrules++;
}

static void sarif_rule(struct jw *w, const struct wd_rule *r)
{
  jw_obj_open(w);
  jw_kstr(w, "id", r->id);
  char *name = rule_name(r->id);
  jw_kstr(w, "name", name);
  free(name);
  jw_key(w, "shortDescription");
  jw_obj_open(w);
  jw_kstr(w, "text", r->title);
  jw_obj_close(w);
  jw_key(w, "fullDescription");
  jw_obj_open(w);
  jw_kstr(w, "text", r->summary ? r->summary : r->title);
  jw_obj_close(w);
  jw_key(w, "help");
  jw_obj_open(w);
  jw_kstr(w, "text", r->remediation ? r->remediation : r->title);
  jw_obj_close(w);
  jw_key(w, "defaultConfiguration");
  jw_obj_open(w);
  jw_kstr(w, "level", rep_sarif_level(r->severity));
  jw_obj_close(w);
  jw_key(w, "properties");
  jw_obj_open(w);
  const char *ss = sarif_security_severity(r->severity);
  if(ss)
    jw_kstr(w, "security-severity", ss);
  jw_kstr(w, "severity", sev_name(r->severity));
  jw_kstr(w, "category", cat_name(r->category));
  jw_key(w, "tags");
  jw_arr_open(w);
  jw_str(w, "security");
  const char *ow = r->owasp ? r->owasp : cat_owasp(r->category);
  if(ow) {
    char t[64];
    snprintf(t, sizeof(t), "owasp-%s", ow);
    jw_str(w, t);
  }
  if(r->cwe) {
    char t[64];
    snprintf(t, sizeof(t), "external/cwe/cwe-%d", r->cwe);
    jw_str(w, t);
  }
  jw_str(w, cat_name(r->category));
  jw_arr_close(w);
  jw_obj_close(w);
  jw_obj_close(w);
}

static void sarif_result(struct jw *w, const struct report *rep,
                         const struct wd_finding *x, size_t rule_index,
                         const char *side, const char *base_real)
{
  const struct wd_rule *r = x->rule;
  jw_obj_open(w);
  jw_kstr(w, "ruleId", r->id);
  jw_kint(w, "ruleIndex", (long long)rule_index);
  jw_kstr(w, "level", rep_sarif_level(x->severity));
  struct buf b;
  buf_init(&b, 0);
  buf_appendz(&b, x->title ? x->title : r->title);
  if(x->evidence && *x->evidence)
    buf_printf(&b, ". Evidence: %s", x->evidence);
  if(x->count > 1)
    buf_printf(&b, " (%u occurrences)", x->count);
  jw_key(w, "message");
  jw_obj_open(w);
  jw_kstr(w, "text", buf_str(&b));
  jw_obj_close(w);
  buf_reset(&b);

  jw_key(w, "locations");
  jw_arr_open(w);
  jw_obj_open(w);
  /* A file in the repository only for the iac side: elsewhere a path is
   * inside a container, and a URL is never a file. */
  if(x->file && strcmp(side, "iac") == 0 && strcmp(x->file, "-") != 0) {
    int rel = file_uri(&b, x->file, base_real);
    jw_key(w, "physicalLocation");
    jw_obj_open(w);
    jw_key(w, "artifactLocation");
    jw_obj_open(w);
    jw_kstr(w, "uri", buf_str(&b));
    if(rel)
      jw_kstr(w, "uriBaseId", "SRCROOT");
    jw_obj_close(w);
    if(x->line > 0) {
      jw_key(w, "region");
      jw_obj_open(w);
      jw_kint(w, "startLine", x->line);
      jw_kint(w, "startColumn", 1);
      jw_obj_close(w);
    }
    jw_obj_close(w);
    buf_reset(&b);
  } else {
    char *loc = rep_location(x);
    jw_key(w, "logicalLocations");
    jw_arr_open(w);
    jw_obj_open(w);
    jw_kstr(w, "fullyQualifiedName", *loc ? loc : rep->target);
    jw_kstr(w, "kind", "resource");
    jw_obj_close(w);
    jw_arr_close(w);
    free(loc);
  }
  jw_obj_close(w);
  jw_arr_close(w);

  jw_key(w, "partialFingerprints");
  jw_obj_open(w);
  jw_kstr(w, "wardenFinding/v1", x->fingerprint ? x->fingerprint : "");
  jw_obj_close(w);
  if(rep->has_baseline)
    jw_kstr(w, "baselineState", x->baseline == 1 ? "new" : "unchanged");
  if(x->suppressed) {
    jw_key(w, "suppressions");
    jw_arr_open(w);
    jw_obj_open(w);
    jw_kstr(w, "kind", "external");
    jw_kstr(w, "status", "accepted");
    jw_kstr(w, "justification", x->suppress_reason ? x->suppress_reason : "");
    jw_obj_close(w);
    jw_arr_close(w);
  }
  jw_key(w, "properties");
  jw_obj_open(w);
  jw_kstr(w, "severity", sev_name(x->severity));
  jw_kstr(w, "category", cat_name(r->category));
  jw_kint(w, "count", x->count);
  jw_kstr(w, "remediation", x->remediation ? x->remediation : r->remediation);
  jw_obj_close(w);
  jw_obj_close(w);
  buf_cleanup(&b);
}

static void sarif_run(struct jw *w, const struct report *rep,
                      const struct rep_opts *o, struct sarif_run *run,
                      const char *base_real)
{
  /* The rule indexes must be known before the results are written, but
   * the rules come first in the document: collect them in a first pass. */
  for(size_t i = 0; i < rep->findings->n; i++) {
    const struct wd_finding *x = &rep->findings->v[i];
    if(strcmp(report_rule_side(rep, x->rule), run->side) == 0)
      run_rule_index(run, x->rule);
  }
  jw_obj_open(w);
  jw_key(w, "tool");
  jw_obj_open(w);
  jw_key(w, "driver");
  jw_obj_open(w);
  jw_kstr(w, "name", "warden");
  jw_kstr(w, "version", WARDEN_VERSION);
  jw_kstr(w, "semanticVersion", WARDEN_VERSION);
  jw_key(w, "rules");
  jw_arr_open(w);
  for(size_t i = 0; i < run->nrules; i++)
    sarif_rule(w, run->rules[i]);
  jw_arr_close(w);
  jw_obj_close(w);
  jw_obj_close(w);

  /* Code scanning tells runs of one tool apart by this category. */
  jw_key(w, "automationDetails");
  jw_obj_open(w);
  char id[64];
  snprintf(id, sizeof(id), "warden/%s/", run->side);
  jw_kstr(w, "id", id);
  jw_obj_close(w);

  jw_key(w, "invocations");
  jw_arr_open(w);
  jw_obj_open(w);
  jw_kbool(w, "executionSuccessful", o->exit_code < 2);
  jw_kint(w, "exitCode", o->exit_code);
  if(o->cmdline)
    jw_kstr(w, "commandLine", o->cmdline);
  if(rep->nnotes) {
    jw_key(w, "toolExecutionNotifications");
    jw_arr_open(w);
    for(size_t i = 0; i < rep->nnotes; i++) {
      jw_obj_open(w);
      jw_key(w, "message");
      jw_obj_open(w);
      jw_kstr(w, "text", rep->notes[i]);
      jw_obj_close(w);
      jw_kstr(w, "level", "warning");
      jw_obj_close(w);
    }
    jw_arr_close(w);
  }
  jw_obj_close(w);
  jw_arr_close(w);

  if(base_real && strcmp(run->side, "iac") == 0) {
    struct buf b;
    buf_init(&b, 0);
    buf_appendz(&b, "file://");
    uri_path(&b, base_real);
    if(b.len && b.data[b.len - 1] != '/')
      buf_appendz(&b, "/");
    jw_key(w, "originalUriBaseIds");
    jw_obj_open(w);
    jw_key(w, "SRCROOT");
    jw_obj_open(w);
    jw_kstr(w, "uri", buf_str(&b));
    jw_obj_close(w);
    jw_obj_close(w);
    buf_cleanup(&b);
  }

  jw_key(w, "results");
  jw_arr_open(w);
  for(size_t i = 0; i < rep->findings->n; i++) {
    const struct wd_finding *x = &rep->findings->v[i];
    if(strcmp(report_rule_side(rep, x->rule), run->side))
      continue;
    sarif_result(w, rep, x, run_rule_index(run, x->rule), run->side, base_real);
  }
  jw_arr_close(w);

  jw_key(w, "properties");
  jw_obj_open(w);
  jw_kstr(w, "kind", rep->kind);
  jw_kstr(w, "target", rep->target);
  static const char *const status_names[] = {"complete", "partial", "failed"};
  jw_kstr(w, "status", status_names[rep->status]);
  if(rep->score.overall >= 0)
    jw_kint(w, "score", rep->score.overall);
  char label[96];
  score_label(&rep->score, label, sizeof(label));
  jw_kstr(w, "grade", label);
  jw_obj_close(w);
  jw_obj_close(w);
}

void rep_write_sarif(FILE *out, const struct report *r, const struct rep_opts *o)
{
  /* The runs: every side with registered rules, in registration order;
   * a report with none is one run of its own kind. */
  const char *sides[8];
  size_t nsides = rep_sides(r, sides, 8);
  char base_buf[PATH_MAX];
  const char *base_real = realpath(o->sarif_base ? o->sarif_base : ".", base_buf)
                            ? base_buf : NULL;

  struct jw w;
  jw_init(&w, out, 1);
  jw_obj_open(&w);
  jw_kstr(&w, "$schema", SARIF_SCHEMA);
  jw_kstr(&w, "version", "2.1.0");
  jw_key(&w, "runs");
  jw_arr_open(&w);
  for(size_t s = 0; s < nsides; s++) {
    struct sarif_run run = {sides[s], NULL, 0, 0};
    for(size_t i = 0; i < r->nrules; i++)
      if(strcmp(r->rules[i].side, sides[s]) == 0)
        run_rule_index(&run, r->rules[i].rule);
    sarif_run(&w, r, o, &run, base_real);
    free(run.rules);
  }
  jw_arr_close(&w);
  jw_obj_close(&w);
  jw_end(&w);
}
