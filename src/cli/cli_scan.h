/*
 * cli_scan.h - `warden scan` in three files: its options (cli_scan_args.c:
 * the handler of its rows of the option table, then the checks across
 * options, before any traffic), the credentials they name (cli_cred.c),
 * and the run (cli_scan.c).
 */
#ifndef WD_CLI_SCAN_H
#define WD_CLI_SCAN_H
#include "../fleet/fleet.h"
#include "../scan/scan.h"
#include "cli.h"
#include "cli_fleet.h"

/* --auth-cmd: the command and the credential it rewrites on a refresh. */
struct auth_cmd {
  const char *cmd;
  struct cred *cred; /* the scan's main identity, rewritten in place */
};

/* Everything the command line says, once parsed and checked. */
struct scan_args {
  int argc;
  char **argv;
  struct scan_opts so;
  struct cli_out out;
  struct curl_slist *headers; /* -H; so.http.headers once checked */
  int key_in_query;           /* --api-key-in query */
  int max_writes_set;
  const char *as2_arg;
  struct auth_cmd acmd;
  struct cli_oauth oauth;
  char *client_id, *client_secret; /* resolved (@FILE, env:NAME); owned */
  struct cli_fleet_opts fo;
  const char *lists[8];       /* -l FILE */
  size_t nlists;
  int family;                 /* -4, -6, or 0 */
  struct fleet_list targets;  /* with several targets: every one, sharded */
  int multi;                  /* several targets (or -l, --shard) */
  const char *db_where;       /* --db, or NULL */
};

/* Defaults, and the command line recorded for the reports. */
void scan_args_init(struct scan_args *a, int argc, char **argv);
/* Parses and checks the options and the targets, before any traffic:
 * 0 (optind at the first URL), 1 after --help, or -1 after a message
 * (exit 2). */
int scan_args_parse(struct scan_args *a);
void scan_args_cleanup(struct scan_args *a);
extern const struct cli_cmd scan_cmd;

/* cli_cred.c */
/* 1 if path is readable, else 0 and "OPT PATH: file cannot be read". */
int cli_file_readable(const char *opt, const char *path);
/* Resolves "@path" (first line of the file) and "env:NAME"; anything
 * else is the value itself. Returns a heap string, or NULL with a
 * message naming the option and the source. */
char *cli_secret_value(const char *opt, const char *arg);
/* Fills c from KIND and VALUE (already resolved; taken over).
 * main_key_name: the API key name of the main identity, for
 * "--as2 api-key:VALUE". 0, or -1 with a message. */
int cli_cred_set(struct cred *c, const char *opt, enum cred_kind kind, char *value,
                 const char *main_key_name);
void cli_cred_free(struct cred *c);
/* --auth-cmd: runs cmd with sh -c and returns its first non-empty output
 * line (a heap string), or NULL with err (never the output). */
char *cli_auth_cmd_line(const char *cmd, char *err, size_t errlen);
/* The command's line (taken over) as a credential: "Name: value" is that
 * header, any other line a bearer token. 0, or -1 with err. */
int cli_auth_cmd_cred(struct cred *c, char *line, char *err, size_t errlen);
/* scan_opts.refresh_cred for --auth-cmd (ctx: struct auth_cmd). */
int cli_auth_cmd_refresh(void *ctx, char *err, size_t errlen);

#endif
