/*
 * net_fetch.c - one POST outside any scan (net_fetch.h).
 */
#include "net_fetch.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"
#include "../core/core_buf.h"

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
  CURL *c = curl_easy_init();
  if(!c) {
    snprintf(err, errlen, "%s: cannot start libcurl", url);
    return -1;
  }
  char *eu = curl_easy_escape(c, user ? user : "", 0);
  char *ep = curl_easy_escape(c, pass ? pass : "", 0);
  struct buf b;
  buf_init(&b, FETCH_MAX_BODY + 1);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
  curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
  curl_easy_setopt(c, CURLOPT_USERNAME, eu ? eu : "");
  curl_easy_setopt(c, CURLOPT_PASSWORD, ep ? ep : "");
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, o->timeout_ms > 0 ? o->timeout_ms : 10000L);
  if(o->connect_timeout_ms > 0)
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
  curl_easy_setopt(c, CURLOPT_PROXY, o->proxy ? o->proxy : "");
  if(o->user_agent)
    curl_easy_setopt(c, CURLOPT_USERAGENT, o->user_agent);
  if(o->cacert)
    curl_easy_setopt(c, CURLOPT_CAINFO, o->cacert);
  if(o->insecure) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if(o->cert && o->key) {
    curl_easy_setopt(c, CURLOPT_SSLCERT, o->cert);
    curl_easy_setopt(c, CURLOPT_SSLKEY, o->key);
  }
  CURLcode rc = curl_easy_perform(c);
  long status = -1;
  if(rc != CURLE_OK) {
    snprintf(err, errlen, "%s: %s", url,
             rc == CURLE_WRITE_ERROR ? "answer larger than 256 KiB" : curl_easy_strerror(rc));
  } else {
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    *body = b.data ? b.data : xstrdup(""); /* buf keeps data NUL-terminated */
    b.data = NULL;
  }
  buf_cleanup(&b);
  curl_free(eu);
  curl_free(ep);
  curl_easy_cleanup(c);
  return status;
}
