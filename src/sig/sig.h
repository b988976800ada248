/*
 * sig.h - the signature catalogue: what warden knows about exposed
 * services, as data (signatures/NAME.yaml, compiled into the binary; a
 * user's own with --signatures DIR; nuclei HTTP templates with
 * --templates). docs/signatures.md describes the format.
 *
 * A catalogue holds rules (the same struct wd_rule every check declares,
 * here owned by the catalogue) and signatures: the paths to request and
 * the matchers that recognise the real thing in an answer. The scan
 * applies the random-path baseline before asking the catalogue, so a
 * server that answers 200 to everything never matches.
 *
 * Judging is indexed by path: a response is tested only against the
 * signatures that name its path (or whose route pattern its path
 * matches), so the cost per response byte does not grow with the
 * catalogue. Patterns are PCRE2, JIT-compiled, with a match limit.
 *
 * Ownership: the catalogue owns everything it loaded; rules stay at the
 * same address until sig_catalog_free (findings point to them).
 */
#ifndef WD_SIG_H
#define WD_SIG_H
#include <stddef.h>

#include "../model/model.h"

enum sig_part { SIG_BODY = 0, SIG_HEADER, SIG_ALL };
enum sig_mkind { SIG_M_WORD = 0, SIG_M_REGEX, SIG_M_STATUS, SIG_M_SIZE, SIG_M_CTYPE };

struct sig_matcher {
  enum sig_mkind kind;
  enum sig_part part;
  int all;          /* condition: and (every word/regex/value) */
  int negative;     /* the matcher must NOT match */
  int caseless;     /* words compared case-blind */
  char **words;     /* words, regex sources or content types */
  void **rx;        /* compiled regexes (pcre2_code *), for SIG_M_REGEX */
  long *nums;       /* statuses or sizes */
  size_t n;
};

struct sig {
  char *id;         /* unique: "docker-version" or a template id */
  const struct wd_rule *rule; /* NULL: it only names a product */
  int severity;     /* -1: the rule's */
  char *title;      /* NULL: the rule's */
  char *what;       /* evidence label */
  char *product;    /* product recognised when it matches, or NULL */
  char **paths;     /* to request, prefixes applied; "/x?debug=1" */
  size_t npaths;
  void **routes;    /* also judge any fetched path these match */
  size_t nroutes;
  int any;          /* matchers-condition: or */
  struct sig_matcher *m;
  size_t nm;
  int context;      /* also request under the target's own path */
  /* A template's extractor, shown with the evidence: a regex (group) or
   * a header's value (kval). */
  void *xrx;
  int xgroup;
  enum sig_part xpart;
  char *xkval;
  char *file;       /* where it was declared */
  int line;
};

struct sig_catalog {
  struct wd_rule **rules; /* each allocated once: stable addresses */
  size_t nrules, caprules;
  struct sig *v;
  size_t n, cap;
  /* path index: open addressing, slot = signature path ref + 1 */
  size_t *slots;
  size_t nslots;
  struct sig_pathref { const char *path; size_t sig; } *refs;
  size_t nrefs, caprefs;
  size_t nroute_sigs;    /* signatures with route patterns */
  size_t *route_sigs;
  void *mctx;            /* pcre2 match context (limits) */
};

/* A response as the matchers see it. */
struct sig_resp {
  long status;
  const char *head;  /* raw header block */
  size_t headlen;
  const char *body;
  size_t bodylen;
};

struct sig_hit {
  const struct sig *sig;
  size_t off, len;   /* evidence in the body (len 0: none) */
};

void sig_catalog_init(struct sig_catalog *c);
void sig_catalog_free(struct sig_catalog *c);

/* Loads one signature file (YAML) held in memory; name is used in
 * messages. Returns 0, or -1 with "name:line: what" in err. */
int sig_load_text(struct sig_catalog *c, const char *name, const char *data,
                  size_t len, char *err, size_t errlen);
/* A file compiled into warden (signatures/NAME.yaml), NULL-terminated. */
struct sig_blob {
  const char *name;
  const char *data;
  size_t len;
};
extern const struct sig_blob sig_builtin_files[];

/* The catalogue compiled into warden. A failure is a bug in warden's own
 * data (tests/unit/test_sig.c loads it), reported like any other. */
int sig_load_builtin(struct sig_catalog *c, char *err, size_t errlen);
/* Every *.yaml / *.yml file of dir (sorted), or one file. */
int sig_load_path(struct sig_catalog *c, const char *path, char *err, size_t errlen);

/* One nuclei HTTP template (docs/signatures.md): 0 when it was added,
 * 1 when it is skipped (the reason, with a line where there is one, in
 * why; nothing of it stays in the catalogue). */
int sig_load_template(struct sig_catalog *c, const char *file, const char *data,
                      size_t len, char *why, size_t whylen);
/* Every template file of path (a file, or *.yaml / *.yml under a
 * directory, recursively, in name order). Each skipped one is reported
 * through note(ctx, "file: reason"). Returns how many were added, or -1
 * with err set when path cannot be read. */
int sig_load_templates(struct sig_catalog *c, const char *path,
                       void (*note)(void *ctx, const char *msg), void *ctx,
                       char *err, size_t errlen);

/* Builds the index; call once after loading. */
void sig_catalog_index(struct sig_catalog *c);

/* Tests r, fetched at path (path and query, absolute), against every
 * signature that names the path. Fills up to max hits; returns how many. */
size_t sig_judge(const struct sig_catalog *c, const char *path,
                 const struct sig_resp *r, struct sig_hit *hits, size_t max);
/* 1 if the matchers of sg accept r (no path test); off and len: evidence. */
int sig_match(const struct sig_catalog *c, const struct sig *sg,
              const struct sig_resp *r, size_t *off, size_t *len);

/* The extractor's value on r into out (empty when none or no match). */
void sig_extract(const struct sig_catalog *c, const struct sig *sg,
                 const struct sig_resp *r, char *out, size_t outlen);

/* Looks a rule up by id. */
const struct wd_rule *sig_find_rule(const struct sig_catalog *c, const char *id);

/* ---- building a catalogue (the YAML and the template loaders) ---------- */
struct wd_rule *sig_add_rule(struct sig_catalog *c);
/* Frees every rule and signature past the first nrules and nsigs. */
void sig_catalog_truncate(struct sig_catalog *c, size_t nrules, size_t nsigs);
struct sig *sig_add(struct sig_catalog *c);
/* Compiles a pattern with the catalogue's options; NULL with PCRE2's
 * reason in err. */
void *sig_rx_compile(const char *pattern, int caseless, char *err, size_t errlen);

#endif
