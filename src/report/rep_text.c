/*
 * rep_text.c - escaping for the text writers; see rep_text.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "report.h"
#include "rep_text.h"

/* Length of the valid UTF-8 sequence at p (1..4), or 0 if invalid. */
static size_t utf8_len(const unsigned char *p)
{
  if(p[0] < 0x80)
    return 1;
  size_t n = p[0] >= 0xF0 && p[0] <= 0xF4 ? 4 : p[0] >= 0xE0 ? 3
           : p[0] >= 0xC2 && p[0] < 0xE0 ? 2 : 0;
  if(!n || (p[0] >= 0xF8))
    return 0;
  for(size_t i = 1; i < n; i++)
    if((p[i] & 0xC0) != 0x80)
      return 0;
  if(n == 3 && p[0] == 0xE0 && p[1] < 0xA0)
    return 0;
  if(n == 3 && p[0] == 0xED && p[1] >= 0xA0)
    return 0; /* surrogates */
  if(n == 4 && p[0] == 0xF0 && p[1] < 0x90)
    return 0;
  if(n == 4 && p[0] == 0xF4 && p[1] >= 0x90)
    return 0;
  return n;
}

void rep_esc_xml(FILE *out, const char *s)
{
  if(!s)
    return;
  const unsigned char *p = (const unsigned char *)s;
  while(*p) {
    switch(*p) {
    case '&': fputs("&amp;", out); p++; continue;
    case '<': fputs("&lt;", out); p++; continue;
    case '>': fputs("&gt;", out); p++; continue;
    case '"': fputs("&quot;", out); p++; continue;
    case '\'': fputs("&#39;", out); p++; continue;
    default: break;
    }
    if(*p < 0x20 && *p != '\n' && *p != '\t') {
      fputc(' ', out);
      p++;
      continue;
    }
    size_t n = utf8_len(p);
    if(!n) {
      fputs("\xEF\xBF\xBD", out);
      p++;
      continue;
    }
    /* U+FFFE/U+FFFF are not allowed in XML either. */
    if(n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE) {
      fputs("\xEF\xBF\xBD", out);
      p += 3;
      continue;
    }
    fwrite(p, 1, n, out);
    p += n;
  }
}

void rep_esc_md(struct buf *b, const char *s)
{
  if(!s)
    return;
  const unsigned char *p = (const unsigned char *)s;
  while(*p) {
    switch(*p) {
    case '&': buf_appendz(b, "&amp;"); p++; continue;
    case '<': buf_appendz(b, "&lt;"); p++; continue;
    case '>': buf_appendz(b, "&gt;"); p++; continue;
    case '"': buf_appendz(b, "&quot;"); p++; continue;
    case '\n': case '\r': case '\t': buf_appendz(b, " "); p++; continue;
    default: break;
    }
    if(strchr("\\`*_{}[]()#+-.!|~", *p) && *p) {
      char e[2] = {'\\', (char)*p};
      buf_append(b, e, 2);
      p++;
      continue;
    }
    if(*p < 0x20) {
      buf_appendz(b, " ");
      p++;
      continue;
    }
    size_t n = utf8_len(p);
    if(!n) {
      buf_appendz(b, "\xEF\xBF\xBD");
      p++;
      continue;
    }
    buf_append(b, p, n);
    p += n;
  }
}

char *rep_term_str(const char *s)
{
  if(!s)
    return xstrdup("");
  return str_excerpt(s, strlen(s), 0, SIZE_MAX); /* never cut */
}

void rep_esc_term(FILE *out, const char *s)
{
  if(!s)
    return;
  char *e = rep_term_str(s);
  fputs(e, out);
  free(e);
}

int rep_is_chain(const struct report *r, const struct wd_finding *x)
{
  return strcmp(report_rule_side(r, x->rule), "correlation") == 0;
}

size_t rep_sides(const struct report *r, const char **sides, size_t max)
{
  size_t n = 0;
  for(size_t i = 0; i < r->nrules && n < max; i++) {
    size_t k;
    for(k = 0; k < n; k++)
      if(strcmp(sides[k], r->rules[i].side) == 0)
        break;
    if(k == n)
      sides[n++] = r->rules[i].side;
  }
  size_t k;
  for(k = 0; k < n; k++)
    if(strcmp(sides[k], r->kind) == 0)
      break;
  if(k == n && n < max) {
    /* The report's own side leads, even when no rule registered it. */
    memmove(sides + 1, sides, n * sizeof(*sides));
    sides[0] = r->kind;
    n++;
  }
  return n;
}
