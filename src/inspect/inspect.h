/*
 * inspect.h - container-escape introspection: every way out of the
 * container that can be seen from inside it (or the exposure of a host).
 *
 * inspect reads /proc, /sys, /dev and a few files under / (or the same
 * paths under a captured tree, docs/inspect.md). It never writes, creates,
 * deletes or changes anything: writability is asked of access(2), never
 * tried. Its only traffic is one read-only "GET /version" over each
 * container-runtime unix socket it finds, with a short timeout, and only
 * on a live system with probing left on.
 *
 * It depends on libc alone (plus src/core, src/model, src/report), so
 * that a static warden-inspect can be copied into any container.
 */
#ifndef WD_INSPECT_H
#define WD_INSPECT_H
#include "../model/model.h"
#include "../report/report.h"

/* Every rule inspect can report, for `warden checks`. */
extern const struct wd_rule inspect_rules[];
extern const size_t inspect_nrules;

struct inspect_opts {
  const char *root;     /* captured tree, or NULL for the live system */
  int probe_sockets;    /* 1: GET /version on runtime sockets (live only) */
  int probe_timeout_ms; /* per socket; 0 = the default (500 ms) */
};

/* Runs every check and adds findings to out, and facts and notes (what
 * could not be read) to rep. rep->status becomes REP_PARTIAL when
 * something could not be read, REP_FAILED when nothing could.
 * Returns 0, or -1 when nothing could be analysed (e.g. --root is not a
 * directory); the reason is then the report's first note. */
int inspect_run_opts(const struct inspect_opts *o, struct wd_findings *out,
                     struct report *rep);
/* The same with socket probing on for a live system (root == NULL) and
 * off for a captured tree. */
int inspect_run(const char *root, struct wd_findings *out, struct report *rep);

/* The rule with this id, or NULL. */
const struct wd_rule *inspect_rule_find(const char *id);

#endif
