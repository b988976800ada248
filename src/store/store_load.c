/*
 * store_load.c - libpq and SQLite, loaded when the run history is opened
 * (store_load.h).
 */
#include "store_load.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "../core/core_dl.h"

/* Process-wide tables of the two libraries' entry points: each filled
 * once, under its pthread_once, and never written again, so any thread
 * reads them without a lock (docs/design.md, "The one mutable static":
 * a library's entry points are the process's, not a run's). */
struct pq_lib {
  struct store_libpq api;
  int ok;
  char why[300];  /* why it could not be loaded, when !ok */
};
struct sqlite_lib {
  struct store_sqlite api;
  int ok;
  char why[300];
};
static struct pq_lib pq_lib;
static pthread_once_t pq_once = PTHREAD_ONCE_INIT;
static struct sqlite_lib sqlite_lib;
static pthread_once_t sqlite_once = PTHREAD_ONCE_INIT;

static void pq_load(void)
{
  void *h = dl_open(STORE_LIBPQ_SONAME, pq_lib.why, sizeof(pq_lib.why));
  if(!h)
    return;
#define STORE_SYM(name)                                                               \
  {                                                                                   \
    void *p;                                                                          \
    if(dl_sym(h, STORE_LIBPQ_SONAME, "PQ" #name, &p, pq_lib.why, sizeof(pq_lib.why))) { \
      dlclose(h);                                                                     \
      return;                                                                         \
    }                                                                                 \
    pq_lib.api.name = (__typeof__(pq_lib.api.name))p;                                 \
  }
  STORE_LIBPQ_FUNCS(STORE_SYM)
#undef STORE_SYM
  pq_lib.ok = 1;
}

static void sqlite_load(void)
{
  void *h = dl_open(STORE_SQLITE_SONAME, sqlite_lib.why, sizeof(sqlite_lib.why));
  if(!h)
    return;
#define STORE_SYM(name)                                                                 \
  {                                                                                     \
    void *p;                                                                            \
    if(dl_sym(h, STORE_SQLITE_SONAME, "sqlite3_" #name, &p, sqlite_lib.why,           \
               sizeof(sqlite_lib.why))) {                                               \
      dlclose(h);                                                                       \
      return;                                                                           \
    }                                                                                   \
    sqlite_lib.api.name = (__typeof__(sqlite_lib.api.name))p;                           \
  }
  STORE_SQLITE_FUNCS(STORE_SYM)
#undef STORE_SYM
  sqlite_lib.ok = 1;
}

const struct store_libpq *store_libpq(char *err, size_t errlen)
{
  pthread_once(&pq_once, pq_load);
  if(pq_lib.ok)
    return &pq_lib.api;
  if(err && errlen)
    snprintf(err, errlen, "%s", pq_lib.why);
  return NULL;
}

const struct store_sqlite *store_sqlite(char *err, size_t errlen)
{
  pthread_once(&sqlite_once, sqlite_load);
  if(sqlite_lib.ok)
    return &sqlite_lib.api;
  if(err && errlen)
    snprintf(err, errlen, "%s", sqlite_lib.why);
  return NULL;
}
