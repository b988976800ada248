/*
 * cli_cred.c - the scan's credentials from the command line: @FILE and
 * env:NAME values, --bearer/--api-key/--basic/--cookie/--as2 into a
 * struct cred, and --auth-cmd (run, parse, run again on a 401).
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/core_alloc.h"
#include "cli.h"
#include "cli_scan.h"

int cli_file_readable(const char *opt, const char *path)
{
  if(access(path, R_OK) == 0)
    return 1;
  cli_error("%s %s: file cannot be read", opt, path);
  return 0;
}

/* Resolves "@path" (first line of the file) and "env:NAME"; anything
 * else is the value itself. Returns a heap string, or NULL with a
 * message naming the option and the source. */
char *cli_secret_value(const char *opt, const char *arg)
{
  if(arg[0] == '@') {
    FILE *f = fopen(arg + 1, "r");
    if(!f) {
      cli_error("%s %s: cannot read the file: %s", opt, arg, strerror(errno));
      return NULL;
    }
    char line[8192];
    if(!fgets(line, sizeof(line), f)) {
      fclose(f);
      cli_error("%s %s: the file is empty", opt, arg);
      return NULL;
    }
    fclose(f);
    line[strcspn(line, "\r\n")] = '\0';
    return xstrdup(line);
  }
  if(strncmp(arg, "env:", 4) == 0) {
    const char *v = getenv(arg + 4);
    if(!v || !*v) {
      cli_error("%s %s: the environment variable is not set", opt, arg);
      return NULL;
    }
    return xstrdup(v);
  }
  return xstrdup(arg);
}

static char *b64(const char *s)
{
  size_t n = strlen(s);
  char *out = xmalloc(4 * ((n + 2) / 3) + 1);
  EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)s, (int)n);
  return out;
}

/* Fills c from KIND and VALUE (already resolved). main_key_name: the API
 * key name of the main identity, for "--as2 api-key:VALUE". */
int cli_cred_set(struct cred *c, const char *opt, enum cred_kind kind,
                    char *value, const char *main_key_name)
{
  if(c->kind != CRED_NONE) {
    cli_error("%s: only one credential per identity", opt);
    free(value);
    return -1;
  }
  c->kind = kind;
  if(kind == CRED_APIKEY) {
    char *eq = strchr(value, '=');
    if(eq && eq != value) {
      *eq = '\0';
      c->name = xstrdup(value);
      c->value = xstrdup(eq + 1);
      free(value);
    } else if(main_key_name) {
      c->name = xstrdup(main_key_name);
      c->value = value;
    } else {
      cli_error("%s: expected NAME=VALUE (e.g. X-API-Key=...)", opt);
      free(value);
      return -1;
    }
    if(!c->value[0] || strpbrk(c->name, " :\r\n")) {
      cli_error("%s: expected NAME=VALUE with a non-empty value and a header-safe name", opt);
      return -1;
    }
    return 0;
  }
  if(kind == CRED_BASIC) {
    if(!strchr(value, ':')) {
      cli_error("%s: expected USER:PASS", opt);
      free(value);
      return -1;
    }
    c->value = b64(value);
    free(value);
    return 0;
  }
  if(strpbrk(value, "\r\n") || !value[0]) {
    cli_error("%s: the value is empty or spans lines", opt);
    free(value);
    return -1;
  }
  c->value = value;
  return 0;
}

/* --auth-cmd: runs cmd with sh -c and returns its first non-empty output
 * line (at most 8 KiB kept), or NULL with err. The value is a secret: err
 * never quotes the output. */
char *cli_auth_cmd_line(const char *cmd, char *err, size_t errlen)
{
  fflush(NULL);
  FILE *f = popen(cmd, "r");
  if(!f) {
    snprintf(err, errlen, "--auth-cmd: cannot run the command: %s", strerror(errno));
    return NULL;
  }
  char buf[8192];
  size_t n = 0, r;
  char sink[4096];
  while(n < sizeof(buf) - 1 && (r = fread(buf + n, 1, sizeof(buf) - 1 - n, f)) > 0)
    n += r;
  while(fread(sink, 1, sizeof(sink), f) > 0) {
  }
  buf[n] = '\0';
  int st = pclose(f);
  if(st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
    if(st != -1 && WIFEXITED(st))
      snprintf(err, errlen, "--auth-cmd: the command failed (exit %d)", WEXITSTATUS(st));
    else
      snprintf(err, errlen, "--auth-cmd: the command did not finish normally");
    return NULL;
  }
  char *line = strtok(buf, "\r\n");
  while(line && strspn(line, " \t") == strlen(line))
    line = strtok(NULL, "\r\n");
  if(!line) {
    snprintf(err, errlen, "--auth-cmd: the command printed nothing");
    return NULL;
  }
  char *out = xstrdup(line + strspn(line, " \t"));
  memset(buf, 0, sizeof(buf));
  return out;
}

/* Turns the command's line into a credential: "Name: value" is that
 * header (Authorization: Bearer/Basic, Cookie, or an API key header), any
 * other line a bearer token. 0, or -1 with err. */
int cli_auth_cmd_cred(struct cred *c, char *line, char *err, size_t errlen)
{
  memset(c, 0, sizeof(*c));
  char *colon = strchr(line, ':');
  int header = colon && colon != line && !memchr(line, ' ', (size_t)(colon - line)) &&
               colon[1] == ' ';
  if(!header) {
    c->kind = CRED_BEARER;
    c->value = line;
    return 0;
  }
  *colon = '\0';
  char *v = colon + 1 + strspn(colon + 1, " \t");
  if(!*v) {
    snprintf(err, errlen, "--auth-cmd: the header %s has no value", line);
    free(line);
    return -1;
  }
  if(!strcasecmp(line, "Authorization") && !strncasecmp(v, "Bearer ", 7)) {
    c->kind = CRED_BEARER;
    c->value = xstrdup(v + 7);
  } else if(!strcasecmp(line, "Authorization") && !strncasecmp(v, "Basic ", 6)) {
    c->kind = CRED_BASIC;
    c->value = xstrdup(v + 6);
  } else if(!strcasecmp(line, "Cookie")) {
    c->kind = CRED_COOKIE;
    c->value = xstrdup(v);
  } else {
    c->kind = CRED_APIKEY;
    c->name = xstrdup(line);
    c->value = xstrdup(v);
  }
  memset(v, 0, strlen(v));
  free(line);
  return 0;
}

/* The scan's refresh hook: run the command again; the credential must keep
 * its kind (and header name). */
int cli_auth_cmd_refresh(void *ctx, char *err, size_t errlen)
{
  struct auth_cmd *a = ctx;
  char *line = cli_auth_cmd_line(a->cmd, err, errlen);
  struct cred c;
  if(!line || cli_auth_cmd_cred(&c, line, err, errlen))
    return -1;
  if(c.kind != a->cred->kind || (c.name && a->cred->name && strcmp(c.name, a->cred->name))) {
    snprintf(err, errlen, "the command printed another kind of credential than at the start");
    free(c.name);
    free(c.value);
    return -1;
  }
  free(c.name);
  free(a->cred->value);
  a->cred->value = c.value;
  return 0;
}

void cli_cred_free(struct cred *c)
{
  free(c->name);
  free(c->value);
  memset(c, 0, sizeof(*c));
}
