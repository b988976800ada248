/*
 * chk_inputval.c - input validation and injection signals, read-only.
 *
 * Every parameter of a spec GET operation (query parameters and path
 * placeholders) gets a few malformed values, one request each, the other
 * parameters filled with 1: a quote, a backslash, a 2,048-character
 * string, a wrong type, invalid UTF-8 (%C3%28), wd{{7*7}}wd and
 * wd${7*7}wd. Nothing else is sent: GET only, no statement, no payload
 * that does anything if it is run. The scan's own error probe (a value
 * with a quote, PROBE_ERROR) is judged too.
 *
 * Judged on the answer, never by guessing:
 *  - injection.sql-error: the answer carries a database error message
 *    (the table below: PostgreSQL, MySQL/MariaDB, SQLite, SQL Server,
 *    Oracle, and the SQLSTATE form of Go's pgx that GORM passes on);
 *  - injection.template-eval: wd49wd comes back where wd{{7*7}}wd or
 *    wd${7*7}wd was sent: the input was evaluated as a template or an
 *    expression (the markers make a coincidental 49 impossible).
 * Parser traces and stack traces are the leaks check's (leak.stack-trace).
 *
 * Content-type confusion, with --active only (each request is a write,
 * within --max-writes): a spec operation whose requestBody declares a JSON
 * type and neither text/plain, an urlencoded form nor a wildcard, whose
 * body schema declares properties and whose example is a non-empty
 * object (an empty {} accepted as text/plain shows nothing parsed), and
 * whose spec write (its JSON example, sent by the scan as the main
 * identity) was answered 2xx, gets the same example once more as
 * text/plain (the JSON text unchanged) and once as
 * application/x-www-form-urlencoded (its top-level scalar properties as
 * name=value), each type only when the spec does not declare it. At most
 * IV_CT_OPS operations per scan, the first in the order the scan sent
 * them (the spec's), chosen when phase 2 has drained, so the answers'
 * order decides nothing.
 *  - inputval.content-type-confusion: such a request was answered 2xx: the
 *    route takes a body type its spec does not declare (a 415, a 400 or
 *    any other refusal is the declared contract kept). The evidence
 *    names the type, the body sent, the status and the answer's start,
 *    and the status the JSON example got.
 * Not judged: XML bodies and multipart (the same write budget would buy
 * little: a route that takes a form usually takes multipart too), and a
 * route that ignores its body entirely answers 2xx to any type (a false
 * positive the evidence makes plain: the JSON example's status is
 * shown).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "../scan/scan_rx.h"
#include "check.h"

enum { R_SQL, R_TPL, R_CTYPE };

static const struct wd_rule iv_rules[] = {
  [R_SQL] = {
    .id = "injection.sql-error",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 89,
    .title = "Database error on malformed input (possible SQL injection)",
    .summary = "A quote or other malformed value in a parameter makes the API answer with a database error: the value reaches the SQL text",
    .remediation = "Use bound parameters (prepared statements, the ORM's placeholders) for every value, validate parameters by type, and answer a generic 400/500 without the driver's message.",
  },
  [R_TPL] = {
    .id = "injection.template-eval",
    .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 1336,
    .title = "Input evaluated as a template or expression",
    .summary = "wd{{7*7}}wd or wd${7*7}wd sent in a parameter comes back as wd49wd: the server evaluates user input (server-side template injection)",
    .remediation = "Never build a template or expression from input: pass values to a fixed template as variables (Jinja2 render(name=...), Go text/template data), or use a sandboxed engine.",
  },
  [R_CTYPE] = {
    .id = "inputval.content-type-confusion",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 436,
    .title = "Route accepts a request body type its spec does not declare",
    .summary = "The operation's example body sent as text/plain or as an urlencoded form, types its spec does not declare, was accepted (2xx): the route parses whatever it is given, so a cross-site form (text/plain and urlencoded need no CORS preflight) or a filter written for the declared type can reach it (--active)",
    .remediation = "Check the Content-Type against the types the operation declares and answer 415 Unsupported Media Type to any other (Flask: request.get_json() without force=True; Echo: test the header before c.Bind, which also binds forms and XML), and keep the spec's requestBody content true to what the route takes.",
  },
};

extern const struct wd_check check_inputval;

/* Database error messages, as the drivers word them. */
static const struct {
  const char *engine;
  struct rx rx;
} iv_db[] = {
  {"PostgreSQL", RX("ERROR:\\s+(syntax error at or near|unterminated quoted string at or near|invalid input syntax for)")},
  {"PostgreSQL", RX("(pq|psql): (syntax error|unterminated quoted string|invalid input syntax)")},
  /* The server's message as psycopg2's str(e) and other drivers give it,
   * without "ERROR:" (the quote may be JSON-escaped). */
  {"PostgreSQL", RX("(unterminated quoted string|syntax error) at or near \\\\?\"|invalid input syntax for type [a-z ]{3,40}: \\\\?\"")},
  {"PostgreSQL", RX("PG::(SyntaxError|InvalidTextRepresentation)|psycopg2?\\.errors\\.\\w+|org\\.postgresql\\.util\\.PSQLException")},
  {"PostgreSQL (pgx/GORM)", RX("\\(SQLSTATE [0-9A-Z]{5}\\)")},
  /* Error 1064 names the server it came from: Debian's mariadbd answers
   * the quote with "...to your MariaDB server version for the right
   * syntax to use near ''wd''' at line 1", in PyMySQL's (1064, "...") and
   * in the mariadb client's "ERROR 1064 (42000) at line 1: ..." alike. */
  {"MariaDB", RX("You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server version")},
  {"MySQL", RX("You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version")},
  {"MySQL/MariaDB", RX("You have an error in your SQL syntax|check the manual that corresponds to your (MySQL|MariaDB) server version")},
  /* The client's "ERROR 1064 (42000) at line 1:" (batch mode) or
   * "ERROR 1064 (42000):", Go's driver's "Error 1064:" (1.5) and
   * "Error 1064 (42000):" (1.7 on). */
  {"MySQL/MariaDB", RX("(ERROR|Error) 1064( \\(42000\\))?( at line [0-9]+)?:|com\\.mysql\\.(cj\\.)?jdbc|MySQLSyntaxErrorException|Warning: mysqli?_")},
  {"SQLite", RX("sqlite3\\.(OperationalError|IntegrityError|ProgrammingError)|SQLITE_ERROR|SQLiteException|org\\.sqlite\\.")},
  {"SQLite", RX("unrecognized token: \"|near \"[^\"\\n]{0,40}\": syntax error|incomplete input")},
  {"SQL Server", RX("Unclosed quotation mark after the character string|Incorrect syntax near|System\\.Data\\.SqlClient\\.SqlException|Microsoft OLE DB Provider for SQL Server|mssql: ")},
  {"Oracle", RX("ORA-[0-9]{5}|quoted string not properly terminated|oracle\\.jdbc")},
};

/* The malformed values, already percent-encoded. */
static const struct {
  const char *what;
  const char *value;
} iv_vals[] = {
  {"a quote", "wd%27"},
  {"a backslash", "wd%5C"},
  {"invalid UTF-8", "wd%C3%28"},
  {"a wrong type", "wd-not-a-number"},
  {"{{7*7}}", "wd%7B%7B7*7%7D%7Dwd"},
  {"${7*7}", "wd%24%7B7*7%7Dwd"},
  {"a long string", NULL}, /* IV_LONG characters */
};

#define IV_LONG 2048
#define IV_MAX_PARAMS 24 /* parameters tried per scan */
#define IV_TAG_VAL 100   /* tag = IV_TAG_VAL * param + value */

#define IV_CT_OPS 4      /* operations sent undeclared body types, per scan */
#define IV_TAG_CT 100000 /* tag = IV_TAG_CT + index in ct */

/* The undeclared body types tried. */
static const struct {
  const char *ctype;
  unsigned declared; /* the spec_op.body_types bits that declare it */
} iv_ct_types[] = {
  {"text/plain", SPEC_BT_TEXT | SPEC_BT_ANY},
  {"application/x-www-form-urlencoded", SPEC_BT_FORM | SPEC_BT_ANY},
};

/* One undeclared-type request sent. */
struct iv_ct {
  int type;           /* iv_ct_types index */
  long json_status;   /* what the JSON example got */
  char body[200];     /* what was sent (its start) */
};

struct iv_state {
  int params;     /* parameters tried so far */
  struct iv_ct ct[IV_CT_OPS * ARRAY_LEN(iv_ct_types)];
  int nct;
  int ct_ops;     /* operations tried so far */
};

/* The route of op with every placeholder filled with 1, except the
 * target one (index `which` among placeholders, or -1) given val. */
static void iv_fill(struct buf *b, const char *path, int which, const char *val)
{
  int k = 0;
  for(const char *c = path; *c;) {
    if(*c == '{') {
      const char *e = strchr(c, '}');
      if(!e)
        break;
      buf_appendz(b, k == which ? val : "1");
      k++;
      c = e + 1;
    } else {
      buf_append(b, c++, 1);
    }
  }
}

static void iv_queue(struct scan *s, const struct spec_op *op, int pidx, int path_i, size_t query_i,
                     const char *val, int vi)
{
  struct buf b;
  buf_init(&b, 0);
  iv_fill(&b, op->path, path_i, val);
  for(size_t i = 0; i < op->nquery; i++)
    buf_printf(&b, "%c%s=%s", i ? '&' : '?', op->query[i], i == query_i ? val : "1");
  struct probe *p = scan_queue(s, "GET", buf_str(&b), PROBE_FOLLOWUP, &check_inputval,
                               IV_TAG_VAL * pidx + vi);
  if(p)
    p->op = op;
  buf_cleanup(&b);
}

/* One spec operation's parameters, each with every malformed value. */
static void iv_queue_op(struct scan *s, struct iv_state *is, const struct spec_op *op)
{
  char *lng = xmalloc(IV_LONG + 3);
  memcpy(lng, "wd", 2);
  memset(lng + 2, 'A', IV_LONG);
  lng[IV_LONG + 2] = '\0';
  int nph = 0;
  for(const char *c = op->path; (c = strchr(c, '{')); c++)
    nph++;
  for(int t = 0; t < nph + (int)op->nquery && is->params < IV_MAX_PARAMS; t++) {
    int path_i = t < nph ? t : -1;
    size_t query_i = t < nph ? (size_t)-1 : (size_t)(t - nph);
    for(size_t v = 0; v < ARRAY_LEN(iv_vals); v++)
      iv_queue(s, op, is->params, path_i, query_i, iv_vals[v].value ? iv_vals[v].value : lng, (int)v);
    is->params++;
  }
  free(lng);
}

/* The form body of a JSON example object: its top-level strings,
 * numbers and booleans as name=value, percent-encoded; NULL when it has
 * none. */
static char *iv_form_body(const json_t *doc)
{
  struct buf b;
  buf_init(&b, 0);
  const char *k;
  json_t *v;
  /* json_object_foreach takes a non-const object; it only reads it. */
  json_object_foreach((json_t *)doc, k, v) {
    char num[64];
    const char *val = NULL;
    if(json_is_string(v))
      val = json_string_value(v);
    else if(json_is_integer(v))
      snprintf(num, sizeof(num), "%lld", (long long)json_integer_value(v)), val = num;
    else if(json_is_real(v))
      snprintf(num, sizeof(num), "%.17g", json_real_value(v)), val = num;
    else if(json_is_boolean(v))
      val = json_is_true(v) ? "true" : "false";
    if(!val)
      continue;
    char *ek = str_pct_encode(k, strlen(k), "-_.");
    char *ev = str_pct_encode(val, strlen(val), "-_.");
    buf_printf(&b, "%s%s=%s", b.len ? "&" : "", ek, ev);
    free(ek);
    free(ev);
  }
  if(!b.len) {
    buf_cleanup(&b);
    return NULL;
  }
  return buf_steal(&b);
}

/* --active: the spec write p (its JSON example, answered 2xx) once more
 * with each body type its operation does not declare. */
static void iv_ct_queue_op(struct scan *s, struct iv_state *is, const struct probe *p)
{
  const struct spec_op *op = p->op;
  /* The spec's own example (text the spec built, not an answer). */
  json_t *doc = json_loads(op->body_example, 0, NULL);
  if(!json_is_object(doc) || !json_object_size(doc)) {
    json_decref(doc);
    return;
  }
  int sent = 0;
  for(size_t t = 0; t < ARRAY_LEN(iv_ct_types); t++) {
    if((op->body_types & iv_ct_types[t].declared) || !scan_writes_left(s) ||
       is->nct >= (int)ARRAY_LEN(is->ct))
      continue;
    char *body = t == 0 ? xstrdup(op->body_example) : iv_form_body(doc);
    if(!body)
      continue;
    struct iv_ct *c = &is->ct[is->nct];
    memset(c, 0, sizeof(*c));
    c->type = (int)t;
    c->json_status = p->x.status;
    snprintf(c->body, sizeof(c->body), "%.150s%s", body, strlen(body) > 150 ? "..." : "");
    struct probe *q = scan_queue_body(s, op->method, p->path, iv_ct_types[t].ctype, body,
                                      strlen(body), PROBE_FOLLOWUP, &check_inputval,
                                      IV_TAG_CT + is->nct, ID_MAIN, NULL, NULL);
    if(q) {
      q->op = op;
      is->nct++;
      sent = 1;
    }
    free(body);
  }
  json_decref(doc);
  is->ct_ops += sent;
}

/* --active: the spec writes answered 2xx whose operation declares a JSON
 * body, in the order the scan sent them. */
static void iv_ct_plan(struct scan *s, struct iv_state *is)
{
  if(!scan_active(s))
    return;
  size_t n = s->nprobes;
  for(size_t i = 0; i < n && is->ct_ops < IV_CT_OPS; i++) {
    const struct probe *p = s->probes[i];
    const struct spec_op *op = p->op;
    if(!op || !(p->flags & PROBE_SPEC) || p->origin || p->ident != ID_MAIN ||
       !http_method_has_body(p->x.method) || !p->path || p->path[0] != '/' ||
       !http_answered(&p->x) || p->x.status < 200 || p->x.status > 299 ||
       !(op->body_types & SPEC_BT_JSON) || (op->body_types & SPEC_BT_ANY) ||
       !op->nbody_props || !op->body_example || !op->body_ctype || !p->req_ctype ||
       strcmp(p->req_ctype, op->body_ctype))
      continue;
    iv_ct_queue_op(s, is, p);
  }
}

/* An undeclared-type request's answer: a 2xx is the finding. */
static void iv_ct_judge(struct scan *s, struct iv_state *is, struct probe *p)
{
  int i = p->tag - IV_TAG_CT;
  /* A redirect's target is another request: only the answer itself. */
  if(i < 0 || i >= is->nct || !http_answered(&p->x) || (p->flags & PROBE_REDIRECT))
    return;
  const struct iv_ct *c = &is->ct[i];
  scan_ran(s, &iv_rules[R_CTYPE]);
  if(p->x.status < 200 || p->x.status > 299)
    return;
  const char *b = buf_str(&p->x.body);
  char *ex = str_excerpt(b, p->x.body.len, 0, 120);
  char ev[700];
  snprintf(ev, sizeof(ev), "%s %s (the spec declares %s%s) sent as %s: %s -> %ld: %s; the same "
           "example as %s -> %ld", p->x.method, p->path, p->op ? p->op->body_ctype : "JSON",
           p->op && (p->op->body_types & ~SPEC_BT_JSON) ? " and others" : " only",
           iv_ct_types[c->type].ctype, c->body, p->x.status, ex,
           p->op ? p->op->body_ctype : "JSON", c->json_status);
  free(ex);
  char key[200];
  snprintf(key, sizeof(key), "ctype %s %.150s", iv_ct_types[c->type].ctype, p->path);
  scan_flag(s, p, &iv_rules[R_CTYPE], -1, NULL, ev, 0, 0, key);
}

/* The spec routes that answered get the malformed values once (the
 * ordinary request, not the error variant, starts them), in the order
 * the scan asked them (the spec's), so the IV_MAX_PARAMS tried do not
 * depend on the order the answers came in. */
static void iv_plan_late(struct scan *s, void *st)
{
  struct iv_state *is = st;
  size_t n = s->nprobes;
  for(size_t i = 0; i < n && is->params < IV_MAX_PARAMS; i++) {
    const struct probe *p = s->probes[i];
    if(p->op && (p->flags & PROBE_SPEC) && !(p->flags & (PROBE_ERROR | PROBE_REDIRECT)) &&
       p->ident == ID_MAIN && p->origin == NULL && !strcmp(p->x.method, "GET") &&
       http_answered(&p->x) && (strchr(p->op->path, '{') || p->op->nquery))
      iv_queue_op(s, is, p->op);
  }
  iv_ct_plan(s, is);
}

static void iv_judge(struct scan *s, void *st, struct probe *p)
{
  struct iv_state *is = st;
  if(p->origin == &check_inputval && p->tag >= IV_TAG_CT) {
    iv_ct_judge(s, is, p);
    return;
  }
  if(!http_answered(&p->x) || strcmp(p->x.method, "GET") || (p->flags & PROBE_REDIRECT))
    return;
  int ours = p->origin == &check_inputval;
  if(!ours && !(p->flags & PROBE_ERROR))
    return;
  const char *b = buf_str(&p->x.body);
  size_t n = p->x.body.len;
  const char *what = ours ? iv_vals[p->tag % IV_TAG_VAL].what : "a quote (the scan's error value)";
  char ev[400];
  scan_ran(s, &iv_rules[R_SQL]);
  for(size_t i = 0; i < ARRAY_LEN(iv_db); i++) {
    size_t mo, ml;
    if(!rx_search(s->rx, &iv_db[i].rx, b, n, 0, &mo, &ml))
      continue;
    char *ex = str_excerpt(b, n, mo > 60 ? mo - 60 : 0, 200);
    snprintf(ev, sizeof(ev), "%s in a parameter -> %ld with a %s error: %s", what, p->x.status,
             iv_db[i].engine, ex);
    free(ex);
    char key[160];
    snprintf(key, sizeof(key), "sql %s", p->op ? p->op->path : p->path);
    scan_flag(s, p, &iv_rules[R_SQL], -1, NULL, ev, 0, 0, key);
    break;
  }
  if(!ours || (p->tag % IV_TAG_VAL != 4 && p->tag % IV_TAG_VAL != 5))
    return;
  scan_ran(s, &iv_rules[R_TPL]);
  const char *hit = str_find(b, n, "wd49wd");
  if(hit) {
    size_t off = (size_t)(hit - b);
    char *ex = str_excerpt(b, n, off > 60 ? off - 60 : 0, 160);
    snprintf(ev, sizeof(ev), "wd%swd sent, wd49wd came back (%ld): %s", what, p->x.status, ex);
    free(ex);
    char key[160];
    snprintf(key, sizeof(key), "tpl %s", p->op ? p->op->path : p->path);
    scan_flag(s, p, &iv_rules[R_TPL], -1, NULL, ev, 0, 0, key);
  }
}

const struct wd_check check_inputval = {
  .name = "inputval",
  .summary = "Input validation: database errors and template evaluation on malformed GET parameters; with --active, request bodies of a type the spec does not declare",
  .rules = iv_rules,
  .nrules = ARRAY_LEN(iv_rules),
  .state_size = sizeof(struct iv_state),
  .judge = iv_judge,
  .plan_late = iv_plan_late,
};
