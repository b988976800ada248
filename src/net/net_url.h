/*
 * net_url.h - URL parsing and the scope lock.
 *
 * Every URL warden is about to request goes through scope_allows() first:
 * the scope is the scheme, host and port of the target, widened only by
 * --scope entries the user gave. Parsing is libcurl's URL API.
 */
#ifndef WD_NET_URL_H
#define WD_NET_URL_H
#include <stddef.h>

struct url_parts {
  char *scheme; /* lowercase: "http" or "https" */
  char *host;   /* lowercase; IPv6 without brackets */
  int port;     /* explicit or the scheme default */
  char *path;   /* starts with "/" */
  char *query;  /* without "?", or NULL */
};

/* Parses an absolute http(s) URL (with libcurl's URL API, loaded on the
 * first call: net_curl_load.h). On failure, libcurl that cannot be
 * loaded among them, returns -1 and writes a reason into err. */
int url_parse(const char *url, struct url_parts *out, char *err, size_t errlen);
void url_parts_cleanup(struct url_parts *u);
/* Resolves ref (absolute, or relative like "/x" or "../y") against base.
 * Returns a fresh normalised URL, or NULL if it cannot be resolved. */
char *url_resolve(const char *base, const char *ref);
/* 1 if p is a path that every URL parser reads back unchanged after an
 * origin: it starts with one '/', holds only unreserved characters
 * (RFC 3986: letters, digits, '-', '.', '_', '~') and '/', and no
 * segment starts with '.' (so no dot segment). url_parse(origin + p)
 * then has origin's scheme, host and port, the path p and no query
 * (tests/unit/test_url.c holds libcurl to it). */
int url_plain_path(const char *p);
/* "scheme://host:port" of a parsed URL; fresh string. */
char *url_origin(const struct url_parts *u);

/* The host a URL-like text names ("scheme://[user@]host[:port]/..."; a
 * spec server may hold "{variables}"), lowercased, without brackets for
 * IPv6, into out. Returns 1, or 0 when text names no host (a relative
 * URL, an empty or too long host). Never fails otherwise. */
int url_host_of(const char *text, char *out, size_t outlen);
/* Why host (as url_host_of gives it) looks like a non-production or
 * internal server: a loopback, private (RFC 1918, IPv6 unique-local),
 * link-local or shared (100.64/10) address, a name with a label such as
 * staging, dev, test, qa, uat, sandbox, preprod, internal, local, or an
 * internal suffix (.internal, .local, .lan, .corp, .intranet, .localhost,
 * .test, .localdomain, .home.arpa); NULL when none applies. A constant
 * string. */
const char *url_host_nonprod(const char *host);

#define SCOPE_MAX 16

struct scope {
  char *scheme[SCOPE_MAX];
  char *host[SCOPE_MAX];
  int port[SCOPE_MAX]; /* 0 = any port of that host */
  int n;
};

void scope_init(struct scope *s);
void scope_cleanup(struct scope *s);
/* Adds the origin of a target URL (scheme, host and port all pinned). */
int scope_add_url(struct scope *s, const struct url_parts *u);
/* Adds "host" or "host:port" from --scope (either scheme). */
int scope_add_spec(struct scope *s, const char *spec, char *err, size_t errlen);
/* 1 if url may be requested. */
int scope_allows(const struct scope *s, const char *url);
/* The same for a URL already read by url_parse (the scan parses each
 * request's URL once for the scope and its path). */
int scope_allows_parts(const struct scope *s, const struct url_parts *u);

#endif
