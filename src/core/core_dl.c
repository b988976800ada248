/*
 * core_dl.c - a shared library loaded by SONAME on first use (core_dl.h).
 */
#include "core_dl.h"

#include <dlfcn.h>
#include <stdio.h>

void *dl_open(const char *soname, char *why, size_t n)
{
  void *h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if(!h) {
    const char *e = dlerror();
    snprintf(why, n, "%s could not be loaded: %s", soname, e ? e : "unknown reason");
  }
  return h;
}

int dl_sym(void *h, const char *soname, const char *sym, void **slot, char *why, size_t n)
{
  *slot = dlsym(h, sym);
  if(*slot)
    return 0;
  const char *e = dlerror();
  snprintf(why, n, "%s has no %s: %s", soname, sym, e ? e : "symbol not found");
  return -1;
}
