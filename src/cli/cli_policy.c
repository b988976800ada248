/*
 * cli_policy.c - what the user decided about findings before this run:
 * suppressions (--ignore FILE, default .wardenignore.yml) and a baseline
 * (--baseline OLD.json). Both only mark findings; the report keeps them.
 * Not in the static warden-inspect (it links neither libyaml nor jansson).
 */
#include <errno.h>
#include <fnmatch.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <yaml.h>

#include "../core/core_alloc.h"
#include "../core/core_file.h"
#include "cli.h"

struct suppression;
struct cli_policy {
  struct suppression *supp; /* --ignore FILE (or .wardenignore.yml) */
  size_t nsupp;
  char *ignore_name;
  json_t *baseline;         /* --baseline OLD.json, checked */
  char *baseline_name;
};

#define POLICY_MAX_BYTES (4 * 1024 * 1024)

struct suppression {
  char *rule;     /* rule id or fnmatch pattern */
  char *location; /* fnmatch pattern on the location, or NULL */
  char *reason;
  char expires[11]; /* YYYY-MM-DD */
  int line;
  int expired;
  size_t matched;
};

static void supp_free(struct suppression *v, size_t n)
{
  for(size_t i = 0; i < n; i++) {
    free(v[i].rule);
    free(v[i].location);
    free(v[i].reason);
  }
  free(v);
}

static int valid_date(const char *s)
{
  int y, m, d;
  char extra;
  if(strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3)
    return 0;
  static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return y >= 1970 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] &&
         !(m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

struct cli_policy *cli_policy_new(void)
{
  return xcalloc(1, sizeof(struct cli_policy));
}

void cli_policy_free(struct cli_policy *p)
{
  if(!p)
    return;
  supp_free(p->supp, p->nsupp);
  json_decref(p->baseline);
  free(p->ignore_name);
  free(p->baseline_name);
  free(p);
}

/* The suppressions file:
 *   suppressions:
 *     - rule: iac.host-pid          (an id, or a pattern like iac.cap-*)
 *       location: a shell pattern (optional) on "file:line" or "METHOD URL"
 *       reason: why it is accepted
 *       expires: 2027-01-31
 * Every error names the file and line. */
int cli_policy_parse_ignore(struct cli_policy *pol, const char *text, size_t len,
                            const char *path, char *err, size_t errlen)
{
  yaml_parser_t p;
  yaml_document_t doc;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
  if(!yaml_parser_load(&p, &doc)) {
    snprintf(err, errlen, "%s:%zu: %s", path, p.problem_mark.line + 1,
             p.problem ? p.problem : "invalid YAML");
    yaml_parser_delete(&p);
    return -1;
  }
  int rc = -1;
  size_t cap = 0;
  struct suppression *v = NULL;
  size_t n = 0;
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  if(!root) {
    rc = 0; /* an empty file suppresses nothing */
    goto out;
  }
  if(root->type != YAML_MAPPING_NODE) {
    snprintf(err, errlen, "%s:%zu: expected a mapping with the key 'suppressions'", path,
             root->start_mark.line + 1);
    goto out;
  }
  yaml_node_t *list = NULL;
  for(yaml_node_pair_t *pr = root->data.mapping.pairs.start;
      pr < root->data.mapping.pairs.top; pr++) {
    yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
    yaml_node_t *val = yaml_document_get_node(&doc, pr->value);
    if(!k || k->type != YAML_SCALAR_NODE ||
       strcmp((char *)k->data.scalar.value, "suppressions")) {
      snprintf(err, errlen, "%s:%zu: unknown key '%.64s' (expected 'suppressions')", path,
               (k ? k->start_mark.line : 0) + 1,
               k && k->type == YAML_SCALAR_NODE ? (char *)k->data.scalar.value : "?");
      goto out;
    }
    list = val;
  }
  if(!list || (list->type == YAML_SCALAR_NODE && list->data.scalar.length == 0)) {
    rc = 0;
    goto out;
  }
  if(list->type != YAML_SEQUENCE_NODE) {
    snprintf(err, errlen, "%s:%zu: 'suppressions' must be a list", path,
             list->start_mark.line + 1);
    goto out;
  }
  for(yaml_node_item_t *it = list->data.sequence.items.start;
      it < list->data.sequence.items.top; it++) {
    yaml_node_t *e = yaml_document_get_node(&doc, *it);
    if(!e || e->type != YAML_MAPPING_NODE) {
      snprintf(err, errlen,
               "%s:%zu: each suppression is a mapping (rule, location, reason, expires)",
               path, (e ? e->start_mark.line : 0) + 1);
      goto out;
    }
    v = xgrow(v, &cap, n + 1, sizeof(*v));
    struct suppression *s = &v[n++];
    memset(s, 0, sizeof(*s));
    s->line = (int)e->start_mark.line + 1;
    for(yaml_node_pair_t *pr = e->data.mapping.pairs.start;
        pr < e->data.mapping.pairs.top; pr++) {
      yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
      yaml_node_t *val = yaml_document_get_node(&doc, pr->value);
      int kl = (int)(k ? k->start_mark.line : 0) + 1;
      if(!k || k->type != YAML_SCALAR_NODE) {
        snprintf(err, errlen, "%s:%d: keys are plain words", path, kl);
        goto out;
      }
      const char *key = (const char *)k->data.scalar.value;
      if(!val || val->type != YAML_SCALAR_NODE) {
        snprintf(err, errlen, "%s:%d: '%.64s' must be a single value", path, kl, key);
        goto out;
      }
      const char *sv = (const char *)val->data.scalar.value;
      if(strlen(sv) != val->data.scalar.length || strlen(key) != k->data.scalar.length) {
        snprintf(err, errlen, "%s:%d: '%.64s' holds a NUL byte", path, kl, key);
        goto out;
      }
      char **dst = !strcmp(key, "rule") ? &s->rule : !strcmp(key, "location") ? &s->location
                 : !strcmp(key, "reason") ? &s->reason : NULL;
      if(dst) {
        if(*dst) {
          snprintf(err, errlen, "%s:%d: '%s' given twice", path, kl, key);
          goto out;
        }
        *dst = xstrdup(sv);
      } else if(!strcmp(key, "expires")) {
        if(!valid_date(sv)) {
          snprintf(err, errlen, "%s:%d: expires: '%.64s' is not a date YYYY-MM-DD", path,
                   kl, sv);
          goto out;
        }
        memcpy(s->expires, sv, 11);
      } else {
        snprintf(err, errlen, "%s:%d: unknown key '%.64s' (rule, location, reason, expires)",
                 path, kl, key);
        goto out;
      }
    }
    const char *missing = !s->rule || !*s->rule ? "rule"
                        : !s->reason || !*s->reason ? "reason"
                        : !s->expires[0] ? "expires" : NULL;
    if(missing) {
      snprintf(err, errlen,
               "%s:%d: suppression without '%s' (rule, reason and expires are required)",
               path, s->line, missing);
      goto out;
    }
  }
  rc = 0;
out:
  yaml_document_delete(&doc);
  yaml_parser_delete(&p);
  if(rc) {
    supp_free(v, n);
    return -1;
  }
  supp_free(pol->supp, pol->nsupp);
  pol->supp = v;
  pol->nsupp = n;
  free(pol->ignore_name);
  pol->ignore_name = xstrdup(path);
  return 0;
}

int cli_policy_parse_baseline(struct cli_policy *pol, const char *text, size_t len,
                              const char *path, const char *kind, char *err, size_t errlen)
{
  json_error_t je;
  json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
  if(!doc) {
    snprintf(err, errlen, "%s:%d: %s", path, je.line, je.text);
    return -1;
  }
  json_t *jk = json_object_get(doc, "kind");
  json_t *findings = json_object_get(doc, "findings");
  if(!json_is_object(doc) || !json_is_string(json_object_get(doc, "schema")) ||
     !json_is_array(findings)) {
    snprintf(err, errlen, "%s: not a warden JSON report (no schema or findings)", path);
    goto bad;
  }
  if(!json_is_string(jk) || (kind && strcmp(json_string_value(jk), kind))) {
    snprintf(err, errlen, "%s: a baseline of kind '%.32s' cannot be compared with a %s report",
             path, json_is_string(jk) ? json_string_value(jk) : "?", kind ? kind : "?");
    goto bad;
  }
  for(size_t i = 0; i < json_array_size(findings); i++) {
    json_t *o = json_array_get(findings, i);
    if(!json_is_string(json_object_get(o, "fingerprint"))) {
      snprintf(err, errlen, "%s: finding %zu has no fingerprint (written by an older warden: "
               "write the baseline again)", path, i + 1);
      goto bad;
    }
  }
  json_decref(pol->baseline);
  pol->baseline = doc;
  free(pol->baseline_name);
  pol->baseline_name = xstrdup(path);
  return 0;
bad:
  json_decref(doc);
  return -1;
}

static int load_file(struct cli_policy *pol, const char *path, const char *kind, int baseline)
{
  char err[1024];
  size_t len = 0;
  char *text = NULL;
  FILE *f = fopen(path, "rb");
  if(!f) {
    snprintf(err, sizeof(err), "%s: cannot read: %s", path, strerror(errno));
  } else {
    char rerr[256];
    text = file_read_all(f, POLICY_MAX_BYTES, &len, rerr, sizeof(rerr));
    fclose(f);
    if(!text)
      snprintf(err, sizeof(err), "%s: %s", path, rerr);
  }
  int rc = -1;
  if(text)
    rc = baseline ? cli_policy_parse_baseline(pol, text, len, path, kind, err, sizeof(err))
                  : cli_policy_parse_ignore(pol, text, len, path, err, sizeof(err));
  free(text);
  if(rc)
    cli_error("%s", err);
  return rc;
}

int cli_policy_load(struct cli_out *o, const char *kind)
{
  if(o->policy)
    return 0;
  struct cli_policy *pol = cli_policy_new();
  const char *ignore = o->ignore;
  struct stat st;
  if(!ignore && stat(".wardenignore.yml", &st) == 0)
    ignore = ".wardenignore.yml";
  if((ignore && load_file(pol, ignore, kind, 0)) ||
     (o->baseline && load_file(pol, o->baseline, kind, 1))) {
    cli_policy_free(pol);
    return -1;
  }
  o->policy = pol;
  return 0;
}

static int supp_matches(const struct suppression *s, const struct wd_finding *x)
{
  if(fnmatch(s->rule, x->rule->id, 0) != 0)
    return 0;
  if(!s->location)
    return 1;
  char *loc = rep_location(x);
  int m = fnmatch(s->location, loc, 0) == 0 ||
          (x->file && fnmatch(s->location, x->file, 0) == 0) ||
          (x->url && fnmatch(s->location, x->url, 0) == 0);
  free(loc);
  return m;
}

static void apply_suppressions(struct report *r, struct cli_policy *pol)
{
  struct suppression *v = pol->supp;
  size_t n = pol->nsupp;
  char today[11];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(today, sizeof(today), "%Y-%m-%d", &tm);
  for(size_t i = 0; i < n; i++) {
    v[i].expired = strcmp(v[i].expires, today) < 0;
    v[i].matched = 0;
  }
  for(size_t j = 0; j < r->findings->n; j++) {
    struct wd_finding *x = &r->findings->v[j];
    for(size_t i = 0; i < n; i++) {
      if(!supp_matches(&v[i], x))
        continue;
      v[i].matched++;
      if(v[i].expired)
        continue; /* it counts again; reported below */
      x->suppressed = 1;
      free(x->suppress_reason);
      x->suppress_reason = xstrdup(v[i].reason);
      r->nsuppressed++;
      break;
    }
  }
  for(size_t i = 0; i < n; i++)
    if(v[i].expired) {
      r->nexpired++;
      report_note(r, "%s:%d: the suppression of %s expired on %s%s", pol->ignore_name,
                  v[i].line, v[i].rule, v[i].expires,
                  v[i].matched ? ": its findings count again" : "");
    }
}

/* Marks each finding new (1) or unchanged (2) against the baseline and
 * lists the baseline's findings this run no longer has as fixed. */
static int apply_baseline(struct report *r, struct cli_policy *pol)
{
  json_t *doc = pol->baseline;
  json_t *kind = json_object_get(doc, "kind");
  if(!json_is_string(kind) || strcmp(json_string_value(kind), r->kind)) {
    cli_error("%s: a baseline of kind '%s' cannot be compared with a %s report",
              pol->baseline_name, json_is_string(kind) ? json_string_value(kind) : "?",
              r->kind);
    return -1;
  }
  json_t *findings = json_object_get(doc, "findings");
  size_t nold = json_array_size(findings);
  const char **oldfp = xcalloc(nold ? nold : 1, sizeof(*oldfp));
  for(size_t i = 0; i < nold; i++)
    oldfp[i] = json_string_value(json_object_get(json_array_get(findings, i), "fingerprint"));
  char *seen = xcalloc(nold ? nold : 1, 1);
  for(size_t j = 0; j < r->findings->n; j++) {
    struct wd_finding *x = &r->findings->v[j];
    x->baseline = 1;
    for(size_t i = 0; i < nold; i++)
      if(!seen[i] && strcmp(oldfp[i], x->fingerprint ? x->fingerprint : "") == 0) {
        seen[i] = 1;
        x->baseline = 2;
        break;
      }
  }
  for(size_t i = 0; i < nold; i++) {
    if(seen[i])
      continue;
    json_t *o = json_array_get(findings, i);
    json_t *loc = json_object_get(o, "location");
    char *where;
    json_t *url = json_object_get(loc, "url"), *file = json_object_get(loc, "file");
    if(json_is_string(url))
      where = xasprintf("%s %s", json_string_value(json_object_get(loc, "method")) ?
                        json_string_value(json_object_get(loc, "method")) : "",
                        json_string_value(url));
    else if(json_is_string(file))
      where = xasprintf("%s:%lld", json_string_value(file),
                        (long long)json_integer_value(json_object_get(loc, "line")));
    else
      where = xstrdup("");
    report_add_fixed(r, json_string_value(json_object_get(o, "rule")),
                     json_string_value(json_object_get(o, "severity")),
                     json_string_value(json_object_get(o, "title")), where, oldfp[i]);
    free(where);
  }
  r->has_baseline = 1;
  free(seen);
  free(oldfp);
  return 0;
}

int cli_policy_apply(struct report *r, struct cli_out *o)
{
  /* A command that did not load the policy before its run loads it now. */
  if(!o->policy && cli_policy_load(o, r->kind))
    return -1;
  if(o->policy->nsupp)
    apply_suppressions(r, o->policy);
  if(o->policy->baseline && apply_baseline(r, o->policy))
    return -1;
  if(r->nsuppressed)
    report_rescore(r);
  return 0;
}
