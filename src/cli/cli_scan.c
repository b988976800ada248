/*
 * cli_scan.c - `warden scan URL`: the run (the options are parsed and
 * checked by cli_scan_args.c, the credentials read by cli_cred.c).
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_db.h"
#include "cli_scan.h"

/* The JSON report must stay valid even when the scan never started. */
static int scan_fail_json(const struct cli_out *out, const char *url,
                          const char *why, int code, struct cli_db *db, long long dbscan)
{
  if(strcmp(out->format, "json") && !db->st)
    return code;
  struct wd_findings f;
  findings_init(&f);
  struct report r;
  report_init(&r, "scan", url ? url : "", &f);
  r.status = REP_FAILED;
  r.requests = 0;
  report_note(&r, "%s", why);
  report_finalize(&r);
  cli_db_scan_end(db, dbscan, &r, code);
  if(!strcmp(out->format, "json"))
    cli_write_report(&r, out, 0); /* says so if it fails; the code stays */
  report_cleanup(&r);
  findings_cleanup(&f);
  return code;
}

/* The progress line on a terminal's stderr (scan_opts.progress). */
static void cli_progress(size_t completed, size_t queued, size_t findings, int final)
{
  fprintf(stderr, "\r\033[Kwarden: %zu/%zu requests, %zu findings%s", completed, queued,
          findings, final ? "\n" : "");
}

/* scan_opts.on_finding for one target: the JSON line goes to stdout at
 * once, and is not written again with the summary. */
static void cli_stream_finding(void *ctx, const struct scan *s, struct wd_finding *f)
{
  (void)ctx;
  rep_jsonl_finding(stdout, "scan", s->shown_url, f);
  f->streamed = 1;
}

int cli_scan(int argc, char **argv)
{
  struct scan_args a;
  scan_args_init(&a, argc, argv);
  struct scan_opts *so = &a.so;
  struct cli_db db;
  memset(&db, 0, sizeof(db));
  int rc = EXIT_USAGE;
  int pr = scan_args_parse(&a);
  if(pr) {
    rc = pr > 0 ? EXIT_CLEAN : EXIT_USAGE;
    goto done;
  }
  /* From here on Ctrl-C or SIGTERM stops the scan and still reports. */
  so->http.stop = cli_stop_install();
  if(a.db_where && cli_db_open(&db, a.db_where, a.out.cmdline, a.fo.shard_arg))
    goto done;
  if(a.multi) {
    a.fo.db = a.db_where ? &db : NULL;
    rc = cli_fleet_run(so, &a.out, &a.targets, &a.fo);
    rc = cli_db_close(&db, rc, rc >= 128);
    goto done;
  }
  so->url = argv[optind];
  so->progress = !a.out.quiet && isatty(STDERR_FILENO) ? cli_progress : NULL;
  /* JSON Lines on stdout: each finding as it is decided (unless a
   * suppressions file or a baseline must see the whole report first). */
  if(!strcmp(a.out.format, "jsonl") && !a.out.outfile && !a.out.ignore_given && !a.out.baseline &&
     access(".wardenignore.yml", F_OK) != 0) {
    so->on_finding = cli_stream_finding;
    so->on_finding_ctx = NULL;
  }

  long long dbscan = 0;
  cli_db_scan_begin(&db, so->url, &dbscan);
  struct scan s;
  char err[512] = "";
  int sr = scan_run(&s, so, err, sizeof(err));
  for(size_t i = 0; i < s.rep.ndebug; i++)
    fprintf(stderr, "warden: debug: %s\n", s.rep.debug[i]);
  if(sr == 2) {
    cli_error("%s", err);
    rc = scan_fail_json(&a.out, so->url, err, EXIT_USAGE, &db, dbscan);
  } else {
    if(sr == 3)
      cli_error("%s", err);
    cli_scan_rules(&s.rep, so->niac > 0);
    rc = cli_emit(&s.rep, &a.out);
    if(sr == 3 && rc != EXIT_USAGE)
      rc = EXIT_TARGET;
    /* An interrupted scan is never a clean one: 128 + the signal, as a
     * shell reports it, once the partial report is written. */
    if(s.interrupted && rc != EXIT_USAGE)
      rc = 128 + s.interrupted;
    cli_db_scan_end(&db, dbscan, &s.rep, rc);
  }
  scan_cleanup(&s);
  rc = cli_db_close(&db, rc, s.interrupted);
done:
  if(db.st)
    rc = cli_db_close(&db, rc, 0);
  scan_args_cleanup(&a);
  return rc;
}
