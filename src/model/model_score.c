#include "model_score.h"

#include <stdint.h>
#include <stdio.h>
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

void score_compute(const struct wd_findings *f, unsigned tested, struct wd_score *out)
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
    /* A finding proves that its rule ran; an info finding cannot lower
     * a score, so alone it does not make its category tested. */
    if(sev > WD_SEV_INFO)
      tested |= WD_CAT_BIT(v[i].r->category);
    sum[v[i].r->category] += score_penalty((enum wd_severity)sev) * (4 + extra) / 4;
    i = j;
  }
  free(v);
  /* Only tested categories count: one that no rule looked at has no
   * score, no weight and no say in the lowest category. */
  tested &= WD_CAT_ALL;
  int wsum = 0, wtot = 0, minc = 100, ntested = 0;
  for(int c = 0; c < WD_CAT__COUNT; c++) {
    if(!(tested & WD_CAT_BIT(c))) {
      out->category[c] = -1;
      continue;
    }
    int s = 100 - sum[c];
    if(s < 0)
      s = 0;
    out->category[c] = s;
    wsum += s * cat_weight[c];
    wtot += cat_weight[c];
    ntested++;
    if(s < minc)
      minc = s;
  }
  out->tested = tested;
  out->ntested = ntested;
  out->cap_reason = NULL;
  if(!ntested) {
    /* Nothing was tested: no figure at all rather than a clean 100. */
    out->overall = -1;
    out->grade = '-';
    return;
  }
  /* 60% weighted mean, 40% the worst category, rounded half up: a single
   * ruined category must show in the overall figure. */
  int overall = (6 * wsum * 10 / wtot + 4 * minc * 10 + 50) / 100;
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

int score_is_tested(const struct wd_score *s, enum wd_category c)
{
  return (int)c >= 0 && c < WD_CAT__COUNT && (s->tested & WD_CAT_BIT(c)) != 0;
}

void score_label(const struct wd_score *s, char *out, size_t outlen)
{
  if(s->ntested == 0 || s->overall < 0)
    snprintf(out, outlen, "not graded, 0 of %d categories tested", WD_CAT__COUNT);
  else
    snprintf(out, outlen, "%c, %d of %d categories tested", s->grade, s->ntested,
             WD_CAT__COUNT);
}
