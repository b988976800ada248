/*
 * net_fetch.c - one POST outside any scan (net_fetch.h).
 */
#include "net_fetch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"
#include "net_curl_load.h"

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
  struct buf *b = ctx;
  size_t len = size * n;
  if(b->len + len > FETCH_MAX_BODY)
    return 0; /* too big: the transfer fails */
  buf_append(b, data, len);
  return len;
}

long http_post_form(const struct http_opts *o, const char *url, const char *form,
                    const char *user, const char *pass, char **body, char *err,
                    size_t errlen)
{
  *body = NULL;
  const struct net_curl *cu = net_curl(err, errlen);
  if(!cu)
    return -1;
  CURL *c = cu->easy_init();
  if(!c) {
    snprintf(err, errlen, "%s: cannot start libcurl", url);
    return -1;
  }
  char *eu = cu->easy_escape(c, user ? user : "", 0);
  char *ep = cu->easy_escape(c, pass ? pass : "", 0);
  struct buf b;
  buf_init(&b, FETCH_MAX_BODY + 1);
  net_setopt_str(c, CURLOPT_URL, url);
  net_setopt_str(c, CURLOPT_PROTOCOLS_STR, "http,https");
  net_setopt_long(c, CURLOPT_FOLLOWLOCATION, 0L);
  net_setopt_long(c, CURLOPT_NOSIGNAL, 1L);
  net_setopt_ptr(c, CURLOPT_POSTFIELDS, form);
  net_setopt_long(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
  net_setopt_str(c, CURLOPT_USERNAME, eu ? eu : "");
  net_setopt_str(c, CURLOPT_PASSWORD, ep ? ep : "");
  net_setopt_write(c, CURLOPT_WRITEFUNCTION, on_body);
  net_setopt_ptr(c, CURLOPT_WRITEDATA, &b);
  net_setopt_long(c, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 10000L);
  if(o->connect_timeout_ms > 0)
    net_setopt_long(c, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
  net_setopt_str(c, CURLOPT_PROXY, o->proxy ? o->proxy : "");
  if(o->user_agent)
    net_setopt_str(c, CURLOPT_USERAGENT, o->user_agent);
  if(o->cacert)
    net_setopt_str(c, CURLOPT_CAINFO, o->cacert);
  if(o->insecure) {
    net_setopt_long(c, CURLOPT_SSL_VERIFYPEER, 0L);
    net_setopt_long(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if(o->cert && o->key) {
    net_setopt_str(c, CURLOPT_SSLCERT, o->cert);
    net_setopt_str(c, CURLOPT_SSLKEY, o->key);
  }
  CURLcode rc = cu->easy_perform(c);
  long status = -1;
  if(rc != CURLE_OK) {
    snprintf(err, errlen, "%s: %s", url,
             rc == CURLE_WRITE_ERROR ? "answer larger than 256 KiB" : cu->easy_strerror(rc));
  } else {
    net_getinfo_long(c, CURLINFO_RESPONSE_CODE, &status);
    *body = b.data ? b.data : xstrdup(""); /* buf keeps data NUL-terminated */
    b.data = NULL;
  }
  buf_cleanup(&b);
  cu->free(eu);
  cu->free(ep);
  cu->easy_cleanup(c);
  return status;
}
