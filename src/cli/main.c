/*
 * main.c - warden's entry point: dispatch to a subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

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
  "  version         print the version\n"
  "\n"
  "Exit codes: 0 clean, 1 findings at or above --fail-on (or score below\n"
  "--threshold), 2 usage or configuration error, 3 target could not be scanned.\n"
  "`warden COMMAND --help` for the options of a command.\n";

int main(int argc, char **argv)
{
  if(argc < 2) {
    fputs(usage, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[1];
  if(!strcmp(cmd, "scan"))
    return cli_scan(argc - 1, argv + 1);
  if(!strcmp(cmd, "iac"))
    return cli_iac(argc - 1, argv + 1);
  if(!strcmp(cmd, "inspect"))
    return cli_inspect(argc - 1, argv + 1);
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
