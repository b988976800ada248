/*
 * chk_data.c - sensitive data exposure: one matcher pass over every
 * answered body and header block for payment data (Luhn-valid card
 * numbers with an issuer prefix, checksum-valid IBANs), private keys,
 * cloud and SaaS credentials by their documented formats (core_mask's
 * detectors: mask_find), database URLs with a password, JWTs issued to
 * someone else, national identity numbers whose check digits hold
 * (core_pii: CPF, BSN, HETU, DNI/NIE, Aadhaar, codice fiscale,
 * personnummer), and e-mails or phone numbers in bulk (a list of many
 * people's contact data).
 *
 * Severity goes by what leaked and by whether the route needed
 * credentials: the same leak on an answer to a request that carried none
 * is one step worse. Hits are collected while probes are judged (bodies
 * live only that long: what is kept is the route, the URL and a masked
 * evidence line) and raised in finish, one finding per rule, kind and
 * route. Card numbers, IBANs and national ids found are registered as
 * secrets, so no output ever shows them; the other kinds are masked by
 * format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "../core/core_alloc.h"
#include "../core/core_pii.h"
#include "../core/core_str.h"
#include "../scan/scan.h"
#include "../scan/scan_jwt.h"
#include "check.h"

enum { R_CARD, R_IBAN, R_KEY, R_CLOUD, R_DBURL, R_PII, R_JWT, R_NATID, R_MAIL };

static const struct wd_rule dt_rules[] = {
  [R_CARD] = {
    .id = "data.card-number", .severity = WD_SEV_HIGH, .category = WD_CAT_DATA,
    .owasp = "API3:2023", .cwe = 359,
    .title = "Full payment card number in a response",
    .summary = "A response holds a card number that passes the Luhn check and has a card network's issuer prefix and length",
    .remediation = "Never return a full card number (PAN): show the last four digits at most, and keep PANs in the payment provider's vault (tokens) rather than in the API's data.",
  },
  [R_IBAN] = {
    .id = "data.iban", .severity = WD_SEV_MEDIUM, .category = WD_CAT_DATA,
    .owasp = "API3:2023", .cwe = 359,
    .title = "Bank account number (IBAN) in a response",
    .summary = "A response holds an IBAN whose country length and mod-97 check digits are valid",
    .remediation = "Return bank account numbers masked (country code and last four characters) unless the caller is the account holder on a route made for it.",
  },
  [R_KEY] = {
    .id = "data.private-key", .severity = WD_SEV_CRITICAL, .category = WD_CAT_DATA,
    .owasp = "API3:2023", .cwe = 321,
    .title = "Private key in a response",
    .summary = "A response holds a PEM private key block",
    .remediation = "Remove the key from the response and from whatever data the route serializes, and replace the key pair: it must be treated as compromised.",
  },
  [R_CLOUD] = {
    .id = "data.cloud-credential", .severity = WD_SEV_HIGH, .category = WD_CAT_DATA,
    .owasp = "API3:2023", .cwe = 200,
    .title = "Cloud or SaaS credential in a response",
    .summary = "A response holds a credential recognised by its documented format (AWS, Google, GitHub, GitLab, Slack, Stripe, SendGrid, Twilio, npm)",
    .remediation = "Remove the credential from the response (serialize an explicit allow-list of fields), revoke it at its provider and issue a new one kept only server-side.",
  },
  [R_DBURL] = {
    .id = "data.db-url-password", .severity = WD_SEV_HIGH, .category = WD_CAT_DATA,
    .owasp = "API8:2023", .cwe = 260,
    .title = "Database URL with its password in a response",
    .summary = "A response holds a database connection URL (postgres://, mysql://, mongodb://, redis://, amqp://, ...) with a password in it",
    .remediation = "Never echo connection strings; report the dependency's state (\"up\"/\"down\") instead, and change the database password.",
  },
  [R_PII] = {
    .id = "data.pii-bulk", .severity = WD_SEV_MEDIUM, .category = WD_CAT_DATA,
    .owasp = "API3:2023", .cwe = 359,
    .title = "Many people's contact data in one response",
    .summary = "One JSON response lists the e-mail addresses or phone numbers of three or more people",
    .remediation = "Return contact data only to whom it belongs (or to roles that need it), and list users with the fields a list needs (id, display name).",
  },
  [R_JWT] = {
    .id = "data.jwt-other-subject", .severity = WD_SEV_HIGH, .category = WD_CAT_DATA,
    .owasp = "API2:2023", .cwe = 522,
    .title = "Token issued to someone else in a response",
    .summary = "A response holds a JWT whose subject is not the caller: another user's session or API token",
    .remediation = "Never return other users' tokens; list sessions by id and metadata only, and revoke the tokens that were exposed.",
  },
  [R_NATID] = {
    .id = "data.national-id", .severity = WD_SEV_MEDIUM, .category = WD_CAT_DATA,
    .owasp = "API3:2023", .cwe = 359,
    .title = "National identity number in a response",
    .summary = "A response holds a national identity number whose check digits hold (Brazilian CPF, Dutch BSN, Finnish HETU, Spanish DNI/NIE, Indian Aadhaar, Italian codice fiscale, Swedish personnummer)",
    .remediation = "Return national identity numbers only to their holder on a route made for it, masked elsewhere (the last characters at most); keep them out of lists and of objects other users can read.",
  },
  [R_MAIL] = {
    .id = "data.other-user-email", .severity = WD_SEV_MEDIUM, .category = WD_CAT_DATA,
    .owasp = "API3:2023", .cwe = 359,
    .title = "Other users' e-mail addresses in a response",
    .summary = "An answer to an identity holds e-mail addresses that are not its own (its own learned from its profile route or its token's claims); role addresses (support@, noreply@, ...) are left out",
    .remediation = "Serialize other users as the fields the caller needs (id, display name); return an e-mail address only to its owner or to roles that need it.",
  },
};

/* A leak to report in finish: one per rule, kind and route. */
struct dt_hit {
  int rule;
  char *kind;     /* "Visa", "aws-access-key-id", "e-mail" ... */
  char *route;    /* spec path or request path, no query */
  char *method, *url;
  char *evidence; /* masked */
  int public;     /* seen on an answer to a request without credentials */
  unsigned count;
};

#define DT_MAX_HITS 512
#define DT_MAX_FOUND 256
#define DT_MAX_MAILS 64   /* routes whose e-mails are kept for finish */
#define DT_MAIL_PER 32    /* distinct e-mails kept per route */
#define DT_MAX_OWN 4

/* The e-mail addresses in one identity's answers on one route, by hash
 * (lower case): judged in finish against the identity's own. */
struct dt_mail {
  int who;                 /* 0: the user's identity, 1: --as2 */
  char *route, *method, *url;
  char keys[96];           /* the JSON keys they were under */
  unsigned long long h[DT_MAIL_PER];
  size_t nh;
};

struct dt_state {
  struct dt_hit *v;
  size_t n, cap;
  size_t seen;              /* leaks met (dt_record calls) */
  char *sub_main, *sub_as2; /* subjects of the --bearer/--as2 JWTs */
  struct dt_mail *mails;
  size_t nmails, capmails;
  /* Each identity's own e-mail addresses (hashes), and where the first
   * was learned ("its token's email claim", "GET /api/v1/me"). */
  unsigned long long own[2][DT_MAX_OWN];
  size_t nown[2];
  char own_from[2][128];
};

static char *jwt_subject(const char *tok, size_t n)
{
  if(n == 0 || n > JWT_MAX_LEN)
    return NULL;
  char *t = xstrndup(tok, n);
  struct wd_jwt j;
  char err[128];
  char *sub = NULL;
  if(jwt_decode(&j, t, err, sizeof(err)) == 0) {
    if(j.sub && j.sub[0])
      sub = xstrdup(j.sub);
    jwt_free(&j);
  }
  free(t);
  return sub;
}

/* An e-mail address's hash, lower case. */
static unsigned long long dt_mail_hash(const char *v, size_t n)
{
  char low[256];
  if(n >= sizeof(low))
    n = sizeof(low) - 1;
  for(size_t i = 0; i < n; i++)
    low[i] = (char)((v[i] >= 'A' && v[i] <= 'Z') ? v[i] + 32 : v[i]);
  return str_hash(low, n);
}

#define DT_FROM_TOKEN "its token's claims"

static void dt_own_add(struct dt_state *d, int who, const char *v, size_t n, const char *from)
{
  unsigned long long h = dt_mail_hash(v, n);
  /* Where it was learned, said in the evidence: the token when it named
   * one (read before any answer), else the smallest of the profile
   * routes, whichever of them answered first. */
  if(!d->nown[who] || (strcmp(d->own_from[who], DT_FROM_TOKEN) &&
                       strcmp(from, d->own_from[who]) < 0))
    snprintf(d->own_from[who], sizeof(d->own_from[who]), "%s", from);
  for(size_t i = 0; i < d->nown[who]; i++)
    if(d->own[who][i] == h)
      return;
  if(d->nown[who] >= DT_MAX_OWN)
    return;
  d->own[who][d->nown[who]++] = h;
}

/* The e-mail claims of a JWT (email; sub, preferred_username, upn when
 * they are addresses): the identity's own. */
static void dt_own_from_token(struct dt_state *d, int who, const char *tok)
{
  if(!tok || !jwt_looks_like(tok) || strlen(tok) > JWT_MAX_LEN)
    return;
  struct wd_jwt j;
  char err[128];
  if(jwt_decode(&j, tok, err, sizeof(err)) != 0)
    return;
  json_t *pl = j.payload_json ? json_loads(j.payload_json, 0, NULL) : NULL;
  static const char *const claims[] = {"email", "sub", "preferred_username", "upn", NULL};
  for(size_t i = 0; claims[i]; i++) {
    const char *v = json_string_value(json_object_get(pl, claims[i]));
    if(v && strchr(v, '@'))
      dt_own_add(d, who, v, strlen(v), DT_FROM_TOKEN);
  }
  json_decref(pl);
  jwt_free(&j);
}

static void dt_init(struct scan *s, void *st)
{
  struct dt_state *d = st;
  const struct cred *c = &s->opts->cred, *c2 = &s->opts->as2;
  if(c->kind == CRED_BEARER && c->value && jwt_looks_like(c->value))
    d->sub_main = jwt_subject(c->value, strlen(c->value));
  if(c2->kind == CRED_BEARER && c2->value && jwt_looks_like(c2->value))
    d->sub_as2 = jwt_subject(c2->value, strlen(c2->value));
  if(c->kind == CRED_BEARER)
    dt_own_from_token(d, 0, c->value);
  if(c2->kind == CRED_BEARER)
    dt_own_from_token(d, 1, c2->value);
}

static void dt_hit_free(struct dt_hit *h)
{
  free(h->kind);
  free(h->route);
  free(h->method);
  free(h->url);
  free(h->evidence);
}

static void dt_cleanup(void *st)
{
  struct dt_state *d = st;
  for(size_t i = 0; i < d->n; i++)
    dt_hit_free(&d->v[i]);
  free(d->v);
  free(d->sub_main);
  free(d->sub_as2);
  for(size_t i = 0; i < d->nmails; i++) {
    free(d->mails[i].route);
    free(d->mails[i].method);
    free(d->mails[i].url);
  }
  free(d->mails);
}

/* 1 when p was sent without a working credential of the user's. */
static int dt_public(const struct scan *s, const struct probe *p)
{
  switch(p->ident) {
  case ID_MAIN:
    return !scan_has_cred(s);
  case ID_AS2:
  case ID_QUERYKEY:
    return 0;
  default:
    return 1;
  }
}

/* The route a leak belongs to: the spec's path, or the request's. */
static char *dt_route(const struct probe *p)
{
  if(p->op)
    return xstrdup(p->op->path);
  const char *q = strchr(p->path, '?');
  return q ? xstrndup(p->path, (size_t)(q - p->path)) : xstrdup(p->path);
}

/* Leaks by rule, kind and route: the key they are reported under. */
static int dt_hit_cmp3(const struct dt_hit *a, const struct dt_hit *b)
{
  int c = (a->rule > b->rule) - (a->rule < b->rule);
  if(!c)
    c = strcmp(a->kind, b->kind);
  return c ? c : strcmp(a->route, b->route);
}

static int dt_hit_cmp(const void *a, const void *b)
{
  return dt_hit_cmp3(a, b);
}

static void dt_record(struct scan *s, struct dt_state *d, const struct probe *p, int rule,
                      const char *kind, const char *evidence)
{
  char *route = dt_route(p);
  d->seen++;
  int pub = dt_public(s, p);
  for(size_t i = 0; i < d->n; i++) {
    struct dt_hit *h = &d->v[i];
    if(h->rule == rule && !strcmp(h->kind, kind) && !strcmp(h->route, route)) {
      h->count++;
      /* The answer shown: one without credentials if any, then the
       * smallest URL, method and evidence, whichever answered first. */
      char *ev = scan_mask(s, evidence);
      int c = h->public - pub;
      if(!c)
        c = strcmp(p->x.url, h->url);
      if(!c)
        c = strcmp(p->x.method, h->method);
      if(!c)
        c = strcmp(ev, h->evidence);
      if(c < 0) {
        h->public = pub;
        free(h->url);
        free(h->method);
        free(h->evidence);
        h->url = xstrdup(p->x.url);
        h->method = xstrdup(p->x.method);
        h->evidence = ev;
      } else {
        free(ev);
      }
      free(route);
      return;
    }
  }
  /* Over DT_MAX_HITS, the smallest by rule, kind and route are kept
   * (the largest gives way), the same whatever order the answers came
   * in: a kept one was never given way, so its count is whole too. */
  struct dt_hit *slot;
  if(d->n >= DT_MAX_HITS) {
    size_t worst = 0;
    for(size_t i = 1; i < d->n; i++)
      if(dt_hit_cmp3(&d->v[i], &d->v[worst]) > 0)
        worst = i;
    struct dt_hit key = {.rule = rule, .kind = (char *)kind, .route = route};
    if(dt_hit_cmp3(&key, &d->v[worst]) > 0) {
      free(route);
      return;
    }
    slot = &d->v[worst];
    dt_hit_free(slot);
  } else {
    d->v = xgrow(d->v, &d->cap, d->n + 1, sizeof(*d->v));
    slot = &d->v[d->n++];
  }
  *slot = (struct dt_hit){rule, xstrdup(kind), route, xstrdup(p->x.method), xstrdup(p->x.url),
                          scan_mask(s, evidence), pub, 1};
}

/* The JSON key right before a value at off ("key": "value"), into out. */
static void dt_key_before(const char *b, size_t off, char *out, size_t outlen)
{
  out[0] = '\0';
  size_t i = off;
  if(i > 0 && b[i - 1] == '"')
    i--;
  while(i > 0 && (b[i - 1] == ' ' || b[i - 1] == '\t'))
    i--;
  if(i == 0 || b[i - 1] != ':')
    return;
  i--;
  while(i > 0 && (b[i - 1] == ' ' || b[i - 1] == '\t'))
    i--;
  if(i == 0 || b[i - 1] != '"')
    return;
  size_t end = --i;
  while(i > 0 && b[i - 1] != '"' && end - i < 64)
    i--;
  if(i == 0 || b[i - 1] != '"')
    return;
  snprintf(out, outlen, "%.*s", (int)(end - i), b + i);
  for(char *c = out; *c; c++)
    if((unsigned char)*c < 0x20)
      *c = ' ';
}

/* The user's own credentials are auth.credential-echoed's business. */
static int dt_is_given(const struct scan *s, const char *v, size_t n)
{
  const char *g[2] = {s->opts->cred.value, s->opts->as2.value};
  for(int i = 0; i < 2; i++)
    if(g[i] && strlen(g[i]) == n && memcmp(g[i], v, n) == 0)
      return 1;
  return 0;
}

static int dt_alnum(unsigned char c)
{
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int dt_db_scheme(const char *b, size_t from, char *scheme, size_t slen)
{
  /* from is the password; back over "user:" to "://", then the scheme. */
  size_t i = from;
  while(i > 0 && from - i < 256 && !(i >= 3 && !memcmp(b + i - 3, "://", 3)))
    i--;
  if(i < 3 || memcmp(b + i - 3, "://", 3))
    return 0;
  size_t e = i - 3, a = e;
  while(a > 0 && e - a < 24 && (dt_alnum((unsigned char)b[a - 1]) || b[a - 1] == '+'))
    a--;
  snprintf(scheme, slen, "%.*s", (int)(e - a), b + a);
  static const char *const db[] = {"postgres", "postgresql", "mysql", "mariadb", "mongodb",
                                   "mongodb+srv", "redis", "rediss", "amqp", "amqps",
                                   "mssql", "sqlserver", "oracle", "cockroachdb", "clickhouse",
                                   "couchdb", "neo4j", "cassandra", NULL};
  for(size_t k = 0; db[k]; k++)
    if(!strcmp(scheme, db[k]))
      return 1;
  return 0;
}

static const char *dt_cloud_kind(const char *kind)
{
  static const char *const cloud[] = {
    "aws-access-key-id", "github-token", "gitlab-token", "slack-token", "slack-webhook",
    "stripe-secret-key", "stripe-test-key", "npm-token", "google-api-key", "sendgrid-api-key",
    "twilio-api-key", NULL};
  for(size_t i = 0; cloud[i]; i++)
    if(!strcmp(kind, cloud[i]))
      return cloud[i];
  return NULL;
}

/* Secrets by format in text (a body or the header block). */
static void dt_formats(struct scan *s, struct dt_state *d, const struct probe *p,
                       const char *b, size_t n, int header)
{
  struct mask_found f[64];
  size_t nf = mask_find(b, n, f, 64);
  if(nf > 64)
    nf = 64;
  int has_key_id = 0;
  for(size_t i = 0; i < nf; i++)
    has_key_id |= !strcmp(f[i].kind, "aws-access-key-id");
  const char *where = header ? "a response header" : "the body";
  for(size_t i = 0; i < nf; i++) {
    const char *v = b + f[i].from;
    size_t vl = f[i].to - f[i].from;
    if(dt_is_given(s, v, vl))
      continue;
    char key[72], ev[400];
    dt_key_before(b, f[i].from, key, sizeof(key));
    char *shown = mask_value(v, vl);
    const char *kind = f[i].kind;
    if(!strcmp(kind, "private-key")) {
      snprintf(ev, sizeof(ev), "%s%s%sa PEM private key block in %s: -----BEGIN ... PRIVATE "
               "KEY-----%s-----END ... PRIVATE KEY-----", key[0] ? "\"" : "", key,
               key[0] ? "\": " : "", where, MASK_STARS);
      dt_record(s, d, p, R_KEY, kind, ev);
    } else if(dt_cloud_kind(kind) ||
              (!strcmp(kind, "aws-secret-access-key") && has_key_id)) {
      snprintf(ev, sizeof(ev), "%s in %s: %s%s%s%s", kind, where, key[0] ? "\"" : "", key,
               key[0] ? "\": " : "", shown);
      dt_record(s, d, p, R_CLOUD, kind, ev);
    } else if(!strcmp(kind, "url-password")) {
      char scheme[32];
      if(dt_db_scheme(b, f[i].from, scheme, sizeof(scheme))) {
        snprintf(ev, sizeof(ev), "a %s:// URL with its password in %s%s%s%s: %s://...:%s@...",
                 scheme, where, key[0] ? " (\"" : "", key, key[0] ? "\")" : "", scheme,
                 MASK_STARS);
        dt_record(s, d, p, R_DBURL, scheme, ev);
      }
    } else if(!strcmp(kind, "jwt")) {
      char *sub = jwt_subject(v, vl);
      const char *me = p->ident == ID_AS2 ? d->sub_as2
                     : p->ident == ID_MAIN || p->ident == ID_QUERYKEY ? d->sub_main : NULL;
      if(sub && me && strcmp(sub, me)) {
        snprintf(ev, sizeof(ev), "a JWT in %s%s%s%s whose subject is not the caller's: %s",
                 where, key[0] ? " (\"" : "", key, key[0] ? "\")" : "", shown);
        dt_record(s, d, p, R_JWT, "jwt", ev);
      }
      free(sub);
    }
    free(shown);
  }
}

static int dt_is_json(const struct probe *p)
{
  char ct[128];
  return http_header(&p->x, "Content-Type", 0, ct, sizeof(ct)) && strstr(ct, "json");
}

/* Distinct values of one kind, by their bytes. */
static size_t dt_distinct(const char *b, const struct pii_hit *h, size_t nh, enum pii_kind k)
{
  size_t count = 0;
  for(size_t i = 0; i < nh; i++) {
    if(h[i].kind != k)
      continue;
    int seen = 0;
    for(size_t j = 0; j < i && !seen; j++)
      seen = h[j].kind == k && h[j].to - h[j].from == h[i].to - h[i].from &&
             !memcmp(b + h[j].from, b + h[i].from, h[i].to - h[i].from);
    count += !seen;
  }
  return count;
}

/* Role addresses (a service's, not a person's). */
static int dt_role_mail(const char *v, size_t n)
{
  static const char *const roles[] = {"support", "info", "admin", "noreply", "no-reply",
                                      "donotreply", "do-not-reply", "contact", "help", "sales",
                                      "security", "privacy", "abuse", "postmaster", "webmaster",
                                      "hostmaster", "hello", "team", "billing", NULL};
  const char *at = memchr(v, '@', n);
  size_t l = at ? (size_t)(at - v) : 0;
  for(size_t i = 0; roles[i]; i++)
    if(strlen(roles[i]) == l && !strncasecmp(v, roles[i], l))
      return 1;
  return 0;
}

/* Adds "key" to keys ('"a", "b"': sorted, each once, while it fits), so
 * the list does not depend on the order the answers came in. A key never
 * holds a '"' (dt_key_before stops at one). */
static void dt_key_add(char *keys, size_t cap, const char *key)
{
  if(!key[0] || strlen(keys) + strlen(key) + 4 >= cap)
    return;
  const char *v[16];
  size_t l[16], n = 0;
  for(const char *c = keys; *c && n < 16;) {
    const char *a = strchr(c, '"'), *e = a ? strchr(a + 1, '"') : NULL;
    if(!e)
      break;
    v[n] = a + 1;
    l[n++] = (size_t)(e - a - 1);
    c = e + 1;
  }
  size_t kl = strlen(key), pos = 0;
  for(; pos < n; pos++) {
    size_t m = kl < l[pos] ? kl : l[pos];
    int c = strncmp(key, v[pos], m);
    if(!c && kl == l[pos])
      return;
    if(c < 0 || (!c && kl < l[pos]))
      break;
  }
  if(n >= 16)
    return;
  char out[256];
  size_t o = 0;
  for(size_t i = 0; i <= n; i++) {
    const char *x = i < pos ? v[i] : i == pos ? key : v[i - 1];
    size_t xl = i < pos ? l[i] : i == pos ? kl : l[i - 1];
    o += (size_t)snprintf(out + o, sizeof(out) - o, "%s\"%.*s\"", i ? ", " : "", (int)xl, x);
  }
  if(o < cap && o < sizeof(out))
    memcpy(keys, out, o + 1);
}

/* A kept route's e-mails against (who, route): <0, 0, >0. */
static int dt_mail_cmp(const struct dt_mail *m, int who, const char *route)
{
  int c = (m->who > who) - (m->who < who);
  return c ? c : strcmp(m->route, route);
}

static int dt_mail_sort(const void *a, const void *b)
{
  const struct dt_mail *y = b;
  return dt_mail_cmp(a, y->who, y->route);
}

/* The e-mails of an answer to the user's identity or --as2's, kept by
 * route for finish, where the identity's own are known. */
static void dt_mails(const struct scan *s, struct dt_state *d, const struct probe *p,
                     const char *b, const struct pii_hit *h, size_t nh)
{
  int who = p->ident == ID_MAIN ? 0 : p->ident == ID_AS2 ? 1 : -1;
  if(who < 0 || (who == 0 && !scan_has_cred(s)) || !dt_is_json(p) ||
     p->x.status < 200 || p->x.status > 299)
    return;
  struct dt_mail *m = NULL;
  char *route = dt_route(p);
  for(size_t i = 0; i < nh; i++) {
    if(h[i].kind != PII_EMAIL || dt_role_mail(b + h[i].from, h[i].to - h[i].from))
      continue;
    if(!m) {
      for(size_t k = 0; k < d->nmails && !m; k++)
        if(d->mails[k].who == who && !strcmp(d->mails[k].route, route))
          m = &d->mails[k];
      if(!m) {
        /* Over DT_MAX_MAILS, the smallest by identity and route are
         * kept (the largest gives way): the same set in any order. */
        if(d->nmails >= DT_MAX_MAILS) {
          size_t worst = 0;
          for(size_t k = 1; k < d->nmails; k++)
            if(dt_mail_cmp(&d->mails[k], d->mails[worst].who, d->mails[worst].route) > 0)
              worst = k;
          if(dt_mail_cmp(&d->mails[worst], who, route) < 0)
            break;
          m = &d->mails[worst];
          free(m->route);
          free(m->method);
          free(m->url);
        } else {
          d->mails = xgrow(d->mails, &d->capmails, d->nmails + 1, sizeof(*d->mails));
          m = &d->mails[d->nmails++];
        }
        memset(m, 0, sizeof(*m));
        m->who = who;
        m->route = xstrdup(route);
        m->method = xstrdup(p->x.method);
        m->url = xstrdup(p->x.url);
      } else {
        /* The place shown: the smallest URL (then method) of the route's
         * answers, not the first to arrive. */
        int c = strcmp(p->x.url, m->url);
        if(!c)
          c = strcmp(p->x.method, m->method);
        if(c < 0) {
          free(m->url);
          free(m->method);
          m->url = xstrdup(p->x.url);
          m->method = xstrdup(p->x.method);
        }
      }
    }
    unsigned long long x = dt_mail_hash(b + h[i].from, h[i].to - h[i].from);
    /* The DT_MAIL_PER smallest hashes, sorted: the same set whatever
     * order the answers came in. */
    size_t pos = 0;
    while(pos < m->nh && m->h[pos] < x)
      pos++;
    if(pos < m->nh && m->h[pos] == x)
      continue;
    if(pos >= DT_MAIL_PER)
      continue;
    if(m->nh == DT_MAIL_PER)
      m->nh--;
    memmove(&m->h[pos + 1], &m->h[pos], (m->nh - pos) * sizeof(m->h[0]));
    m->h[pos] = x;
    m->nh++;
    char key[72];
    dt_key_before(b, h[i].from, key, sizeof(key));
    dt_key_add(m->keys, sizeof(m->keys), key);
  }
  free(route);
}

/* A profile route: the caller's own record (/me, /profile, /account,
 * /whoami, /userinfo, /user, /users/me, ...). */
static int dt_profile_path(const char *path)
{
  static const char *const last[] = {"me", "self", "whoami", "profile", "account", "user",
                                     "userinfo", "current_user", "currentuser", "current", NULL};
  size_t n = strcspn(path, "?#");
  while(n > 1 && path[n - 1] == '/')
    n--;
  size_t a = n;
  while(a > 0 && path[a - 1] != '/')
    a--;
  for(size_t i = 0; last[i]; i++)
    if(strlen(last[i]) == n - a && !strncasecmp(path + a, last[i], n - a))
      return 1;
  return 0;
}

/* An identity's own e-mail from its profile: a JSON object answered on a
 * profile route, with an email (mail, email_address) property. Any
 * method: with --active, a PATCH of the profile may change the address,
 * and its answer (or the read-back) says what it is now. */
static void dt_own_from_profile(struct scan *s, struct dt_state *d, struct probe *p)
{
  int who = p->ident == ID_MAIN ? 0 : p->ident == ID_AS2 ? 1 : -1;
  if(who < 0 || (who == 0 && !scan_has_cred(s)) || !dt_is_json(p) || !scan_is_hit(s, p) ||
     !dt_profile_path(p->path))
    return;
  const json_t *o = scan_body_json(s, p);
  static const char *const keys[] = {"email", "mail", "email_address", "emailAddress", NULL};
  for(size_t i = 0; json_is_object(o) && keys[i]; i++) {
    const char *v = json_string_value(json_object_get(o, keys[i]));
    if(v && strchr(v, '@')) {
      char from[128];
      const char *q = strchr(p->path, '?');
      snprintf(from, sizeof(from), "%s %.*s", p->x.method,
               q ? (int)(q - p->path) : (int)strlen(p->path), p->path);
      dt_own_add(d, who, v, strlen(v), from);
      return;
    }
  }
}

static void dt_pii(struct scan *s, struct dt_state *d, const struct probe *p, const char *b,
                   size_t n)
{
  /* pii_find fills the first min(count, max) entries, all that is read. */
  struct pii_hit *h = xmalloc(DT_MAX_FOUND * sizeof(*h));
  size_t nh = pii_find(b, n, h, DT_MAX_FOUND);
  if(nh > DT_MAX_FOUND)
    nh = DT_MAX_FOUND;
  char ev[400], key[72];
  for(size_t i = 0; i < nh; i++) {
    if(h[i].kind != PII_CARD && h[i].kind != PII_IBAN && h[i].kind != PII_NATID)
      continue;
    /* The value is a secret from now on: no output shows it. */
    char *v = xstrndup(b + h[i].from, h[i].to - h[i].from);
    scan_add_secret(s, v);
    dt_key_before(b, h[i].from, key, sizeof(key));
    size_t digits = 0;
    for(const char *c = v; *c; c++)
      digits += *c != ' ' && *c != '-';
    if(h[i].kind == PII_CARD) {
      snprintf(ev, sizeof(ev), "%s%s%s%s card number, %zu digits, Luhn-valid: %s", key[0] ? "\"" : "",
               key, key[0] ? "\": " : "", h[i].brand, digits, MASK_STARS);
      dt_record(s, d, p, R_CARD, h[i].brand, ev);
    } else if(h[i].kind == PII_NATID) {
      snprintf(ev, sizeof(ev), "%s%s%s%s, %zu characters, check digits valid: %s",
               key[0] ? "\"" : "", key, key[0] ? "\": " : "", h[i].brand, strlen(v), MASK_STARS);
      dt_record(s, d, p, R_NATID, h[i].brand, ev);
    } else {
      snprintf(ev, sizeof(ev), "%s%s%sIBAN (%.2s), %zu characters, mod-97 valid: %s",
               key[0] ? "\"" : "", key, key[0] ? "\": " : "", v, digits, MASK_STARS);
      dt_record(s, d, p, R_IBAN, "iban", ev);
    }
    free(v);
  }
  dt_mails(s, d, p, b, h, nh);
  /* Contact data in bulk: a JSON answer naming three people or more. */
  if(dt_is_json(p)) {
    size_t ne = dt_distinct(b, h, nh, PII_EMAIL), np = dt_distinct(b, h, nh, PII_PHONE);
    if(ne >= 3 || np >= 3) {
      snprintf(ev, sizeof(ev), "one answer lists %zu distinct e-mail address%s and %zu distinct "
               "phone number%s", ne, ne == 1 ? "" : "es", np, np == 1 ? "" : "s");
      dt_record(s, d, p, R_PII, "contact", ev);
    }
  }
  free(h);
}

/* The spec document itself (examples) is not the API's data. */
static int dt_is_spec(const struct probe *p)
{
  size_t n = p->x.body.len < 256 ? p->x.body.len : 256;
  const char *b = buf_str(&p->x.body);
  return (p->flags & PROBE_SPECFIND) || memmem(b, n, "\"openapi\"", 9) ||
         memmem(b, n, "\"swagger\"", 9) || memmem(b, n, "openapi:", 8);
}

static void dt_judge(struct scan *s, void *st, struct probe *p)
{
  struct dt_state *d = st;
  if(!http_answered(&p->x) || (p->flags & PROBE_BASELINE) || p->claimed)
    return;
  for(size_t i = 0; i < ARRAY_LEN(dt_rules); i++)
    if((i != R_JWT || d->sub_main || d->sub_as2) && i != R_MAIL)
      scan_ran(s, &dt_rules[i]);
  dt_formats(s, d, p, buf_str(&p->x.head), p->x.head.len, 1);
  if(!p->x.body.len || dt_is_spec(p))
    return;
  dt_formats(s, d, p, buf_str(&p->x.body), p->x.body.len, 0);
  dt_own_from_profile(s, d, p);
  dt_pii(s, d, p, buf_str(&p->x.body), p->x.body.len);
}

static void dt_finish(struct scan *s, void *st)
{
  struct dt_state *d = st;
  /* Reported in key order, not in the order the answers came. */
  if(d->n)
    qsort(d->v, d->n, sizeof(d->v[0]), dt_hit_cmp);
  if(d->nmails)
    qsort(d->mails, d->nmails, sizeof(d->mails[0]), dt_mail_sort);
  size_t kept = 0;
  for(size_t i = 0; i < d->n; i++) {
    const struct dt_hit *h = &d->v[i];
    kept += h->count;
    const struct wd_rule *r = &dt_rules[h->rule];
    int sev = (int)r->severity;
    if(h->rule == R_CLOUD && !strcmp(h->kind, "stripe-test-key"))
      sev = WD_SEV_MEDIUM;
    if(h->public && sev < WD_SEV_CRITICAL)
      sev++;
    char title[200], dd[300];
    snprintf(title, sizeof(title), "%s%s", r->title,
             h->public ? ", to a request without credentials" : "");
    snprintf(dd, sizeof(dd), "%s %s", h->kind, h->route);
    scan_flag_at(s, r, sev, title, h->method, h->url, h->evidence, dd);
  }
  /* Other users' e-mails: judged where the identity's own is known. */
  for(int who = 0; who < 2; who++)
    if(d->nown[who])
      scan_ran(s, &dt_rules[R_MAIL]);
  for(size_t i = 0; i < d->nmails; i++) {
    const struct dt_mail *m = &d->mails[i];
    if(!d->nown[m->who])
      continue;
    size_t foreign = 0;
    for(size_t k = 0; k < m->nh; k++) {
      int own = 0;
      for(size_t j = 0; j < d->nown[m->who] && !own; j++)
        own = d->own[m->who][j] == m->h[k];
      foreign += !own;
    }
    if(!foreign)
      continue;
    char ev[400], dd[300];
    snprintf(ev, sizeof(ev), "%s %s as %s: %zu e-mail address%s that %s not the caller's own%s%s "
             "(the caller's own learned from %s; values not shown)", m->method, m->route,
             m->who ? "the --as2 identity" : "identity 1", foreign, foreign == 1 ? "" : "es",
             foreign == 1 ? "is" : "are", m->keys[0] ? ", under " : "", m->keys,
             d->own_from[m->who]);
    snprintf(dd, sizeof(dd), "%d %s", m->who, m->route);
    scan_flag_at(s, &dt_rules[R_MAIL], -1, NULL, m->method, m->url, ev, dd);
  }
  if(d->seen > kept)
    report_note(&s->rep, "sensitive data: %zu further leaks were not kept (at most %d routes "
                "and kinds are reported)", d->seen - kept, DT_MAX_HITS);
}

const struct wd_check check_data = {
  .name = "data",
  .summary = "Sensitive data in responses: card numbers, IBANs, national ids, private keys, cloud/SaaS credentials, database URLs with passwords, other users' tokens, contact data in bulk",
  .rules = dt_rules,
  .nrules = ARRAY_LEN(dt_rules),
  .state_size = sizeof(struct dt_state),
  .init = dt_init,
  .cleanup = dt_cleanup,
  .judge = dt_judge,
  .finish = dt_finish,
};
