/*
 * check.h - what a check module is.
 *
 * A check is one file in src/checks/ whose only non-static symbol is a
 * const struct wd_check, listed once in checks.def. Its rules carry all
 * the metadata (id, severity, category, OWASP, CWE, remediation), which
 * `warden checks` lists and the reports print.
 *
 * A check may: read any probe, queue probes (scan_queue), raise findings
 * (scan_flag), vote for a framework. It may not: send requests other than
 * through scan_queue (which enforces the scope and the method policy),
 * keep pointers to probes past the callback, or write output.
 */
#ifndef WD_CHECK_H
#define WD_CHECK_H
#include <stddef.h>

#include "../model/model.h"

struct scan;
struct probe;

struct wd_check {
  const char *name;            /* short, unique: "endpoints" */
  const char *summary;         /* one line */
  const struct wd_rule *rules; /* the rules it can raise */
  size_t nrules;
  /* Queues the check's own probes; called once at the start of phase 2.
   * May be NULL. */
  void (*plan)(struct scan *s);
  /* Called for every completed probe of phase 2, in registry order (so
   * endpoint signatures claim a body before content checks see it). May
   * queue follow-ups. May be NULL. */
  void (*judge)(struct scan *s, struct probe *p);
  /* Called once when phase 2 has drained, to queue probes that depend on
   * its answers (forged tokens against routes known to be protected).
   * Their answers are judged as usual. May be NULL. */
  void (*plan_late)(struct scan *s);
  /* Called once after every probe completed. May be NULL. */
  void (*finish)(struct scan *s);
};

/* The registry, in checks.def order; NULL-terminated. */
extern const struct wd_check *const check_registry[];
/* Finds a rule of any check by id, or NULL. */
const struct wd_rule *check_find_rule(const char *id);

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
