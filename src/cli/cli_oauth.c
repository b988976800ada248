/*
 * cli_oauth.c - OAuth2 client credentials (RFC 6749 4.4) as the scan's
 * main credential: `--oauth2-token-url URL --client-id ID --client-secret
 * SECRET [--oauth2-scope S]`. The token is fetched before the scan and again,
 * through the scan's refresh hook (like --auth-cmd), when an
 * authenticated request gets 401. The client secret and every token are
 * secrets: masked wherever they would be printed.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "../net/net_fetch.h"
#include "../scan/scan.h"
#include "cli.h"

int cli_oauth_parse(long status, const char *body, char **token, char *err, size_t errlen)
{
  *token = NULL;
  json_error_t je;
  json_t *doc = json_loads(body, 0, &je);
  int rc = -1;
  json_t *tok = json_object_get(doc, "access_token");
  json_t *type = json_object_get(doc, "token_type");
  if(status != 200) {
    json_t *e = json_object_get(doc, "error");
    snprintf(err, errlen, "--oauth2-token-url: the token endpoint answered %ld%s%.64s", status,
             json_is_string(e) ? ": " : "", json_is_string(e) ? json_string_value(e) : "");
  } else if(!json_is_string(tok) || !*json_string_value(tok) ||
            strlen(json_string_value(tok)) != json_string_length(tok) ||
            strpbrk(json_string_value(tok), "\r\n")) {
    snprintf(err, errlen, "--oauth2-token-url: the answer holds no access_token%s%.200s",
             doc ? "" : " (not JSON: ", doc ? "" : je.text);
  } else if(!json_is_string(type) || strcasecmp(json_string_value(type), "bearer")) {
    snprintf(err, errlen, "--oauth2-token-url: token_type '%.32s' is not Bearer",
             json_is_string(type) ? json_string_value(type) : "(none)");
  } else {
    *token = xstrdup(json_string_value(tok));
    rc = 0;
  }
  json_decref(doc);
  return rc;
}

/* Fetches a token and makes it cred's value (kind Bearer). */
int cli_oauth_fetch(void *ctx, char *err, size_t errlen)
{
  struct cli_oauth *a = ctx;
  struct buf form;
  buf_init(&form, 8192);
  buf_appendz(&form, "grant_type=client_credentials");
  if(a->scope) {
    /* The scope is a space-separated list: form-encode it. */
    buf_appendz(&form, "&scope=");
    for(const unsigned char *p = (const unsigned char *)a->scope; *p; p++) {
      if((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
         strchr("-._~", *p))
        buf_append(&form, p, 1);
      else if(*p == ' ')
        buf_appendz(&form, "+");
      else
        buf_printf(&form, "%%%02X", *p);
    }
  }
  char *body = NULL;
  char ferr[256];
  long st = http_post_form(a->http, a->token_url, form.data, a->client_id, a->client_secret,
                           &body, ferr, sizeof(ferr));
  buf_cleanup(&form);
  if(st < 0) {
    snprintf(err, errlen, "--oauth2-token-url %s", ferr);
    return -1;
  }
  char *token = NULL;
  int rc = cli_oauth_parse(st, body, &token, err, errlen);
  free(body);
  if(rc == 0) {
    free(a->cred->value);
    a->cred->kind = CRED_BEARER;
    a->cred->value = token;
    a->fetched++;
  }
  return rc;
}
