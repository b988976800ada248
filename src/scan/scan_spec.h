/*
 * scan_spec.h - what warden reads of an OpenAPI (3.x) or Swagger (2.0)
 * document, in compact form: per operation, its method and path, whether
 * a security requirement applies, its parameters (with type, format,
 * example, bounds), identity (operationId, summary, tags, deprecated),
 * its request body (media type, an example body, top-level properties)
 * and the properties its 2xx JSON answer declares; the document's title
 * and servers; the requests the API itself sends (3.1 webhooks, callbacks)
 * and what documents their signature. Every string is owned by the spec.
 *
 * JSON and YAML both parse with libyaml's events through the shared
 * hardened loader (src/yaml: depth, node and alias budgets). The paths
 * are read one path item at a time (only the rest of the document, the
 * part "$ref" points into, is kept as a tree while they are read), so a
 * large spec costs little beyond its text. "$ref" is resolved only
 * within the document ("#/components/...", "#/definitions/...", any
 * local JSON pointer), with a bounded chain. Every operation is kept:
 * what is sent is bounded by the scan (--max-requests), not here.
 */
#ifndef WD_SCAN_SPEC_H
#define WD_SCAN_SPEC_H
#include <stddef.h>

struct spec_strs;

enum spec_in { SPEC_IN_PATH, SPEC_IN_QUERY, SPEC_IN_HEADER, SPEC_IN_COOKIE, SPEC_IN_BODY };

struct spec_param {
  char *name;
  enum spec_in in;
  char *type;        /* "integer", "string", "array", ... or NULL */
  char *format;      /* "uuid", "uri", "int64", ... or NULL */
  char *example;     /* example/default/first enum value as text, or NULL */
  int required;
  int has_maximum;   /* maximum (numbers) or maxItems/maxLength declared */
  double maximum;
};

/* Request body media types, as the bits of spec_op.body_types. */
enum {
  SPEC_BT_JSON = 1,       /* application/json, ...+json */
  SPEC_BT_FORM = 2,       /* application/x-www-form-urlencoded */
  SPEC_BT_MULTIPART = 4,  /* multipart/... */
  SPEC_BT_XML = 8,        /* application/xml, text/xml, ...+xml */
  SPEC_BT_TEXT = 16,      /* text/plain */
  SPEC_BT_OTHER = 32,     /* any other named type */
  SPEC_BT_ANY = 64,       /* a wildcard (star/star, text/star, ...): any type may be meant */
};

struct spec_op {
  char *method;      /* uppercase */
  char *path;        /* with the base path, "{id}" placeholders kept */
  char **query;      /* names of query parameters (at most SPEC_MAX_QUERY) */
  size_t nquery;
  struct spec_param *params; /* path, query, header, cookie */
  size_t nparams;
  char *operation_id, *summary; /* or NULL */
  char **tags;
  size_t ntags;
  char *body_ctype;  /* request body media type ("application/json"), or NULL */
  unsigned body_types; /* every request body media type declared, as
                        SPEC_BT_* bits (0: no body declared) */
  char *body_example;/* a JSON request body built from the example or the
                        schema (properties filled by type/format/example),
                        at most SPEC_MAX_EXAMPLE bytes, or NULL; only for a
                        JSON media type */
  struct spec_param *body_props; /* top-level request body properties (or
                        form fields), in SPEC_IN_BODY */
  size_t nbody_props;
  char **resp_props; /* property names the 2xx JSON response declares (top
                        level, and the items of a top-level array) */
  size_t nresp_props;
  int secured;       /* a non-empty security requirement applies */
  int deprecated;
  int resp_props_known; /* 1 when a 2xx response schema was declared */
};

/* A request the API sends to a URL its clients chose: an OpenAPI 3.1
 * top-level webhook, or an operation's callback. Kept so that a check can
 * ask whether the document says how the receiver tells it is genuine. */
struct spec_hook {
  char *name;        /* the webhook's or the callback's name */
  char *method;      /* the request the API sends, uppercase ("POST") */
  char *expr;        /* a callback's URL expression
                        ("{$request.body#/callbackUrl}"); NULL for a webhook */
  size_t op;         /* a callback: the index in ops of the operation that
                        declares it (the one registering the URL);
                        SPEC_HOOK_NO_OP for a webhook */
  char *signature;   /* what documents a signature: the name of a header
                        parameter naming a signature or an HMAC, or
                        "security" (a non-empty security requirement on the
                        request); NULL when nothing does */
};
#define SPEC_HOOK_NO_OP ((size_t)-1)

struct spec {
  struct spec_op *ops;
  size_t n, cap;
  struct spec_hook *hooks; /* at most SPEC_MAX_HOOKS, in document order */
  size_t nhooks;
  size_t hooks_total;      /* all the document declares (past the bound too) */
  char *title;
  char **servers;    /* servers[].url, or scheme://host+basePath (Swagger) */
  size_t nservers;
  size_t refs_unresolved; /* "$ref"s that pointed nowhere, outside the
                             document, or past the chain bound */
  struct spec_strs *strs; /* the interned strings every field points to */
};

/* Bounds of the compact form (each keeps the spec small whatever the
 * document says; what is past them is left out, never an error). */
#define SPEC_MAX_QUERY 16      /* op->query names */
#define SPEC_MAX_PARAMS 64     /* params and body_props per operation */
#define SPEC_MAX_RESP_PROPS 64
#define SPEC_MAX_TAGS 16
#define SPEC_MAX_SERVERS 16
#define SPEC_MAX_HOOKS 64      /* webhooks and callback requests kept */
#define SPEC_MAX_EXAMPLE 8192  /* body_example bytes */
#define SPEC_MAX_TEXT 1024     /* any other string */

/* Parses text (name is used in error messages). Returns 0, or -1 with
 * "name:line:col: reason" (or "name: reason") in err. */
int spec_parse(struct spec *sp, const char *text, size_t len,
               const char *name, char *err, size_t errlen);
int spec_load_file(struct spec *sp, const char *path, char *err,
                   size_t errlen);
void spec_cleanup(struct spec *sp);

#endif
