/*
 * cli_db.h - `--db` while scanning, `warden history`, `warden diff`
 * (cli_db.c; the store is src/store).
 */
#ifndef WD_CLI_DB_H
#define WD_CLI_DB_H
#include "../report/report.h"

struct wd_store;

struct cli_db {
  struct wd_store *st;  /* NULL: no --db */
  long long run;
  int failed;           /* a write failed (said on stderr) */
};

/* --db's value after getopt_long returned it (optional_argument): the
 * value of "--db=X", else the next argument when it is not an option or
 * an http(s) URL (and then it is consumed), else warden.db. */
const char *cli_db_optarg(int argc, char **argv);
/* Opens the store and records a new run. 0, or -1 with a message. */
int cli_db_open(struct cli_db *db, const char *where, const char *cmdline, const char *shard);
/* Records a target's scan as started (partial until its end). No-op
 * without a store. A failure is said and remembered. */
int cli_db_scan_begin(struct cli_db *db, const char *url, long long *scan);
void cli_db_scan_end(struct cli_db *db, long long scan, const struct report *r, int rc);
/* Ends the run and closes the store; returns rc, or 2 when a write of
 * the run failed. */
int cli_db_close(struct cli_db *db, int rc, int interrupted);

int cli_history(int argc, char **argv);
int cli_diff(int argc, char **argv);

#endif
