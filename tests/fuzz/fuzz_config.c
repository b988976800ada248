/*
 * fuzz_config.c - the config file reader (.warden.yml / --config FILE):
 * YAML whose keys are option names, per command section. The harness
 * reads the real option table (cli_opts.c: options of each argument kind). A parser must
 * either return arguments or say why with the file's name in err, never
 * crash, leak or read past the input.
 *
 * The rest of the CLI is not linked: cli_error (its printer; the parser
 * reports through err), `config print`'s writer and the options printer,
 * which only `warden config` reaches, are defined here.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/cli.h"

void cli_error(const char *fmt, ...)
{
  (void)fmt;
}

void cli_print_options_yaml(FILE *out, int argc, char **argv, unsigned cmd)
{
  (void)out;
  (void)argc;
  (void)argv;
  (void)cmd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char err[512] = "";
  int n = 0;
  char **args = NULL;
  if(cli_config_parse((const char *)data, size, "fuzz.yml", "scan", &n, &args, err,
                      sizeof(err)) == 0) {
    for(int i = 0; i < n; i++)
      if(strncmp(args[i], "--", 2) != 0)
        abort(); /* every argument is an option */
    cli_config_free(n, args);
  } else if(strncmp(err, "fuzz.yml", 8) != 0) {
    abort(); /* an error that does not name the file */
  }
  return 0;
}
