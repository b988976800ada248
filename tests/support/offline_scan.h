/*
 * offline_scan.h - a scan built by hand, as scan_run builds it, for the
 * harnesses that judge answers without a network (tests/fuzz/
 * fuzz_response.c, bench/scan/bench_judge.c, bench/catalogue/
 * bench_growth.c, tests/unit/test_order.c and test_overlap.c).
 *
 * The target is a fixed loopback URL nothing listens on; s->eng is a
 * real engine (http_engine_new) that is never run, so whatever a check
 * queues only sits in its queue and is freed with the scan. A probe is
 * answered with offline_answer and completed through the engine's own
 * callback (p->x.done, i.e. scan_on_done): digest, notes, follow, every
 * check's judge and the release, as in a scan.
 */
#ifndef WARDEN_OFFLINE_SCAN_H
#define WARDEN_OFFLINE_SCAN_H

#include "../../src/scan/scan.h"

#define OFFLINE_TARGET "http://127.0.0.1:9/"

struct offline_cfg {
  const struct wd_check *const *checks; /* the registry, or a subset */
  size_t body_cap;                      /* 0 = 1 MiB */
  size_t max_requests;                  /* 0 = the scan's default */
  const char *secret;                   /* registered with the mask, or NULL */
  char **sigdirs;                       /* loaded as --signatures DIR loads them */
  int nsigdirs;
};

/* Fills o and s (both zeroed first) up to phase 1: findings, mask,
 * catalogue (built-in plus cfg's dirs), target, report, scope and
 * engine. Returns 0, or -1 with err set (a signature dir that does not
 * load). */
int offline_scan_init(struct scan *s, struct scan_opts *o, const struct offline_cfg *cfg,
                      char *err, size_t errsz);
/* Phase 1 answered by hand: the root with root_ctype/root_body, the two
 * random paths with "404 page not found" (the baselines, recorded as
 * scan_run records them); then phase 2, ready for scan_checks_plan. */
void offline_scan_phase1(struct scan *s, const char *root_ctype, const char *root_body);
/* Gives p a complete answer: status, one Content-Type header, body. */
void offline_answer(struct probe *p, long status, const char *ctype, const char *body,
                    size_t n);

/* How a harness answers one probe (offline_answer, by its path). */
typedef void (*offline_answer_fn)(struct probe *p);
/* Answers every probe nobody answered yet, round by round (what a
 * round's judges queue is the next round), each round's probes in the
 * order they were queued or backwards (backwards != 0), each through fn
 * and then the engine's own completion callback (scan_on_done). */
void offline_drain(struct scan *s, int backwards, offline_answer_fn fn);
/* The checks' phases as scan_run runs them, every probe answered by fn
 * (offline_drain): plan, (with judge_root) the root judged once the plans
 * ran, the answers; plan_late, its answers; finish. */
void offline_run_checks(struct scan *s, int backwards, offline_answer_fn fn, int judge_root);
/* The scan's result as one sorted text, a line each: findings ("F rule
 * method url | evidence | count | @place..."), notes ("N ..."), and with
 * requests the follow-ups checks queued ("Q check method path as
 * identity"). *nfindings (if not NULL) gets the number of findings. A
 * fresh string. */
char *offline_result(struct scan *s, int requests, size_t *nfindings);

#endif
