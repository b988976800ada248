/* Unit tests: the OpenAPI/Swagger reader's compact model (scan_spec.h).
 * Every expected value below is read off the spec text of its test. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/scan/scan_spec.h"

static const struct spec_op *find_op(const struct spec *sp, const char *method,
                                     const char *path)
{
  for(size_t i = 0; i < sp->n; i++)
    if(!strcmp(sp->ops[i].method, method) && !strcmp(sp->ops[i].path, path))
      return &sp->ops[i];
  return NULL;
}

static const struct spec_param *find_param(const struct spec_param *v, size_t n,
                                           const char *name)
{
  for(size_t i = 0; i < n; i++)
    if(!strcmp(v[i].name, name))
      return &v[i];
  return NULL;
}

/* OpenAPI 3: servers with a variable, $ref to parameters, request
 * bodies, schemas and responses, allOf, arrays of objects. */
static const char oas3[] =
  "openapi: 3.0.3\n"
  "info: {title: Pets}\n"
  "servers:\n"
  "  - url: 'https://{region}.example.com/api/v2'\n"
  "    variables: {region: {default: eu}}\n"
  "  - url: /fallback\n"
  "paths:\n"
  "  /pets/{petId}:\n"
  "    parameters:\n"
  "      - $ref: '#/components/parameters/PetId'\n"
  "    get:\n"
  "      operationId: getPet\n"
  "      summary: One pet\n"
  "      tags: [pets, read]\n"
  "      parameters:\n"
  "        - {name: limit, in: query, schema: {type: integer, maximum: 50, default: 10}}\n"
  "        - {name: X-Trace, in: header, example: abc}\n"
  "        - {name: sid, in: cookie, schema: {type: string, enum: [a1, b2]}}\n"
  "      responses:\n"
  "        '404': {description: no}\n"
  "        '200':\n"
  "          description: ok\n"
  "          content:\n"
  "            application/json:\n"
  "              schema: {$ref: '#/components/schemas/Pet'}\n"
  "    put:\n"
  "      deprecated: true\n"
  "      requestBody:\n"
  "        $ref: '#/components/requestBodies/PetBody'\n"
  "      responses:\n"
  "        '204': {description: done}\n"
  "  /pets:\n"
  "    get:\n"
  "      responses:\n"
  "        '200':\n"
  "          description: list\n"
  "          content:\n"
  "            application/json:\n"
  "              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}\n"
  "    post:\n"
  "      requestBody:\n"
  "        content:\n"
  "          text/plain: {schema: {type: string}}\n"
  "          application/json:\n"
  "            example: {name: Rex, tag: dog}\n"
  "            schema: {$ref: '#/components/schemas/Pet'}\n"
  "  /upload:\n"
  "    post:\n"
  "      requestBody:\n"
  "        content:\n"
  "          multipart/form-data:\n"
  "            schema: {type: object, properties: {file: {type: string, format: binary}}}\n"
  "components:\n"
  "  parameters:\n"
  "    PetId: {name: petId, in: path, required: true, schema: {type: string, format: uuid}}\n"
  "  requestBodies:\n"
  "    PetBody:\n"
  "      content:\n"
  "        application/json:\n"
  "          schema: {$ref: '#/components/schemas/NewPet'}\n"
  "  schemas:\n"
  "    Base:\n"
  "      type: object\n"
  "      required: [name]\n"
  "      properties:\n"
  "        name: {type: string, maxLength: 64}\n"
  "    Pet:\n"
  "      allOf:\n"
  "        - $ref: '#/components/schemas/Base'\n"
  "        - type: object\n"
  "          properties:\n"
  "            id: {type: integer, format: int64}\n"
  "            tag: {type: string}\n"
  "    NewPet:\n"
  "      type: object\n"
  "      required: [name, age]\n"
  "      properties:\n"
  "        name: {type: string, example: Rex}\n"
  "        age: {type: integer, minimum: 2}\n"
  "        born: {type: string, format: date}\n"
  "        owner: {type: object, properties: {email: {type: string, format: email}}}\n"
  "        vaccinated: {type: boolean}\n";

static void spec_oas3_compact_model(void **state)
{
  (void)state;
  struct spec sp;
  char err[256];
  assert_int_equal(spec_parse(&sp, oas3, strlen(oas3), "pets.yaml", err, sizeof(err)), 0);
  assert_string_equal(sp.title, "Pets");
  /* GET+PUT /pets/{petId}, GET+POST /pets, POST /upload. */
  assert_int_equal(sp.n, 5);
  assert_int_equal(sp.refs_unresolved, 0);
  assert_int_equal(sp.nservers, 2);
  assert_string_equal(sp.servers[0], "https://eu.example.com/api/v2");
  assert_string_equal(sp.servers[1], "/fallback");

  /* The base path comes from the first server. */
  const struct spec_op *g = find_op(&sp, "GET", "/api/v2/pets/{petId}");
  assert_non_null(g);
  assert_string_equal(g->operation_id, "getPet");
  assert_string_equal(g->summary, "One pet");
  assert_int_equal(g->ntags, 2);
  assert_string_equal(g->tags[0], "pets");
  assert_string_equal(g->tags[1], "read");
  assert_false(g->deprecated);
  assert_int_equal(g->nparams, 4);
  const struct spec_param *p = find_param(g->params, g->nparams, "petId");
  assert_non_null(p);
  assert_int_equal(p->in, SPEC_IN_PATH);
  assert_string_equal(p->type, "string");
  assert_string_equal(p->format, "uuid");
  assert_true(p->required);
  assert_null(p->example);
  p = find_param(g->params, g->nparams, "limit");
  assert_non_null(p);
  assert_int_equal(p->in, SPEC_IN_QUERY);
  assert_string_equal(p->type, "integer");
  assert_string_equal(p->example, "10"); /* the default */
  assert_true(p->has_maximum);
  assert_true(p->maximum == 50.0);
  assert_false(p->required);
  p = find_param(g->params, g->nparams, "X-Trace");
  assert_int_equal(p->in, SPEC_IN_HEADER);
  assert_string_equal(p->example, "abc");
  p = find_param(g->params, g->nparams, "sid");
  assert_int_equal(p->in, SPEC_IN_COOKIE);
  assert_string_equal(p->example, "a1"); /* the first enum value */
  /* op->query keeps its old meaning: the query parameter names. */
  assert_int_equal(g->nquery, 1);
  assert_string_equal(g->query[0], "limit");
  /* 200 (not 404): Pet = Base (name) + id, tag. */
  assert_true(g->resp_props_known);
  assert_int_equal(g->nresp_props, 3);
  assert_string_equal(g->resp_props[0], "name");
  assert_string_equal(g->resp_props[1], "id");
  assert_string_equal(g->resp_props[2], "tag");
  assert_null(g->body_ctype);
  assert_null(g->body_example);
  assert_int_equal(g->body_types, 0);

  /* PUT: a body by $ref to requestBodies, whose schema is a $ref. */
  const struct spec_op *u = find_op(&sp, "PUT", "/api/v2/pets/{petId}");
  assert_non_null(u);
  assert_true(u->deprecated);
  assert_null(u->operation_id);
  assert_int_equal(u->nparams, 1); /* the path item's petId */
  assert_string_equal(u->body_ctype, "application/json");
  assert_int_equal(u->body_types, SPEC_BT_JSON);
  assert_string_equal(u->body_example,
                      "{\"name\":\"Rex\",\"age\":2,\"born\":\"2024-01-01\","
                      "\"owner\":{\"email\":\"user@example.com\"},\"vaccinated\":true}");
  assert_int_equal(u->nbody_props, 5);
  p = find_param(u->body_props, u->nbody_props, "name");
  assert_int_equal(p->in, SPEC_IN_BODY);
  assert_true(p->required);
  assert_string_equal(p->example, "Rex");
  p = find_param(u->body_props, u->nbody_props, "age");
  assert_true(p->required);
  assert_string_equal(p->type, "integer");
  p = find_param(u->body_props, u->nbody_props, "born");
  assert_false(p->required);
  assert_string_equal(p->format, "date");
  /* 204 declares no schema. */
  assert_false(u->resp_props_known);
  assert_int_equal(u->nresp_props, 0);

  /* GET /pets: the items of a top-level array. */
  const struct spec_op *l = find_op(&sp, "GET", "/api/v2/pets");
  assert_true(l->resp_props_known);
  assert_int_equal(l->nresp_props, 3);
  /* POST /pets: JSON is picked over text/plain; the media example wins. */
  const struct spec_op *c = find_op(&sp, "POST", "/api/v2/pets");
  assert_string_equal(c->body_ctype, "application/json");
  /* Every declared type is kept (text/plain is declared: no confusion). */
  assert_int_equal(c->body_types, SPEC_BT_JSON | SPEC_BT_TEXT);
  assert_string_equal(c->body_example, "{\"name\":\"Rex\",\"tag\":\"dog\"}");
  assert_int_equal(c->nbody_props, 3);
  /* POST /upload: no JSON body to build, the fields are still known. */
  const struct spec_op *up = find_op(&sp, "POST", "/api/v2/upload");
  assert_string_equal(up->body_ctype, "multipart/form-data");
  assert_int_equal(up->body_types, SPEC_BT_MULTIPART);
  assert_null(up->body_example);
  assert_int_equal(up->nbody_props, 1);
  assert_string_equal(up->body_props[0].format, "binary");
  spec_cleanup(&sp);
}

/* Swagger 2 in JSON: host+basePath, body and formData parameters,
 * definitions, a response schema. */
static const char swagger[] =
  "{\"swagger\": \"2.0\", \"info\": {\"title\": \"Store\"},\n"
  " \"host\": \"shop.example.com\", \"basePath\": \"/v1/\", \"schemes\": [\"http\"],\n"
  " \"consumes\": [\"application/xml\", \"application/json\"],\n"
  " \"paths\": {\n"
  "  \"/orders\": {\n"
  "   \"post\": {\"parameters\": [{\"in\": \"body\", \"name\": \"o\",\n"
  "              \"schema\": {\"$ref\": \"#/definitions/Order\"}}],\n"
  "            \"responses\": {\"201\": {\"schema\": {\"$ref\": \"#/definitions/Order\"}}}},\n"
  "   \"get\": {\"parameters\": [{\"in\": \"query\", \"name\": \"page\", \"type\": \"integer\",\n"
  "             \"maximum\": 100}, {\"$ref\": \"#/parameters/Missing\"}]}},\n"
  "  \"/login\": {\"post\": {\"consumes\": [\"application/x-www-form-urlencoded\"],\n"
  "   \"parameters\": [{\"in\": \"formData\", \"name\": \"user\", \"type\": \"string\",\n"
  "                   \"required\": true}]}}},\n"
  " \"definitions\": {\"Order\": {\"type\": \"object\", \"properties\": {\n"
  "   \"qty\": {\"type\": \"integer\", \"example\": 3},\n"
  "   \"sku\": {\"type\": \"string\", \"example\": 12}}}}}\n";

static void spec_swagger_compact_model(void **state)
{
  (void)state;
  struct spec sp;
  char err[256];
  assert_int_equal(spec_parse(&sp, swagger, strlen(swagger), "s.json", err, sizeof(err)), 0);
  assert_int_equal(sp.n, 3);
  assert_int_equal(sp.nservers, 1);
  assert_string_equal(sp.servers[0], "http://shop.example.com/v1/");
  /* The one $ref to #/parameters/Missing leads nowhere. */
  assert_int_equal(sp.refs_unresolved, 1);
  const struct spec_op *o = find_op(&sp, "POST", "/v1/orders");
  assert_non_null(o);
  /* The document consumes JSON among others: JSON is chosen. */
  assert_string_equal(o->body_ctype, "application/json");
  /* The document's consumes: XML and JSON. */
  assert_int_equal(o->body_types, SPEC_BT_XML | SPEC_BT_JSON);
  /* sku is a string: its example 12 is sent as "12". */
  assert_string_equal(o->body_example, "{\"qty\":3,\"sku\":\"12\"}");
  assert_int_equal(o->nbody_props, 2);
  assert_true(o->resp_props_known);
  assert_int_equal(o->nresp_props, 2);
  assert_string_equal(o->resp_props[1], "sku");
  const struct spec_op *g = find_op(&sp, "GET", "/v1/orders");
  assert_int_equal(g->nparams, 1);
  assert_string_equal(g->params[0].type, "integer");
  assert_true(g->params[0].has_maximum && g->params[0].maximum == 100.0);
  assert_false(g->resp_props_known);
  const struct spec_op *lg = find_op(&sp, "POST", "/v1/login");
  assert_string_equal(lg->body_ctype, "application/x-www-form-urlencoded");
  assert_int_equal(lg->body_types, SPEC_BT_FORM);
  assert_null(lg->body_example);
  assert_int_equal(lg->nbody_props, 1);
  assert_string_equal(lg->body_props[0].name, "user");
  assert_true(lg->body_props[0].required);
  assert_int_equal(lg->nparams, 0);
  spec_cleanup(&sp);
}

/* A reference cycle and a chain stop; aliases across path items fall back
 * to reading the document whole and still resolve. */
static void spec_refs_bounded_and_aliases(void **state)
{
  (void)state;
  const char *cyc =
    "openapi: 3.0.0\n"
    "paths:\n"
    "  /a:\n"
    "    post:\n"
    "      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/A'}}}}\n"
    "components:\n"
    "  schemas:\n"
    "    A: {$ref: '#/components/schemas/B'}\n"
    "    B: {$ref: '#/components/schemas/A'}\n"
    "    Self: {type: object, properties: {next: {$ref: '#/components/schemas/Self'}}}\n";
  struct spec sp;
  char err[256];
  assert_int_equal(spec_parse(&sp, cyc, strlen(cyc), "c.yaml", err, sizeof(err)), 0);
  assert_int_equal(sp.n, 1);
  assert_true(sp.refs_unresolved >= 1);
  assert_string_equal(sp.ops[0].body_ctype, "application/json");
  assert_int_equal(sp.ops[0].body_types, SPEC_BT_JSON);
  assert_string_equal(sp.ops[0].body_example, "null");
  spec_cleanup(&sp);

  const char *self =
    "openapi: 3.0.0\n"
    "paths:\n"
    "  /s:\n"
    "    post:\n"
    "      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/S'}}}}\n"
    "components:\n"
    "  schemas:\n"
    "    S: {type: object, properties: {n: {$ref: '#/components/schemas/S'}}}\n";
  assert_int_equal(spec_parse(&sp, self, strlen(self), "s.yaml", err, sizeof(err)), 0);
  /* Nested 8 levels deep, then null: {"n":{"n":...null...}}. */
  const char *ex = sp.ops[0].body_example;
  assert_non_null(ex);
  size_t opens = 0;
  for(const char *c = ex; *c; c++)
    opens += *c == '{';
  assert_int_equal(opens, 9);
  assert_non_null(strstr(ex, "null"));
  spec_cleanup(&sp);

  const char *anch =
    "openapi: 3.0.0\n"
    "x-common: &params\n"
    "  - {name: a, in: query}\n"
    "paths:\n"
    "  /x:\n"
    "    get: {parameters: *params}\n"
    "  /y:\n"
    "    get: &op {parameters: [{name: b, in: query}]}\n"
    "  /z:\n"
    "    get: *op\n";
  assert_int_equal(spec_parse(&sp, anch, strlen(anch), "a.yaml", err, sizeof(err)), 0);
  assert_int_equal(sp.n, 3);
  assert_string_equal(find_op(&sp, "GET", "/x")->query[0], "a");
  assert_string_equal(find_op(&sp, "GET", "/z")->query[0], "b");
  spec_cleanup(&sp);
}

/* Errors name the document, the line and the column. */
static void spec_errors_name_line_col(void **state)
{
  (void)state;
  struct spec sp;
  char err[256];
  const char *bad = "openapi: 3.0.0\npaths:\n  /x: [unclosed\n";
  assert_int_equal(spec_parse(&sp, bad, strlen(bad), "bad.yaml", err, sizeof(err)), -1);
  /* libyaml stops at the end of the text: line 4, column 1. */
  assert_non_null(strstr(err, "bad.yaml:4:1: "));
  const char *badjson = "{\"openapi\": \"3.0.0\",\n \"paths\": {\"/a\": [}}";
  assert_int_equal(spec_parse(&sp, badjson, strlen(badjson), "b.json", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "b.json:2:"));
  const char *notmap = "openapi: 3.0.0\npaths: [a]\n";
  assert_int_equal(spec_parse(&sp, notmap, strlen(notmap), "n.yaml", err, sizeof(err)), -1);
  assert_string_equal(err, "n.yaml:2:8: OpenAPI document: \"paths\" is not a mapping");
  const char *nopaths = "swagger: '2.0'\ninfo: {title: t}\n";
  assert_int_equal(spec_parse(&sp, nopaths, strlen(nopaths), "p.yaml", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "p.yaml: OpenAPI document has no \"paths\""));
  const char *notspec = "\n  a: 1\n";
  assert_int_equal(spec_parse(&sp, notspec, strlen(notspec), "x.yaml", err, sizeof(err)), -1);
  assert_string_equal(err, "x.yaml:2:3: not an OpenAPI document (no \"openapi\" or \"swagger\" key)");
  const char *utf = "openapi: 3.0.0\ninfo: {title: \"\xff\"}\n";
  assert_int_equal(spec_parse(&sp, utf, strlen(utf), "u.yaml", err, sizeof(err)), -1);
  assert_string_equal(err, "u.yaml:2:16: not valid UTF-8 (byte 0xff)");
  const char *alias = "openapi: 3.0.0\npaths:\n  /b: *nowhere\n";
  assert_int_equal(spec_parse(&sp, alias, strlen(alias), "al.yaml", err, sizeof(err)), -1);
  assert_non_null(strstr(err, "al.yaml:3:7: alias *nowhere has no anchor"));
  assert_null(sp.ops);
}

/* Every operation is kept: no cap on what is read. */
static void spec_keeps_every_operation(void **state)
{
  (void)state;
  size_t nops = 6000;
  size_t cap = 64 + nops * 64;
  char *t = malloc(cap);
  size_t n = (size_t)snprintf(t, cap, "{\"openapi\":\"3.0.0\",\"paths\":{");
  for(size_t i = 0; i < nops; i++)
    n += (size_t)snprintf(t + n, cap - n, "%s\"/r%zu\":{\"get\":{}}", i ? "," : "", i);
  n += (size_t)snprintf(t + n, cap - n, "}}");
  struct spec sp;
  char err[256];
  assert_int_equal(spec_parse(&sp, t, n, "big.json", err, sizeof(err)), 0);
  assert_int_equal(sp.n, nops);
  assert_string_equal(sp.ops[nops - 1].path, "/r5999");
  spec_cleanup(&sp);
  free(t);
}

/* OpenAPI 3.1 webhooks and operation callbacks: each request the API
 * sends is kept with what documents its signature (a header parameter
 * naming a signature or HMAC, from the path item or the operation and
 * through $ref, or a security requirement), bounded. */
static const char hooks[] =
  "openapi: 3.1.0\n"
  "info: {title: Hooks}\n"
  "components:\n"
  "  parameters:\n"
  "    Sig: {name: X-Hub-Signature-256, in: header, schema: {type: string}}\n"
  "  pathItems:\n"
  "    Refund: {post: {responses: {'200': {description: ok}}}}\n"
  "webhooks:\n"
  "  orderShipped:\n"
  "    post:\n"
  "      parameters: [{name: X-Request-Id, in: header}, {name: signature, in: query}]\n"
  "      responses: {'200': {description: ok}}\n"
  "  orderPaid:\n"
  "    parameters: [{$ref: '#/components/parameters/Sig'}]\n"
  "    post: {responses: {'200': {description: ok}}}\n"
  "  refund: {$ref: '#/components/pathItems/Refund'}\n"
  "  x-note: {post: {}}\n"
  "paths:\n"
  "  /subscriptions:\n"
  "    get: {responses: {'200': {description: ok}}}\n"
  "    post:\n"
  "      callbacks:\n"
  "        onEvent:\n"
  "          '{$request.body#/callbackUrl}':\n"
  "            post:\n"
  "              security: [{hmacKey: []}]\n"
  "              responses: {'200': {description: ok}}\n"
  "            put:\n"
  "              parameters: [{name: Webhook-HMAC, in: header}]\n"
  "              responses: {'200': {description: ok}}\n"
  "        onCancel:\n"
  "          '{$request.query.url}':\n"
  "            delete:\n"
  "              security: [{}]\n"
  "              responses: {'200': {description: ok}}\n"
  "      responses: {'201': {description: ok}}\n";

static void spec_webhooks_and_callbacks(void **state)
{
  (void)state;
  struct spec sp;
  char err[256];
  assert_int_equal(spec_parse(&sp, hooks, strlen(hooks), "hooks.yaml", err, sizeof(err)), 0);
  assert_int_equal(sp.nhooks, 6);
  assert_int_equal(sp.hooks_total, 6);
  /* Webhooks first (the top of the document is read before the paths). */
  assert_string_equal(sp.hooks[0].name, "orderShipped");
  assert_string_equal(sp.hooks[0].method, "POST");
  assert_null(sp.hooks[0].expr);
  assert_true(sp.hooks[0].op == SPEC_HOOK_NO_OP);
  assert_null(sp.hooks[0].signature); /* a query parameter, an unrelated header */
  assert_string_equal(sp.hooks[1].name, "orderPaid");
  assert_string_equal(sp.hooks[1].signature, "X-Hub-Signature-256");
  assert_string_equal(sp.hooks[2].name, "refund");
  assert_null(sp.hooks[2].signature);
  /* The callbacks of POST /subscriptions. */
  const struct spec_op *post = find_op(&sp, "POST", "/subscriptions");
  assert_non_null(post);
  size_t owner = (size_t)(post - sp.ops);
  /* A path item's methods are read in one fixed order (get, put, post,
   * delete, ...), not the document's. */
  assert_string_equal(sp.hooks[3].name, "onEvent");
  assert_string_equal(sp.hooks[3].expr, "{$request.body#/callbackUrl}");
  assert_string_equal(sp.hooks[3].method, "PUT");
  assert_true(sp.hooks[3].op == owner);
  assert_string_equal(sp.hooks[3].signature, "Webhook-HMAC");
  assert_string_equal(sp.hooks[4].method, "POST");
  assert_true(sp.hooks[4].op == owner);
  assert_string_equal(sp.hooks[4].signature, "security");
  assert_string_equal(sp.hooks[5].name, "onCancel");
  assert_string_equal(sp.hooks[5].method, "DELETE");
  assert_null(sp.hooks[5].signature); /* [{}]: optional, nothing required */
  spec_cleanup(&sp);
  assert_null(sp.hooks);

  /* Bounded: 70 webhooks are counted, 64 kept. */
  char *t = malloc(16384);
  size_t n = (size_t)snprintf(t, 16384, "{\"openapi\":\"3.1.0\",\"paths\":{},\"webhooks\":{");
  for(int i = 0; i < 70; i++)
    n += (size_t)snprintf(t + n, 16384 - n, "%s\"h%d\":{\"post\":{}}", i ? "," : "", i);
  n += (size_t)snprintf(t + n, 16384 - n, "}}");
  assert_int_equal(spec_parse(&sp, t, n, "many.json", err, sizeof(err)), 0);
  assert_int_equal(sp.hooks_total, 64); /* each_pair reads at most 64 names */
  assert_int_equal(sp.nhooks, SPEC_MAX_HOOKS);
  spec_cleanup(&sp);
  free(t);
}

int main(void)
{
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(spec_oas3_compact_model),
    cmocka_unit_test(spec_swagger_compact_model),
    cmocka_unit_test(spec_refs_bounded_and_aliases),
    cmocka_unit_test(spec_errors_name_line_col),
    cmocka_unit_test(spec_keeps_every_operation),
    cmocka_unit_test(spec_webhooks_and_callbacks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
