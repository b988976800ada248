/*
 * check.h - what a check module is, and what it may do.
 *
 * A check is one file in src/checks/ whose only non-static symbol is a
 * const struct wd_check (its slots: src/scan/scan_check.h, declared by
 * the scan that calls them), listed once in checks.def. Its rules carry all
 * the metadata (id, severity, category, OWASP, CWE, remediation), which
 * `warden checks` lists and the reports print.
 *
 * State. Whatever a check remembers during a scan lives in its state:
 * state_size bytes, allocated zeroed by the scan before the first
 * callback, handed to every callback as `st`, released by the scan after
 * `cleanup` (which frees what the state owns). A check keeps nothing in
 * file-level or function-level mutable statics (tests/lint/statics.py
 * fails the build's tests if one appears), so two scans in one process
 * never share anything. Patterns are `static const struct rx`; the scan
 * compiles them (s->rx).
 *
 * Services a check may ask the scan for, and nothing else:
 *   - HTTP requests: scan_queue / scan_queue_as, which enforce the scope
 *     and the method policy; the answers come back through judge.
 *   - Handshake-level TLS probes: scan_tls_probe, which connects only to
 *     the target's host and port, refuses when --proxy is set (a direct
 *     connection would go around it), and stops when --max-time is spent.
 *   - Canary URLs for SSRF and jku tests: scan_canary_url / scan_canary_hit
 *     / scan_canary_serve (scan_canary.h); the scan opens its listener,
 *     with --active only.
 *   - Whether --max-time is spent: scan_out_of_budget.
 * A check never opens a connection, a file or a process itself, never
 * drives libcurl, OpenSSL or the engine, and never parses a body with
 * json_loadb. The one thread a check starts is chk_jwt's wordlist crack
 * (pure computation on copies, joined in its plan_late and cleanup).
 * tests/lint/checks.py fails on any of these, on a chk_<name>.c without
 * its CHECK(<name>) line (meson would never compile it) and on a second
 * non-static symbol.
 *
 * Findings are raised only through the scan: scan_flag for a finding on
 * a probe (a request and its answer), scan_flag_at for one about the
 * target as a whole or a connection (method "TLS"). Both mask secrets.
 * Notes for the report go through report_note(&s->rep, ...).
 *
 * A check never writes output (only src/cli talks to the user) and never
 * keeps pointers to probes past the callback that received them.
 *
 * Answer order. Answers come back in whatever order the network gives;
 * no finding, evidence, note or follow-up may depend on it. A cap (at
 * most N routes, objects, leaks, notes) keeps the N smallest by a stable
 * key (the spec's order, the path: str_sorted_keep), never the first N to
 * arrive; a choice among several answers is made once they are all in
 * (plan_late, finish), not by whichever came first; a follow-up that one
 * answer of a route should start is started by a fixed one (the scan's
 * own spec request, not another check's variant of it). Evidence merged
 * from many answers keeps the smallest place (findings_add).
 * tests/unit/test_order.c offers answers in several orders.
 *
 * Body lifetime. A probe's body (p->x.body, and the masked copy scan_flag
 * makes of it) is valid only while the judge callbacks run for that
 * probe; after the last judge the scan releases it, so a scan's memory
 * does not grow with requests x body size. What stays: the status, the
 * response headers (p->x.head, at most 16 KiB of whole lines), the
 * digest p->sum (length, hash of the whole body, hash and length of its
 * shape for the baseline, "small JSON error" and "login form" marks),
 * which scan_refused, scan_accepted, scan_is_hit and scan_like_baseline
 * read, and the findings already raised (their evidence is cut when
 * raised). Later, x.body is empty: use scan_body_len(p) for the length.
 * The body as JSON is scan_body_json(s, p): parsed once per probe (the
 * first caller pays, the digest parses small bodies first), a borrowed
 * const document released with the body, NULL when the body is not a
 * JSON object or array or is over SCAN_JSON_CAP. Never json_loadb the
 * body yourself, never json_decref or keep what scan_body_json gave
 * (copy what you need), and test your own conditions (Content-Type,
 * size) before calling it.
 * So: never read p->x.body in plan_late or finish, nor another probe's
 * body in judge (a parent's or a variant's: compare digests through the
 * scan's functions). A check that needs something from a body later (an
 * object id, a list of fields) copies it, bounded, into its own state
 * during judge. The one exception: the phase-1 probes (the URL and the
 * two random paths, PROBE_ROOT | PROBE_BASELINE) are answered before any
 * check runs, so their bodies are also readable in plan; they are
 * released after the URL's judge.
 */
#ifndef WD_CHECK_H
#define WD_CHECK_H
#include <stddef.h>

#include "../scan/scan_check.h"

/* The registry, in checks.def order; NULL-terminated. The CLI hands it
 * to the scan (scan_opts.checks). */
extern const struct wd_check *const check_registry[];
/* Number of checks in the registry. */
size_t check_count(void);
/* Finds a rule of any check by id, or NULL. */
const struct wd_rule *check_find_rule(const char *id);

#endif
