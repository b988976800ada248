/*
 * rep_html.c - one self-contained HTML page: inline CSS, inline SVG, one
 * small inline script for the filters; no network fetch of any kind (a
 * Content-Security-Policy says so to the browser too). Readable without
 * JavaScript and printable. Every string from the target is escaped.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "rep_text.h"
#include "report.h"

static const char *const status_names[] = {"complete", "partial", "failed"};
static const char *const sev_colors[] = {"#6b7280", "#0e7490", "#b45309",
                                         "#dc2626", "#7e22ce"};

static const char html_css[] =
  ":root{--fg:#111827;--mut:#4b5563;--bg:#fff;--line:#e5e7eb}"
  "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--fg);"
  "background:var(--bg);margin:0 auto;max-width:1100px;padding:1.5em}"
  "h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;border-bottom:1px solid var(--line);"
  "padding-bottom:.2em;margin-top:1.6em}h3{font-size:1.02em;margin:.2em 0}"
  "header .grade{display:inline-block;font-size:2.4em;font-weight:700;width:1.6em;"
  "text-align:center;border-radius:.2em;color:#fff;margin-right:.4em;vertical-align:middle}"
  ".g-A{background:#15803d}.g-B{background:#65a30d}.g-C{background:#ca8a04}"
  ".g-D{background:#ea580c}.g-F{background:#b91c1c}.g-N{background:#6b7280}"
  ".meta{color:var(--mut)}.meta b{color:var(--fg)}"
  "code,pre{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.9em}"
  "pre{background:#f3f4f6;padding:.5em;white-space:pre-wrap;word-break:break-all;margin:.3em 0}"
  ".charts{display:flex;flex-wrap:wrap;gap:2em}.charts figure{margin:0}"
  ".charts figcaption{font-weight:600;margin-bottom:.3em}"
  ".finding{border:1px solid var(--line);border-left:6px solid #9ca3af;border-radius:4px;"
  "padding:.6em .9em;margin:.7em 0}"
  ".sev-critical{border-left-color:#7e22ce}.sev-high{border-left-color:#dc2626}"
  ".sev-medium{border-left-color:#b45309}.sev-low{border-left-color:#0e7490}"
  ".badge{display:inline-block;font-size:.78em;font-weight:700;text-transform:uppercase;"
  "color:#fff;border-radius:3px;padding:0 .4em;margin-right:.4em}"
  ".b-critical{background:#7e22ce}.b-high{background:#dc2626}.b-medium{background:#b45309}"
  ".b-low{background:#0e7490}.b-info{background:#6b7280}"
  "dl{display:grid;grid-template-columns:max-content 1fr;gap:.15em .8em;margin:.4em 0}"
  "dt{color:var(--mut)}dd{margin:0;word-break:break-word}"
  ".chain{display:flex;flex-wrap:wrap;align-items:center;gap:.4em;margin:.5em 0}"
  ".step{border:1px solid var(--line);background:#fef2f2;border-radius:4px;padding:.3em .6em}"
  ".arrow{font-size:1.3em;color:#b91c1c}"
  ".filters{background:#f9fafb;border:1px solid var(--line);padding:.5em .8em;border-radius:4px}"
  ".filters label{margin-right:.8em;white-space:nowrap}"
  ".suppressed{opacity:.6}.hidden{display:none}"
  "table{border-collapse:collapse}td,th{border:1px solid var(--line);padding:.2em .5em;text-align:left}"
  "@media print{.filters{display:none}.finding{break-inside:avoid}body{max-width:none;padding:0}"
  "a{color:inherit;text-decoration:none}}";

/* Filters: hide findings whose severity or category box is unticked.
 * Without JavaScript the filter bar stays hidden and everything shows. */
static const char html_js[] =
  "(function(){var f=document.getElementById('filters');if(!f)return;"
  "f.hidden=false;function apply(){var on={};"
  "f.querySelectorAll('input').forEach(function(i){on[i.name+':'+i.value]=i.checked;});"
  "document.querySelectorAll('article.finding').forEach(function(a){"
  "var show=on['sev:'+a.dataset.sev]!==false&&on['cat:'+a.dataset.cat]!==false;"
  "a.classList.toggle('hidden',!show);});"
  "var n=document.querySelectorAll('article.finding:not(.hidden)').length;"
  "document.getElementById('shown').textContent=String(n);}"
  "var m=/hide=([^&]*)/.exec(location.hash);if(m)decodeURIComponent(m[1]).split(',')"
  ".forEach(function(k){var p=k.split(':');f.querySelectorAll('input').forEach(function(i){"
  "if(i.name===p[0]&&i.value===p[1])i.checked=false;});});"
  "f.addEventListener('change',apply);apply();})();";

static void esc(FILE *out, const char *s)
{
  rep_esc_xml(out, s);
}

static void bar_chart(FILE *out, const char *id, const char *caption,
                      const char *const *labels, const int *values,
                      const char *const *colors, size_t n)
{
  int max = 1;
  for(size_t i = 0; i < n; i++)
    if(values[i] > max)
      max = values[i];
  const int row = 22, labw = 110, barw = 260;
  fprintf(out, "<figure id=\"%s\"><figcaption>%s</figcaption>\n", id, caption);
  fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" height=\"%zu\" "
          "viewBox=\"0 0 %d %zu\" aria-label=\"%s\">\n", labw + barw + 40,
          n * (size_t)row + 4, labw + barw + 40, n * (size_t)row + 4, caption);
  for(size_t i = 0; i < n; i++) {
    int w = values[i] ? values[i] * barw / max : 0;
    if(values[i] && w < 2)
      w = 2;
    int y = (int)i * row + 2;
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" font-size=\"12\" fill=\"#374151\">%s</text>",
            labw - 6, y + 14, labels[i]);
    fprintf(out, "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"%s\"/>",
            labw, y + 2, w, colors ? colors[i] : "#2563eb");
    fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"12\" fill=\"#111827\">%d</text>\n",
            labw + w + 4, y + 14, values[i]);
  }
  fputs("</svg></figure>\n", out);
}

static void html_chain(FILE *out, const struct wd_finding *x)
{
  /* corr writes "side [rule] at loc  +  side [rule] at loc". */
  fputs("<div class=\"chain\">", out);
  const char *p = x->evidence ? x->evidence : "";
  int first = 1;
  while(*p) {
    const char *sep = strstr(p, "  +  ");
    size_t len = sep ? (size_t)(sep - p) : strlen(p);
    char *step = xstrndup(p, len);
    if(!first)
      fputs("<span class=\"arrow\" aria-hidden=\"true\">&#8594;</span>", out);
    fputs("<span class=\"step\">", out);
    esc(out, step);
    fputs("</span>", out);
    free(step);
    first = 0;
    p += len;
    if(sep)
      p += 5;
  }
  fputs("<span class=\"arrow\" aria-hidden=\"true\">&#8594;</span>"
        "<span class=\"step\"><b>", out);
  esc(out, x->title ? x->title : x->rule->title);
  fputs("</b></span></div>\n", out);
}

static void html_finding(FILE *out, const struct report *r, const struct wd_finding *x)
{
  const struct wd_rule *ru = x->rule;
  const char *sev = sev_name(x->severity);
  fprintf(out, "<article class=\"finding sev-%s%s\" data-sev=\"%s\" data-cat=\"%s\">\n",
          sev, x->suppressed ? " suppressed" : "", sev, cat_name(ru->category));
  fprintf(out, "<h3><span class=\"badge b-%s\">%s</span>", sev, sev);
  esc(out, x->title ? x->title : ru->title);
  fputs("</h3>\n<dl>", out);
  fputs("<dt>Rule</dt><dd><code>", out);
  esc(out, ru->id);
  fputs("</code> ", out);
  esc(out, cat_title(ru->category));
  if(ru->owasp) {
    fputs(" (", out);
    esc(out, ru->owasp);
    fputs(")", out);
  }
  if(ru->cwe)
    fprintf(out, ", CWE-%d", ru->cwe);
  fputs("</dd>", out);
  char *loc = rep_location(x);
  if(*loc) {
    fputs("<dt>Location</dt><dd><code>", out);
    esc(out, loc);
    fputs("</code>", out);
    if(x->count > 1)
      fprintf(out, " (%u occurrences)", x->count);
    fputs("</dd>", out);
  }
  free(loc);
  if(x->evidence) {
    fputs("<dt>Evidence</dt><dd><pre>", out);
    esc(out, x->evidence);
    fputs("</pre></dd>", out);
  }
  fputs("<dt>Fix</dt><dd>", out);
  esc(out, x->remediation ? x->remediation : ru->remediation);
  fputs("</dd>", out);
  if(x->suppressed) {
    fputs("<dt>Suppressed</dt><dd>", out);
    esc(out, x->suppress_reason);
    fputs("</dd>", out);
  }
  if(r->has_baseline)
    fprintf(out, "<dt>Baseline</dt><dd>%s</dd>", x->baseline == 1 ? "new" : "unchanged");
  fputs("<dt>Fingerprint</dt><dd><code>", out);
  esc(out, x->fingerprint);
  fputs("</code></dd></dl>\n</article>\n", out);
}

void rep_write_html(FILE *out, const struct report *r, const struct rep_opts *o)
{
  int counts[5];
  report_counts(r, counts);
  fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>warden ", out);
  esc(out, r->kind);
  fputs(" report: ", out);
  esc(out, r->target);
  fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n", html_css);

  int graded = r->score.overall >= 0 && r->score.grade >= 'A' && r->score.grade <= 'F';
  char g = graded ? r->score.grade : '-';
  char label[96];
  score_label(&r->score, label, sizeof(label));
  fprintf(out, "<header id=\"summary\">\n<h1><span class=\"grade g-%c\">%c</span>warden %s report</h1>\n",
          graded ? g : 'N', g, r->kind);
  fputs("<p class=\"meta\"><b>Target:</b> <code>", out);
  esc(out, r->target);
  if(graded)
    fprintf(out, "</code><br><b>Score:</b> <span id=\"score\">%d</span>/100 (grade %s; %s)",
            r->score.overall, label, WD_SCORE_VERSION);
  else
    fprintf(out, "</code><br><b>Score:</b> <span id=\"score\">%s</span> (%s)", label,
            WD_SCORE_VERSION);
  if(r->score.cap_reason) {
    fputs(" &#8212; ", out);
    esc(out, r->score.cap_reason);
  }
  fprintf(out, "<br><b>Status:</b> %s", status_names[r->status]);
  if(r->framework) {
    fputs(" &#183; <b>Framework:</b> ", out);
    esc(out, r->framework);
  }
  if(r->requests > 0)
    fprintf(out, " &#183; <b>Requests:</b> %ld", r->requests);
  for(size_t i = 0; i < r->nfacts; i++) {
    fputs(" &#183; <b>", out);
    esc(out, r->fact_keys[i]);
    fputs(":</b> ", out);
    esc(out, r->fact_vals[i]);
  }
  fprintf(out, "<br><b>Findings:</b> %d critical, %d high, %d medium, %d low, %d info",
          counts[4], counts[3], counts[2], counts[1], counts[0]);
  if(r->nsuppressed)
    fprintf(out, " (%zu suppressed)", r->nsuppressed);
  if(r->has_baseline) {
    size_t nnew = 0;
    for(size_t i = 0; i < r->findings->n; i++)
      nnew += r->findings->v[i].baseline == 1;
    fprintf(out, "<br><b>Against the baseline:</b> %zu new, %zu fixed", nnew, r->nfixed);
  }
  fprintf(out, " &#183; <b>Exit code:</b> %d</p>\n</header>\n", o->exit_code);

  /* Charts: by severity, and by category (categories with findings, or
   * every one when there are none). */
  fputs("<section id=\"charts\">\n<h2>Findings by severity and category</h2>\n<div class=\"charts\">\n", out);
  const char *sl[5];
  int sv[5];
  const char *sc[5];
  for(int i = 0; i < 5; i++) {
    sl[i] = sev_name((enum wd_severity)(WD_SEV_CRITICAL - i));
    sv[i] = counts[WD_SEV_CRITICAL - i];
    sc[i] = sev_colors[WD_SEV_CRITICAL - i];
  }
  bar_chart(out, "chart-severity", "By severity", sl, sv, sc, 5);
  const char *cl[WD_CAT__COUNT];
  int cv[WD_CAT__COUNT];
  int catc[WD_CAT__COUNT] = {0};
  for(size_t i = 0; i < r->findings->n; i++)
    if(!r->findings->v[i].suppressed)
      catc[r->findings->v[i].rule->category]++;
  size_t nc = 0;
  for(int c = 0; c < WD_CAT__COUNT; c++) {
    cl[nc] = cat_name((enum wd_category)c);
    cv[nc++] = catc[c];
  }
  bar_chart(out, "chart-category", "By category", cl, cv, NULL, nc);
  fputs("</div>\n<table id=\"categories\"><tr><th>Category</th><th>Score</th></tr>\n", out);
  for(int c = 0; c < WD_CAT__COUNT; c++) {
    fputs("<tr><td>", out);
    esc(out, cat_title((enum wd_category)c));
    const char *ow = cat_owasp((enum wd_category)c);
    if(ow)
      fprintf(out, " (%s)", ow);
    if(score_is_tested(&r->score, (enum wd_category)c))
      fprintf(out, "</td><td>%d</td></tr>\n", r->score.category[c]);
    else
      fputs("</td><td>not tested</td></tr>\n", out);
  }
  fputs("</table>\n</section>\n", out);

  fputs("<section id=\"chains\">\n<h2>Attack chains</h2>\n", out);
  int any = 0;
  for(size_t i = 0; i < r->findings->n; i++)
    if(rep_is_chain(r, &r->findings->v[i])) {
      html_chain(out, &r->findings->v[i]);
      any = 1;
    }
  if(!any)
    fputs("<p>No attack chain was found.</p>\n", out);
  fputs("</section>\n", out);

  fputs("<section id=\"findings\">\n<h2>Findings</h2>\n", out);
  fputs("<form id=\"filters\" class=\"filters\" hidden>\n<div>Severity: ", out);
  for(int s = WD_SEV_CRITICAL; s >= WD_SEV_INFO; s--)
    fprintf(out, "<label><input type=\"checkbox\" name=\"sev\" value=\"%s\" checked> %s</label>",
            sev_name((enum wd_severity)s), sev_name((enum wd_severity)s));
  fputs("</div>\n<div>Category: ", out);
  for(int c = 0; c < WD_CAT__COUNT; c++)
    fprintf(out, "<label><input type=\"checkbox\" name=\"cat\" value=\"%s\" checked> %s</label>",
            cat_name((enum wd_category)c), cat_name((enum wd_category)c));
  fprintf(out, "</div>\n<div><span id=\"shown\">%zu</span> of %zu shown</div>\n</form>\n",
          r->findings->n, r->findings->n);
  if(!r->findings->n)
    fputs("<p>No findings.</p>\n", out);
  for(size_t i = 0; i < r->findings->n; i++)
    html_finding(out, r, &r->findings->v[i]);
  fputs("</section>\n", out);

  if(r->has_baseline) {
    fputs("<section id=\"fixed\">\n<h2>Fixed since the baseline</h2>\n<ul>\n", out);
    for(size_t i = 0; i < r->nfixed; i++) {
      fputs("<li><code>", out);
      esc(out, r->fixed[i].rule);
      fputs("</code> ", out);
      esc(out, r->fixed[i].title);
      fputs(" at <code>", out);
      esc(out, r->fixed[i].location);
      fputs("</code></li>\n", out);
    }
    fputs("</ul>\n</section>\n", out);
  }

  fputs("<section id=\"notes\">\n<h2>Notes</h2>\n", out);
  if(!r->nnotes)
    fputs("<p>None.</p>\n", out);
  else {
    fputs("<ul>\n", out);
    for(size_t i = 0; i < r->nnotes; i++) {
      fputs("<li>", out);
      esc(out, r->notes[i]);
      fputs("</li>\n", out);
    }
    fputs("</ul>\n", out);
  }
  fputs("</section>\n<footer class=\"meta\"><p>warden " WARDEN_VERSION, out);
  if(o->cmdline) {
    fputs(" &#183; <code>", out);
    esc(out, o->cmdline);
    fputs("</code>", out);
  }
  fprintf(out, "</p></footer>\n<script>%s</script>\n</body>\n</html>\n", html_js);
}
