/*
 * cli_scan.c - `warden scan URL`.
 */
#include <curl/curl.h>
#include <errno.h>
#include <openssl/evp.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/core_alloc.h"
#include "../net/net_tls.h"
#include "../checks/check.h"
#include "../correlate/corr.h"
#include "../iac/iac.h"
#include "../scan/scan.h"
#include "../scan/scan_jwt.h"
#include "cli.h"
#include "cli_db.h"
#include "cli_fleet.h"

static const char scan_usage[] =
  "usage: warden scan [options] URL [URL...]\n"
  "       warden scan [options] -l FILE\n"
  "\n"
  "Black-box scan of a live API. Read-only by default: sends only GET, HEAD and\n"
  "OPTIONS (writes only with --active), only to the URL's scheme, host and port\n"
  "(plus --scope), never following a redirect out of scope.\n"
  "\n"
  "Discovery\n"
  "      --spec FILE|URL       OpenAPI/Swagger document (JSON or YAML)\n"
  "      --no-discovery        only the URL and the spec: no well-known paths\n"
  "      --auth-required       every route must need credentials\n"
  "      --scope HOST[:PORT]   also allow this host (repeatable)\n"
  "      --signatures DIR|FILE more exposure signatures (YAML, docs/signatures.md)\n"
  "      --templates DIR|FILE  nuclei HTTP templates to run too (the ones warden\n"
  "                            can honour; the others are skipped with the reason)\n"
  "      --burst N             rate-limit test: N GETs of one cheap read route (and of\n"
  "                            each login/token route found), within --rate (default 40;\n"
  "                            0 sends no burst)\n"
  "Active mode (changes the target; every write is listed in the report)\n"
  "      --active              also send the spec's POST, PUT and PATCH operations\n"
  "                            (bodies from its schemas) and the checks' write and\n"
  "                            attack probes; never implied by anything else\n"
  "      --allow-delete        with --active: DELETE too (the spec's, sent last)\n"
  "      --max-writes N        with --active: at most N writes (default 25)\n"
  "      --canary HOST:PORT    with --active: the SSRF canary listener binds there and\n"
  "                            the canary URLs name it (default 127.0.0.1, any port)\n"
  "Engine\n"
  "  -c, --concurrency N       requests in flight (default 32)\n"
  "      --rate N              requests per second (default unlimited)\n"
  "      --timeout SEC         per request (default 10)\n"
  "      --max-time SEC        whole scan budget (default 300)\n"
  "      --body-cap BYTES      bytes kept of each body (default 1048576)\n"
  "      --max-requests N      requests sent at most (default 100000); past it the\n"
  "                            report is partial and says how many were left out\n"
  "  -H, --header 'N: V'       extra header on every request (repeatable)\n"
  "  -k, --insecure            do not verify the server certificate\n"
  "      --cacert FILE         trust this CA bundle (PEM)\n"
  "      --cert FILE --key FILE  client certificate (PEM) for mutual TLS\n"
  "      --proxy URL           send through this proxy\n"
  "Credentials (each VALUE may be @FILE or env:NAME, to keep it out of shell history)\n"
  "      --bearer TOKEN        Authorization: Bearer (a JWT is also analysed)\n"
  "      --api-key NAME=VALUE  API key, as a header named NAME by default\n"
  "      --api-key-in header|query  where the API key goes\n"
  "      --basic USER:PASS     HTTP Basic authentication\n"
  "      --cookie 'a=b; c=d'   session cookie(s)\n"
  "      --as2 KIND:VALUE      a second, low-privilege identity for authorization\n"
  "                            tests: bearer:TOKEN, api-key:VALUE, basic:USER:PASS, cookie:STR\n"
  "      --jwt-wordlist FILE   more secrets to try on an HS256/384/512 token (offline)\n"
  "      --auth-cmd 'COMMAND'  run COMMAND (sh -c) for the main credential: its first line\n"
  "                            is a header ('X-API-Key: k', 'Authorization: Bearer t') or a\n"
  "                            bare token; run again when a request gets 401 (3 times at most)\n"
  "      --oauth2-token-url URL  OAuth2 client credentials: fetch a Bearer token there\n"
  "      --client-id ID        (with --client-secret SECRET, sent with HTTP Basic, and\n"
  "      --client-secret SECRET  --scope S); fetched again when a request gets 401\n"
  "      --scope S\n"
  "  -v, --verbose             debug lines on stderr (why each route was or was not\n"
  "                            taken as a witness for the forged-credential tests)\n"
  "Many targets (each gets a complete report of its own; docs/cli.md)\n"
  "  -l, --list FILE           targets, one per line ('-': standard input); a line\n"
  "                            may add --spec FILE, --scope HOST, --no-discovery,\n"
  "                            --auth-required for its target; '#' starts a comment\n"
  "      --parallel N          targets scanned at once (default 4)\n"
  "      --per-host N          requests in flight to one host, over all its targets\n"
  "      --shard I/N           scan only shard I of N (by a hash of each URL)\n"
  "  -4, -6                    IPv4 or IPv6 targets only\n"
  "                            (--rate then counts every target's requests)\n"
  "History (docs/history.md; `warden history`, `warden diff`)\n"
  "      --db [PATH|URI]       record the run: a SQLite file (default warden.db)\n"
  "                            or postgresql://... (one transaction per target)\n"
  "Correlation (attack chains across the sides of warden)\n"
  "      --iac PATH            also analyse these deployment files (repeatable)\n"
  "      --inspect-report FILE a JSON report of `warden inspect` from the container\n"
  "Report\n"
  CLI_OUT_HELP;

const struct option scan_opts_long[] = {
  {"spec", required_argument, NULL, 2001},
  {"no-discovery", no_argument, NULL, 2002},
  {"auth-required", no_argument, NULL, 2003},
  {"scope", required_argument, NULL, 2004},
  {"concurrency", required_argument, NULL, 'c'},
  {"rate", required_argument, NULL, 2005},
  {"timeout", required_argument, NULL, 2006},
  {"max-time", required_argument, NULL, 2007},
  {"body-cap", required_argument, NULL, 2008},
  {"max-requests", required_argument, NULL, 2090},
  {"header", required_argument, NULL, 'H'},
  {"insecure", no_argument, NULL, 'k'},
  {"cacert", required_argument, NULL, 2009},
  {"cert", required_argument, NULL, 2010},
  {"key", required_argument, NULL, 2011},
  {"proxy", required_argument, NULL, 2012},
  {"bearer", required_argument, NULL, 2013},
  {"api-key", required_argument, NULL, 2014},
  {"api-key-in", required_argument, NULL, 2015},
  {"basic", required_argument, NULL, 2016},
  {"cookie", required_argument, NULL, 2017},
  {"as2", required_argument, NULL, 2018},
  {"jwt-wordlist", required_argument, NULL, 2040},
  {"iac", required_argument, NULL, 2019},
  {"inspect-report", required_argument, NULL, 2020},
  {"verbose", no_argument, NULL, 'v'},
  {"auth-cmd", required_argument, NULL, 2060},
  {"oauth2-token-url", required_argument, NULL, 2061},
  {"client-id", required_argument, NULL, 2062},
  {"client-secret", required_argument, NULL, 2063},
  {"scope", required_argument, NULL, 2064},
  {"signatures", required_argument, NULL, 2041},
  {"templates", required_argument, NULL, 2042},
  {"active", no_argument, NULL, 2070},
  {"allow-delete", no_argument, NULL, 2071},
  {"max-writes", required_argument, NULL, 2072},
  {"burst", required_argument, NULL, 2301},
  {"list", required_argument, NULL, 'l'},
  {"parallel", required_argument, NULL, 2400},
  {"per-host", required_argument, NULL, 2401},
  {"shard", required_argument, NULL, 2402},
  {"ipv4", no_argument, NULL, '4'},
  {"ipv6", no_argument, NULL, '6'},
  {"db", optional_argument, NULL, 2073},
  {"canary", required_argument, NULL, 2302},
  {"help", no_argument, NULL, 'h'},
  CLI_OUT_OPTIONS,
  {NULL, 0, NULL, 0},
};

static int file_readable(const char *opt, const char *path)
{
  if(access(path, R_OK) == 0)
    return 1;
  cli_error("%s %s: file cannot be read", opt, path);
  return 0;
}

/* Resolves "@path" (first line of the file) and "env:NAME"; anything
 * else is the value itself. Returns a heap string, or NULL with a
 * message naming the option and the source. */
static char *secret_value(const char *opt, const char *arg)
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
static int cred_set(struct cred *c, const char *opt, enum cred_kind kind,
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
static char *auth_cmd_line(const char *cmd, char *err, size_t errlen)
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
static int auth_cmd_cred(struct cred *c, char *line, char *err, size_t errlen)
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

struct auth_cmd {
  const char *cmd;
  struct cred *cred; /* the scan's main identity, rewritten in place */
};

/* The scan's refresh hook: run the command again; the credential must keep
 * its kind (and header name). */
static int auth_cmd_refresh(void *ctx, char *err, size_t errlen)
{
  struct auth_cmd *a = ctx;
  char *line = auth_cmd_line(a->cmd, err, errlen);
  struct cred c;
  if(!line || auth_cmd_cred(&c, line, err, errlen))
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

static void cred_free(struct cred *c)
{
  free(c->name);
  free(c->value);
  memset(c, 0, sizeof(*c));
}

/* The JSON report must stay valid even when the scan never started. */
static int scan_fail_json(const struct cli_out *out, const char *url,
                          const char *why, int code, struct cli_db *db, long long dbscan)
{
  if(strcmp(out->format, "json") && !db->st)
    return code;
  struct wd_findings f;
  findings_init(&f);
  struct report r;
  report_init(&r, "scan", url ? url : "", &f);
  r.status = REP_FAILED;
  r.requests = 0;
  report_note(&r, "%s", why);
  report_finalize(&r);
  cli_db_scan_end(db, dbscan, &r, code);
  if(!strcmp(out->format, "json"))
    cli_write_report(&r, out, 0); /* says so if it fails; the code stays */
  report_cleanup(&r);
  findings_cleanup(&f);
  return code;
}

/* The progress line on a terminal's stderr (scan_opts.progress). */
static void cli_progress(size_t completed, size_t queued, size_t findings, int final)
{
  fprintf(stderr, "\r\033[Kwarden: %zu/%zu requests, %zu findings%s", completed, queued,
          findings, final ? "\n" : "");
}

/* scan_opts.on_finding for one target: the JSON line goes to stdout at
 * once, and is not written again with the summary. */
static void cli_stream_finding(void *ctx, const struct scan *s, struct wd_finding *f)
{
  (void)ctx;
  rep_jsonl_finding(stdout, "scan", s->shown_url, f);
  f->streamed = 1;
}

int cli_scan(int argc, char **argv)
{
  struct scan_opts so;
  memset(&so, 0, sizeof(so));
  so.http.concurrency = 32;
  so.http.timeout_ms = 10000;
  so.http.connect_timeout_ms = 5000;
  so.http.body_cap = 1024 * 1024;
  so.http.max_seconds = 300;
  so.http.user_agent = "warden/" WARDEN_VERSION;
  so.burst = 40;
  struct cli_out out;
  cli_out_init(&out);
  cli_out_args(&out, argc, argv);
  struct curl_slist *headers = NULL;
  int rc = EXIT_USAGE;
  int key_in_query = 0;
  int max_writes_set = 0;
  const char *as2_arg = NULL;
  struct auth_cmd acmd = {NULL, NULL};
  struct cli_fleet_opts fo = {.parallel = 4};
  const char *lists[8];
  size_t nlists = 0;
  int family = 0;
  struct fleet_list targets;
  fleet_list_init(&targets);
  const char *db_where = NULL;
  struct cli_db db;
  memset(&db, 0, sizeof(db));
  struct cli_oauth oauth;
  memset(&oauth, 0, sizeof(oauth));
  char *client_id = NULL, *client_secret = NULL;
  long v;
  char *end;
  int opt;
  optind = 1;
  while((opt = getopt_long(argc, argv, "c:H:kf:o:qvhl:46", scan_opts_long, NULL)) != -1) {
    int r = cli_out_option(&out, opt, optarg);
    if(r < 0)
      goto done;
    if(r > 0)
      continue;
    switch(opt) {
    case 2001: so.spec = optarg; break;
    case 2002: so.no_discovery = 1; break;
    case 2041:
      if(so.nsignatures >= sizeof(so.signatures) / sizeof(so.signatures[0])) {
        cli_error("--signatures: at most %zu", sizeof(so.signatures) / sizeof(so.signatures[0]));
        goto done;
      }
      so.signatures[so.nsignatures++] = optarg;
      break;
    case 2042:
      if(so.ntemplates >= sizeof(so.templates) / sizeof(so.templates[0])) {
        cli_error("--templates: at most %zu", sizeof(so.templates) / sizeof(so.templates[0]));
        goto done;
      }
      so.templates[so.ntemplates++] = optarg;
      break;
    case 2003: so.auth_required = 1; break;
    case 2301:
      if(cli_parse_int("--burst", optarg, 0, 1000, &v))
        goto done;
      so.burst = (int)v;
      break;
    case 2302: so.canary = optarg; break;
    case 2004:
      if(so.nscope >= SCOPE_MAX - 1) {
        cli_error("--scope: at most %d entries", SCOPE_MAX - 1);
        goto done;
      }
      so.scope[so.nscope++] = optarg;
      break;
    case 'c':
      if(cli_parse_int("--concurrency", optarg, 1, 1024, &v))
        goto done;
      so.http.concurrency = (int)v;
      break;
    case 2005:
      so.http.rate = strtod(optarg, &end);
      if(*end || so.http.rate < 0) {
        cli_error("--rate: '%s' is not a number of requests per second", optarg);
        goto done;
      }
      break;
    case 2006:
      if(cli_parse_int("--timeout", optarg, 1, 3600, &v))
        goto done;
      so.http.timeout_ms = v * 1000;
      if(so.http.connect_timeout_ms > so.http.timeout_ms)
        so.http.connect_timeout_ms = so.http.timeout_ms;
      break;
    case 2007:
      if(cli_parse_int("--max-time", optarg, 1, 86400, &v))
        goto done;
      so.http.max_seconds = (double)v;
      break;
    case 2008:
      if(cli_parse_int("--body-cap", optarg, 1024, 256L * 1024 * 1024, &v))
        goto done;
      so.http.body_cap = (size_t)v;
      break;
    case 2090:
      if(cli_parse_int("--max-requests", optarg, 1, 100000000L, &v))
        goto done;
      so.max_requests = (size_t)v;
      break;
    case 'H':
      if(!strchr(optarg, ':') || optarg[0] == ':' || strpbrk(optarg, "\r\n")) {
        cli_error("-H: '%s' is not a 'Name: value' header", optarg);
        goto done;
      }
      headers = curl_slist_append(headers, optarg);
      break;
    case 'k': so.http.insecure = 1; break;
    case 2070: so.active = 1; break;
    case 2071: so.allow_delete = 1; break;
    case 2072:
      if(cli_parse_int("--max-writes", optarg, 0, 100000, &v))
        goto done;
      so.max_writes = (int)v;
      max_writes_set = 1;
      break;
    case 'v': so.verbose = 1; break;
    case 2061:
      oauth.token_url = optarg;
      break;
    case 2062:
      free(client_id);
      if(!(client_id = secret_value("--client-id", optarg)))
        goto done;
      break;
    case 2063:
      free(client_secret);
      if(!(client_secret = secret_value("--client-secret", optarg)))
        goto done;
      break;
    case 2064:
      oauth.scope = optarg;
      break;
    case 2060:
      if(!optarg[0]) {
        cli_error("--auth-cmd: empty command");
        goto done;
      }
      acmd.cmd = optarg;
      break;
    case 2009:
      if(!file_readable("--cacert", optarg))
        goto done;
      so.http.cacert = optarg;
      break;
    case 2010:
      if(!file_readable("--cert", optarg))
        goto done;
      so.http.cert = optarg;
      break;
    case 2011:
      if(!file_readable("--key", optarg))
        goto done;
      so.http.key = optarg;
      break;
    case 2012: so.http.proxy = optarg; break;
    case 2013:
    case 2016:
    case 2017:
    case 2014: {
      const char *on = opt == 2013 ? "--bearer" : opt == 2014 ? "--api-key"
                     : opt == 2016 ? "--basic" : "--cookie";
      enum cred_kind k = opt == 2013 ? CRED_BEARER : opt == 2014 ? CRED_APIKEY
                       : opt == 2016 ? CRED_BASIC : CRED_COOKIE;
      char *val = secret_value(on, optarg);
      if(!val || cred_set(&so.cred, on, k, val, NULL))
        goto done;
      break;
    }
    case 2015:
      if(strcmp(optarg, "header") && strcmp(optarg, "query")) {
        cli_error("--api-key-in: '%s' is not one of header, query", optarg);
        goto done;
      }
      key_in_query = strcmp(optarg, "query") == 0;
      break;
    case 2018:
      as2_arg = optarg;
      break;
    case 2040:
      if(!file_readable("--jwt-wordlist", optarg))
        goto done;
      so.jwt_wordlist = optarg;
      break;
    case 2019:
      if(so.niac >= sizeof(so.iac_paths) / sizeof(so.iac_paths[0])) {
        cli_error("--iac: at most %zu paths", sizeof(so.iac_paths) / sizeof(so.iac_paths[0]));
        goto done;
      }
      so.iac_paths[so.niac++] = optarg;
      break;
    case 2020:
      so.inspect_report = optarg;
      break;
    case 'l':
      if(nlists >= sizeof(lists) / sizeof(lists[0])) {
        cli_error("--list: at most %zu lists", sizeof(lists) / sizeof(lists[0]));
        goto done;
      }
      lists[nlists++] = optarg;
      break;
    case 2400:
      if(cli_parse_int("--parallel", optarg, 1, 256, &v))
        goto done;
      fo.parallel = (int)v;
      break;
    case 2401:
      if(cli_parse_int("--per-host", optarg, 1, 4096, &v))
        goto done;
      fo.per_host = (int)v;
      break;
    case 2402: {
      char serr[200];
      if(fleet_shard_parse(optarg, &fo.shard_i, &fo.shard_n, serr, sizeof(serr))) {
        cli_error("%s", serr);
        goto done;
      }
      fo.shard_arg = optarg;
      break;
    }
    case 2073:
      db_where = cli_db_optarg(argc, argv);
      break;
    case '4':
    case '6':
      if(family && family != opt - '0') {
        cli_error("-4 and -6 exclude each other");
        goto done;
      }
      family = opt - '0';
      break;
    case 'h':
      fputs(scan_usage, stdout);
      rc = EXIT_CLEAN;
      goto done;
    default:
      fputs(scan_usage, stderr);
      goto done;
    }
  }
  if(acmd.cmd) {
    if(so.cred.kind != CRED_NONE) {
      cli_error("--auth-cmd: only one credential per identity (drop --bearer/--api-key/--basic/--cookie)");
      goto done;
    }
    char aerr[256];
    char *line = auth_cmd_line(acmd.cmd, aerr, sizeof(aerr));
    if(!line || auth_cmd_cred(&so.cred, line, aerr, sizeof(aerr))) {
      cli_error("%s", aerr);
      goto done;
    }
    acmd.cred = &so.cred;
    so.refresh_cred = auth_cmd_refresh;
    so.refresh_ctx = &acmd;
    so.refresh_max = 3;
  }
  if(oauth.token_url || client_id || client_secret || oauth.scope) {
    if(!oauth.token_url || !client_id || !client_secret) {
      cli_error("--oauth2-token-url, --client-id and --client-secret go together (--scope is optional)");
      goto done;
    }
    if(so.cred.kind != CRED_NONE) {
      cli_error("--oauth2-token-url: only one credential per identity (drop --bearer/--api-key/--basic/--cookie/--auth-cmd)");
      goto done;
    }
    if(strncmp(oauth.token_url, "http://", 7) && strncmp(oauth.token_url, "https://", 8)) {
      cli_error("--oauth2-token-url %s: an http:// or https:// URL is expected", oauth.token_url);
      goto done;
    }
    oauth.client_id = client_id;
    oauth.client_secret = client_secret;
    oauth.http = &so.http;
    oauth.cred = &so.cred;
    char oerr[512];
    if(cli_oauth_fetch(&oauth, oerr, sizeof(oerr))) {
      cli_error("%s", oerr);
      goto done;
    }
    so.refresh_cred = cli_oauth_fetch;
    so.refresh_ctx = &oauth;
    so.refresh_max = 3;
    so.refresh_name = "--oauth2-token-url";
  }
  if(!so.active && (so.allow_delete || max_writes_set)) {
    cli_error("%s needs --active (which is never implied)",
              so.allow_delete ? "--allow-delete" : "--max-writes");
    goto done;
  }
  if(!so.active && so.canary) {
    cli_error("--canary needs --active (which is never implied)");
    goto done;
  }
  if(!max_writes_set)
    so.max_writes = 25;
  if(key_in_query) {
    if(so.cred.kind != CRED_APIKEY) {
      cli_error("--api-key-in needs --api-key");
      goto done;
    }
    so.cred.in_query = 1;
  }
  if(as2_arg) {
    static const struct { const char *p; enum cred_kind k; } kinds[] = {
      {"bearer:", CRED_BEARER}, {"api-key:", CRED_APIKEY},
      {"basic:", CRED_BASIC}, {"cookie:", CRED_COOKIE},
    };
    size_t i;
    for(i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
      if(strncmp(as2_arg, kinds[i].p, strlen(kinds[i].p)) == 0)
        break;
    if(i == sizeof(kinds) / sizeof(kinds[0])) {
      cli_error("--as2: expected bearer:TOKEN, api-key:VALUE, basic:USER:PASS or cookie:STR");
      goto done;
    }
    char *val = secret_value("--as2", as2_arg + strlen(kinds[i].p));
    if(!val || cred_set(&so.as2, "--as2", kinds[i].k, val,
                        so.cred.kind == CRED_APIKEY ? so.cred.name : NULL))
      goto done;
    so.as2.in_query = so.cred.in_query;
  }
  char jerr[200];
  if(so.cred.kind == CRED_BEARER && jwt_malformed(so.cred.value, jerr, sizeof(jerr))) {
    cli_error("--bearer: %s", jerr);
    goto done;
  }
  if(so.as2.kind == CRED_BEARER && jwt_malformed(so.as2.value, jerr, sizeof(jerr))) {
    cli_error("--as2: %s", jerr);
    goto done;
  }
  int multi = nlists > 0 || fo.shard_n > 0 || argc - optind > 1;
  if(optind >= argc && !nlists) {
    cli_error("scan: no URL given");
    fputs(scan_usage, stderr);
    goto done;
  }
  if(multi || family) {
    /* Every target is checked before any traffic: a bad one is named
     * (its list and line) and nothing is scanned. */
    char lerr[600];
    for(int i = optind; i < argc; i++)
      if(fleet_add_url(&targets, argv[i], family, lerr, sizeof(lerr))) {
        cli_error("%s", lerr);
        goto done;
      }
    for(size_t i = 0; i < nlists; i++)
      if(fleet_load(&targets, lists[i], family, lerr, sizeof(lerr))) {
        cli_error("%s", lerr);
        goto done;
      }
    for(size_t i = 0; i < targets.n; i++) {
      const struct fleet_target *t = &targets.v[i];
      if(t->spec && strncmp(t->spec, "http://", 7) && strncmp(t->spec, "https://", 8) &&
         access(t->spec, R_OK)) {
        cli_error("%s:%d: --spec %s: cannot read the file: %s", t->list, t->line, t->spec,
                  strerror(errno));
        goto done;
      }
    }
    if(fo.shard_n)
      fleet_select(&targets, fo.shard_i, fo.shard_n);
    else
      fleet_select(&targets, 0, 1);
  }
  if((so.http.cert == NULL) != (so.http.key == NULL)) {
    cli_error("--cert and --key go together");
    goto done;
  }
  {
    /* PEM that parses, a key that matches: checked before any traffic. */
    char terr[512];
    if(tls_check_files(so.http.cert, so.http.key, so.http.cacert, terr, sizeof(terr))) {
      cli_error("%s", terr);
      goto done;
    }
  }
  /* A bad --ignore or --baseline stops the scan before any traffic. */
  if(cli_out_ready(&out, "scan"))
    goto done;
  so.iac_analyze = cli_iac_analyze;
  so.http.headers = headers;
  so.http.ip_family = family;
  /* From here on Ctrl-C or SIGTERM stops the scan and still reports. */
  so.http.stop = cli_stop_install();
  if(db_where && cli_db_open(&db, db_where, out.cmdline, fo.shard_arg))
    goto done;
  if(multi) {
    fo.db = db_where ? &db : NULL;
    rc = cli_fleet_run(&so, &out, &targets, &fo);
    rc = cli_db_close(&db, rc, rc >= 128);
    goto done;
  }
  so.url = argv[optind];
  so.progress = !out.quiet && isatty(STDERR_FILENO) ? cli_progress : NULL;
  /* JSON Lines on stdout: each finding as it is decided (unless a
   * suppressions file or a baseline must see the whole report first). */
  if(!strcmp(out.format, "jsonl") && !out.outfile && !out.ignore_given && !out.baseline &&
     access(".wardenignore.yml", F_OK) != 0) {
    so.on_finding = cli_stream_finding;
    so.on_finding_ctx = NULL;
  }

  long long dbscan = 0;
  cli_db_scan_begin(&db, so.url, &dbscan);
  struct scan s;
  char err[512] = "";
  int sr = scan_run(&s, &so, err, sizeof(err));
  for(size_t i = 0; i < s.rep.ndebug; i++)
    fprintf(stderr, "warden: debug: %s\n", s.rep.debug[i]);
  if(sr == 2) {
    cli_error("%s", err);
    rc = scan_fail_json(&out, so.url, err, EXIT_USAGE, &db, dbscan);
  } else {
    if(sr == 3)
      cli_error("%s", err);
    for(size_t i = 0; check_registry[i]; i++)
      report_rules_add(&s.rep, "scan", check_registry[i]->rules,
                       check_registry[i]->nrules);
    if(so.niac)
      report_rules_add(&s.rep, "iac", iac_rules, iac_nrules);
    report_rules_add(&s.rep, "correlation", corr_rules, corr_nrules);
    rc = cli_emit(&s.rep, &out);
    if(sr == 3 && rc != EXIT_USAGE)
      rc = EXIT_TARGET;
    /* An interrupted scan is never a clean one: 128 + the signal, as a
     * shell reports it, once the partial report is written. */
    if(s.interrupted && rc != EXIT_USAGE)
      rc = 128 + s.interrupted;
    cli_db_scan_end(&db, dbscan, &s.rep, rc);
  }
  scan_cleanup(&s);
  rc = cli_db_close(&db, rc, s.interrupted);
done:
  if(db.st)
    rc = cli_db_close(&db, rc, 0);
  fleet_list_cleanup(&targets);
  free(client_id);
  free(client_secret);
  cred_free(&so.cred);
  cred_free(&so.as2);
  curl_slist_free_all(headers);
  cli_out_cleanup(&out);
  return rc;
}
