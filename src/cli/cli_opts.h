/*
 * cli_opts.h - the options of scan, iac and inspect: one table, one loop.
 *
 * Every option of the three reporting commands is one row of cli_options[]
 * (cli_opts.c): its long and short name, whether it takes a value, the
 * commands that accept it, what the value is called and the help text.
 * From that table come the getopt tables and the parsing loop
 * (cli_opts_parse), each command's --help (cli_opts_help), the config
 * file's keys (cli_config.c), the masking of secret values in the command
 * line (cli_out.c), and `warden config options`, which prints the table
 * for docs/cli.md and the completions (tests/lint/docs_gen.py checks both).
 *
 * Adding an option: a row in cli_options[] (and an id in enum cli_opt_id),
 * then a case in the command's handler (or in cli_out_option for a report
 * option). Libc only: the static warden-inspect links it.
 */
#ifndef WD_CLI_OPTS_H
#define WD_CLI_OPTS_H
#include <stdio.h>

/* The commands, as bits of cli_opt.cmds. */
enum {
  CLI_SCAN = 1,
  CLI_IAC = 2,
  CLI_INSPECT = 4,
  CLI_ALL = CLI_SCAN | CLI_IAC | CLI_INSPECT,
};

enum cli_opt_id {
  OPT_NONE = 0, /* a section heading of the help, not an option */
  OPT_HELP,
  /* report options (cli_out_option) */
  OPT_FORMAT, OPT_OUTPUT, OPT_REPORT, OPT_SARIF_BASE, OPT_FAIL_ON, OPT_BASELINE,
  OPT_FAIL_ON_NEW, OPT_IGNORE, OPT_THRESHOLD, OPT_NO_COLOR, OPT_QUIET,
  /* scan */
  OPT_SPEC, OPT_NO_DISCOVERY, OPT_AUTH_REQUIRED, OPT_SCOPE, OPT_SIGNATURES,
  OPT_TEMPLATES, OPT_BURST, OPT_ACTIVE, OPT_ALLOW_DELETE, OPT_MAX_WRITES, OPT_CANARY,
  OPT_CONCURRENCY, OPT_RATE, OPT_TIMEOUT, OPT_MAX_TIME, OPT_BODY_CAP, OPT_MAX_REQUESTS,
  OPT_HEADER, OPT_INSECURE, OPT_CACERT, OPT_CERT, OPT_KEY, OPT_PROXY, OPT_BEARER,
  OPT_API_KEY, OPT_API_KEY_IN, OPT_BASIC, OPT_COOKIE, OPT_AS2, OPT_JWT_WORDLIST,
  OPT_AUTH_CMD, OPT_OAUTH2_TOKEN_URL, OPT_CLIENT_ID, OPT_CLIENT_SECRET, OPT_OAUTH2_SCOPE, OPT_VERBOSE,
  OPT_LIST, OPT_PARALLEL, OPT_PER_HOST, OPT_SHARD, OPT_IPV4, OPT_IPV6, OPT_DB, OPT_IAC,
  OPT_INSPECT_REPORT,
  /* iac */
  OPT_LIST_RULES,
  /* inspect */
  OPT_ROOT, OPT_NO_PROBE, OPT_PROBE_TIMEOUT,
};

/* How an option takes its value (getopt's no_argument, required_argument,
 * optional_argument). */
enum cli_arg { CLI_NOARG, CLI_ARG, CLI_OPTARG };

/* cli_opt.flags */
enum {
  CLI_REPORT = 1,   /* a report option: cli_out_option handles it */
  CLI_INT = 2,      /* a whole number in [lo, hi], checked by the loop */
  CLI_SECRET = 4,   /* the value is a secret: masked in the reports' command line */
  CLI_ARGV_ONLY = 8,/* never from a config file (it lets warden change the target) */
};

struct cli_opt {
  const char *name;   /* long name without "--"; NULL for a section heading */
  char shortname;     /* "-c", or 0 */
  enum cli_arg arg;
  unsigned cmds;      /* CLI_SCAN | CLI_IAC | CLI_INSPECT */
  enum cli_opt_id id;
  unsigned flags;
  long lo, hi;        /* with CLI_INT */
  const char *meta;   /* the value in the help ("N", "FILE"), or NULL */
  const char *help;   /* one line or more ('\n'); a heading's title */
};

/* The table, ended by a row with id OPT_NONE and no help. */
extern const struct cli_opt cli_options[];
#define FOR_EACH_ROW(o) for(const struct cli_opt *o = cli_options; o->name || o->help; o++)

/* One command's text around its generated option list. */
struct cli_cmd {
  const char *name;   /* "scan" */
  unsigned bit;       /* CLI_SCAN */
  const char *intro;  /* usage and description, before the options */
  const char *outro;  /* after them, or NULL */
};

/* A command's handler for its own (not report) options: arg is the value
 * (NULL without one), num the number with CLI_INT. 0, or -1 after a
 * message naming the option (cli_error). */
typedef int (*cli_opt_set)(void *ctx, const struct cli_opt *o, const char *arg, long num);

struct cli_out;
/* The one option loop of scan, iac and inspect: getopt_long over the
 * command's rows of the table (options and arguments may mix; "--" ends
 * the options). Report options go to cli_out_option, the others to set.
 * Returns 0 with optind at the first argument, 1 after printing the help
 * to stdout (--help), or -1 after a message (getopt's for an unknown
 * option or a missing value, then the help on stderr; the handler's or
 * the number check's, naming the option). */
int cli_opts_parse(const struct cli_cmd *cmd, int argc, char **argv, struct cli_out *out,
                   cli_opt_set set, void *ctx);
/* Prints the command's help: intro, its options by section, outro. */
void cli_opts_help(FILE *f, const struct cli_cmd *cmd);
/* The row of the option called name ("spec", no dashes) that one of the
 * commands in cmds accepts, or NULL. */
const struct cli_opt *cli_opt_find(unsigned cmds, const char *name);
/* The same for a short name ('c'). */
const struct cli_opt *cli_opt_find_short(unsigned cmds, char c);
/* The command bit of "scan", "iac" or "inspect"; 0 for anything else. */
unsigned cli_cmd_bit(const char *name);
/* `warden config options [--format md]`: every command's options, as
 * tab-separated lines (command, --name, -x or -, value or -) or as the
 * Markdown tables of docs/cli.md. */
void cli_opts_print(FILE *f, int md);

#endif
