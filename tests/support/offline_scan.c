/*
 * offline_scan.c - a scan built by hand for the offline harnesses (see
 * offline_scan.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/core_alloc.h"
#include "../../src/core/core_buf.h"
#include "../../src/scan/scan_check.h"
#include "offline_scan.h"

int offline_scan_init(struct scan *s, struct scan_opts *o, const struct offline_cfg *cfg,
                      char *err, size_t errsz)
{
  memset(o, 0, sizeof(*o));
  o->checks = cfg->checks;
  o->url = OFFLINE_TARGET;
  o->http.concurrency = 4;
  o->http.timeout_ms = 1000;
  o->http.connect_timeout_ms = 1000;
  o->http.body_cap = cfg->body_cap ? cfg->body_cap : 1 << 20;
  o->max_requests = cfg->max_requests;
  memset(s, 0, sizeof(*s));
  s->opts = o;
  findings_init(&s->findings);
  findings_init(&s->side_findings);
  mask_init(&s->mask);
  s->findings.mask = &s->mask;
  s->side_findings.mask = &s->mask;
  if(cfg->secret)
    scan_add_secret(s, cfg->secret);
  scope_init(&s->scope);
  sig_catalog_init(&s->sigs);
  if(sig_load_builtin(&s->sigs, err, errsz))
    abort(); /* compiled in: a bug */
  for(int i = 0; i < cfg->nsigdirs; i++)
    if(sig_load_path(&s->sigs, cfg->sigdirs[i], err, errsz))
      return -1;
  sig_catalog_index(&s->sigs);
  if(url_parse(OFFLINE_TARGET, &s->target, err, errsz))
    abort();
  s->target_url = url_resolve(OFFLINE_TARGET, OFFLINE_TARGET);
  s->origin = url_origin(&s->target);
  report_init(&s->rep, "scan", s->target_url, &s->findings);
  s->rep.mask = &s->mask;
  scope_add_url(&s->scope, &s->target);
  s->eng = http_engine_new(&o->http, err, errsz);
  if(!s->eng)
    abort();
  return 0;
}

void offline_scan_phase1(struct scan *s, const char *root_ctype, const char *root_body)
{
  static const char nf[] = "404 page not found\n";
  s->phase = 1;
  s->root = scan_queue(s, "GET", s->target_url, PROBE_ROOT, NULL, 0);
  struct probe *b1 = scan_queue(s, "GET", "/warden-0123456789abcdef", PROBE_BASELINE, NULL, 0);
  struct probe *b2 = scan_queue(s, "GET", "/api/warden-fedcba9876543210/0123456789abcdef",
                                PROBE_BASELINE, NULL, 0);
  if(!s->root || !b1 || !b2)
    abort();
  offline_answer(s->root, 200, root_ctype, root_body, strlen(root_body));
  offline_answer(b1, 404, "text/plain; charset=utf-8", nf, sizeof(nf) - 1);
  offline_answer(b2, 404, "text/plain; charset=utf-8", nf, sizeof(nf) - 1);
  scan_baseline_record(s, b1, 0);
  scan_baseline_record(s, b2, 1);
  s->phase = 2;
}

void offline_answer(struct probe *p, long status, const char *ctype, const char *body,
                    size_t n)
{
  buf_reset(&p->x.head);
  buf_reset(&p->x.body);
  buf_printf(&p->x.head, "HTTP/1.1 %ld X\r\nContent-Type: %s\r\n\r\n", status, ctype);
  buf_append(&p->x.body, body, n);
  p->x.status = status;
  p->x.httpver = 11;
  p->x.outcome = HTTP_OK;
}

static int offline_cmp_strp(const void *a, const void *b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Answers every probe nobody answered yet, round by round (what a
 * round's judges queue is the next round), each round's probes in the
 * order they were queued or backwards, each completed through the
 * engine's own callback (scan_on_done: digest, every judge, release). */
void offline_drain(struct scan *s, int backwards, offline_answer_fn fn)
{
  for(;;) {
    size_t n = 0;
    struct probe **pending = xcalloc(s->nprobes + 1, sizeof(*pending));
    for(size_t i = 0; i < s->nprobes; i++)
      if(s->probes[i]->x.outcome == HTTP_PENDING)
        pending[n++] = s->probes[i];
    for(size_t k = 0; k < n; k++) {
      struct probe *q = pending[backwards ? n - 1 - k : k];
      fn(q);
      q->x.done(&q->x, q->x.ctx);
    }
    free(pending);
    if(!n)
      return;
  }
}

void offline_run_checks(struct scan *s, int backwards, offline_answer_fn fn, int judge_root)
{
  scan_checks_plan(s);
  if(judge_root)
    scan_checks_judge(s, s->root);
  offline_drain(s, backwards, fn);
  scan_checks_plan_late(s);
  offline_drain(s, backwards, fn);
  scan_checks_finish(s);
}

/* The scan's result as one sorted text: findings (rule, place, evidence,
 * count), notes, and with requests the follow-ups the checks queued
 * (method, path, identity). */
char *offline_result(struct scan *s, int requests, size_t *nfindings)
{
  size_t n = s->findings.n + s->rep.nnotes + (requests ? s->nprobes : 0), k = 0;
  char **lines = xcalloc(n ? n : 1, sizeof(char *));
  for(size_t i = 0; i < s->findings.n; i++) {
    const struct wd_finding *f = &s->findings.v[i];
    struct buf l;
    buf_init(&l, 0);
    buf_printf(&l, "F %s %s %s | %s | %u |", f->rule->id, f->method ? f->method : "",
               f->url ? f->url : "", f->evidence ? f->evidence : "", f->count);
    for(unsigned j = 0; j < f->nlocs; j++) /* every place it was seen */
      buf_printf(&l, " @%s", f->locs[j].url ? f->locs[j].url : "");
    lines[k++] = buf_steal(&l);
  }
  for(size_t i = 0; i < s->rep.nnotes; i++)
    lines[k++] = xasprintf("N %s", s->rep.notes[i]);
  for(size_t i = 0; requests && i < s->nprobes; i++)
    if(s->probes[i]->origin)
      lines[k++] = xasprintf("Q %s %s %s as %d", s->probes[i]->origin->name,
                             s->probes[i]->x.method, s->probes[i]->path,
                             (int)s->probes[i]->ident);
  qsort(lines, k, sizeof(char *), offline_cmp_strp);
  struct buf b;
  buf_init(&b, 0);
  for(size_t i = 0; i < k; i++) {
    buf_appendz(&b, lines[i]);
    buf_appendz(&b, "\n");
    free(lines[i]);
  }
  free(lines);
  if(nfindings)
    *nfindings = s->findings.n;
  return buf_steal(&b);
}
