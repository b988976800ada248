#include "corr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "../core/core_str.h"

enum { C_SOCKET_IAC, C_SOCKET_LIVE, C_CMD_HOST, C_UNAUTH_HOST };

const struct wd_rule corr_rules[] = {
  [C_SOCKET_IAC] = {
    .id = "chain.docker-socket-deployed",
    .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_CONTAINER,
    .owasp = "API8:2023",
    .cwe = 250,
    .title = "Attack chain: the API reveals the Docker daemon, and the deployment mounts its socket",
    .summary = "scan finds Docker socket paths or Docker API output; the deployment files mount the runtime socket",
    .remediation = "Remove the socket mount from the deployment first (it is the way out), then the route that talks to the daemon.",
  },
  [C_SOCKET_LIVE] = {
    .id = "chain.docker-socket-live",
    .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_CONTAINER,
    .owasp = "API8:2023",
    .cwe = 250,
    .title = "Attack chain: the API reveals the Docker daemon, and its socket is reachable inside the container",
    .summary = "scan finds Docker socket paths or Docker API output; inspect finds the socket mounted in the container",
    .remediation = "Remove the socket mount; until then anyone who reaches the API's runtime reaches root on the host.",
  },
  [C_CMD_HOST] = {
    .id = "chain.command-to-host",
    .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_CONTAINER,
    .owasp = "API8:2023",
    .cwe = 250,
    .title = "Attack chain: the API runs system commands, and the container can reach the host",
    .summary = "scan finds command output; the deployment or the container is privileged, shares the host PID namespace, adds SYS_ADMIN or mounts the runtime socket",
    .remediation = "Drop the host access (privileged, hostPID, capabilities, socket) and remove the command-running route.",
  },
  [C_UNAUTH_HOST] = {
    .id = "chain.unauthenticated-host-data",
    .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_CONTAINER,
    .owasp = "API2:2023",
    .cwe = 306,
    .title = "Attack chain: a route open without credentials returns container or host data",
    .summary = "The same route is reachable without (valid) credentials and returns sockets, Docker API output, host files, environment or command output",
    .remediation = "Close the route's authentication gap first, then stop it returning host-level data.",
  },
};
const size_t corr_nrules = sizeof(corr_rules) / sizeof(corr_rules[0]);

void corr_init(struct corr_set *c)
{
  memset(c, 0, sizeof(*c));
}

void corr_cleanup(struct corr_set *c)
{
  for(size_t i = 0; i < c->nowned; i++)
    free(c->owned[i]);
  free(c->owned);
  free(c->v);
  memset(c, 0, sizeof(*c));
}

static const char *corr_own(struct corr_set *c, char *s)
{
  if(!s)
    return NULL;
  c->owned = xgrow(c->owned, &c->capowned, c->nowned + 1, sizeof(char *));
  c->owned[c->nowned++] = s;
  return s;
}

static void corr_push(struct corr_set *c, const char *side, const char *rule,
                      const char *loc, const char *url)
{
  c->v = xgrow(c->v, &c->cap, c->n + 1, sizeof(*c->v));
  c->v[c->n++] = (struct corr_item){side, rule, loc, url};
}

void corr_add(struct corr_set *c, const char *side, const char *rule,
              const char *loc, const char *url)
{
  corr_push(c, corr_own(c, xstrdup(side)), corr_own(c, xstrdup(rule)),
            corr_own(c, loc ? xstrdup(loc) : NULL),
            corr_own(c, url ? xstrdup(url) : NULL));
}

void corr_add_findings(struct corr_set *c, const char *side,
                       const struct wd_findings *f)
{
  for(size_t i = 0; i < f->n; i++) {
    const struct wd_finding *x = &f->v[i];
    char *loc = x->url ? xasprintf("%s %s", x->method ? x->method : "GET", x->url)
                       : xasprintf("%s:%d", x->file ? x->file : "?", x->line);
    corr_push(c, side, x->rule->id, corr_own(c, loc), x->url);
  }
}

/* Rule ids that mean one thing, whatever side names them. Prefixes end
 * in '.' or '-' to match a family. */
static const char *const scan_docker[] = {"container.socket-path",
  "container.docker-api-response", "endpoint.docker-api", NULL};
static const char *const scan_cmd[] = {"container.command-output", NULL};
static const char *const scan_hostdata[] = {"container.", NULL};
static const char *const scan_open[] = {"auth.no-auth", "auth.method-bypass",
  "auth.invalid-credential-accepted", "jwt.alg-none-accepted",
  "jwt.signature-not-verified", "mtls.any-cert-accepted",
  "mtls.optional-client-cert", NULL};
static const char *const iac_socket[] = {"iac.docker-socket-mount",
  "iac.runtime-socket-mount", NULL};
static const char *const iac_host[] = {"iac.privileged", "iac.host-pid",
  "iac.cap-sys-admin", "iac.docker-socket-mount", "iac.runtime-socket-mount",
  "iac.host-root-mount", NULL};
static const char *const inspect_socket[] = {"inspect.docker-socket",
  "inspect.runtime-socket", "inspect.containerd-socket", "inspect.crio-socket", NULL};
static const char *const inspect_host[] = {"inspect.privileged",
  "inspect.host-pid-ns", "inspect.cap-sys-admin", "inspect.docker-socket",
  "inspect.runtime-socket", "inspect.cgroup-release-agent", NULL};

/* Every list above with its side: tests/unit/test_corr.c checks that each
 * name matches a rule that side registers. */
const struct corr_names corr_named[] = {
  {"scan", scan_docker}, {"scan", scan_cmd}, {"scan", scan_hostdata},
  {"scan", scan_open}, {"iac", iac_socket}, {"iac", iac_host},
  {"inspect", inspect_socket}, {"inspect", inspect_host}, {NULL, NULL},
};

int corr_name_matches(const char *name, const char *rule)
{
  size_t l = strlen(name);
  if(l == 0)
    return 0;
  int family = name[l - 1] == '.' || name[l - 1] == '-';
  return family ? strncmp(rule, name, l) == 0
                : strcmp(rule, name) == 0 || (strncmp(rule, name, l) == 0 && rule[l] == '-');
}

static int corr_match(const struct corr_item *it, const char *side,
                      const char *const *ids)
{
  if(strcmp(it->side, side))
    return 0;
  for(size_t i = 0; ids[i]; i++)
    if(corr_name_matches(ids[i], it->rule))
      return 1;
  return 0;
}

static const struct corr_item *corr_first(const struct corr_set *c,
                                          const char *side,
                                          const char *const *ids)
{
  for(size_t i = 0; i < c->n; i++)
    if(corr_match(&c->v[i], side, ids))
      return &c->v[i];
  return NULL;
}

static void corr_emit(struct wd_findings *out, const struct wd_rule *r,
                      const struct corr_item *a, const struct corr_item *b)
{
  char *ev = xasprintf("%s [%s] at %s  +  %s [%s] at %s", a->side, a->rule,
                       a->loc ? a->loc : "?", b->side, b->rule, b->loc ? b->loc : "?");
  /* The chain is reported where the attacker starts: the scan side. */
  struct wd_finding_spec fs = {
    .rule = r, .severity = -1, .evidence = ev,
    .method = a->url ? "GET" : NULL, .url = a->url,
    .file = a->url ? NULL : a->loc, .dedupe = r->id,
  };
  findings_add(out, &fs);
  free(ev);
}

size_t corr_chains(const struct corr_set *c, struct wd_findings *out)
{
  size_t found = 0;
  const struct corr_item *a, *b;
  if((a = corr_first(c, "scan", scan_docker)) && (b = corr_first(c, "iac", iac_socket))) {
    corr_emit(out, &corr_rules[C_SOCKET_IAC], a, b);
    found++;
  }
  if((a = corr_first(c, "scan", scan_docker)) && (b = corr_first(c, "inspect", inspect_socket))) {
    corr_emit(out, &corr_rules[C_SOCKET_LIVE], a, b);
    found++;
  }
  if((a = corr_first(c, "scan", scan_cmd)) &&
     ((b = corr_first(c, "iac", iac_host)) || (b = corr_first(c, "inspect", inspect_host)))) {
    corr_emit(out, &corr_rules[C_CMD_HOST], a, b);
    found++;
  }
  /* Same route: open without credentials and returning host data. */
  for(size_t i = 0; i < c->n; i++) {
    a = &c->v[i];
    if(!a->url || !corr_match(a, "scan", scan_hostdata))
      continue;
    for(size_t j = 0; j < c->n; j++) {
      b = &c->v[j];
      if(b->url && strcmp(a->url, b->url) == 0 && corr_match(b, "scan", scan_open)) {
        corr_emit(out, &corr_rules[C_UNAUTH_HOST], b, a);
        found++;
        i = c->n; /* one chain of this kind is enough to act on */
        break;
      }
    }
  }
  return found;
}
