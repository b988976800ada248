/*
 * cli_fleet.h - the multi-target scan (cli_fleet.c), called by cli_scan.
 */
#ifndef WD_CLI_FLEET_H
#define WD_CLI_FLEET_H
#include "../fleet/fleet.h"
#include "../scan/scan.h"
#include "cli.h"
#include "cli_db.h"

struct cli_fleet_opts {
  int parallel;           /* targets scanned at once (--parallel) */
  int per_host;           /* requests in flight per host, 0 = no cap */
  unsigned shard_i, shard_n; /* --shard I/N (n = 0: none) */
  const char *shard_arg;  /* as given, for the reports */
  struct cli_db *db;      /* --db, or NULL */
};

/* Scans every target of the list (already sharded) with base's options
 * (per target: the URL and its line's options) and writes the reports.
 * Returns the worst exit code over the targets. */
int cli_fleet_run(const struct scan_opts *base, struct cli_out *out,
                  struct fleet_list *targets, const struct cli_fleet_opts *fo);

#endif
