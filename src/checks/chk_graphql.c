/*
 * chk_graphql.c - GraphQL endpoints, read-only.
 *
 * Discovery: GET {__typename} at /graphql, /api/graphql, /v1/graphql and
 * /query; an answer whose JSON data names the type ({"data":
 * {"__typename": "Query"}}) is a GraphQL endpoint that runs queries sent
 * with GET (a report note; GraphQL over HTTP allows GET for queries).
 * Introspection is judged by the catalogue (signatures/apidocs.yaml,
 * endpoint.graphql-introspection), on the same paths.
 *
 * On each endpoint found, three more GETs, none of which reads or changes
 * data:
 *  - field suggestions: { usr ordr prodct ... } (misspelled common names);
 *    an error saying "Did you mean" lets anyone rebuild the schema with
 *    introspection turned off;
 *  - mutation over GET: mutation { __typename } touches nothing, and is
 *    answered with data only by a server that runs mutations sent with
 *    GET, which a cross-site link or image can send with the victim's
 *    cookies (GraphQL over HTTP says 405);
 *  - alias amplification: one query of 100 aliases of __typename,
 *    answered whole when nothing counts fields per request.
 * With --active (a POST, one write of the --max-writes budget): a batch
 * of three {__typename} operations in one JSON array; three answers back
 * is graphql.batching. Also with --active, the depth limit: one GET of a
 * small introspection query (GQL_SCHEMA_QUERY, as the main identity: an
 * API may allow introspection to its own users) finds a query field whose
 * type has a field of the same type (users -> friends); one GET of that
 * field nested GQ_DEPTH levels ({users{friends{friends ...{__typename}}}})
 * answered whole, down to the last level, is graphql.no-depth-limit.
 * Without introspection, or without such a field, depth is not judged
 * (warden does not guess a schema).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "../scan/scan_gql.h"
#include "check.h"

enum { R_SUGGEST, R_GETMUT, R_ALIAS, R_BATCH, R_DEPTH };

static const struct wd_rule gq_rules[] = {
  [R_SUGGEST] = {
    .id = "graphql.field-suggestions",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 209,
    .title = "GraphQL field suggestions enabled",
    .summary = "A query with unknown fields gets \"Did you mean ...\" errors that name real fields: the schema can be rebuilt even with introspection off",
    .remediation = "Turn suggestions off in production (graphql-js/Apollo: strip \"Did you mean\" in formatError or a validation hook; graphql-java and others: mask validation messages).",
  },
  [R_GETMUT] = {
    .id = "graphql.get-mutation",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 352,
    .title = "GraphQL mutations run over GET (CSRF)",
    .summary = "A mutation sent as a GET query string is executed: a link or image on another site can make a logged-in user's browser run it",
    .remediation = "Run only queries over GET and answer 405 to any other operation sent with GET (GraphQL over HTTP); require a JSON POST (or a preflight-forcing header) for mutations.",
  },
  [R_ALIAS] = {
    .id = "graphql.alias-amplification",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_RESOURCE,
    .owasp = "API4:2023",
    .cwe = 770,
    .title = "GraphQL query size not limited (aliases)",
    .summary = "One request with 100 aliased fields is executed whole: aliases multiply the work (or the guesses) of one request past any per-request rate limit",
    .remediation = "Limit the cost of a request: count fields and aliases (and depth) in a validation rule and refuse documents over the budget.",
  },
  [R_BATCH] = {
    .id = "graphql.batching",
    .severity = WD_SEV_LOW,
    .category = WD_CAT_RESOURCE,
    .owasp = "API4:2023",
    .cwe = 770,
    .title = "GraphQL batching accepted",
    .summary = "A JSON array of operations in one POST is executed whole: one request carries any number of operations past per-request rate limits (--active)",
    .remediation = "Disable array batching, or count every operation of a batch against the rate limit and cap the batch size.",
  },
  [R_DEPTH] = {
    .id = "graphql.no-depth-limit",
    .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_RESOURCE,
    .owasp = "API4:2023",
    .cwe = 770,
    .title = "GraphQL query depth not limited",
    .summary = "A query nesting a recursive field (users -> friends -> friends ...) 12 levels deep is executed whole: each level multiplies the work, so one small request can exhaust the server (--active)",
    .remediation = "Refuse documents deeper than the schema needs (a depth-limit validation rule, e.g. 7-10 levels) and cost-limit lists (max page sizes, complexity analysis).",
  },
};

extern const struct wd_check check_graphql;

static const char *const gq_paths[] = {"/graphql", "/api/graphql", "/v1/graphql", "/query", NULL};

#define GQ_MAX 4
#define GQ_ALIASES 100
#define GQ_DEPTH 12 /* levels of the deep query: the root field, 10 recursive, __typename */

/* Tags: what a probe asks, and of which endpoint (tag = kind * 8 + i). */
enum { GQ_FIND = 1, GQ_SUGGEST, GQ_GETMUT, GQ_ALIAS, GQ_BATCH, GQ_SCHEMA, GQ_DEEP };

struct gq_state {
  int found[GQ_MAX];
  char root[72], loop[72];
};

/* Percent-encodes a query for the query string. */
static char *gq_url(const char *path, const char *query)
{
  char *enc = str_pct_encode(query, strlen(query), "_-.");
  char *u = xasprintf("%s?query=%s", path, enc);
  free(enc);
  return u;
}

static void gq_plan(struct scan *s, void *st)
{
  (void)st;
  if(s->opts->no_discovery)
    return;
  for(int i = 0; gq_paths[i]; i++) {
    char *u = gq_url(gq_paths[i], "{__typename}");
    scan_queue(s, "GET", u, PROBE_WELLKNOWN, &check_graphql, GQ_FIND * 8 + i);
    free(u);
  }
}

/* The JSON answer's data object, or NULL (the body parsed once by the
 * scan; borrowed). */
static const json_t *gq_data(struct scan *s, struct probe *p)
{
  if(!p->x.body.len || p->x.body.len > 256 * 1024)
    return NULL;
  const json_t *j = scan_body_json(s, p);
  json_t *d = json_is_object(j) ? json_object_get(j, "data") : NULL;
  return json_is_object(d) ? d : NULL;
}

static void gq_follow(struct scan *s, struct probe *p, int i)
{
  static const struct {
    int kind;
    const char *query;
  } asks[] = {
    {GQ_SUGGEST, "{ usr ordr prodct acount itm viewr nod }"},
    {GQ_GETMUT, "mutation { __typename }"},
  };
  for(size_t k = 0; k < ARRAY_LEN(asks); k++) {
    char *u = gq_url(gq_paths[i], asks[k].query);
    struct probe *q = scan_queue(s, "GET", u, PROBE_FOLLOWUP, &check_graphql, asks[k].kind * 8 + i);
    if(q)
      q->parent = p;
    free(u);
  }
  char q[GQ_ALIASES * 16 + 8];
  size_t o = (size_t)snprintf(q, sizeof(q), "{");
  for(int a = 0; a < GQ_ALIASES; a++)
    o += (size_t)snprintf(q + o, sizeof(q) - o, " a%d: __typename", a);
  snprintf(q + o, sizeof(q) - o, " }");
  char *u = gq_url(gq_paths[i], q);
  struct probe *r = scan_queue(s, "GET", u, PROBE_FOLLOWUP, &check_graphql, GQ_ALIAS * 8 + i);
  if(r)
    r->parent = p;
  free(u);
  if(scan_active(s)) {
    static const char batch[] = "[{\"query\":\"{__typename}\"},{\"query\":\"{__typename}\"},"
                                "{\"query\":\"{__typename}\"}]";
    scan_queue_body(s, "POST", gq_paths[i], "application/json", batch, sizeof(batch) - 1,
                    PROBE_FOLLOWUP, &check_graphql, GQ_BATCH * 8 + i, ID_MAIN, NULL, NULL);
  }
}

/* --active: one endpoint's schema is enough, the first of gq_paths that
 * was found (asked once every endpoint has answered, so not whichever
 * answered first). */
static void gq_plan_late(struct scan *s, void *st)
{
  struct gq_state *gs = st;
  if(!scan_active(s))
    return;
  for(int i = 0; i < GQ_MAX && gq_paths[i]; i++)
    if(gs->found[i]) {
      char *su = gq_url(gq_paths[i], GQL_SCHEMA_QUERY);
      scan_queue(s, "GET", su, PROBE_FOLLOWUP, &check_graphql, GQ_SCHEMA * 8 + i);
      free(su);
      return;
    }
}

/* The deep query: {root{loop{loop ... {__typename}}}}, GQ_DEPTH levels. */
static void gq_queue_deep(struct scan *s, struct gq_state *gs, int i)
{
  struct buf b;
  buf_init(&b, 0);
  buf_printf(&b, "{%s", gs->root);
  for(int d = 0; d < GQ_DEPTH - 2; d++)
    buf_printf(&b, "{%s", gs->loop);
  buf_appendz(&b, "{__typename");
  for(int d = 0; d < GQ_DEPTH; d++)
    buf_appendz(&b, "}");
  char *u = gq_url(gq_paths[i], buf_str(&b));
  scan_queue(s, "GET", u, PROBE_FOLLOWUP, &check_graphql, GQ_DEEP * 8 + i);
  free(u);
  buf_cleanup(&b);
}

/* How many levels of the deep answer are there: data.root, then loop
 * in the first element (of a list) at each level, then __typename. */
static int gq_depth_answered(const json_t *data, const struct gq_state *gs)
{
  const json_t *v = json_object_get(data, gs->root);
  int levels = 0;
  for(int d = 0; d < GQ_DEPTH && v; d++) {
    while(json_is_array(v))
      v = json_array_size(v) ? json_array_get(v, 0) : NULL;
    if(!json_is_object(v))
      return levels;
    levels++;
    if(d == GQ_DEPTH - 2)
      return json_is_string(json_object_get(v, "__typename")) ? levels + 1 : levels;
    v = json_object_get(v, gs->loop);
  }
  return levels;
}

static void gq_judge(struct scan *s, void *st, struct probe *p)
{
  struct gq_state *gs = st;
  if(p->origin != &check_graphql || (p->flags & PROBE_REDIRECT) || !http_answered(&p->x))
    return;
  int kind = p->tag / 8, i = p->tag % 8;
  if(i >= GQ_MAX)
    return;
  const json_t *data = gq_data(s, p);
  char ev[400];
  switch(kind) {
  case GQ_FIND: {
    json_t *t = data ? json_object_get(data, "__typename") : NULL;
    if(json_is_string(t) && scan_is_hit(s, p) && !gs->found[i]) {
      gs->found[i] = 1;
      report_note(&s->rep, "GraphQL endpoint %s runs queries sent with GET ({__typename} -> %s)",
                  gq_paths[i], json_string_value(t));
      gq_follow(s, p, i);
    }
    break;
  }
  case GQ_SUGGEST: {
    scan_ran(s, &gq_rules[R_SUGGEST]);
    const char *b = buf_str(&p->x.body);
    const char *hit = str_find(b, p->x.body.len, "Did you mean");
    if(hit) {
      size_t off = (size_t)(hit - b);
      char *ex = str_excerpt(b, p->x.body.len, off > 80 ? off - 80 : 0, 200);
      snprintf(ev, sizeof(ev), "{ usr ordr prodct ... } -> %ld: %s", p->x.status, ex);
      free(ex);
      scan_flag(s, p, &gq_rules[R_SUGGEST], -1, NULL, ev, 0, 0, "suggest");
    }
    break;
  }
  case GQ_GETMUT: {
    scan_ran(s, &gq_rules[R_GETMUT]);
    json_t *t = data ? json_object_get(data, "__typename") : NULL;
    if(json_is_string(t) && p->x.status >= 200 && p->x.status < 300) {
      snprintf(ev, sizeof(ev), "GET ?query=mutation { __typename } -> %ld, data.__typename = \"%.40s\": "
               "the mutation operation ran over GET", p->x.status, json_string_value(t));
      scan_flag(s, p, &gq_rules[R_GETMUT], -1, NULL, ev, 0, 0, "getmut");
    }
    break;
  }
  case GQ_ALIAS: {
    scan_ran(s, &gq_rules[R_ALIAS]);
    if(data && json_object_size(data) >= GQ_ALIASES && json_object_get(data, "a99")) {
      snprintf(ev, sizeof(ev), "one GET with %d aliases of __typename -> %ld, %zu fields answered",
               GQ_ALIASES, p->x.status, json_object_size(data));
      scan_flag(s, p, &gq_rules[R_ALIAS], -1, NULL, ev, 0, 0, "alias");
    }
    break;
  }
  case GQ_BATCH: {
    scan_ran(s, &gq_rules[R_BATCH]);
    const json_t *j = p->x.body.len < 65536 ? scan_body_json(s, p) : NULL;
    size_t answered = 0;
    for(size_t k = 0; json_is_array(j) && k < json_array_size(j); k++)
      answered += json_is_object(json_object_get(json_array_get(j, k), "data"));
    if(answered >= 2 && p->x.status >= 200 && p->x.status < 300) {
      snprintf(ev, sizeof(ev), "POST %s with a JSON array of 3 operations -> %ld, %zu answered",
               gq_paths[i], p->x.status, answered);
      scan_flag(s, p, &gq_rules[R_BATCH], -1, NULL, ev, 0, 0, "batch");
    }
    break;
  }
  case GQ_SCHEMA: {
    /* An introspection answer may be large; the scan's body cap bounds it. */
    const json_t *j = scan_body_json(s, p);
    const json_t *d = json_is_object(j) ? json_object_get(j, "data") : NULL;
    if(d && gql_self_loop(d, gs->root, sizeof(gs->root), gs->loop, sizeof(gs->loop)))
      gq_queue_deep(s, gs, i);
    else
      report_note(&s->rep, "GraphQL endpoint %s: depth not judged (no introspection answer with a "
                  "recursive field)", gq_paths[i]);
    break;
  }
  case GQ_DEEP: {
    scan_ran(s, &gq_rules[R_DEPTH]);
    int levels = data ? gq_depth_answered(data, gs) : 0;
    const json_t *j = scan_body_json(s, p);
    if(levels >= GQ_DEPTH && p->x.status >= 200 && p->x.status < 300 &&
       !json_object_get(j, "errors")) {
      snprintf(ev, sizeof(ev), "GET {%s{%s{%s ... {__typename}}}} nested %d levels -> %ld, all %d "
               "levels answered (%zu bytes)", gs->root, gs->loop, gs->loop, GQ_DEPTH, p->x.status,
               levels, p->x.body.len);
      scan_flag(s, p, &gq_rules[R_DEPTH], -1, NULL, ev, 0, 0, "depth");
    }
    break;
  }
  default:
    break;
  }
}

const struct wd_check check_graphql = {
  .name = "graphql",
  .summary = "GraphQL endpoints: field suggestions, mutations over GET, alias amplification; with --active batching and depth",
  .rules = gq_rules,
  .nrules = ARRAY_LEN(gq_rules),
  .state_size = sizeof(struct gq_state),
  .plan = gq_plan,
  .judge = gq_judge,
  .plan_late = gq_plan_late,
};
