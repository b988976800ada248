/*
 * net_fetch.h - one request outside any scan: the OAuth2 token endpoint
 * (RFC 6749 4.4, client credentials), fetched by the CLI before a scan
 * and again when the scan's token expires. No redirect is followed and
 * no environment proxy is read; the TLS and proxy options are the scan's.
 */
#ifndef WD_NET_FETCH_H
#define WD_NET_FETCH_H
#include <stddef.h>

#include "net_http.h"

/* Most bytes of a token endpoint's answer that are kept. */
#define FETCH_MAX_BODY (256 * 1024)

/* POSTs form (application/x-www-form-urlencoded) to url with HTTP Basic
 * user:pass (each form-urlencoded first, RFC 6749 2.3.1), using o's
 * cacert, insecure, cert/key, proxy, timeouts and user agent. Returns the
 * HTTP status with the body (NUL-terminated, at most FETCH_MAX_BODY) in
 * *body (the caller frees it), or -1 with the reason in err. */
long http_post_form(const struct http_opts *o, const char *url, const char *form,
                    const char *user, const char *pass, char **body, char *err,
                    size_t errlen);

#endif
