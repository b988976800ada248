/* Placeholder until the inspect side lands (issue 5): refuses clearly. */
#include "../cli/cli.h"

int cli_inspect(int argc, char **argv)
{
  (void)argc;
  (void)argv;
  cli_error("inspect: not built in this version");
  return EXIT_USAGE;
}
