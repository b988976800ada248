/*
 * store_load.h - libpq and SQLite, loaded when the run history is opened.
 *
 * warden is not linked with libpq (whose dependencies, Kerberos, LDAP
 * and GnuTLS among them, cost several ms of start-up in every run) nor
 * with SQLite: store_open loads the one its --db names, with dlopen by
 * SONAME, once per process, into a table of entry points typed by the
 * library's own header (libpq-fe.h, sqlite3.h). Same scheme as libcurl's
 * (src/net/net_curl_load.h).
 */
#ifndef WARDEN_STORE_LOAD_H
#define WARDEN_STORE_LOAD_H

#include <libpq-fe.h>
#include <sqlite3.h>
#include <stddef.h>

#define STORE_LIBPQ_SONAME "libpq.so.5"
#define STORE_SQLITE_SONAME "libsqlite3.so.0"

/* The functions the store calls, without their prefix ("PQ", "sqlite3_"). */
#define STORE_LIBPQ_FUNCS(F)                                                   \
  F(connectdb) F(status) F(errorMessage) F(db) F(host) F(port) F(finish)        \
  F(setNoticeProcessor) F(exec) F(execParams) F(resultStatus)                   \
  F(resultErrorMessage) F(nfields) F(ntuples) F(getisnull) F(getvalue) F(clear)
#define STORE_SQLITE_FUNCS(F)                                                  \
  F(open_v2) F(close) F(errmsg) F(busy_timeout) F(exec) F(free) F(prepare_v2)   \
  F(bind_text) F(bind_null) F(column_count) F(column_text) F(step) F(finalize)

/* One pointer per function, of the header's type; filled once, read-only
 * afterwards. */
#define STORE_LIBPQ_FIELD(name) __typeof__(PQ##name) *name;
#define STORE_SQLITE_FIELD(name) __typeof__(sqlite3_##name) *name;
struct store_libpq {
  STORE_LIBPQ_FUNCS(STORE_LIBPQ_FIELD)
};
struct store_sqlite {
  STORE_SQLITE_FUNCS(STORE_SQLITE_FIELD)
};
#undef STORE_LIBPQ_FIELD
#undef STORE_SQLITE_FIELD

/* The library's entry points, loading it on the first call (thread-safe);
 * NULL when it cannot be loaded, with the reason (the SONAME and the
 * loader's words) in err. */
const struct store_libpq *store_libpq(char *err, size_t errlen);
const struct store_sqlite *store_sqlite(char *err, size_t errlen);

#endif
