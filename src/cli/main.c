/*
 * main.c - warden's entry point: dispatch to a subcommand.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cli_db.h"

static const char usage[] =
  "warden " WARDEN_VERSION " - find how an API can be broken into, and how a break-in\n"
  "can escape its container to the host.\n"
  "\n"
  "usage: warden COMMAND [options]\n"
  "\n"
  "  scan URL        black-box scan of a live API (read-only by default)\n"
  "  iac PATH...     Dockerfiles, compose files and Kubernetes manifests\n"
  "  inspect         run inside a container: every way out it can see\n"
  "  checks          list every rule with its id and severity\n"
  "  config print    the options a command runs with (.warden.yml, --config)\n"
  "  config options  every option of scan, iac and inspect\n"
  "  history         runs recorded with scan --db, and a target's grades over time\n"
  "  diff A B        new, fixed and unchanged findings between two runs or reports\n"
  "  mcp             Model Context Protocol server on stdio (AI assistants)\n"
  "  version         print the version\n"
  "\n"
  "Exit codes: 0 clean, 1 findings at or above --fail-on (or score below\n"
  "--threshold), 2 usage or configuration error, 3 target could not be scanned.\n"
  "`warden COMMAND --help` for the options of a command.\n";

/* A closed standard stream would hand its number to the next open(): the
 * report file would then also receive error messages. Each closed one is
 * reopened on /dev/null - stdout read-only, so that a report written to a
 * closed stdout still fails (EBADF) and says so rather than vanish. */
static void reserve_std_fds(void)
{
  for(int fd = 0; fd <= 2; fd++) {
    if(fcntl(fd, F_GETFD) != -1 || errno != EBADF)
      continue;
    int n = open("/dev/null", fd == 2 ? O_WRONLY : O_RDONLY);
    if(n >= 0 && n != fd) {
      dup2(n, fd);
      close(n);
    }
  }
}

static int dispatch(int argc, char **argv);

int main(int argc, char **argv)
{
  reserve_std_fds();
  /* A reader that went away is a write error (EPIPE) to report, not a
   * silent death by SIGPIPE. */
  signal(SIGPIPE, SIG_IGN);
  return cli_stdout_done(dispatch(argc, argv));
}

static int dispatch(int argc, char **argv)
{
  if(argc < 2) {
    fputs(usage, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  int (*run)(int, char **) = !strcmp(cmd, "scan") ? cli_scan
                           : !strcmp(cmd, "iac") ? cli_iac
                           : !strcmp(cmd, "inspect") ? cli_inspect : NULL;
  if(run) {
    int nargc;
    char **nargv;
    if(cli_config_args(argc - 1, argv + 1, &nargc, &nargv))
      return EXIT_USAGE;
    int rc = run(nargc, nargv);
    cli_config_free(nargc, nargv);
    return rc;
  }
  if(!strcmp(cmd, "config"))
    return cli_config(argc - 1, argv + 1);
  if(!strcmp(cmd, "history"))
    return cli_history(argc - 1, argv + 1);
  if(!strcmp(cmd, "diff"))
    return cli_diff(argc - 1, argv + 1);
  if(!strcmp(cmd, "mcp"))
    return cli_mcp(argc - 1, argv + 1);
  if(!strcmp(cmd, "checks"))
    return cli_checks(argc - 1, argv + 1);
  if(!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
    printf("warden %s\n", WARDEN_VERSION);
    return EXIT_CLEAN;
  }
  if(!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
    fputs(usage, stdout);
    return EXIT_CLEAN;
  }
  fprintf(stderr, "warden: unknown command '%s'\n\n", cmd);
  fputs(usage, stderr);
  return EXIT_USAGE;
}
