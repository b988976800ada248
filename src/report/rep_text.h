/*
 * rep_text.h - escaping shared by the text writers (HTML, JUnit XML,
 * Markdown). Every string that comes from a target goes through one of
 * these: invalid UTF-8 becomes U+FFFD and control characters are dropped,
 * so the output always parses. Private to src/report.
 */
#ifndef WD_REP_TEXT_H
#define WD_REP_TEXT_H
#include <stdio.h>

#include "../core/core_buf.h"
#include "report.h"

/* rep_esc_xml and rep_esc_md are declared in report.h (the CLI's
 * `warden diff` writers use them too). */
/* Which side of the report a finding's rule belongs to is "correlation":
 * an attack chain. */
int rep_is_chain(const struct report *r, const struct wd_finding *x);

/* The sides with rules in the report (the report's kind first when it
 * has none registered), at most max; returns how many. */
size_t rep_sides(const struct report *r, const char **sides, size_t max);

#endif
