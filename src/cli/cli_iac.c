/*
 * cli_iac.c - `warden iac PATH...`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h> /* optind */
#include <time.h>

#include "cli.h"
#include "cli_opts.h"
#include "../core/core_alloc.h"
#include "../core/core_time.h"
#include "../iac/iac.h"

static const struct cli_cmd iac_cmd = {
  "iac", CLI_IAC,
  "usage: warden iac [options] PATH...\n"
  "\n"
  "Container-escape analysis of deployment files: Dockerfiles (Dockerfile,\n"
  "Containerfile, *.dockerfile), docker-compose files and Kubernetes manifests\n"
  "(*.yml, *.yaml). Directories are walked recursively (.git, vendor and\n"
  "node_modules skipped); - reads standard input (helm template ... | warden iac -).\n"
  "Offline: nothing is run and no cluster is contacted.\n"
  "\n",
  "\n"
  "Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or\n"
  "no file could be read.\n",
};

struct iac_args {
  int list_rules;
};

static int iac_set(void *ctx, const struct cli_opt *o, const char *arg, long num)
{
  struct iac_args *a = ctx;
  (void)arg;
  (void)num;
  switch(o->id) {
  case OPT_LIST_RULES:
    a->list_rules = 1;
    return 0;
  default:
    cli_error("--%s: not an iac option", o->name);
    return -1;
  }
}

int cli_iac_analyze(const char *const *paths, size_t n, struct wd_findings *out,
                    struct report *rep)
{
  size_t before = rep ? rep->nnotes : 0;
  int nread = iac_analyze_paths(paths, n, out, rep);
  /* A file that could not be read is said on stderr as well, as it is
   * found, so it is not lost behind a long report. */
  for(size_t i = before; rep && i < rep->nnotes; i++) {
    fputs("warden: iac: ", stderr); /* a note names files: escaped for the terminal */
    rep_esc_term(stderr, rep->notes[i]);
    fputc('\n', stderr);
  }
  return nread;
}

int cli_iac(int argc, char **argv)
{
  struct cli_out out;
  cli_out_init(&out);
  cli_out_args(&out, argc, argv);
  struct iac_args a = {0};
  int pr = cli_opts_parse(&iac_cmd, argc, argv, &out, iac_set, &a);
  if(pr) {
    cli_out_cleanup(&out);
    return pr > 0 ? EXIT_CLEAN : EXIT_USAGE;
  }
  if(a.list_rules) {
    for(size_t i = 0; i < iac_nrules; i++)
      printf("%-34s %-8s %s\n", iac_rules[i].id, sev_name(iac_rules[i].severity),
             iac_rules[i].summary);
    cli_out_cleanup(&out);
    return EXIT_CLEAN;
  }
  if(optind >= argc) {
    cli_error("iac: no PATH given");
    cli_opts_help(stderr, &iac_cmd);
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
