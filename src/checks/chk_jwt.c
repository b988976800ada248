/*
 * chk_jwt.c - Bearer tokens and JWTs (the Echo seed).
 *
 * Static, offline: the --bearer (and --as2 bearer:) token is decoded
 * without trusting it: alg none, no exp, a long lifetime, sensitive
 * claims, and an HMAC secret found by a wordlist crack. These findings sit
 * at the target URL, since they are about the token, not a route.
 *
 * Active, read-only (GET only, in scope, after phase 2): on a few
 * "witness" routes (the user's token opens them, no credential is
 * refused) the token is replayed forged: alg none, signature stripped or
 * flipped; when the secret is known, re-signed with a foreign aud, a
 * foreign iss, an expired exp (counted only if the unchanged re-signed
 * token is accepted, which proves the secret); the token moved to
 * ?access_token= / ?token= with no header. A forged variant "accepted"
 * means 2xx and not a soft 404 where no credential gets 401/403.
 *
 * bfla.scope-not-enforced: the --as2 identity (a low-privilege user) gets
 * 2xx on an admin route that the main token opens and no credential is
 * refused on. An admin route is one whose path has "admin" in it, or a
 * segment named internal, manage, management, superuser or staff.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <pthread.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "../scan/scan_canary.h"
#include "../scan/scan_jwks.h"
#include "../scan/scan_jwt.h"
#include "check.h"

enum {
  R_NONE_ACCEPTED, R_SIG, R_WEAK, R_NO_EXP, R_LONG, R_SENSITIVE, R_AUD, R_ISS,
  R_EXP, R_QUERY, R_UNSIGNED, R_BFLA, R_KEYCONF, R_KID, R_JKU, R_X5U, R_KEYURL_FETCH,
};

/* A lifetime above this is "long" (24 hours); above a month, medium. */
#define JW_LONG_SECONDS (24LL * 3600)
#define JW_VERY_LONG_SECONDS (30LL * 24 * 3600)
#define JW_MAX_WITNESS 4 /* routes the forged tokens are tried on */

static const struct wd_fix fix_verify[] = {
  {"echo", "Parse with an explicit method check: jwt.Parse(s, keyFunc, jwt.WithValidMethods([]string{\"HS256\"})) (v4: check token.Method in the keyfunc), and use the claims only when err == nil && token.Valid; with echo-jwt set SigningMethod and never return jwt.UnsafeAllowNoneSignatureType."},
  {"chi", "Verify with a keyfunc that checks token.Method and proceed only when err == nil && token.Valid; never use jwt.ParseUnverified for authentication."},
  {NULL, NULL},
};

static const struct wd_fix fix_claims[] = {
  {"echo", "After parsing, require the claims: claims.VerifyAudience(\"my-service\", true), claims.VerifyIssuer(\"https://auth.example.com/\", true), claims.VerifyExpiresAt(time.Now(), true) (v5: jwt.WithAudience, jwt.WithIssuer, jwt.WithExpirationRequired)."},
  {NULL, NULL},
};

static const struct wd_fix fix_scope[] = {
  {"echo", "Guard admin routes with a middleware that reads the verified claims and answers 403 unless the scope claim contains \"admin\": admin := g.Group(\"/admin\", RequireScope(\"admin\"))."},
  {"chi", "Mount admin routes in r.Group with a middleware that checks the verified token's scope/roles before next.ServeHTTP."},
  {NULL, NULL},
};

static const struct wd_rule jt_rules[] = {
  [R_NONE_ACCEPTED] = {
    .id = "jwt.alg-none-accepted", .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_AUTH, .owasp = "API2:2023", .cwe = 347,
    .title = "JWT with alg \"none\" accepted",
    .summary = "An unsigned token (header alg none, no signature) is accepted where no credential is refused: anyone can mint any identity",
    .remediation = "Pin the accepted algorithms on the verifier (e.g. only HS256 or RS256) and reject alg none in every spelling.",
    .fixes = fix_verify,
  },
  [R_SIG] = {
    .id = "jwt.signature-not-verified", .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_AUTH, .owasp = "API2:2023", .cwe = 347,
    .title = "JWT signature not verified",
    .summary = "The token is accepted with its signature removed or altered: the server reads the claims without verifying them",
    .remediation = "Authenticate only on a token whose signature verified (err == nil and token.Valid); never fall back to the parsed but unverified claims.",
    .fixes = fix_verify,
  },
  [R_WEAK] = {
    .id = "jwt.weak-secret", .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_AUTH, .owasp = "API2:2023", .cwe = 521,
    .title = "JWT HMAC secret found by an offline wordlist attack",
    .summary = "The HS256/384/512 secret that signs the token is a common word: anyone can sign tokens for any user",
    .remediation = "Sign with a random secret of at least 32 bytes from a secret store (or move to RS256/EdDSA), rotate it now and invalidate the tokens signed with the old one.",
  },
  [R_NO_EXP] = {
    .id = "jwt.no-exp", .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_AUTH, .owasp = "API2:2023", .cwe = 613,
    .title = "JWT without an expiry (exp)",
    .summary = "The token has no exp claim: once leaked it works forever",
    .remediation = "Issue tokens with a short exp (minutes to hours) and require exp when verifying.",
  },
  [R_LONG] = {
    .id = "jwt.long-lifetime", .severity = WD_SEV_LOW,
    .category = WD_CAT_AUTH, .owasp = "API2:2023", .cwe = 613,
    .title = "JWT with a very long lifetime",
    .summary = "The token stays valid for more than 24 hours (medium above 30 days)",
    .remediation = "Keep access tokens short-lived (15-60 minutes) and use refresh tokens that the server can revoke.",
  },
  [R_SENSITIVE] = {
    .id = "jwt.sensitive-claims", .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_DATA, .owasp = "API3:2023", .cwe = 315,
    .title = "Sensitive data in JWT claims",
    .summary = "The token carries passwords or secrets (high), or personal data and internal identifiers (medium), readable by anyone who holds it",
    .remediation = "JWT payloads are only base64-encoded: keep them to opaque ids and scopes; look up personal data server-side.",
  },
  [R_AUD] = {
    .id = "jwt.aud-not-verified", .severity = WD_SEV_HIGH,
    .category = WD_CAT_AUTH, .owasp = "API2:2023", .cwe = 287,
    .title = "JWT audience not verified",
    .summary = "A token re-signed with a foreign aud is accepted: tokens issued for another service work here",
    .remediation = "Require the service's own audience when verifying.",
    .fixes = fix_claims,
  },
  [R_ISS] = {
    .id = "jwt.iss-not-verified", .severity = WD_SEV_HIGH,
    .category = WD_CAT_AUTH, .owasp = "API2:2023", .cwe = 287,
    .title = "JWT issuer not verified",
    .summary = "A token re-signed with a foreign iss is accepted",
    .remediation = "Require the expected issuer when verifying.",
    .fixes = fix_claims,
  },
  [R_EXP] = {
    .id = "jwt.exp-not-verified", .severity = WD_SEV_HIGH,
    .category = WD_CAT_AUTH, .owasp = "API2:2023", .cwe = 613,
    .title = "Expired JWT accepted",
    .summary = "A token re-signed with an exp in the past is accepted: expiry is not enforced",
    .remediation = "Verify exp (and nbf) on every request, with at most a small clock-skew leeway.",
    .fixes = fix_claims,
  },
  [R_QUERY] = {
    .id = "jwt.token-in-query", .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_AUTH, .owasp = "API2:2023", .cwe = 598,
    .title = "Bearer token accepted in the query string",
    .summary = "The token works as a query parameter (?access_token=, ?token=, ?api_key= ...), where logs, proxies and browser history keep it",
    .remediation = "Read the token only from the Authorization header (echo-jwt: TokenLookup \"header:Authorization:Bearer \").",
  },
  [R_UNSIGNED] = {
    .id = "jwt.unsigned-token", .severity = WD_SEV_HIGH,
    .category = WD_CAT_AUTH, .owasp = "API2:2023", .cwe = 347,
    .title = "The JWT in use is unsigned (alg none)",
    .summary = "The token given to warden has alg none: the issuer does not sign its tokens",
    .remediation = "Issue signed tokens only (HS256 with a strong secret, RS256 or EdDSA).",
  },
  [R_KEYCONF] = {
    .id = "jwt.key-confusion", .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_AUTH, .owasp = "API2:2023", .cwe = 347,
    .title = "JWT algorithm confusion: HS256 signed with the server's public key accepted",
    .summary = "A token re-signed with HMAC, using the server's published RSA public key (PEM or DER) as the secret, is accepted: anyone can mint tokens",
    .remediation = "Pin the algorithm the key is for (RS256 only for an RSA key): the keyfunc must check token.Method and never hand an RSA key's bytes to an HMAC verifier.",
    .fixes = fix_verify,
  },
  [R_KID] = {
    .id = "jwt.kid-path-traversal", .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_AUTH, .owasp = "API2:2023", .cwe = 22,
    .title = "JWT kid used as a file path: a token signed with an empty key accepted",
    .summary = "A token whose kid points at /dev/null, HMAC-signed with the empty secret, is accepted: the verifier reads its key from a path the token names",
    .remediation = "Look kid up in a fixed map of known keys; never build a file path (or a query) from it, and refuse empty keys.",
    .fixes = fix_verify,
  },
  [R_JKU] = {
    .id = "jwt.jku-accepted", .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_AUTH, .owasp = "API2:2023", .cwe = 347,
    .title = "JWT jku header trusted: a token signed with warden's own key accepted",
    .summary = "A token signed with a key warden made, whose jku header names a JWK Set on warden's listener, is accepted: the verifier takes its key from a URL the token names, so anyone can mint tokens (--active)",
    .remediation = "Never fetch keys from a URL in the token (jku, x5u): verify against a JWKS URL fixed in the configuration, pin the algorithm, and look kid up among those keys only.",
    .fixes = fix_verify,
  },
  [R_X5U] = {
    .id = "jwt.x5u-accepted", .severity = WD_SEV_CRITICAL,
    .category = WD_CAT_AUTH, .owasp = "API2:2023", .cwe = 347,
    .title = "JWT x5u header trusted: a token signed with warden's own key accepted",
    .summary = "A token signed with a key warden made, whose x5u header names a self-signed certificate for that key on warden's listener, is accepted: the verifier takes its key from a URL the token names (--active)",
    .remediation = "Never fetch keys from a URL in the token (x5u, jku): verify against keys fixed in the configuration; if certificates are used, validate the chain against a pinned CA.",
    .fixes = fix_verify,
  },
  [R_KEYURL_FETCH] = {
    .id = "jwt.key-url-fetched", .severity = WD_SEV_MEDIUM,
    .category = WD_CAT_SSRF, .owasp = "API7:2023", .cwe = 918,
    .title = "JWT key URL fetched: the server requests a URL the token names (jku/x5u)",
    .summary = "Given a token whose jku or x5u header names warden's listener, the server fetched that URL and still refused the token: an unauthenticated caller can make it send requests (SSRF), and its verifier is one step from trusting the key (--active)",
    .remediation = "Ignore jku and x5u in incoming tokens, or accept only URLs from a fixed allowlist; fetch the JWKS from configuration, not from the token.",
  },
  [R_BFLA] = {
    .id = "bfla.scope-not-enforced", .severity = WD_SEV_HIGH,
    .category = WD_CAT_BFLA, .owasp = "API5:2023", .cwe = 285,
    .title = "Admin route reachable by the low-privilege identity",
    .summary = "An admin route that refuses requests with no credential answers the --as2 identity: the scope/role is not checked",
    .remediation = "Authorize each admin route on the verified token's scope or role (403 otherwise), not only on a valid login.",
    .fixes = fix_scope,
  },
};

extern const struct wd_check check_jwt;

/* Tags of this check's probes: a jwt_forge kind, or one of these. */
enum { TAG_BFLA = 90, TAG_JWKS = 91, TAG_OIDC = 92, TAG_QUERY = 100 /* + index in jt_qname */ };
#define JW_MAX_KEYS 2 /* public keys tried per witness (PEM and DER each) */

/* The query names the token is tried under: the common ones, then the
 * header's own name in lower case. */
static const char *jt_qname(int i)
{
  int n = 0;
  while(scan_query_cred_names[n])
    n++;
  return i < n ? scan_query_cred_names[i] : i == n ? "authorization" : NULL;
}

/* The wordlist crack runs on a thread of its own, off the scan's critical
 * path: started in plan, with its own copies of the tokens, and joined in
 * plan_late (the claim tests need its answer). The thread touches nothing
 * but this job; findings are raised on the scan's thread after the join. */
struct jt_crack_job {
  int n;                       /* tokens to crack: 0, 1 or 2 */
  struct wd_jwt tok[2];        /* the thread's own decoded copies */
  const char *who[2];
  const char *wordlist;        /* borrowed from the options */
  int rc[2];                   /* jwt_crack's answer; -2 not tried */
  char found[2][JWT_CRACK_MAX_WORD + 1];
  char err[2][300];
};

/* Per scan: the decoded main token and the cracked secret. */
struct jt_state {
  int have;                 /* main token decoded */
  struct wd_jwt tok;
  char *from;               /* the credential value tok was decoded from */
  int cracked;
  char secret[JWT_CRACK_MAX_WORD + 1];
  struct jwks keys;         /* public keys the server published */
  /* The jku and x5u tests (--active): per witness and kind, the canary
   * path token the forged token's header names. */
  struct { const struct probe *w; int kind; char tok[40]; } keyurl[2 * JW_MAX_WITNESS];
  int nkeyurl;
  pthread_t thread;
  int running;              /* the crack thread was started, not joined */
  struct jt_crack_job job;
};

static void *jt_crack_thread(void *arg)
{
  struct jt_crack_job *job = arg;
  for(int i = 0; i < job->n; i++) {
    /* One weak-secret finding when both tokens share the cracked secret. */
    if(i == 1 && job->rc[0] == 1 &&
       jwt_hs_verify(&job->tok[1], job->found[0], strlen(job->found[0]))) {
      job->rc[1] = -2;
      continue;
    }
    job->rc[i] = jwt_crack(&job->tok[i], job->wordlist, job->found[i], sizeof(job->found[i]),
                           job->err[i], sizeof(job->err[i]));
  }
  return NULL;
}

static void jt_join(struct jt_state *jw)
{
  if(jw->running) {
    pthread_join(jw->thread, NULL);
    jw->running = 0;
  }
}

static void jt_reset(void *st)
{
  struct jt_state *jw = st;
  jt_join(jw);
  if(jw->have)
    jwt_free(&jw->tok);
  free(jw->from);
  for(int i = 0; i < jw->job.n; i++)
    jwt_free(&jw->job.tok[i]);
  jwks_free(&jw->keys);
  memset(jw, 0, sizeof(*jw)); /* the cracked secrets too */
}

/* ---- static findings -------------------------------------------------- */

static const char *const pw_words[] = {
  "password", "passwd", "pwd", "secret", "ssn", "credit", "card", "cvv", "pin",
  "private", "apikey", "api_key", "client_secret", NULL,
};
static const char *const pii_words[] = {
  "email", "mail", "phone", "address", "birth", "dob", "internal", "db_id",
  "dbid", "host", "ip", NULL,
};

static int name_has(const char *name, const char *const *words)
{
  for(size_t i = 0; words[i]; i++) {
    size_t wl = strlen(words[i]);
    /* "ip" and "pin" only as whole names or _-separated parts */
    if(wl <= 3) {
      const char *h = name;
      while((h = strcasestr(h, words[i]))) {
        int l = h == name || h[-1] == '_' || h[-1] == '-';
        int r = h[wl] == '\0' || h[wl] == '_' || h[wl] == '-';
        if(l && r)
          return 1;
        h++;
      }
    } else if(strcasestr(name, words[i])) {
      return 1;
    }
  }
  return 0;
}

/* 1 when v is a private IPv4 address or an e-mail address. */
static int value_is_pii(const char *v)
{
  unsigned a, b, c, d;
  char tail;
  if(sscanf(v, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) == 4 && a < 256 && b < 256 &&
     c < 256 && d < 256)
    return a == 10 || (a == 172 && b >= 16 && b < 32) || (a == 192 && b == 168);
  const char *at = strchr(v, '@');
  return at && at != v && strchr(at, '.') && !strchr(v, ' ') && strlen(v) < 254;
}

/* Claim names only, never values: "password, email". */
static void jt_sensitive_walk(json_t *o, const char *prefix, struct buf *hi, struct buf *lo,
                              int depth)
{
  const char *k;
  json_t *v;
  json_object_foreach(o, k, v) {
    char name[128];
    int w = snprintf(name, sizeof(name), "%s%s", prefix, k);
    if(w < 0 || (size_t)w >= sizeof(name))
      continue; /* a claim path this long is not worth naming */
    if(name_has(k, pw_words) && !json_is_null(v) && !json_is_false(v))
      buf_printf(hi, "%s%s", hi->len ? ", " : "", name);
    else if(name_has(k, pii_words) || (json_is_string(v) && value_is_pii(json_string_value(v))))
      buf_printf(lo, "%s%s", lo->len ? ", " : "", name);
    if(json_is_object(v) && depth < 2) {
      char pre[140];
      w = snprintf(pre, sizeof(pre), "%s.", name);
      if(w < 0 || (size_t)w >= sizeof(pre))
        continue;
      jt_sensitive_walk(v, pre, hi, lo, depth + 1);
    }
  }
}

static void jt_static(struct scan *s, const struct wd_jwt *t, const char *who)
{
  struct probe *at = s->root;
  char ev[400], dd[64];
  long long now = (long long)time(NULL);
  /* The token itself is what these rules judge: they ran. */
  scan_ran(s, &jt_rules[R_UNSIGNED]);
  scan_ran(s, &jt_rules[R_NO_EXP]);
  scan_ran(s, &jt_rules[R_LONG]);
  scan_ran(s, &jt_rules[R_SENSITIVE]);
  if(!strcasecmp(t->alg, "none")) {
    snprintf(ev, sizeof(ev), "%s: header alg \"%s\", signature %zu bytes", who, t->alg,
             t->siglen);
    snprintf(dd, sizeof(dd), "unsigned %s", who);
    scan_flag(s, at, &jt_rules[R_UNSIGNED], -1, NULL, ev, 0, 0, dd);
  }
  if(!t->has_exp) {
    snprintf(ev, sizeof(ev), "%s: alg %s, no exp claim%s", who, t->alg,
             t->has_iat ? " (iat present)" : "");
    snprintf(dd, sizeof(dd), "no-exp %s", who);
    scan_flag(s, at, &jt_rules[R_NO_EXP], -1, NULL, ev, 0, 0, dd);
  } else {
    long long from = t->has_iat ? t->iat : (t->has_nbf ? t->nbf : now);
    long long life = t->exp - from;
    if(life > JW_LONG_SECONDS) {
      snprintf(ev, sizeof(ev), "%s: valid for %lld days (exp - %s)", who, life / 86400,
               t->has_iat ? "iat" : t->has_nbf ? "nbf" : "now");
      snprintf(dd, sizeof(dd), "long %s", who);
      scan_flag(s, at, &jt_rules[R_LONG],
                life > JW_VERY_LONG_SECONDS ? WD_SEV_MEDIUM : -1, NULL, ev, 0, 0, dd);
    }
  }
  json_t *p = json_loads(t->payload_json, 0, NULL);
  if(p) {
    struct buf hi, lo;
    buf_init(&hi, 200);
    buf_init(&lo, 200);
    jt_sensitive_walk(p, "", &hi, &lo, 0);
    if(hi.len || lo.len) {
      snprintf(ev, sizeof(ev), "%s carries %s%s%s%s%s", who, hi.len ? "secret claims: " : "",
               buf_str(&hi), hi.len && lo.len ? "; " : "", lo.len ? "personal/internal claims: " : "",
               buf_str(&lo));
      snprintf(dd, sizeof(dd), "sensitive %s", who);
      scan_flag(s, at, &jt_rules[R_SENSITIVE], hi.len ? WD_SEV_HIGH : -1, NULL, ev, 0, 0, dd);
    }
    buf_cleanup(&hi);
    buf_cleanup(&lo);
    json_decref(p);
  }
}

/* Queues token t for the crack thread (HS* only). */
static void jt_crack_add(struct scan *s, struct jt_state *jw, const char *value, const char *who)
{
  struct jt_crack_job *job = &jw->job;
  char err[200];
  if(job->n >= 2 || jwt_decode(&job->tok[job->n], value, err, sizeof(err)))
    return;
  if(!jwt_hs_bits(job->tok[job->n].alg)) {
    jwt_free(&job->tok[job->n]);
    return;
  }
  job->who[job->n] = who;
  job->wordlist = s->opts->jwt_wordlist;
  job->rc[job->n] = -2;
  job->n++;
}

/* After the join: the findings of the crack. */
static void jt_crack_report(struct scan *s, struct jt_state *jw)
{
  struct jt_crack_job *job = &jw->job;
  for(int i = 0; i < job->n; i++) {
    const struct wd_jwt *t = &job->tok[i];
    const char *who = job->who[i];
    char *found = job->found[i];
    if(job->rc[i] == -1) {
      report_note(&s->rep, "--jwt-wordlist: %s", job->err[i]);
      continue;
    }
    if(job->rc[i] == -2)
      continue;
    scan_ran(s, &jt_rules[R_WEAK]);
    if(job->rc[i] == 0)
      continue;
    scan_add_secret(s, found);
    char *mask = str_mask_secret(found, strlen(found));
    char ev[300];
    snprintf(ev, sizeof(ev), "%s: %s signature verified offline with %s (%zu chars, shown masked: %s)",
             who, t->alg, found[0] ? "a common secret" : "an EMPTY secret", strlen(found),
             found[0] ? mask : "\"\"");
    free(mask);
    char dd[64];
    snprintf(dd, sizeof(dd), "weak %s", who);
    scan_flag(s, s->root, &jt_rules[R_WEAK], -1, NULL, ev, 0, 0, dd);
    if(i == 0 && jw->have && strcmp(who, "--bearer JWT") == 0) {
      jw->cracked = 1;
      snprintf(jw->secret, sizeof(jw->secret), "%s", found);
    }
  }
  for(int i = 0; i < job->n; i++)
    memset(job->found[i], 0, sizeof(job->found[i]));
}

static void jt_plan(struct scan *s, void *st)
{
  struct jt_state *jw = st;
  char err[200];
  const struct cred *c = &s->opts->cred;
  if(c->kind == CRED_BEARER && jwt_looks_like(c->value)) {
    if(jwt_decode(&jw->tok, c->value, err, sizeof(err)) == 0) {
      jw->have = 1;
      jw->from = xstrdup(c->value);
      jt_static(s, &jw->tok, "--bearer JWT");
      jt_crack_add(s, jw, c->value, "--bearer JWT");
    } else {
      report_note(&s->rep, "--bearer: %s", err);
    }
  }
  const struct cred *c2 = &s->opts->as2;
  struct wd_jwt t2;
  if(c2->kind == CRED_BEARER && jwt_looks_like(c2->value) &&
     jwt_decode(&t2, c2->value, err, sizeof(err)) == 0) {
    jt_static(s, &t2, "--as2 JWT");
    jt_crack_add(s, jw, c2->value, "--as2 JWT");
    jwt_free(&t2);
  }
  /* A token signed with a public key: where the server publishes it. A
   * token that can be refreshed mid-scan (--auth-cmd, OAuth2) may only
   * become one later (jt_refreshed): ask anyway. */
  if((jw->have && (!strncmp(jw->tok.alg, "RS", 2) || !strncmp(jw->tok.alg, "PS", 2))) ||
     (c->kind == CRED_BEARER && s->opts->refresh_cred)) {
    scan_queue(s, "GET", "/.well-known/jwks.json", PROBE_FOLLOWUP, &check_jwt, TAG_JWKS);
    scan_queue(s, "GET", "/.well-known/openid-configuration", PROBE_FOLLOWUP, &check_jwt,
               TAG_OIDC);
  }
  if(jw->job.n && pthread_create(&jw->thread, NULL, jt_crack_thread, &jw->job) == 0)
    jw->running = 1;
  else if(jw->job.n)
    jt_crack_thread(&jw->job); /* no thread: crack here */
}

/* ---- public keys -------------------------------------------------------- */

/* The JWKS and the OpenID configuration's jwks_uri (in scope only:
 * scan_queue drops anything else). */
static void jt_judge(struct scan *s, void *st, struct probe *p)
{
  struct jt_state *jw = st;
  if(p->origin != &check_jwt || (p->tag != TAG_JWKS && p->tag != TAG_OIDC) ||
     !scan_is_hit(s, p))
    return;
  if(p->tag == TAG_OIDC) {
    char *u = jwks_openid_uri(buf_str(&p->x.body), p->x.body.len);
    if(u && !scan_queue(s, "GET", u, PROBE_FOLLOWUP, &check_jwt, TAG_JWKS))
      scan_debug(s, "jwks_uri %s: not requested (out of scope or already asked)", u);
    free(u);
    return;
  }
  struct jwks k;
  char err[200];
  if(jwks_parse(&k, buf_str(&p->x.body), p->x.body.len, err, sizeof(err))) {
    report_note(&s->rep, "%s: not a usable JWKS: %s", p->x.url, err);
    return;
  }
  if(k.unsupported)
    report_note(&s->rep, "%s: %zu key(s) of a type warden does not test skipped (kty %s)",
                p->x.url, k.unsupported, k.unsupported_kty);
  for(size_t i = 0; i < k.n && jw->keys.n < JW_MAX_KEYS; i++) {
    size_t cap = jw->keys.n;
    jw->keys.v = xgrow(jw->keys.v, &cap, jw->keys.n + 1, sizeof(*jw->keys.v));
    jw->keys.v[jw->keys.n++] = k.v[i];
    memset(&k.v[i], 0, sizeof(k.v[i])); /* moved */
  }
  jwks_free(&k);
}

/* HS256 tokens a confused verifier accepts: signed with the public key's
 * PEM and DER, and with the empty key behind a kid path to /dev/null. */
static void jt_confusion_on(struct scan *s, const struct jt_state *jw, struct probe *w)
{
  for(size_t i = 0; i < jw->keys.n; i++) {
    const struct jwks_key *k = &jw->keys.v[i];
    for(int der = 0; der <= 1; der++) {
      char *t = jwt_forge_hs(&jw->tok, "HS256", NULL, der ? k->der : k->pem,
                             der ? k->derlen : k->pemlen);
      if(!t)
        continue;
      char *h = xasprintf("Authorization: Bearer %s", t);
      scan_queue_as(s, "GET", w->base, PROBE_FOLLOWUP, &check_jwt,
                    der ? JWT_FORGE_KEYCONF_DER : JWT_FORGE_KEYCONF_PEM, ID_CUSTOM, h, w);
      free(h);
      free(t);
    }
  }
  /* The kid trick, and the control: HS256 under a random secret. A
   * verifier that takes that one checks no signature at all, and the two
   * tricks would prove nothing there. */
  char rnd[33];
  str_random_hex(rnd, 32);
  for(int ctl = 0; ctl <= 1; ctl++) {
    char *t = jwt_forge_hs(&jw->tok, "HS256", ctl ? NULL : JWT_KID_DEVNULL, ctl ? rnd : "",
                           ctl ? strlen(rnd) : 0);
    if(!t)
      continue;
    char *h = xasprintf("Authorization: Bearer %s", t);
    scan_queue_as(s, "GET", w->base, PROBE_FOLLOWUP, &check_jwt,
                  ctl ? JWT_FORGE_HS_RANDOM : JWT_FORGE_KID_NULL, ID_CUSTOM, h, w);
    free(h);
    free(t);
  }
}

/* ---- active tests ----------------------------------------------------- */

/* --active only: on witness w, tokens signed with a key warden made,
 * whose jku names a JWK Set (that key, under a fresh kid), and whose x5u
 * names a self-signed certificate for it, both served by the scan's
 * canary listener at paths of w's own, so a fetch tells which route's
 * verifier made it. The listener learns each document before a request
 * carries its URL. */
static void jt_keyurl_on(struct scan *s, struct jt_state *jw, struct evp_pkey_st *key,
                         struct probe *w)
{
  for(int kind = JWT_FORGE_JKU; kind <= JWT_FORGE_X5U; kind++) {
    int x5u = kind == JWT_FORGE_X5U;
    char rnd[17], url[256], tok[40], kid[32], *doc = NULL;
    str_random_hex(rnd, 16);
    snprintf(tok, sizeof(tok), "%s-%s", x5u ? "x5u" : "jku", rnd);
    snprintf(kid, sizeof(kid), "warden-%.8s", rnd);
    if(jw->nkeyurl >= (int)ARRAY_LEN(jw->keyurl) || scan_canary_url(s, tok, url, sizeof(url)))
      return;
    char *t = jwt_forge_keyurl(&jw->tok, key, x5u, url, kid, &doc);
    /* Like the other forged tokens, t is masked by its JWT format. */
    if(t && scan_canary_serve(s, tok, x5u ? "application/pem-certificate-chain"
                                          : "application/json", doc) == 0) {
      jw->keyurl[jw->nkeyurl].w = w;
      jw->keyurl[jw->nkeyurl].kind = kind;
      snprintf(jw->keyurl[jw->nkeyurl].tok, sizeof(jw->keyurl[0].tok), "%s", tok);
      jw->nkeyurl++;
      char *h = xasprintf("Authorization: Bearer %s", t);
      scan_queue_as(s, "GET", w->base, PROBE_FOLLOWUP, &check_jwt, kind, ID_CUSTOM, h, w);
      free(h);
    }
    free(t);
    free(doc);
  }
}

/* The canary token of the jku/x5u probe p (by witness and kind), or NULL. */
static const char *jt_keyurl_tok(const struct jt_state *jw, const struct probe *p)
{
  for(int i = 0; i < jw->nkeyurl; i++)
    if(jw->keyurl[i].w == p->parent && jw->keyurl[i].kind == p->tag)
      return jw->keyurl[i].tok;
  return NULL;
}

static int jt_is_admin(const char *path)
{
  static const char *const segs[] = {"internal", "manage", "management", "superuser",
                                     "staff", NULL};
  if(strcasestr(path, "admin"))
    return 1;
  for(size_t i = 0; segs[i]; i++) {
    size_t n = strlen(segs[i]);
    for(const char *h = path; (h = strcasestr(h, segs[i])); h++)
      if(h > path && h[-1] == '/' && (h[n] == '/' || h[n] == '\0' || h[n] == '?'))
        return 1;
  }
  return 0;
}

static void jt_forge_on(struct scan *s, const struct jt_state *jw, struct probe *w,
                        enum jwt_forge k)
{
  char *t = jwt_forge(&jw->tok, k, jw->cracked ? jw->secret : NULL, (long long)time(NULL));
  if(!t)
    return;
  char *h = xasprintf("Authorization: Bearer %s", t);
  scan_queue_as(s, "GET", w->base, PROBE_FOLLOWUP, &check_jwt, (int)k, ID_CUSTOM, h, w);
  free(h);
  free(t);
}

/* --auth-cmd or --oauth2-token-url refreshed the token during phase 2
 * (its first value may not even have been a JWT): the forged variants are
 * made from the token the server accepts now. The cracked secret is kept
 * only if it still verifies the new token. */
static void jt_refreshed(struct scan *s, struct jt_state *jw)
{
  const struct cred *c = &s->opts->cred;
  if(c->kind != CRED_BEARER || !c->value || (jw->from && !strcmp(jw->from, c->value)) ||
     !jwt_looks_like(c->value))
    return;
  struct wd_jwt t;
  char err[200];
  if(jwt_decode(&t, c->value, err, sizeof(err))) {
    report_note(&s->rep, "--bearer (refreshed): %s", err);
    return;
  }
  if(jw->have)
    jwt_free(&jw->tok);
  jw->tok = t;
  jw->have = 1;
  free(jw->from);
  jw->from = xstrdup(c->value);
  if(jw->cracked && jwt_hs_verify(&jw->tok, jw->secret, strlen(jw->secret)) != 1) {
    jw->cracked = 0;
    memset(jw->secret, 0, sizeof(jw->secret));
  }
  scan_debug(s, "jwt: the token was refreshed during the scan; forged variants use the new one");
}

static void jt_plan_late(struct scan *s, void *st)
{
  struct jt_state *jw = st;
  jt_join(jw);
  jt_crack_report(s, jw);
  const struct cred *c = &s->opts->cred;
  size_t it = 0;
  int n = 0;
  struct probe *w;
  jt_refreshed(s, jw);
  struct evp_pkey_st *jku = c->kind == CRED_BEARER && jw->have && scan_active(s) &&
                                strcasecmp(jw->tok.alg, "none") ? jwt_rsa_new() : NULL;
  while((w = scan_next_witness(s, &it))) {
    if(c->kind == CRED_BEARER && n < JW_MAX_WITNESS) {
      n++;
      if(jku)
        jt_keyurl_on(s, jw, jku, w);
      if(jw->have && strcasecmp(jw->tok.alg, "none")) {
        for(int k = JWT_FORGE_NONE; k <= JWT_FORGE_TAMPERED; k++)
          jt_forge_on(s, jw, w, (enum jwt_forge)k);
        if(jw->cracked)
          for(int k = JWT_FORGE_AUD; k <= JWT_FORGE_RESIGN; k++)
            jt_forge_on(s, jw, w, (enum jwt_forge)k);
        jt_confusion_on(s, jw, w);
      }
      const char *name;
      for(int i = 0; (name = jt_qname(i)); i++) {
        char *u = xasprintf("%s%c%s=%s", w->base, strchr(w->base, '?') ? '&' : '?', name,
                            c->value);
        scan_queue_as(s, "GET", u, PROBE_FOLLOWUP, &check_jwt, TAG_QUERY + i, ID_CUSTOM,
                      NULL, w);
        free(u);
      }
    }
    if(s->opts->as2.kind != CRED_NONE && jt_is_admin(w->path))
      scan_queue_as(s, "GET", w->base, PROBE_FOLLOWUP, &check_jwt, TAG_BFLA, ID_AS2, NULL, w);
  }
  jwt_rsa_free(jku);
}

/* A forged variant got in: a hit that is not a refusal judged against the
 * real token's answer on the witness (scan_accepted). */
static int jt_accepted(const struct scan *s, const struct probe *p)
{
  return p->parent && scan_accepted(s, p->parent, p);
}

/* The rule that a forged or moved token judges, once its answer is in;
 * aud/iss/exp only where the re-signed control token worked (else the
 * refusal means nothing, and the rule did not run). */
static void jt_ran(struct scan *s, int tag, const struct probe *w,
                   const struct probe *const *ctl, int nctl)
{
  int rule = -1, ok = 0;
  switch(tag) {
  case JWT_FORGE_NONE:
  case JWT_FORGE_NONE_CAP: rule = R_NONE_ACCEPTED; break;
  case JWT_FORGE_STRIPPED:
  case JWT_FORGE_TAMPERED:
  case JWT_FORGE_HS_RANDOM: rule = R_SIG; break;
  case JWT_FORGE_AUD:
  case JWT_FORGE_ISS:
  case JWT_FORGE_EXPIRED:
    for(int c = 0; c < nctl; c++)
      ok |= ctl[c] == w;
    if(ok)
      rule = tag == JWT_FORGE_AUD ? R_AUD : tag == JWT_FORGE_ISS ? R_ISS : R_EXP;
    break;
  case TAG_BFLA: rule = R_BFLA; break;
  case JWT_FORGE_KEYCONF_PEM:
  case JWT_FORGE_KEYCONF_DER: rule = R_KEYCONF; break;
  case JWT_FORGE_KID_NULL: rule = R_KID; break;
  case JWT_FORGE_JKU: rule = R_JKU; break;
  case JWT_FORGE_X5U: rule = R_X5U; break;
  default:
    if(tag >= TAG_QUERY && jt_qname(tag - TAG_QUERY))
      rule = R_QUERY;
    break;
  }
  if(rule >= 0)
    scan_ran(s, &jt_rules[rule]);
}

/* jku/x5u tokens that were refused, but whose URL the server fetched. */
static void jt_keyurl_fetched(struct scan *s, const struct jt_state *jw, struct probe *p)
{
  const char *tok = jt_keyurl_tok(jw, p);
  if(!tok || !http_answered(&p->x))
    return;
  scan_ran(s, &jt_rules[R_KEYURL_FETCH]);
  char ua[160] = "", peer[64] = "";
  if(jt_accepted(s, p) || !scan_canary_hit(s, tok, ua, sizeof(ua), peer, sizeof(peer)))
    return;
  const char *hdr = p->tag == JWT_FORGE_X5U ? "x5u" : "jku";
  char ev[400], dd[32];
  snprintf(ev, sizeof(ev), "a token whose %s names warden's listener -> %ld (refused); before "
           "answering, the server asked the listener for that URL from %s (User-Agent: %s)",
           hdr, p->x.status, peer, ua[0] ? ua : "none");
  snprintf(dd, sizeof(dd), "key-url-%s", hdr);
  scan_flag(s, p, &jt_rules[R_KEYURL_FETCH], -1, NULL, ev, 0, 0, dd);
}

static void jt_finish(struct scan *s, void *st)
{
  struct jt_state *jw = st;
  /* Witnesses where the unchanged re-signed token works: the secret is
   * right, so a refusal of the modified ones is meaningful, and so is an
   * acceptance. */
  const struct probe *ctl[JW_MAX_WITNESS];
  int nctl = 0;
  for(size_t i = 0; i < s->nprobes; i++) {
    const struct probe *p = s->probes[i];
    if(p->origin == &check_jwt && p->tag == JWT_FORGE_RESIGN && p->parent &&
       !(p->flags & PROBE_REDIRECT) && jt_accepted(s, p) && nctl < JW_MAX_WITNESS)
      ctl[nctl++] = p->parent;
  }
  /* Witnesses that take a token with a wrong signature: a key-confusion
   * or kid token accepted there proves nothing more. */
  const struct probe *nosig[JW_MAX_WITNESS];
  int nnosig = 0;
  for(size_t i = 0; i < s->nprobes; i++) {
    const struct probe *p = s->probes[i];
    if(p->origin == &check_jwt && p->parent && !(p->flags & PROBE_REDIRECT) &&
       (p->tag == JWT_FORGE_STRIPPED || p->tag == JWT_FORGE_TAMPERED ||
        p->tag == JWT_FORGE_HS_RANDOM) && jt_accepted(s, p) && nnosig < JW_MAX_WITNESS) {
      int dup = 0;
      for(int k = 0; k < nnosig; k++)
        dup |= nosig[k] == p->parent;
      if(!dup)
        nosig[nnosig++] = p->parent;
    }
  }
  for(size_t i = 0; i < s->nprobes; i++) {
    struct probe *p = s->probes[i];
    struct probe *w = p->parent;
    if(p->origin != &check_jwt || !w || (p->flags & PROBE_REDIRECT))
      continue;
    if(http_answered(&p->x))
      jt_ran(s, p->tag, w, ctl, nctl);
    if(p->tag == JWT_FORGE_JKU || p->tag == JWT_FORGE_X5U)
      jt_keyurl_fetched(s, jw, p);
    if(!jt_accepted(s, p))
      continue;
    long none = w->var[ID_NONE] ? w->var[ID_NONE]->x.status : 0;
    char ev[300];
    const struct wd_rule *r = NULL;
    const char *dd = NULL;
    switch(p->tag) {
    case JWT_FORGE_NONE:
    case JWT_FORGE_NONE_CAP:
      r = &jt_rules[R_NONE_ACCEPTED];
      dd = "none";
      break;
    case JWT_FORGE_STRIPPED:
    case JWT_FORGE_TAMPERED:
    case JWT_FORGE_HS_RANDOM:
      r = &jt_rules[R_SIG];
      dd = "sig";
      break;
    case JWT_FORGE_AUD:
    case JWT_FORGE_ISS:
    case JWT_FORGE_EXPIRED: {
      int ok = 0;
      for(int c = 0; c < nctl; c++)
        ok |= ctl[c] == w;
      if(!ok)
        continue;
      r = &jt_rules[p->tag == JWT_FORGE_AUD ? R_AUD : p->tag == JWT_FORGE_ISS ? R_ISS : R_EXP];
      dd = r->id;
      break;
    }
    case JWT_FORGE_JKU:
    case JWT_FORGE_X5U:
    case JWT_FORGE_KEYCONF_PEM:
    case JWT_FORGE_KEYCONF_DER:
    case JWT_FORGE_KID_NULL: {
      int skip = 0;
      for(int k = 0; k < nnosig; k++)
        skip |= nosig[k] == w;
      if(skip)
        continue;
      if(p->tag == JWT_FORGE_KID_NULL) {
        r = &jt_rules[R_KID];
        dd = "kid";
        break;
      }
      if(p->tag == JWT_FORGE_JKU || p->tag == JWT_FORGE_X5U) {
        r = &jt_rules[p->tag == JWT_FORGE_JKU ? R_JKU : R_X5U];
        dd = p->tag == JWT_FORGE_JKU ? "jku" : "x5u";
        break;
      }
      r = &jt_rules[R_KEYCONF];
      dd = "keyconf";
      break;
    }
    case TAG_BFLA:
      snprintf(ev, sizeof(ev), "admin route: no credential -> %ld, main identity -> %ld, --as2 identity -> %ld",
               none, w->x.status, p->x.status);
      scan_flag(s, p, &jt_rules[R_BFLA], -1, NULL, ev, 0, 0, NULL);
      continue;
    default:
      if(p->tag >= TAG_QUERY && jt_qname(p->tag - TAG_QUERY)) {
        snprintf(ev, sizeof(ev), "no credential -> %ld; no header, token as ?%s=... -> %ld", none,
                 jt_qname(p->tag - TAG_QUERY), p->x.status);
        scan_flag(s, p, &jt_rules[R_QUERY], -1, NULL, ev, 0, 0, "query");
      }
      continue;
    }
    snprintf(ev, sizeof(ev), "no credential -> %ld; token forged (%s) -> %ld, as the real token (%ld)",
             none, jwt_forge_name((enum jwt_forge)p->tag), p->x.status, w->x.status);
    if(jt_keyurl_tok(jw, p) && scan_canary_hit(s, jt_keyurl_tok(jw, p), NULL, 0, NULL, 0))
      snprintf(ev + strlen(ev), sizeof(ev) - strlen(ev), "; the server fetched the %s URL",
               p->tag == JWT_FORGE_X5U ? "x5u" : "jku");
    scan_flag(s, p, r, -1, NULL, ev, 0, 0, dd);
  }
  jt_reset(st);
}

const struct wd_check check_jwt = {
  .name = "jwt",
  .summary = "Bearer/JWT: token contents, weak HMAC secret, forged tokens (alg none, stripped signature, aud/iss/exp, RS256->HS256 key confusion, kid path, jku/x5u with --active), token in the query, admin scope not enforced",
  .rules = jt_rules,
  .nrules = ARRAY_LEN(jt_rules),
  .state_size = sizeof(struct jt_state),
  .cleanup = jt_reset,
  .plan = jt_plan,
  .judge = jt_judge,
  .plan_late = jt_plan_late,
  .finish = jt_finish,
};
