/*
 * rep_md.c - Markdown for pull-request comments and job summaries: the
 * grade, the counts, the top findings as a table, the attack chains, and
 * every finding in a collapsed section. The whole text stays under the
 * size limit (GitHub's comment limit, 65,536 characters): what does not
 * fit is left out with a note saying how much.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/core_buf.h"
#include "rep_text.h"
#include "report.h"

#define MD_TOP 20

static const char *const status_names[] = {"complete", "partial", "failed"};

static void md_loc(struct buf *b, const struct wd_finding *x)
{
  char *loc = rep_location(x);
  rep_esc_md(b, loc);
  free(loc);
}

void rep_write_md(FILE *out, const struct report *r, const struct rep_opts *o)
{
  size_t limit = o->md_limit ? o->md_limit : 65536;
  /* Room kept for the truncation note and the closing tags. */
  size_t reserve = 400;
  if(limit < 2 * reserve)
    limit = 2 * reserve;
  struct buf b;
  buf_init(&b, 0);
  int counts[5];
  report_counts(r, counts);
  char label[96];
  score_label(&r->score, label, sizeof(label));
  if(r->score.overall >= 0)
    buf_printf(&b, "## warden %s: grade %s (score %d/100)\n\n", r->kind, label,
               r->score.overall);
  else
    buf_printf(&b, "## warden %s: %s\n\n", r->kind, label);
  buf_appendz(&b, "**Target:** ");
  rep_esc_md(&b, r->target);
  buf_printf(&b, "  \n**Status:** %s", status_names[r->status]);
  if(r->framework) {
    buf_appendz(&b, "  \n**Framework:** ");
    rep_esc_md(&b, r->framework);
  }
  buf_printf(&b, "  \n**Findings:** %d critical, %d high, %d medium, %d low, %d info",
             counts[WD_SEV_CRITICAL], counts[WD_SEV_HIGH], counts[WD_SEV_MEDIUM],
             counts[WD_SEV_LOW], counts[WD_SEV_INFO]);
  if(r->nsuppressed)
    buf_printf(&b, " (%zu suppressed)", r->nsuppressed);
  {
    size_t nt = 0;
    for(int c = 0; c < WD_CAT__COUNT; c++)
      if(!score_is_tested(&r->score, (enum wd_category)c)) {
        buf_appendz(&b, nt++ ? ", " : "  \n**Not tested:** ");
        buf_appendz(&b, cat_name((enum wd_category)c));
      }
  }
  if(r->has_baseline) {
    size_t nnew = 0;
    for(size_t i = 0; i < r->findings->n; i++)
      nnew += r->findings->v[i].baseline == 1 && !r->findings->v[i].suppressed;
    buf_printf(&b, "  \n**Against the baseline:** %zu new, %zu fixed", nnew, r->nfixed);
  }
  buf_printf(&b, "  \n**Exit code:** %d\n\n", o->exit_code);

  size_t shown = 0, live = 0;
  for(size_t i = 0; i < r->findings->n; i++)
    live += !r->findings->v[i].suppressed;
  size_t omitted = 0;
  if(live) {
    buf_appendz(&b, "| Severity | Finding | Rule | Location |\n|---|---|---|---|\n");
    for(size_t i = 0; i < r->findings->n && shown < MD_TOP; i++) {
      const struct wd_finding *x = &r->findings->v[i];
      if(x->suppressed)
        continue;
      size_t mark = b.len;
      buf_printf(&b, "| %s | ", sev_name(x->severity));
      rep_esc_md(&b, x->title ? x->title : x->rule->title);
      buf_appendz(&b, " | `");
      buf_appendz(&b, x->rule->id);
      buf_appendz(&b, "` | ");
      md_loc(&b, x);
      buf_appendz(&b, " |\n");
      if(b.len + reserve > limit / 2) {
        /* The table takes at most half; the details get the rest. */
        b.len = mark;
        b.data[b.len] = '\0';
        break;
      }
      shown++;
    }
    if(shown < live)
      buf_printf(&b, "\n%zu more below.\n", live - shown);
  } else {
    buf_appendz(&b, "No findings.\n");
  }

  int any_chain = 0;
  for(size_t i = 0; i < r->findings->n; i++) {
    const struct wd_finding *x = &r->findings->v[i];
    if(!rep_is_chain(r, x))
      continue;
    if(!any_chain)
      buf_appendz(&b, "\n### Attack chains\n\n");
    any_chain = 1;
    size_t mark = b.len;
    buf_printf(&b, "- **%s** ", sev_name(x->severity));
    rep_esc_md(&b, x->title ? x->title : x->rule->title);
    buf_appendz(&b, ": ");
    rep_esc_md(&b, x->evidence);
    buf_appendz(&b, "\n");
    if(b.len + reserve > limit) {
      b.len = mark;
      b.data[b.len] = '\0';
      omitted++;
    }
  }

  if(r->findings->n) {
    buf_printf(&b, "\n<details><summary>All %zu findings</summary>\n\n", r->findings->n);
    for(size_t i = 0; i < r->findings->n; i++) {
      const struct wd_finding *x = &r->findings->v[i];
      size_t mark = b.len;
      buf_printf(&b, "#### %s: ", sev_name(x->severity));
      rep_esc_md(&b, x->title ? x->title : x->rule->title);
      buf_printf(&b, "\n\n- Rule: `%s` (%s", x->rule->id, cat_name(x->rule->category));
      if(x->rule->owasp)
        buf_printf(&b, ", %s", x->rule->owasp);
      if(x->rule->cwe)
        buf_printf(&b, ", CWE-%d", x->rule->cwe);
      buf_appendz(&b, ")\n- Location: ");
      md_loc(&b, x);
      if(x->count > 1)
        buf_printf(&b, " (%u occurrences)", x->count);
      if(x->evidence) {
        buf_appendz(&b, "\n- Evidence: ");
        rep_esc_md(&b, x->evidence);
      }
      if(x->suppressed) {
        buf_appendz(&b, "\n- Suppressed: ");
        rep_esc_md(&b, x->suppress_reason);
      }
      if(r->has_baseline)
        buf_appendz(&b, x->baseline == 1 ? "\n- New since the baseline" : "\n- Also in the baseline");
      buf_appendz(&b, "\n- Fix: ");
      rep_esc_md(&b, x->remediation ? x->remediation : x->rule->remediation);
      buf_appendz(&b, "\n\n");
      if(b.len + reserve > limit) {
        b.len = mark;
        b.data[b.len] = '\0';
        omitted = r->findings->n - i;
        break;
      }
    }
    buf_appendz(&b, "</details>\n");
  }
  if(r->nwrites) {
    /* What --active may have changed, to clean up; cut only at the size
     * limit, and then said. */
    buf_printf(&b, "\n**Writes sent (--active):** %zu\n", r->nwrites);
    for(size_t i = 0; i < r->nwrites; i++) {
      const struct rep_write *x = &r->writes[i];
      size_t mark = b.len;
      buf_appendz(&b, "- `");
      rep_esc_md(&b, x->method);
      buf_appendz(&b, "` ");
      rep_esc_md(&b, x->url);
      if(x->status)
        buf_printf(&b, " -> %ld\n", x->status);
      else
        buf_appendz(&b, " -> no answer\n");
      if(b.len + reserve > limit) {
        b.len = mark;
        b.data[b.len] = '\0';
        buf_printf(&b, "- ... %zu more: the JSON report lists them all\n", r->nwrites - i);
        break;
      }
    }
  }
  if(r->nnotes && !omitted) {
    buf_appendz(&b, "\n**Notes:**\n");
    for(size_t i = 0; i < r->nnotes; i++) {
      size_t mark = b.len;
      buf_appendz(&b, "- ");
      rep_esc_md(&b, r->notes[i]);
      buf_appendz(&b, "\n");
      if(b.len + reserve > limit) {
        b.len = mark;
        b.data[b.len] = '\0';
        break;
      }
    }
  }
  if(omitted)
    buf_printf(&b, "\n> **Truncated:** %zu finding%s left out to stay under %zu "
               "characters; the JSON or SARIF report has them all.\n",
               omitted, omitted == 1 ? "" : "s", limit);
  fwrite(b.data ? b.data : "", 1, b.len, out);
  buf_cleanup(&b);
}
