/*
 * core_dl.h - a shared library loaded by SONAME on first use, and its
 * symbols, with the reason when either is missing.
 *
 * The one way warden loads libcurl (src/net/net_curl_load.c), libpq and
 * SQLite (src/store/store_load.c): each keeps its own typed table of
 * entry points; these two calls open the library and resolve a name,
 * and word a failure the same way for all three.
 */
#ifndef WARDEN_CORE_DL_H
#define WARDEN_CORE_DL_H

#include <stddef.h>

/* dlopen(soname), RTLD_NOW (bound at once, like warden itself: -z now)
 * and RTLD_LOCAL (its symbols serve only dl_sym); NULL with
 * "SONAME could not be loaded: ..." in why. */
void *dl_open(const char *soname, char *why, size_t n);

/* The address of sym in h (from dl_open of soname) into *slot; 0, or -1
 * with "SONAME has no SYM: ..." in why. */
int dl_sym(void *h, const char *soname, const char *sym, void **slot, char *why, size_t n);

#endif
