/*
 * fuzz_oauth.c - the reader of an OAuth2 token endpoint's answer
 * (--oauth2-token-url): the first byte picks the HTTP status (200 or
 * another), the rest is the body. It must return a token or say why,
 * never print the token in its reason, crash or leak.
 *
 * cli_oauth.c is compiled in; the CLI printer and the fetch (which this
 * harness never calls) are not linked: cli_error and http_post_form are
 * defined here.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli/cli.h"
#include "../../src/net/net_fetch.h"

void cli_error(const char *fmt, ...)
{
  (void)fmt;
}

long http_post_form(const struct http_opts *o, const char *url, const char *form,
                    const char *user, const char *pass, char **body, char *err,
                    size_t errlen)
{
  (void)o, (void)url, (void)form, (void)user, (void)pass, (void)err, (void)errlen;
  *body = NULL;
  abort(); /* never reached from the parser */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size < 1)
    return 0;
  char *body = malloc(size);
  if(!body)
    return 0;
  memcpy(body, data + 1, size - 1);
  body[size - 1] = '\0';
  char *token = NULL;
  char err[512] = "";
  int rc = cli_oauth_parse(data[0] & 1 ? 200 : 400, body, &token, err, sizeof(err));
  if(rc == 0) {
    if(!token || !*token || strchr(token, '\n'))
      abort();
    if(strstr(err, token))
      abort();
    free(token);
  } else if(token || strncmp(err, "--oauth2-token-url", 18) != 0) {
    abort();
  }
  free(body);
  return 0;
}
