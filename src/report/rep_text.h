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

/* Escapes & < > " ' for HTML and XML text and attribute values. NULL
 * writes nothing. */
void rep_esc_xml(FILE *out, const char *s);
/* Escapes for Markdown text (and table cells): HTML-significant bytes as
 * entities, Markdown punctuation with a backslash, newlines as spaces. */
void rep_esc_md(struct buf *b, const char *s);
/* Which side of the report a finding's rule belongs to is "correlation":
 * an attack chain. */
int rep_is_chain(const struct report *r, const struct wd_finding *x);

/* The sides with rules in the report (the report's kind first when it
 * has none registered), at most max; returns how many. */
size_t rep_sides(const struct report *r, const char **sides, size_t max);

#endif
