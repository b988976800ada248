/*
 * cli_db.c - run history: `--db` while scanning (cli_db_*), `warden
 * history` and `warden diff` (docs/history.md).
 */
#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_jw.h"
#include "../core/core_mask.h"
#include "../net/net_url.h"
#include "../report/report.h"
#include "../store/store.h"
#include "cli.h"
#include "cli_db.h"

/* ---- while scanning ------------------------------------------------ */

int cli_db_open(struct cli_db *db, const char *where, const char *cmdline, const char *shard)
{
  memset(db, 0, sizeof(*db));
  char err[600];
  if(store_open(&db->st, where, err, sizeof(err))) {
    char *m = mask_str(NULL, err); /* a password in the URI */
    cli_error("%s", m);
    free(m);
    return -1;
  }
  if(store_run_begin(db->st, cmdline, shard, &db->run, err, sizeof(err))) {
    cli_error("--db: cannot record the run: %s", err);
    store_close(db->st);
    db->st = NULL;
    return -1;
  }
  return 0;
}

int cli_db_scan_begin(struct cli_db *db, const char *url, long long *scan)
{
  *scan = 0;
  if(!db->st)
    return 0;
  char err[600];
  char *norm = url_resolve(url, url);
  char *shown = mask_str(NULL, norm ? norm : url);
  int rc = store_scan_begin(db->st, db->run, shown, scan, err, sizeof(err));
  free(norm);
  free(shown);
  if(rc) {
    cli_error("--db: cannot record the scan of %s: %s", url, err);
    db->failed = 1;
  }
  return rc;
}

void cli_db_scan_end(struct cli_db *db, long long scan, const struct report *r, int rc)
{
  if(!db->st || !scan)
    return;
  char *json = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&json, &len);
  if(!f)
    xoom(0);
  rep_write_json(f, r);
  fclose(f);
  char err[600];
  if(store_scan_end(db->st, scan, r, json, rc, err, sizeof(err))) {
    cli_error("--db: cannot record the report of %s: %s", r->target, err);
    db->failed = 1;
  }
  free(json);
}

int cli_db_close(struct cli_db *db, int rc, int interrupted)
{
  if(!db->st)
    return rc;
  char err[600];
  if(store_run_end(db->st, db->run, rc, interrupted, err, sizeof(err))) {
    cli_error("--db: cannot close the run: %s", err);
    db->failed = 1;
  }
  store_close(db->st);
  db->st = NULL;
  /* A run whose history was not recorded is not a success. */
  return db->failed && rc < EXIT_USAGE ? EXIT_USAGE : rc;
}

/* ---- warden history ------------------------------------------------ */

static const char history_usage[] =
  "usage: warden history [--db PATH|URI] [--target URL] [-f term|json]\n"
  "\n"
  "Runs recorded with `warden scan --db` (default warden.db), newest first;\n"
  "with --target, that target's scans over time (grade, score, findings).\n";

struct hist {
  struct jw *w;   /* JSON, or NULL for the terminal */
  size_t n;
};

/* A row's 8 columns for the terminal, each escaped (rep_term_str) or
 * dflt[i] when NULL: the database may be shared (PostgreSQL), its text is
 * no more trusted than a report file's. */
static void hist_cells(const char *const *v, const char *const *dflt, char **t)
{
  for(int i = 0; i < 8; i++)
    t[i] = rep_term_str(v[i] ? v[i] : dflt[i]);
}

static void hist_cells_free(char **t)
{
  for(int i = 0; i < 8; i++)
    free(t[i]);
}

static int hist_run_row(void *ctx, int nc, const char *const *v)
{
  struct hist *h = ctx;
  (void)nc;
  h->n++;
  /* id, started, finished, status, exit_code, shard, targets, findings */
  if(h->w) {
    jw_obj_open(h->w);
    jw_kint(h->w, "run", atoll(v[0]));
    jw_kstr(h->w, "started", v[1]);
    jw_kstr(h->w, "finished", v[2]);
    jw_kstr(h->w, "status", v[3]);
    if(v[4])
      jw_kint(h->w, "exit_code", atoll(v[4]));
    else
      jw_kstr(h->w, "exit_code", NULL);
    jw_kstr(h->w, "shard", v[5]);
    jw_kint(h->w, "targets", v[6] ? atoll(v[6]) : 0);
    jw_kint(h->w, "findings", v[7] ? atoll(v[7]) : 0);
    jw_obj_close(h->w);
  } else {
    static const char *const dflt[8] = {"", "", "", "", "-", "-", "-", "0"};
    char *t[8];
    hist_cells(v, dflt, t);
    printf("%5s  %-20s  %-11s  %4s  %7s  %8s  %s\n", t[0], t[1], t[3], t[4], t[6], t[7], t[5]);
    hist_cells_free(t);
  }
  return 0;
}

static int hist_scan_row(void *ctx, int nc, const char *const *v)
{
  struct hist *h = ctx;
  (void)nc;
  h->n++;
  /* run, started, finished, status, grade, score, exit_code, findings */
  const char *status = v[3];
  char st[32];
  snprintf(st, sizeof(st), "%s%s", status, !v[2] ? " (unfinished)" : "");
  if(h->w) {
    jw_obj_open(h->w);
    jw_kint(h->w, "run", atoll(v[0]));
    jw_kstr(h->w, "started", v[1]);
    jw_kstr(h->w, "finished", v[2]);
    jw_kstr(h->w, "status", status);
    jw_kbool(h->w, "unfinished", !v[2]);
    jw_kstr(h->w, "grade", v[4]);
    if(v[5])
      jw_kint(h->w, "score", atoll(v[5]));
    else
      jw_kstr(h->w, "score", NULL);
    jw_kint(h->w, "findings", v[7] ? atoll(v[7]) : 0);
    jw_obj_close(h->w);
  } else {
    static const char *const dflt[8] = {"", "", "", "", "-", "-", "-", "0"};
    char *t[8];
    hist_cells(v, dflt, t);
    char *stt = rep_term_str(st);
    printf("%5s  %-20s  %-22s  %5s  %5s  %8s\n", t[0], t[1], stt, t[4], t[5], t[7]);
    free(stt);
    hist_cells_free(t);
  }
  return 0;
}

/* --db's value: "--db PATH", "--db=PATH", or bare (warden.db). */
static const char *db_arg(int argc, char **argv)
{
  if(optarg)
    return optarg;
  if(optind < argc && argv[optind][0] != '-' && strncmp(argv[optind], "http://", 7) &&
     strncmp(argv[optind], "https://", 8))
    return argv[optind++];
  return STORE_DEFAULT_PATH;
}

const char *cli_db_optarg(int argc, char **argv)
{
  return db_arg(argc, argv);
}

int cli_history(int argc, char **argv)
{
  static const struct option opts[] = {
    {"db", optional_argument, NULL, 'd'},
    {"target", required_argument, NULL, 't'},
    {"format", required_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *where = STORE_DEFAULT_PATH, *target = NULL, *fmt = "term";
  int opt;
  optind = 1;
  while((opt = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
    switch(opt) {
    case 'd': where = db_arg(argc, argv); break;
    case 't': target = optarg; break;
    case 'f': fmt = optarg; break;
    case 'h': fputs(history_usage, stdout); return EXIT_CLEAN;
    default: fputs(history_usage, stderr); return EXIT_USAGE;
    }
  }
  if(optind < argc) {
    cli_error("history: unexpected argument '%s'", argv[optind]);
    return EXIT_USAGE;
  }
  if(strcmp(fmt, "term") && strcmp(fmt, "json")) {
    cli_error("history: --format '%s' is not one of term, json", fmt);
    return EXIT_USAGE;
  }
  struct wd_store *st;
  char err[600];
  if(store_open(&st, where, err, sizeof(err))) {
    char *m = mask_str(NULL, err);
    cli_error("%s", m);
    free(m);
    return EXIT_USAGE;
  }
  struct jw w;
  struct hist h = {NULL, 0};
  int json = strcmp(fmt, "json") == 0;
  if(json) {
    jw_init(&w, stdout, 1);
    h.w = &w;
    jw_obj_open(&w);
    jw_kstr(&w, "schema", "warden-history-1");
  }
  int rc;
  if(target) {
    char *norm = url_resolve(target, target);
    char *shown = mask_str(NULL, norm ? norm : target);
    const char *p[1] = {shown};
    if(json) {
      jw_kstr(&w, "target", shown);
      jw_key(&w, "scans");
      jw_arr_open(&w);
    } else {
      rep_esc_term(stdout, shown);
      printf("\n%5s  %-20s  %-22s  %5s  %5s  %8s\n", "RUN", "STARTED", "STATUS",
             "GRADE", "SCORE", "FINDINGS");
    }
    rc = store_query(st, "SELECT s.run_id, s.started, s.finished, s.status, s.grade, s.score,"
                     " s.exit_code, (SELECT COUNT(*) FROM findings f WHERE f.scan_id = s.id)"
                     " FROM scans s JOIN targets t ON t.id = s.target_id WHERE t.url = ?"
                     " ORDER BY s.run_id DESC, s.id DESC", 1, p, hist_scan_row, &h, err,
                     sizeof(err));
    free(norm);
    free(shown);
  } else {
    if(json) {
      jw_key(&w, "runs");
      jw_arr_open(&w);
    } else {
      printf("%5s  %-20s  %-11s  %4s  %7s  %8s  %s\n", "RUN", "STARTED", "STATUS", "EXIT",
             "TARGETS", "FINDINGS", "SHARD");
    }
    rc = store_query(st, "SELECT r.id, r.started, r.finished, r.status, r.exit_code, r.shard,"
                     " (SELECT COUNT(*) FROM scans s WHERE s.run_id = r.id),"
                     " (SELECT COUNT(*) FROM findings f JOIN scans s ON s.id = f.scan_id"
                     " WHERE s.run_id = r.id) FROM runs r ORDER BY r.id DESC", 0, NULL,
                     hist_run_row, &h, err, sizeof(err));
  }
  if(json) {
    jw_arr_close(&w);
    jw_obj_close(&w);
    jw_end(&w);
  } else if(!h.n) {
    printf(target ? "(no scan of this target recorded)\n" : "(no run recorded)\n");
  }
  store_close(st);
  if(rc) {
    cli_error("history: %s", err);
    return EXIT_USAGE;
  }
  return EXIT_CLEAN;
}

/* ---- warden diff --------------------------------------------------- */

static const char diff_usage[] =
  "usage: warden diff [--db PATH|URI] [-f term|json|jsonl|sarif|html|md|junit] A B\n"
  "\n"
  "Compares two runs: A and B are run ids recorded with `warden scan --db`\n"
  "or JSON report files (one target's report or a several-target one).\n"
  "Per target: findings new in B, fixed since A, unchanged (by their stable\n"
  "fingerprints), and the score change.\n";

struct dfind {
  const char *fp, *rule, *severity, *title, *location;
};

struct dtarget {
  const char *url;
  int has_score, score;
  const char *grade;
  const char *status;
  struct dfind *f;
  size_t n;
};

struct snapshot {
  char *name;           /* "run 7" or the file */
  json_t **docs;        /* parsed reports, owned */
  size_t ndocs;
  struct dtarget *t;
  size_t n;
  size_t unfinished;    /* scans of the run with no report (killed) */
};

static const char *jstr(json_t *o, const char *k)
{
  json_t *v = json_object_get(o, k);
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Adds one warden-report-1 object (borrowed from a doc the snapshot owns). */
static int snap_add_report(struct snapshot *s, json_t *rep, const char *src, char *err,
                           size_t errlen)
{
  const char *schema = jstr(rep, "schema");
  json_t *fs = json_object_get(rep, "findings");
  if(!schema || strcmp(schema, "warden-report-1") || !jstr(rep, "target") ||
     !json_is_array(fs)) {
    snprintf(err, errlen, "%s: not a warden JSON report (schema warden-report-1 or "
             "warden-multi-1)", src);
    return -1;
  }
  s->t = xrealloc(s->t, (s->n + 1) * sizeof(*s->t));
  struct dtarget *t = &s->t[s->n++];
  memset(t, 0, sizeof(*t));
  t->url = jstr(rep, "target");
  t->status = jstr(rep, "status");
  json_t *sc = json_object_get(rep, "score");
  json_t *ov = json_object_get(sc, "overall");
  if(json_is_integer(ov)) {
    t->has_score = 1;
    t->score = (int)json_integer_value(ov);
  }
  t->grade = jstr(sc, "grade");
  size_t n = json_array_size(fs);
  t->f = xcalloc(n ? n : 1, sizeof(*t->f));
  for(size_t i = 0; i < n; i++) {
    json_t *x = json_array_get(fs, i);
    const char *fp = jstr(x, "fingerprint");
    if(!fp || !jstr(x, "rule"))
      continue;
    if(json_is_true(json_object_get(x, "suppressed")))
      continue;
    struct dfind *d = &t->f[t->n++];
    d->fp = fp;
    d->rule = jstr(x, "rule");
    d->severity = jstr(x, "severity");
    d->title = jstr(x, "title");
    json_t *loc = json_object_get(x, "location");
    d->location = jstr(loc, "url") ? jstr(loc, "url") : jstr(loc, "file");
  }
  return 0;
}

static int snap_add_doc(struct snapshot *s, json_t *doc, const char *src, char *err,
                        size_t errlen)
{
  s->docs = xrealloc(s->docs, (s->ndocs + 1) * sizeof(*s->docs));
  s->docs[s->ndocs++] = doc;
  const char *schema = jstr(doc, "schema");
  if(schema && strcmp(schema, "warden-multi-1") == 0) {
    json_t *reps = json_object_get(doc, "reports");
    if(!json_is_array(reps)) {
      snprintf(err, errlen, "%s: a warden-multi-1 document without reports", src);
      return -1;
    }
    for(size_t i = 0; i < json_array_size(reps); i++)
      if(snap_add_report(s, json_array_get(reps, i), src, err, errlen))
        return -1;
    return 0;
  }
  return snap_add_report(s, doc, src, err, errlen);
}

struct run_rows {
  struct snapshot *s;
  int bad;
  char *err;
  size_t errlen;
};

static int diff_run_row(void *ctx, int nc, const char *const *v)
{
  struct run_rows *rr = ctx;
  (void)nc;
  if(!v[0]) {
    rr->s->unfinished++;
    return 0;
  }
  json_error_t je;
  json_t *doc = json_loads(v[0], 0, &je);
  if(!doc || snap_add_doc(rr->s, doc, rr->s->name, rr->err, rr->errlen)) {
    if(!doc)
      snprintf(rr->err, rr->errlen, "%s: a stored report is not JSON: %s", rr->s->name, je.text);
    rr->bad = 1;
    return 1;
  }
  return 0;
}

static int is_run_id(const char *a)
{
  if(!*a)
    return 0;
  for(const char *p = a; *p; p++)
    if(!isdigit((unsigned char)*p))
      return 0;
  return 1;
}

static int snap_load(struct snapshot *s, const char *arg, const char *where,
                     struct wd_store **st, char *err, size_t errlen)
{
  memset(s, 0, sizeof(*s));
  if(!is_run_id(arg)) {
    s->name = xstrdup(arg);
    json_error_t je;
    json_t *doc = json_load_file(arg, 0, &je);
    if(!doc) {
      if(je.line > 0)
        snprintf(err, errlen, "%s:%d:%d: not JSON: %s", arg, je.line, je.column, je.text);
      else
        snprintf(err, errlen, "%s: cannot read the report: %s", arg, je.text);
      return -1;
    }
    return snap_add_doc(s, doc, arg, err, errlen);
  }
  s->name = xasprintf("run %s", arg);
  if(!*st && store_open(st, where, err, errlen))
    return -1;
  char e[600];
  const char *p[1] = {arg};
  struct run_rows rr = {s, 0, err, errlen};
  size_t before = s->n;
  if(store_query(*st, "SELECT s.report FROM scans s WHERE s.run_id = ? ORDER BY s.id", 1, p,
                 diff_run_row, &rr, e, sizeof(e))) {
    snprintf(err, errlen, "%s", e);
    return -1;
  }
  if(rr.bad)
    return -1;
  if(s->n == before && !s->unfinished) {
    snprintf(err, errlen, "run %s: no such run in the history", arg);
    return -1;
  }
  return 0;
}

static void snap_free(struct snapshot *s)
{
  for(size_t i = 0; i < s->n; i++)
    free(s->t[i].f);
  free(s->t);
  for(size_t i = 0; i < s->ndocs; i++)
    json_decref(s->docs[i]);
  free(s->docs);
  free(s->name);
}

static const struct dtarget *snap_find(const struct snapshot *s, const char *url)
{
  for(size_t i = 0; i < s->n; i++)
    if(strcmp(s->t[i].url, url) == 0)
      return &s->t[i];
  return NULL;
}

static int has_fp(const struct dtarget *t, const char *fp)
{
  if(!t)
    return 0;
  for(size_t i = 0; i < t->n; i++)
    if(strcmp(t->f[i].fp, fp) == 0)
      return 1;
  return 0;
}

enum { D_NEW, D_FIXED, D_SAME };
static const char *const dkind[] = {"new", "fixed", "unchanged"};

/* Calls fn for each finding of one kind for the target pair. */
static size_t diff_each(const struct dtarget *a, const struct dtarget *b, int kind,
                        void (*fn)(void *, const struct dfind *), void *ctx)
{
  /* A target scanned on one side only has nothing new or fixed: it was
   * not compared ("in": "a" or "b"). */
  if(!a || !b)
    return 0;
  const struct dtarget *from = kind == D_FIXED ? a : b;
  const struct dtarget *other = kind == D_FIXED ? b : a;
  size_t n = 0;
  if(!from)
    return 0;
  for(size_t i = 0; i < from->n; i++) {
    int in = has_fp(other, from->f[i].fp);
    if((kind == D_SAME) != in)
      continue;
    n++;
    if(fn)
      fn(ctx, &from->f[i]);
  }
  return n;
}

static void json_find(void *ctx, const struct dfind *f)
{
  struct jw *w = ctx;
  jw_obj_open(w);
  jw_kstr(w, "rule", f->rule);
  jw_kstr(w, "severity", f->severity);
  jw_kstr(w, "title", f->title);
  jw_kstr(w, "location", f->location);
  jw_kstr(w, "fingerprint", f->fp);
  jw_obj_close(w);
}

struct termctx {
  const char *mark;
  int md;
};

static void term_find(void *ctx, const struct dfind *f)
{
  struct termctx *t = ctx;
  if(t->md) {
    struct buf e;
    buf_init(&e, 0);
    rep_esc_md(&e, f->location);
    char *sev = rep_term_str(f->severity), *rule = rep_term_str(f->rule);
    printf("| %s | %s | `%s` | %s |\n", t->mark, sev, rule, buf_str(&e));
    free(sev);
    free(rule);
    buf_cleanup(&e);
  } else {
    /* A stored report or a report file is untrusted text: no control
     * byte of it reaches the terminal. */
    char *sev = rep_term_str(f->severity), *rule = rep_term_str(f->rule),
         *loc = rep_term_str(f->location);
    printf("  %s %-8s %-32s %s\n", t->mark, sev, rule, loc);
    free(sev);
    free(rule);
    free(loc);
  }
}

/* Every target of a or b once, a's order first. */
static const char **diff_targets(const struct snapshot *a, const struct snapshot *b, size_t *n)
{
  const char **v = xcalloc(a->n + b->n + 1, sizeof(*v));
  *n = 0;
  for(size_t i = 0; i < a->n; i++)
    v[(*n)++] = a->t[i].url;
  for(size_t i = 0; i < b->n; i++)
    if(!snap_find(a, b->t[i].url))
      v[(*n)++] = b->t[i].url;
  return v;
}

static void score_text(const struct dtarget *t, char *out, size_t n)
{
  if(!t)
    snprintf(out, n, "absent");
  else if(!t->has_score)
    snprintf(out, n, "not graded");
  else {
    char *g = rep_term_str(t->grade ? t->grade : "?"); /* from the report */
    snprintf(out, n, "%d (%s)", t->score, g);
    free(g);
  }
}

/* One diff, ready to write: both sides, the targets of either, totals. */
struct dview {
  const struct snapshot *a, *b;
  const char **urls;
  size_t nt;
  size_t tot[3];
};

static void diff_json(const struct dview *v)
{
  const struct snapshot *a = v->a, *b = v->b;
  const char *const *urls = v->urls;
  size_t nt = v->nt;
  const size_t *tot = v->tot;
  struct jw w;
  jw_init(&w, stdout, 1);
  jw_obj_open(&w);
  jw_kstr(&w, "schema", "warden-diff-1");
  jw_kstr(&w, "a", a->name);
  jw_kstr(&w, "b", b->name);
  jw_key(&w, "summary");
  jw_obj_open(&w);
  for(int k = 0; k < 3; k++)
    jw_kint(&w, dkind[k], (long long)tot[k]);
  jw_kint(&w, "unfinished_a", (long long)a->unfinished);
  jw_kint(&w, "unfinished_b", (long long)b->unfinished);
  jw_obj_close(&w);
  jw_key(&w, "targets");
  jw_arr_open(&w);
  for(size_t i = 0; i < nt; i++) {
    const struct dtarget *ta = snap_find(a, urls[i]), *tb = snap_find(b, urls[i]);
    jw_obj_open(&w);
    jw_kstr(&w, "target", urls[i]);
    jw_kstr(&w, "in", ta && tb ? "both" : ta ? "a" : "b");
    for(int side = 0; side < 2; side++) {
      const struct dtarget *t = side ? tb : ta;
      jw_key(&w, side ? "score_b" : "score_a");
      if(t && t->has_score)
        jw_int(&w, t->score);
      else
        jw_null(&w);
      jw_kstr(&w, side ? "grade_b" : "grade_a", t ? t->grade : NULL);
    }
    jw_key(&w, "score_change");
    if(ta && tb && ta->has_score && tb->has_score)
      jw_int(&w, tb->score - ta->score);
    else
      jw_null(&w);
    for(int k = 0; k < 3; k++) {
      jw_key(&w, dkind[k]);
      jw_arr_open(&w);
      diff_each(ta, tb, k, json_find, &w);
      jw_arr_close(&w);
    }
    jw_obj_close(&w);
  }
  jw_arr_close(&w);
  jw_obj_close(&w);
  jw_end(&w);
}

static void diff_term(const struct dview *v, int md)
{
  const struct snapshot *a = v->a, *b = v->b;
  const char *const *urls = v->urls;
  size_t nt = v->nt;
  const size_t *tot = v->tot;
  /* The names are file names or "run N": no control byte of them either. */
  char *an = rep_term_str(a->name), *bn = rep_term_str(b->name);
  if(md)
    printf("## warden diff: %s → %s\n\n**%zu new, %zu fixed, %zu unchanged**\n\n", an, bn,
           tot[D_NEW], tot[D_FIXED], tot[D_SAME]);
  else
    printf("warden diff  %s -> %s\n%zu new, %zu fixed, %zu unchanged\n", an, bn,
           tot[D_NEW], tot[D_FIXED], tot[D_SAME]);
  for(size_t i = 0; i < nt; i++) {
    const struct dtarget *ta = snap_find(a, urls[i]), *tb = snap_find(b, urls[i]);
    char sa[32], sb[32], ch[24] = "";
    score_text(ta, sa, sizeof(sa));
    score_text(tb, sb, sizeof(sb));
    if(ta && tb && ta->has_score && tb->has_score)
      snprintf(ch, sizeof(ch), ", %+d", tb->score - ta->score);
    if(md) {
      struct buf e;
      buf_init(&e, 0);
      rep_esc_md(&e, urls[i]);
      printf("### %s%s\n\nscore %s → %s%s\n\n", buf_str(&e),
             ta && tb ? "" : ta ? " (only in A: not compared)" : " (only in B: not compared)",
             sa, sb, ch);
      buf_cleanup(&e);
      if(diff_each(ta, tb, D_NEW, NULL, NULL) + diff_each(ta, tb, D_FIXED, NULL, NULL) +
         diff_each(ta, tb, D_SAME, NULL, NULL)) {
        printf("| | severity | rule | location |\n|---|---|---|---|\n");
        struct termctx tn = {"new", 1}, tf = {"fixed", 1}, tu = {"unchanged", 1};
        diff_each(ta, tb, D_NEW, term_find, &tn);
        diff_each(ta, tb, D_FIXED, term_find, &tf);
        diff_each(ta, tb, D_SAME, term_find, &tu);
        printf("\n");
      }
    } else {
      char *u = rep_term_str(urls[i]);
      printf("\n%s%s\n  score %s -> %s%s\n", u,
             ta && tb ? "" : ta ? "  (only in A: not compared)" : "  (only in B: not compared)",
             sa, sb, ch);
      free(u);
      struct termctx tn = {"+", 0}, tf = {"-", 0}, tu = {"=", 0};
      diff_each(ta, tb, D_NEW, term_find, &tn);
      diff_each(ta, tb, D_FIXED, term_find, &tf);
      diff_each(ta, tb, D_SAME, term_find, &tu);
    }
  }
  if(a->unfinished || b->unfinished)
    printf("%s%zu scan(s) of %s and %zu of %s never finished (their workers stopped): "
           "left out\n", md ? "\n" : "\n", a->unfinished, an, b->unfinished, bn);
  free(an);
  free(bn);
}

/* A stored severity name to its SARIF level, as the scan's SARIF writer
 * maps it (an unknown name is a note). */
static const char *diff_level(const char *sev)
{
  int s = sev ? sev_parse(sev) : -1;
  return s < 0 ? "note" : rep_sarif_level((enum wd_severity)s);
}

static void jw_score_pair(struct jw *w, const struct dtarget *ta, const struct dtarget *tb)
{
  for(int side = 0; side < 2; side++) {
    const struct dtarget *t = side ? tb : ta;
    jw_key(w, side ? "score_b" : "score_a");
    if(t && t->has_score)
      jw_int(w, t->score);
    else
      jw_null(w);
  }
  jw_key(w, "score_change");
  if(ta && tb && ta->has_score && tb->has_score)
    jw_int(w, tb->score - ta->score);
  else
    jw_null(w);
}

struct linectx {
  const char *target;
  const char *state;
};

static void jsonl_find(void *ctx, const struct dfind *f)
{
  const struct linectx *c = ctx;
  struct jw w;
  jw_init(&w, stdout, 0);
  jw_obj_open(&w);
  jw_kstr(&w, "type", "finding");
  jw_kstr(&w, "state", c->state);
  jw_kstr(&w, "target", c->target);
  jw_kstr(&w, "rule", f->rule);
  jw_kstr(&w, "severity", f->severity);
  jw_kstr(&w, "title", f->title);
  jw_kstr(&w, "location", f->location);
  jw_kstr(&w, "fingerprint", f->fp);
  jw_obj_close(&w);
  jw_end(&w);
}

/* JSON Lines: a line per finding (state new, fixed or unchanged, naming
 * its target), a "target" line per target with its counts and score
 * change, then one "summary" line. */
static void diff_jsonl(const struct dview *v)
{
  for(size_t i = 0; i < v->nt; i++) {
    const struct dtarget *ta = snap_find(v->a, v->urls[i]), *tb = snap_find(v->b, v->urls[i]);
    for(int k = 0; k < 3; k++) {
      struct linectx c = {v->urls[i], dkind[k]};
      diff_each(ta, tb, k, jsonl_find, &c);
    }
    struct jw w;
    jw_init(&w, stdout, 0);
    jw_obj_open(&w);
    jw_kstr(&w, "type", "target");
    jw_kstr(&w, "target", v->urls[i]);
    jw_kstr(&w, "in", ta && tb ? "both" : ta ? "a" : "b");
    for(int k = 0; k < 3; k++)
      jw_kint(&w, dkind[k], (long long)diff_each(ta, tb, k, NULL, NULL));
    jw_score_pair(&w, ta, tb);
    jw_obj_close(&w);
    jw_end(&w);
  }
  struct jw w;
  jw_init(&w, stdout, 0);
  jw_obj_open(&w);
  jw_kstr(&w, "type", "summary");
  jw_kstr(&w, "schema", "warden-diff-1");
  jw_kstr(&w, "a", v->a->name);
  jw_kstr(&w, "b", v->b->name);
  for(int k = 0; k < 3; k++)
    jw_kint(&w, dkind[k], (long long)v->tot[k]);
  jw_kint(&w, "unfinished_a", (long long)v->a->unfinished);
  jw_kint(&w, "unfinished_b", (long long)v->b->unfinished);
  jw_obj_close(&w);
  jw_end(&w);
}

struct sarifctx {
  struct jw *w;
  const char *state;
};

static void sarif_find(void *ctx, const struct dfind *f)
{
  const struct sarifctx *c = ctx;
  struct jw *w = c->w;
  jw_obj_open(w);
  jw_kstr(w, "ruleId", f->rule);
  jw_kstr(w, "level", diff_level(f->severity));
  jw_key(w, "message");
  jw_obj_open(w);
  jw_kstr(w, "text", f->title ? f->title : f->rule);
  jw_obj_close(w);
  jw_key(w, "locations");
  jw_arr_open(w);
  jw_obj_open(w);
  jw_key(w, "logicalLocations");
  jw_arr_open(w);
  jw_obj_open(w);
  jw_kstr(w, "fullyQualifiedName", f->location ? f->location : "");
  jw_kstr(w, "kind", "resource");
  jw_obj_close(w);
  jw_arr_close(w);
  jw_obj_close(w);
  jw_arr_close(w);
  jw_key(w, "partialFingerprints");
  jw_obj_open(w);
  jw_kstr(w, "wardenFinding/v1", f->fp);
  jw_obj_close(w);
  /* SARIF's own words for a comparison with a baseline: a fixed finding
   * is "absent" (in the baseline A, not in B). */
  jw_kstr(w, "baselineState", c->state);
  jw_key(w, "properties");
  jw_obj_open(w);
  jw_kstr(w, "severity", f->severity);
  jw_obj_close(w);
  jw_obj_close(w);
}

/* SARIF 2.1.0: one run whose results are B's findings compared with A
 * (baselineState new or unchanged) and A's fixed ones (absent); the
 * counts and each target's score change in the run's properties. */
static void diff_sarif(const struct dview *v)
{
  static const char *const state[3] = {"new", "absent", "unchanged"};
  struct jw w;
  jw_init(&w, stdout, 1);
  jw_obj_open(&w);
  jw_kstr(&w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
  jw_kstr(&w, "version", "2.1.0");
  jw_key(&w, "runs");
  jw_arr_open(&w);
  jw_obj_open(&w);
  jw_key(&w, "tool");
  jw_obj_open(&w);
  jw_key(&w, "driver");
  jw_obj_open(&w);
  jw_kstr(&w, "name", "warden");
  jw_kstr(&w, "version", WARDEN_VERSION);
  jw_obj_close(&w);
  jw_obj_close(&w);
  jw_key(&w, "automationDetails");
  jw_obj_open(&w);
  jw_kstr(&w, "id", "warden/diff/");
  jw_obj_close(&w);
  jw_key(&w, "results");
  jw_arr_open(&w);
  for(size_t i = 0; i < v->nt; i++) {
    const struct dtarget *ta = snap_find(v->a, v->urls[i]), *tb = snap_find(v->b, v->urls[i]);
    for(int k = 0; k < 3; k++) {
      struct sarifctx c = {&w, state[k]};
      diff_each(ta, tb, k, sarif_find, &c);
    }
  }
  jw_arr_close(&w);
  jw_key(&w, "properties");
  jw_obj_open(&w);
  jw_kstr(&w, "schema", "warden-diff-1");
  jw_kstr(&w, "a", v->a->name);
  jw_kstr(&w, "b", v->b->name);
  jw_key(&w, "summary");
  jw_obj_open(&w);
  for(int k = 0; k < 3; k++)
    jw_kint(&w, dkind[k], (long long)v->tot[k]);
  jw_kint(&w, "unfinished_a", (long long)v->a->unfinished);
  jw_kint(&w, "unfinished_b", (long long)v->b->unfinished);
  jw_obj_close(&w);
  jw_key(&w, "targets");
  jw_arr_open(&w);
  for(size_t i = 0; i < v->nt; i++) {
    const struct dtarget *ta = snap_find(v->a, v->urls[i]), *tb = snap_find(v->b, v->urls[i]);
    jw_obj_open(&w);
    jw_kstr(&w, "target", v->urls[i]);
    jw_kstr(&w, "in", ta && tb ? "both" : ta ? "a" : "b");
    jw_score_pair(&w, ta, tb);
    jw_obj_close(&w);
  }
  jw_arr_close(&w);
  jw_obj_close(&w);
  jw_obj_close(&w);
  jw_arr_close(&w);
  jw_obj_close(&w);
  jw_end(&w);
}

static void html_find(void *ctx, const struct dfind *f)
{
  const char *state = ctx;
  printf("<tr class=\"%s\"><td>%s</td><td>", state, state);
  rep_esc_xml(stdout, f->severity);
  printf("</td><td><code>");
  rep_esc_xml(stdout, f->rule);
  printf("</code></td><td>");
  rep_esc_xml(stdout, f->location);
  printf("</td></tr>\n");
}

/* HTML: one self-contained page, a table per target. */
static void diff_html(const struct dview *v)
{
  printf("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<title>warden diff</title>\n<style>body{font-family:sans-serif;margin:2em}"
         "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px}"
         "tr.new{background:#fdd}tr.fixed{background:#dfd}</style></head><body>\n"
         "<h1>warden diff: ");
  rep_esc_xml(stdout, v->a->name);
  printf(" &rarr; ");
  rep_esc_xml(stdout, v->b->name);
  printf("</h1>\n<p id=\"summary\"><span class=\"new\">%zu</span> new, "
         "<span class=\"fixed\">%zu</span> fixed, <span class=\"unchanged\">%zu</span> "
         "unchanged</p>\n", v->tot[D_NEW], v->tot[D_FIXED], v->tot[D_SAME]);
  for(size_t i = 0; i < v->nt; i++) {
    const struct dtarget *ta = snap_find(v->a, v->urls[i]), *tb = snap_find(v->b, v->urls[i]);
    char sa[32], sb[32], ch[24] = "";
    score_text(ta, sa, sizeof(sa));
    score_text(tb, sb, sizeof(sb));
    if(ta && tb && ta->has_score && tb->has_score)
      snprintf(ch, sizeof(ch), "%+d", tb->score - ta->score);
    printf("<section class=\"target\"><h2>");
    rep_esc_xml(stdout, v->urls[i]);
    printf("%s</h2>\n<p>score %s &rarr; %s <span class=\"score-change\">%s</span></p>\n",
           ta && tb ? "" : ta ? " (only in A: not compared)" : " (only in B: not compared)", sa,
           sb, ch);
    printf("<table><tr><th>state</th><th>severity</th><th>rule</th><th>location</th></tr>\n");
    for(int k = 0; k < 3; k++)
      diff_each(ta, tb, k, html_find, (void *)dkind[k]);
    printf("</table></section>\n");
  }
  if(v->a->unfinished || v->b->unfinished) {
    printf("<p class=\"unfinished\">%zu scan(s) of ", v->a->unfinished);
    rep_esc_xml(stdout, v->a->name);
    printf(" and %zu of ", v->b->unfinished);
    rep_esc_xml(stdout, v->b->name);
    printf(" never finished (their workers stopped): left out</p>\n");
  }
  printf("</body></html>\n");
}

static void junit_find(void *ctx, const struct dfind *f)
{
  const char *state = ctx;
  printf("    <testcase classname=\"%s\" name=\"", state);
  rep_esc_xml(stdout, f->rule);
  printf(" ");
  rep_esc_xml(stdout, f->location);
  printf("\">");
  if(!strcmp(state, "new")) {
    printf("<failure type=\"");
    rep_esc_xml(stdout, f->severity);
    printf("\" message=\"new finding: ");
    rep_esc_xml(stdout, f->title ? f->title : f->rule);
    printf("\"/>");
  }
  printf("</testcase>\n");
}

/* JUnit XML: a test suite per target, a test case per finding compared;
 * a new finding fails, a fixed or unchanged one passes. The scores are
 * the suite's properties. */
static void diff_junit(const struct dview *v)
{
  printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"warden diff\" "
         "tests=\"%zu\" failures=\"%zu\">\n", v->tot[D_NEW] + v->tot[D_FIXED] + v->tot[D_SAME],
         v->tot[D_NEW]);
  for(size_t i = 0; i < v->nt; i++) {
    const struct dtarget *ta = snap_find(v->a, v->urls[i]), *tb = snap_find(v->b, v->urls[i]);
    size_t n[3];
    for(int k = 0; k < 3; k++)
      n[k] = diff_each(ta, tb, k, NULL, NULL);
    printf("  <testsuite name=\"");
    rep_esc_xml(stdout, v->urls[i]);
    printf("\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"0\">\n"
           "    <properties>\n", n[0] + n[1] + n[2], n[D_NEW]);
    printf("      <property name=\"in\" value=\"%s\"/>\n", ta && tb ? "both" : ta ? "a" : "b");
    if(ta && ta->has_score)
      printf("      <property name=\"score_a\" value=\"%d\"/>\n", ta->score);
    if(tb && tb->has_score)
      printf("      <property name=\"score_b\" value=\"%d\"/>\n", tb->score);
    if(ta && tb && ta->has_score && tb->has_score)
      printf("      <property name=\"score_change\" value=\"%+d\"/>\n", tb->score - ta->score);
    printf("    </properties>\n");
    for(int k = 0; k < 3; k++)
      diff_each(ta, tb, k, junit_find, (void *)dkind[k]);
    printf("  </testsuite>\n");
  }
  printf("</testsuites>\n");
}

int cli_diff(int argc, char **argv)
{
  static const struct option opts[] = {
    {"db", optional_argument, NULL, 'd'},
    {"format", required_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  const char *where = STORE_DEFAULT_PATH, *fmt = "term";
  int opt;
  optind = 1;
  while((opt = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
    switch(opt) {
    case 'd': where = db_arg(argc, argv); break;
    case 'f': fmt = optarg; break;
    case 'h': fputs(diff_usage, stdout); return EXIT_CLEAN;
    default: fputs(diff_usage, stderr); return EXIT_USAGE;
    }
  }
  if(argc - optind != 2) {
    cli_error("diff: give two runs (ids or report files)");
    fputs(diff_usage, stderr);
    return EXIT_USAGE;
  }
  static const char *const fmts[] = {"term", "json", "jsonl", "sarif", "html", "md", "junit"};
  size_t fi = 0;
  while(fi < sizeof(fmts) / sizeof(*fmts) && strcmp(fmt, fmts[fi]))
    fi++;
  if(fi == sizeof(fmts) / sizeof(*fmts)) {
    cli_error("diff: --format '%s' is not one of term, json, jsonl, sarif, html, md, junit", fmt);
    return EXIT_USAGE;
  }
  struct wd_store *st = NULL;
  struct snapshot a, b;
  char err[700];
  int rc = EXIT_CLEAN;
  memset(&b, 0, sizeof(b));
  if(snap_load(&a, argv[optind], where, &st, err, sizeof(err)) ||
     snap_load(&b, argv[optind + 1], where, &st, err, sizeof(err))) {
    char *m = mask_str(NULL, err);
    cli_error("diff: %s", m);
    free(m);
    snap_free(&a);
    snap_free(&b);
    store_close(st);
    return EXIT_USAGE;
  }
  store_close(st);
  size_t nt;
  const char **urls = diff_targets(&a, &b, &nt);
  size_t tot[3] = {0, 0, 0};
  for(size_t i = 0; i < nt; i++)
    for(int k = 0; k < 3; k++)
      tot[k] += diff_each(snap_find(&a, urls[i]), snap_find(&b, urls[i]), k, NULL, NULL);
  struct dview v = {&a, &b, urls, nt, {tot[0], tot[1], tot[2]}};
  if(!strcmp(fmt, "json"))
    diff_json(&v);
  else if(!strcmp(fmt, "jsonl"))
    diff_jsonl(&v);
  else if(!strcmp(fmt, "sarif"))
    diff_sarif(&v);
  else if(!strcmp(fmt, "html"))
    diff_html(&v);
  else if(!strcmp(fmt, "junit"))
    diff_junit(&v);
  else
    diff_term(&v, !strcmp(fmt, "md"));
  free(urls);
  snap_free(&a);
  snap_free(&b);
  return rc;
}
