#include "net_url.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "net_curl_load.h"

static void lower(char *s)
{
  for(; s && *s; s++)
    *s = (char)tolower((unsigned char)*s);
}

static char *url_get(const struct net_curl *cu, CURLU *h, CURLUPart part, unsigned flags)
{
  char *v = NULL;
  if(cu->url_get(h, part, &v, flags) != CURLUE_OK)
    return NULL;
  char *copy = xstrdup(v);
  cu->free(v);
  return copy;
}

int url_parse(const char *url, struct url_parts *out, char *err, size_t errlen)
{
  memset(out, 0, sizeof(*out));
  const struct net_curl *cu = net_curl(err, errlen);
  if(!cu)
    return -1;
  CURLU *h = cu->url();
  if(!h) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  CURLUcode rc = cu->url_set(h, CURLUPART_URL, url, 0);
  /* libcurl normalises once: "http://2130706%33/" has host "21307063",
   * but that URL, read again, has host "1.69.30.183". Parse the
   * normalised form a second time so that url_parse(url_origin(u)) and
   * scope_allows() see the host the connection goes to (found by
   * fuzz_url: a target outside its own origin's scope). */
  char *norm = NULL;
  if(rc == CURLUE_OK && cu->url_get(h, CURLUPART_URL, &norm, 0) == CURLUE_OK) {
    rc = cu->url_set(h, CURLUPART_URL, norm, 0);
    cu->free(norm);
  }
  if(rc != CURLUE_OK) {
    snprintf(err, errlen, "%s", cu->url_strerror(rc));
    cu->url_cleanup(h);
    return -1;
  }
  out->scheme = url_get(cu, h, CURLUPART_SCHEME, 0);
  out->host = url_get(cu, h, CURLUPART_HOST, 0);
  char *port = url_get(cu, h, CURLUPART_PORT, CURLU_DEFAULT_PORT);
  out->path = url_get(cu, h, CURLUPART_PATH, 0);
  out->query = url_get(cu, h, CURLUPART_QUERY, 0);
  cu->url_cleanup(h);
  lower(out->scheme);
  lower(out->host);
  if(!out->scheme || (strcmp(out->scheme, "http") && strcmp(out->scheme, "https"))) {
    snprintf(err, errlen, "only http:// and https:// URLs can be scanned");
    free(port);
    url_parts_cleanup(out);
    return -1;
  }
  if(!out->host || !*out->host) {
    snprintf(err, errlen, "no host in URL");
    free(port);
    url_parts_cleanup(out);
    return -1;
  }
  /* libcurl decodes one layer of %-escapes per parse, so a host that
   * still holds a '%' is not a fixed point: it would name another host
   * each time the URL is read (found by fuzz_url). No DNS name or
   * address has one; refuse it. */
  if(strchr(out->host, '%')) {
    snprintf(err, errlen, "'%%' in the host name");
    free(port);
    url_parts_cleanup(out);
    return -1;
  }
  /* curl keeps IPv6 brackets in the host part; the scope compares bare
   * addresses so that [::1] and ::1 mean the same thing. */
  size_t hl = strlen(out->host);
  if(hl >= 2 && out->host[0] == '[' && out->host[hl - 1] == ']') {
    memmove(out->host, out->host + 1, hl - 2);
    out->host[hl - 2] = '\0';
  }
  out->port = port ? (int)strtol(port, NULL, 10) : 0;
  free(port);
  if(out->port <= 0 || out->port > 65535) {
    /* Port 0 would also mean "any port" to the scope. */
    snprintf(err, errlen, "no usable port in URL");
    url_parts_cleanup(out);
    return -1;
  }
  if(!out->path)
    out->path = xstrdup("/");
  return 0;
}

void url_parts_cleanup(struct url_parts *u)
{
  free(u->scheme);
  free(u->host);
  free(u->path);
  free(u->query);
  memset(u, 0, sizeof(*u));
}

char *url_resolve(const char *base, const char *ref)
{
  const struct net_curl *cu = net_curl(NULL, 0);
  if(!cu)
    return NULL;
  CURLU *h = cu->url();
  if(!h)
    return NULL;
  char *out = NULL;
  if(cu->url_set(h, CURLUPART_URL, base, 0) == CURLUE_OK &&
     cu->url_set(h, CURLUPART_URL, ref, 0) == CURLUE_OK)
    out = url_get(cu, h, CURLUPART_URL, 0);
  cu->url_cleanup(h);
  return out;
}

int url_plain_path(const char *p)
{
  if(p[0] != '/' || p[1] == '/' || strstr(p, "/."))
    return 0;
  for(; *p; p++) {
    unsigned char c = (unsigned char)*p;
    if(!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '-' || c == '.' || c == '_' || c == '~' || c == '/'))
      return 0;
  }
  return 1;
}

char *url_origin(const struct url_parts *u)
{
  int v6 = strchr(u->host, ':') != NULL;
  return xasprintf("%s://%s%s%s:%d", u->scheme, v6 ? "[" : "", u->host,
                   v6 ? "]" : "", u->port);
}

void scope_init(struct scope *s)
{
  memset(s, 0, sizeof(*s));
}

void scope_cleanup(struct scope *s)
{
  for(int i = 0; i < s->n; i++) {
    free(s->scheme[i]);
    free(s->host[i]);
  }
  memset(s, 0, sizeof(*s));
}

int scope_add_url(struct scope *s, const struct url_parts *u)
{
  if(s->n >= SCOPE_MAX)
    return -1;
  s->scheme[s->n] = xstrdup(u->scheme);
  s->host[s->n] = xstrdup(u->host);
  s->port[s->n] = u->port;
  s->n++;
  return 0;
}

int scope_add_spec(struct scope *s, const char *spec, char *err, size_t errlen)
{
  if(s->n >= SCOPE_MAX) {
    snprintf(err, errlen, "too many --scope entries (at most %d)", SCOPE_MAX);
    return -1;
  }
  char *url = xasprintf("http://%s/", spec);
  struct url_parts u;
  int rc = url_parse(url, &u, err, errlen);
  free(url);
  if(rc)
    return -1;
  /* A --scope entry without a port allows every port of the host. */
  int explicit_port = strrchr(spec, ':') && strrchr(spec, ']') < strrchr(spec, ':');
  s->scheme[s->n] = NULL;
  s->host[s->n] = xstrdup(u.host);
  s->port[s->n] = explicit_port ? u.port : 0;
  s->n++;
  url_parts_cleanup(&u);
  return 0;
}

int scope_allows_parts(const struct scope *s, const struct url_parts *u)
{
  for(int i = 0; i < s->n; i++) {
    if(s->scheme[i] && strcmp(s->scheme[i], u->scheme))
      continue;
    if(strcmp(s->host[i], u->host))
      continue;
    if(s->port[i] && s->port[i] != u->port)
      continue;
    return 1;
  }
  return 0;
}

int scope_allows(const struct scope *s, const char *url)
{
  struct url_parts u;
  char err[128];
  if(url_parse(url, &u, err, sizeof(err)))
    return 0;
  int ok = scope_allows_parts(s, &u);
  url_parts_cleanup(&u);
  return ok;
}

int url_host_of(const char *text, char *out, size_t outlen)
{
  if(!outlen)
    return 0;
  out[0] = '\0';
  const char *c = strstr(text, "://");
  if(!c)
    return 0;
  c += 3;
  /* The authority ends at the first '/', '?' or '#'; a user part ends at
   * its last '@'. */
  size_t alen = strcspn(c, "/?#");
  for(size_t i = alen; i > 0; i--)
    if(c[i - 1] == '@') {
      c += i;
      alen -= i;
      break;
    }
  size_t hlen;
  if(alen && c[0] == '[') {
    const char *e = memchr(c, ']', alen);
    if(!e)
      return 0;
    c++;
    hlen = (size_t)(e - c);
  } else {
    const char *e = memchr(c, ':', alen);
    hlen = e ? (size_t)(e - c) : alen;
  }
  if(!hlen || hlen >= outlen)
    return 0;
  for(size_t i = 0; i < hlen; i++)
    out[i] = (char)tolower((unsigned char)c[i]);
  out[hlen] = '\0';
  if(out[hlen - 1] == '.')
    out[hlen - 1] = '\0'; /* "host." is "host" */
  return out[0] != '\0';
}

static const char *nonprod_v4(const unsigned char a[4])
{
  if(a[0] == 127)
    return "a loopback address";
  if(a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168))
    return "a private address (RFC 1918)";
  if(a[0] == 169 && a[1] == 254)
    return "a link-local address";
  if(a[0] == 100 && (a[1] & 0xc0) == 64)
    return "a shared address (100.64.0.0/10)";
  if(a[0] == 0)
    return "an unspecified address";
  return NULL;
}

const char *url_host_nonprod(const char *host)
{
  unsigned char a[16];
  if(inet_pton(AF_INET, host, a) == 1)
    return nonprod_v4(a);
  if(inet_pton(AF_INET6, host, a) == 1) {
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    static const unsigned char loop[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    if(memcmp(a, mapped, 12) == 0)
      return nonprod_v4(a + 12);
    if(memcmp(a, loop, 16) == 0)
      return "a loopback address";
    if((a[0] & 0xfe) == 0xfc)
      return "a unique-local address (fc00::/7)";
    if(a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
      return "a link-local address";
    return NULL;
  }
  static const char *const suffixes[] = {
    ".internal", ".local", ".lan", ".corp", ".intranet", ".localhost", ".test",
    ".localdomain", ".home.arpa", ".private", NULL,
  };
  size_t n = strlen(host);
  for(int i = 0; suffixes[i]; i++) {
    size_t k = strlen(suffixes[i]);
    if(n > k && strcmp(host + n - k, suffixes[i]) == 0)
      return "an internal domain";
  }
  if(!strchr(host, '.'))
    return strcmp(host, "localhost") == 0 ? "a loopback name" : "a single-label (internal) name";
  /* Labels and their dash-separated words, trailing digits dropped:
   * "api-staging2.example.com" has "staging". */
  static const char *const words[] = {
    "staging", "stage", "stg", "dev", "devel", "develop", "development", "test", "testing",
    "qa", "uat", "sandbox", "preprod", "nonprod", "internal", "intranet",
    "local", "localhost", "corp", NULL,
  };
  for(const char *c = host; *c;) {
    size_t w = strcspn(c, ".-");
    size_t d = w;
    while(d && isdigit((unsigned char)c[d - 1]))
      d--;
    for(int i = 0; d && words[i]; i++)
      if(strlen(words[i]) == d && strncmp(c, words[i], d) == 0)
        return "a non-production name";
    c += w;
    if(*c)
      c++;
  }
  return NULL;
}
