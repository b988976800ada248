/*
 * cli_mcp.c - `warden mcp`: a Model Context Protocol server over stdio
 * (JSON-RPC 2.0, one message per line). Tools: scan, iac, inspect,
 * checks, explain. scan, iac and inspect run this same warden binary as a
 * child with fixed arguments, so the scope lock and the read-only default
 * apply exactly as on the command line; a scan target (or an iac path)
 * outside the --allow-target patterns given at start is refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../checks/check.h"
#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "../correlate/corr.h"
#include "../iac/iac.h"
#include "../inspect/inspect.h"
#include "cli.h"

#define MCP_MAX_LINE (4 * 1024 * 1024)
#define MCP_MAX_OUTPUT (64 * 1024 * 1024)
#define MCP_MAX_PATTERNS 64

static const char mcp_usage[] =
  "usage: warden mcp [--allow-target PATTERN]...\n"
  "\n"
  "Serves the Model Context Protocol over stdin/stdout for AI assistants.\n"
  "Tools: scan (a URL), iac (paths), inspect, checks, explain (a rule id).\n"
  "A scan is read-only and scope-locked exactly as `warden scan`; it is\n"
  "refused unless its URL matches an --allow-target pattern (shell pattern,\n"
  "e.g. 'http://127.0.0.1:*'). iac paths must match a pattern too, or lie\n"
  "under the working directory when none is given.\n";

struct mcp {
  const char *patterns[MCP_MAX_PATTERNS];
  int npatterns;
  char self[4096];
  FILE *out;  /* where answers go (stdout) */
  int dry;    /* start no child: scan, iac and inspect answer an error */
};

static const char *const protocol_versions[] = {"2025-11-25", "2025-06-18",
                                                "2025-03-26", "2024-11-05", NULL};

static void mcp_send(const struct mcp *m, json_t *msg)
{
  char *s = json_dumps(msg, JSON_COMPACT);
  if(s) {
    fputs(s, m->out);
    fputc('\n', m->out);
    fflush(m->out);
    free(s);
  }
  json_decref(msg);
}

static void mcp_error(const struct mcp *m, json_t *id, int code, const char *msg)
{
  mcp_send(m, json_pack("{s:s, s:O, s:{s:i, s:s}}", "jsonrpc", "2.0", "id",
                     id ? id : json_null(), "error", "code", code, "message", msg));
}

static json_t *tool(const char *name, const char *desc, json_t *props, json_t *required)
{
  return json_pack("{s:s, s:s, s:{s:s, s:o, s:o}}", "name", name, "description", desc,
                   "inputSchema", "type", "object", "properties", props, "required", required);
}

static json_t *tools_list(void)
{
  json_t *t = json_array();
  json_array_append_new(t, tool("scan",
    "Black-box scan of a live API (read-only: GET, HEAD, OPTIONS; scope-locked to the URL). "
    "Returns warden's JSON report.",
    json_pack("{s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s}, s:{s:s, s:s, s:i, s:i}}",
              "url", "type", "string", "description", "the API's base URL",
              "spec", "type", "string", "description", "OpenAPI document: a URL in scope or a file",
              "no_discovery", "type", "boolean", "description", "only the URL and the spec",
              "max_time", "type", "integer", "description", "budget in seconds",
              "minimum", 1, "maximum", 3600),
    json_pack("[s]", "url")));
  json_array_append_new(t, tool("iac",
    "Container-escape analysis of Dockerfiles, compose files and Kubernetes manifests. "
    "Returns warden's JSON report.",
    json_pack("{s:{s:s, s:{s:s}, s:i}}", "paths", "type", "array", "items", "type", "string",
              "minItems", 1),
    json_pack("[s]", "paths")));
  json_array_append_new(t, tool("inspect",
    "Container-escape introspection of the machine warden runs on (read-only), or of a "
    "captured tree. Returns warden's JSON report.",
    json_pack("{s:{s:s, s:s}}", "root", "type", "string", "description",
              "a captured tree instead of the live system"),
    json_array()));
  json_array_append_new(t, tool("checks", "Every rule warden can raise: id, side, severity, title.",
                                json_object(), json_array()));
  json_array_append_new(t, tool("explain",
    "What a rule means and how to fix it: description and remediation.",
    json_pack("{s:{s:s}}", "rule", "type", "string"), json_pack("[s]", "rule")));
  return json_pack("{s:o}", "tools", t);
}

static int allowed(const struct mcp *m, const char *target, int is_path)
{
  for(int i = 0; i < m->npatterns; i++)
    if(fnmatch(m->patterns[i], target, 0) == 0)
      return 1;
  if(is_path && m->npatterns == 0)
    return target[0] != '/' && strstr(target, "..") == NULL;
  return 0;
}

/* Runs this warden with args; the JSON it prints is the result. */
static json_t *run_warden(const struct mcp *m, char **args, int *is_error)
{
  if(m->dry) {
    *is_error = 1;
    return json_string("not run (no child is started by this server)");
  }
  int out[2];
  FILE *errf = tmpfile();
  if(!errf || pipe(out)) {
    if(errf)
      fclose(errf);
    *is_error = 1;
    return json_string("cannot start warden: no pipe");
  }
  pid_t pid = fork();
  if(pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    dup2(fileno(errf), STDERR_FILENO);
    close(out[0]);
    close(out[1]);
    int devnull = open("/dev/null", 0);
    if(devnull >= 0)
      dup2(devnull, STDIN_FILENO);
    execv(m->self, args);
    _exit(127);
  }
  close(out[1]);
  struct buf b;
  buf_init(&b, MCP_MAX_OUTPUT);
  char chunk[65536];
  ssize_t n;
  while((n = read(out[0], chunk, sizeof(chunk))) > 0 || (n < 0 && errno == EINTR))
    if(n > 0)
      buf_append(&b, chunk, (size_t)n);
  close(out[0]);
  int st = 0;
  while(pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
    ;
  int code = pid > 0 && WIFEXITED(st) ? WEXITSTATUS(st) : 127;
  char errtxt[2048] = "";
  rewind(errf);
  size_t el = fread(errtxt, 1, sizeof(errtxt) - 1, errf);
  errtxt[el] = '\0';
  fclose(errf);
  json_error_t je;
  json_t *doc = b.len ? json_loadb(b.data, b.len, 0, &je) : NULL;
  buf_cleanup(&b);
  if(code >= 2 || !doc) {
    *is_error = 1;
    char *msg = xasprintf("warden exited %d: %s", code, errtxt[0] ? errtxt : "no report");
    json_t *r = json_pack("{s:s, s:i, s:O}", "error", msg, "exit_code", code,
                          "report", doc ? doc : json_null());
    free(msg);
    json_decref(doc);
    return r;
  }
  *is_error = 0;
  json_object_set_new(doc, "exit_code", json_integer(code));
  return doc;
}

static const struct wd_rule *find_rule(const char *id, const char **side)
{
  for(size_t i = 0; check_registry[i]; i++)
    for(size_t j = 0; j < check_registry[i]->nrules; j++)
      if(!strcmp(check_registry[i]->rules[j].id, id)) {
        *side = "scan";
        return &check_registry[i]->rules[j];
      }
  struct { const char *side; const struct wd_rule *v; size_t n; } t[] = {
    {"iac", iac_rules, iac_nrules}, {"inspect", inspect_rules, inspect_nrules},
    {"correlation", corr_rules, corr_nrules}};
  for(size_t k = 0; k < 3; k++)
    for(size_t j = 0; j < t[k].n; j++)
      if(!strcmp(t[k].v[j].id, id)) {
        *side = t[k].side;
        return &t[k].v[j];
      }
  return NULL;
}

static json_t *rule_json(const struct wd_rule *r, const char *side, int full)
{
  json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", r->id, "side", side,
                        "severity", sev_name(r->severity), "category", cat_name(r->category),
                        "title", r->title);
  if(full) {
    json_object_set_new(o, "summary", json_string(r->summary ? r->summary : ""));
    json_object_set_new(o, "remediation", json_string(r->remediation ? r->remediation : ""));
    json_object_set_new(o, "owasp", r->owasp ? json_string(r->owasp) : json_null());
    json_object_set_new(o, "cwe", r->cwe ? json_integer(r->cwe) : json_null());
  }
  return o;
}

static json_t *checks_json(void)
{
  json_t *a = json_array();
  for(size_t i = 0; check_registry[i]; i++)
    for(size_t j = 0; j < check_registry[i]->nrules; j++)
      json_array_append_new(a, rule_json(&check_registry[i]->rules[j], "scan", 0));
  for(size_t j = 0; j < iac_nrules; j++)
    json_array_append_new(a, rule_json(&iac_rules[j], "iac", 0));
  for(size_t j = 0; j < inspect_nrules; j++)
    json_array_append_new(a, rule_json(&inspect_rules[j], "inspect", 0));
  for(size_t j = 0; j < corr_nrules; j++)
    json_array_append_new(a, rule_json(&corr_rules[j], "correlation", 0));
  return json_pack("{s:o}", "rules", a);
}

/* A tool's result: the structured object, and the same as text. */
static json_t *tool_result(json_t *structured, int is_error)
{
  char *text = json_dumps(structured, JSON_COMPACT);
  json_t *r = json_pack("{s:[{s:s, s:s}], s:o, s:b}", "content", "type", "text", "text",
                        text ? text : "{}", "structuredContent", structured, "isError", is_error);
  free(text);
  return r;
}

static json_t *refuse(const char *fmt, const char *what)
{
  char *msg = xasprintf(fmt, what);
  json_t *r = tool_result(json_pack("{s:s}", "error", msg), 1);
  free(msg);
  return r;
}

/* Returns the result object, or NULL with *code and *msg for a protocol
 * error (unknown tool, bad arguments). */
static json_t *call_tool(const struct mcp *m, const char *name, json_t *args,
                         int *code, const char **msg)
{
  if(!json_is_object(args)) {
    *code = -32602;
    *msg = "arguments must be an object";
    return NULL;
  }
  char *argv[64];
  int n = 0;
  argv[n++] = (char *)"warden";
  if(!strcmp(name, "scan")) {
    json_t *url = json_object_get(args, "url"), *spec = json_object_get(args, "spec");
    json_t *nd = json_object_get(args, "no_discovery"), *mt = json_object_get(args, "max_time");
    if(!json_is_string(url) || (spec && !json_is_string(spec)) ||
       (mt && (!json_is_integer(mt) || json_integer_value(mt) < 1 ||
               json_integer_value(mt) > 3600))) {
      *code = -32602;
      *msg = "scan: url (string) is required; spec is a string, max_time 1..3600";
      return NULL;
    }
    if(!allowed(m, json_string_value(url), 0))
      return refuse("%s is outside the targets this server was started for "
                    "(warden mcp --allow-target PATTERN)", json_string_value(url));
    char mts[16];
    argv[n++] = (char *)"scan";
    argv[n++] = (char *)"-q";
    argv[n++] = (char *)"--format=json";
    argv[n++] = (char *)"--fail-on=none";
    if(spec) {
      argv[n++] = (char *)"--spec";
      argv[n++] = (char *)json_string_value(spec);
    }
    if(json_is_true(nd))
      argv[n++] = (char *)"--no-discovery";
    if(mt) {
      snprintf(mts, sizeof(mts), "%lld", (long long)json_integer_value(mt));
      argv[n++] = (char *)"--max-time";
      argv[n++] = mts;
    }
    argv[n++] = (char *)"--";
    argv[n++] = (char *)json_string_value(url);
    argv[n] = NULL;
    int is_error;
    json_t *doc = run_warden(m, argv, &is_error);
    return tool_result(doc, is_error);
  }
  if(!strcmp(name, "iac")) {
    json_t *paths = json_object_get(args, "paths");
    if(!json_is_array(paths) || json_array_size(paths) == 0 || json_array_size(paths) > 32) {
      *code = -32602;
      *msg = "iac: paths must be a list of 1 to 32 strings";
      return NULL;
    }
    argv[n++] = (char *)"iac";
    argv[n++] = (char *)"-q";
    argv[n++] = (char *)"--format=json";
    argv[n++] = (char *)"--fail-on=none";
    argv[n++] = (char *)"--";
    for(size_t i = 0; i < json_array_size(paths); i++) {
      json_t *p = json_array_get(paths, i);
      if(!json_is_string(p)) {
        *code = -32602;
        *msg = "iac: paths must be strings";
        return NULL;
      }
      if(!allowed(m, json_string_value(p), 1))
        return refuse("%s is outside the paths this server was started for "
                      "(warden mcp --allow-target PATTERN)", json_string_value(p));
      argv[n++] = (char *)json_string_value(p);
    }
    argv[n] = NULL;
    int is_error;
    json_t *doc = run_warden(m, argv, &is_error);
    return tool_result(doc, is_error);
  }
  if(!strcmp(name, "inspect")) {
    json_t *root = json_object_get(args, "root");
    if(root && !json_is_string(root)) {
      *code = -32602;
      *msg = "inspect: root is a string";
      return NULL;
    }
    argv[n++] = (char *)"inspect";
    argv[n++] = (char *)"-q";
    argv[n++] = (char *)"--format=json";
    argv[n++] = (char *)"--fail-on=none";
    if(root) {
      if(!allowed(m, json_string_value(root), 1))
        return refuse("%s is outside the paths this server was started for "
                      "(warden mcp --allow-target PATTERN)", json_string_value(root));
      argv[n++] = (char *)"--root";
      argv[n++] = (char *)json_string_value(root);
    }
    argv[n] = NULL;
    int is_error;
    json_t *doc = run_warden(m, argv, &is_error);
    return tool_result(doc, is_error);
  }
  if(!strcmp(name, "checks"))
    return tool_result(checks_json(), 0);
  if(!strcmp(name, "explain")) {
    json_t *id = json_object_get(args, "rule");
    if(!json_is_string(id)) {
      *code = -32602;
      *msg = "explain: rule (string) is required";
      return NULL;
    }
    const char *side;
    const struct wd_rule *r = find_rule(json_string_value(id), &side);
    if(!r)
      return refuse("no rule '%s' (the checks tool lists them all)", json_string_value(id));
    return tool_result(rule_json(r, side, 1), 0);
  }
  *code = -32602;
  *msg = "unknown tool";
  return NULL;
}

static void handle(const struct mcp *m, json_t *req)
{
  json_t *id = json_object_get(req, "id");
  json_t *method = json_object_get(req, "method");
  if(!json_is_string(method)) {
    if(id)
      mcp_error(m, id, -32600, "invalid request");
    return;
  }
  const char *me = json_string_value(method);
  if(!id)
    return; /* notifications (initialized, cancelled): nothing to answer */
  json_t *params = json_object_get(req, "params");
  json_t *result = NULL;
  if(!strcmp(me, "initialize")) {
    const char *want = json_string_value(json_object_get(params, "protocolVersion"));
    const char *ver = protocol_versions[1];
    for(size_t i = 0; want && protocol_versions[i]; i++)
      if(!strcmp(want, protocol_versions[i]))
        ver = protocol_versions[i];
    result = json_pack("{s:s, s:{s:{s:b}}, s:{s:s, s:s}, s:s}", "protocolVersion", ver,
                       "capabilities", "tools", "listChanged", 0, "serverInfo", "name",
                       "warden", "version", WARDEN_VERSION, "instructions",
                       "warden finds how an API can be broken into and how a break-in can "
                       "escape its container. Scans are read-only and scope-locked.");
  } else if(!strcmp(me, "ping")) {
    result = json_object();
  } else if(!strcmp(me, "tools/list")) {
    result = tools_list();
  } else if(!strcmp(me, "tools/call")) {
    json_t *name = json_object_get(params, "name");
    json_t *args = json_object_get(params, "arguments");
    int code = 0;
    const char *msg = NULL;
    if(!json_is_string(name)) {
      mcp_error(m, id, -32602, "tools/call: name is required");
      return;
    }
    json_t *empty = json_object();
    result = call_tool(m, json_string_value(name), args ? args : empty, &code, &msg);
    json_decref(empty);
    if(!result) {
      mcp_error(m, id, code, msg);
      return;
    }
  } else {
    mcp_error(m, id, -32601, "method not found");
    return;
  }
  mcp_send(m, json_pack("{s:s, s:O, s:o}", "jsonrpc", "2.0", "id", id, "result", result));
}

/* One message: a line of JSON-RPC (its newline may still be there). */
static void mcp_line(const struct mcp *m, char *line, size_t n)
{
  if(n > MCP_MAX_LINE) {
    mcp_error(m, NULL, -32700, "message too large");
    return;
  }
  while(n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
    line[--n] = '\0';
  if(!n)
    return;
  json_error_t je;
  json_t *req = json_loadb(line, n, 0, &je);
  if(!req || !json_is_object(req)) {
    mcp_error(m, NULL, -32700, "parse error");
    json_decref(req);
    return;
  }
  handle(m, req);
  json_decref(req);
}

int cli_mcp(int argc, char **argv)
{
  static const struct option opts[] = {
    {"allow-target", required_argument, NULL, 1},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
  };
  struct mcp m;
  memset(&m, 0, sizeof(m));
  int opt;
  optind = 1;
  while((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
    if(opt == 1) {
      if(m.npatterns >= MCP_MAX_PATTERNS) {
        cli_error("--allow-target: at most %d patterns", MCP_MAX_PATTERNS);
        return EXIT_USAGE;
      }
      m.patterns[m.npatterns++] = optarg;
    } else if(opt == 'h') {
      fputs(mcp_usage, stdout);
      return EXIT_CLEAN;
    } else {
      fputs(mcp_usage, stderr);
      return EXIT_USAGE;
    }
  }
  if(optind != argc) {
    cli_error("mcp: unexpected argument '%s'", argv[optind]);
    return EXIT_USAGE;
  }
  ssize_t sl = readlink("/proc/self/exe", m.self, sizeof(m.self) - 1);
  if(sl <= 0) {
    cli_error("mcp: cannot find the warden binary (/proc/self/exe)");
    return EXIT_USAGE;
  }
  m.self[sl] = '\0';
  m.out = stdout;
  char *line = NULL;
  size_t cap = 0;
  ssize_t n;
  while((n = getline(&line, &cap, stdin)) >= 0)
    mcp_line(&m, line, (size_t)n);
  free(line);
  return EXIT_CLEAN;
}

void cli_mcp_answer(FILE *out, const char *line, size_t n)
{
  struct mcp m;
  memset(&m, 0, sizeof(m));
  m.out = out;
  m.dry = 1;
  char *copy = xmalloc(n + 1);
  memcpy(copy, line, n);
  copy[n] = '\0';
  mcp_line(&m, copy, n);
  free(copy);
}
