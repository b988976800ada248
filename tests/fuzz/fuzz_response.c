/*
 * fuzz_response.c - every check's judge (and finish) on any response,
 * without a network.
 *
 * Input: an optional request line "GET /path\n", then a raw response
 * ("HTTP/1.1 200 OK\r\nHeaders...\r\n\r\nbody"); without a status line
 * the whole input is a 200 JSON body. The path picks the probe: one the
 * checks planned (the endpoint list), a spec location, or a new probe.
 *
 * How it stays offline and deterministic: the scan is built by hand as
 * scan_run would (tests/support/offline_scan.c: zeroed, options, target
 * parsed from a fixed URL, findings and report initialised, baselines
 * recorded from a fixed "404 page not found"), and s->eng is a real
 * engine (http_engine_new) that is never run: whatever a judge queues through scan_queue (auth's
 * HEAD/OPTIONS follow-ups, redirects, spec routes) only sits in its
 * queue and is freed with the scan. The probe's completion goes through
 * the engine's own callback (x.done, i.e. scan_on_done), so notes,
 * redirect following, spec discovery and all judges run as in a scan.
 * plan_late is never called (the TLS check connects there). Then every
 * finish runs, the report is finalised and written as JSON, and the
 * JSON must parse (evidence from hostile bodies must not break it).
 *
 * The secrets invariant (issue 8): a registered credential, derived from
 * the input, is planted in the body (at its start, at an offset derived
 * from the input, at its end);
 * neither the JSON nor the terminal report may hold it, whatever the
 * checks cut around it.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/checks/check.h"
#include "../../src/scan/scan.h"
#include "../support/offline_scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const spec_paths[] = {
  "/openapi.json", "/openapi.yaml", "/swagger.json", "/v3/api-docs", "/v2/api-docs",
};

static void respond(struct probe *p, long status, const char *head, size_t hl,
                    const char *body, size_t bl, size_t cap)
{
  buf_reset(&p->x.head);
  buf_reset(&p->x.body);
  p->x.body.limit = cap;
  buf_append(&p->x.head, head, hl);
  int cut = buf_append(&p->x.body, body, bl) < 0;
  p->x.status = status;
  p->x.httpver = 11;
  p->x.outcome = cut ? HTTP_TRUNCATED : HTTP_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size > 512 * 1024)
    return 0;
  const char *in = (const char *)data, *end = in + size;
  char path[512] = "";
  if(size > 4 && memcmp(in, "GET ", 4) == 0) {
    const char *nl = memchr(in, '\n', size);
    if(nl) {
      size_t n = (size_t)(nl - in - 4);
      if(n >= sizeof(path))
        n = sizeof(path) - 1;
      memcpy(path, in + 4, n);
      path[n] = '\0';
      path[strcspn(path, "\r")] = '\0';
      in = nl + 1;
    }
  }
  /* Status line and header block, if any. */
  long status = 200;
  const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n";
  size_t hl = strlen(head);
  const char *body = in;
  if(end - in >= 5 && memcmp(in, "HTTP/", 5) == 0) {
    const char *sp = memchr(in, ' ', (size_t)(end - in));
    if(sp && end - sp > 3) {
      long st = 0;
      for(int i = 1; i <= 3 && sp[i] >= '0' && sp[i] <= '9'; i++)
        st = st * 10 + (sp[i] - '0');
      if(st >= 100 && st <= 599)
        status = st;
    }
    const char *sep = NULL;
    for(const char *c = in; c + 1 < end && !sep; c++)
      if(c[0] == '\n' && (c[1] == '\n' || (c + 2 < end && c[1] == '\r' && c[2] == '\n')))
        sep = c + 1;
    head = in;
    if(sep) {
      hl = (size_t)(sep - in);
      body = sep[0] == '\r' ? sep + 2 : sep + 1;
    } else {
      hl = (size_t)(end - in);
      body = end;
    }
  }

  /* The planted secret: 16 letters and digits no report text holds. */
  unsigned long long h = 1469598103934665603ULL;
  for(size_t i = 0; i < size; i++)
    h = (h ^ data[i]) * 1099511628211ULL;
  static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  char secret[17] = "wDsE";
  for(int i = 4; i < 16; i++)
    secret[i] = al[(h >> (i * 4)) % 62];
  secret[16] = '\0';
  /* At the start, at an offset taken from the input, and at the end: a
   * small body's excerpt then always holds one of them. */
  size_t bl = (size_t)(end - body), at = bl ? (size_t)(h % (bl + 1)) : 0;
  size_t pl = bl + 3 * 16;
  char *planted = malloc(pl + 1);
  if(!planted)
    abort();
  memcpy(planted, secret, 16);
  memcpy(planted + 16, body, at);
  memcpy(planted + 16 + at, secret, 16);
  memcpy(planted + 32 + at, body + at, bl - at);
  memcpy(planted + 32 + bl, secret, 16);

  /* Built as scan_run builds it; phase 1 (the root and two random
   * paths) answered by hand with a fixed "404 page not found". */
  struct scan_opts o;
  struct scan s;
  struct offline_cfg cfg = {.checks = check_registry, .body_cap = 256 * 1024, .secret = secret};
  char err[256];
  if(offline_scan_init(&s, &o, &cfg, err, sizeof(err)))
    abort();
  offline_scan_phase1(&s, "application/json", "{\"status\":\"ok\"}");

  /* Phase 2: what the checks plan (queued, never sent). */
  for(size_t i = 0; i < sizeof(spec_paths) / sizeof(spec_paths[0]); i++)
    scan_queue(&s, "GET", spec_paths[i], PROBE_SPECFIND, NULL, 0);
  scan_checks_plan(&s);
  struct probe *p = NULL;
  if(path[0]) {
    for(size_t i = 0; i < s.nprobes && !p; i++)
      if(!strcmp(s.probes[i]->path, path))
        p = s.probes[i];
    if(!p)
      p = scan_queue(&s, "GET", path, 0, NULL, 0);
  }
  if(!p)
    p = s.root;
  respond(p, status, head, hl, planted, pl, o.http.body_cap);
  p->x.done(&p->x, p->x.ctx); /* scan_on_done: notes, follow, spec, judges */

  /* Phase 3. */
  s.phase = 3;
  scan_checks_finish(&s);
  report_finalize(&s.rep);
  char *json = NULL;
  size_t jl = 0;
  FILE *f = open_memstream(&json, &jl);
  if(!f)
    abort();
  rep_write_json(f, &s.rep);
  fclose(f);
  char *term = NULL;
  size_t tl = 0;
  f = open_memstream(&term, &tl);
  if(!f)
    abort();
  rep_write_term(f, &s.rep, 0);
  fclose(f);
  if(memmem(json, jl, secret, 16) || memmem(term, tl, secret, 16)) {
    fprintf(stderr, "the registered secret %s is in the report:\n%.*s\n", secret,
            (int)(jl < 4000 ? jl : 4000), json);
    abort();
  }
  free(term);
  json_error_t je;
  json_t *doc = json_loadb(json, jl, 0, &je);
  if(!doc) {
    fprintf(stderr, "invalid JSON report: %s at %d:%d\n%.*s\n", je.text, je.line,
            je.column, (int)(jl < 2000 ? jl : 2000), json);
    abort();
  }
  json_decref(doc);
  if(getenv("FUZZ_RESPONSE_PRINT")) /* to see what a seed exercises */
    fprintf(stderr, "%.*s\n", (int)jl, json);
  free(json);
  free(planted);
  scan_cleanup(&s);
  return 0;
}
