/*
 * store.c - run history on SQLite or PostgreSQL (store.h).
 *
 * One SQL text serves both: '?' placeholders (rewritten to $1.. for
 * PostgreSQL), text parameters, "@ID@" for an auto-increment key. The
 * schema is versioned: warden_schema.version, and migrations[] applied in
 * order, each in a transaction (PostgreSQL: under an advisory lock, so
 * workers starting together migrate once).
 */
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "store_load.h"

struct wd_store {
  sqlite3 *db;   /* SQLite, or NULL */
  PGconn *pg;    /* PostgreSQL, or NULL */
  /* The entry points of the one of the two in use (store_load.h). */
  const struct store_sqlite *sqlite;
  const struct store_libpq *libpq;
};

/* Each migration takes the schema from version i to i + 1. */
static const char *const migrations[] = {
  /* 1: runs, targets, scans, findings. */
  "CREATE TABLE warden_schema (version INTEGER NOT NULL);"
  "CREATE TABLE runs (id @ID@, started TEXT NOT NULL, finished TEXT, cmdline TEXT,"
  " status TEXT NOT NULL);"
  "CREATE TABLE targets (id @ID@, url TEXT NOT NULL UNIQUE);"
  "CREATE TABLE scans (id @ID@, run_id BIGINT NOT NULL REFERENCES runs(id),"
  " target_id BIGINT NOT NULL REFERENCES targets(id), status TEXT NOT NULL,"
  " score INTEGER, grade TEXT, started TEXT NOT NULL, finished TEXT, report TEXT);"
  "CREATE TABLE findings (scan_id BIGINT NOT NULL REFERENCES scans(id),"
  " fingerprint TEXT NOT NULL, rule TEXT NOT NULL, severity TEXT NOT NULL,"
  " title TEXT, location TEXT);"
  "INSERT INTO warden_schema (version) VALUES (1);",
  /* 2: exit codes, shards, indexes, and first/last seen per finding. */
  "ALTER TABLE runs ADD COLUMN shard TEXT;"
  "ALTER TABLE runs ADD COLUMN exit_code INTEGER;"
  "ALTER TABLE scans ADD COLUMN exit_code INTEGER;"
  "CREATE INDEX findings_scan ON findings (scan_id);"
  "CREATE INDEX scans_target ON scans (target_id);"
  "CREATE INDEX scans_run ON scans (run_id);"
  "CREATE TABLE finding_history (target_id BIGINT NOT NULL REFERENCES targets(id),"
  " fingerprint TEXT NOT NULL, rule TEXT NOT NULL, first_run BIGINT NOT NULL,"
  " last_run BIGINT NOT NULL, first_seen TEXT NOT NULL, last_seen TEXT NOT NULL,"
  " PRIMARY KEY (target_id, fingerprint));"
  "INSERT INTO finding_history (target_id, fingerprint, rule, first_run, last_run,"
  " first_seen, last_seen)"
  " SELECT s.target_id, f.fingerprint, MIN(f.rule), MIN(s.run_id), MAX(s.run_id),"
  " MIN(s.started), MAX(s.started) FROM findings f JOIN scans s ON s.id = f.scan_id"
  " GROUP BY s.target_id, f.fingerprint;"
  "UPDATE warden_schema SET version = 2;",
};

int store_is_pg(const struct wd_store *st)
{
  return st->pg != NULL;
}

/* The SQL for this backend: @ID@ and, for PostgreSQL, $N placeholders. */
static char *sql_for(const struct wd_store *st, const char *sql)
{
  struct buf b;
  buf_init(&b, 0);
  int n = 0;
  for(const char *p = sql; *p; p++) {
    if(strncmp(p, "@ID@", 4) == 0) {
      buf_printf(&b, "%s", st->pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT");
      p += 3;
    } else if(*p == '?' && st->pg) {
      buf_printf(&b, "$%d", ++n);
    } else {
      buf_append(&b, p, 1);
    }
  }
  char *s = xstrdup(buf_str(&b));
  buf_cleanup(&b);
  return s;
}

static void pg_err(const struct wd_store *st, const PGresult *res, char *err, size_t errlen)
{
  const char *m = res ? st->libpq->resultErrorMessage(res) : NULL;
  if(!m || !*m)
    m = st->libpq->errorMessage(st->pg);
  snprintf(err, errlen, "PostgreSQL: %.*s", (int)strcspn(m, "\n"), m);
}

int store_query(struct wd_store *st, const char *sql, int nparams,
                const char *const *params, store_row_fn row, void *ctx,
                char *err, size_t errlen)
{
  char *q = sql_for(st, sql);
  int rc = 0;
  if(st->pg) {
    PGresult *res = st->libpq->execParams(st->pg, q, nparams, NULL, params, NULL, NULL, 0);
    ExecStatusType s = st->libpq->resultStatus(res);
    if(s != PGRES_TUPLES_OK && s != PGRES_COMMAND_OK) {
      pg_err(st, res, err, errlen);
      rc = -1;
    } else if(row && s == PGRES_TUPLES_OK) {
      int nc = st->libpq->nfields(res);
      const char **vals = xcalloc((size_t)nc + 1, sizeof(*vals));
      for(int r = 0; r < st->libpq->ntuples(res); r++) {
        for(int c = 0; c < nc; c++)
          vals[c] = st->libpq->getisnull(res, r, c) ? NULL : st->libpq->getvalue(res, r, c);
        if(row(ctx, nc, vals))
          break;
      }
      free(vals);
    }
    st->libpq->clear(res);
    free(q);
    return rc;
  }
  sqlite3_stmt *stmt = NULL;
  if(st->sqlite->prepare_v2(st->db, q, -1, &stmt, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "SQLite: %s", st->sqlite->errmsg(st->db));
    free(q);
    return -1;
  }
  free(q);
  for(int i = 0; i < nparams; i++)
    if(params[i])
      st->sqlite->bind_text(stmt, i + 1, params[i], -1, SQLITE_TRANSIENT);
    else
      st->sqlite->bind_null(stmt, i + 1);
  int nc = st->sqlite->column_count(stmt);
  const char **vals = xcalloc((size_t)nc + 1, sizeof(*vals));
  int stop = 0;
  for(;;) {
    int s = st->sqlite->step(stmt);
    if(s == SQLITE_DONE)
      break;
    if(s != SQLITE_ROW) {
      snprintf(err, errlen, "SQLite: %s", st->sqlite->errmsg(st->db));
      rc = -1;
      break;
    }
    if(!row || stop)
      continue;
    for(int c = 0; c < nc; c++)
      vals[c] = (const char *)st->sqlite->column_text(stmt, c);
    stop = row(ctx, nc, vals);
  }
  free(vals);
  st->sqlite->finalize(stmt);
  return rc;
}

/* A script of statements without parameters (migrations). */
static int store_script(struct wd_store *st, const char *sql, char *err, size_t errlen)
{
  char *q = sql_for(st, sql);
  int rc = 0;
  if(st->pg) {
    PGresult *res = st->libpq->exec(st->pg, q);
    ExecStatusType s = st->libpq->resultStatus(res);
    if(s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
      pg_err(st, res, err, errlen);
      rc = -1;
    }
    st->libpq->clear(res);
  } else {
    char *msg = NULL;
    if(st->sqlite->exec(st->db, q, NULL, NULL, &msg) != SQLITE_OK) {
      snprintf(err, errlen, "SQLite: %s", msg ? msg : st->sqlite->errmsg(st->db));
      rc = -1;
    }
    st->sqlite->free(msg);
  }
  free(q);
  return rc;
}

static int tx_begin(struct wd_store *st, char *err, size_t errlen)
{
  /* SQLite: take the write lock now, so two writers wait (busy timeout)
   * rather than fail on upgrading a read lock. */
  return store_script(st, st->pg ? "BEGIN" : "BEGIN IMMEDIATE", err, errlen);
}

static int tx_end(struct wd_store *st, int ok, char *err, size_t errlen)
{
  if(ok)
    return store_script(st, "COMMIT", err, errlen);
  char e2[64];
  store_script(st, "ROLLBACK", e2, sizeof(e2));
  return -1;
}

static int row_first(void *ctx, int ncols, const char *const *vals)
{
  char **out = ctx;
  if(ncols > 0 && vals[0] && !*out)
    *out = xstrdup(vals[0]);
  return 1;
}

/* The value of a one-row, one-column query, or NULL. */
static char *query_value(struct wd_store *st, const char *sql, int n, const char *const *p,
                         int *failed, char *err, size_t errlen)
{
  char *v = NULL;
  *failed = store_query(st, sql, n, p, row_first, &v, err, errlen) != 0;
  return v;
}

/* The schema version, 0 for an empty database, -1 when the database has
 * tables but no warden_schema (not a warden store). */
static int schema_version(struct wd_store *st, char *err, size_t errlen)
{
  int failed;
  char *has = query_value(st, st->pg
      ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        " AND table_name = 'warden_schema'"
      : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'warden_schema'",
      0, NULL, &failed, err, errlen);
  if(failed) {
    free(has);
    return -2;
  }
  int present = has && atoi(has) > 0;
  free(has);
  if(!present) {
    char *any = query_value(st, st->pg
        ? "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"
          " AND table_name IN ('runs', 'scans', 'findings', 'targets')"
        : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
          " AND name IN ('runs', 'scans', 'findings', 'targets')",
        0, NULL, &failed, err, errlen);
    int other = any && atoi(any) > 0;
    free(any);
    if(failed)
      return -2;
    return other ? -1 : 0;
  }
  char *v = query_value(st, "SELECT MAX(version) FROM warden_schema", 0, NULL, &failed, err,
                        errlen);
  int ver = v ? atoi(v) : 0;
  free(v);
  return failed ? -2 : ver;
}

static int store_migrate(struct wd_store *st, const char *where, char *err, size_t errlen)
{
  const int known = (int)(sizeof(migrations) / sizeof(migrations[0]));
  for(;;) {
    char e[400];
    if(tx_begin(st, e, sizeof(e))) {
      snprintf(err, errlen, "%s: %s", where, e);
      return -1;
    }
    if(st->pg) {
      /* Workers that open the store together migrate it once. */
      if(store_script(st, "SELECT pg_advisory_xact_lock(7310531)", e, sizeof(e))) {
        tx_end(st, 0, NULL, 0);
        snprintf(err, errlen, "%s: %s", where, e);
        return -1;
      }
    }
    int v = schema_version(st, e, sizeof(e));
    if(v == -2 || v == -1 || v > known || v == known) {
      tx_end(st, 0, NULL, 0);
      if(v == -2)
        snprintf(err, errlen, "%s: cannot read the database: %s", where, e);
      else if(v == -1)
        snprintf(err, errlen, "%s: not a warden history database (it has tables of its own)",
                 where);
      else if(v > known)
        snprintf(err, errlen, "%s: the database has schema version %d, newer than this warden "
                 "knows (%d): use a newer warden", where, v, known);
      return v == known ? 0 : -1;
    }
    if(store_script(st, migrations[v], e, sizeof(e)) || tx_end(st, 1, e, sizeof(e))) {
      tx_end(st, 0, NULL, 0);
      snprintf(err, errlen, "%s: migrating the schema from version %d to %d failed: %s",
               where, v, v + 1, e);
      return -1;
    }
  }
}

int store_open(struct wd_store **out, const char *where, char *err, size_t errlen)
{
  *out = NULL;
  struct wd_store *st = xcalloc(1, sizeof(*st));
  if(strncmp(where, "postgresql://", 13) == 0 || strncmp(where, "postgres://", 11) == 0) {
    char why[400];
    st->libpq = store_libpq(why, sizeof(why));
    if(!st->libpq) {
      snprintf(err, errlen, "--db: cannot use PostgreSQL: %s", why);
      free(st);
      return -1;
    }
    const struct store_libpq *pq = st->libpq;
    st->pg = pq->connectdb(where);
    if(pq->status(st->pg) != CONNECTION_OK) {
      const char *m = pq->errorMessage(st->pg);
      /* The URI may hold a password: name the database by its host only. */
      snprintf(err, errlen, "--db: cannot connect to PostgreSQL (%s@%s:%s): %.*s",
               pq->db(st->pg) ? pq->db(st->pg) : "?",
               pq->host(st->pg) ? pq->host(st->pg) : "?",
               pq->port(st->pg) ? pq->port(st->pg) : "?", (int)strcspn(m, "\n"), m);
      pq->finish(st->pg);
      free(st);
      return -1;
    }
    st->libpq->setNoticeProcessor(st->pg, NULL, NULL);
  } else {
    char why[400];
    st->sqlite = store_sqlite(why, sizeof(why));
    if(!st->sqlite) {
      snprintf(err, errlen, "--db %s: cannot use SQLite: %s", where, why);
      free(st);
      return -1;
    }
    if(st->sqlite->open_v2(where, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                           SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
      snprintf(err, errlen, "--db %s: cannot open the database: %s", where,
               st->db ? st->sqlite->errmsg(st->db) : "out of memory");
      st->sqlite->close(st->db);
      free(st);
      return -1;
    }
    /* Several processes may write one file: wait for each other. */
    st->sqlite->busy_timeout(st->db, 30000);
    char e[300];
    if(store_script(st, "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;", e, sizeof(e))) {
      snprintf(err, errlen, "--db %s: cannot open the database: %s", where, e);
      st->sqlite->close(st->db);
      free(st);
      return -1;
    }
  }
  char e[500];
  const char *name = st->pg ? "--db (PostgreSQL)" : where;
  if(store_migrate(st, name, e, sizeof(e))) {
    snprintf(err, errlen, "%s%s", st->pg ? "" : "--db ", e);
    store_close(st);
    return -1;
  }
  *out = st;
  return 0;
}

void store_close(struct wd_store *st)
{
  if(!st)
    return;
  if(st->pg)
    st->libpq->finish(st->pg);
  if(st->db)
    st->sqlite->close(st->db);
  free(st);
}

static void now_iso(char *out, size_t n)
{
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int insert_id(struct wd_store *st, const char *sql, int n, const char *const *p,
                     long long *id, char *err, size_t errlen)
{
  int failed;
  char *v = query_value(st, sql, n, p, &failed, err, errlen);
  if(!failed && !v) {
    snprintf(err, errlen, "no id returned");
    failed = 1;
  }
  if(!failed)
    *id = atoll(v);
  free(v);
  return failed ? -1 : 0;
}

int store_run_begin(struct wd_store *st, const char *cmdline, const char *shard,
                    long long *run, char *err, size_t errlen)
{
  char now[32];
  now_iso(now, sizeof(now));
  const char *p[3] = {now, cmdline, shard};
  return insert_id(st, "INSERT INTO runs (started, cmdline, shard, status)"
                   " VALUES (?, ?, ?, 'running') RETURNING id", 3, p, run, err, errlen);
}

int store_run_end(struct wd_store *st, long long run, int exit_code, int interrupted,
                  char *err, size_t errlen)
{
  char now[32], id[24], ec[16];
  now_iso(now, sizeof(now));
  snprintf(id, sizeof(id), "%lld", run);
  snprintf(ec, sizeof(ec), "%d", exit_code);
  const char *p[4] = {now, interrupted ? "interrupted" : "finished", ec, id};
  return store_query(st, "UPDATE runs SET finished = ?, status = ?, exit_code = ? WHERE id = ?",
                     4, p, NULL, NULL, err, errlen);
}

int store_scan_begin(struct wd_store *st, long long run, const char *target,
                     long long *scan, char *err, size_t errlen)
{
  char now[32], rid[24];
  now_iso(now, sizeof(now));
  snprintf(rid, sizeof(rid), "%lld", run);
  if(tx_begin(st, err, errlen))
    return -1;
  const char *p1[1] = {target};
  long long tid = 0;
  int ok = store_query(st, "INSERT INTO targets (url) VALUES (?) ON CONFLICT (url) DO NOTHING",
                       1, p1, NULL, NULL, err, errlen) == 0 &&
           insert_id(st, "SELECT id FROM targets WHERE url = ?", 1, p1, &tid, err, errlen) == 0;
  if(ok) {
    char t[24];
    snprintf(t, sizeof(t), "%lld", tid);
    const char *p2[3] = {rid, t, now};
    ok = insert_id(st, "INSERT INTO scans (run_id, target_id, status, started)"
                   " VALUES (?, ?, 'partial', ?) RETURNING id", 3, p2, scan, err, errlen) == 0;
  }
  if(!ok) {
    tx_end(st, 0, NULL, 0);
    return -1;
  }
  return tx_end(st, 1, err, errlen);
}

static const char *const status_names[] = {"complete", "partial", "failed"};

int store_scan_end(struct wd_store *st, long long scan, const struct report *r,
                   const char *report_json, int exit_code, char *err, size_t errlen)
{
  char sid[24], now[32], score[16], ec[16], grade[2] = {r->score.grade, 0};
  snprintf(sid, sizeof(sid), "%lld", scan);
  snprintf(score, sizeof(score), "%d", r->score.overall);
  snprintf(ec, sizeof(ec), "%d", exit_code);
  now_iso(now, sizeof(now));
  if(tx_begin(st, err, errlen))
    return -1;
  /* The scan's run and target, for the history rows. */
  char *run = NULL, *target = NULL;
  struct { char **run, **target; } both = {&run, &target};
  (void)both;
  const char *ps[1] = {sid};
  int failed;
  run = query_value(st, "SELECT run_id FROM scans WHERE id = ?", 1, ps, &failed, err, errlen);
  int ok = !failed && run;
  if(ok) {
    target = query_value(st, "SELECT target_id FROM scans WHERE id = ?", 1, ps, &failed, err,
                         errlen);
    ok = !failed && target;
  }
  for(size_t i = 0; ok && i < r->findings->n; i++) {
    const struct wd_finding *x = &r->findings->v[i];
    if(x->suppressed || !x->fingerprint)
      continue;
    char *loc = rep_location(x);
    const char *p[6] = {sid, x->fingerprint, x->rule->id, sev_name(x->severity),
                        x->title ? x->title : x->rule->title, loc};
    ok = store_query(st, "INSERT INTO findings (scan_id, fingerprint, rule, severity, title,"
                     " location) VALUES (?, ?, ?, ?, ?, ?)", 6, p, NULL, NULL, err,
                     errlen) == 0;
    free(loc);
    if(!ok)
      break;
    /* First seen stays; last seen moves on (one statement: concurrent
     * workers of one target never lose an update). */
    const char *h[7] = {target, x->fingerprint, x->rule->id, run, run, now, now};
    ok = store_query(st, "INSERT INTO finding_history (target_id, fingerprint, rule, first_run,"
                     " last_run, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)"
                     " ON CONFLICT (target_id, fingerprint) DO UPDATE SET"
                     " last_run = excluded.last_run, last_seen = excluded.last_seen",
                     7, h, NULL, NULL, err, errlen) == 0;
  }
  if(ok) {
    const char *p[6] = {status_names[r->status], r->score.overall >= 0 ? score : NULL,
                        r->score.overall >= 0 ? grade : NULL, now, report_json, ec};
    const char *pp[7] = {p[0], p[1], p[2], p[3], p[4], p[5], sid};
    ok = store_query(st, "UPDATE scans SET status = ?, score = ?, grade = ?, finished = ?,"
                     " report = ?, exit_code = ? WHERE id = ?", 7, pp, NULL, NULL, err,
                     errlen) == 0;
  }
  free(run);
  free(target);
  if(!ok) {
    tx_end(st, 0, NULL, 0);
    return -1;
  }
  return tx_end(st, 1, err, errlen);
}
