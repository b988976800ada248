/*
 * model_score.h - the transparent score: docs/scoring.md is the
 * specification, and the version string below names the formula. Any
 * change to the numbers here must bump WD_SCORE_VERSION and the doc.
 */
#ifndef WD_MODEL_SCORE_H
#define WD_MODEL_SCORE_H
#include "model.h"

#define WD_SCORE_VERSION "warden-score-1"

struct wd_score {
  int category[WD_CAT__COUNT]; /* 0..100 */
  int overall;                 /* 0..100 */
  char grade;                  /* 'A'..'F' (no 'E') */
  const char *cap_reason;      /* NULL, or why the overall was capped */
};

/* Pure function of the findings: the same findings always give the same
 * score, whatever their order. */
void score_compute(const struct wd_findings *f, struct wd_score *out);
char score_grade(int overall);
int score_penalty(enum wd_severity s);

#endif
