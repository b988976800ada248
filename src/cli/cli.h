/*
 * cli.h - the command line: one entry per subcommand, and the output and
 * exit-code policy they all share. Only src/cli/ calls exit().
 *
 * Exit codes (docs/cli.md): 0 clean, 1 findings at or above --fail-on or
 * a score under --threshold, 2 usage or configuration error, 3 the target
 * could not be analysed.
 */
#ifndef WD_CLI_H
#define WD_CLI_H
#include "../report/report.h"

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2, EXIT_TARGET = 3 };

#define CLI_MAX_REPORTS 16

struct cli_report {
  const char *format; /* one of the names in cli_formats */
  const char *path;
};

struct cli_out {
  const char *format;  /* term|json|jsonl|sarif|html|md|junit */
  const char *outfile; /* -o, or NULL */
  int fail_on;         /* severity; findings at or above it fail */
  int fail_new_only;   /* --fail-on-new: only findings new since --baseline */
  int threshold;       /* score under it fails; -1 = off */
  int color;
  int quiet;
  struct cli_report reports[CLI_MAX_REPORTS]; /* --report FORMAT:FILE */
  size_t nreports;
  const char *sarif_base; /* --sarif-base DIR, or NULL (working directory) */
  const char *baseline;   /* --baseline OLD.json, or NULL */
  const char *ignore;     /* --ignore FILE, or NULL (.wardenignore.yml if present) */
  int ignore_given;       /* 1 when --ignore was given (a missing file is an error) */
  char *cmdline;          /* the command line, secrets masked; owned */
  struct cli_policy *policy; /* --ignore and --baseline, read by cli_out_ready; owned */
};

void cli_out_init(struct cli_out *o);
/* Records the command line (secrets masked) for the reports. argv[0] is
 * the subcommand. */
void cli_out_args(struct cli_out *o, int argc, char **argv);
void cli_out_cleanup(struct cli_out *o);
/* 1 if name is a report format. */
int cli_format_known(const char *name);
/* Handles a report option (a row of cli_options[] with CLI_REPORT;
 * cli_opts.h): 0, or -1 on a bad value (message printed). */
struct cli_opt;
int cli_out_option(struct cli_out *o, const struct cli_opt *opt, const char *arg, long num);
/* Writes the report(s) and returns the exit code it implies (0 or 1), or
 * 2 if a report cannot be written (a file, or stdout: full disk, closed
 * stdout, EPIPE; every write is checked). Applies --ignore and --baseline
 * first. */
int cli_emit(struct report *r, struct cli_out *o);
/* Reads and checks --ignore (or .wardenignore.yml) and --baseline for a
 * report of kind ("scan", "iac", "inspect"), so a bad file stops the
 * command before it sends or reads anything. 0, or 2 with a message
 * naming the file and line. Every reporting command calls it once its
 * options are parsed. */
int cli_out_ready(struct cli_out *o, const char *kind);
/* Writes the report to -o (and, with summary and without -q, the terminal
 * summary to stdout) or to stdout, not to the --report files: for a run
 * that failed before it started (exit 2). 0, or 2 with a message. */
int cli_write_report(const struct report *r, const struct cli_out *o, int summary);
/* Flushes stdout: rc if everything written to it arrived, else 2 and a
 * message. Every command that prints to stdout ends through it. */
int cli_stdout_done(int rc);
/* Suppressions and baselines (cli_policy.c, which the static
 * warden-inspect leaves out). cli_policy_load reads the files named in o
 * (0, or -1 with a message naming the file and line); cli_policy_apply
 * marks the report's findings and scores again (loading first if
 * needed). The parsers take the text itself (fuzz_policy): 0, or -1 with
 * "name:line: reason" in err; kind NULL accepts a baseline of any kind. */
struct cli_policy;
int cli_policy_load(struct cli_out *o, const char *kind);
int cli_policy_apply(struct report *r, struct cli_out *o);
void cli_policy_free(struct cli_policy *p);
int cli_policy_parse_ignore(struct cli_policy *pol, const char *text, size_t len,
                            const char *name, char *err, size_t errlen);
int cli_policy_parse_baseline(struct cli_policy *pol, const char *text, size_t len,
                              const char *name, const char *kind, char *err, size_t errlen);
/* A fresh, empty policy (for the parsers above). */
struct cli_policy *cli_policy_new(void);
/* Prints "warden: <what>" to stderr; for usage and configuration errors. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parses a whole number in [lo, hi]; -1 and a message on failure. */
int cli_parse_int(const char *opt, const char *arg, long lo, long hi, long *out);

/* Installs the SIGINT/SIGTERM handler of a scan (cli_sig.c) and returns
 * the flag it sets to the signal's number. */
#include <signal.h>
volatile sig_atomic_t *cli_stop_install(void);

/* Config file (.warden.yml, or --config FILE anywhere in args): returns
 * a fresh argv (*nargv, owned by the caller with cli_config_free) holding
 * args[0] (the command: scan, iac or inspect), the file's options for
 * that command (its keys are the option table's long names, cli_opts.h),
 * then args[1..]. 0, or -1 with a message naming the file and line. */
int cli_config_args(int argc, char **argv, int *nargc, char ***nargv);
void cli_config_free(int argc, char **argv);
/* The config text's options for cmd ("scan", "iac" or "inspect") as
 * "--key=value" arguments (*args, *nargs; free with cli_config_free). 0,
 * or -1 with "name:line: reason" in err. tests/fuzz/fuzz_config.c. */
int cli_config_parse(const char *text, size_t len, const char *name, const char *cmd,
                     int *nargs, char ***args, char *err, size_t errlen);
/* `warden config print [COMMAND] [options]`. */
int cli_config(int argc, char **argv);
/* Prints a command's arguments as YAML (option: value, repeated ones as
 * lists in order, positional ones under args), secret values masked
 * (cli_out.c). */
void cli_print_options_yaml(FILE *out, int argc, char **argv, unsigned cmd);

/* OAuth2 client credentials (cli_oauth.c): the scan's main credential,
 * fetched from token_url; cli_oauth_fetch fits scan_opts.refresh_cred
 * (0, or -1 with the reason in err; secrets never in it). */
struct cred;
struct http_opts;
struct cli_oauth {
  const char *token_url, *client_id, *client_secret, *scope;
  const struct http_opts *http; /* the scan's TLS and proxy options */
  struct cred *cred;            /* rewritten in place: Bearer, the token */
  int fetched;
};
int cli_oauth_fetch(void *ctx, char *err, size_t errlen);
/* Reads a token endpoint's answer (HTTP status and body): the access
 * token of a Bearer answer in *token (the caller frees it), or -1 with
 * the reason in err (never the token). tests/fuzz/fuzz_oauth.c. */
int cli_oauth_parse(long status, const char *body, char **token, char *err, size_t errlen);
int cli_scan(int argc, char **argv);
/* Answers one MCP message line to out as a server with no allowed target
 * that starts no child (scan, iac and inspect answer an error): what
 * tests/fuzz/fuzz_mcp.c drives. */
void cli_mcp_answer(FILE *out, const char *line, size_t n);
int cli_mcp(int argc, char **argv);
int cli_checks(int argc, char **argv);
/* Registers the rule tables of a scan's report (the reports' rule index,
 * SARIF's rules): every check of the registry, iac's with --iac, and
 * correlation's; the same tables `warden checks` lists (cli_checks.c). */
void cli_scan_rules(struct report *r, int with_iac);
int cli_iac(int argc, char **argv);
/* iac_analyze_paths, with each problem it notes also said on stderr. */
int cli_iac_analyze(const char *const *paths, size_t n, struct wd_findings *out,
                    struct report *rep);
int cli_inspect(int argc, char **argv);

#endif
