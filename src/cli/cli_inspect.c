/*
 * cli_inspect.c - `warden inspect`: container-escape introspection.
 * Libc only, so the static warden-inspect links it too.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "../inspect/inspect.h"

static const char inspect_usage[] =
  "usage: warden inspect [options]\n"
  "\n"
  "Run inside a container (or on a host): report every way out of the\n"
  "container that can be seen from here - capabilities, seccomp, AppArmor,\n"
  "SELinux, the user and its namespace mapping, mounts, writable kernel knobs,\n"
  "cgroup release_agent, devices, namespaces, runtime sockets, Kubernetes\n"
  "tokens, cloud credentials and kernel CVE ranges.\n"
  "\n"
  "Read-only: it never writes, creates, deletes or changes anything\n"
  "(writability is asked of access(2), never tried). Its only network traffic\n"
  "is one read-only HTTP \"GET /version\" over each Docker, containerd, CRI-O\n"
  "or Podman unix socket it finds, with a short timeout (--no-probe: none).\n"
  "Secrets are masked: a value reads **** (a token format keeps its prefix).\n"
  "\n"
  "Options\n"
  "      --root DIR            read a captured tree (DIR/proc, DIR/sys, DIR/etc,\n"
  "                            DIR/.capture/{writable,sockets,dev}) instead of the\n"
  "                            live system; sends nothing (docs/inspect.md)\n"
  "      --no-probe            do not send GET /version to sockets found\n"
  "      --probe-timeout MS    per-socket timeout (default 500, max 5000)\n"
  "  -h, --help                this help\n"
  "Report\n"
  CLI_OUT_HELP;

const struct option inspect_opts_long[] = {
  {"root", required_argument, NULL, 3001},
  {"no-probe", no_argument, NULL, 3002},
  {"probe-timeout", required_argument, NULL, 3003},
  {"help", no_argument, NULL, 'h'},
  CLI_OUT_OPTIONS,
  {NULL, 0, NULL, 0},
};

int cli_inspect(int argc, char **argv)
{
  struct cli_out out;
  cli_out_init(&out);
  cli_out_args(&out, argc, argv);
  struct inspect_opts io = {NULL, 1, 0};
  long v;
  int opt;
  optind = 1;
  while((opt = getopt_long(argc, argv, "f:o:qh", inspect_opts_long, NULL)) != -1) {
    int r = cli_out_option(&out, opt, optarg);
    if(r < 0)
      { cli_out_cleanup(&out); return EXIT_USAGE; }
    if(r > 0)
      continue;
    switch(opt) {
    case 3001:
      io.root = optarg;
      break;
    case 3002:
      io.probe_sockets = 0;
      break;
    case 3003:
      if(cli_parse_int("--probe-timeout", optarg, 1, 5000, &v))
        { cli_out_cleanup(&out); return EXIT_USAGE; }
      io.probe_timeout_ms = (int)v;
      break;
    case 'h':
      fputs(inspect_usage, stdout);
      cli_out_cleanup(&out);
      return EXIT_CLEAN;
    default:
      fputs(inspect_usage, stderr);
      { cli_out_cleanup(&out); return EXIT_USAGE; }
    }
  }
  if(optind != argc) {
    cli_error("inspect: unexpected argument '%s' (a captured tree goes after --root)", argv[optind]);
    { cli_out_cleanup(&out); return EXIT_USAGE; }
  }
  if(cli_out_ready(&out, "inspect"))
    { cli_out_cleanup(&out); return EXIT_USAGE; }
  /* A captured tree is never probed: its sockets are not ours to call. */
  if(io.root)
    io.probe_sockets = 0;
  struct wd_findings f;
  findings_init(&f);
  struct report r;
  report_init(&r, "inspect", io.root ? io.root : "live", &f);
  int rr = inspect_run_opts(&io, &f, &r);
  report_finalize(&r);
  report_rules_add(&r, "inspect", inspect_rules, inspect_nrules);
  int rc = cli_emit(&r, &out);
  if(rr < 0) {
    cli_error("inspect: %s", r.nnotes ? r.notes[0] : "nothing could be read");
    rc = EXIT_TARGET;
  }
  report_cleanup(&r);
  findings_cleanup(&f);
  cli_out_cleanup(&out);
  return rc;
}
