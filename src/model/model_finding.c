#include "model.h"

#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"

static const char *const sev_names[] = {"info", "low", "medium", "high",
                                        "critical"};

const char *sev_name(enum wd_severity s)
{
  return (unsigned)s < 5 ? sev_names[s] : "?";
}

int sev_parse(const char *s)
{
  for(int i = 0; i < 5; i++)
    if(str_ieq(s, sev_names[i]))
      return i;
  return -1;
}

static const struct {
  const char *key;
  const char *title;
  const char *owasp;
} cats[WD_CAT__COUNT] = {
  [WD_CAT_BOLA] = {"bola", "Broken Object Level Authorization", "API1:2023"},
  [WD_CAT_AUTH] = {"auth", "Broken Authentication", "API2:2023"},
  [WD_CAT_PROPERTY] = {"property", "Broken Object Property Level Authorization", "API3:2023"},
  [WD_CAT_RESOURCE] = {"resource", "Unrestricted Resource Consumption", "API4:2023"},
  [WD_CAT_BFLA] = {"bfla", "Broken Function Level Authorization", "API5:2023"},
  [WD_CAT_FLOWS] = {"flows", "Unrestricted Access to Sensitive Business Flows", "API6:2023"},
  [WD_CAT_SSRF] = {"ssrf", "Server Side Request Forgery", "API7:2023"},
  [WD_CAT_MISCONFIG] = {"misconfig", "Security Misconfiguration", "API8:2023"},
  [WD_CAT_INVENTORY] = {"inventory", "Improper Inventory Management", "API9:2023"},
  [WD_CAT_UNSAFE] = {"unsafe", "Unsafe Consumption of APIs", "API10:2023"},
  [WD_CAT_DATA] = {"data", "Sensitive Data Exposure", NULL},
  [WD_CAT_CONTAINER] = {"container", "Container and Host Exposure", NULL},
};

const char *cat_name(enum wd_category c)
{
  return (unsigned)c < WD_CAT__COUNT ? cats[c].key : "?";
}

const char *cat_title(enum wd_category c)
{
  return (unsigned)c < WD_CAT__COUNT ? cats[c].title : "?";
}

const char *cat_owasp(enum wd_category c)
{
  return (unsigned)c < WD_CAT__COUNT ? cats[c].owasp : NULL;
}

void findings_init(struct wd_findings *f)
{
  memset(f, 0, sizeof(*f));
}

static void finding_cleanup(struct wd_finding *x)
{
  free(x->title);
  free(x->evidence);
  free(x->method);
  free(x->url);
  free(x->file);
  free(x->remediation);
  free(x->key);
  free(x->fingerprint);
  free(x->suppress_reason);
  for(unsigned i = 0; i < x->nlocs; i++) {
    free(x->locs[i].method);
    free(x->locs[i].url);
    free(x->locs[i].file);
  }
  free(x->locs);
}

void findings_cleanup(struct wd_findings *f)
{
  for(size_t i = 0; i < f->n; i++)
    finding_cleanup(&f->v[i]);
  free(f->v);
  free(f->slots);
  memset(f, 0, sizeof(*f));
}

static char *dupz(const char *s)
{
  return s ? xstrdup(s) : NULL;
}

/* Keeps the key index at most half full, so lookups stay O(1): an iac
 * run over a large corpus adds tens of thousands of findings. */
static void findings_reindex(struct wd_findings *f)
{
  size_t want = 64;
  while(want < 2 * (f->n + 1))
    want *= 2;
  if(f->slots && want <= f->nslots)
    return;
  free(f->slots);
  f->nslots = want;
  f->slots = xcalloc(want, sizeof(size_t));
  for(size_t i = 0; i < f->n; i++) {
    size_t h = (size_t)str_hash(f->v[i].key, strlen(f->v[i].key)) & (want - 1);
    while(f->slots[h])
      h = (h + 1) & (want - 1);
    f->slots[h] = i + 1;
  }
}

/* Takes spec's title, evidence and location as x's own (the place its
 * evidence came from), replacing what x had. */
static void finding_set_place(struct wd_finding *x, const struct wd_finding_spec *spec)
{
  free(x->title);
  free(x->evidence);
  free(x->method);
  free(x->url);
  free(x->file);
  x->title = dupz(spec->title);
  x->evidence = dupz(spec->evidence);
  x->method = dupz(spec->method);
  x->url = dupz(spec->url);
  x->file = dupz(spec->file);
  x->line = spec->line;
}

static struct wd_finding *findings_add_masked(struct wd_findings *f,
                                              const struct wd_finding_spec *spec);

struct wd_finding *findings_add(struct wd_findings *f,
                                const struct wd_finding_spec *spec)
{
  /* Masked before the key is built and hashed, and before anything is
   * kept: no secret reaches a report through a finding. */
  struct wd_finding_spec m = *spec;
  char *title = mask_str_cached(f->mask, f->mcache, spec->title);
  char *ev = mask_str_cached(f->mask, f->mcache, spec->evidence);
  char *url = mask_str(f->mask, spec->url);
  char *dd = mask_str(f->mask, spec->dedupe);
  m.title = title;
  m.evidence = ev;
  m.url = url;
  m.dedupe = dd;
  struct wd_finding *x = findings_add_masked(f, &m);
  free(title);
  free(ev);
  free(url);
  free(dd);
  return x;
}

void findings_remask(struct wd_findings *f, const struct wd_mask *m)
{
  for(size_t i = 0; i < f->n; i++) {
    struct wd_finding *x = &f->v[i];
    mask_inplace(m, &x->title);
    mask_inplace(m, &x->evidence);
    mask_inplace(m, &x->url);
    for(unsigned j = 0; j < x->nlocs; j++)
      mask_inplace(m, &x->locs[j].url);
  }
}

static int strz_cmp(const char *a, const char *b)
{
  return strcmp(a ? a : "", b ? b : "");
}

/* Orders locations: by URL then method, or by file then line. */
static int loc_cmp(const char *method, const char *url, const char *file, int line,
                   const struct wd_loc *l)
{
  int c = strz_cmp(url, l->url);
  if(!c)
    c = strz_cmp(method, l->method);
  if(!c)
    c = strz_cmp(file, l->file);
  if(!c)
    c = (line > l->line) - (line < l->line);
  return c;
}

/* Adds a distinct location to x's sorted, bounded list. */
static void loc_add(struct wd_finding *x, const struct wd_finding_spec *spec)
{
  if(!spec->url && !spec->file)
    return;
  unsigned pos = 0;
  for(; pos < x->nlocs; pos++) {
    int c = loc_cmp(spec->method, spec->url, spec->file, spec->line, &x->locs[pos]);
    if(c == 0)
      return;
    if(c < 0)
      break;
  }
  if(pos >= WD_MAX_LOCATIONS)
    return;
  /* The array holds nlocs rounded up to a power of two (most findings
   * have one location), WD_MAX_LOCATIONS at most: full when nlocs is a
   * power of two below the cap. */
  unsigned n = x->nlocs;
  if(n < WD_MAX_LOCATIONS && (n & (n - 1)) == 0) {
    unsigned cap = n ? 2 * n : 1;
    if(cap > WD_MAX_LOCATIONS)
      cap = WD_MAX_LOCATIONS;
    x->locs = xrealloc(x->locs, cap * sizeof(*x->locs));
  }
  if(x->nlocs == WD_MAX_LOCATIONS) {
    struct wd_loc *last = &x->locs[WD_MAX_LOCATIONS - 1];
    free(last->method);
    free(last->url);
    free(last->file);
    x->nlocs--;
  }
  memmove(&x->locs[pos + 1], &x->locs[pos], (x->nlocs - pos) * sizeof(*x->locs));
  x->locs[pos] = (struct wd_loc){dupz(spec->method), dupz(spec->url), dupz(spec->file),
                                 spec->line};
  x->nlocs++;
}

static struct wd_finding *findings_add_masked(struct wd_findings *f,
                                              const struct wd_finding_spec *spec)
{
  char *key;
  if(spec->dedupe)
    key = xconcat(spec->rule->id, "|", spec->dedupe, (char *)NULL);
  else
    key = xasprintf("%s|%s %s|%s:%d", spec->rule->id,
                    spec->method ? spec->method : "",
                    spec->url ? spec->url : "", spec->file ? spec->file : "",
                    spec->line);
  findings_reindex(f);
  size_t h = (size_t)str_hash(key, strlen(key)) & (f->nslots - 1);
  for(; f->slots[h]; h = (h + 1) & (f->nslots - 1)) {
    struct wd_finding *x = &f->v[f->slots[h] - 1];
    if(strcmp(x->key, key))
      continue;
    x->count++;
    free(key);
    loc_add(x, spec);
    /* Merged occurrences arrive in whatever order the network gives; keep
     * the one with the smallest location so reports are stable, and at
     * the same location the smallest evidence, then title. */
    const struct wd_loc cur = {x->method, x->url, x->file, x->line};
    int c = loc_cmp(spec->method, spec->url, spec->file, spec->line, &cur);
    if(!c)
      c = strz_cmp(spec->evidence, x->evidence);
    if(!c)
      c = strz_cmp(spec->title ? spec->title : spec->rule->title,
                   x->title ? x->title : spec->rule->title);
    if(c < 0)
      finding_set_place(x, spec);
    int sev = spec->severity >= 0 ? spec->severity : (int)spec->rule->severity;
    if((enum wd_severity)sev > x->severity)
      x->severity = (enum wd_severity)sev;
    return x;
  }
  f->v = xgrow(f->v, &f->cap, f->n + 1, sizeof(*f->v));
  f->slots[h] = f->n + 1;
  struct wd_finding *x = &f->v[f->n++];
  memset(x, 0, sizeof(*x));
  x->rule = spec->rule;
  x->severity = spec->severity >= 0 ? (enum wd_severity)spec->severity
                                    : spec->rule->severity;
  finding_set_place(x, spec);
  x->key = key;
  x->count = 1;
  loc_add(x, spec);
  return x;
}

void findings_take(struct wd_findings *dst, struct wd_findings *src)
{
  if(!src->n)
    return;
  dst->v = xgrow(dst->v, &dst->cap, dst->n + src->n, sizeof(*dst->v));
  memcpy(dst->v + dst->n, src->v, src->n * sizeof(*dst->v));
  dst->n += src->n;
  /* dst's index does not know the newcomers: rebuild it on next use. */
  free(dst->slots);
  dst->slots = NULL;
  dst->nslots = 0;
  free(src->v);
  free(src->slots);
  const struct wd_mask *m = src->mask;
  struct mask_cache *mc = src->mcache;
  findings_init(src);
  src->mask = m;
  src->mcache = mc;
}

static int cmp_str(const char *a, const char *b)
{
  return strcmp(a ? a : "", b ? b : "");
}

static int finding_cmp(const void *pa, const void *pb)
{
  const struct wd_finding *a = pa, *b = pb;
  if(a->severity != b->severity)
    return (int)b->severity - (int)a->severity;
  int c = strcmp(a->rule->id, b->rule->id);
  if(c)
    return c;
  if((c = cmp_str(a->file, b->file)))
    return c;
  if(a->line != b->line)
    return a->line - b->line;
  if((c = cmp_str(a->url, b->url)))
    return c;
  if((c = cmp_str(a->method, b->method)))
    return c;
  return cmp_str(a->key, b->key);
}

void findings_sort(struct wd_findings *f)
{
  if(f->n > 1)
    qsort(f->v, f->n, sizeof(*f->v), finding_cmp);
  /* The index points at positions that just moved. */
  free(f->slots);
  f->slots = NULL;
  f->nslots = 0;
}

size_t findings_count_at_least(const struct wd_findings *f,
                               enum wd_severity min)
{
  size_t n = 0;
  for(size_t i = 0; i < f->n; i++)
    if(f->v[i].severity >= min)
      n++;
  return n;
}

const char *rule_remediation(const struct wd_rule *r, const char *framework)
{
  if(framework && *framework && r->fixes) {
    for(const struct wd_fix *x = r->fixes; x->framework; x++)
      if(strcmp(x->framework, framework) == 0)
        return x->text;
  }
  return r->remediation;
}
