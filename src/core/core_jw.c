#include "core_jw.h"
#include "core_str.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

void jw_init(struct jw *w, FILE *out, int pretty)
{
  memset(w, 0, sizeof(*w));
  w->out = out;
  w->pretty = pretty;
}

void jw_flush(struct jw *w)
{
  if(w->len)
    fwrite(w->buf, 1, w->len, w->out);
  w->len = 0;
}

static void jw_write(struct jw *w, const char *p, size_t n)
{
  if(w->len + n > sizeof(w->buf)) {
    jw_flush(w);
    if(n > sizeof(w->buf)) {
      fwrite(p, 1, n, w->out);
      return;
    }
  }
  memcpy(w->buf + w->len, p, n);
  w->len += n;
}

static void jw_putc(struct jw *w, char c)
{
  if(w->len == sizeof(w->buf))
    jw_flush(w);
  w->buf[w->len++] = c;
}

static void jw_puts(struct jw *w, const char *s)
{
  jw_write(w, s, strlen(s));
}

/* A newline and two spaces per level, JW_MAX_DEPTH levels at most: the
 * indentation of any depth is one write of a prefix of this. */
static const char jw_nl[] = "\n"
                            "                                "
                            "                                ";
_Static_assert(sizeof(jw_nl) == 2 + 2 * JW_MAX_DEPTH, "jw_nl covers JW_MAX_DEPTH");

static void jw_indent(struct jw *w)
{
  if(!w->pretty)
    return;
  jw_write(w, jw_nl, 1 + 2 * (size_t)w->depth);
}

/* Called before every value or key: writes the comma and indentation. */
static void jw_sep(struct jw *w)
{
  if(w->after_key) {
    w->after_key = 0;
    return;
  }
  if(w->depth > 0) {
    if(w->count[w->depth - 1]++)
      jw_putc(w, ',');
    jw_indent(w);
  }
}

static void jw_open(struct jw *w, int c)
{
  jw_sep(w);
  jw_putc(w, (char)c);
  if(w->depth < JW_MAX_DEPTH) {
    w->count[w->depth] = 0;
    w->depth++;
  }
}

static void jw_close(struct jw *w, int c)
{
  if(w->depth > 0) {
    int had = w->count[w->depth - 1];
    w->depth--;
    if(had)
      jw_indent(w);
  }
  jw_putc(w, (char)c);
}

void jw_obj_open(struct jw *w) { jw_open(w, '{'); }
void jw_obj_close(struct jw *w) { jw_close(w, '}'); }
void jw_arr_open(struct jw *w) { jw_open(w, '['); }
void jw_arr_close(struct jw *w) { jw_close(w, ']'); }

/* 1 for the bytes written as they are: printable ASCII but '"' and '\\'
 * (a table built at compile time from that definition, one load a byte). */
#define JP(c) ((c) >= 0x20 && (c) < 0x7f && (c) != '"' && (c) != '\\')
#define JP4(b) JP(b), JP((b) + 1), JP((b) + 2), JP((b) + 3)
#define JP16(b) JP4(b), JP4((b) + 4), JP4((b) + 8), JP4((b) + 12)
#define JP64(b) JP16(b), JP16((b) + 16), JP16((b) + 32), JP16((b) + 48)
static const unsigned char jw_plain[256] = {JP64(0), JP64(64), JP64(128), JP64(192)};
#undef JP64
#undef JP16
#undef JP4
#undef JP

/* 1 when one of the eight bytes of x is not plain (below 0x20, 0x7f or
 * above, '"' or '\\'): jw_plain's definition, eight bytes a step. Each
 * term is the exact "some byte is ..." test (a borrow or carry only
 * spreads from a byte that already tested true). */
#define JW_ONES 0x0101010101010101ULL
#define JW_HIGH 0x8080808080808080ULL
static int jw_word_special(unsigned long long x)
{
  unsigned long long q = x ^ (JW_ONES * '"'), b = x ^ (JW_ONES * '\\');
  unsigned long long t = ((x - JW_ONES * 0x20) & ~x) | (x + JW_ONES) | x |
                         ((q - JW_ONES) & ~q) | ((b - JW_ONES) & ~b);
  return (t & JW_HIGH) != 0;
}

static void jw_write_string(struct jw *w, const char *str)
{
  const unsigned char *s = (const unsigned char *)str;
  size_t n = strlen(str);
  jw_putc(w, '"');
  for(size_t i = 0; i < n;) {
    /* A run of characters that need no escape is copied at once. */
    size_t run = i;
    unsigned long long x;
    while(run + 8 <= n) {
      memcpy(&x, s + run, 8);
      if(jw_word_special(x))
        break;
      run += 8;
    }
    while(jw_plain[s[run]]) /* s[n] is '\0', which is not plain */
      run++;
    if(run > i) {
      jw_write(w, (const char *)s + i, run - i);
      i = run;
      continue;
    }
    unsigned char c = s[i];
    if(c == '"' || c == '\\') {
      jw_putc(w, '\\');
      jw_putc(w, (char)c);
      i++;
    } else if(c == '\n') {
      jw_write(w, "\\n", 2); i++;
    } else if(c == '\t') {
      jw_write(w, "\\t", 2); i++;
    } else if(c == '\r') {
      jw_write(w, "\\r", 2); i++;
    } else if(c < 0x20 || c == 0x7f) {
      char u[8];
      snprintf(u, sizeof(u), "\\u%04x", c);
      jw_puts(w, u);
      i++;
    } else {
      size_t l = str_utf8_len(s + i, n - i);
      if(l == 0) {
        jw_write(w, "\\ufffd", 6);
        i++;
      } else {
        jw_write(w, (const char *)s + i, l);
        i += l;
      }
    }
  }
  jw_putc(w, '"');
}

void jw_key(struct jw *w, const char *k)
{
  jw_sep(w);
  jw_write_string(w, k);
  jw_putc(w, ':');
  if(w->pretty)
    jw_putc(w, ' ');
  w->after_key = 1;
}

void jw_str(struct jw *w, const char *s)
{
  if(!s) {
    jw_null(w);
    return;
  }
  jw_sep(w);
  jw_write_string(w, s);
}

void jw_int(struct jw *w, long long v)
{
  /* Digits written backwards from the end of t (what "%lld" gives). */
  char t[32], *e = t + sizeof(t), *d = e;
  unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do {
    *--d = (char)('0' + u % 10);
    u /= 10;
  } while(u);
  if(v < 0)
    *--d = '-';
  jw_sep(w);
  jw_write(w, d, (size_t)(e - d));
}

void jw_num(struct jw *w, double v)
{
  char t[64];
  jw_sep(w);
  if(isfinite(v))
    snprintf(t, sizeof(t), "%.6g", v);
  else
    snprintf(t, sizeof(t), "null");
  jw_puts(w, t);
}

void jw_bool(struct jw *w, int v)
{
  jw_sep(w);
  jw_puts(w, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
  jw_sep(w);
  jw_puts(w, "null");
}

void jw_kstr(struct jw *w, const char *k, const char *s) { jw_key(w, k); jw_str(w, s); }
void jw_kint(struct jw *w, const char *k, long long v) { jw_key(w, k); jw_int(w, v); }
void jw_knum(struct jw *w, const char *k, double v) { jw_key(w, k); jw_num(w, v); }
void jw_kbool(struct jw *w, const char *k, int v) { jw_key(w, k); jw_bool(w, v); }

void jw_end(struct jw *w)
{
  jw_putc(w, '\n');
  jw_flush(w);
  fflush(w->out);
}
