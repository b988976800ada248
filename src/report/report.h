/*
 * report.h - what every side of warden hands to the writers.
 *
 * The report borrows the findings; it owns its notes. Writers never
 * change the report; they may be called several times (terminal and -o).
 */
#ifndef WD_REPORT_H
#define WD_REPORT_H
#include <stdio.h>

#include "../model/model.h"
#include "../model/model_score.h"

#define WD_REPORT_SCHEMA "warden-report-1"
#define REPORT_MAX_NOTES 50

enum rep_status {
  REP_COMPLETE = 0, /* everything planned was done */
  REP_PARTIAL,      /* budget ran out or some probes failed */
  REP_FAILED,       /* the target could not be analysed at all */
};

struct report {
  const char *kind;      /* "scan", "iac", "inspect" */
  const char *target;    /* URL, path list, or root directory */
  const char *framework; /* fingerprinted framework, or NULL */
  enum rep_status status;
  double seconds;
  long requests;         /* HTTP requests sent (scan only) */
  struct wd_findings *findings; /* borrowed */
  struct wd_score score;
  /* Categories whose rules ran (WD_CAT_BIT set), recorded by each side
   * as it runs them: the score weighs only these (docs/scoring.md). */
  unsigned tested;
  char **notes;          /* what went wrong, one line each; owned */
  size_t nnotes, capnotes;
  size_t notes_dropped;  /* distinct notes past REPORT_MAX_NOTES */
  unsigned long long *dropped_hashes; /* their hashes, to count each once */
  size_t capdropped;
  /* Free-form facts ("environment": "docker", ...); owned. */
  char **fact_keys, **fact_vals;
  size_t nfacts, capfacts;
  /* Debug lines (-v): why a route was judged as it was; owned. Not part
   * of the written report; the CLI prints them to stderr. */
  char **debug;
  size_t ndebug, capdebug;
};

void report_init(struct report *r, const char *kind, const char *target,
                 struct wd_findings *findings);
void report_cleanup(struct report *r);
void report_note(struct report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A debug line; at most REPORT_MAX_DEBUG are kept. */
void report_debug(struct report *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#define REPORT_MAX_DEBUG 2000
void report_fact(struct report *r, const char *key, const char *val);
/* Records that rule r ran (its probes were judged, its files read): its
 * category counts as tested. An info rule cannot lower a score, so it
 * tests nothing. */
void report_tested(struct report *r, const struct wd_rule *rule);
void report_tested_cat(struct report *r, enum wd_category c);
/* Sorts the findings, picks each one's remediation for the framework and
 * computes the score. Call once, before writing. */
void report_finalize(struct report *r);

void rep_write_json(FILE *out, const struct report *r);
/* color: 1 to use ANSI colours. */
void rep_write_term(FILE *out, const struct report *r, int color);

#endif
