/*
 * model.h - the finding model shared by every side of warden (scan, iac,
 * inspect, correlation).
 *
 * A rule is static metadata, declared once by the module that owns it.
 * A finding is one occurrence of a rule at one location, with a masked
 * evidence excerpt. Findings live in a findings list owned by whoever
 * runs the analysis; every string in a finding is owned by the finding.
 */
#ifndef WD_MODEL_H
#define WD_MODEL_H
#include <stddef.h>

#include "../core/core_mask.h"

enum wd_severity {
  WD_SEV_INFO = 0,
  WD_SEV_LOW,
  WD_SEV_MEDIUM,
  WD_SEV_HIGH,
  WD_SEV_CRITICAL,
};

/* The twelve score categories: the ten OWASP API Top 10 (2023) risks,
 * plus sensitive-data exposure and container/host exposure, which the
 * OWASP list folds into API3/API8 but which warden scores on their own
 * because they are the way out of the container. docs/scoring.md. */
enum wd_category {
  WD_CAT_BOLA = 0,      /* API1 */
  WD_CAT_AUTH,          /* API2 */
  WD_CAT_PROPERTY,      /* API3 */
  WD_CAT_RESOURCE,      /* API4 */
  WD_CAT_BFLA,          /* API5 */
  WD_CAT_FLOWS,         /* API6 */
  WD_CAT_SSRF,          /* API7 */
  WD_CAT_MISCONFIG,     /* API8 */
  WD_CAT_INVENTORY,     /* API9 */
  WD_CAT_UNSAFE,        /* API10 */
  WD_CAT_DATA,          /* sensitive data exposure */
  WD_CAT_CONTAINER,     /* container and host exposure */
  WD_CAT__COUNT
};

/* Framework-specific remediation; a rule's list ends with {NULL, NULL}. */
struct wd_fix {
  const char *framework; /* as fingerprinted: "echo", "chi", ... */
  const char *text;
};

struct wd_rule {
  const char *id;          /* stable, e.g. "container.socket-path" */
  enum wd_severity severity;
  enum wd_category category;
  const char *owasp;       /* "API8:2023" or NULL */
  int cwe;                 /* 0 if none */
  const char *title;
  const char *summary;     /* one line, for `warden checks` */
  const char *remediation; /* framework-neutral */
  const struct wd_fix *fixes; /* may be NULL */
};

/* One place a finding was seen: an HTTP request or a file line. */
struct wd_loc {
  char *method, *url; /* HTTP, or NULL */
  char *file;         /* file, or NULL */
  int line;
};
/* Distinct locations a merged finding keeps (the smallest ones). */
#define WD_MAX_LOCATIONS 16

struct wd_finding {
  const struct wd_rule *rule;
  enum wd_severity severity; /* may differ from rule->severity */
  char *title;       /* specific title; NULL = rule->title */
  char *evidence;    /* masked, bounded excerpt; may be NULL */
  char *method;      /* for HTTP findings, else NULL */
  char *url;         /* for HTTP findings, else NULL */
  char *file;        /* for file findings, else NULL */
  int line;          /* 1-based; 0 = unknown */
  char *remediation; /* chosen at the end (framework); NULL = rule's */
  char *key;         /* dedupe key */
  unsigned count;    /* occurrences merged into this one */
  /* Its distinct locations, smallest first, at most WD_MAX_LOCATIONS;
   * the first is method/url/file/line above (where the evidence came
   * from). Occurrences past the cap are only counted. Owned. */
  struct wd_loc *locs;
  unsigned nlocs;
  /* Set by the report (src/report), not by the checks: */
  char *fingerprint; /* stable across runs: rule + location, no line, no port */
  int suppressed;    /* 1: matched a suppression (out of score and exit code) */
  char *suppress_reason; /* the suppression's reason, when suppressed */
  int baseline;      /* 0 no baseline given, 1 new, 2 unchanged */
  int streamed;      /* set by the CLI: already written as a JSON line */
};

struct wd_findings {
  struct wd_finding *v;
  size_t n, cap;
  /* Open-addressing index of dedupe keys: slot = finding index + 1, 0 =
   * empty. Rebuilt when it fills up or after a sort; private. */
  size_t *slots;
  size_t nslots;
  /* Values the owner registered as secrets; NULL = detected secrets
   * only. Every string a finding keeps goes through it (findings_add). */
  const struct wd_mask *mask;
  /* A memo of mask results the owner keeps for its run (iac), or NULL;
   * borrowed. Titles and evidence go through it (mask_str_cached). */
  struct mask_cache *mcache;
};

const char *sev_name(enum wd_severity s);
/* Parses "critical".."info" (any case); returns -1 if unknown. */
int sev_parse(const char *s);
const char *cat_name(enum wd_category c); /* short key: "auth" */
const char *cat_title(enum wd_category c);
const char *cat_owasp(enum wd_category c); /* "API2:2023" or NULL */

void findings_init(struct wd_findings *f);
void findings_cleanup(struct wd_findings *f);

/* What a new finding says. Strings are copied. */
struct wd_finding_spec {
  const struct wd_rule *rule;
  int severity;          /* -1 = the rule's */
  const char *title;     /* NULL = the rule's */
  const char *evidence;
  const char *method;
  const char *url;
  const char *file;
  int line;
  const char *dedupe;    /* extra dedupe key; NULL = location */
};

/* Adds a finding unless one with the same rule and dedupe key (or
 * location) exists, in which case its count grows. Returns the finding.
 * Title, evidence, URL and dedupe key are masked (f->mask) first. */
struct wd_finding *findings_add(struct wd_findings *f,
                                const struct wd_finding_spec *spec);
/* Moves every finding of src to the end of dst without merging (the
 * caller knows their keys cannot collide, e.g. they name another file)
 * and leaves src empty. */
void findings_take(struct wd_findings *dst, struct wd_findings *src);
/* Masks every finding's strings again with m (values learned after the
 * findings were added). */
void findings_remask(struct wd_findings *f, const struct wd_mask *m);
/* Sorts by severity (worst first), then rule id, then location, so that
 * reports are byte-for-byte stable across runs. */
void findings_sort(struct wd_findings *f);
/* Number of findings at or above min. */
size_t findings_count_at_least(const struct wd_findings *f,
                               enum wd_severity min);
/* Picks the remediation for a framework ("" or NULL = neutral). */
const char *rule_remediation(const struct wd_rule *r, const char *framework);

#endif
