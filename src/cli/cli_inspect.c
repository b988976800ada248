/*
 * cli_inspect.c - `warden inspect`: container-escape introspection.
 * Libc only, so the static warden-inspect links it too.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h> /* optind */

#include "cli.h"
#include "cli_opts.h"
#include "../inspect/inspect.h"

static const struct cli_cmd inspect_cmd = {
  "inspect", CLI_INSPECT,
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
  "\n",
  NULL,
};

static int inspect_set(void *ctx, const struct cli_opt *o, const char *arg, long num)
{
  struct inspect_opts *io = ctx;
  switch(o->id) {
  case OPT_ROOT:
    io->root = arg;
    return 0;
  case OPT_NO_PROBE:
    io->probe_sockets = 0;
    return 0;
  case OPT_PROBE_TIMEOUT:
    io->probe_timeout_ms = (int)num;
    return 0;
  default:
    cli_error("--%s: not an inspect option", o->name);
    return -1;
  }
}

int cli_inspect(int argc, char **argv)
{
  struct cli_out out;
  cli_out_init(&out);
  cli_out_args(&out, argc, argv);
  struct inspect_opts io = {NULL, 1, 0};
  int pr = cli_opts_parse(&inspect_cmd, argc, argv, &out, inspect_set, &io);
  if(pr) {
    cli_out_cleanup(&out);
    return pr > 0 ? EXIT_CLEAN : EXIT_USAGE;
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
