#include "core_jw.h"

#include <math.h>
#include <string.h>

void jw_init(struct jw *w, FILE *out, int pretty)
{
  memset(w, 0, sizeof(*w));
  w->out = out;
  w->pretty = pretty;
}

static void jw_indent(struct jw *w)
{
  if(!w->pretty)
    return;
  fputc('\n', w->out);
  for(int i = 0; i < w->depth; i++)
    fputs("  ", w->out);
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
      fputc(',', w->out);
    jw_indent(w);
  }
}

static void jw_open(struct jw *w, int c)
{
  jw_sep(w);
  fputc(c, w->out);
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
  fputc(c, w->out);
}

void jw_obj_open(struct jw *w) { jw_open(w, '{'); }
void jw_obj_close(struct jw *w) { jw_close(w, '}'); }
void jw_arr_open(struct jw *w) { jw_open(w, '['); }
void jw_arr_close(struct jw *w) { jw_close(w, ']'); }

/* Length of a valid UTF-8 sequence at s (n bytes left), or 0 if invalid. */
static size_t jw_utf8_len(const unsigned char *s, size_t n)
{
  if(s[0] < 0x80)
    return 1;
  size_t len;
  unsigned min;
  unsigned cp;
  if((s[0] & 0xe0) == 0xc0) {
    len = 2; min = 0x80; cp = s[0] & 0x1f;
  } else if((s[0] & 0xf0) == 0xe0) {
    len = 3; min = 0x800; cp = s[0] & 0x0f;
  } else if((s[0] & 0xf8) == 0xf0) {
    len = 4; min = 0x10000; cp = s[0] & 0x07;
  } else {
    return 0;
  }
  if(len > n)
    return 0;
  for(size_t i = 1; i < len; i++) {
    if((s[i] & 0xc0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if(cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return len;
}

static void jw_write_string(FILE *out, const char *str)
{
  const unsigned char *s = (const unsigned char *)str;
  size_t n = strlen(str);
  fputc('"', out);
  for(size_t i = 0; i < n;) {
    unsigned char c = s[i];
    if(c == '"' || c == '\\') {
      fputc('\\', out);
      fputc(c, out);
      i++;
    } else if(c == '\n') {
      fputs("\\n", out); i++;
    } else if(c == '\t') {
      fputs("\\t", out); i++;
    } else if(c == '\r') {
      fputs("\\r", out); i++;
    } else if(c < 0x20 || c == 0x7f) {
      fprintf(out, "\\u%04x", c);
      i++;
    } else {
      size_t l = jw_utf8_len(s + i, n - i);
      if(l == 0) {
        fputs("\\ufffd", out);
        i++;
      } else {
        fwrite(s + i, 1, l, out);
        i += l;
      }
    }
  }
  fputc('"', out);
}

void jw_key(struct jw *w, const char *k)
{
  jw_sep(w);
  jw_write_string(w->out, k);
  fputc(':', w->out);
  if(w->pretty)
    fputc(' ', w->out);
  w->after_key = 1;
}

void jw_str(struct jw *w, const char *s)
{
  if(!s) {
    jw_null(w);
    return;
  }
  jw_sep(w);
  jw_write_string(w->out, s);
}

void jw_int(struct jw *w, long long v)
{
  jw_sep(w);
  fprintf(w->out, "%lld", v);
}

void jw_num(struct jw *w, double v)
{
  jw_sep(w);
  if(isfinite(v))
    fprintf(w->out, "%.6g", v);
  else
    fputs("null", w->out);
}

void jw_bool(struct jw *w, int v)
{
  jw_sep(w);
  fputs(v ? "true" : "false", w->out);
}

void jw_null(struct jw *w)
{
  jw_sep(w);
  fputs("null", w->out);
}

void jw_kstr(struct jw *w, const char *k, const char *s) { jw_key(w, k); jw_str(w, s); }
void jw_kint(struct jw *w, const char *k, long long v) { jw_key(w, k); jw_int(w, v); }
void jw_knum(struct jw *w, const char *k, double v) { jw_key(w, k); jw_num(w, v); }
void jw_kbool(struct jw *w, const char *k, int v) { jw_key(w, k); jw_bool(w, v); }

void jw_end(struct jw *w)
{
  fputc('\n', w->out);
  fflush(w->out);
}
