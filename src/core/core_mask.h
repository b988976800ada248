/*
 * core_mask.h - the one masking pass for everything warden prints.
 *
 * Every side (scan, iac, inspect, correlation) and every output (finding
 * titles, evidence, URLs, dedupe keys, report notes and facts) goes
 * through mask_text() BEFORE anything is cut, quoted or hashed. It hides:
 *   - registered values: what the user gave (--bearer, --api-key,
 *     --basic, --cookie, --as2) and what a side learned is a secret (an
 *     environment value, a value found in a response), in every place
 *     they occur, with their derived forms (URL-encoded, Basic base64);
 *   - detected secrets, by format: AWS key ids (AKIA..., ASIA...) and
 *     40-character secret keys, GitHub (ghp_, gho_, ghu_, ghs_, ghr_,
 *     github_pat_), GitLab (glpat-, glrt-), Slack (xox?-), Stripe
 *     (sk_live_, rk_live_, sk_test_, rk_test_), npm (npm_), Google API
 *     keys (AIza...), SendGrid (SG.x.y), Twilio API keys (SK + 32 hex),
 *     Slack webhook secrets, JWTs (eyJ...), PEM private key
 *     blocks, Bearer/Basic credentials, passwords in URLs
 *     (scheme://user:PASSWORD@host), and the value after any
 *     secret-like name (PASSWORD, SECRET, TOKEN, *KEY, CREDENTIAL, ...)
 *     in env (NAME=v), JSON ("name": "v"), YAML (name: v) and header
 *     (Name: v) form.
 * A masked value becomes "****": nothing of the secret, not even its
 * length. Only a format's fixed public prefix is kept ("AKIA****",
 * "ghp_****", "eyJ****") so a reader can tell what kind of key leaked;
 * the name before a value stays ("DB_PASSWORD=****").
 *
 * libc only: the static warden-inspect uses it too.
 * Ownership: the caller owns struct wd_mask (mask_init/mask_cleanup);
 * every returned string is fresh and owned by the caller.
 */
#ifndef WD_CORE_MASK_H
#define WD_CORE_MASK_H
#include <stddef.h>

#define MASK_STARS "****"
/* Registered values shorter than this are not searched for (they would
 * mask ordinary text); named values are masked whatever their length. */
#define MASK_MIN_REGISTERED 4
/* Values learned from what a target sent are registered from this length. */
#define MASK_MIN_LEARNED 8
#define MASK_MAX_LEARNED 256

struct wd_mask {
  char **vals;   /* registered values, owned */
  size_t n, cap;
  size_t nlearned;
  /* Changes whenever the registered values do (mask_add*, mask_learn,
   * mask_cleanup): what a struct mask_cache checks its entries against. */
  unsigned long long gen;
};

/* Where masked text moved: raw [from, to) became masked [mfrom, mto). */
struct mask_map {
  struct mask_move {
    size_t from, to, mfrom, mto;
  } *v;
  size_t n;
};

void mask_init(struct wd_mask *m);
void mask_cleanup(struct wd_mask *m);
/* Registers a value that must never be printed (4+ bytes), with its
 * URL-encoded form when it differs. NULL and short values are ignored. */
void mask_add(struct wd_mask *m, const char *value);
/* "user:pass": the pair, the password alone, and base64 of the pair (what
 * an Authorization: Basic header or a log shows). */
void mask_add_basic(struct wd_mask *m, const char *userpass);
/* "a=b; c=d": the whole string and each value. */
void mask_add_cookie(struct wd_mask *m, const char *cookies);
/* Registers the secrets detected in text (values of MASK_MIN_LEARNED+
 * bytes that mix two kinds of character: lower, upper, digit, symbol),
 * so the same value is masked where it later appears without its name.
 * At most MASK_MAX_LEARNED are kept. */
void mask_learn(struct wd_mask *m, const char *s, size_t n);

/* Masks s[0..n) (which may hold NUL bytes); m may be NULL (detected
 * secrets only). Returns a fresh NUL-terminated string, its length in
 * *outlen if given. If map is given it receives the moves (free with
 * mask_map_free), for mask_map_off(). */
char *mask_text(const struct wd_mask *m, const char *s, size_t n,
                size_t *outlen, struct mask_map *map);
/* 1 when s[0..n) holds nothing mask_text's detectors could recognise
 * (a one-pass necessary-condition test mask_text makes before running
 * them; registered values are searched for regardless); 0 when it may. */
int mask_quiet(const char *s, size_t n);
/* How many spans the detectors add on s[0..n), every detector run, no
 * quick test (for tests: mask_quiet(s, n) implies 0). */
size_t mask_detect(const char *s, size_t n);
/* mask_text on a C string; NULL gives NULL. */
char *mask_str(const struct wd_mask *m, const char *s);
/* A memo of mask_str's results, for a run that masks the same strings
 * many times (iac: the same evidence in every file that repeats a
 * mistake). mask_text is a function of the input and of the mask's
 * registered values only, so an entry is the exact input and its output,
 * valid for the mask and generation (wd_mask.gen) it was made with: a
 * call with another mask or after a value was registered empties the
 * memo first. Bounded (MASK_CACHE_MAX entries, inputs up to
 * MASK_CACHE_MAX_LEN bytes, MASK_CACHE_MAX_BYTES of text; full, it is
 * emptied). Owned by the run that uses it; never shared between threads. */
#define MASK_CACHE_MAX 4096
#define MASK_CACHE_MAX_LEN 1024
#define MASK_CACHE_MAX_BYTES (2u << 20)
struct mask_cache {
  struct mask_cache_ent {
    char *in, *out;   /* owned; in == NULL: empty slot */
    size_t inlen;
    unsigned long long h;
  } *v;
  size_t cap, n, bytes;  /* cap: a power of two, or 0 */
  const struct wd_mask *m;
  unsigned long long gen;
  size_t hits, misses;   /* for tests and profiles */
};
void mask_cache_init(struct mask_cache *c);
void mask_cache_cleanup(struct mask_cache *c);
/* mask_str(m, s) through the memo c (c NULL: mask_str). */
char *mask_str_cached(const struct wd_mask *m, struct mask_cache *c, const char *s);
/* Replaces *s by its masked copy (NULL stays NULL). */
void mask_inplace(const struct wd_mask *m, char **s);
/* The offset in the masked text of raw offset off; an offset inside a
 * masked value maps to the start of its mask. */
size_t mask_map_off(const struct mask_map *map, size_t off);
void mask_map_free(struct mask_map *map);
/* A secret found by its format (not by the name before it): where, and
 * which format ("aws-access-key-id", "aws-secret-access-key",
 * "github-token", "gitlab-token", "slack-token", "slack-webhook",
 * "stripe-secret-key", "stripe-test-key", "npm-token", "google-api-key",
 * "sendgrid-api-key", "twilio-api-key", "jwt", "private-key" (the body of
 * a PEM private key block), "url-password"). Static strings. */
struct mask_found {
  size_t from, to;
  const char *kind;
};
/* The secrets mask_text recognises by format in s[0..n), by position;
 * at most max are stored in out, the count of all is returned. */
size_t mask_find(const char *s, size_t n, struct mask_found *out, size_t max);
/* 1 when a field or variable called name[0..n) holds a secret by its
 * name (PASSWORD, SECRET, TOKEN, API_KEY, *KEY, *PASS, ...; not *_FILE,
 * *_URL, *_NAME ...): the rule mask_text applies to "name": "value". */
int mask_is_secret_name(const char *name, size_t n);
/* The display form of one known secret value: its format's public
 * prefix, if any, and "****". */
char *mask_value(const char *s, size_t n);

#endif
