/*
 * rep_term.c - the human report for a terminal.
 */
#include <string.h>

#include "report.h"

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"

static const char *sev_color(enum wd_severity s)
{
  switch(s) {
  case WD_SEV_CRITICAL: return "\033[1;35m";
  case WD_SEV_HIGH: return "\033[1;31m";
  case WD_SEV_MEDIUM: return "\033[33m";
  case WD_SEV_LOW: return "\033[36m";
  default: return "\033[2m";
  }
}

static const char *grade_color(char g)
{
  switch(g) {
  case 'A': return "\033[1;32m";
  case 'B': return "\033[32m";
  case 'C': return "\033[33m";
  case 'D': return "\033[31m";
  default: return "\033[1;31m";
  }
}

void rep_write_term(FILE *out, const struct report *r, int color)
{
  const char *b = color ? C_BOLD : "", *d = color ? C_DIM : "",
             *z = color ? C_RESET : "";
  static const char *const status_names[] = {"complete", "partial",
                                             "FAILED"};
  /* Every string that can come from the target, a file name or a
   * report goes through rep_esc_term: no control byte reaches the
   * terminal. */
  fprintf(out, "%swarden %s%s  ", b, r->kind, z);
  rep_esc_term(out, r->target);
  fputc('\n', out);
  if(r->framework) {
    fprintf(out, "%sframework:%s ", d, z);
    rep_esc_term(out, r->framework);
    fputc('\n', out);
  }
  for(size_t i = 0; i < r->nfacts; i++) {
    fputs(d, out);
    rep_esc_term(out, r->fact_keys[i]);
    fprintf(out, ":%s ", z);
    rep_esc_term(out, r->fact_vals[i]);
    fputc('\n', out);
  }
  fprintf(out, "%sstatus:%s %s, %.2fs", d, z, status_names[r->status],
          r->seconds);
  if(r->requests >= 0 && strcmp(r->kind, "scan") == 0)
    fprintf(out, ", %ld requests", r->requests);
  fputc('\n', out);
  const struct wd_score *sc = &r->score;
  char label[96];
  score_label(sc, label, sizeof(label));
  if(sc->overall >= 0)
    fprintf(out, "\n%sScore %d/100  grade %s%s%s", b, sc->overall,
            color ? grade_color(sc->grade) : "", label, z);
  else
    fprintf(out, "\n%sScore: %s%s", b, label, z);
  if(sc->cap_reason)
    fprintf(out, "  %s(%s)%s", d, sc->cap_reason, z);
  fprintf(out, "%s  [%s]\n", z, WD_SCORE_VERSION);
  for(int c = 0; c < WD_CAT__COUNT; c++) {
    int s = sc->category[c];
    if(!score_is_tested(sc, (enum wd_category)c) || s == 100)
      continue;
    const char *ow = cat_owasp((enum wd_category)c);
    fprintf(out, "  %-10s %3d  %s%s%s%s\n", cat_name((enum wd_category)c), s,
            cat_title((enum wd_category)c), ow ? " (" : "", ow ? ow : "",
            ow ? ")" : "");
  }
  /* Which categories the grade covers, and which it says nothing about. */
  for(int t = 1; t >= 0; t--) {
    int n = 0;
    for(int c = 0; c < WD_CAT__COUNT; c++)
      if(score_is_tested(sc, (enum wd_category)c) == t)
        fprintf(out, "%s%s", n++ ? ", " : t ? "  tested:     " : "  not tested: ",
                cat_name((enum wd_category)c));
    if(n)
      fputc('\n', out);
  }
  fprintf(out, "\n%s%zu finding%s%s\n", b, r->findings->n,
          r->findings->n == 1 ? "" : "s", z);
  for(size_t i = 0; i < r->findings->n; i++) {
    const struct wd_finding *x = &r->findings->v[i];
    const struct wd_rule *ru = x->rule;
    fprintf(out, "\n%s%-8s%s %s", color ? sev_color(x->severity) : "",
            sev_name(x->severity), z, b);
    rep_esc_term(out, x->title ? x->title : ru->title);
    fprintf(out, "%s  %s[%s]%s\n", z, d, ru->id, z);
    if(x->url) {
      fprintf(out, "         at %s ", x->method ? x->method : "");
      rep_esc_term(out, x->url);
    } else if(x->file) {
      fputs("         at ", out);
      rep_esc_term(out, x->file);
      fprintf(out, ":%d", x->line);
    }
    if(x->url || x->file) {
      /* The first few other places it was seen, then how many more. */
      unsigned shown = 1;
      for(unsigned k = 1; k < x->nlocs && k < 4; k++, shown++) {
        const struct wd_loc *l = &x->locs[k];
        if(l->url) {
          fprintf(out, "\n            %s ", l->method ? l->method : "");
          rep_esc_term(out, l->url);
        } else {
          fputs("\n            ", out);
          rep_esc_term(out, l->file);
          fprintf(out, ":%d", l->line);
        }
      }
      if(x->count > shown)
        fprintf(out, " %s(and %u more)%s", d, x->count - shown, z);
      fputc('\n', out);
    }
    if(x->evidence) {
      fprintf(out, "         %sevidence:%s ", d, z);
      rep_esc_term(out, x->evidence);
      fputc('\n', out);
    }
    const char *rem = x->remediation ? x->remediation : ru->remediation;
    if(rem)
      fprintf(out, "         %sfix:%s %s\n", d, z, rem);
  }
  if(r->nwrites) {
    /* What --active may have changed on the target: to clean up. */
    fprintf(out, "\n%s%zu write%s sent (--active)%s\n", b, r->nwrites,
            r->nwrites == 1 ? "" : "s", z);
    for(size_t i = 0; i < r->nwrites; i++) {
      const struct rep_write *x = &r->writes[i];
      fprintf(out, "  - %s ", x->method);
      rep_esc_term(out, x->url);
      if(x->status)
        fprintf(out, " -> %ld\n", x->status);
      else
        fputs(" -> no answer\n", out);
    }
  }
  if(r->nnotes) {
    fprintf(out, "\n%snotes%s\n", b, z);
    for(size_t i = 0; i < r->nnotes; i++) {
      fputs("  - ", out);
      rep_esc_term(out, r->notes[i]);
      fputc('\n', out);
    }
  }
}
