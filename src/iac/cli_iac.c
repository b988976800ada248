/* Placeholder until the iac side lands (issue 4): refuses clearly. */
#include "../cli/cli.h"

int cli_iac(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  cli_error("iac: not built in this version");
  return EXIT_USAGE;
}
