/*
 * net_curl_load.c - libcurl, loaded when a scan first needs it
 * (net_curl_load.h).
 */
#include "net_curl_load.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "../core/core_dl.h"

/* The process-wide table of libcurl's entry points: filled once, under
 * pthread_once, and never written again, so every thread reads it
 * without a lock. It is the one kind of file-level state warden keeps
 * besides the signal flag and the trust store (docs/design.md, "The one
 * mutable static"): the entry points of a library are the process's, not
 * a scan's, and loading them per scan would only repeat the same dlsym
 * calls. */
struct curl_lib {
  struct net_curl api;
  int ok;
  char why[300];  /* why it could not be loaded, when !ok */
};
static struct curl_lib curl_lib;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_load(void)
{
  void *h = dl_open(NET_CURL_SONAME, curl_lib.why, sizeof(curl_lib.why));
  if(!h)
    return;
#define NET_CURL_SYM(name)                                                           \
  {                                                                                  \
    void *p;                                                                         \
    if(dl_sym(h, NET_CURL_SONAME, "curl_" #name, &p, curl_lib.why, sizeof(curl_lib.why))) { \
      dlclose(h);                                                                    \
      return;                                                                        \
    }                                                                                \
    curl_lib.api.name = (__typeof__(curl_lib.api.name))p;                            \
  }
  NET_CURL_FUNCS(NET_CURL_SYM)
#undef NET_CURL_SYM
  curl_lib.ok = 1;
}

const struct net_curl *net_curl(char *err, size_t errlen)
{
  pthread_once(&curl_once, curl_load);
  if(curl_lib.ok)
    return &curl_lib.api;
  if(err && errlen)
    snprintf(err, errlen, "%s", curl_lib.why);
  return NULL;
}

const struct net_curl *net_curl_loaded(void)
{
  const struct net_curl *cu = net_curl(NULL, 0);
  if(!cu) {
    fprintf(stderr, "warden: bug: libcurl used before it was loaded (%s)\n", curl_lib.why);
    abort();
  }
  return cu;
}

/* The kind of an option or info: CURLOPTTYPE_* (multiples of 10000
 * below 50000) for options, CURLINFO_TYPEMASK's bits for infos. */
static int opt_kind(int o)
{
  return o - o % 10000;
}

CURLcode (net_setopt_long)(CURL *c, CURLoption o, long v)
{
  if(opt_kind(o) != CURLOPTTYPE_LONG)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  return net_curl_loaded()->easy_setopt(c, o, v);
}

CURLcode (net_setopt_str)(CURL *c, CURLoption o, const char *v)
{
  if(opt_kind(o) != CURLOPTTYPE_STRINGPOINT)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  return net_curl_loaded()->easy_setopt(c, o, v);
}

CURLcode (net_setopt_ptr)(CURL *c, CURLoption o, const void *v)
{
  if(opt_kind(o) != CURLOPTTYPE_OBJECTPOINT)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  return net_curl_loaded()->easy_setopt(c, o, v);
}

CURLcode (net_setopt_off)(CURL *c, CURLoption o, curl_off_t v)
{
  if(opt_kind(o) != CURLOPTTYPE_OFF_T)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  return net_curl_loaded()->easy_setopt(c, o, v);
}

CURLcode net_setopt_write(CURL *c, CURLoption o, curl_write_callback f)
{
  if(o != CURLOPT_WRITEFUNCTION && o != CURLOPT_HEADERFUNCTION)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  return net_curl_loaded()->easy_setopt(c, o, f);
}

CURLMcode (net_multi_setopt_long)(CURLM *m, CURLMoption o, long v)
{
  if(opt_kind(o) != CURLOPTTYPE_LONG)
    return CURLM_UNKNOWN_OPTION;
  return net_curl_loaded()->multi_setopt(m, o, v);
}

CURLcode (net_getinfo_long)(CURL *c, CURLINFO i, long *v)
{
  if((i & CURLINFO_TYPEMASK) != CURLINFO_LONG)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  return net_curl_loaded()->easy_getinfo(c, i, v);
}

CURLcode (net_getinfo_double)(CURL *c, CURLINFO i, double *v)
{
  if((i & CURLINFO_TYPEMASK) != CURLINFO_DOUBLE)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  return net_curl_loaded()->easy_getinfo(c, i, v);
}

CURLcode (net_getinfo_ptr)(CURL *c, CURLINFO i, char **v)
{
  if((i & CURLINFO_TYPEMASK) != CURLINFO_STRING)
    return CURLE_BAD_FUNCTION_ARGUMENT;
  return net_curl_loaded()->easy_getinfo(c, i, v);
}
