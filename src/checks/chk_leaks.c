/*
 * chk_leaks.c - error and stack-trace leakage: Go panics with goroutine
 * traces, framework debug pages, Python, Java, Node and Ruby traces, and
 * internal IP addresses in responses.
 *
 * An address an API description found by discovery names as one of its
 * servers is inventory.non-production-server's when the spec the scan
 * uses names it too (the same problem: the published document maps an
 * internal server; that rule says which entry and how to fix it), so it
 * is not leak.internal-ip as well. Which spec the scan uses is known only
 * once every discovery location has answered, so such an address is kept
 * (lk_state) and decided in finish: reported here only when the spec in
 * use does not name it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "../scan/scan_rx.h"
#include "check.h"

enum { R_TRACE, R_DEBUG, R_IP };

static const struct wd_fix fix_trace[] = {
  {"echo", "Keep e.Debug = false, add e.Use(middleware.Recover()) and set e.HTTPErrorHandler to log the error server-side and return only {\"error\":\"internal error\"}; never write debug.Stack() or a recovered panic into the response."},
  {"chi", "Use r.Use(middleware.Recoverer) (it logs the stack and answers a bare 500) and make handlers return generic messages; never fmt.Fprint(w, err) or debug.Stack() to the client."},
  {"fiber", "Use fiber.New(fiber.Config{ErrorHandler: ...}) that returns a generic body, and recover.New() without EnableStackTrace in production."},
  {"buffalo", "Run with GO_ENV=production so Buffalo renders its production error pages, and return generic errors from actions (c.Error(500, errors.New(\"internal error\")))."},
  {"flask", "Run with debug=False (FLASK_DEBUG=0), and register @app.errorhandler(Exception) returning a generic JSON body while logging the traceback."},
  {"express", "Set NODE_ENV=production and install a final error middleware that answers a generic message."},
  {"spring", "Set server.error.include-stacktrace=never and server.error.include-message=never."},
  {NULL, NULL},
};

static const struct wd_fix fix_ip[] = {
  {"echo", "Map infrastructure errors (dial tcp ...) to generic messages in the HTTPErrorHandler before they reach the client."},
  {"chi", "Do not return err.Error() from database or upstream calls; log it and answer a generic message."},
  {NULL, NULL},
};

static const struct wd_rule lk_rules[] = {
  [R_TRACE] = {
    .id = "leak.stack-trace",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 209,
    .title = "Stack trace in an error response",
    .summary = "A response carries a stack trace (Go panic/goroutine, Python, Java, Node, Ruby) with source paths and lines",
    .remediation = "Catch errors at the edge of the API, log the trace server-side and answer a generic message with a correlation id.",
    .fixes = fix_trace,
  },
  [R_DEBUG] = {
    .id = "leak.debug-page",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 215,
    .title = "Framework debug error page enabled",
    .summary = "A framework's development error page (Werkzeug debugger, Django DEBUG, Buffalo dev, Rails, Laravel, Express) is served",
    .remediation = "Turn the framework's debug mode off in production; some debug pages (the Werkzeug console) execute code.",
    .fixes = fix_trace,
  },
  [R_IP] = {
    .id = "leak.internal-ip",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_DATA,
    .owasp = "API8:2023",
    .cwe = 200,
    .title = "Internal IP address disclosed",
    .summary = "A private (RFC 1918) address appears in a response: a map of the internal network",
    .remediation = "Do not pass upstream or database error strings to clients; they carry internal addresses.",
    .fixes = fix_ip,
  },
};

struct lk_sig {
  int rule;
  const char *what;
  struct rx rx;
  struct rx also;
};

static const struct lk_sig lk_sigs[] = {
  {R_DEBUG, "Werkzeug interactive debugger", RX("(?:Werkzeug Debugger|__debugger__=yes|class=\"debugger\")"), {NULL, 0}},
  /* Django 4+ writes a typographic apostrophe (You’re), older ones ' */
  {R_DEBUG, "Django DEBUG = True page", RX("You(?:'|\xe2\x80\x99|&#x27;|&#39;|&rsquo;)re seeing this error because you have <code>DEBUG = True</code>"), {NULL, 0}},
  {R_DEBUG, "Buffalo development error page", RX("(?i)gobuffalo/buffalo"), RX("(?:\\.go:\\d+|goroutine \\d+)")},
  {R_DEBUG, "Rails development exception page", RX("Action Controller: Exception caught"), {NULL, 0}},
  /* Laravel's debug pages (Ignition, or Whoops on older versions); its
   * production page, "Whoops, looks like something went wrong.", says
   * nothing and is not one. */
  {R_DEBUG, "Laravel Ignition debug page", RX("(?:window\\.ignite\\s*\\(|spatie/laravel-ignition|facade/ignition|<title>[^<]*Ignition</title>)"), {NULL, 0}},
  {R_DEBUG, "Laravel Whoops debug page", RX("(?:class=\"Whoops container\"|class=\"frames-container)"), RX("(?:\\.php|frame-file)")},
  {R_DEBUG, "Struts Problem Report (devMode)", RX("(?:<title>Struts Problem Report</title>|Struts has detected an unhandled exception)"), {NULL, 0}},
  {R_DEBUG, ".NET error page with details (customErrors Off)", RX("Server Error in '[^'<]*' Application\\."), RX("(?:Stack Trace:|Exception Details:|Source Error:)")},
  {R_TRACE, "Go panic with goroutine trace", RX("goroutine \\d+ \\[[a-zA-Z ,0-9]+\\]:"), RX("\\.go:\\d+")},
  {R_TRACE, "Go panic", RX("(?m)^panic: .+"), RX("\\n\\s+/[^\\s]+\\.go:\\d+")},
  {R_TRACE, "Python traceback", RX("Traceback \\(most recent call last\\):"), RX("File \"[^\"]+\", line \\d+")},
  {R_TRACE, "Java stack trace", RX("(?m)^\\s*at [A-Za-z0-9_$.]+\\([A-Za-z0-9_]+\\.java:\\d+\\)"), {NULL, 0}},
  /* Tomcat's error report and Struts print frames tab-indented, without "at" */
  {R_TRACE, "Java stack trace (Tomcat/Struts frames)", RX("(?m)^\\t[a-z][A-Za-z0-9_$]*(?:\\.[A-Za-z0-9_$]+)+\\.[A-Za-z0-9_$<>]+\\([A-Za-z0-9_$]+\\.java:\\d+\\)"), {NULL, 0}},
  {R_TRACE, "Java stack trace in JSON", RX("\"trace\"\\s*:\\s*\"[a-z][a-z0-9_.]*\\.[A-Z][A-Za-z0-9_]*(?:Exception|Error)"), {NULL, 0}},
  /* express-generator's error page: <pre>NotFoundError: ... then frames */
  {R_TRACE, "Node.js stack trace", RX("(?m)^\\s*at (?:[^\\n(]+ \\()?(?:/|node:|file://)[^\\n)]+:\\d+:\\d+\\)?\\s*$"), RX("(?m)(?:^|<pre>)[A-Za-z]*Error\\b")},
  /* Express's finalhandler (not production): one line, <br> &nbsp; &nbsp;at */
  {R_TRACE, "Node.js stack trace (Express finalhandler)", RX("<br> ?(?:&nbsp; ?)+at (?:[^<(]+ \\()?(?:/|node:)[^<)]+:\\d+:\\d+\\)?"), RX("<pre>[A-Za-z]*Error\\b")},
  {R_TRACE, "Ruby backtrace", RX("(?m)\\.rb:\\d+:in `"), {NULL, 0}},
  {R_TRACE, ".NET stack trace", RX("(?m)^\\s*at [A-Za-z0-9_.<>`]+\\([^)]*\\) in [^\\n]+:line \\d+"), {NULL, 0}},
  {R_TRACE, "PHP error with a source path", RX("(?:Fatal error|Parse error|Uncaught [A-Za-z\\\\]+)(?:</b>)?:\\s[^\\n]{0,300}? in (?:<b>)?/[^\\s<]+\\.php(?:</b>)?(?: on line (?:<b>)?\\d+|:\\d+)"), {NULL, 0}},
};

static const struct rx ip_rx = RX("(?<![0-9.])(?:10\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)|172\\.(?:1[6-9]|2\\d|3[01])|192\\.168)(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}(?![0-9]|\\.[0-9])");

/* Addresses a discovered API description names as servers, decided in
 * finish: the LK_SPEC_MAX smallest by (document URL, address), whatever
 * order the documents answered in. */
#define LK_SPEC_MAX 32
struct lk_spec_ip {
  char key[600];    /* "URL address": the sort key */
  char url[512];    /* the document's URL */
  char ip[48];
  char server[200]; /* the servers entry that names it */
};

struct lk_state {
  struct lk_spec_ip v[LK_SPEC_MAX];
  int n;
};

/* The servers entry of the API description in p's body that names ip as
 * its host into server (parsed as the scan parses a spec), or 0. */
static int lk_spec_server(struct probe *p, const char *ip, char *server, size_t n)
{
  struct spec sp;
  char err[256];
  if(spec_parse(&sp, buf_str(&p->x.body), p->x.body.len, p->x.url, err, sizeof(err)))
    return 0;
  int found = 0;
  for(size_t i = 0; i < sp.nservers && !found; i++) {
    char host[256];
    if(sp.servers[i] && url_host_of(sp.servers[i], host, sizeof(host)) && !strcmp(host, ip)) {
      snprintf(server, n, "%s", sp.servers[i]);
      found = 1;
    }
  }
  spec_cleanup(&sp);
  return found;
}

/* 1 when inventory.non-production-server reports ip: the spec the scan
 * uses names it as a server, it is not the target's own host, and it
 * looks internal (chk_inventory's test). */
static int lk_inventory_reports(const struct scan *s, const char *ip)
{
  if(!s->have_spec || (s->target.host && !strcmp(ip, s->target.host)) || !url_host_nonprod(ip))
    return 0;
  for(size_t i = 0; i < s->spec.nservers; i++) {
    char host[256];
    if(s->spec.servers[i] && url_host_of(s->spec.servers[i], host, sizeof(host)) &&
       !strcmp(host, ip))
      return 1;
  }
  return 0;
}

static void lk_keep_spec_ip(struct lk_state *ls, const char *url, const char *ip,
                            const char *server)
{
  char key[600];
  snprintf(key, sizeof(key), "%.511s %s", url, ip);
  int found, pos = str_sorted_keep(ls->v, sizeof(ls->v[0]), &ls->n, LK_SPEC_MAX, key, 1, &found);
  if(pos < 0 || found)
    return;
  snprintf(ls->v[pos].url, sizeof(ls->v[pos].url), "%s", url);
  snprintf(ls->v[pos].ip, sizeof(ls->v[pos].ip), "%s", ip);
  snprintf(ls->v[pos].server, sizeof(ls->v[pos].server), "%s", server);
}

/* Internal addresses in the headers that carry one: Location,
 * Content-Location, Set-Cookie's Domain, Via. */
static int lk_header_ip(struct scan *s, struct probe *p)
{
  static const char *const names[] = {"Location", "Content-Location", "Set-Cookie", "Via"};
  char v[1024];
  for(size_t i = 0; i < ARRAY_LEN(names); i++)
    for(int k = 0; k < 8 && http_header(&p->x, names[i], k, v, sizeof(v)); k++) {
      const char *from = v;
      if(i == 2) { /* the Domain attribute only: the value is the app's */
        from = NULL;
        for(const char *c = v; (c = strchr(c, ';')); c++) {
          const char *a = c + 1;
          while(*a == ' ')
            a++;
          if(!strncasecmp(a, "domain=", 7)) {
            from = a + 7;
            break;
          }
        }
        if(!from)
          continue;
      }
      size_t mo, ml;
      if(!rx_search(s->rx, &ip_rx, from, strlen(from), 0, &mo, &ml))
        continue;
      char ip[48];
      snprintf(ip, sizeof(ip), "%.*s", (int)(ml < 40 ? ml : 40), from + mo);
      if(strcmp(ip, s->target.host) == 0)
        continue;
      char ev[1200];
      snprintf(ev, sizeof(ev), "%s: %s", names[i], v);
      scan_flag(s, p, &lk_rules[R_IP], -1, NULL, ev, 0, 0, ip);
      return 1;
    }
  return 0;
}

static void lk_judge(struct scan *s, void *st, struct probe *p)
{
  struct lk_state *ls = st;
  if(p->claimed || !http_answered(&p->x))
    return;
  if(lk_header_ip(s, p))
    scan_ran(s, &lk_rules[R_IP]);
  if(!p->x.body.len)
    return;
  const char *b = buf_str(&p->x.body);
  size_t n = p->x.body.len;
  for(size_t i = 0; i < ARRAY_LEN(lk_rules); i++)
    scan_ran(s, &lk_rules[i]);
  int done[3] = {0};
  for(size_t i = 0; i < ARRAY_LEN(lk_sigs); i++) {
    const struct lk_sig *g = &lk_sigs[i];
    /* A debug page always carries a trace: one finding, the worse one. */
    if(done[g->rule] || (g->rule == R_TRACE && done[R_DEBUG]))
      continue;
    size_t mo, ml;
    if(!rx_search_both(s->rx, &g->rx, &g->also, b, n, &mo, &ml))
      continue;
    done[g->rule] = 1;
    char title[160];
    snprintf(title, sizeof(title), "%s: %s", lk_rules[g->rule].title, g->what);
    /* One finding per kind of page, however many routes serve it: a
     * debug page on every path is one finding with its count. */
    scan_flag(s, p, &lk_rules[g->rule], -1, title, NULL, mo, ml, g->what);
  }
  /* Internal addresses: only when nothing graver was said of this body
   * (an environment dump is full of them and is already reported). */
  if(p->nfindings)
    return;
  size_t mo, ml;
  for(size_t from = 0; rx_search(s->rx, &ip_rx, b, n, from, &mo, &ml); from = mo + ml) {
    char ip[48], server[200];
    snprintf(ip, sizeof(ip), "%.*s", (int)(ml < 40 ? ml : 40), b + mo);
    if(strcmp(ip, s->target.host) == 0)
      return; /* the target's own address is not news */
    /* A discovered API description's server: decided in finish. */
    if((p->flags & PROBE_SPECFIND) && lk_spec_server(p, ip, server, sizeof(server))) {
      lk_keep_spec_ip(ls, p->x.url, ip, server);
      continue;
    }
    scan_flag(s, p, &lk_rules[R_IP], -1, NULL, NULL, mo, ml, ip);
    return;
  }
}

/* The servers of discovered API descriptions that the spec in use does
 * not name (so no inventory.non-production-server says them), as
 * leak.internal-ip, in key order. */
static void lk_finish(struct scan *s, void *st)
{
  struct lk_state *ls = st;
  for(int i = 0; i < ls->n; i++) {
    const struct lk_spec_ip *e = &ls->v[i];
    if(lk_inventory_reports(s, e->ip))
      continue;
    char ev[400];
    snprintf(ev, sizeof(ev), "the API description names the server %.200s", e->server);
    scan_flag_at(s, &lk_rules[R_IP], -1, NULL, "GET", e->url, ev, e->ip);
  }
}

extern const struct wd_check check_leaks;

/* Requests that make frameworks show how they fail, all read-only: an
 * invalid percent-encoding in the query, a request target holding '[',
 * and an Accept the route does not serve. */
static void lk_plan(struct scan *s, void *st)
{
  (void)st;
  if(s->opts->no_discovery)
    return;
  const char *path = s->target.path && *s->target.path ? s->target.path : "/";
  char *q = xasprintf("%s%swarden=%%E0%%A4%%", path, s->target.query ? "?" : "?");
  scan_queue(s, "GET", q, PROBE_ERROR, &check_leaks, 0);
  free(q);
  char *b = xasprintf("%s%swarden[", path, path[strlen(path) - 1] == '/' ? "" : "/");
  scan_queue(s, "GET", b, PROBE_ERROR, &check_leaks, 0);
  free(b);
  scan_queue_as(s, "GET", path, PROBE_ERROR, &check_leaks, 1, ID_CUSTOM,
                "Accept: application/x-warden-none", NULL);
}

const struct wd_check check_leaks = {
  .name = "leaks",
  .summary = "Stack traces, framework debug pages and internal addresses in responses",
  .rules = lk_rules,
  .nrules = ARRAY_LEN(lk_rules),
  .state_size = sizeof(struct lk_state),
  .plan = lk_plan,
  .judge = lk_judge,
  .finish = lk_finish,
};
