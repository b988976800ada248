/*
 * cli_opts.c - the option table of scan, iac and inspect, and what reads
 * it as data: lookups, each command's help, the listing of `warden config
 * options` (cli_opts.h). The loop that parses them is cli_optparse.c.
 * Libc only.
 */
#include <stdio.h>
#include <string.h>

#include "cli_opts.h"

#define S CLI_SCAN
#define I CLI_IAC
#define N CLI_INSPECT
/* A heading of the help, shown for the commands in c. */
#define SECTION(c, title) {NULL, 0, CLI_NOARG, (c), OPT_NONE, 0, 0, 0, NULL, (title)}

/* The order of the rows is the order of the help. */
const struct cli_opt cli_options[] = {
  SECTION(S, "Discovery"),
  {"spec", 0, CLI_ARG, S, OPT_SPEC, 0, 0, 0, "FILE|URL",
   "OpenAPI/Swagger document (JSON or YAML)"},
  {"no-discovery", 0, CLI_NOARG, S, OPT_NO_DISCOVERY, 0, 0, 0, NULL,
   "only the URL and the spec: no well-known paths, no\n"
   "links followed from the answers"},
  {"auth-required", 0, CLI_NOARG, S, OPT_AUTH_REQUIRED, 0, 0, 0, NULL,
   "every route must need credentials"},
  {"scope", 0, CLI_ARG, S, OPT_SCOPE, 0, 0, 0, "HOST[:PORT]",
   "also allow this host (repeatable)"},
  {"signatures", 0, CLI_ARG, S, OPT_SIGNATURES, 0, 0, 0, "DIR|FILE",
   "more exposure signatures (YAML, docs/signatures.md)"},
  {"templates", 0, CLI_ARG, S, OPT_TEMPLATES, 0, 0, 0, "DIR|FILE",
   "nuclei HTTP templates to run too (the ones warden\n"
   "can honour; the others are skipped with the reason)"},
  {"burst", 0, CLI_ARG, S, OPT_BURST, CLI_INT, 0, 1000, "N",
   "rate-limit test: N GETs of one cheap read route (and of\n"
   "each login/token route found), within --rate (default 40;\n"
   "0 sends no burst)"},
  SECTION(S, "Active mode (changes the target; every write is listed in the report)"),
  {"active", 0, CLI_NOARG, S, OPT_ACTIVE, CLI_ARGV_ONLY, 0, 0, NULL,
   "also send the spec's POST, PUT and PATCH operations\n"
   "(bodies from its schemas) and the checks' write and\n"
   "attack probes; never implied by anything else"},
  {"allow-delete", 0, CLI_NOARG, S, OPT_ALLOW_DELETE, CLI_ARGV_ONLY, 0, 0, NULL,
   "with --active: DELETE too (the spec's, sent last)"},
  {"max-writes", 0, CLI_ARG, S, OPT_MAX_WRITES, CLI_INT, 0, 100000, "N",
   "with --active: at most N writes (default 25)"},
  {"canary", 0, CLI_ARG, S, OPT_CANARY, 0, 0, 0, "HOST:PORT",
   "with --active: the SSRF canary listener binds there and\n"
   "the canary URLs name it (default 127.0.0.1, any port)"},
  SECTION(S, "Engine"),
  {"concurrency", 'c', CLI_ARG, S, OPT_CONCURRENCY, CLI_INT, 1, 1024, "N",
   "requests in flight (default 32)"},
  {"rate", 0, CLI_ARG, S, OPT_RATE, 0, 0, 0, "N", "requests per second (default unlimited)"},
  {"timeout", 0, CLI_ARG, S, OPT_TIMEOUT, CLI_INT, 1, 3600, "SEC", "per request (default 10)"},
  {"max-time", 0, CLI_ARG, S, OPT_MAX_TIME, CLI_INT, 1, 86400, "SEC",
   "whole scan budget (default 300)"},
  {"body-cap", 0, CLI_ARG, S, OPT_BODY_CAP, CLI_INT, 1024, 256L * 1024 * 1024, "BYTES",
   "bytes kept of each body (default 1048576)"},
  {"max-requests", 0, CLI_ARG, S, OPT_MAX_REQUESTS, CLI_INT, 1, 100000000L, "N",
   "requests sent at most (default 100000); past it the\n"
   "report is partial and says how many were left out"},
  {"header", 'H', CLI_ARG, S, OPT_HEADER, CLI_SECRET, 0, 0, "'N: V'",
   "extra header on every request (repeatable)"},
  {"insecure", 'k', CLI_NOARG, S, OPT_INSECURE, 0, 0, 0, NULL,
   "do not verify the server certificate"},
  {"cacert", 0, CLI_ARG, S, OPT_CACERT, 0, 0, 0, "FILE", "trust this CA bundle (PEM)"},
  {"cert", 0, CLI_ARG, S, OPT_CERT, 0, 0, 0, "FILE",
   "client certificate (PEM) for mutual TLS, with --key"},
  {"key", 0, CLI_ARG, S, OPT_KEY, 0, 0, 0, "FILE", "its private key (PEM), with --cert"},
  {"proxy", 0, CLI_ARG, S, OPT_PROXY, CLI_SECRET, 0, 0, "URL", "send through this proxy"},
  SECTION(S, "Credentials (each VALUE may be @FILE or env:NAME, to keep it out of shell history)"),
  {"bearer", 0, CLI_ARG, S, OPT_BEARER, CLI_SECRET, 0, 0, "TOKEN",
   "Authorization: Bearer (a JWT is also analysed)"},
  {"api-key", 0, CLI_ARG, S, OPT_API_KEY, CLI_SECRET, 0, 0, "NAME=VALUE",
   "API key, as a header named NAME by default"},
  {"api-key-in", 0, CLI_ARG, S, OPT_API_KEY_IN, 0, 0, 0, "header|query",
   "where the API key goes"},
  {"basic", 0, CLI_ARG, S, OPT_BASIC, CLI_SECRET, 0, 0, "USER:PASS",
   "HTTP Basic authentication"},
  {"cookie", 0, CLI_ARG, S, OPT_COOKIE, CLI_SECRET, 0, 0, "'a=b; c=d'", "session cookie(s)"},
  {"as2", 0, CLI_ARG, S, OPT_AS2, CLI_SECRET, 0, 0, "KIND:VALUE",
   "a second, low-privilege identity for authorization\n"
   "tests: bearer:TOKEN, api-key:VALUE, basic:USER:PASS, cookie:STR"},
  {"jwt-wordlist", 0, CLI_ARG, S, OPT_JWT_WORDLIST, 0, 0, 0, "FILE",
   "more secrets to try on an HS256/384/512 token (offline)"},
  {"auth-cmd", 0, CLI_ARG, S, OPT_AUTH_CMD, 0, 0, 0, "'COMMAND'",
   "run COMMAND (sh -c) for the main credential: its first line\n"
   "is a header ('X-API-Key: k', 'Authorization: Bearer t') or a\n"
   "bare token; run again when a request gets 401 (3 times at most)"},
  {"oauth2-token-url", 0, CLI_ARG, S, OPT_OAUTH2_TOKEN_URL, 0, 0, 0, "URL",
   "OAuth2 client credentials: fetch a Bearer token there\n"
   "(with --client-id and --client-secret, sent with HTTP\n"
   "Basic); fetched again when a request gets 401"},
  {"client-id", 0, CLI_ARG, S, OPT_CLIENT_ID, 0, 0, 0, "ID", "OAuth2 client id"},
  {"client-secret", 0, CLI_ARG, S, OPT_CLIENT_SECRET, CLI_SECRET, 0, 0, "SECRET",
   "OAuth2 client secret"},
  {"oauth2-scope", 0, CLI_ARG, S, OPT_OAUTH2_SCOPE, 0, 0, 0, "SCOPES",
   "OAuth2 scope to ask for (space-separated; default: none\n"
   "sent, the server's default)"},
  {"verbose", 'v', CLI_NOARG, S, OPT_VERBOSE, 0, 0, 0, NULL,
   "debug lines on stderr (why each route was or was not\n"
   "taken as a witness for the forged-credential tests)"},
  SECTION(S, "Many targets (each gets a complete report of its own; docs/cli.md)"),
  {"list", 'l', CLI_ARG, S, OPT_LIST, 0, 0, 0, "FILE",
   "targets, one per line ('-': standard input); a line\n"
   "may add --spec FILE, --scope HOST, --no-discovery,\n"
   "--auth-required for its target; '#' starts a comment"},
  {"parallel", 0, CLI_ARG, S, OPT_PARALLEL, CLI_INT, 1, 256, "N",
   "targets scanned at once (default 4)"},
  {"per-host", 0, CLI_ARG, S, OPT_PER_HOST, CLI_INT, 1, 4096, "N",
   "requests in flight to one host, over all its targets\n"
   "(--rate then counts every target's requests)"},
  {"shard", 0, CLI_ARG, S, OPT_SHARD, 0, 0, 0, "I/N",
   "scan only shard I of N (by a hash of each URL)"},
  {"ipv4", '4', CLI_NOARG, S, OPT_IPV4, 0, 0, 0, NULL, "IPv4 targets only"},
  {"ipv6", '6', CLI_NOARG, S, OPT_IPV6, 0, 0, 0, NULL, "IPv6 targets only"},
  SECTION(S, "History (docs/history.md; `warden history`, `warden diff`)"),
  {"db", 0, CLI_OPTARG, S, OPT_DB, 0, 0, 0, "[PATH|URI]",
   "record the run: a SQLite file (default warden.db)\n"
   "or postgresql://... (one transaction per target)"},
  SECTION(S, "Correlation (attack chains across the sides of warden)"),
  {"iac", 0, CLI_ARG, S, OPT_IAC, 0, 0, 0, "PATH",
   "also analyse these deployment files (repeatable)"},
  {"inspect-report", 0, CLI_ARG, S, OPT_INSPECT_REPORT, 0, 0, 0, "FILE",
   "a JSON report of `warden inspect` from the container"},
  SECTION(I | N, "Options"),
  {"list-rules", 0, CLI_NOARG, I, OPT_LIST_RULES, 0, 0, 0, NULL,
   "print every rule id, severity and summary"},
  {"root", 0, CLI_ARG, N, OPT_ROOT, 0, 0, 0, "DIR",
   "read a captured tree (DIR/proc, DIR/sys, DIR/etc,\n"
   "DIR/.capture/{writable,sockets,dev}) instead of the\n"
   "live system; sends nothing (docs/inspect.md)"},
  {"no-probe", 0, CLI_NOARG, N, OPT_NO_PROBE, 0, 0, 0, NULL,
   "do not send GET /version to sockets found"},
  {"probe-timeout", 0, CLI_ARG, N, OPT_PROBE_TIMEOUT, CLI_INT, 1, 5000, "MS",
   "per-socket timeout (default 500, max 5000)"},
  SECTION(CLI_ALL, "Report"),
  {"format", 'f', CLI_ARG, CLI_ALL, OPT_FORMAT, CLI_REPORT, 0, 0, "FORMAT",
   "term|json|jsonl|sarif|html|md|junit (default term)"},
  {"output", 'o', CLI_ARG, CLI_ALL, OPT_OUTPUT, CLI_REPORT, 0, 0, "FILE",
   "write the report there (terminal summary\n"
   "still goes to stdout unless -q)"},
  {"report", 0, CLI_ARG, CLI_ALL, OPT_REPORT, CLI_REPORT, 0, 0, "FORMAT:FILE",
   "also write FORMAT to FILE (repeatable)"},
  {"sarif-base", 0, CLI_ARG, CLI_ALL, OPT_SARIF_BASE, CLI_REPORT, 0, 0, "DIR",
   "SARIF file paths relative to DIR (default .)"},
  {"fail-on", 0, CLI_ARG, CLI_ALL, OPT_FAIL_ON, CLI_REPORT, 0, 0, "SEVERITY",
   "exit 1 on findings at or above it\n"
   "(critical|high|medium|low|info|none; default low)"},
  {"baseline", 0, CLI_ARG, CLI_ALL, OPT_BASELINE, CLI_REPORT, 0, 0, "OLD.json",
   "mark findings new or unchanged against an\n"
   "earlier JSON report; list the fixed ones"},
  {"fail-on-new", 0, CLI_ARG, CLI_ALL, OPT_FAIL_ON_NEW, CLI_REPORT, 0, 0, "SEV",
   "like --fail-on, counting new findings only"},
  {"ignore", 0, CLI_ARG, CLI_ALL, OPT_IGNORE, CLI_REPORT, 0, 0, "FILE",
   "suppressions (default .wardenignore.yml)"},
  {"threshold", 0, CLI_ARG, CLI_ALL, OPT_THRESHOLD, CLI_REPORT | CLI_INT, 0, 100, "N",
   "exit 1 when the score is below N (0-100)"},
  {"no-color", 0, CLI_NOARG, CLI_ALL, OPT_NO_COLOR, CLI_REPORT, 0, 0, NULL,
   "no ANSI colours (NO_COLOR is honoured too)"},
  {"quiet", 'q', CLI_NOARG, CLI_ALL, OPT_QUIET, CLI_REPORT, 0, 0, NULL,
   "no progress, no terminal summary with -o"},
  {"help", 'h', CLI_NOARG, CLI_ALL, OPT_HELP, 0, 0, 0, NULL, "this help"},
  {NULL, 0, CLI_NOARG, 0, OPT_NONE, 0, 0, 0, NULL, NULL},
};

#undef S
#undef I
#undef N


const struct cli_opt *cli_opt_find(unsigned cmds, const char *name)
{
  FOR_EACH_ROW(o)
    if(o->name && (o->cmds & cmds) && strcmp(o->name, name) == 0)
      return o;
  return NULL;
}

const struct cli_opt *cli_opt_find_short(unsigned cmds, char c)
{
  FOR_EACH_ROW(o)
    if(o->name && (o->cmds & cmds) && c && o->shortname == c)
      return o;
  return NULL;
}

unsigned cli_cmd_bit(const char *name)
{
  return !strcmp(name, "scan") ? CLI_SCAN : !strcmp(name, "iac") ? CLI_IAC
       : !strcmp(name, "inspect") ? CLI_INSPECT : 0;
}

/* "  -c, --concurrency N" or "      --spec FILE|URL" into buf. */
static void opt_left(const struct cli_opt *o, char *buf, size_t len)
{
  char sh[8] = "    ";
  if(o->shortname)
    snprintf(sh, sizeof(sh), "-%c, ", o->shortname);
  snprintf(buf, len, "  %s--%s%s%s", sh, o->name, o->meta ? " " : "", o->meta ? o->meta : "");
}

void cli_opts_help(FILE *f, const struct cli_cmd *cmd)
{
  fputs(cmd->intro, f);
  FOR_EACH_ROW(o) {
    if(!(o->cmds & cmd->bit))
      continue;
    if(!o->name) {
      fprintf(f, "%s\n", o->help);
      continue;
    }
    char left[128];
    opt_left(o, left, sizeof(left));
    size_t n = strlen(left);
    fputs(left, f);
    fprintf(f, "%*s", n < 28 ? (int)(28 - n) : 2, "");
    for(const char *h = o->help; *h; h++) {
      fputc(*h, f);
      if(*h == '\n')
        fprintf(f, "%28s", "");
    }
    fputc('\n', f);
  }
  if(cmd->outro)
    fputs(cmd->outro, f);
}

/* One line of help text (its lines joined), for a table cell. */
static void md_text(FILE *f, const char *s)
{
  for(; *s; s++)
    if(*s == '\n')
      fputc(' ', f);
    else if(*s == '|')
      fputs("\\|", f);
    else
      fputc(*s, f);
}

void cli_opts_print(FILE *f, int md)
{
  static const char *const cmds[] = {"scan", "iac", "inspect"};
  for(size_t c = 0; c < sizeof(cmds) / sizeof(cmds[0]); c++) {
    unsigned bit = cli_cmd_bit(cmds[c]);
    if(md)
      fprintf(f, "%s### `warden %s`\n\n| option | value | description |\n|---|---|---|\n",
              c ? "\n" : "", cmds[c]);
    FOR_EACH_ROW(o) {
      if(!o->name || !(o->cmds & bit))
        continue;
      if(!md) {
        fprintf(f, "%s\t--%s\t%s%c\t%s\n", cmds[c], o->name, o->shortname ? "-" : "",
                o->shortname ? o->shortname : '-', o->meta ? o->meta : "-");
        continue;
      }
      fputs("| ", f);
      if(o->shortname)
        fprintf(f, "`-%c`, ", o->shortname);
      fprintf(f, "`--%s` | ", o->name);
      if(o->meta) {
        fputc('`', f);
        md_text(f, o->meta);
        fputc('`', f);
      }
      fputs(" | ", f);
      md_text(f, o->help);
      fputs(" |\n", f);
    }
  }
}
