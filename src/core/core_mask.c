/*
 * core_mask.c - finds secrets in text and replaces them (core_mask.h).
 *
 * One pass collects spans [from, to) to hide, from every detector, over
 * the raw text; overlapping spans merge; then the text is copied with
 * each span replaced by its kept prefix and "****". Because every span
 * is found on the whole text before anything is cut, a value whose name
 * is far from where a caller later cuts is still recognised.
 *
 * Why a registered value can never survive: the output is raw text, kept
 * prefixes (raw bytes at a span's start) and "****". A value without '*'
 * in the output lies in a run of raw bytes that were contiguous in the
 * input, so it was found there as a span, and a merged span that holds a
 * registered occurrence keeps no prefix.
 */
#include "core_mask.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core_alloc.h"
#include "core_buf.h"
#include "core_str.h"

/* ---- registered values ----------------------------------------------- */

void mask_init(struct wd_mask *m)
{
  memset(m, 0, sizeof(*m));
}

void mask_cleanup(struct wd_mask *m)
{
  for(size_t i = 0; i < m->n; i++)
    free(m->vals[i]);
  free(m->vals);
  unsigned long long gen = m->gen;
  memset(m, 0, sizeof(*m));
  m->gen = gen + 1;
}

static int mask_has(const struct wd_mask *m, const char *v)
{
  for(size_t i = 0; i < m->n; i++)
    if(strcmp(m->vals[i], v) == 0)
      return 1;
  return 0;
}

static void mask_add1(struct wd_mask *m, const char *v, size_t n)
{
  if(n < MASK_MIN_REGISTERED || memchr(v, '\0', n))
    return;
  char *c = xstrndup(v, n);
  if(mask_has(m, c)) {
    free(c);
    return;
  }
  m->vals = xgrow(m->vals, &m->cap, m->n + 1, sizeof(char *));
  m->vals[m->n++] = c;
  m->gen++;
}

void mask_add(struct wd_mask *m, const char *value)
{
  if(!value)
    return;
  size_t n = strlen(value);
  mask_add1(m, value, n);
  /* The URL-encoded form: an API key moved to the query string. */
  char *enc = str_pct_encode(value, n, "-._~");
  if(strlen(enc) != n)
    mask_add1(m, enc, strlen(enc));
  free(enc);
}

static char *base64(const unsigned char *s, size_t n)
{
  static const char t[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char *o = xmalloc(4 * (n / 3 + 1) + 1), *p = o;
  size_t i;
  for(i = 0; i + 2 < n; i += 3) {
    unsigned v = (unsigned)s[i] << 16 | (unsigned)s[i + 1] << 8 | s[i + 2];
    *p++ = t[v >> 18 & 63];
    *p++ = t[v >> 12 & 63];
    *p++ = t[v >> 6 & 63];
    *p++ = t[v & 63];
  }
  if(i < n) {
    unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0);
    *p++ = t[v >> 18 & 63];
    *p++ = t[v >> 12 & 63];
    *p++ = i + 1 < n ? t[v >> 6 & 63] : '=';
    *p++ = '=';
  }
  *p = '\0';
  return o;
}

void mask_add_basic(struct wd_mask *m, const char *userpass)
{
  if(!userpass)
    return;
  mask_add(m, userpass);
  const char *colon = strchr(userpass, ':');
  if(colon)
    mask_add(m, colon + 1);
  char *b = base64((const unsigned char *)userpass, strlen(userpass));
  mask_add(m, b);
  free(b);
}

void mask_add_cookie(struct wd_mask *m, const char *cookies)
{
  if(!cookies)
    return;
  mask_add(m, cookies);
  const char *p = cookies;
  while(*p) {
    size_t l = strcspn(p, ";");
    const char *eq = memchr(p, '=', l);
    if(eq) {
      char *v = xstrndup(eq + 1, l - (size_t)(eq + 1 - p));
      char *t = v;
      while(*t == ' ')
        t++;
      mask_add(m, t);
      free(v);
    }
    p += l;
    if(*p == ';')
      p++;
  }
}

/* ---- spans -------------------------------------------------------------- */

struct span {
  size_t from, to;
  size_t keep; /* bytes of public prefix shown */
  int reg;     /* a registered value: no prefix may be kept */
  const char *kind; /* the format's name (mask_find), or NULL */
};

struct spans {
  struct span *v;
  size_t n, cap;
};

static void span_addk(struct spans *sp, size_t from, size_t to, size_t keep, int reg,
                      const char *kind)
{
  if(to <= from)
    return;
  if(keep > to - from)
    keep = 0;
  sp->v = xgrow(sp->v, &sp->cap, sp->n + 1, sizeof(*sp->v));
  sp->v[sp->n++] = (struct span){from, to, keep, reg, kind};
}

static void span_add(struct spans *sp, size_t from, size_t to, size_t keep, int reg)
{
  span_addk(sp, from, to, keep, reg, NULL);
}

/* Character classes, one table lookup each: the table is built at
 * compile time from the definitions in CC (a constant expression per
 * byte), so it says exactly what the range tests it replaces said. */
enum {
  K_UP = 1, K_LO = 2, K_DIG = 4, K_US = 8 /* _ */, K_DASH = 16,
  K_DOT = 32, K_B64X = 64 /* / and + */, K_HEXLO = 128 /* a-f */
};
#define CC(c)                                                               \
  (((c) >= 'A' && (c) <= 'Z' ? K_UP : 0) | ((c) >= 'a' && (c) <= 'z' ? K_LO : 0) | \
   ((c) >= '0' && (c) <= '9' ? K_DIG : 0) | ((c) == '_' ? K_US : 0) |          \
   ((c) == '-' ? K_DASH : 0) | ((c) == '.' ? K_DOT : 0) |                     \
   ((c) == '/' || (c) == '+' ? K_B64X : 0) | ((c) >= 'a' && (c) <= 'f' ? K_HEXLO : 0))
#define CC4(b) CC(b), CC((b) + 1), CC((b) + 2), CC((b) + 3)
#define CC16(b) CC4(b), CC4((b) + 4), CC4((b) + 8), CC4((b) + 12)
#define CC64(b) CC16(b), CC16((b) + 16), CC16((b) + 32), CC16((b) + 48)
static const unsigned char cc[256] = {CC64(0), CC64(64), CC64(128), CC64(192)};
#undef CC4
#undef CC16
#undef CC64
#undef CC

#define K_AL (K_UP | K_LO)
#define K_ALNUM (K_UP | K_LO | K_DIG)
/* Characters of a token: letters, digits, '_' and '-'. */
#define K_TOK (K_ALNUM | K_US | K_DASH)

static int is_al(unsigned char c)
{
  return cc[c] & K_AL;
}

static int is_dig(unsigned char c)
{
  return cc[c] & K_DIG;
}

static int is_alnum(unsigned char c)
{
  return cc[c] & K_ALNUM;
}

static int is_tok(unsigned char c)
{
  return cc[c] & K_TOK;
}

static unsigned char up(unsigned char c)
{
  return c >= 'a' && c <= 'z' ? (unsigned char)(c - 32) : c;
}

/* The classes a format's characters come from, as cc[] bits. */
enum cls {
  C_UPDIG = K_UP | K_DIG, C_ALNUM = K_ALNUM, C_ALNUM_US = K_ALNUM | K_US,
  C_TOK = K_TOK, C_ALNUM_DASH = K_ALNUM | K_DASH, C_HEXLO = K_DIG | K_HEXLO
};

static int in_cls(enum cls k, unsigned char c)
{
  return cc[c] & (unsigned)k;
}

/* Token formats with a fixed public prefix: the prefix is kept. */
static const struct fmt {
  const char *prefix;
  enum cls cls;
  size_t min; /* characters after the prefix */
  const char *kind; /* mask_find's name for it */
} fmts[] = {
  {"AKIA", C_UPDIG, 16, "aws-access-key-id"}, {"ASIA", C_UPDIG, 16, "aws-access-key-id"},
  {"AGPA", C_UPDIG, 16, "aws-access-key-id"}, {"AIDA", C_UPDIG, 16, "aws-access-key-id"},
  {"AROA", C_UPDIG, 16, "aws-access-key-id"}, {"AIPA", C_UPDIG, 16, "aws-access-key-id"},
  {"ANPA", C_UPDIG, 16, "aws-access-key-id"}, {"ANVA", C_UPDIG, 16, "aws-access-key-id"},
  {"ABIA", C_UPDIG, 16, "aws-access-key-id"}, {"ACCA", C_UPDIG, 16, "aws-access-key-id"},
  {"ghp_", C_ALNUM, 20, "github-token"}, {"gho_", C_ALNUM, 20, "github-token"},
  {"ghu_", C_ALNUM, 20, "github-token"}, {"ghs_", C_ALNUM, 20, "github-token"},
  {"ghr_", C_ALNUM, 20, "github-token"},
  {"github_pat_", C_ALNUM_US, 20, "github-token"},
  {"glpat-", C_TOK, 20, "gitlab-token"}, {"glrt-", C_TOK, 20, "gitlab-token"},
  {"xoxa-", C_ALNUM_DASH, 10, "slack-token"}, {"xoxb-", C_ALNUM_DASH, 10, "slack-token"},
  {"xoxe-", C_ALNUM_DASH, 10, "slack-token"}, {"xoxp-", C_ALNUM_DASH, 10, "slack-token"},
  {"xoxr-", C_ALNUM_DASH, 10, "slack-token"}, {"xoxs-", C_ALNUM_DASH, 10, "slack-token"},
  {"sk_live_", C_ALNUM, 16, "stripe-secret-key"}, {"rk_live_", C_ALNUM, 16, "stripe-secret-key"},
  {"sk_test_", C_ALNUM, 16, "stripe-test-key"}, {"rk_test_", C_ALNUM, 16, "stripe-test-key"},
  {"npm_", C_ALNUM, 30, "npm-token"},
  {"AIza", C_TOK, 30, "google-api-key"},
  /* Twilio API key SIDs: SK and 32 lower-case hex digits. */
  {"SK", C_HEXLO, 32, "twilio-api-key"},
};

/* The first letters of every prefix above, and of SendGrid's "SG." and a
 * JWT's "eyJ": find_formats and mask_quiet both skip a token that starts
 * with none of them, so a format added above with a new first letter is
 * added here too. */
#define FMT_FIRST(c)                                                                    \
  ((c) == 'A' || (c) == 'g' || (c) == 'x' || (c) == 's' || (c) == 'r' || (c) == 'n' ||     \
   (c) == 'S' || (c) == 'e')

static size_t run(const char *s, size_t n, size_t i, enum cls k)
{
  size_t j = i;
  while(j < n && in_cls(k, (unsigned char)s[j]))
    j++;
  return j - i;
}

/* The public prefix of a known format at the start of s, or 0. */
static size_t fmt_prefix(const char *s, size_t n)
{
  for(size_t f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++) {
    size_t pl = strlen(fmts[f].prefix);
    if(n > pl && memcmp(s, fmts[f].prefix, pl) == 0)
      return pl;
  }
  if(n > 3 && (memcmp(s, "SG.", 3) == 0 || memcmp(s, "eyJ", 3) == 0))
    return 3;
  return 0;
}

static void find_formats(const char *s, size_t n, struct spans *sp)
{
  /* Token by token: a character inside a run of token characters is no
   * token's start, so after a token's start is judged the loop resumes
   * past the run (skip, below, on every path). */
  for(size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if(!is_tok(c))
      continue;
    size_t tl = run(s, n, i, C_TOK), skip = tl - 1;
    if(!is_al(c)) {
      i += skip;
      continue;
    }
    /* Every format is tested at the start of a token only, and each
     * prefix and its characters are token characters: a token shorter
     * than the shortest one (xoxa- + 10) holds none, except SendGrid's
     * (its '.' ends the token) and a JWT's (8). Skip the token whole. */
    if(tl < 15 && c != 'S' && c != 'e') {
      i += skip;
      continue;
    }
    if(!FMT_FIRST(c)) {
      i += skip;
      continue;
    }
    for(size_t f = 0; f < sizeof(fmts) / sizeof(fmts[0]); f++) {
      const struct fmt *t = &fmts[f];
      if((unsigned char)t->prefix[0] != c)
        continue;
      size_t pl = strlen(t->prefix);
      if(n - i <= pl || memcmp(s + i, t->prefix, pl))
        continue;
      size_t r = run(s, n, i + pl, t->cls);
      if(r >= t->min && (t->cls != C_HEXLO || i + pl + r == n || !is_alnum((unsigned char)s[i + pl + r]))) {
        span_addk(sp, i, i + pl + r, pl, 0, t->kind);
        break;
      }
    }
    /* SendGrid: SG.<22>.<43>. */
    if(c == 'S' && n - i > 3 && memcmp(s + i, "SG.", 3) == 0) {
      size_t a = run(s, n, i + 3, C_TOK);
      if(a >= 16 && i + 3 + a < n && s[i + 3 + a] == '.') {
        size_t b = run(s, n, i + 4 + a, C_TOK);
        if(b >= 16)
          span_addk(sp, i, i + 4 + a + b, 3, 0, "sendgrid-api-key");
      }
    }
    /* JWT: eyJ<header>.<payload>.<signature>. */
    if(c == 'e' && n - i > 3 && memcmp(s + i, "eyJ", 3) == 0 &&
       (i == 0 || s[i - 1] != '.')) {
      size_t a = run(s, n, i, C_TOK);
      if(a >= 8 && i + a < n && s[i + a] == '.') {
        size_t b = run(s, n, i + a + 1, C_TOK);
        if(b >= 8) {
          size_t e = i + a + 1 + b;
          if(e < n && s[e] == '.')
            e += 1 + run(s, n, e + 1, C_TOK);
          span_addk(sp, i, e, 3, 0, "jwt");
        }
      }
    }
    i += skip;
  }
}

/* A bare 40-character AWS secret access key: base64 letters, with upper
 * and lower case and a digit (so that hex digests are left alone). */
static int is_b64(unsigned char c)
{
  return cc[c] & (K_ALNUM | K_B64X);
}

static void find_aws_secret(const char *s, size_t n, struct spans *sp)
{
  if(n < 40)
    return; /* no run of 40 fits */
  size_t i = 0;
  while(i < n) {
    if(!is_b64((unsigned char)s[i])) {
      i++;
      continue;
    }
    size_t j = i;
    while(j < n && is_b64((unsigned char)s[j]))
      j++;
    /* The kinds of character only of a run of the right length. */
    int u = 0, l = 0, d = 0;
    for(size_t k = i; j - i == 40 && k < j; k++) {
      unsigned char c = (unsigned char)s[k];
      u |= c >= 'A' && c <= 'Z';
      l |= c >= 'a' && c <= 'z';
      d |= is_dig(c);
    }
    if(j - i == 40 && u && l && d && (i == 0 || s[i - 1] != '=') &&
       (j == n || s[j] != '='))
      span_addk(sp, i, j, 0, 0, "aws-secret-access-key");
    i = j;
  }
}

/* PEM private keys: the body between the BEGIN and END lines. */
static void find_pem(const char *s, size_t n, struct spans *sp)
{
  const char *p = s, *end = s + n;
  while((p = memmem(p, (size_t)(end - p), "-----BEGIN ", 11))) {
    const char *lab = p + 11;
    size_t room = (size_t)(end - lab) < 80 ? (size_t)(end - lab) : 80;
    const char *close = memmem(lab, room, "-----", 5);
    if(!close) {
      p = lab;
      continue;
    }
    if(!memmem(lab, (size_t)(close - lab), "PRIVATE KEY", 11)) {
      p = close;
      continue;
    }
    const char *body = close + 5;
    const char *stop = memmem(body, (size_t)(end - body), "-----END", 8);
    if(!stop)
      stop = end;
    span_addk(sp, (size_t)(body - s), (size_t)(stop - s), 0, 0, "private-key");
    p = stop;
    if(p == end)
      break;
  }
}

/* scheme://user:password@host: the password (or a lone user, which is
 * then a token). */
static void find_userinfo(const char *s, size_t n, struct spans *sp)
{
  const char *p = s, *end = s + n;
  while((p = memmem(p, (size_t)(end - p), "://", 3))) {
    const char *a = p + 3, *q = a, *at = NULL;
    while(q < end && (size_t)(q - a) < 1024 && !strchr("/?#\"'<> \t\r\n\\", *q) && *q) {
      if(*q == '@')
        at = q;
      q++;
    }
    if(at && at > a) {
      const char *colon = memchr(a, ':', (size_t)(at - a));
      if(colon)
        span_addk(sp, (size_t)(colon + 1 - s), (size_t)(at - s), 0, 0, "url-password");
      else
        span_add(sp, (size_t)(a - s), (size_t)(at - s), 0, 0);
    }
    p += 3;
  }
}

/* "Bearer x" and "Basic x", as in an Authorization header. */
static int is_cred_char(unsigned char c)
{
  return is_alnum(c) || strchr("._~+/=-", c) != NULL;
}

static void find_schemes(const char *s, size_t n, struct spans *sp)
{
  static const char *const words[] = {"bearer", "basic"};
  for(size_t i = 0; i < n; i++) {
    /* c | 0x20 is 'b' for 'b' and 'B' only. */
    if(((unsigned char)s[i] | 0x20) != 'b' || (i > 0 && is_al((unsigned char)s[i - 1])))
      continue;
    for(size_t w = 0; w < 2; w++) {
      size_t wl = strlen(words[w]), k;
      if(n - i <= wl)
        continue;
      for(k = 0; k < wl && up((unsigned char)s[i + k]) == up((unsigned char)words[w][k]); k++)
        ;
      if(k < wl)
        continue;
      size_t j = i + wl;
      if(j >= n || (s[j] != ' ' && s[j] != '\t'))
        continue;
      while(j < n && (s[j] == ' ' || s[j] == '\t'))
        j++;
      size_t e = j;
      int mixed_u = 0, mixed_l = 0, other = 0;
      while(e < n && is_cred_char((unsigned char)s[e])) {
        unsigned char x = (unsigned char)s[e];
        mixed_u |= x >= 'A' && x <= 'Z';
        mixed_l |= x >= 'a' && x <= 'z';
        other |= !is_al(x);
        e++;
      }
      /* "Basic authentication" is prose; a credential is long or mixed. */
      if(e - j >= 16 || (e - j >= 8 && (other || (mixed_u && mixed_l))))
        span_add(sp, j, e, 0, 0);
    }
  }
}

/* Names whose value is a secret, as upper-case substrings. */
static const char *const secret_words[] = {
  "PASSWORD", "PASSWD", "PASSPHRASE", "PWD", "SECRET", "TOKEN", "APIKEY",
  "API_KEY", "API-KEY", "ACCESSKEY", "ACCESS_KEY", "PRIVATEKEY",
  "PRIVATE_KEY", "CREDENTIAL", "AUTHORIZATION", NULL};
/* Suffixes that name where a secret is, or something about it, not it. */
static const char *const not_secret_suffix[] = {
  "_FILE", "_PATH", "_DIR", "_URL", "_URI", "_HOST", "_PORT", "_NAME",
  "_TYPE", "_LENGTH", "_EXPIRY", "_EXPIRES", "_TTL", "_ENABLED", "_REF",
  "FILE", "PATH", "URL", "NAME",
  /* counts, not secrets: "max_tokens", "prompt_tokens" (LLM usage) */
  "TOKENS", "_COUNT", NULL};

static int is_name_char(unsigned char c)
{
  return cc[c] & (K_ALNUM | K_US | K_DOT | K_DASH);
}

/* 1 when s[0..n) (any case) holds one of the stems every secret word
 * and suffix test below needs: PASS, PWD, SECRET, TOKEN, KEY, CREDENTIAL,
 * AUTHORIZATION. Most names hold none: one pass, no copy, no strstr. */
static int has_stem(const char *s, size_t n)
{
  static const char *const stems[] = {"PASS", "PWD", "SECRET", "TOKEN", "KEY",
                                      "CREDENTIAL", "AUTHORIZATION"};
  for(size_t i = 0; i + 3 <= n; i++) {
    unsigned char c = up((unsigned char)s[i]);
    if(c != 'P' && c != 'S' && c != 'T' && c != 'K' && c != 'C' && c != 'A')
      continue;
    for(size_t w = 0; w < sizeof(stems) / sizeof(stems[0]); w++) {
      const char *t = stems[w];
      if((unsigned char)t[0] != c)
        continue;
      size_t k = 1;
      while(t[k] && i + k < n && up((unsigned char)s[i + k]) == (unsigned char)t[k])
        k++;
      if(!t[k])
        return 1;
    }
  }
  return 0;
}

static int secret_name(const char *s, size_t n)
{
  char u[130];
  if(n == 0 || n > 128 || !has_stem(s, n))
    return 0;
  for(size_t i = 0; i < n; i++)
    u[i] = (char)up((unsigned char)s[i]);
  u[n] = '\0';
  if(!strcmp(u, "PWD") || !strcmp(u, "OLDPWD"))
    return 0; /* the shell's working directory */
  int hit = 0;
  for(size_t w = 0; secret_words[w] && !hit; w++)
    hit = strstr(u, secret_words[w]) != NULL;
  /* KEY=, DB_KEY=, "key": ... and DB_PASS= */
  if(!hit)
    hit = (n >= 3 && !strcmp(u + n - 3, "KEY")) ||
          (n >= 4 && !strcmp(u + n - 4, "PASS"));
  if(!hit)
    return 0;
  for(size_t w = 0; not_secret_suffix[w]; w++) {
    size_t l = strlen(not_secret_suffix[w]);
    if(n > l && !strcmp(u + n - l, not_secret_suffix[w]))
      return 0;
  }
  return 1;
}

static int at_line_start(const char *s, size_t i)
{
  size_t j = i;
  while(j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t'))
    j--;
  if(j >= 7 && memcmp(s + j - 7, "export ", 7) == 0) {
    j -= 7;
    while(j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t'))
      j--;
  } else if(j > 0 && s[j - 1] == '-') { /* a YAML list item */
    j--;
    while(j > 0 && (s[j - 1] == ' ' || s[j - 1] == '\t'))
      j--;
  }
  return j == 0 || s[j - 1] == '\n' || s[j - 1] == '\r' || s[j - 1] == '\0';
}

/* A value that names another value: ${NAME}, $NAME, $(NAME). */
static int is_reference(const char *v, size_t n)
{
  if(n < 2 || v[0] != '$')
    return 0;
  size_t a = 1, b = n;
  if(v[1] == '{' || v[1] == '(') {
    if(n < 4 || v[n - 1] != (v[1] == '{' ? '}' : ')'))
      return 0;
    a = 2;
    b = n - 1;
  }
  for(size_t i = a; i < b; i++)
    if(!is_alnum((unsigned char)v[i]) && v[i] != '_')
      return 0;
  return b > a;
}

static int is_literal_word(const char *v, size_t n)
{
  static const char *const w[] = {"null", "true", "false", "~", "None", NULL};
  for(size_t i = 0; w[i]; i++)
    if(strlen(w[i]) == n && memcmp(v, w[i], n) == 0)
      return 1;
  return 0;
}

/* The end of a quoted value starting at i (after the quote q): the next
 * unescaped q, or the end of the line. */
static size_t quoted_end(const char *s, size_t n, size_t i, char q, int escaped)
{
  while(i < n && s[i] != '\n' && s[i] != '\r' && s[i] != '\0') {
    if(s[i] == '\\') {
      if(escaped && i + 1 < n && s[i + 1] == q)
        return i;
      i += 2;
      continue;
    }
    if(s[i] == q)
      return i;
    i++;
  }
  return i < n ? i : n;
}

static void value_span(const char *s, size_t n, size_t a, size_t e, struct spans *sp)
{
  if(e > n)
    e = n;
  if(e <= a || is_reference(s + a, e - a) || is_literal_word(s + a, e - a))
    return;
  /* A placeholder made of dots ("?api_key=...") holds nothing. */
  size_t dots = a;
  while(dots < e && s[dots] == '.')
    dots++;
  if(dots == e)
    return;
  /* Already masked ("****", "AKIA****"): leave it as it is. */
  size_t k = fmt_prefix(s + a, e - a), st = a + k;
  while(st < e && s[st] == '*')
    st++;
  if(st - (a + k) >= 4 && (st == e || !is_alnum((unsigned char)s[st])))
    return;
  span_add(sp, a, e, k, 0);
}

static void find_named(const char *s, size_t n, struct spans *sp)
{
  size_t i = 0;
  while(i < n) {
    /* At the top of this loop s[i - 1] is never a name character (i
     * only moves past a non-name character or to a name's end, which
     * is one): a name character here starts a name. */
    if(!is_name_char((unsigned char)s[i])) {
      i++;
      continue;
    }
    size_t e = i;
    while(e < n && is_name_char((unsigned char)s[e]))
      e++;
    size_t name_end = e;
    /* The name may be quoted ("password", 'password', \"password\"). */
    char q = i > 0 && (s[i - 1] == '"' || s[i - 1] == '\'') ? s[i - 1] : 0;
    int closed = 0;
    size_t j = e;
    if(q && j < n && s[j] == q) {
      j++;
      closed = 1;
    } else if(q && j + 1 < n && s[j] == '\\' && s[j + 1] == q) {
      j += 2;
      closed = 1;
    }
    while(j < n && (s[j] == ' ' || s[j] == '\t'))
      j++;
    /* A name followed by '=' or ':' (not "::"), and a secret's name: the
     * cheap test first (most words are followed by neither). */
    if(j < n && s[j] == '=' && secret_name(s + i, e - i)) {
      j++;
      if(j < n && s[j] == '>')
        j++;
    } else if(j < n && s[j] == ':' && !(j + 1 < n && s[j + 1] == ':') &&
              secret_name(s + i, e - i)) {
      j++;
    } else {
      i = name_end;
      continue;
    }
    while(j < n && (s[j] == ' ' || s[j] == '\t'))
      j++;
    if(j >= n) {
      i = name_end;
      continue;
    }
    if(s[j] == '"' || s[j] == '\'') {
      value_span(s, n, j + 1, quoted_end(s, n, j + 1, s[j], 0), sp);
    } else if(s[j] == '\\' && j + 1 < n && (s[j + 1] == '"' || s[j + 1] == '\'')) {
      value_span(s, n, j + 2, quoted_end(s, n, j + 2, s[j + 1], 1), sp);
    } else if(s[j] == '{') {
      /* Spring's env: "DB_PASSWORD": {"value": "x"} */
      size_t k = j + 1;
      while(k < n && (s[k] == ' ' || s[k] == '\n' || s[k] == '\r' || s[k] == '\t'))
        k++;
      if(n - k > 8 && memcmp(s + k, "\"value\"", 7) == 0) {
        k += 7;
        while(k < n && (s[k] == ' ' || s[k] == ':'))
          k++;
        if(k < n && s[k] == '"')
          value_span(s, n, k + 1, quoted_end(s, n, k + 1, '"', 0), sp);
      }
    } else if(s[j] != '[') {
      size_t k = j;
      int line = !q && at_line_start(s, i);
      while(k < n) {
        unsigned char c = (unsigned char)s[k];
        if(c == '\n' || c == '\r' || c == '\0')
          break;
        /* a JSON-escaped line break ends an env line in a string */
        if(c == '\\' && k + 1 < n && (s[k + 1] == 'n' || s[k + 1] == 'r'))
          break;
        if(q && !closed) {
          if(c == (unsigned char)q)
            break; /* "NAME=value" inside a string: up to its quote */
        } else if(!line && (c == ' ' || c == '\t' || c == '"' || c == '\'' ||
                            c == ',' || c == ';' || c == '&' || c == '<' || c == '>')) {
          break;
        }
        k++;
      }
      value_span(s, n, j, k, sp);
    }
    i = name_end;
  }
}

static void find_registered(const struct wd_mask *m, const char *s, size_t n,
                            struct spans *sp)
{
  for(size_t r = 0; m && r < m->n; r++) {
    size_t l = strlen(m->vals[r]);
    const char *p = s, *end = s + n, *hit;
    while((size_t)(end - p) >= l && (hit = memmem(p, (size_t)(end - p), m->vals[r], l))) {
      span_add(sp, (size_t)(hit - s), (size_t)(hit - s) + l, 0, 1);
      p = hit + 1;
    }
  }
}

/* Slack incoming webhooks: /services/T<team>/B<bot>/<24 secret>; the
 * last part is the secret. */
static void find_webhooks(const char *s, size_t n, struct spans *sp)
{
  const char *p = s, *end = s + n;
  while((p = memmem(p, (size_t)(end - p), "/services/T", 11))) {
    size_t i = (size_t)(p - s) + 10;
    size_t a = run(s, n, i, C_UPDIG);
    if(a >= 9 && i + a < n && s[i + a] == '/' && i + a + 1 < n && s[i + a + 1] == 'B') {
      size_t j = i + a + 1;
      size_t b = run(s, n, j, C_UPDIG);
      if(b >= 9 && j + b < n && s[j + b] == '/') {
        size_t k = j + b + 1, c = run(s, n, k, C_ALNUM);
        if(c >= 20)
          span_addk(sp, k, k + c, 0, 0, "slack-webhook");
      }
    }
    p += 11;
  }
}

/* Every detector. A detector added here must also be known to mask_quiet
 * (below), which skips this whole list when none of them could fire. */
static void find_detected(const char *s, size_t n, struct spans *sp)
{
  find_webhooks(s, n, sp);
  find_formats(s, n, sp);
  find_aws_secret(s, n, sp);
  find_pem(s, n, sp);
  find_userinfo(s, n, sp);
  find_schemes(s, n, sp);
  find_named(s, n, sp);
}

static int span_cmp(const void *pa, const void *pb)
{
  const struct span *a = pa, *b = pb;
  if(a->from != b->from)
    return a->from < b->from ? -1 : 1;
  if(a->to != b->to)
    return a->to > b->to ? -1 : 1;
  return 0;
}

/* Sorts and merges overlapping spans in place. */
static void spans_merge(struct spans *sp)
{
  if(sp->n < 2)
    return;
  qsort(sp->v, sp->n, sizeof(*sp->v), span_cmp);
  size_t w = 0;
  for(size_t r = 1; r < sp->n; r++) {
    struct span *cur = &sp->v[w], *nx = &sp->v[r];
    if(nx->from < cur->to) {
      if(nx->to > cur->to)
        cur->to = nx->to;
      if(nx->from == cur->from && nx->keep > cur->keep && !cur->reg)
        cur->keep = nx->keep;
      cur->reg |= nx->reg;
      if(cur->reg)
        cur->keep = 0;
    } else {
      sp->v[++w] = *nx;
    }
  }
  sp->n = w + 1;
}

/* The bytes mask_quiet looks at twice: the first letters of the token
 * formats (Q_FIRST), and the characters that start another detector's
 * pattern or end a name (Q_RARE). */
enum { Q_FIRST = 1, Q_RARE = 2 };
#define QT(c)                                                                          \
  ((FMT_FIRST(c) ? Q_FIRST : 0) |                                                         \
   ((c) == '-' || (c) == 'b' || (c) == 'B' || (c) == 'S' || (c) == 'e' || (c) == '@' ||   \
    (c) == ':' || (c) == '=' || (c) == '/' ? Q_RARE : 0))
#define QT4(b) QT(b), QT((b) + 1), QT((b) + 2), QT((b) + 3)
#define QT16(b) QT4(b), QT4((b) + 4), QT4((b) + 8), QT4((b) + 12)
#define QT64(b) QT16(b), QT16((b) + 16), QT16((b) + 32), QT16((b) + 48)
static const unsigned char qt[256] = {QT64(0), QT64(64), QT64(128), QT64(192)};
#undef QT4
#undef QT16
#undef QT64
#undef QT

/* 1 when the name find_named would read before the '=' or ':' at s[j]
 * may be a secret's: back over blanks, a closing quote (or \"), then
 * the run of name characters, which must hold a secret stem. */
static int named_before(const char *s, size_t j)
{
  size_t k = j;
  while(k > 0 && (s[k - 1] == ' ' || s[k - 1] == '\t'))
    k--;
  if(k > 0 && (s[k - 1] == '"' || s[k - 1] == '\''))
    k--;
  if(k > 0 && s[k - 1] == '\\')
    k--;
  size_t e = k;
  while(k > 0 && is_name_char((unsigned char)s[k - 1]))
    k--;
  return e > k && has_stem(s + k, e - k);
}

/* The quick test: 0 as soon as s[0..n) holds what one of find_detected's
 * detectors needs before it can add a span, 1 when it holds none of it:
 *   find_formats    a token (maximal run of letters, digits, '_', '-')
 *                   that starts with a format's first letter and is 15
 *                   long (every format's prefix + minimum: xoxa- + 10 is
 *                   the shortest), or "SG." / "eyJ" at a token's start
 *                   (SendGrid, JWT);
 *   find_webhooks   "/services/T";
 *   find_aws_secret a run of 40 base64 characters;
 *   find_pem        "-----";
 *   find_userinfo   '@' (its span ends at one);
 *   find_schemes    "basic" or "bearer", any case;
 *   find_named      '=' or ':' after a name (blanks and a closing quote
 *                   between) holding a secret stem: secret_name is 0
 *                   without has_stem.
 * Each is necessary for its detector, so 1 means find_detected would add
 * nothing (tests/unit/test_mask.c checks that on every corpus string and
 * its mutations). One pass, no allocation. */
int mask_quiet(const char *s, size_t n)
{
  size_t tok = 0, b64 = 0;
  int watch = 0;
  for(size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    unsigned k = cc[c];
    if(k & (K_ALNUM | K_B64X)) {
      if(++b64 >= 40)
        return 0;
    } else {
      b64 = 0;
    }
    if(k & K_TOK) {
      if(!tok++)
        watch = (k & K_AL) && (qt[c] & Q_FIRST);
      else if(tok >= 15 && watch)
        return 0;
    } else {
      tok = 0;
    }
    if(!(qt[c] & Q_RARE))
      continue;
    size_t left = n - i;
    switch(c) {
    case '-':
      if(left >= 5 && s[i + 1] == '-' && memcmp(s + i, "-----", 5) == 0)
        return 0;
      break;
    case 'b':
    case 'B':
      /* The second letter first: most b's start neither word. */
      if(left >= 5 && ((s[i + 1] | 0x20) == 'a' || (s[i + 1] | 0x20) == 'e') &&
         (strncasecmp(s + i, "basic", 5) == 0 ||
          (left >= 6 && strncasecmp(s + i, "bearer", 6) == 0)))
        return 0;
      break;
    case 'S':
      if(tok == 1 && left >= 3 && s[i + 1] == 'G' && s[i + 2] == '.')
        return 0;
      break;
    case 'e':
      if(tok == 1 && left >= 3 && s[i + 1] == 'y' && s[i + 2] == 'J')
        return 0;
      break;
    case '@':
      return 0;
    case ':':
    case '=':
      if(named_before(s, i))
        return 0;
      break;
    case '/':
      if(left >= 11 && s[i + 1] == 's' && memcmp(s + i, "/services/T", 11) == 0)
        return 0;
      break;
    }
  }
  return 1;
}

char *mask_text(const struct wd_mask *m, const char *s, size_t n,
                size_t *outlen, struct mask_map *map)
{
  struct spans sp = {NULL, 0, 0};
  find_registered(m, s, n, &sp);
  if(!mask_quiet(s, n))
    find_detected(s, n, &sp);
  if(!sp.n && !map) {
    /* Nothing to hide: the text as it is. */
    char *o = xmalloc(n + 1);
    memcpy(o, s, n);
    o[n] = '\0';
    if(outlen)
      *outlen = n;
    return o;
  }
  spans_merge(&sp);
  struct buf out;
  buf_init(&out, 0);
  if(map) {
    map->v = sp.n ? xcalloc(sp.n, sizeof(*map->v)) : NULL;
    map->n = sp.n;
  }
  size_t pos = 0;
  for(size_t i = 0; i < sp.n; i++) {
    const struct span *x = &sp.v[i];
    buf_append(&out, s + pos, x->from - pos);
    size_t mfrom = out.len;
    buf_append(&out, s + x->from, x->reg ? 0 : x->keep);
    buf_appendz(&out, MASK_STARS);
    if(map)
      map->v[i] = (struct mask_move){x->from, x->to, mfrom, out.len};
    pos = x->to;
  }
  buf_append(&out, s + pos, n - pos);
  free(sp.v);
  if(outlen)
    *outlen = out.len;
  if(!out.data)
    return xstrdup("");
  return buf_steal(&out);
}

char *mask_str(const struct wd_mask *m, const char *s)
{
  return s ? mask_text(m, s, strlen(s), NULL, NULL) : NULL;
}

/* ---- the memo (struct mask_cache) -------------------------------------- */

/* The memo's hash: eight bytes a step (str_hash's FNV takes one). */
static unsigned long long mc_hash(const char *s, size_t n)
{
  unsigned long long h = 0x9e3779b97f4a7c15ULL ^ n, w;
  size_t i = 0;
  for(; i + 8 <= n; i += 8) {
    memcpy(&w, s + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  w = 0;
  memcpy(&w, s + i, n - i);
  h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
  return h ^ (h >> 29);
}

void mask_cache_init(struct mask_cache *c)
{
  memset(c, 0, sizeof(*c));
}

static void mask_cache_empty(struct mask_cache *c)
{
  for(size_t i = 0; i < c->cap; i++) {
    free(c->v[i].in);
    free(c->v[i].out);
  }
  if(c->cap)
    memset(c->v, 0, c->cap * sizeof(*c->v));
  c->n = 0;
  c->bytes = 0;
}

void mask_cache_cleanup(struct mask_cache *c)
{
  mask_cache_empty(c);
  free(c->v);
  memset(c, 0, sizeof(*c));
}

char *mask_str_cached(const struct wd_mask *m, struct mask_cache *c, const char *s)
{
  if(!c || !s)
    return mask_str(m, s);
  size_t n = strlen(s);
  if(n > MASK_CACHE_MAX_LEN)
    return mask_text(m, s, n, NULL, NULL);
  /* Entries made with another mask, or before a value was registered,
   * may differ from what mask_text gives now. */
  unsigned long long gen = m ? m->gen : 0;
  if(c->m != m || c->gen != gen) {
    mask_cache_empty(c);
    c->m = m;
    c->gen = gen;
  }
  unsigned long long h = mc_hash(s, n);
  size_t i = 0;
  if(c->cap) {
    for(i = (size_t)h & (c->cap - 1); c->v[i].in; i = (i + 1) & (c->cap - 1))
      if(c->v[i].h == h && c->v[i].inlen == n && memcmp(c->v[i].in, s, n) == 0) {
        c->hits++;
        return xstrdup(c->v[i].out);
      }
  }
  c->misses++;
  size_t ol;
  char *out = mask_text(m, s, n, &ol, NULL);
  if(c->n + 1 > MASK_CACHE_MAX || c->bytes + n + ol > MASK_CACHE_MAX_BYTES)
    mask_cache_empty(c);
  if(2 * (c->n + 1) > c->cap) {
    /* Kept at most half full: grown (256 slots first, 2 * MASK_CACHE_MAX
     * at most) by moving every entry to the larger table. */
    size_t ncap = c->cap ? 2 * c->cap : 256;
    struct mask_cache_ent *nv = xcalloc(ncap, sizeof(*nv));
    for(size_t k = 0; k < c->cap; k++) {
      if(!c->v[k].in)
        continue;
      size_t j = (size_t)c->v[k].h & (ncap - 1);
      while(nv[j].in)
        j = (j + 1) & (ncap - 1);
      nv[j] = c->v[k];
    }
    free(c->v);
    c->v = nv;
    c->cap = ncap;
  }
  for(i = (size_t)h & (c->cap - 1); c->v[i].in; i = (i + 1) & (c->cap - 1))
    ;
  c->v[i] = (struct mask_cache_ent){xstrndup(s, n), xstrndup(out, ol), n, h};
  c->n++;
  c->bytes += n + ol;
  return out;
}

void mask_inplace(const struct wd_mask *m, char **s)
{
  if(!*s)
    return;
  char *t = mask_str(m, *s);
  free(*s);
  *s = t;
}

size_t mask_map_off(const struct mask_map *map, size_t off)
{
  long long shift = 0;
  for(size_t i = 0; i < map->n; i++) {
    const struct mask_move *v = &map->v[i];
    if(off < v->from)
      break;
    if(off < v->to)
      return v->mfrom;
    shift = (long long)v->mto - (long long)v->to;
  }
  return (size_t)((long long)off + shift);
}

void mask_map_free(struct mask_map *map)
{
  free(map->v);
  map->v = NULL;
  map->n = 0;
}

/* A value worth hiding wherever it appears: two kinds of character at
 * least (lower, upper, digit, other), so that a plain word or a path
 * ("key": "/registry") does not blank out every later mention of it. */
static int looks_random(const char *s, size_t n)
{
  int lo = 0, upc = 0, dg = 0, ot = 0;
  for(size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if(c >= 'a' && c <= 'z')
      lo = 1;
    else if(c >= 'A' && c <= 'Z')
      upc = 1;
    else if(is_dig(c))
      dg = 1;
    else if(!strchr("/.-_", c))
      ot = 1;
  }
  return lo + upc + dg + ot >= 2;
}

int mask_is_secret_name(const char *name, size_t n)
{
  return secret_name(name, n);
}

size_t mask_find(const char *s, size_t n, struct mask_found *out, size_t max)
{
  struct spans sp = {NULL, 0, 0};
  find_webhooks(s, n, &sp);
  find_formats(s, n, &sp);
  find_aws_secret(s, n, &sp);
  find_pem(s, n, &sp);
  find_userinfo(s, n, &sp);
  if(sp.n > 1)
    qsort(sp.v, sp.n, sizeof(*sp.v), span_cmp);
  size_t k = 0;
  for(size_t i = 0; i < sp.n; i++) {
    if(!sp.v[i].kind)
      continue;
    if(k < max)
      out[k] = (struct mask_found){sp.v[i].from, sp.v[i].to, sp.v[i].kind};
    k++;
  }
  free(sp.v);
  return k;
}

size_t mask_detect(const char *s, size_t n)
{
  struct spans sp = {NULL, 0, 0};
  find_detected(s, n, &sp);
  free(sp.v);
  return sp.n;
}

void mask_learn(struct wd_mask *m, const char *s, size_t n)
{
  struct spans sp = {NULL, 0, 0};
  find_detected(s, n, &sp);
  for(size_t i = 0; i < sp.n && m->nlearned < MASK_MAX_LEARNED; i++) {
    const struct span *x = &sp.v[i];
    if(x->to - x->from < MASK_MIN_LEARNED || !looks_random(s + x->from, x->to - x->from))
      continue;
    size_t before = m->n;
    mask_add1(m, s + x->from, x->to - x->from);
    m->nlearned += m->n - before;
  }
  free(sp.v);
}

char *mask_value(const char *s, size_t n)
{
  size_t k = fmt_prefix(s, n);
  char *o = xmalloc(k + sizeof(MASK_STARS));
  memcpy(o, s, k);
  memcpy(o + k, MASK_STARS, sizeof(MASK_STARS));
  return o;
}
