#include "model_score.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"

/* docs/scoring.md, section "Penalties". */
int score_penalty(enum wd_severity s)
{
  switch(s) {
  case WD_SEV_CRITICAL: return 50;
  case WD_SEV_HIGH: return 25;
  case WD_SEV_MEDIUM: return 10;
  case WD_SEV_LOW: return 3;
  default: return 0;
  }
}

/* docs/scoring.md, section "Weights". Container and authentication weigh
 * most because they are the two halves of the attack the seeds describe:
 * get in without credentials, then get out to the host. */
static const int cat_weight[WD_CAT__COUNT] = {
  [WD_CAT_BOLA] = 2,      [WD_CAT_AUTH] = 3,  [WD_CAT_PROPERTY] = 1,
  [WD_CAT_RESOURCE] = 1,  [WD_CAT_BFLA] = 2,  [WD_CAT_FLOWS] = 1,
  [WD_CAT_SSRF] = 2,      [WD_CAT_MISCONFIG] = 2, [WD_CAT_INVENTORY] = 1,
  [WD_CAT_UNSAFE] = 1,    [WD_CAT_DATA] = 2,  [WD_CAT_CONTAINER] = 3,
};

static int rs_cmp(const void *a, const void *b)
{
  uintptr_t x = (uintptr_t)*(const void *const *)a;
  uintptr_t y = (uintptr_t)*(const void *const *)b;
  return x < y ? -1 : x > y;
}

char score_grade(int overall)
{
  if(overall >= 90) return 'A';
  if(overall >= 80) return 'B';
  if(overall >= 70) return 'C';
  if(overall >= 60) return 'D';
  return 'F';
}

void score_compute(const struct wd_findings *f, struct wd_score *out)
{
  /* Per category, each distinct rule costs its worst severity's penalty,
   * plus a quarter more for each further occurrence, up to four more:
   * penalty * (4 + min(n-1, 4)) / 4. Integers only, so the result never
   * depends on floating-point rounding. */
  int sum[WD_CAT__COUNT] = {0};
  int worst = -1;
  /* Group the findings by rule (sorting pointers: O(n log n), and the
   * sums do not depend on the order the groups come in). */
  struct rs { const struct wd_rule *r; int sev; } *v = xcalloc(f->n ? f->n : 1, sizeof(*v));
  for(size_t i = 0; i < f->n; i++)
    v[i] = (struct rs){f->v[i].rule, (int)f->v[i].severity};
  qsort(v, f->n, sizeof(*v), rs_cmp);
  for(size_t i = 0; i < f->n;) {
    size_t j = i;
    int sev = 0;
    while(j < f->n && v[j].r == v[i].r) {
      if(v[j].sev > sev)
        sev = v[j].sev;
      j++;
    }
    int n = (int)(j - i);
    if(sev > worst)
      worst = sev;
    int extra = n - 1 > 4 ? 4 : n - 1;
    sum[v[i].r->category] += score_penalty((enum wd_severity)sev) * (4 + extra) / 4;
    i = j;
  }
  free(v);
  int wsum = 0, wtot = 0, minc = 100;
  for(int c = 0; c < WD_CAT__COUNT; c++) {
    int s = 100 - sum[c];
    if(s < 0)
      s = 0;
    out->category[c] = s;
    wsum += s * cat_weight[c];
    wtot += cat_weight[c];
    if(s < minc)
      minc = s;
  }
  /* 60% weighted mean, 40% the worst category, rounded half up: a single
   * ruined category must show in the overall figure. */
  int overall = (6 * wsum * 10 / wtot + 4 * minc * 10 + 50) / 100;
  out->cap_reason = NULL;
  if(worst == WD_SEV_CRITICAL && overall > 64) {
    overall = 64;
    out->cap_reason = "a critical finding caps the grade at D";
  } else if(worst == WD_SEV_HIGH && overall > 84) {
    overall = 84;
    out->cap_reason = "a high finding caps the grade at B";
  }
  out->overall = overall;
  out->grade = score_grade(overall);
}
