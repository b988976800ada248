/*
 * cli_iac.c - `warden iac PATH...`.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "../core/core_alloc.h"
#include "../core/core_time.h"
#include "../iac/iac.h"

static const char iac_usage[] =
  "usage: warden iac [options] PATH...\n"
  "\n"
  "Container-escape analysis of deployment files: Dockerfiles (Dockerfile,\n"
  "Containerfile, *.dockerfile), docker-compose files and Kubernetes manifests\n"
  "(*.yml, *.yaml). Directories are walked recursively (.git, vendor and\n"
  "node_modules skipped); - reads standard input (helm template ... | warden iac -).\n"
  "Offline: nothing is run and no cluster is contacted.\n"
  "\n"
  "      --list-rules          print every rule id, severity and summary\n"
  "Report\n"
  CLI_OUT_HELP
  "\n"
  "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or\n"
  "no file could be read.\n";

const struct option iac_opts_long[] = {
  {"help", no_argument, NULL, 'h'},
  {"list-rules", no_argument, NULL, 3001},
  CLI_OUT_OPTIONS,
  {NULL, 0, NULL, 0},
};

int cli_iac_analyze(const char *const *paths, size_t n, struct wd_findings *out,
                    struct report *rep)
{
  size_t before = rep ? rep->nnotes : 0;
  int nread = iac_analyze_paths(paths, n, out, rep);
  /* A file that could not be read is said on stderr as well, as it is
   * found, so it is not lost behind a long report. */
  for(size_t i = before; rep && i < rep->nnotes; i++)
    fprintf(stderr, "warden: iac: %s\n", rep->notes[i]);
  return nread;
}

int cli_iac(int argc, char **argv)
{
  struct cli_out out;
  cli_out_init(&out);
  cli_out_args(&out, argc, argv);
  optind = 1;
  int opt;
  while((opt = getopt_long(argc, argv, "hf:o:q", iac_opts_long, NULL)) != -1) {
    int r = cli_out_option(&out, opt, optarg);
    if(r < 0) {
      cli_out_cleanup(&out);
      return EXIT_USAGE;
    }
    if(r > 0)
      continue;
    switch(opt) {
    case 'h':
      fputs(iac_usage, stdout);
      cli_out_cleanup(&out);
      return EXIT_CLEAN;
    case 3001:
      for(size_t i = 0; i < iac_nrules; i++)
        printf("%-34s %-8s %s\n", iac_rules[i].id, sev_name(iac_rules[i].severity),
               iac_rules[i].summary);
      cli_out_cleanup(&out);
      return EXIT_CLEAN;
    default:
      fputs(iac_usage, stderr);
      cli_out_cleanup(&out);
      return EXIT_USAGE;
    }
  }
  if(optind >= argc) {
    cli_error("iac: no PATH given");
    fputs(iac_usage, stderr);
    cli_out_cleanup(&out);
    return EXIT_USAGE;
  }
  if(cli_out_ready(&out, "iac")) {
    cli_out_cleanup(&out);
    return EXIT_USAGE;
  }
  const char *const *paths = (const char *const *)(argv + optind);
  size_t n = (size_t)(argc - optind);
  /* The report names what was analysed: the paths, space-separated. */
  size_t tl = 1;
  for(size_t i = 0; i < n; i++)
    tl += strlen(paths[i]) + 1;
  char *target = xmalloc(tl);
  target[0] = '\0';
  for(size_t i = 0; i < n; i++) {
    if(i)
      strcat(target, " ");
    strcat(target, paths[i]);
  }
  struct wd_findings f;
  findings_init(&f);
  struct report rep;
  report_init(&rep, "iac", target, &f);
  double t0 = mono_now();
  int nread = cli_iac_analyze(paths, n, &f, &rep);
  rep.seconds = mono_now() - t0;
  rep.status = nread == 0 ? REP_FAILED : rep.nnotes ? REP_PARTIAL : REP_COMPLETE;
  report_finalize(&rep);
  report_rules_add(&rep, "iac", iac_rules, iac_nrules);
  int rc = cli_emit(&rep, &out);
  if(nread == 0) {
    cli_error("iac: no file could be read");
    rc = EXIT_USAGE;
  }
  report_cleanup(&rep);
  findings_cleanup(&f);
  free(target);
  cli_out_cleanup(&out);
  return rc;
}
