/*
 * core_alloc.h - allocation that never returns NULL.
 *
 * warden treats out-of-memory as fatal (as redis and zmap do): every
 * caller can then assume success, which keeps error paths for real
 * failures only. These abort with a message on exhaustion.
 */
#ifndef WD_CORE_ALLOC_H
#define WD_CORE_ALLOC_H
#include <stdarg.h>
#include <stddef.h>

/* Says that n bytes (0: unknown) could not be had and aborts: for the
 * rare allocation that is not one of these (a library's create call,
 * open_memstream). */
void xoom(size_t n) __attribute__((noreturn));
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array of elemsize-byte items so it holds at least need items. */
void *xgrow(void *p, size_t *cap, size_t need, size_t elemsize);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a fresh heap string; the caller frees it. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same with a va_list (ap is consumed). */
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Formats into tmp (tmpsize bytes) when the result fits and returns tmp,
 * else into a fresh heap string the caller frees (when it is not tmp);
 * *len is the length. NULL when the format is bad (vsnprintf fails). ap
 * is consumed. xvasprintf and buf_printf are written on it. */
char *xvformat(char *tmp, size_t tmpsize, size_t *len, const char *fmt, va_list ap)
  __attribute__((format(printf, 4, 0)));
/* The strings up to the NULL that ends the list, joined into a fresh
 * heap string the caller frees: what xasprintf("%s%s...") gives, without
 * parsing a format (the findings path joins keys this way). */
char *xconcat(const char *s, ...) __attribute__((sentinel));
/* Frees n heap strings of v, then v; v may be NULL. */
void strv_free(char **v, size_t n);

#endif
