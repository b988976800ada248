/*
 * cli_optparse.c - the one option loop of scan, iac and inspect
 * (cli_opts_parse, cli_opts.h) over the rows of the option table.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "../core/core_alloc.h"
#include "cli.h"
#include "cli_opts.h"

/* getopt's value for the row: its index past every char. */
#define ROW_BASE 256

int cli_opts_parse(const struct cli_cmd *cmd, int argc, char **argv, struct cli_out *out,
                   cli_opt_set set, void *ctx)
{
  size_t n = 0;
  FOR_EACH_ROW(o)
    n++;
  struct option *lo = xcalloc(n + 1, sizeof(*lo));
  char *shorts = xmalloc(3 * n + 1);
  size_t k = 0, ns = 0;
  FOR_EACH_ROW(o) {
    if(!o->name || !(o->cmds & cmd->bit))
      continue;
    int has = o->arg == CLI_ARG ? required_argument
            : o->arg == CLI_OPTARG ? optional_argument : no_argument;
    lo[k++] = (struct option){o->name, has, NULL, ROW_BASE + (int)(o - cli_options)};
    if(o->shortname) {
      shorts[ns++] = o->shortname;
      if(o->arg != CLI_NOARG)
        shorts[ns++] = ':';
      if(o->arg == CLI_OPTARG)
        shorts[ns++] = ':';
    }
  }
  shorts[ns] = '\0';
  int rc = 0, c;
  optind = 1;
  while((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
    const struct cli_opt *o = c >= ROW_BASE ? &cli_options[c - ROW_BASE]
                            : cli_opt_find_short(cmd->bit, (char)c);
    if(!o || c == '?') {
      /* getopt said which option and why */
      cli_opts_help(stderr, cmd);
      rc = -1;
      break;
    }
    if(o->id == OPT_HELP) {
      cli_opts_help(stdout, cmd);
      rc = 1;
      break;
    }
    char name[64];
    snprintf(name, sizeof(name), "--%s", o->name);
    long num = 0;
    if((o->flags & CLI_INT) && cli_parse_int(name, optarg, o->lo, o->hi, &num)) {
      rc = -1;
      break;
    }
    if((o->flags & CLI_REPORT) ? cli_out_option(out, o, optarg, num) : set(ctx, o, optarg, num)) {
      rc = -1;
      break;
    }
  }
  free(lo);
  free(shorts);
  return rc;
}

