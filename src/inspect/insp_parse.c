/*
 * insp_parse.c - parsers for /proc and /sys text and for a token's claims.
 * See insp_parse.h for the contract: bytes in, "unknown" for anything the
 * data does not clearly say.
 */
#include "insp_parse.h"

#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_b64.h"

/* Walks complete lines: sets *line and *len to the next line that ends
 * in '\n' (without it). Returns 0 when no complete line is left, so a
 * truncated tail is never seen by a parser. */
static int parse_next_line(const char *data, size_t n, size_t *pos,
                           const char **line, size_t *len)
{
  if(*pos >= n)
    return 0;
  const char *s = data + *pos;
  const char *nl = memchr(s, '\n', n - *pos);
  if(!nl)
    return 0;
  *line = s;
  *len = (size_t)(nl - s);
  *pos += *len + 1;
  return 1;
}

static int parse_is_space(char c)
{
  return c == ' ' || c == '\t';
}

/* Reads an unsigned decimal from s[*i..n); -1 if there is none or it
 * overflows a long long's worth of digits. */
static long long parse_dec(const char *s, size_t n, size_t *i)
{
  size_t j = *i;
  unsigned long long v = 0;
  while(j < n && s[j] >= '0' && s[j] <= '9') {
    if(v > 922337203685477580ULL)
      return -1;
    v = v * 10 + (unsigned)(s[j] - '0');
    j++;
  }
  if(j == *i || v > 9223372036854775807ULL)
    return -1;
  *i = j;
  return (long long)v;
}

/* A capability set is exactly 16 hex digits; anything shorter was cut. */
static int parse_caphex(const char *s, size_t n, unsigned long long *out)
{
  size_t i = 0;
  while(i < n && parse_is_space(s[i]))
    i++;
  if(n - i != 16)
    return -1;
  unsigned long long v = 0;
  for(; i < n; i++) {
    char c = s[i];
    unsigned d;
    if(c >= '0' && c <= '9')
      d = (unsigned)(c - '0');
    else if(c >= 'a' && c <= 'f')
      d = (unsigned)(c - 'a' + 10);
    else if(c >= 'A' && c <= 'F')
      d = (unsigned)(c - 'A' + 10);
    else
      return -1;
    v = v << 4 | d;
  }
  *out = v;
  return 0;
}

/* Parses up to max whitespace-separated decimals filling the whole rest of
 * the line; returns how many, or -1 on anything else. */
static int parse_dec_list(const char *s, size_t n, long *out, size_t max)
{
  size_t i = 0, k = 0;
  for(;;) {
    while(i < n && parse_is_space(s[i]))
      i++;
    if(i >= n)
      break;
    long long v = parse_dec(s, n, &i);
    if(v < 0 || v > 0xffffffffLL)
      return -1;
    if(k < max)
      out[k] = (long)v;
    k++;
    if(i < n && !parse_is_space(s[i]))
      return -1;
  }
  return (int)(k > max ? max : k);
}

static const struct {
  const char *key;
  unsigned bit;
} status_caps[] = {
  {"CapInh:", INSP_ST_CAPINH}, {"CapPrm:", INSP_ST_CAPPRM},
  {"CapEff:", INSP_ST_CAPEFF}, {"CapBnd:", INSP_ST_CAPBND},
  {"CapAmb:", INSP_ST_CAPAMB},
};

int insp_parse_status(const char *data, size_t n, struct insp_status *st)
{
  memset(st, 0, sizeof(*st));
  st->seccomp = -1;
  st->seccomp_filters = -1;
  st->no_new_privs = -1;
  for(int i = 0; i < 4; i++)
    st->uid[i] = st->gid[i] = -1;
  size_t pos = 0, len;
  const char *l;
  int found = 0;
  while(parse_next_line(data, n, &pos, &l, &len)) {
    const char *colon = memchr(l, ':', len);
    if(!colon)
      continue;
    size_t klen = (size_t)(colon - l) + 1;
    const char *v = colon + 1;
    size_t vlen = len - klen;
    for(size_t i = 0; i < sizeof(status_caps) / sizeof(status_caps[0]); i++) {
      if(klen != strlen(status_caps[i].key) || memcmp(l, status_caps[i].key, klen))
        continue;
      unsigned long long *dst[] = {&st->cap_inh, &st->cap_prm, &st->cap_eff,
                                   &st->cap_bnd, &st->cap_amb};
      if(!(st->known & status_caps[i].bit) && parse_caphex(v, vlen, dst[i]) == 0) {
        st->known |= status_caps[i].bit;
        found++;
      }
    }
    long tmp[4];
    if(klen == 8 && memcmp(l, "Seccomp:", 8) == 0) {
      if(parse_dec_list(v, vlen, tmp, 1) == 1 && tmp[0] <= 2 &&
         !(st->known & INSP_ST_SECCOMP)) {
        st->seccomp = (int)tmp[0];
        st->known |= INSP_ST_SECCOMP;
        found++;
      }
    } else if(klen == 16 && memcmp(l, "Seccomp_filters:", 16) == 0) {
      if(parse_dec_list(v, vlen, tmp, 1) == 1 && !(st->known & INSP_ST_FILTERS)) {
        st->seccomp_filters = tmp[0];
        st->known |= INSP_ST_FILTERS;
        found++;
      }
    } else if(klen == 11 && memcmp(l, "NoNewPrivs:", 11) == 0) {
      if(parse_dec_list(v, vlen, tmp, 1) == 1 && tmp[0] <= 1 &&
         !(st->known & INSP_ST_NNP)) {
        st->no_new_privs = (int)tmp[0];
        st->known |= INSP_ST_NNP;
        found++;
      }
    } else if(klen == 4 && (memcmp(l, "Uid:", 4) == 0 || memcmp(l, "Gid:", 4) == 0)) {
      int uid = l[0] == 'U';
      unsigned bit = uid ? INSP_ST_UID : INSP_ST_GID;
      if(!(st->known & bit) && parse_dec_list(v, vlen, tmp, 4) == 4) {
        memcpy(uid ? st->uid : st->gid, tmp, sizeof(tmp));
        st->known |= bit;
        found++;
      }
    } else if(klen == 7 && memcmp(l, "Groups:", 7) == 0) {
      int k = parse_dec_list(v, vlen, st->groups, INSP_MAX_GROUPS);
      if(k >= 0 && !(st->known & INSP_ST_GROUPS)) {
        st->ngroups = (size_t)k;
        st->known |= INSP_ST_GROUPS;
        found++;
      }
    }
  }
  return found;
}

/* Copies one space-separated field, decoding the kernel's octal escapes
 * (\040 space, \011 tab, \012 newline, \134 backslash). */
static char *parse_field_unescape(const char *s, size_t n)
{
  char *out = xmalloc(n + 1);
  size_t o = 0;
  for(size_t i = 0; i < n; i++) {
    if(s[i] == '\\' && i + 3 < n && s[i + 1] >= '0' && s[i + 1] <= '3' &&
       s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' &&
       s[i + 3] <= '7') {
      int c = (s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0');
      out[o++] = c ? (char)c : '?';
      i += 3;
    } else {
      out[o++] = s[i] ? s[i] : '?';
    }
  }
  out[o] = '\0';
  return out;
}

/* Splits a line into at most max space-separated fields. */
static size_t parse_split(const char *l, size_t len, const char **f,
                          size_t *fl, size_t max)
{
  size_t k = 0, i = 0;
  while(i < len && k < max) {
    while(i < len && l[i] == ' ')
      i++;
    if(i >= len)
      break;
    size_t s = i;
    while(i < len && l[i] != ' ')
      i++;
    f[k] = l + s;
    fl[k] = i - s;
    k++;
  }
  return k;
}

static int parse_opt_has(const char *opts, size_t n, const char *opt)
{
  size_t ol = strlen(opt), i = 0;
  while(i <= n) {
    size_t s = i;
    while(i < n && opts[i] != ',')
      i++;
    if(i - s == ol && memcmp(opts + s, opt, ol) == 0)
      return 1;
    i++;
  }
  return 0;
}

static int parse_int_field(const char *s, size_t n, int *out)
{
  size_t i = 0;
  long long v = parse_dec(s, n, &i);
  if(v < 0 || i != n || v > 0x7fffffff)
    return -1;
  *out = (int)v;
  return 0;
}

size_t insp_parse_mountinfo(const char *data, size_t n, struct insp_mounts *m)
{
  memset(m, 0, sizeof(*m));
  size_t pos = 0, len;
  const char *l;
  while(parse_next_line(data, n, &pos, &l, &len)) {
    /* id parent maj:min root mountpoint opts [optional...] - fstype
     * source superopts */
    const char *f[64];
    size_t fl[64];
    size_t k = parse_split(l, len, f, fl, 64);
    size_t dash = 0;
    for(size_t i = 6; i < k; i++)
      if(fl[i] == 1 && f[i][0] == '-') {
        dash = i;
        break;
      }
    struct insp_mount x;
    memset(&x, 0, sizeof(x));
    if(k < 10 || !dash || dash + 3 > k || m->n >= INSP_MAX_MOUNTS ||
       parse_int_field(f[0], fl[0], &x.id) ||
       parse_int_field(f[1], fl[1], &x.parent) ||
       fl[3] == 0 || fl[4] == 0 || f[4][0] != '/') {
      m->bad++;
      continue;
    }
    if(fl[2] < sizeof(x.dev))
      memcpy(x.dev, f[2], fl[2]);
    x.root = parse_field_unescape(f[3], fl[3]);
    x.mountpoint = parse_field_unescape(f[4], fl[4]);
    x.ro = parse_opt_has(f[5], fl[5], "ro");
    x.fstype = parse_field_unescape(f[dash + 1], fl[dash + 1]);
    x.source = parse_field_unescape(f[dash + 2], fl[dash + 2]);
    x.superopts = dash + 3 < k ? parse_field_unescape(f[dash + 3], fl[dash + 3])
                               : xstrdup("");
    x.super_ro = dash + 3 < k && parse_opt_has(f[dash + 3], fl[dash + 3], "ro");
    m->v = xgrow(m->v, &m->cap, m->n + 1, sizeof(*m->v));
    m->v[m->n++] = x;
  }
  return m->n;
}

void insp_mounts_cleanup(struct insp_mounts *m)
{
  for(size_t i = 0; i < m->n; i++) {
    free(m->v[i].root);
    free(m->v[i].mountpoint);
    free(m->v[i].fstype);
    free(m->v[i].source);
    free(m->v[i].superopts);
  }
  free(m->v);
  memset(m, 0, sizeof(*m));
}

size_t insp_parse_cgroup(const char *data, size_t n, struct insp_cgroups *c)
{
  memset(c, 0, sizeof(*c));
  size_t pos = 0, len;
  const char *l;
  while(parse_next_line(data, n, &pos, &l, &len)) {
    /* hierarchy-id:controller-list:path; the path may itself hold ':'. */
    const char *c1 = memchr(l, ':', len);
    const char *c2 = c1 ? memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - l)) : NULL;
    size_t i = 0;
    long long h = c1 ? parse_dec(l, (size_t)(c1 - l), &i) : -1;
    if(!c2 || h < 0 || i != (size_t)(c1 - l) || c2 + 1 >= l + len ||
       c2[1] != '/' || c->n >= INSP_MAX_CGROUPS) {
      c->bad++;
      continue;
    }
    struct insp_cgroup x;
    x.hier = (long)h;
    x.controllers = xstrndup(c1 + 1, (size_t)(c2 - c1 - 1));
    x.path = xstrndup(c2 + 1, (size_t)(l + len - c2 - 1));
    c->v = xgrow(c->v, &c->cap, c->n + 1, sizeof(*c->v));
    c->v[c->n++] = x;
  }
  return c->n;
}

void insp_cgroups_cleanup(struct insp_cgroups *c)
{
  for(size_t i = 0; i < c->n; i++) {
    free(c->v[i].controllers);
    free(c->v[i].path);
  }
  free(c->v);
  memset(c, 0, sizeof(*c));
}

size_t insp_parse_idmap(const char *data, size_t n, struct insp_idmap *m)
{
  memset(m, 0, sizeof(*m));
  size_t pos = 0, len;
  const char *l;
  while(parse_next_line(data, n, &pos, &l, &len)) {
    long long v[3];
    size_t i = 0;
    int k;
    for(k = 0; k < 3; k++) {
      while(i < len && parse_is_space(l[i]))
        i++;
      v[k] = parse_dec(l, len, &i);
      if(v[k] < 0 || v[k] > 0xffffffffLL)
        break;
    }
    while(i < len && parse_is_space(l[i]))
      i++;
    if(k < 3 || i != len || v[2] == 0 || m->n >= INSP_MAX_IDMAP) {
      m->bad++;
      continue;
    }
    m->inside[m->n] = (unsigned long long)v[0];
    m->outside[m->n] = (unsigned long long)v[1];
    m->count[m->n] = (unsigned long long)v[2];
    m->n++;
  }
  return m->n;
}

long long insp_idmap_outside(const struct insp_idmap *m, unsigned long long id)
{
  for(size_t i = 0; i < m->n; i++)
    if(id >= m->inside[i] && id - m->inside[i] < m->count[i])
      return (long long)(m->outside[i] + (id - m->inside[i]));
  return -1;
}

int insp_idmap_is_initial(const struct insp_idmap *m)
{
  return m->n == 1 && m->bad == 0 && m->inside[0] == 0 && m->outside[0] == 0 &&
         m->count[0] == 4294967295ULL;
}

int insp_parse_kver(const char *s, size_t n, int v[3])
{
  size_t i = 0;
  v[0] = v[1] = v[2] = 0;
  for(int k = 0; k < 3; k++) {
    long long x = parse_dec(s, n, &i);
    if(x < 0 || x > 100000) {
      if(k < 2)
        return -1;
      break;
    }
    v[k] = (int)x;
    if(k < 2) {
      if(i >= n || s[i] != '.') {
        if(k == 0)
          return -1;
        break;
      }
      i++;
    }
  }
  return 0;
}

unsigned long long insp_parse_nslink(const char *s, size_t n)
{
  const char *b = memchr(s, '[', n);
  if(!b)
    return 0;
  size_t i = (size_t)(b - s) + 1;
  long long v = parse_dec(s, n, &i);
  if(v <= 0 || i + 1 != n || s[i] != ']')
    return 0;
  return (unsigned long long)v;
}

long insp_b64url_decode(const char *in, size_t n, unsigned char *out,
                        size_t outsz)
{
  return b64_decode(in, n, out, outsz, 1);
}

/* The JSON skipper: just enough of RFC 8259 to step over any value. */
struct js {
  const char *s;
  size_t n, i;
};

static void js_ws(struct js *j)
{
  while(j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
                        j->s[j->i] == '\n' || j->s[j->i] == '\r'))
    j->i++;
}

static int js_hex(char c)
{
  if(c >= '0' && c <= '9')
    return c - '0';
  if(c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if(c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads a string at j->i (which is '"'); copies it unescaped into out if
 * out is not NULL. Returns 0, or -1 if malformed. */
static int js_string(struct js *j, char *out, size_t outsz)
{
  size_t o = 0;
  j->i++;
  while(j->i < j->n) {
    char c = j->s[j->i++];
    if(c == '"') {
      if(out && outsz)
        out[o < outsz ? o : outsz - 1] = '\0';
      return 0;
    }
    if((unsigned char)c < 0x20)
      return -1;
    if(c == '\\') {
      if(j->i >= j->n)
        return -1;
      char e = j->s[j->i++];
      switch(e) {
      case '"': case '\\': case '/': c = e; break;
      case 'b': c = '\b'; break;
      case 'f': c = '\f'; break;
      case 'n': c = '\n'; break;
      case 'r': c = '\r'; break;
      case 't': c = '\t'; break;
      case 'u': {
        if(j->n - j->i < 4)
          return -1;
        int v = 0;
        for(int k = 0; k < 4; k++) {
          int h = js_hex(j->s[j->i + (size_t)k]);
          if(h < 0)
            return -1;
          v = v * 16 + h;
        }
        j->i += 4;
        c = v > 0 && v < 0x80 ? (char)v : '?';
        break;
      }
      default:
        return -1;
      }
    }
    if(out && o + 1 < outsz)
      out[o++] = c;
  }
  return -1;
}

static int js_value(struct js *j, int depth);

static int js_container(struct js *j, int depth, char close)
{
  j->i++;
  js_ws(j);
  if(j->i < j->n && j->s[j->i] == close) {
    j->i++;
    return 0;
  }
  for(;;) {
    js_ws(j);
    if(close == '}') {
      if(j->i >= j->n || j->s[j->i] != '"' || js_string(j, NULL, 0))
        return -1;
      js_ws(j);
      if(j->i >= j->n || j->s[j->i] != ':')
        return -1;
      j->i++;
    }
    if(js_value(j, depth + 1))
      return -1;
    js_ws(j);
    if(j->i >= j->n)
      return -1;
    if(j->s[j->i] == ',') {
      j->i++;
      continue;
    }
    if(j->s[j->i] == close) {
      j->i++;
      return 0;
    }
    return -1;
  }
}

static int js_value(struct js *j, int depth)
{
  if(depth > 32)
    return -1;
  js_ws(j);
  if(j->i >= j->n)
    return -1;
  char c = j->s[j->i];
  if(c == '"')
    return js_string(j, NULL, 0);
  if(c == '{')
    return js_container(j, depth, '}');
  if(c == '[')
    return js_container(j, depth, ']');
  size_t s = j->i;
  while(j->i < j->n && (j->s[j->i] == '-' || j->s[j->i] == '+' ||
                        j->s[j->i] == '.' ||
                        (j->s[j->i] >= '0' && j->s[j->i] <= '9') ||
                        (j->s[j->i] >= 'a' && j->s[j->i] <= 'z') ||
                        (j->s[j->i] >= 'A' && j->s[j->i] <= 'Z')))
    j->i++;
  return j->i > s ? 0 : -1;
}

int insp_json_get(const char *js, size_t n, const char *key, char *out,
                  size_t outsz)
{
  if(outsz)
    out[0] = '\0';
  struct js j = {js, n, 0};
  js_ws(&j);
  if(j.i >= n || js[j.i] != '{')
    return -1;
  j.i++;
  char k[128];
  for(;;) {
    js_ws(&j);
    if(j.i < n && js[j.i] == '}')
      return 0;
    if(j.i >= n || js[j.i] != '"' || js_string(&j, k, sizeof(k)))
      return -1;
    js_ws(&j);
    if(j.i >= n || js[j.i] != ':')
      return -1;
    j.i++;
    js_ws(&j);
    if(j.i >= n)
      return -1;
    if(strcmp(k, key) == 0) {
      char c = js[j.i];
      if(c == '"')
        return js_string(&j, out, outsz) ? -1 : 1;
      if(c == '{' || c == '[')
        return 0;
      size_t s = j.i;
      if(js_value(&j, 0))
        return -1;
      size_t l = j.i - s;
      if(outsz) {
        if(l >= outsz)
          l = outsz - 1;
        memcpy(out, js + s, l);
        out[l] = '\0';
      }
      return 2;
    }
    if(js_value(&j, 0))
      return -1;
    js_ws(&j);
    if(j.i < n && js[j.i] == ',') {
      j.i++;
      continue;
    }
    if(j.i < n && js[j.i] == '}')
      return 0;
    return -1;
  }
}

static long long jwt_num(const char *s)
{
  char *end;
  long long v = strtoll(s, &end, 10);
  return end != s ? v : 0;
}

/* Copies [s, s+n) into dst (size dsz), terminated. */
static void jwt_copy(char *dst, size_t dsz, const char *s, size_t n)
{
  if(n >= dsz)
    n = dsz - 1;
  memcpy(dst, s, n);
  dst[n] = '\0';
}

int insp_jwt_claims(const char *tok, size_t n, struct insp_jwt *out)
{
  memset(out, 0, sizeof(*out));
  while(n > 0 && (tok[n - 1] == '\n' || tok[n - 1] == '\r' || tok[n - 1] == ' '))
    n--;
  const char *d1 = memchr(tok, '.', n);
  if(!d1)
    return -1;
  const char *p = d1 + 1;
  const char *d2 = memchr(p, '.', n - (size_t)(p - tok));
  if(!d2 || d2 == p)
    return -1;
  size_t plen = (size_t)(d2 - p);
  if(plen > 16384)
    return -1;
  unsigned char *json = xmalloc(plen);
  long jl = insp_b64url_decode(p, plen, json, plen);
  char v[256];
  int rc = -1;
  if(jl <= 0)
    goto out;
  const char *js = (const char *)json;
  size_t jn = (size_t)jl;
  if(insp_json_get(js, jn, "iss", out->iss, sizeof(out->iss)) < 0)
    goto out;
  out->ok = 1;
  insp_json_get(js, jn, "sub", out->sub, sizeof(out->sub));
  if(insp_json_get(js, jn, "exp", v, sizeof(v)) == 2)
    out->exp = jwt_num(v);
  if(insp_json_get(js, jn, "iat", v, sizeof(v)) == 2)
    out->iat = jwt_num(v);
  /* Both bound and legacy tokens name the account in sub. */
  static const char pfx[] = "system:serviceaccount:";
  if(strncmp(out->sub, pfx, sizeof(pfx) - 1) == 0) {
    const char *a = out->sub + sizeof(pfx) - 1;
    const char *c = strchr(a, ':');
    if(c) {
      jwt_copy(out->ns, sizeof(out->ns), a, (size_t)(c - a));
      jwt_copy(out->sa, sizeof(out->sa), c + 1, strlen(c + 1));
    }
  }
  rc = 0;
out:
  free(json);
  return rc;
}

int insp_parse_net_unix(const char *data, size_t n)
{
  int r = 0;
  if(memmem(data, n, "/run/systemd/", 13) || memmem(data, n, "/run/user/", 10))
    r |= INSP_UNIX_HOST;
  if(memmem(data, n, "@/containerd-shim/", 18))
    r |= INSP_UNIX_SHIM;
  return r;
}
