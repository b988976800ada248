/*
 * cli_fleet.c - `warden scan` over many targets: several URLs, `-l FILE`,
 * `--shard I/N`. Worker threads each run one whole scan (scan_run) on one
 * target at a time; the scans share nothing but the limiter (--rate over
 * all of them, --per-host) and this file's output, which a mutex guards.
 * Every target's report is written as soon as its scan ends and then
 * freed, so memory does not grow with the number of targets
 * (docs/report-json.md: the multi-target JSON document; docs/cli.md).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../checks/check.h"
#include "../core/core_alloc.h"
#include "../core/core_jw.h"
#include "../correlate/corr.h"
#include "../fleet/fleet.h"
#include "../iac/iac.h"
#include "../net/net_limit.h"
#include "../scan/scan.h"
#include "cli.h"
#include "cli_fleet.h"

#define FLEET_MULTI_SCHEMA "warden-multi-1"

/* One output of the run: the main one (stdout or -o) or a --report. */
struct sink {
  const char *format; /* term, json or jsonl */
  const char *path;   /* NULL = stdout */
  char *tmp;          /* the file being written, renamed at the end */
  FILE *f;
  size_t nreports;    /* JSON: reports written so far */
  int failed;         /* a write failed (said at the end) */
};

/* What the summary table keeps of a target once its report is gone. */
struct row {
  char *target;       /* masked */
  int done;
  int status;         /* enum rep_status */
  int score;          /* -1: nothing tested */
  char grade;
  int counts[5];
  long requests;
  int rc;
};

struct fleet_run {
  const struct scan_opts *base;
  struct cli_out *out;   /* its policy was loaded before (cli_out_ready) */
  const struct cli_fleet_opts *fo;
  struct fleet_list *targets;
  struct http_limiter *limiter;
  pthread_mutex_t mu;     /* everything below */
  size_t next;            /* the next target to take */
  size_t ndone;
  struct sink sinks[CLI_MAX_REPORTS + 1];
  int nsinks;
  int stream;             /* JSON Lines finding lines as they are decided */
  struct row *rows;
  int worst;              /* the worst exit code so far */
  int interrupted;
  size_t nfindings;
  /* The refreshable credential (--auth-cmd, --oauth2-token-url): base->cred
   * is read and refreshed only under cred_mu; cred_gen counts refreshes. */
  pthread_mutex_t cred_mu;
  unsigned cred_gen;
};

/* One target's view of the refreshable credential: its scan sends its
 * own copy (mine, the target's scan_opts.cred), taken at generation gen. */
struct fleet_cred {
  struct fleet_run *run;
  struct cred *mine;
  unsigned gen;
};

/* The refresh hook of every target's scan. One refresh serves every
 * target: a target whose copy got a 401 takes the run's newer value when
 * another target has refreshed since its copy was taken, and runs the
 * command (or fetches the token) itself only otherwise. So the command
 * runs once per expiry, not once per target. */
static int fleet_cred_refresh(void *ctx, char *err, size_t errlen)
{
  struct fleet_cred *fc = ctx;
  struct fleet_run *run = fc->run;
  int rc = 0;
  pthread_mutex_lock(&run->cred_mu);
  if(fc->gen == run->cred_gen) {
    rc = run->base->refresh_cred(run->base->refresh_ctx, err, errlen);
    if(!rc)
      run->cred_gen++;
  }
  if(!rc) {
    free(fc->mine->value);
    fc->mine->value = xstrdup(run->base->cred.value);
    fc->gen = run->cred_gen;
  }
  pthread_mutex_unlock(&run->cred_mu);
  return rc;
}

/* The context of one target's scan (scan_opts.on_finding). */
struct fleet_job {
  struct fleet_run *run;
};

static int sink_open(struct sink *k)
{
  if(!k->path) {
    k->f = stdout;
    return 0;
  }
  struct stat st;
  if(stat(k->path, &st) == 0 && !S_ISREG(st.st_mode)) {
    k->f = fopen(k->path, "w");
    if(!k->f) {
      cli_error("%s: cannot write report: %s", k->path, strerror(errno));
      return -1;
    }
    return 0;
  }
  /* Whole or nothing: written beside, renamed at the end. */
  k->tmp = xasprintf("%s.tmp-XXXXXX", k->path);
  int fd = mkstemp(k->tmp);
  if(fd < 0 || !(k->f = fdopen(fd, "w"))) {
    cli_error("%s: cannot write report: %s", k->path, strerror(errno));
    if(fd >= 0) {
      close(fd);
      unlink(k->tmp);
    }
    free(k->tmp);
    k->tmp = NULL;
    return -1;
  }
  mode_t um = umask(0);
  umask(um);
  if(fchmod(fd, 0666 & ~um)) {
    /* mkstemp's 0600 stays: stricter, never wider. */
  }
  return 0;
}

/* Ends a sink; 0, or EXIT_USAGE with a message (the partial file goes). */
static int sink_close(struct sink *k, int ok)
{
  if(!k->f)
    return 0;
  if(!k->path) {
    k->f = NULL;
    return k->failed ? EXIT_USAGE : 0;
  }
  int bad = k->failed || ferror(k->f);
  int e = errno;
  if(fclose(k->f) != 0 && !bad) {
    bad = 1;
    e = errno;
  }
  k->f = NULL;
  if(k->tmp) {
    if(!bad && ok && rename(k->tmp, k->path)) {
      bad = 1;
      e = errno;
    }
    if(bad || !ok)
      unlink(k->tmp);
    free(k->tmp);
    k->tmp = NULL;
  }
  if(bad) {
    cli_error("%s: cannot write report: %s (nothing written; the partial file was removed)",
              k->path, e ? strerror(e) : "write error");
    return EXIT_USAGE;
  }
  return 0;
}

static void sink_check(struct sink *k)
{
  if(ferror(k->f) && !k->failed)
    k->failed = 1;
}

static void json_open_doc(struct sink *k)
{
  fprintf(k->f, "{\n  \"schema\": \"%s\",\n  \"tool\": \"warden %s\",\n  \"kind\": \"scan\",\n"
          "  \"reports\": [\n", FLEET_MULTI_SCHEMA, WARDEN_VERSION);
}

/* The closing part of the JSON document: the run's summary. */
static void json_close_doc(struct fleet_run *run, struct sink *k)
{
  size_t st[3] = {0, 0, 0};
  int counts[5] = {0, 0, 0, 0, 0};
  for(size_t i = 0; i < run->targets->n; i++) {
    const struct row *w = &run->rows[i];
    if(!w->done)
      continue;
    st[w->status]++;
    for(int s = 0; s < 5; s++)
      counts[s] += w->counts[s];
  }
  fputs("  ],\n", k->f);
  struct jw w;
  jw_init(&w, k->f, 0);
  fputs("  \"summary\": ", k->f);
  jw_obj_open(&w);
  jw_kint(&w, "targets", (long long)run->targets->n);
  jw_kint(&w, "scanned", (long long)run->ndone);
  jw_kint(&w, "complete", (long long)st[REP_COMPLETE]);
  jw_kint(&w, "partial", (long long)st[REP_PARTIAL]);
  jw_kint(&w, "failed", (long long)st[REP_FAILED]);
  jw_key(&w, "findings");
  jw_obj_open(&w);
  for(int s = WD_SEV_CRITICAL; s >= WD_SEV_INFO; s--)
    jw_kint(&w, sev_name((enum wd_severity)s), counts[s]);
  jw_obj_close(&w);
  if(run->fo->shard_n > 1)
    jw_kstr(&w, "shard", run->fo->shard_arg);
  jw_kint(&w, "exit_code", run->worst);
  jw_obj_close(&w);
  jw_flush(&w);
  fputs("\n}\n", k->f);
}

/* JSON Lines: the run's closing line. */
static void jsonl_close(struct fleet_run *run, struct sink *k)
{
  struct jw w;
  jw_init(&w, k->f, 0);
  jw_obj_open(&w);
  jw_kstr(&w, "type", "run");
  jw_kint(&w, "targets", (long long)run->targets->n);
  jw_kint(&w, "scanned", (long long)run->ndone);
  jw_kint(&w, "exit_code", run->worst);
  jw_obj_close(&w);
  jw_end(&w);
}

static const char *const status_word[] = {"complete", "partial", "FAILED"};

/* The terminal's table: one line per target, in the list's order. */
static void term_table(struct fleet_run *run, FILE *f, int color)
{
  const char *b = color ? "\033[1m" : "", *z = color ? "\033[0m" : "";
  size_t width = 6;
  for(size_t i = 0; i < run->targets->n; i++)
    if(run->rows[i].target && strlen(run->rows[i].target) > width)
      width = strlen(run->rows[i].target);
  if(width > 60)
    width = 60;
  fprintf(f, "%swarden scan%s  %zu targets%s%s\n", b, z, run->targets->n,
          run->fo->shard_n > 1 ? ", shard " : "", run->fo->shard_n > 1 ? run->fo->shard_arg : "");
  fprintf(f, "%s%-*s  %-8s  %5s  %5s  %4s %4s %4s %4s %4s  %8s  %4s%s\n", b, (int)width,
          "TARGET", "STATUS", "GRADE", "SCORE", "CRIT", "HIGH", "MED", "LOW", "INFO",
          "REQUESTS", "EXIT", z);
  for(size_t i = 0; i < run->targets->n; i++) {
    const struct row *w = &run->rows[i];
    const char *t = w->target ? w->target : run->targets->v[i].url;
    if(!w->done) {
      fprintf(f, "%-*.*s  %-8s\n", (int)width, (int)width, t, "not run");
      continue;
    }
    char g[2] = {w->grade, 0};
    char sc[8];
    snprintf(sc, sizeof(sc), "%d", w->score);
    fprintf(f, "%-*.*s  %-8s  %5s  %5s  %4d %4d %4d %4d %4d  %8ld  %4d\n", (int)width,
            (int)width, t, status_word[w->status], w->score >= 0 ? g : "-",
            w->score >= 0 ? sc : "-", w->counts[WD_SEV_CRITICAL], w->counts[WD_SEV_HIGH],
            w->counts[WD_SEV_MEDIUM], w->counts[WD_SEV_LOW], w->counts[WD_SEV_INFO],
            w->requests, w->rc);
  }
  fprintf(f, "%zu of %zu targets scanned; exit code %d (the worst of the targets)\n",
          run->ndone, run->targets->n, run->worst);
}

/* scan_opts.on_finding: one JSON line per new finding, to every JSON
 * Lines output, at once. */
static void fleet_on_finding(void *ctx, const struct scan *s, struct wd_finding *f)
{
  struct fleet_run *run = ctx;
  pthread_mutex_lock(&run->mu);
  for(int i = 0; i < run->nsinks; i++) {
    struct sink *k = &run->sinks[i];
    if(strcmp(k->format, "jsonl") || !k->f)
      continue;
    rep_jsonl_finding(k->f, "scan", s->shown_url, f);
    sink_check(k);
  }
  f->streamed = 1;
  run->nfindings++;
  pthread_mutex_unlock(&run->mu);
}

static int worse(int a, int b)
{
  if(a >= 128 || b >= 128)
    return a > b ? a : b;
  return a > b ? a : b;
}

/* Writes a finished target's report everywhere and records its row.
 * Called with run->mu held. */
static void fleet_emit(struct fleet_run *run, size_t idx, struct report *r, int rc,
                       long long dbscan)
{
  struct rep_opts ro = {
    .cmdline = run->out->cmdline,
    .exit_code = rc,
    .fail_on = run->out->fail_on,
    .fail_new_only = run->out->fail_new_only,
    .sarif_base = run->out->sarif_base,
    .skip_streamed = 1,
  };
  for(int i = 0; i < run->nsinks; i++) {
    struct sink *k = &run->sinks[i];
    if(!k->f)
      continue;
    if(strcmp(k->format, "json") == 0) {
      if(k->nreports++)
        fputs(",\n", k->f);
      rep_write_json(k->f, r);
    } else if(strcmp(k->format, "jsonl") == 0) {
      rep_write_jsonl(k->f, r, &ro);
    }
    sink_check(k);
  }
  struct row *w = &run->rows[idx];
  w->target = xstrdup(r->target);
  w->done = 1;
  w->status = (int)r->status;
  w->score = r->score.overall;
  w->grade = r->score.grade;
  report_counts(r, w->counts);
  w->requests = r->requests;
  w->rc = rc;
  run->worst = worse(run->worst, rc);
  run->ndone++;
  if(run->fo->db)
    cli_db_scan_end(run->fo->db, dbscan, r, rc);
}

/* The exit code of one target's report, as cli_emit computes it. */
static int target_rc(const struct report *r, const struct cli_out *o)
{
  int fail = report_count_failing(r, o->fail_on, o->fail_new_only) > 0;
  if(o->threshold >= 0 && r->score.overall < o->threshold)
    fail = 1;
  return fail ? EXIT_FINDINGS : EXIT_CLEAN;
}

/* A target that could not even start (bad --spec file on its line...):
 * a failed report of its own, so the run's outputs stay complete. */
static void fleet_emit_failed(struct fleet_run *run, size_t idx, const char *url,
                              const char *why, int rc, long long dbscan)
{
  struct wd_findings f;
  findings_init(&f);
  struct report r;
  char *shown = mask_str(NULL, url);
  report_init(&r, "scan", shown, &f);
  r.status = REP_FAILED;
  r.requests = 0;
  report_note(&r, "%s", why);
  report_finalize(&r);
  pthread_mutex_lock(&run->mu);
  fleet_emit(run, idx, &r, rc, dbscan);
  pthread_mutex_unlock(&run->mu);
  report_cleanup(&r);
  findings_cleanup(&f);
  free(shown);
}

static void fleet_scan_one(struct fleet_run *run, size_t idx)
{
  const struct fleet_target *t = &run->targets->v[idx];
  /* Under cred_mu: another target may be refreshing the credential. */
  pthread_mutex_lock(&run->cred_mu);
  struct scan_opts so = *run->base;
  struct fleet_cred fc = {run, &so.cred, run->cred_gen};
  if(so.refresh_cred) {
    so.cred.value = xstrdup(run->base->cred.value);
    so.refresh_cred = fleet_cred_refresh;
    so.refresh_ctx = &fc;
  }
  pthread_mutex_unlock(&run->cred_mu);
  so.url = t->url;
  if(t->spec)
    so.spec = t->spec;
  if(t->no_discovery)
    so.no_discovery = 1;
  if(t->auth_required)
    so.auth_required = 1;
  for(int i = 0; i < t->nscope && so.nscope < SCOPE_MAX - 1; i++)
    so.scope[so.nscope++] = t->scope[i];
  so.progress = NULL;
  so.http.limiter = run->limiter;
  so.http.rate = 0; /* the limiter holds --rate, over every target */
  if(run->stream) {
    so.on_finding = fleet_on_finding;
    so.on_finding_ctx = run;
  }
  /* The store records the scan as started (partial) before any traffic:
   * a worker killed from here on leaves it so. */
  long long dbscan = 0;
  if(run->fo->db) {
    pthread_mutex_lock(&run->mu);
    cli_db_scan_begin(run->fo->db, t->url, &dbscan);
    pthread_mutex_unlock(&run->mu);
  }
  struct scan s;
  char err[512] = "";
  int sr = scan_run(&s, &so, err, sizeof(err));
  if(sr == 2) {
    if(t->line)
      cli_error("line %d of the list: %s", t->line, err);
    else
      cli_error("%s", err);
    char *why = t->line ? xasprintf("line %d of the list: %s", t->line, err) : xstrdup(err);
    fleet_emit_failed(run, idx, t->url, why, EXIT_USAGE, dbscan);
    free(why);
    scan_cleanup(&s);
    if(so.refresh_cred)
      free(so.cred.value);
    return;
  }
  if(sr == 3)
    cli_error("%s", err);
  cli_scan_rules(&s.rep, so.niac > 0);
  int rc;
  pthread_mutex_lock(&run->mu);
  /* Suppressions read files: one target at a time, under the lock. */
  if(cli_policy_apply(&s.rep, run->out))
    rc = EXIT_USAGE;
  else
    rc = target_rc(&s.rep, run->out);
  if(sr == 3 && rc != EXIT_USAGE)
    rc = EXIT_TARGET;
  if(s.interrupted) {
    rc = 128 + s.interrupted;
    run->interrupted = s.interrupted;
  }
  fleet_emit(run, idx, &s.rep, rc, dbscan);
  pthread_mutex_unlock(&run->mu);
  scan_cleanup(&s);
  if(so.refresh_cred)
    free(so.cred.value);
}

static void *fleet_worker(void *arg)
{
  struct fleet_run *run = arg;
  for(;;) {
    pthread_mutex_lock(&run->mu);
    int stop = run->interrupted || (run->base->http.stop && *run->base->http.stop);
    size_t idx = run->next;
    if(!stop && idx < run->targets->n)
      run->next++;
    pthread_mutex_unlock(&run->mu);
    if(stop || idx >= run->targets->n)
      return NULL;
    fleet_scan_one(run, idx);
  }
}

static int format_multi_ok(const char *opt, const char *f)
{
  if(!strcmp(f, "term") || !strcmp(f, "json") || !strcmp(f, "jsonl"))
    return 1;
  cli_error("%s %s: with several targets the formats are term, json and jsonl "
            "(one report per target; see docs/report-json.md)", opt, f);
  return 0;
}

int cli_fleet_run(const struct scan_opts *base, struct cli_out *out,
                  struct fleet_list *targets, const struct cli_fleet_opts *fo)
{
  if(out->baseline) {
    cli_error("--baseline compares one report with one target: with several targets, "
              "store runs with --db and compare them with `warden diff`");
    return EXIT_USAGE;
  }
  if(!format_multi_ok("--format", out->format))
    return EXIT_USAGE;
  for(size_t i = 0; i < out->nreports; i++)
    if(!format_multi_ok("--report", out->reports[i].format))
      return EXIT_USAGE;
  char err[256];
  if(http_global_init(err, sizeof(err))) {
    cli_error("%s", err);
    return EXIT_USAGE;
  }
  struct fleet_run run;
  memset(&run, 0, sizeof(run));
  run.base = base;
  run.out = out;
  run.fo = fo;
  run.targets = targets;
  pthread_mutex_init(&run.mu, NULL);
  pthread_mutex_init(&run.cred_mu, NULL);
  run.rows = xcalloc(targets->n ? targets->n : 1, sizeof(*run.rows));
  /* Sinks: the --report files, then the main output. */
  int term_main = 0;
  for(size_t i = 0; i < out->nreports; i++) {
    run.sinks[run.nsinks].format = out->reports[i].format;
    run.sinks[run.nsinks].path = out->reports[i].path;
    run.nsinks++;
  }
  if(strcmp(out->format, "term") == 0 && !out->outfile)
    term_main = 1;
  else if(!(out->nreports && out->quiet && strcmp(out->format, "term") == 0)) {
    run.sinks[run.nsinks].format = out->format;
    run.sinks[run.nsinks].path = out->outfile;
    run.nsinks++;
  }
  int rc = 0;
  for(int i = 0; i < run.nsinks; i++)
    if(sink_open(&run.sinks[i]))
      rc = EXIT_USAGE;
  if(rc) {
    for(int i = 0; i < run.nsinks; i++)
      sink_close(&run.sinks[i], 0);
    free(run.rows);
    pthread_mutex_destroy(&run.mu);
    pthread_mutex_destroy(&run.cred_mu);
    return rc;
  }
  /* Findings stream as they are decided unless a policy file must see
   * the whole report first (suppressions mark findings at the end). */
  run.stream = !out->ignore_given && access(".wardenignore.yml", F_OK) != 0;
  int any_jsonl = 0;
  for(int i = 0; i < run.nsinks; i++)
    any_jsonl |= strcmp(run.sinks[i].format, "jsonl") == 0;
  run.stream = run.stream && any_jsonl;
  for(int i = 0; i < run.nsinks; i++)
    if(strcmp(run.sinks[i].format, "json") == 0)
      json_open_doc(&run.sinks[i]);
  run.limiter = (base->http.rate > 0 || fo->per_host > 0)
                  ? http_limiter_new(base->http.rate, fo->per_host) : NULL;
  size_t nw = (size_t)fo->parallel;
  if(nw > targets->n)
    nw = targets->n;
  pthread_t *th = xcalloc(nw ? nw : 1, sizeof(*th));
  size_t started = 0;
  for(size_t i = 0; i < nw; i++) {
    if(pthread_create(&th[i], NULL, fleet_worker, &run))
      break;
    started++;
  }
  if(!started && targets->n)
    fleet_worker(&run); /* no thread could start: this one does it all */
  for(size_t i = 0; i < started; i++)
    pthread_join(th[i], NULL);
  free(th);
  http_limiter_free(run.limiter);
  if(run.interrupted || (base->http.stop && *base->http.stop)) {
    int sig = run.interrupted ? run.interrupted : (int)*base->http.stop;
    run.worst = 128 + sig;
  }
  for(int i = 0; i < run.nsinks; i++) {
    struct sink *k = &run.sinks[i];
    if(strcmp(k->format, "json") == 0)
      json_close_doc(&run, k);
    else if(strcmp(k->format, "jsonl") == 0)
      jsonl_close(&run, k);
    else
      term_table(&run, k->f, k->path ? 0 : out->color);
    sink_check(k);
  }
  int wrc = 0;
  for(int i = 0; i < run.nsinks; i++)
    if(sink_close(&run.sinks[i], 1))
      wrc = EXIT_USAGE;
  if(term_main || (out->outfile && !out->quiet))
    term_table(&run, stdout, out->color);
  rc = wrc ? EXIT_USAGE : run.worst;
  for(size_t i = 0; i < targets->n; i++)
    free(run.rows[i].target);
  free(run.rows);
  pthread_mutex_destroy(&run.mu);
  pthread_mutex_destroy(&run.cred_mu);
  return rc;
}
