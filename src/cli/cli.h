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

struct cli_out {
  const char *format;  /* "term" or "json" */
  const char *outfile; /* -o, or NULL */
  int fail_on;         /* severity; findings at or above it fail */
  int threshold;       /* score under it fails; -1 = off */
  int color;
  int quiet;
};

/* Long options every reporting subcommand accepts; see cli_out_option. */
#define CLI_OUT_OPTIONS                                  \
  {"format", required_argument, NULL, 'f'},              \
  {"output", required_argument, NULL, 'o'},              \
  {"fail-on", required_argument, NULL, 1001},            \
  {"threshold", required_argument, NULL, 1002},          \
  {"no-color", no_argument, NULL, 1003},                 \
  {"quiet", no_argument, NULL, 'q'}

#define CLI_OUT_HELP                                                          \
  "  -f, --format term|json    report format (default term)\n"               \
  "  -o, --output FILE         write the report there (terminal summary\n"   \
  "                            still goes to stdout unless -q)\n"            \
  "      --fail-on SEVERITY    exit 1 on findings at or above it\n"          \
  "                            (critical|high|medium|low|info|none; default low)\n" \
  "      --threshold N         exit 1 when the score is below N (0-100)\n"   \
  "      --no-color            no ANSI colours (NO_COLOR is honoured too)\n" \
  "  -q, --quiet               no progress, no terminal summary with -o\n"

void cli_out_init(struct cli_out *o);
/* Handles one of CLI_OUT_OPTIONS. Returns 1 if it was one, 0 if not, -1 on
 * a bad value (message printed). */
int cli_out_option(struct cli_out *o, int opt, const char *arg);
/* Writes the report(s) and returns the exit code it implies (0 or 1), or
 * 2 if the report cannot be written (to -o or to stdout: full disk,
 * closed stdout, EPIPE; every write is checked). */
int cli_emit(const struct report *r, const struct cli_out *o);
/* Writes the report to -o (and, with summary and without -q, the terminal
 * summary to stdout) or to stdout. 0, or 2 with a message. */
int cli_write_report(const struct report *r, const struct cli_out *o, int summary);
/* Flushes stdout: rc if everything written to it arrived, else 2 and a
 * message. Every command that prints to stdout ends through it. */
int cli_stdout_done(int rc);
/* Prints "warden: <what>" to stderr; for usage and configuration errors. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parses a whole number in [lo, hi]; -1 and a message on failure. */
int cli_parse_int(const char *opt, const char *arg, long lo, long hi, long *out);

/* Installs the SIGINT/SIGTERM handler of a scan (cli_sig.c) and returns
 * the flag it sets to the signal's number. */
#include <signal.h>
volatile sig_atomic_t *cli_stop_install(void);

int cli_scan(int argc, char **argv);
int cli_checks(int argc, char **argv);
int cli_iac(int argc, char **argv);
int cli_inspect(int argc, char **argv);

#endif
