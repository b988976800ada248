/*
 * net_curl_load.h - libcurl, loaded when a scan first needs it.
 *
 * warden is not linked with libcurl: mapping and relocating it and its
 * two dozen dependencies (Kerberos, LDAP, SSH, HTTP/2, IDN, ...) at
 * start-up cost about 9 ms of CPU in every run, also in the runs that
 * never send a request (`warden iac`, `inspect`, `checks`). The entry
 * points warden calls are resolved with dlopen("libcurl.so.4") and dlsym
 * on first use, once per process, into the table below; the code is
 * still compiled against <curl/curl.h>, so every pointer has the type of
 * the header's own prototype.
 *
 * net_curl() loads on its first call (thread-safe) and then returns the
 * same table; a failure (no libcurl.so.4, a missing symbol) is returned
 * with the reason in err, naming the library and the loader's words.
 * Callers that take an err (http_global_init, url_parse, http_post_form)
 * call it and pass the failure on; code that holds a libcurl object
 * (a handle, a URL handle, a list) can only have got it after a
 * successful load and uses net_curl_loaded().
 */
#ifndef WARDEN_NET_CURL_LOAD_H
#define WARDEN_NET_CURL_LOAD_H

#include <curl/curl.h>
#include <stddef.h>

#define NET_CURL_SONAME "libcurl.so.4"

/* Every libcurl function warden calls, without its "curl_" prefix. */
#define NET_CURL_FUNCS(F)                                                        \
  F(global_init) F(version_info) F(free)                                        \
  F(easy_init) F(easy_cleanup) F(easy_reset) F(easy_setopt) F(easy_getinfo)     \
  F(easy_perform) F(easy_strerror) F(easy_escape)                               \
  F(multi_init) F(multi_cleanup) F(multi_setopt) F(multi_add_handle)            \
  F(multi_remove_handle) F(multi_perform) F(multi_poll) F(multi_info_read)      \
  F(slist_append) F(slist_free_all)                                             \
  F(url) F(url_cleanup) F(url_set) F(url_get) F(url_strerror)

/* The table: one pointer per function, of the header's type (curl_x's
 * field is x). Filled once, read-only afterwards. */
#define NET_CURL_FIELD(name) __typeof__(curl_##name) *name;
struct net_curl {
  NET_CURL_FUNCS(NET_CURL_FIELD)
};
#undef NET_CURL_FIELD

/* libcurl's entry points, loading it on the first call; NULL when it
 * cannot be loaded, with the reason in err (when err is not NULL). */
const struct net_curl *net_curl(char *err, size_t errlen);

/* The table, for code holding an object libcurl made (so it is loaded);
 * a call before any successful net_curl() is a bug in warden: aborts. */
const struct net_curl *net_curl_loaded(void);

/* curl_easy_setopt, curl_multi_setopt and curl_easy_getinfo are
 * variadic: these typed forms pass exactly the type libcurl reads for
 * the option's kind (CURLOPTTYPE_*), which curl.h's own compile-time
 * check (typecheck-gcc.h) did for the direct calls. An option of
 * another kind is refused (CURLE_BAD_FUNCTION_ARGUMENT), never passed. */
CURLcode net_setopt_long(CURL *c, CURLoption o, long v);
CURLcode net_setopt_str(CURL *c, CURLoption o, const char *v);
CURLcode net_setopt_ptr(CURL *c, CURLoption o, const void *v);
CURLcode net_setopt_off(CURL *c, CURLoption o, curl_off_t v);
CURLcode net_setopt_write(CURL *c, CURLoption o, curl_write_callback f);
CURLMcode net_multi_setopt_long(CURLM *m, CURLMoption o, long v);
CURLcode net_getinfo_long(CURL *c, CURLINFO i, long *v);
CURLcode net_getinfo_double(CURL *c, CURLINFO i, double *v);
CURLcode net_getinfo_ptr(CURL *c, CURLINFO i, char **v);

/* The same check at compile time, where curl.h's own check was: every
 * call names its option by its constant, so an option of another kind
 * is a build error, not a refusal found at run time. (The functions
 * themselves are reached as (net_setopt_long)(...), which the unit test
 * uses to see the run-time refusal.) */
#define NET_KIND_IS(o, kind)                                                    \
  ((void)sizeof(struct {                                                        \
    _Static_assert(((o) - (o) % 10000) == (kind), "curl option of another kind"); \
    int x;                                                                      \
  }))
#define NET_INFO_IS(i, kind)                                                    \
  ((void)sizeof(struct {                                                        \
    _Static_assert(((i) & CURLINFO_TYPEMASK) == (kind), "curl info of another kind"); \
    int x;                                                                      \
  }))
#define net_setopt_long(c, o, v) (NET_KIND_IS(o, CURLOPTTYPE_LONG), net_setopt_long(c, o, v))
#define net_setopt_str(c, o, v) (NET_KIND_IS(o, CURLOPTTYPE_STRINGPOINT), net_setopt_str(c, o, v))
#define net_setopt_ptr(c, o, v) (NET_KIND_IS(o, CURLOPTTYPE_OBJECTPOINT), net_setopt_ptr(c, o, v))
#define net_setopt_off(c, o, v) (NET_KIND_IS(o, CURLOPTTYPE_OFF_T), net_setopt_off(c, o, v))
#define net_multi_setopt_long(m, o, v)                                          \
  (NET_KIND_IS(o, CURLOPTTYPE_LONG), net_multi_setopt_long(m, o, v))
#define net_getinfo_long(c, i, v) (NET_INFO_IS(i, CURLINFO_LONG), net_getinfo_long(c, i, v))
#define net_getinfo_double(c, i, v) (NET_INFO_IS(i, CURLINFO_DOUBLE), net_getinfo_double(c, i, v))
#define net_getinfo_ptr(c, i, v) (NET_INFO_IS(i, CURLINFO_STRING), net_getinfo_ptr(c, i, v))

#endif
