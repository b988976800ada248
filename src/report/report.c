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
  free(r->rules);
  free(r->ran);
  for(size_t i = 0; i < r->nfixed; i++) {
    struct rep_fixed *x = &r->fixed[i];
    free(x->rule);
    free(x->severity);
    free(x->title);
    free(x->location);
    free(x->fingerprint);
  }
  free(r->fixed);
  for(size_t i = 0; i < r->nwrites; i++) {
    free(r->writes[i].method);
    free(r->writes[i].url);
  }
  free(r->writes);
  memset(r, 0, sizeof(*r));
}

void report_note(struct report *r, const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  char *s = xvasprintf(fmt, ap);
  va_end(ap);
  mask_inplace(r->mask, &s);
  /* The same trouble seen on many probes is one note, not hundreds. */
  for(size_t i = 0; i < r->nnotes; i++)
    if(strcmp(r->notes[i], s) == 0) {
      free(s);
      return;
    }
  if(r->nnotes >= REPORT_MAX_NOTES) {
    /* Past the cap: the REPORT_MAX_NOTES smallest distinct notes are
     * kept (strcmp), whatever order they came in; the others are
     * counted (once per distinct note) and said by report_finalize,
     * never dropped silently. */
    size_t worst = 0;
    for(size_t i = 1; i < r->nnotes; i++)
      if(strcmp(r->notes[i], r->notes[worst]) > 0)
        worst = i;
    char *out = s;
    if(strcmp(s, r->notes[worst]) < 0) {
      out = r->notes[worst];
      memmove(&r->notes[worst], &r->notes[worst + 1],
              (r->nnotes - worst - 1) * sizeof(char *));
      r->notes[r->nnotes - 1] = s;
    }
    unsigned long long h = str_hash(out, strlen(out));
    free(out);
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
  char *s = xvasprintf(fmt, ap);
  va_end(ap);
  mask_inplace(r->mask, &s);
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
  r->fact_vals[r->nfacts] = mask_str(r->mask, val ? val : "");
  r->nfacts++;
}

void report_tested(struct report *r, const struct wd_rule *rule)
{
  if(!rule)
    return;
  if(rule->severity > WD_SEV_INFO)
    r->tested |= WD_CAT_BIT(rule->category);
  for(size_t i = r->nran; i-- > 0;)
    if(r->ran[i] == rule)
      return;
  r->ran = xgrow(r->ran, &r->capran, r->nran + 1, sizeof(*r->ran));
  r->ran[r->nran++] = rule;
}

int report_rule_ran(const struct report *r, const struct wd_rule *rule)
{
  for(size_t i = 0; i < r->nran; i++)
    if(r->ran[i] == rule)
      return 1;
  return strcmp(report_rule_side(r, rule), "scan") != 0 &&
         (r->tested & WD_CAT_BIT(rule->category)) != 0;
}

void report_tested_cat(struct report *r, enum wd_category c)
{
  r->tested |= WD_CAT_BIT(c);
}

/* The path of a URL without scheme, host and port: a scan of the same
 * service on another port (or host name) gives the same fingerprints. */
static const char *url_path_part(const char *url)
{
  const char *p = strstr(url, "://");
  if(!p)
    return url;
  p = strchr(p + 3, '/');
  return p ? p : "/";
}

/* Stable fingerprints: the rule, the location without line number or
 * port, and for files the matched text, so an edit above a finding does
 * not make it a new one. Equal ones are told apart by their order
 * (findings are sorted, so the order is stable too). */
struct fp_ent {
  unsigned long long h;
  size_t i;
};

static int fp_cmp(const void *pa, const void *pb)
{
  const struct fp_ent *a = pa, *b = pb;
  if(a->h != b->h)
    return a->h < b->h ? -1 : 1;
  return a->i < b->i ? -1 : a->i > b->i;
}

static void report_fingerprints(struct report *r)
{
  struct wd_findings *f = r->findings;
  struct fp_ent *e = xcalloc(f->n ? f->n : 1, sizeof(*e));
  for(size_t i = 0; i < f->n; i++) {
    struct wd_finding *x = &f->v[i];
    char *k;
    if(x->url)
      k = xasprintf("%s|%s %s", x->rule->id, x->method ? x->method : "",
                    url_path_part(x->url));
    else if(!x->file)
      k = xasprintf("%s|%s", x->rule->id, x->title ? x->title : "");
    else
      k = NULL;
    if(k) {
      e[i] = (struct fp_ent){str_hash(k, strlen(k)), i};
      free(k);
      continue;
    }
    /* rule|file|evidence (or title), hashed part by part: the same hash
     * as of the joined string (str_hash_more), without joining it. */
    const char *t = x->evidence ? x->evidence : x->title ? x->title : "";
    unsigned long long h = str_hash(x->rule->id, strlen(x->rule->id));
    h = str_hash_more(h, "|", 1);
    h = str_hash_more(h, x->file, strlen(x->file));
    h = str_hash_more(h, "|", 1);
    e[i] = (struct fp_ent){str_hash_more(h, t, strlen(t)), i};
  }
  qsort(e, f->n, sizeof(*e), fp_cmp);
  unsigned nth = 0;
  for(size_t j = 0; j < f->n; j++) {
    nth = j && e[j].h == e[j - 1].h ? nth + 1 : 1;
    struct wd_finding *x = &f->v[e[j].i];
    /* "%016llx:%u", written by hand (one per finding). */
    static const char hex[] = "0123456789abcdef";
    char fp[40], *o = fp;
    for(int b = 60; b >= 0; b -= 4)
      *o++ = hex[(e[j].h >> b) & 15];
    *o++ = ':';
    char digits[12], *d = digits + sizeof(digits);
    unsigned v = nth;
    do {
      *--d = (char)('0' + v % 10);
      v /= 10;
    } while(v);
    size_t dl = (size_t)(digits + sizeof(digits) - d);
    memcpy(o, d, dl);
    o[dl] = '\0';
    free(x->fingerprint);
    x->fingerprint = xstrdup(fp);
  }
  free(e);
}

size_t report_write(struct report *r, const char *method, const char *url)
{
  r->writes = xgrow(r->writes, &r->capwrites, r->nwrites + 1, sizeof(*r->writes));
  struct rep_write *w = &r->writes[r->nwrites];
  w->method = xstrdup(method);
  w->url = xstrdup(url);
  mask_inplace(r->mask, &w->url);
  w->status = 0;
  return r->nwrites++;
}

void report_write_status(struct report *r, size_t i, long status)
{
  if(i < r->nwrites)
    r->writes[i].status = status;
}

void report_remask(struct report *r)
{
  for(size_t i = 0; i < r->nwrites; i++)
    mask_inplace(r->mask, &r->writes[i].url);
  for(size_t i = 0; i < r->nnotes; i++)
    mask_inplace(r->mask, &r->notes[i]);
  for(size_t i = 0; i < r->nfacts; i++)
    mask_inplace(r->mask, &r->fact_vals[i]);
  for(size_t i = 0; i < r->ndebug; i++)
    mask_inplace(r->mask, &r->debug[i]);
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
    /* NULL stands for the rule's own text (every writer reads it so):
     * only a framework's fix is copied. */
    const char *rem = rule_remediation(x->rule, r->framework);
    if(!x->remediation && rem != x->rule->remediation)
      x->remediation = xstrdup(rem);
  }
  report_fingerprints(r);
  score_compute(r->findings, r->tested, &r->score);
}

void report_rescore(struct report *r)
{
  struct wd_findings live;
  findings_init(&live);
  live.v = xcalloc(r->findings->n ? r->findings->n : 1, sizeof(*live.v));
  for(size_t i = 0; i < r->findings->n; i++)
    if(!r->findings->v[i].suppressed)
      live.v[live.n++] = r->findings->v[i];
  score_compute(&live, r->tested, &r->score);
  free(live.v); /* the entries are shallow copies: nothing else to free */
}

size_t report_count_failing(const struct report *r, int min, int new_only)
{
  size_t n = 0;
  if(min > WD_SEV_CRITICAL)
    return 0;
  for(size_t i = 0; i < r->findings->n; i++) {
    const struct wd_finding *x = &r->findings->v[i];
    if(x->suppressed || (int)x->severity < min)
      continue;
    if(new_only && r->has_baseline && x->baseline != 1)
      continue;
    n++;
  }
  return n;
}

void report_counts(const struct report *r, int counts[5])
{
  for(int i = 0; i < 5; i++)
    counts[i] = 0;
  for(size_t i = 0; i < r->findings->n; i++)
    if(!r->findings->v[i].suppressed && (unsigned)r->findings->v[i].severity < 5)
      counts[r->findings->v[i].severity]++;
}

void report_rules_add(struct report *r, const char *side,
                      const struct wd_rule *rules, size_t n)
{
  r->rules = xgrow(r->rules, &r->caprules, r->nrules + n, sizeof(*r->rules));
  for(size_t i = 0; i < n; i++)
    r->rules[r->nrules++] = (struct rep_rule){side, &rules[i]};
}

const char *report_rule_side(const struct report *r, const struct wd_rule *rule)
{
  for(size_t i = 0; i < r->nrules; i++)
    if(r->rules[i].rule == rule || strcmp(r->rules[i].rule->id, rule->id) == 0)
      return r->rules[i].side;
  return r->kind;
}

void report_add_fixed(struct report *r, const char *rule, const char *severity,
                      const char *title, const char *location,
                      const char *fingerprint)
{
  r->fixed = xgrow(r->fixed, &r->capfixed, r->nfixed + 1, sizeof(*r->fixed));
  r->fixed[r->nfixed++] = (struct rep_fixed){
    xstrdup(rule ? rule : ""), xstrdup(severity ? severity : ""),
    xstrdup(title ? title : ""), xstrdup(location ? location : ""),
    xstrdup(fingerprint ? fingerprint : "")};
}

char *rep_location(const struct wd_finding *x)
{
  if(x->url)
    return xasprintf("%s%s%s", x->method ? x->method : "", x->method ? " " : "",
                     x->url);
  if(x->file)
    return x->line > 0 ? xasprintf("%s:%d", x->file, x->line) : xstrdup(x->file);
  return xstrdup("");
}
