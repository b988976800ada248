/*
 * scan.h - the life of one `warden scan`: target and scope, discovery,
 * the random-path baseline, probes, the check callbacks, findings.
 *
 * Phases: (1) the target URL and two random paths, so that every later
 * response can be compared with what the server says for "nothing here";
 * (2) spec discovery, well-known paths and what each check plans, judged
 * as responses arrive (a judge may queue follow-ups); (3) each check's
 * finish, for judgements across responses.
 *
 * Ownership: the scan owns every probe and finding; checks borrow them
 * for the duration of a callback.
 */
#ifndef WD_SCAN_H
#define WD_SCAN_H
#include <stddef.h>

#include <jansson.h>

#include "../correlate/corr.h"
#include "../model/model.h"
#include "../net/net_http.h"
#include "../net/net_url.h"
#include "../report/report.h"
#include "../sig/sig.h"
#include "scan_spec.h"

struct wd_check;
struct scan;
struct rx_cache;
struct tls_probe_opts;
struct tls_result;
struct canary;

enum probe_flag {
  PROBE_BASELINE = 1 << 0,  /* random path: what "not found" looks like */
  PROBE_ROOT = 1 << 1,      /* the URL the user gave */
  PROBE_SPEC = 1 << 2,      /* an operation from the OpenAPI document */
  PROBE_WELLKNOWN = 1 << 3, /* from the built-in exposure path list */
  PROBE_SPECFIND = 1 << 4,  /* a place where a spec may be served */
  PROBE_FOLLOWUP = 1 << 5,  /* queued by a judge */
  PROBE_REDIRECT = 1 << 6,  /* an in-scope redirect being followed */
  PROBE_ERROR = 1 << 7,     /* parameters filled to provoke an error */
  PROBE_RETRY = 1 << 8,     /* resent after the credential was refreshed */
  PROBE_BURST = 1 << 9,     /* one of a rate-limit burst: the same request
                               again on purpose, so never deduplicated */
};

/* A credential the user gave (--bearer, --api-key, --basic, --cookie) or
 * the second identity (--as2 ...). Values are secrets: never printed. */
enum cred_kind { CRED_NONE = 0, CRED_BEARER, CRED_APIKEY, CRED_BASIC, CRED_COOKIE };

struct cred {
  enum cred_kind kind;
  char *name;    /* API key: header or query parameter name */
  char *value;   /* token, key, "user:pass" or cookie string */
  int in_query;  /* API key sent as a query parameter */
};

/* Which identity a probe speaks as. Without a credential, ID_MAIN sends
 * none, so it is the same request as ID_NONE. */
enum probe_ident {
  ID_MAIN = 0,   /* the user's credential, if any */
  ID_NONE,       /* no credential at all */
  ID_WRONG,      /* the credential with a wrong value */
  ID_AS2,        /* the second identity (--as2) */
  ID_QUERYKEY,   /* the API key moved to the query string */
  ID_CUSTOM,     /* a header line chosen by the check (forged tokens) */
  ID__COUNT
};

/* What the scan keeps of a body once it is released (check.h: a body
 * lives until the last judge of its probe). Filled once, when the probe
 * completes (or when a harness judges it by hand). */
struct body_sum {
  int done;
  size_t len;                /* the body's length */
  unsigned long long hash;   /* of the whole body: "the same answer" */
  unsigned long long shape;  /* of the body with every copy of the request
                                path removed: the baseline comparison */
  size_t shape_len;
  unsigned char json_error;  /* a small JSON object with an error-ish key */
  unsigned char login_form;  /* an HTML form that asks for a password */
};

struct probe {
  struct http_exchange x;
  char *path;          /* path and query, for display; owned */
  char *base;          /* URL before any credential was added; owned */
  unsigned flags;
  const struct wd_check *origin; /* check that queued it, or NULL */
  int tag;             /* the origin's own data */
  const struct spec_op *op; /* spec operation, or NULL; borrowed */
  struct probe *parent;     /* what a follow-up or redirect came from */
  int redirects;
  int nfindings;       /* findings raised on this probe so far */
  int claimed;         /* an endpoint check explained this body */
  int witness;         /* a witness route (scan_pick_witnesses) */
  int cred_gen;        /* the credential generation it was sent with */
  enum probe_ident ident;
  struct curl_slist *hdrs;  /* request headers of this probe; owned */
  struct probe *var[ID__COUNT]; /* variants of this request, by identity */
  /* The request body and its media type (scan_queue_body), or NULL;
   * owned. */
  char *req_body;
  size_t req_body_len;
  char *req_ctype;
  size_t write_slot;   /* a write: 1 + its index in rep.writes; else 0 */
  /* The whole body masked once (scan_flag), before any excerpt is cut,
   * and where its raw offsets moved; owned. */
  char *masked;
  size_t masked_len;
  struct mask_map masked_map;
  /* The body's digest, and whether the body itself is gone (x.body is
   * then empty: read sum, or scan_body_len). */
  struct body_sum sum;
  int body_released;
  /* The body parsed as JSON (scan_body_json), once: json_done says it
   * was tried, json is the document or NULL; owned, released with the
   * body. */
  json_t *json;
  int json_done;
};

struct baseline {
  int valid;
  long status;
  size_t len;
  unsigned long long hash; /* of the body with the path removed */
  char ctype[64];
};

struct scan_opts {
  const char *url;
  const char *spec;       /* file or URL, or NULL */
  int auth_required;      /* --auth-required */
  int no_discovery;       /* --no-discovery: only the URL and the spec */
  const char *scope[SCOPE_MAX];
  int nscope;
  /* Called at most every 0.2 s while probes complete (after the first
   * second), and once with final = 1 if it was called before: the CLI
   * draws a progress line. NULL: none. The scan itself never prints. */
  void (*progress)(size_t completed, size_t queued, size_t findings, int final);
  struct cred cred;       /* main identity (kind CRED_NONE if none) */
  struct cred as2;        /* second identity for authorization tests */
  const char *jwt_wordlist; /* --jwt-wordlist FILE, or NULL */
  int verbose;            /* -v: keep debug lines (report.debug) */
  /* --auth-cmd: called when an authenticated request gets 401, to get a
   * fresh main credential (it rewrites cred.value in place; the caller
   * owns it). 0 on success, -1 with err. At most refresh_max times. */
  int (*refresh_cred)(void *ctx, char *err, size_t errlen);
  void *refresh_ctx;
  int refresh_max;
  const char *refresh_name; /* the option named in notes; NULL: --auth-cmd */
  /* Correlation: deployment files to analyse with the scan (--iac), and
   * a JSON report of `warden inspect` run inside the container. The iac
   * analyser is passed in so the scan library does not depend on it. */
  const char *iac_paths[32];
  size_t niac;
  int (*iac_analyze)(const char *const *paths, size_t n,
                     struct wd_findings *out, struct report *rep);
  const char *inspect_report;
  /* The checks to run, NULL-terminated, in the order their judges run:
   * check_registry (src/checks/check.h), passed in by the caller so the
   * scan does not depend on the checks that depend on it. scan_run
   * refuses NULL. */
  const struct wd_check *const *checks;
  /* --burst N: requests of the rate-limit burst against one cheap read
   * route (and as many against each authentication route found); 0 sends
   * none. The CLI's default is 40; the engine's --rate spaces them. */
  int burst;
  /* --canary HOST:PORT: where the SSRF canary listener binds and what the
   * canary URLs name (an address the target can reach); NULL: loopback,
   * an ephemeral port (scan_canary.h). */
  const char *canary;
  /* --signatures DIR|FILE (added to the built-in catalogue) and
   * --templates DIR|FILE (nuclei HTTP templates). */
  const char *signatures[8];
  size_t nsignatures;
  const char *templates[8];
  size_t ntemplates;
  /* The active mode (docs/cli.md): --active allows POST, PUT and PATCH
   * (and any method but GET, HEAD, OPTIONS) while max_writes lasts;
   * --allow-delete allows DELETE too. Never implied by anything. */
  int active;
  int allow_delete;
  int max_writes;         /* --max-writes (the CLI's default: 25) */
  /* --max-requests: requests queued at most (each spec operation, every
   * check's probe); past it nothing more is queued and the report says
   * how many were left out. 0: SCAN_MAX_REQUESTS. */
  size_t max_requests;
  struct http_opts http;
  /* Called for each new finding as it is decided (a repeat merged into
   * an earlier one is not new), in the thread running the scan, with the
   * finding masked by what the scan knows at that moment: the CLI
   * streams JSON Lines from it. NULL: none. */
  void (*on_finding)(void *ctx, const struct scan *s, struct wd_finding *f);
  void *on_finding_ctx;
};
#define SCAN_MAX_REQUESTS 100000

struct scan {
  const struct scan_opts *opts;
  struct url_parts target;
  char *target_url;       /* normalised */
  char *shown_url;        /* target_url masked (user:password@), for the report */
  char *origin;           /* scheme://host:port */
  /* url_resolve(target_url, "/") without its final '/', made on first
   * use: a plain absolute path is joined to it (scan_resolve). */
  char *resolve_prefix;
  /* url_parse of resolve_prefix + "/" (resolve_parsed: it parsed, with
   * the path "/" and no query). A plain path joined to the prefix reads
   * back as these parts with that path (url_plain_path), so the scope
   * and the probe's path come from them without parsing the URL again. */
  struct url_parts resolve_parts;
  int resolve_parsed;
  struct scope scope;
  struct http_engine *eng;
  struct probe **probes;
  size_t nprobes, capprobes;
  unsigned long long *seen; /* request keys already queued: a hash set */
  size_t nseen, capseen;
  int seen_zero;          /* the key 0 was queued */
  struct spec spec;
  int have_spec;
  /* The URL the spec was read from (--spec URL, or where discovery found
   * it), or NULL (a --spec file); owned. */
  char *spec_url;
  /* Spec discovery: the spec of the first location (in the scan's list)
   * that answered one, used once every location has answered, whichever
   * answered first. found_spec_at is its index + 1 (0: none yet). */
  struct spec found_spec;
  int found_spec_at;
  struct probe *found_spec_probe;
  size_t specfind_out;    /* discovery probes not yet answered */
  struct probe *spec_probe; /* the discovery probe whose spec is used */
  struct baseline base[2];
  struct probe *root;     /* the probe of the URL the user gave */
  struct wd_findings findings;
  struct wd_findings side_findings; /* from --iac, before they join */
  struct corr_set corr;   /* every side's findings, for the chains */
  struct report rep;
  char framework[24];
  int fw_votes;           /* strength of the framework guess */
  size_t completed;
  size_t unanswered;      /* requests that got no HTTP answer at all */
  int interrupted;        /* the signal that stopped the scan, or 0 */
  size_t dropped;         /* requests not queued: --max-requests reached */
  size_t truncated;       /* bodies cut at the body cap */
  int writes;             /* writes queued (the --max-writes budget) */
  size_t writes_over;     /* writes refused: the budget was spent */
  struct spec_op **deletes; /* spec DELETE operations, sent last */
  size_t ndeletes, capdeletes;
  double t0, last_progress;
  int phase;
  int cred_gen;           /* bumped by each --auth-cmd refresh */
  int refreshes;
  struct rx_cache *rx;    /* patterns compiled for this scan */
  double tls_deadline;    /* end of the TLS probes' window, once opened */
  void **check_state;     /* per check, in registry order (check.h) */
  /* The exposure catalogue (built in, --signatures, --templates) and the
   * products its signatures recognised, in the order first seen. */
  struct sig_catalog sigs;
  char *products[16];
  size_t nproducts;
  /* Values that must never be printed: the user's credentials and the
   * secrets found in responses (core_mask.h). findings, side_findings
   * and rep point to it. */
  struct wd_mask mask;
  /* The SSRF canary listener (scan_canary.c), opened on first use. */
  struct canary *canary;
  int canary_failed;
};

/* Runs a whole scan. Returns 0 when the scan ran (findings or not), 2 for
 * a configuration error (message in err), 3 when the target could not be
 * scanned (the report is still filled, status FAILED). */
int scan_run(struct scan *s, const struct scan_opts *o, char *err, size_t errlen);
void scan_cleanup(struct scan *s);

/* Queues a request, relative to the target (path "/x?y") or absolute, as
 * the main identity. Out-of-scope URLs, methods outside the policy and
 * repeats are dropped (returns NULL).
 *
 * The method policy: GET, HEAD and OPTIONS always; any other method is a
 * write, allowed only with --active and while the --max-writes budget
 * lasts (each write queued spends one; past it the write is dropped and
 * the report says how many); DELETE needs --allow-delete as well. Every
 * write is listed in the report (rep.writes: method, URL, status) so the
 * user can clean up. A check that sends an attack payload, even with a
 * read-only method, tests scan_active first. */
struct probe *scan_queue(struct scan *s, const char *method, const char *path,
                         unsigned flags, const struct wd_check *origin, int tag);
/* The same, as another identity. For ID_CUSTOM, header is the whole
 * header line to send ("Authorization: Bearer x.y.z"); the main
 * credential is then left out. of, if given, is the request this one is
 * a variant of: of->var[ident] is set to the new probe. */
struct probe *scan_queue_as(struct scan *s, const char *method, const char *path,
                            unsigned flags, const struct wd_check *origin, int tag,
                            enum probe_ident ident, const char *header,
                            struct probe *of);
/* A request with a body (POST, PUT, PATCH): the same rules and return
 * as scan_queue_as. ctype is the Content-Type sent (NULL: none), body
 * the blen bytes sent (copied; NULL: empty). Two requests that differ
 * only by their body are not repeats. */
struct probe *scan_queue_body(struct scan *s, const char *method, const char *path,
                              const char *ctype, const char *body, size_t blen,
                              unsigned flags, const struct wd_check *origin, int tag,
                              enum probe_ident ident, const char *header,
                              struct probe *of);
/* 1 when --active was given: writes and attack payloads are allowed. */
int scan_active(const struct scan *s);
/* Writes the budget still allows (0 without --active). */
int scan_writes_left(const struct scan *s);
/* 1 once --max-time is spent: what is queued then only completes as
 * HTTP_BUDGET, so a check plans nothing more. */
int scan_out_of_budget(const struct scan *s);
/* How an answer without the right credential refused (scan_refused). */
enum refusal {
  REF_NO = 0,         /* not a refusal */
  REF_STATUS,         /* 400, 401, 403, 404 (and the token statuses) */
  REF_LOGIN_REDIRECT, /* 3xx to a login page */
  REF_JSON_ERROR,     /* 2xx with a small JSON error object */
  REF_LOGIN_FORM,     /* 2xx with an HTML form asking for a password */
  REF_EMPTY,          /* 2xx with an empty body */
};
/* Judges p, the request of authd sent with no (or a wrong, or forged)
 * credential, against authd, the authenticated answer: a REF_ kind when
 * p says "no", REF_NO when it does not (the same answer, other data, an
 * error, or a 2xx that looks like the random-path page: a soft answer is
 * never a refusal). why (may be NULL) gets a short reason either way. */
int scan_refused(const struct scan *s, const struct probe *authd, const struct probe *p,
                 char *why, size_t whylen);
/* 1 when a forged variant p of the witness authd got in: a hit (2xx, not
 * a soft 404) that is not a refusal judged against authd. */
int scan_accepted(const struct scan *s, const struct probe *authd, const struct probe *p);
/* Query parameter names a key or token is commonly read from
 * (NULL-terminated); checks add the header's own name in lower case. */
extern const char *const scan_query_cred_names[];
/* Marks the witness routes (probe->witness): GET requests the main
 * credential opens (a hit) where no credential is refused and a wrong
 * one too (scan_refused). Called once before plan_late; with -v each
 * candidate gets a debug line saying why it was taken or not. */
void scan_pick_witnesses(struct scan *s);
/* Iterates the witness routes. Forged-credential tests send their
 * variants there. Start with *it = 0; returns NULL at the end. Valid
 * from plan_late on. */
struct probe *scan_next_witness(struct scan *s, size_t *it);
/* A debug line (kept only with -v), masked like evidence. */
void scan_debug(struct scan *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Records p's answer as the random-path baseline in slot 0 or 1. */
void scan_baseline_record(struct scan *s, struct probe *p, int slot);
/* 1 if the user gave a main credential. */
int scan_has_cred(const struct scan *s);
/* 1 when p is a real hit: 2xx, and not what the server says for any
 * random path (a soft 404). */
int scan_is_hit(const struct scan *s, const struct probe *p);
/* 1 when p's response looks like the baseline "not found" answer. */
int scan_like_baseline(const struct scan *s, const struct probe *p);
/* The length of p's body, also after the body was released. */
size_t scan_body_len(const struct probe *p);
/* The largest body scan_body_json parses: the default --body-cap. A
 * larger (hostile, multi-MB) body is not parsed at all. */
#define SCAN_JSON_CAP (1024 * 1024)
/* The probe's body parsed as JSON, parsed at most once per probe (the
 * first caller pays), or NULL when the body is empty, not JSON (an
 * object or an array at the top), larger than SCAN_JSON_CAP, or already
 * released. A borrowed reference: valid only while the judge callbacks
 * for this probe run (it is released with the body); a check never
 * keeps it (copy what you need into your state instead). A caller's own
 * conditions (a JSON Content-Type, a smaller size) are tested before
 * calling it, so a body nobody wants parsed is not parsed. */
const json_t *scan_body_json(struct scan *s, struct probe *p);
/* The same, for the scan's own files where no scan is at hand. */
const json_t *probe_body_json(struct probe *p);
/* After the last judge of p: its body, the parsed JSON of it and the
 * masked copy go; the status, the headers (at most 16 KiB, whole lines)
 * and the digest stay. The scan calls it; public for harnesses. */
void scan_release_body(struct probe *p);
/* A JSON body this small may be a "small JSON error" (body_sum): the
 * scan parses it (probe_body_json) before the digest reads it. */
#define SCAN_JSON_ERROR_MAX_BODY 8192
/* Fills out from p's body (the request path p->path is left out of the
 * shape); reads the parsed JSON when probe_body_json was called, else
 * parses a small JSON body itself (a harness); scan_witness.c. */
void scan_body_digest(const struct probe *p, struct body_sum *out);

/* The checks' callbacks, in registry order, each with its own state.
 * scan_run calls them; they are public for harnesses that drive a scan
 * by hand. scan_checks_begin allocates the states and the pattern cache
 * (once; scan_cleanup releases them). */
void scan_checks_begin(struct scan *s);
void scan_checks_plan(struct scan *s);
void scan_checks_judge(struct scan *s, struct probe *p);
void scan_checks_plan_late(struct scan *s);
void scan_checks_finish(struct scan *s);
/* Phase 2's spec: takes over *sp (the caller's copy is emptied; sp may
 * be &s->spec) and queues what each operation suggests, as scan_run
 * does with --spec or a discovered spec (public for the same harnesses). */
void scan_use_spec(struct scan *s, struct spec *sp);

/* The TLS service: one handshake-level probe (net_tls.h) to the target's
 * own host and port (o->host and o->port are set here, whatever the
 * caller put there). Refused (-1, err says why, r marked not connected)
 * when --proxy is set, since a direct connection would go around it, and
 * once the probes' time is spent: SCAN_TLS_BUDGET_S from the first one,
 * never past --max-time. Otherwise tls_probe's result. */
#define SCAN_TLS_BUDGET_S 20.0
int scan_tls_probe(struct scan *s, struct tls_probe_opts *o, struct tls_result *r,
                   char *err, size_t errlen);

/* Raises a finding on p. The evidence is the excerpt of the body around
 * [off, off+len) (raw body offsets), cut from the body masked as a whole,
 * or text if given; either way it is masked. dedupe, if given, merges
 * the same leak seen on many routes into one finding. */
void scan_flag(struct scan *s, struct probe *p, const struct wd_rule *r,
               int severity, const char *title, const char *text,
               size_t off, size_t len, const char *dedupe);
/* Records that rule r ran in this scan: a probe was judged for it (or,
 * for a finish judgement, the answers it compares exist). Only then does
 * its category count as tested in the score (docs/scoring.md): a check
 * that returns early (no token, no https, no file route) must not call
 * it. */
void scan_ran(struct scan *s, const struct wd_rule *r);
/* Raises a finding that belongs to no probe (the target as a whole, or
 * a connection: method "TLS"). Evidence and URL are masked. */
void scan_flag_at(struct scan *s, const struct wd_rule *r, int severity,
                  const char *title, const char *method, const char *url,
                  const char *evidence, const char *dedupe);
/* Reads a JSON report of `warden inspect` (--inspect-report) from text:
 * each finding's rule and file join cs. Returns 0, or -1 with the reason
 * (name:line:col for bad JSON) in err. tests/fuzz/fuzz_inspect_report.c. */
int scan_inspect_report_parse(struct corr_set *cs, const char *text, size_t len,
                              const char *name, char *err, size_t errlen);
/* Records a value that must be masked wherever it would be printed. */
void scan_add_secret(struct scan *s, const char *value);
/* Records a credential the user gave, with the forms it takes on the
 * wire (a Basic pair's password and base64, each cookie value). */
void scan_add_cred(struct scan *s, const struct cred *c);
/* Masks secrets in a fresh copy of text (s may be NULL: detected
 * secrets only). */
char *scan_mask(const struct scan *s, const char *text);
/* Records a recognised product ("prometheus"); repeats are ignored. */
void scan_note_product(struct scan *s, const char *name);
/* Votes for a framework; the strongest vote wins. */
void scan_vote_framework(struct scan *s, const char *name, int strength);

#endif
