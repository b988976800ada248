/*
 * store.h - run history (`--db`): every run, its targets' scans, their
 * findings with stable fingerprints, first-seen/last-seen per finding and
 * target, and each target's JSON report. One schema on two backends:
 * SQLite (a file path) and PostgreSQL (a postgresql:// URI, libpq).
 * docs/history.md.
 *
 * Writes are crash-safe per target: store_scan_begin commits a row with
 * status "partial" and no finished time before the scan starts, and
 * store_scan_end writes the findings, the report and the final status in
 * one transaction, so a worker killed mid-run leaves its target marked
 * partial with no half-written findings.
 *
 * A store handle is used by one thread at a time. Nothing here prints.
 */
#ifndef WD_STORE_H
#define WD_STORE_H
#include <stddef.h>

#include "../report/report.h"

#define STORE_SCHEMA_VERSION 2
#define STORE_DEFAULT_PATH "warden.db"

struct wd_store;

/* Opens (creating it if needed) and migrates the store at where: a
 * postgresql:// or postgres:// URI, else a SQLite file. 0, or -1 with err
 * (cannot be opened, not a warden store, a schema newer than this
 * warden). */
int store_open(struct wd_store **out, const char *where, char *err, size_t errlen);
void store_close(struct wd_store *st);
/* 1 for PostgreSQL. */
int store_is_pg(const struct wd_store *st);

/* A new run; its id in *run. cmdline (masked) and shard may be NULL. */
int store_run_begin(struct wd_store *st, const char *cmdline, const char *shard,
                    long long *run, char *err, size_t errlen);
int store_run_end(struct wd_store *st, long long run, int exit_code, int interrupted,
                  char *err, size_t errlen);
/* A target's scan in run, committed as "partial" (unfinished). */
int store_scan_begin(struct wd_store *st, long long run, const char *target,
                     long long *scan, char *err, size_t errlen);
/* One transaction: findings, history, report JSON, status and score. */
int store_scan_end(struct wd_store *st, long long scan, const struct report *r,
                   const char *report_json, int exit_code, char *err, size_t errlen);

/* Rows handed to a query's caller: ncols values, NULL for SQL NULL. */
typedef int (*store_row_fn)(void *ctx, int ncols, const char *const *vals);
/* Runs one statement with text parameters ('?' placeholders), calling
 * row for each result row (a non-zero return stops). 0, or -1 with err. */
int store_query(struct wd_store *st, const char *sql, int nparams,
                const char *const *params, store_row_fn row, void *ctx,
                char *err, size_t errlen);

#endif
