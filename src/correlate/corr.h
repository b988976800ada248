/*
 * corr.h - correlation: findings from the sides of warden joined into
 * attack chains ("an unauthenticated endpoint leaks the Docker socket
 * path, and the compose file mounts it").
 *
 * The inputs are plain (side, rule id, location) items so that findings
 * imported from another run (an `inspect` JSON report taken inside the
 * container) count like local ones. libc only.
 */
#ifndef WD_CORR_H
#define WD_CORR_H
#include <stddef.h>

#include "../model/model.h"

struct corr_item {
  const char *side; /* "scan", "iac" or "inspect" */
  const char *rule; /* rule id */
  const char *loc;  /* "GET http://..." or "file:line"; borrowed */
  const char *url;  /* scan items: the URL, else NULL */
};

struct corr_set {
  struct corr_item *v;
  size_t n, cap;
  char **owned; /* strings the set owns (imported reports) */
  size_t nowned, capowned;
};

void corr_init(struct corr_set *c);
void corr_cleanup(struct corr_set *c);
/* Adds every finding of f as items of side (borrowed: f must outlive c). */
void corr_add_findings(struct corr_set *c, const char *side,
                       const struct wd_findings *f);
/* Adds one item; the strings are copied. */
void corr_add(struct corr_set *c, const char *side, const char *rule,
              const char *loc, const char *url);
/* Finds the chains and adds one finding per chain to out. Returns the
 * number of chains found. */
size_t corr_chains(const struct corr_set *c, struct wd_findings *out);

extern const struct wd_rule corr_rules[];
extern const size_t corr_nrules;

/* The rule ids correlation looks for, by side ({NULL, NULL} ends it). A
 * name ending in '.' or '-' is a family prefix; any other matches that id
 * or the ids it starts followed by '-' (corr_name_matches). */
struct corr_names {
  const char *side;
  const char *const *names; /* NULL-terminated */
};
extern const struct corr_names corr_named[];
int corr_name_matches(const char *name, const char *rule);

#endif
