/*
 * scan_check.h - the slots of a check, as the scan calls them.
 *
 * The scan defines the interface its plug-ins fill and calls it; it
 * never names a check nor the registry (src/checks/chk_registry.c): the
 * caller hands it the list to run (scan_opts.checks, the CLI passes
 * check_registry), so the arrows run from src/checks down to src/scan
 * and never back. What a check may do with these callbacks (its state,
 * the services it may ask of the scan, how it raises findings, the body
 * lifetime) is the contract in src/checks/check.h.
 */
#ifndef WD_SCAN_CHECK_H
#define WD_SCAN_CHECK_H
#include <stddef.h>

#include "../model/model.h"

struct scan;
struct probe;

struct wd_check {
  const char *name;            /* short, unique: "endpoints" */
  const char *summary;         /* one line */
  const struct wd_rule *rules; /* the rules it can raise */
  size_t nrules;
  /* Bytes of per-scan state, zeroed before init; 0 for none (st is
   * then NULL). */
  size_t state_size;
  /* Sets up the state; called once per scan before any other callback.
   * May be NULL (zeroed memory is then the initial state). */
  void (*init)(struct scan *s, void *st);
  /* Frees what the state owns (not the state itself); called once when
   * the scan is cleaned up, even if the scan stopped early. May be NULL. */
  void (*cleanup)(void *st);
  /* Queues the check's own probes; called once at the start of phase 2.
   * May be NULL. */
  void (*plan)(struct scan *s, void *st);
  /* Called for every completed probe of phase 2, in registry order (so
   * endpoint signatures claim a body before content checks see it). May
   * queue follow-ups. May be NULL. */
  void (*judge)(struct scan *s, void *st, struct probe *p);
  /* Called once when phase 2 has drained, to queue probes that depend on
   * its answers (forged tokens against routes known to be protected).
   * Their answers are judged as usual. May be NULL. */
  void (*plan_late)(struct scan *s, void *st);
  /* Called once after every probe completed. May be NULL. */
  void (*finish)(struct scan *s, void *st);
};

/* Elements of an array (a rule table: .nrules = ARRAY_LEN(rules)). */
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
