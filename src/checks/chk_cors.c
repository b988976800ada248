/*
 * chk_cors.c - cross-origin resource sharing that lets any web page read
 * the API with the visitor's credentials: the Origin header reflected
 * (or "null" allowed) together with Access-Control-Allow-Credentials.
 *
 * One GET per route that answered, with an Origin no real front-end has.
 */
#include <stdio.h>
#include <string.h>

#include "../core/core_str.h"
#include "../scan/scan.h"
#include "check.h"

#define CORS_ORIGIN "https://warden-cors-probe.invalid"
#define CORS_MAX_ROUTES 8

enum { R_REFLECT };

static const struct wd_fix fix_cors[] = {
  {"echo", "Use middleware.CORSWithConfig with an explicit AllowOrigins list; never AllowOriginFunc that returns true, and AllowCredentials only for listed origins."},
  {"chi", "Configure go-chi/cors (or your middleware) with AllowedOrigins set to your front-ends; never copy the request's Origin into Access-Control-Allow-Origin."},
  {"fiber", "cors.New(cors.Config{AllowOrigins: \"https://app.example.com\", AllowCredentials: true}) with an explicit list, never \"*\" plus credentials via AllowOriginsFunc."},
  {"flask", "flask-cors with origins=[...] listed explicitly when supports_credentials=True."},
  {NULL, NULL},
};

static const struct wd_rule cors_rules[] = {
  [R_REFLECT] = {
    .id = "cors.reflected-origin",
    .severity = WD_SEV_HIGH,
    .category = WD_CAT_MISCONFIG,
    .owasp = "API8:2023",
    .cwe = 942,
    .title = "CORS reflects any Origin with credentials",
    .summary = "Access-Control-Allow-Origin echoes an arbitrary Origin (or allows null) with Allow-Credentials: any site can read the API as the visitor",
    .remediation = "Allow a fixed list of trusted origins; never reflect the Origin header, never allow \"null\", and send Allow-Credentials only for listed origins.",
    .fixes = fix_cors,
  },
};

extern const struct wd_check check_cors;

/* Per scan: how many routes were asked again from a foreign origin. */
struct cors_state {
  int sent;
};

static void cors_judge(struct scan *s, void *st, struct probe *p)
{
  struct cors_state *cs = st;
  if(p->origin == &check_cors) {
    scan_ran(s, &cors_rules[R_REFLECT]);
    char acao[256], acac[32];
    if(!http_header(&p->x, "Access-Control-Allow-Origin", 0, acao, sizeof(acao)))
      return;
    int creds = http_header(&p->x, "Access-Control-Allow-Credentials", 0, acac,
                            sizeof(acac)) && str_ieq(acac, "true");
    int reflected = strcmp(acao, CORS_ORIGIN) == 0;
    /* "*" with credentials is refused by browsers; reflection without
     * credentials only exposes what is public anyway. */
    if(!reflected || !creds)
      return;
    char ev[400];
    snprintf(ev, sizeof(ev), "Origin: %s -> Access-Control-Allow-Origin: %s, "
             "Access-Control-Allow-Credentials: %s", CORS_ORIGIN, acao, acac);
    scan_flag(s, p, &cors_rules[R_REFLECT], -1, NULL, ev, 0, 0, "cors");
    return;
  }
  (void)cs;
}

/* Routes that answered, asked again from a foreign origin: the first
 * CORS_MAX_ROUTES in the order the scan asked them (the URL, then the
 * spec's), not the first to answer. */
static void cors_plan_late(struct scan *s, void *st)
{
  struct cors_state *cs = st;
  size_t n = s->nprobes;
  for(size_t i = 0; i < n && cs->sent < CORS_MAX_ROUTES; i++) {
    const struct probe *p = s->probes[i];
    if(strcmp(p->x.method, "GET") || !(p->flags & (PROBE_ROOT | PROBE_SPEC)) ||
       (p->flags & PROBE_ERROR) || p->ident != ID_MAIN || p->origin ||
       !http_answered(&p->x) || p->x.status >= 500)
      continue;
    if(scan_queue_as(s, "GET", p->base, PROBE_FOLLOWUP, &check_cors, 0, ID_CUSTOM,
                     "Origin: " CORS_ORIGIN, NULL))
      cs->sent++;
  }
}

const struct wd_check check_cors = {
  .name = "cors",
  .summary = "CORS that lets any origin read the API with credentials",
  .rules = cors_rules,
  .nrules = ARRAY_LEN(cors_rules),
  .state_size = sizeof(struct cors_state),
  .judge = cors_judge,
  .plan_late = cors_plan_late,
};
