/*
 * insp_main.c - the entry point of the static warden-inspect binary
 * (scripts/build-static-inspect.sh): `warden-inspect [options]` is
 * `warden inspect [options]`. Not part of the warden build.
 */
#include "cli.h"

int main(int argc, char **argv)
{
  return cli_inspect(argc, argv);
}
