#include "net_url.h"

#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"

static void lower(char *s)
{
  for(; s && *s; s++)
    *s = (char)tolower((unsigned char)*s);
}

static char *url_get(CURLU *h, CURLUPart part, unsigned flags)
{
  char *v = NULL;
  if(curl_url_get(h, part, &v, flags) != CURLUE_OK)
    return NULL;
  char *copy = xstrdup(v);
  curl_free(v);
  return copy;
}

int url_parse(const char *url, struct url_parts *out, char *err, size_t errlen)
{
  memset(out, 0, sizeof(*out));
  CURLU *h = curl_url();
  if(!h) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  CURLUcode rc = curl_url_set(h, CURLUPART_URL, url, 0);
  /* libcurl normalises once: "http://2130706%33/" has host "21307063",
   * but that URL, read again, has host "1.69.30.183". Parse the
   * normalised form a second time so that url_parse(url_origin(u)) and
   * scope_allows() see the host the connection goes to (found by
   * fuzz_url: a target outside its own origin's scope). */
  char *norm = NULL;
  if(rc == CURLUE_OK && curl_url_get(h, CURLUPART_URL, &norm, 0) == CURLUE_OK) {
    rc = curl_url_set(h, CURLUPART_URL, norm, 0);
    curl_free(norm);
  }
  if(rc != CURLUE_OK) {
    snprintf(err, errlen, "%s", curl_url_strerror(rc));
    curl_url_cleanup(h);
    return -1;
  }
  out->scheme = url_get(h, CURLUPART_SCHEME, 0);
  out->host = url_get(h, CURLUPART_HOST, 0);
  char *port = url_get(h, CURLUPART_PORT, CURLU_DEFAULT_PORT);
  out->path = url_get(h, CURLUPART_PATH, 0);
  out->query = url_get(h, CURLUPART_QUERY, 0);
  curl_url_cleanup(h);
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
  CURLU *h = curl_url();
  if(!h)
    return NULL;
  char *out = NULL;
  if(curl_url_set(h, CURLUPART_URL, base, 0) == CURLUE_OK &&
     curl_url_set(h, CURLUPART_URL, ref, 0) == CURLUE_OK)
    out = url_get(h, CURLUPART_URL, 0);
  curl_url_cleanup(h);
  return out;
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

int scope_allows(const struct scope *s, const char *url)
{
  struct url_parts u;
  char err[128];
  if(url_parse(url, &u, err, sizeof(err)))
    return 0;
  int ok = 0;
  for(int i = 0; i < s->n && !ok; i++) {
    if(s->scheme[i] && strcmp(s->scheme[i], u.scheme))
      continue;
    if(strcmp(s->host[i], u.host))
      continue;
    if(s->port[i] && s->port[i] != u.port)
      continue;
    ok = 1;
  }
  url_parts_cleanup(&u);
  return ok;
}
