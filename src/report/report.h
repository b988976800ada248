/*
 * report.h - what every side of warden hands to the writers.
 *
 * The report borrows the findings; it owns its notes. Writers never
 * change the report; they may be called several times (terminal and -o).
 */
#ifndef WD_REPORT_H
#define WD_REPORT_H
#include <stdio.h>

#include "../core/core_buf.h"
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
  /* The rules that ran, with the side that ran them ("scan", "iac",
   * "inspect", "correlation"); the array is owned, the rules are static. */
  struct rep_rule *rules;
  size_t nrules, caprules;
  /* The rules a side recorded one by one as run (report_tested: the
   * scan's scan_ran); borrowed pointers, each once. */
  const struct wd_rule **ran;
  size_t nran, capran;
  /* --baseline: 1 if one was given; the old findings that are gone. */
  int has_baseline;
  struct rep_fixed *fixed;
  size_t nfixed, capfixed;
  /* Suppressions: how many matched, how many had expired. */
  size_t nsuppressed, nexpired;
  /* Scan: the requests that may have changed the target (any method but
   * GET, HEAD, OPTIONS; only with --active), in the order queued, so the
   * user can clean up. active: --active was given. Owned. */
  int active;
  struct rep_write *writes;
  size_t nwrites, capwrites;
  /* Registered secrets (borrowed; NULL = detected secrets only): notes
   * and facts are masked with them as they are added. */
  const struct wd_mask *mask;
};

struct rep_rule {
  const char *side;
  const struct wd_rule *rule;
};

/* A write the scan sent (or queued): status 0 = no answer. URL masked. */
struct rep_write {
  char *method, *url;
  long status;
};

/* A finding of the baseline that this run no longer has; owned. */
struct rep_fixed {
  char *rule, *severity, *title, *location, *fingerprint;
};

/* What the writers need besides the report: how the run was invoked and
 * how it ends. */
struct rep_opts {
  const char *cmdline;    /* masked command line, or NULL */
  int exit_code;          /* the code warden exits with */
  int fail_on;            /* severity that fails (>WD_SEV_CRITICAL: none) */
  int fail_new_only;      /* --fail-on-new: only new findings fail */
  const char *sarif_base; /* directory SARIF file URIs are relative to */
  size_t md_limit;        /* Markdown size cap; 0 = 65536 */
  int skip_streamed;      /* JSON Lines: leave out findings already streamed */
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
/* Records a write (masked with r->mask); returns its index for
 * report_write_status. */
size_t report_write(struct report *r, const char *method, const char *url);
void report_write_status(struct report *r, size_t i, long status);
/* Records that rule r ran (its probes were judged, its files read): its
 * category counts as tested. An info rule cannot lower a score, so it
 * tests nothing. */
void report_tested(struct report *r, const struct wd_rule *rule);
/* 1 if rule ran in this run: recorded by report_tested (the scan records
 * each rule), or, for the sides that record whole categories (iac,
 * inspect, correlation), its category was tested. */
int report_rule_ran(const struct report *r, const struct wd_rule *rule);
void report_tested_cat(struct report *r, enum wd_category c);
/* Masks notes and facts again (values registered after they were added). */
void report_remask(struct report *r);
/* Sorts the findings, picks each one's remediation for the framework and
 * computes the score. Call once, before writing. */
void report_finalize(struct report *r);

/* Registers rules that ran (for SARIF's rule table and JUnit's test
 * cases); side names the run they belong to. */
void report_rules_add(struct report *r, const char *side,
                      const struct wd_rule *rules, size_t n);
/* The side a finding's rule belongs to (r->kind when not registered). */
const char *report_rule_side(const struct report *r, const struct wd_rule *rule);
/* Score again, leaving suppressed findings out (after suppressions). */
void report_rescore(struct report *r);
/* Findings that count for the exit code: not suppressed, at or above
 * min, and new when new_only (with a baseline). */
size_t report_count_failing(const struct report *r, int min, int new_only);
void report_add_fixed(struct report *r, const char *rule, const char *severity,
                      const char *title, const char *location,
                      const char *fingerprint);
/* Finding counts by severity, suppressed ones left out; counts[5]. */
void report_counts(const struct report *r, int counts[5]);

void rep_write_json(FILE *out, const struct report *r);
void rep_write_sarif(FILE *out, const struct report *r, const struct rep_opts *o);
void rep_write_html(FILE *out, const struct report *r, const struct rep_opts *o);
void rep_write_md(FILE *out, const struct report *r, const struct rep_opts *o);
void rep_write_junit(FILE *out, const struct report *r, const struct rep_opts *o);
/* JSON Lines: one line per finding, then one summary line. The finding
 * line alone is used to stream findings while a scan runs; with
 * o->skip_streamed a finding marked streamed is not written again. */
void rep_write_jsonl(FILE *out, const struct report *r, const struct rep_opts *o);
void rep_jsonl_finding(FILE *out, const char *kind, const char *target,
                       const struct wd_finding *x);
/* A location as JSON ({"method","url"} or {"file","line"}), for the JSON
 * and JSON Lines writers. */
struct jw;
void rep_jw_location(struct jw *w, const char *method, const char *url, const char *file,
                     int line);
/* The findings counted by severity, and the suppressed ones, as a JSON
 * object: the JSON report's "summary", the JSON Lines summary's "counts". */
void rep_jw_counts(struct jw *w, const struct report *r);
/* A one-line location: "GET url", "file:line" or "". Fresh string. */
char *rep_location(const struct wd_finding *x);
/* color: 1 to use ANSI colours. */
void rep_write_term(FILE *out, const struct report *r, int color);

/* Escaping for the text writers (here and `warden diff` in src/cli):
 * invalid UTF-8 becomes U+FFFD and control characters are dropped, so the
 * output always parses. rep_esc_xml escapes & < > " ' for HTML and XML
 * text and attribute values (NULL writes nothing); rep_esc_md escapes
 * Markdown text and table cells (HTML-significant bytes as entities,
 * Markdown punctuation with a backslash, newlines as spaces). */
void rep_esc_xml(FILE *out, const char *s);
void rep_esc_md(struct buf *b, const char *s);
/* For a terminal (the scan's terminal report, `warden diff` and `warden
 * history`, iac's notes on stderr): text that comes from a target, a
 * stored report or a file name goes through the escaping the evidence
 * already gets (str_excerpt of core_str.h): control bytes become \xNN,
 * newline, CR and tab a space, runs of whitespace fold, so no escape
 * sequence or carriage return reaches the user's terminal. rep_esc_term
 * writes it (NULL writes nothing); rep_term_str returns it as a fresh
 * string ("" for NULL). */
void rep_esc_term(FILE *out, const char *s);
char *rep_term_str(const char *s);
/* A severity's SARIF level (error, warning, note): the scan's SARIF
 * writer and `warden diff`'s. */
const char *rep_sarif_level(enum wd_severity s);

#endif
