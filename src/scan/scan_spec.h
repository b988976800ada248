/*
 * scan_spec.h - what warden reads of an OpenAPI (3.x) or Swagger (2.0)
 * document: operations (method + path), whether each one declares a
 * security requirement, and its query parameter names. JSON and YAML
 * both parse with libfyaml; aliases are never resolved (c-stack.md).
 */
#ifndef WD_SCAN_SPEC_H
#define WD_SCAN_SPEC_H
#include <stddef.h>

#define SPEC_MAX_OPS 4096

struct spec_op {
  char *method;  /* uppercase */
  char *path;    /* with the base path, "{id}" placeholders kept */
  int secured;   /* a non-empty security requirement applies */
  char **query;  /* names of query parameters */
  size_t nquery;
};

struct spec {
  struct spec_op *ops;
  size_t n, cap;
  size_t skipped; /* operations past SPEC_MAX_OPS: read, not kept */
  char *title;
};

/* Parses text (name is used in error messages). Returns 0, or -1 with
 * "name:line:col: reason" in err. */
int spec_parse(struct spec *sp, const char *text, size_t len,
               const char *name, char *err, size_t errlen);
int spec_load_file(struct spec *sp, const char *path, char *err,
                   size_t errlen);
void spec_cleanup(struct spec *sp);

#endif
