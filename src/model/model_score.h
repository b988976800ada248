/*
 * model_score.h - the transparent score: docs/scoring.md is the
 * specification, and the version string below names the formula. Any
 * change to the numbers here must bump WD_SCORE_VERSION and the doc.
 */
#ifndef WD_MODEL_SCORE_H
#define WD_MODEL_SCORE_H
#include <stddef.h>

#include "model.h"

#define WD_SCORE_VERSION "warden-score-2"

/* Bit of category c in a set of categories. */
#define WD_CAT_BIT(c) (1u << (unsigned)(c))
#define WD_CAT_ALL ((1u << WD_CAT__COUNT) - 1u)

struct wd_score {
  /* 0..100 for a tested category; -1 for one that was not tested (no
   * rule of it ran): it carries no weight and is printed "not tested". */
  int category[WD_CAT__COUNT];
  unsigned tested;             /* WD_CAT_BIT set of the tested categories */
  int ntested;                 /* how many of the WD_CAT__COUNT */
  int overall;                 /* 0..100, or -1 when nothing was tested */
  char grade;                  /* 'A'..'F' (no 'E'), or '-' when nothing was tested */
  const char *cap_reason;      /* NULL, or why the overall was capped */
};

/* Pure function of the findings and of the set of categories whose rules
 * ran (tested): the same inputs always give the same score, whatever the
 * order of the findings. A category with a finding counts as tested. */
void score_compute(const struct wd_findings *f, unsigned tested, struct wd_score *out);
char score_grade(int overall);
int score_penalty(enum wd_severity s);
/* 1 when category c was tested. */
int score_is_tested(const struct wd_score *s, enum wd_category c);
/* The grade as every output says it: "B, 6 of 12 categories tested", or
 * "not graded, 0 of 12 categories tested". */
void score_label(const struct wd_score *s, char *out, size_t outlen);

#endif
