/*
 * chk_endpoints.c - exposed services and debug endpoints, as described by
 * the signature catalogue (signatures/NAME.yaml, src/sig): the Docker and
 * Podman APIs, kubelet, etcd, Prometheus, actuator, .env files, Jupyter,
 * and the rest.
 *
 * plan requests every signature's paths without credentials (exposure
 * means "answers to anyone"). judge runs on every answered probe,
 * whoever queued it (a spec route, a redirect, another check), so a
 * --spec that lists /metrics never hides the finding. A hit must also
 * differ from the random-path baseline, so a server that answers 200 to
 * everything is never flagged. One finding per rule, however many of its
 * paths answered; the count says how many.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "check.h"

#define EP_MAX_HITS 16

extern const struct wd_check check_endpoints;

/* The directory part of the target's path ("/app" for /app/ or
 * /app/index.html), or NULL when it is the root. */
static char *ep_context(const struct scan *s)
{
  const char *path = s->target.path;
  if(!path || !*path)
    return NULL;
  const char *slash = strrchr(path, '/');
  if(!slash || slash == path)
    return NULL;
  return xstrndup(path, (size_t)(slash - path));
}

/* Exposure is judged on requests that carried no credential: with one,
 * the well-known paths are sent as nobody. */
static enum probe_ident ep_ident(const struct scan *s)
{
  return scan_has_cred(s) ? ID_NONE : ID_MAIN;
}

static void ep_plan(struct scan *s, void *st)
{
  (void)st;
  if(s->opts->no_discovery)
    return;
  if(s->opts->http.cert) {
    /* Every request carries the client certificate: no answer could show
     * that a service answers to anyone. */
    report_note(&s->rep, "--cert: every request carries the client certificate, so the "
                "exposure signatures (answers without credentials) were not judged");
    return;
  }
  char *ctx = ep_context(s);
  const struct sig_catalog *c = &s->sigs;
  for(size_t i = 0; i < c->n; i++) {
    const struct sig *g = &c->v[i];
    for(size_t j = 0; j < g->npaths; j++) {
      scan_queue_as(s, "GET", g->paths[j], PROBE_WELLKNOWN, &check_endpoints,
                    (int)i, ep_ident(s), NULL, NULL);
      if(ctx && g->context) {
        char *p = xasprintf("%s%s", ctx, g->paths[j]);
        scan_queue_as(s, "GET", p, PROBE_WELLKNOWN, &check_endpoints, (int)i,
                      ep_ident(s), NULL, NULL);
        free(p);
      }
    }
  }
  free(ctx);
}

/* The path a signature is looked up by: the probe's, and without the
 * target's context prefix when the signature allows one. */
static size_t ep_lookup(struct scan *s, const struct probe *p,
                        const struct sig_resp *r, struct sig_hit *hits)
{
  size_t n = sig_judge(&s->sigs, p->path, r, hits, EP_MAX_HITS);
  char *ctx = ep_context(s);
  size_t cl = ctx ? strlen(ctx) : 0;
  if(ctx && strncmp(p->path, ctx, cl) == 0 && p->path[cl] == '/') {
    struct sig_hit more[EP_MAX_HITS];
    size_t m = sig_judge(&s->sigs, p->path + cl, r, more, EP_MAX_HITS);
    for(size_t i = 0; i < m && n < EP_MAX_HITS; i++) {
      int dup = 0;
      for(size_t k = 0; k < n; k++)
        dup |= hits[k].sig == more[i].sig;
      if(!dup && more[i].sig->context)
        hits[n++] = more[i];
    }
  }
  free(ctx);
  return n;
}

static void ep_judge(struct scan *s, void *st, struct probe *p)
{
  (void)st;
  /* Sent with a credential (the user's, a wrong or forged one): not
   * evidence that the service answers to anyone. */
  if(p->ident != ID_NONE && !(p->ident == ID_MAIN && !scan_has_cred(s)))
    return;
  if(s->opts->http.cert)
    return;
  /* An answer to one of a signature's paths judges that signature's rule. */
  if(p->origin == &check_endpoints && p->tag >= 0 && (size_t)p->tag < s->sigs.n &&
     s->sigs.v[p->tag].rule && http_answered(&p->x))
    scan_ran(s, s->sigs.v[p->tag].rule);
  if(!scan_is_hit(s, p))
    return;
  struct sig_resp r = {
    .status = p->x.status,
    .head = buf_str(&p->x.head),
    .headlen = p->x.head.len,
    .body = buf_str(&p->x.body),
    .bodylen = p->x.body.len,
  };
  struct sig_hit hits[EP_MAX_HITS];
  size_t n = ep_lookup(s, p, &r, hits);
  for(size_t i = 0; i < n; i++) {
    const struct sig *g = hits[i].sig;
    if(g->product)
      scan_note_product(s, g->product);
    if(!g->rule)
      continue;
    size_t from = hits[i].len && hits[i].off > 40 ? hits[i].off - 40 : 0;
    char *ex = str_excerpt(r.body, r.bodylen, from, 160);
    char xv[128];
    sig_extract(&s->sigs, g, &r, xv, sizeof(xv));
    char *ev = xv[0] ? xasprintf("%s (extracted: %s): %s", g->what, xv, ex)
                     : xasprintf("%s: %s", g->what, ex);
    free(ex);
    scan_flag(s, p, g->rule, g->severity, g->title, ev, 0, 0, g->rule->id);
    free(ev);
    p->claimed = 1;
  }
}

const struct wd_check check_endpoints = {
  .name = "endpoints",
  .summary = "Exposed services and debug endpoints from the signature catalogue (signatures/NAME.yaml)",
  .plan = ep_plan,
  .judge = ep_judge,
};
