/*
 * core_jw.h - a streaming JSON writer.
 *
 * Reports are written with this rather than built as a jansson tree so
 * that the in-container binary (warden-inspect) needs libc alone. The
 * writer tracks nesting and commas; strings are escaped as RFC 8259 asks
 * and invalid UTF-8 is replaced, so the output is always valid JSON.
 */
#ifndef WD_CORE_JW_H
#define WD_CORE_JW_H
#include <stdio.h>

#define JW_MAX_DEPTH 32

#define JW_BUF 8192

/* Output is gathered in buf and written with one fwrite per JW_BUF bytes
 * (and by jw_end), not one stdio call per character. */
struct jw {
  FILE *out;
  char buf[JW_BUF];
  size_t len;
  int depth;
  int count[JW_MAX_DEPTH]; /* items written at each level */
  int after_key;           /* a key was written, its value comes next */
  int pretty;
};

void jw_init(struct jw *w, FILE *out, int pretty);
void jw_obj_open(struct jw *w);
void jw_obj_close(struct jw *w);
void jw_arr_open(struct jw *w);
void jw_arr_close(struct jw *w);
void jw_key(struct jw *w, const char *k);
void jw_str(struct jw *w, const char *s); /* NULL writes null */
void jw_int(struct jw *w, long long v);
void jw_num(struct jw *w, double v);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
/* Shorthands for "key": value. */
void jw_kstr(struct jw *w, const char *k, const char *s);
void jw_kint(struct jw *w, const char *k, long long v);
void jw_knum(struct jw *w, const char *k, double v);
void jw_kbool(struct jw *w, const char *k, int v);
/* Ends the document with a newline. */
/* Writes what is buffered (jw_end does it too, after a newline). Until
 * then the output may not have reached the FILE. */
void jw_flush(struct jw *w);
void jw_end(struct jw *w);

#endif
