/*
 * cli_scan_args.c - the options of `warden scan`: the handler of its rows
 * of the option table (cli_opts.c), then the checks across options and
 * targets, all before any traffic.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../checks/check.h"
#include "../net/net_tls.h"
#include "../scan/scan_jwt.h"
#include "cli.h"
#include "cli_db.h"
#include "cli_opts.h"
#include "cli_scan.h"

const struct cli_cmd scan_cmd = {
  "scan", CLI_SCAN,
  "usage: warden scan [options] URL [URL...]\n"
  "       warden scan [options] -l FILE\n"
  "\n"
  "Black-box scan of a live API. Read-only by default: sends only GET, HEAD and\n"
  "OPTIONS (writes only with --active), only to the URL's scheme, host and port\n"
  "(plus --scope), never following a redirect out of scope.\n"
  "\n",
  NULL,
};

void scan_args_init(struct scan_args *a, int argc, char **argv)
{
  memset(a, 0, sizeof(*a));
  a->argc = argc;
  a->argv = argv;
  a->so.http.concurrency = 32;
  a->so.http.timeout_ms = 10000;
  a->so.http.connect_timeout_ms = 5000;
  a->so.http.body_cap = 1024 * 1024;
  a->so.http.max_seconds = 300;
  a->so.http.user_agent = "warden/" WARDEN_VERSION;
  a->so.burst = 40;
  a->fo.parallel = 4;
  cli_out_init(&a->out);
  cli_out_args(&a->out, argc, argv);
  fleet_list_init(&a->targets);
}

void scan_args_cleanup(struct scan_args *a)
{
  fleet_list_cleanup(&a->targets);
  free(a->client_id);
  free(a->client_secret);
  cli_cred_free(&a->so.cred);
  cli_cred_free(&a->so.as2);
  http_list_free(a->headers);
  cli_out_cleanup(&a->out);
}

/* Adds v to a bounded list of option values. */
static int add_value(const char **list, size_t *n, size_t max, const char *what,
                     const char *v)
{
  if(*n >= max) {
    cli_error("%s: at most %zu", what, max);
    return -1;
  }
  list[(*n)++] = v;
  return 0;
}


/* One option of the scan's rows of the table (cli_opt_set). */
static int scan_set(void *ctx, const struct cli_opt *o, const char *arg, long num)
{
  struct scan_args *a = ctx;
  struct scan_opts *so = &a->so;
  char *end;
  switch(o->id) {
  case OPT_SPEC: so->spec = arg; return 0;
  case OPT_NO_DISCOVERY: so->no_discovery = 1; return 0;
  case OPT_AUTH_REQUIRED: so->auth_required = 1; return 0;
  case OPT_SIGNATURES:
    return add_value(so->signatures, &so->nsignatures, ARRAY_LEN(so->signatures), "--signatures", arg);
  case OPT_TEMPLATES:
    return add_value(so->templates, &so->ntemplates, ARRAY_LEN(so->templates), "--templates", arg);
  case OPT_BURST: so->burst = (int)num; return 0;
  case OPT_CANARY: so->canary = arg; return 0;
  case OPT_SCOPE:
    if(so->nscope >= SCOPE_MAX - 1) {
      cli_error("--scope: at most %d entries", SCOPE_MAX - 1);
      return -1;
    }
    so->scope[so->nscope++] = arg;
    return 0;
  case OPT_CONCURRENCY: so->http.concurrency = (int)num; return 0;
  case OPT_RATE:
    so->http.rate = strtod(arg, &end);
    if(*end || so->http.rate < 0) {
      cli_error("--rate: '%s' is not a number of requests per second", arg);
      return -1;
    }
    return 0;
  case OPT_TIMEOUT:
    so->http.timeout_ms = num * 1000;
    if(so->http.connect_timeout_ms > so->http.timeout_ms)
      so->http.connect_timeout_ms = so->http.timeout_ms;
    return 0;
  case OPT_MAX_TIME: so->http.max_seconds = (double)num; return 0;
  case OPT_BODY_CAP: so->http.body_cap = (size_t)num; return 0;
  case OPT_MAX_REQUESTS: so->max_requests = (size_t)num; return 0;
  case OPT_HEADER:
    if(!strchr(arg, ':') || arg[0] == ':' || strpbrk(arg, "\r\n")) {
      cli_error("-H: '%s' is not a 'Name: value' header", arg);
      return -1;
    }
    if(!a->headers) { /* the list is libcurl's: load it first */
      char err[400];
      if(http_global_init(err, sizeof(err))) {
        cli_error("-H: %s", err);
        return -1;
      }
    }
    a->headers = http_list_add(a->headers, arg);
    return 0;
  case OPT_INSECURE: so->http.insecure = 1; return 0;
  case OPT_ACTIVE: so->active = 1; return 0;
  case OPT_ALLOW_DELETE: so->allow_delete = 1; return 0;
  case OPT_MAX_WRITES:
    so->max_writes = (int)num;
    a->max_writes_set = 1;
    return 0;
  case OPT_VERBOSE: so->verbose = 1; return 0;
  case OPT_OAUTH2_TOKEN_URL: a->oauth.token_url = arg; return 0;
  case OPT_OAUTH2_SCOPE: a->oauth.scope = arg; return 0;
  case OPT_CLIENT_ID:
    free(a->client_id);
    return (a->client_id = cli_secret_value("--client-id", arg)) ? 0 : -1;
  case OPT_CLIENT_SECRET:
    free(a->client_secret);
    return (a->client_secret = cli_secret_value("--client-secret", arg)) ? 0 : -1;
  case OPT_AUTH_CMD:
    if(!arg[0]) {
      cli_error("--auth-cmd: empty command");
      return -1;
    }
    a->acmd.cmd = arg;
    return 0;
  case OPT_CACERT:
    if(!cli_file_readable("--cacert", arg))
      return -1;
    so->http.cacert = arg;
    return 0;
  case OPT_CERT:
    if(!cli_file_readable("--cert", arg))
      return -1;
    so->http.cert = arg;
    return 0;
  case OPT_KEY:
    if(!cli_file_readable("--key", arg))
      return -1;
    so->http.key = arg;
    return 0;
  case OPT_PROXY: so->http.proxy = arg; return 0;
  case OPT_BEARER:
  case OPT_API_KEY:
  case OPT_BASIC:
  case OPT_COOKIE: {
    char on[32];
    snprintf(on, sizeof(on), "--%s", o->name);
    enum cred_kind k = o->id == OPT_BEARER ? CRED_BEARER : o->id == OPT_API_KEY ? CRED_APIKEY
                     : o->id == OPT_BASIC ? CRED_BASIC : CRED_COOKIE;
    char *val = cli_secret_value(on, arg);
    return !val || cli_cred_set(&so->cred, on, k, val, NULL) ? -1 : 0;
  }
  case OPT_API_KEY_IN:
    if(strcmp(arg, "header") && strcmp(arg, "query")) {
      cli_error("--api-key-in: '%s' is not one of header, query", arg);
      return -1;
    }
    a->key_in_query = strcmp(arg, "query") == 0;
    return 0;
  case OPT_AS2: a->as2_arg = arg; return 0;
  case OPT_JWT_WORDLIST:
    if(!cli_file_readable("--jwt-wordlist", arg))
      return -1;
    so->jwt_wordlist = arg;
    return 0;
  case OPT_IAC:
    if(so->niac >= ARRAY_LEN(so->iac_paths)) {
      cli_error("--iac: at most %zu paths", ARRAY_LEN(so->iac_paths));
      return -1;
    }
    so->iac_paths[so->niac++] = arg;
    return 0;
  case OPT_INSPECT_REPORT: so->inspect_report = arg; return 0;
  case OPT_LIST:
    if(a->nlists >= ARRAY_LEN(a->lists)) {
      cli_error("--list: at most %zu lists", ARRAY_LEN(a->lists));
      return -1;
    }
    a->lists[a->nlists++] = arg;
    return 0;
  case OPT_PARALLEL: a->fo.parallel = (int)num; return 0;
  case OPT_PER_HOST: a->fo.per_host = (int)num; return 0;
  case OPT_SHARD: {
    char serr[200];
    if(fleet_shard_parse(arg, &a->fo.shard_i, &a->fo.shard_n, serr, sizeof(serr))) {
      cli_error("%s", serr);
      return -1;
    }
    a->fo.shard_arg = arg;
    return 0;
  }
  case OPT_DB: a->db_where = cli_db_optarg(a->argc, a->argv); return 0;
  case OPT_IPV4:
  case OPT_IPV6: {
    int fam = o->id == OPT_IPV4 ? 4 : 6;
    if(a->family && a->family != fam) {
      cli_error("-4 and -6 exclude each other");
      return -1;
    }
    a->family = fam;
    return 0;
  }
  default:
    cli_error("--%s: not a scan option", o->name);
    return -1;
  }
}

int scan_args_parse(struct scan_args *a)
{
  int pr = cli_opts_parse(&scan_cmd, a->argc, a->argv, &a->out, scan_set, a);
  if(pr)
    return pr;
  /* Every scan sends requests: libcurl is loaded now (warden is not
   * linked with it: src/net/net_curl_load.h), before any thread starts
   * and before the target URLs are read with its URL parser, so that a
   * missing libcurl.so.4 is said as such, not as an invalid URL. */
  char lerr[400];
  if(http_global_init(lerr, sizeof(lerr))) {
    cli_error("%s", lerr);
    return -1;
  }
  if(a->acmd.cmd) {
    if(a->so.cred.kind != CRED_NONE) {
      cli_error("--auth-cmd: only one credential per identity (drop --bearer/--api-key/--basic/--cookie)");
      return -1;
    }
    char aerr[256];
    char *line = cli_auth_cmd_line(a->acmd.cmd, aerr, sizeof(aerr));
    if(!line || cli_auth_cmd_cred(&a->so.cred, line, aerr, sizeof(aerr))) {
      cli_error("%s", aerr);
      return -1;
    }
    a->acmd.cred = &a->so.cred;
    a->so.refresh_cred = cli_auth_cmd_refresh;
    a->so.refresh_ctx = &a->acmd;
    a->so.refresh_max = 3;
  }
  if(a->oauth.token_url || a->client_id || a->client_secret || a->oauth.scope) {
    if(!a->oauth.token_url || !a->client_id || !a->client_secret) {
      cli_error("--oauth2-token-url, --client-id and --client-secret go together (--oauth2-scope is optional)");
      return -1;
    }
    if(a->so.cred.kind != CRED_NONE) {
      cli_error("--oauth2-token-url: only one credential per identity (drop --bearer/--api-key/--basic/--cookie/--auth-cmd)");
      return -1;
    }
    if(strncmp(a->oauth.token_url, "http://", 7) && strncmp(a->oauth.token_url, "https://", 8)) {
      cli_error("--oauth2-token-url %s: an http:// or https:// URL is expected", a->oauth.token_url);
      return -1;
    }
    a->oauth.client_id = a->client_id;
    a->oauth.client_secret = a->client_secret;
    a->oauth.http = &a->so.http;
    a->oauth.cred = &a->so.cred;
    char oerr[512];
    if(cli_oauth_fetch(&a->oauth, oerr, sizeof(oerr))) {
      cli_error("%s", oerr);
      return -1;
    }
    a->so.refresh_cred = cli_oauth_fetch;
    a->so.refresh_ctx = &a->oauth;
    a->so.refresh_max = 3;
    a->so.refresh_name = "--oauth2-token-url";
  }
  if(!a->so.active && (a->so.allow_delete || a->max_writes_set)) {
    cli_error("%s needs --active (which is never implied)",
              a->so.allow_delete ? "--allow-delete" : "--max-writes");
    return -1;
  }
  if(!a->so.active && a->so.canary) {
    cli_error("--canary needs --active (which is never implied)");
    return -1;
  }
  if(!a->max_writes_set)
    a->so.max_writes = 25;
  if(a->key_in_query) {
    if(a->so.cred.kind != CRED_APIKEY) {
      cli_error("--api-key-in needs --api-key");
      return -1;
    }
    a->so.cred.in_query = 1;
  }
  if(a->as2_arg) {
    static const struct { const char *p; enum cred_kind k; } kinds[] = {
      {"bearer:", CRED_BEARER}, {"api-key:", CRED_APIKEY},
      {"basic:", CRED_BASIC}, {"cookie:", CRED_COOKIE},
    };
    size_t i;
    for(i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
      if(strncmp(a->as2_arg, kinds[i].p, strlen(kinds[i].p)) == 0)
        break;
    if(i == sizeof(kinds) / sizeof(kinds[0])) {
      cli_error("--as2: expected bearer:TOKEN, api-key:VALUE, basic:USER:PASS or cookie:STR");
      return -1;
    }
    char *val = cli_secret_value("--as2", a->as2_arg + strlen(kinds[i].p));
    if(!val || cli_cred_set(&a->so.as2, "--as2", kinds[i].k, val,
                        a->so.cred.kind == CRED_APIKEY ? a->so.cred.name : NULL))
      return -1;
    a->so.as2.in_query = a->so.cred.in_query;
  }
  char jerr[200];
  if(a->so.cred.kind == CRED_BEARER && jwt_malformed(a->so.cred.value, jerr, sizeof(jerr))) {
    cli_error("--bearer: %s", jerr);
    return -1;
  }
  if(a->so.as2.kind == CRED_BEARER && jwt_malformed(a->so.as2.value, jerr, sizeof(jerr))) {
    cli_error("--as2: %s", jerr);
    return -1;
  }
  a->multi = a->nlists > 0 || a->fo.shard_n > 0 || a->argc - optind > 1;
  if(optind >= a->argc && !a->nlists) {
    cli_error("scan: no URL given");
    cli_opts_help(stderr, &scan_cmd);
    return -1;
  }
  if(a->multi || a->family) {
    /* Every target is checked before any traffic: a bad one is named
     * (its list and line) and nothing is scanned. */
    char lerr[600];
    for(int i = optind; i < a->argc; i++)
      if(fleet_add_url(&a->targets, a->argv[i], a->family, lerr, sizeof(lerr))) {
        cli_error("%s", lerr);
        return -1;
      }
    for(size_t i = 0; i < a->nlists; i++)
      if(fleet_load(&a->targets, a->lists[i], a->family, lerr, sizeof(lerr))) {
        cli_error("%s", lerr);
        return -1;
      }
    for(size_t i = 0; i < a->targets.n; i++) {
      const struct fleet_target *t = &a->targets.v[i];
      if(t->spec && strncmp(t->spec, "http://", 7) && strncmp(t->spec, "https://", 8) &&
         access(t->spec, R_OK)) {
        cli_error("%s:%d: --spec %s: cannot read the file: %s", t->list, t->line, t->spec,
                  strerror(errno));
        return -1;
      }
    }
    if(a->fo.shard_n)
      fleet_select(&a->targets, a->fo.shard_i, a->fo.shard_n);
    else
      fleet_select(&a->targets, 0, 1);
  }
  if((a->so.http.cert == NULL) != (a->so.http.key == NULL)) {
    cli_error("--cert and --key go together");
    return -1;
  }
  {
    /* PEM that parses, a key that matches: checked before any traffic. */
    char terr[512];
    if(tls_check_files(a->so.http.cert, a->so.http.key, a->so.http.cacert, terr, sizeof(terr))) {
      cli_error("%s", terr);
      return -1;
    }
  }
  /* A bad --ignore or --baseline stops the scan before any traffic. */
  if(cli_out_ready(&a->out, "scan"))
    return -1;
  a->so.iac_analyze = cli_iac_analyze;
  a->so.checks = check_registry;
  a->so.http.headers = a->headers;
  a->so.http.ip_family = a->family;
  return 0;
}
