/*
 * fuzz_mcp.c - `warden mcp`'s reader: one JSON-RPC line from an MCP
 * client, answered as a server with no allowed target that starts no
 * child. Every answer must be one line of JSON-RPC 2.0 (a result or an
 * error), whatever the input; never a crash, a leak or a read past it.
 *
 * cli_error is the CLI's printer (cli_out.c), not linked here; the MCP
 * server answers through its output stream.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/cli.h"

void cli_error(const char *fmt, ...)
{
  (void)fmt;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  char *out = NULL;
  size_t outlen = 0;
  FILE *f = open_memstream(&out, &outlen);
  if(!f)
    return 0;
  cli_mcp_answer(f, (const char *)data, size);
  fclose(f);
  /* Each answer is one line holding a JSON-RPC 2.0 object. */
  for(char *line = out, *nl; line && *line; line = nl + 1) {
    nl = strchr(line, '\n');
    if(!nl)
      abort(); /* an answer without its newline */
    json_t *j = json_loadb(line, (size_t)(nl - line), 0, NULL);
    json_t *v = json_object_get(j, "jsonrpc");
    if(!json_is_string(v) || strcmp(json_string_value(v), "2.0") ||
       (!json_object_get(j, "result") == !json_object_get(j, "error")))
      abort();
    json_decref(j);
  }
  free(out);
  return 0;
}
