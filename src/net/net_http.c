#include "net_http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "../core/core_alloc.h"
#include "../core/core_time.h"
#include "net_curl_load.h"
#include "net_limit.h"

struct http_engine {
  struct http_opts o;
  const struct net_curl *cu; /* libcurl's entry points (net_curl_load.h) */
  CURLM *multi;
  /* Idle easy handles, set up with the options every request shares
   * (http_setup_common). A handle whose last request was a plain GET or
   * HEAD is reused as it is: the next request sets only what differs
   * (http_setup_request). One that sent another method or a body is
   * reset and set up again first, so nothing of that request (its
   * method, its body pointer) can reach the next. */
  struct http_idle {
    CURL *c;
    int plain;
  } *pool;
  int npool;
  /* The list a request without one of its own sends: User-Agent and
   * Accept-Encoding as lines (unless the user's -H list names them),
   * then the user's -H list. As lines libcurl copies them into each
   * request as they are; set as options (CURLOPT_USERAGENT, and the
   * header CURLOPT_ACCEPT_ENCODING makes) it formats them again for
   * every request with its own printf: 4k instructions per request
   * (bench/scan/bench_bare "lines"). Owned. */
  struct curl_slist *base;
  int inflight;
  struct http_exchange *qhead, *qtail; /* waiting to start */
  double started;
  double next_slot;    /* rate limiter: earliest start of the next one */
  long sent;
  int stopped;         /* budget spent, or stopped by a signal */
  int signal;          /* the signal that stopped it, or 0 */
};

int http_global_init(char *err, size_t errlen)
{
  /* libcurl counts its initialisations itself (a call after the first
   * only adds one) and, built thread-safe (CURL_VERSION_THREADSAFE, from
   * 7.84), may be called from any thread: no flag of ours. It is the
   * first use of libcurl in a scan, so it is also where libcurl is
   * loaded (net_curl_load.h) and where failing to load it is said. */
  const struct net_curl *cu = net_curl(err, errlen);
  if(!cu)
    return -1;
  if(cu->global_init(CURL_GLOBAL_DEFAULT)) {
    snprintf(err, errlen, "libcurl could not be initialised");
    return -1;
  }
  return 0;
}

/* Whether the list has a line for the header called name ("Name:" sets
 * or removes it, "Name;" sends it empty: either way libcurl's own goes). */
static int http_names(const struct curl_slist *h, const char *name)
{
  size_t n = strlen(name);
  for(; h; h = h->next)
    if(!strncasecmp(h->data, name, n) && (h->data[n] == ':' || h->data[n] == ';'))
      return 1;
  return 0;
}

/* The Accept-Encoding value libcurl sends for CURLOPT_ACCEPT_ENCODING ""
 * (every encoding it decodes, in its order), or NULL when it decodes
 * none (it then sends "identity" itself). */
static char *http_all_encodings(void)
{
  const curl_version_info_data *v = net_curl_loaded()->version_info(CURLVERSION_NOW);
  struct buf b;
  buf_init(&b, 0);
  if(v->features & CURL_VERSION_LIBZ)
    buf_printf(&b, "deflate, gzip");
  if(v->features & CURL_VERSION_BROTLI)
    buf_printf(&b, "%sbr", b.len ? ", " : "");
  if(v->features & CURL_VERSION_ZSTD)
    buf_printf(&b, "%szstd", b.len ? ", " : "");
  if(!b.len) {
    buf_cleanup(&b);
    return NULL;
  }
  char *r = xstrdup(buf_str(&b));
  buf_cleanup(&b);
  return r;
}

struct curl_slist *http_list_add(struct curl_slist *l, const char *line)
{
  struct curl_slist *n = net_curl_loaded()->slist_append(l, line);
  if(!n)
    xoom(0);
  return n;
}

void http_list_free(struct curl_slist *l)
{
  if(l) /* a list exists only once libcurl made it */
    net_curl_loaded()->slist_free_all(l);
}

static struct curl_slist *http_base_headers(const struct http_opts *o)
{
  struct curl_slist *l = NULL;
  const char *ua = o->user_agent ? o->user_agent : "warden";
  if(*ua && !http_names(o->headers, "User-Agent")) {
    char *line = xasprintf("User-Agent: %s", ua);
    l = http_list_add(l, line);
    free(line);
  }
  char *enc = http_all_encodings();
  if(enc && !http_names(o->headers, "Accept-Encoding")) {
    char *line = xasprintf("Accept-Encoding: %s", enc);
    l = http_list_add(l, line);
    free(line);
  }
  free(enc);
  for(const struct curl_slist *h = o->headers; h; h = h->next)
    l = http_list_add(l, h->data);
  return l;
}

struct http_engine *http_engine_new(const struct http_opts *o, char *err,
                                    size_t errlen)
{
  if(http_global_init(err, errlen))
    return NULL;
  struct http_engine *e = xcalloc(1, sizeof(*e));
  e->o = *o;
  if(e->o.concurrency < 1)
    e->o.concurrency = 1;
  e->cu = net_curl_loaded();
  e->multi = e->cu->multi_init();
  if(!e->multi) {
    snprintf(err, errlen, "libcurl multi handle could not be created");
    free(e);
    return NULL;
  }
  net_multi_setopt_long(e->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
  net_multi_setopt_long(e->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                        (long)e->o.concurrency);
  net_multi_setopt_long(e->multi, CURLMOPT_MAXCONNECTS, (long)e->o.concurrency);
  e->base = http_base_headers(&e->o);
  e->pool = xcalloc((size_t)e->o.concurrency, sizeof(*e->pool));
  e->started = mono_now();
  e->next_slot = e->started;
  return e;
}

void http_engine_free(struct http_engine *e)
{
  if(!e)
    return;
  for(int i = 0; i < e->npool; i++)
    e->cu->easy_cleanup(e->pool[i].c);
  free(e->pool);
  http_list_free(e->base);
  e->cu->multi_cleanup(e->multi);
  free(e);
}

void http_exchange_init(struct http_exchange *x, const char *method,
                        char *url)
{
  memset(x, 0, sizeof(*x));
  x->method = method;
  x->url = url;
  buf_init(&x->body, 0);
  buf_init(&x->head, HTTP_HEADERS_CAP);
}

void http_exchange_cleanup(struct http_exchange *x)
{
  buf_cleanup(&x->body);
  buf_cleanup(&x->head);
}

static size_t http_on_body(char *p, size_t size, size_t n, void *ud)
{
  struct http_exchange *x = ud;
  size_t len = size * n;
  if(buf_append(&x->body, p, len) < 0)
    return 0; /* over the cap: abort the transfer, keep what we have */
  return len;
}

static size_t http_on_header(char *p, size_t size, size_t n, void *ud)
{
  struct http_exchange *x = ud;
  size_t len = size * n;
  /* Interim responses (100 Continue, a proxy's CONNECT answer) come
   * through here too; keep only the block of the last status line. */
  if(len >= 5 && memcmp(p, "HTTP/", 5) == 0)
    buf_reset(&x->head);
  buf_append(&x->head, p, len); /* capped; the rest is dropped */
  return len;
}

int http_method_has_body(const char *m)
{
  return !strcmp(m, "POST") || !strcmp(m, "PUT") || !strcmp(m, "PATCH");
}

/* A request libcurl's next transfer on the same handle needs nothing
 * undone after: GET or HEAD, without a body. */
static int http_plain(const struct http_exchange *x)
{
  return !strcmp(x->method, "GET") || !strcmp(x->method, "HEAD");
}

/* The options every request of this engine shares. */
static void http_setup_common(struct http_engine *e, CURL *c)
{
  const struct http_opts *o = &e->o;
  net_setopt_long(c, CURLOPT_NOSIGNAL, 1L);
  /* Only http and https, ever; redirects are the scan layer's to judge
   * against the scope, so libcurl never follows one. */
  net_setopt_str(c, CURLOPT_PROTOCOLS_STR, "http,https");
  net_setopt_long(c, CURLOPT_FOLLOWLOCATION, 0L);
  /* Empty string: every encoding libcurl can decode. The body callback
   * sees decoded bytes, so the cap also bounds a decompression bomb. */
  net_setopt_str(c, CURLOPT_ACCEPT_ENCODING, "");
  net_setopt_long(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
  net_setopt_long(c, CURLOPT_PIPEWAIT, 1L);
  net_setopt_long(c, CURLOPT_TIMEOUT_MS, o->timeout_ms);
  net_setopt_long(c, CURLOPT_CONNECTTIMEOUT_MS, o->connect_timeout_ms);
  net_setopt_write(c, CURLOPT_WRITEFUNCTION, http_on_body);
  net_setopt_write(c, CURLOPT_HEADERFUNCTION, http_on_header);
  net_setopt_long(c, CURLOPT_SSL_VERIFYPEER, o->insecure ? 0L : 1L);
  net_setopt_long(c, CURLOPT_SSL_VERIFYHOST, o->insecure ? 0L : 2L);
  if(o->cacert)
    net_setopt_str(c, CURLOPT_CAINFO, o->cacert);
  if(o->cert)
    net_setopt_str(c, CURLOPT_SSLCERT, o->cert);
  if(o->key)
    net_setopt_str(c, CURLOPT_SSLKEY, o->key);
  /* An explicit empty proxy stops libcurl from reading http_proxy from
   * the environment: warden's traffic goes where the user said. */
  net_setopt_str(c, CURLOPT_PROXY, o->proxy ? o->proxy : "");
  if(o->ip_family == 4)
    net_setopt_long(c, CURLOPT_IPRESOLVE, (long)CURL_IPRESOLVE_V4);
  else if(o->ip_family == 6)
    net_setopt_long(c, CURLOPT_IPRESOLVE, (long)CURL_IPRESOLVE_V6);
}

/* An easy handle set up for x: an idle one reused as it is when its
 * last request was plain and x is plain too, else reset (or new) and
 * set up again. */
static CURL *http_easy_take(struct http_engine *e, const struct http_exchange *x)
{
  if(e->npool > 0) {
    struct http_idle *h = &e->pool[--e->npool];
    if(!h->plain || !http_plain(x)) {
      e->cu->easy_reset(h->c);
      http_setup_common(e, h->c);
    }
    return h->c;
  }
  CURL *c = e->cu->easy_init();
  if(c)
    http_setup_common(e, c);
  return c;
}

static void http_easy_give(struct http_engine *e, CURL *c, const struct http_exchange *x)
{
  if(e->npool < e->o.concurrency) {
    e->pool[e->npool].c = c;
    e->pool[e->npool++].plain = http_plain(x);
  } else {
    e->cu->easy_cleanup(c);
  }
}

/* What differs from one request to the next. Every option a plain
 * request sets here is set by every request, so a reused handle carries
 * nothing of the previous one (its URL, its headers, its exchange). */
static void http_setup_request(struct http_engine *e, CURL *c, struct http_exchange *x)
{
  net_setopt_str(c, CURLOPT_URL, x->url);
  net_setopt_ptr(c, CURLOPT_PRIVATE, x);
  if(strcmp(x->method, "HEAD") == 0) {
    net_setopt_long(c, CURLOPT_NOBODY, 1L);
  } else {
    net_setopt_long(c, CURLOPT_HTTPGET, 1L); /* also clears NOBODY */
    if(strcmp(x->method, "GET") != 0)
      net_setopt_str(c, CURLOPT_CUSTOMREQUEST, x->method);
  }
  if(http_method_has_body(x->method)) {
    /* The body is borrowed (no copy); an empty one still goes out with
     * Content-Length: 0, so the server never waits for more. */
    net_setopt_off(c, CURLOPT_POSTFIELDSIZE_LARGE,
                   (curl_off_t)(x->req_body ? x->req_body_len : 0));
    net_setopt_ptr(c, CURLOPT_POSTFIELDS, x->req_body ? x->req_body : "");
  }
  net_setopt_ptr(c, CURLOPT_WRITEDATA, x);
  net_setopt_ptr(c, CURLOPT_HEADERDATA, x);
  net_setopt_ptr(c, CURLOPT_ERRORBUFFER, x->error);
  /* A request with a list of its own (a credential line, a body's
   * Content-Type) has libcurl add User-Agent (and Accept-Encoding) as
   * it always did; one without sends the engine's list, which has both. */
  net_setopt_str(c, CURLOPT_USERAGENT,
                 x->headers ? (e->o.user_agent ? e->o.user_agent : "warden") : NULL);
  net_setopt_ptr(c, CURLOPT_HTTPHEADER, x->headers ? x->headers : e->base);
}

int http_engine_submit(struct http_engine *e, struct http_exchange *x,
                       void (*done)(struct http_exchange *, void *),
                       void *ctx)
{
  if(e->stopped)
    return -1;
  x->done = done;
  x->ctx = ctx;
  x->next = NULL;
  x->outcome = HTTP_PENDING;
  if(e->qtail)
    e->qtail->next = x;
  else
    e->qhead = x;
  e->qtail = x;
  return 0;
}

static enum http_outcome http_map(CURLcode rc, const struct http_exchange *x)
{
  switch(rc) {
  case CURLE_OK:
    return HTTP_OK;
  case CURLE_WRITE_ERROR:
    return x->body.truncated ? HTTP_TRUNCATED : HTTP_PROTOCOL;
  case CURLE_OPERATION_TIMEDOUT:
    return HTTP_TIMEOUT;
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY:
  case CURLE_COULDNT_CONNECT:
    return HTTP_CONNECT;
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER:
  case CURLE_SSL_CACERT_BADFILE:
  case CURLE_SSL_ISSUER_ERROR:
  case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
  case CURLE_SSL_INVALIDCERTSTATUS:
  case CURLE_SSL_CRL_BADFILE:
  case CURLE_SSL_ENGINE_INITFAILED:
  case CURLE_SSL_ENGINE_NOTFOUND:
  case CURLE_SSL_ENGINE_SETFAILED:
    return HTTP_TLS;
  default:
    return HTTP_PROTOCOL;
  }
}

/* Gives back the shared limiter's slot x held, if any. */
static void http_unlimit(struct http_engine *e, struct http_exchange *x)
{
  if(x->limited && e->o.limiter)
    http_limiter_release(e->o.limiter, x->url);
  x->limited = 0;
}

static void http_finish(struct http_engine *e, CURL *c, CURLcode rc)
{
  struct http_exchange *x = NULL;
  net_getinfo_ptr(c, CURLINFO_PRIVATE, (char **)&x);
  long status = 0, ver = 0;
  double secs = 0;
  net_getinfo_long(c, CURLINFO_RESPONSE_CODE, &status);
  net_getinfo_long(c, CURLINFO_HTTP_VERSION, &ver);
  net_getinfo_double(c, CURLINFO_TOTAL_TIME, &secs);
  x->status = status;
  x->httpver = ver == CURL_HTTP_VERSION_2_0 ? 20 :
               ver == CURL_HTTP_VERSION_1_0 ? 10 : 11;
  x->seconds = secs;
  x->outcome = http_map(rc, x);
  /* A timeout or reset after the status line still gave us a response;
   * judge what arrived, but say the body is incomplete. */
  if(x->outcome != HTTP_OK && x->outcome != HTTP_TRUNCATED && status > 0 &&
     x->outcome != HTTP_TLS)
    x->body.truncated = 1;
  if(rc == CURLE_OK)
    x->error[0] = '\0';
  else if(!x->error[0])
    snprintf(x->error, sizeof(x->error), "%s", e->cu->easy_strerror(rc));
  e->cu->multi_remove_handle(e->multi, c);
  http_easy_give(e, c, x);
  e->inflight--;
  x->easy = NULL;
  http_unlimit(e, x);
  x->done(x, x->ctx);
}

/* Ends everything still queued with HTTP_BUDGET; the caller has already
 * cancelled what was in flight. */
static void http_stop_queue(struct http_engine *e)
{
  e->stopped = 1;
  while(e->qhead) {
    struct http_exchange *x = e->qhead;
    e->qhead = x->next;
    x->outcome = HTTP_BUDGET;
    snprintf(x->error, sizeof(x->error), "%s before the request started",
             e->signal ? "scan interrupted" : "scan budget spent");
    x->done(x, x->ctx);
  }
  e->qtail = NULL;
}

long http_engine_run(struct http_engine *e)
{
  /* Handles in flight, so that the budget can cancel them. */
  struct http_exchange **live = xcalloc((size_t)e->o.concurrency, sizeof(*live));
  while(e->qhead || e->inflight) {
    double now = mono_now();
    int sig = e->o.stop ? (int)*e->o.stop : 0;
    if(((e->o.max_seconds > 0 && now - e->started >= e->o.max_seconds) || sig) && !e->stopped) {
      e->stopped = 1; /* callbacks below must not queue more */
      e->signal = sig;
      for(int i = 0; i < e->o.concurrency; i++) {
        struct http_exchange *x = live[i];
        if(!x)
          continue;
        live[i] = NULL;
        CURL *c = x->easy;
        e->cu->multi_remove_handle(e->multi, c);
        http_easy_give(e, c, x);
        e->inflight--;
        x->easy = NULL;
        http_unlimit(e, x);
        x->outcome = HTTP_BUDGET;
        snprintf(x->error, sizeof(x->error), "%s while waiting for the response",
                 sig ? "scan interrupted" : "scan budget spent");
        x->done(x, x->ctx);
      }
      http_stop_queue(e);
      break;
    }
    /* Start what the concurrency cap and the rate allow. */
    double limit_wait = 0;
    while(e->qhead && e->inflight < e->o.concurrency) {
      if(e->o.rate > 0 && now < e->next_slot)
        break;
      if(e->o.limiter && !http_limiter_acquire(e->o.limiter, e->qhead->url, now, &limit_wait))
        break;
      if(e->o.rate > 0) {
        e->next_slot += 1.0 / e->o.rate;
        if(e->next_slot < now - 1.0)
          e->next_slot = now; /* no burst after an idle spell */
      }
      struct http_exchange *x = e->qhead;
      x->limited = e->o.limiter != NULL;
      e->qhead = x->next;
      if(!e->qhead)
        e->qtail = NULL;
      CURL *c = http_easy_take(e, x);
      if(!c) {
        http_unlimit(e, x);
        x->outcome = HTTP_PROTOCOL;
        snprintf(x->error, sizeof(x->error), "could not create a libcurl handle");
        x->done(x, x->ctx);
        continue;
      }
      buf_reset(&x->body);
      buf_reset(&x->head);
      x->body.limit = e->o.body_cap;
      http_setup_request(e, c, x);
      x->easy = c;
      e->cu->multi_add_handle(e->multi, c);
      for(int i = 0; i < e->o.concurrency; i++)
        if(!live[i]) {
          live[i] = x;
          break;
        }
      e->inflight++;
      e->sent++;
    }
    int running = 0;
    e->cu->multi_perform(e->multi, &running);
    CURLMsg *m;
    int left;
    while((m = e->cu->multi_info_read(e->multi, &left))) {
      if(m->msg != CURLMSG_DONE)
        continue;
      CURL *c = m->easy_handle;
      CURLcode rc = m->data.result;
      struct http_exchange *x = NULL;
      net_getinfo_ptr(c, CURLINFO_PRIVATE, (char **)&x);
      for(int i = 0; i < e->o.concurrency; i++)
        if(live[i] == x) {
          live[i] = NULL;
          break;
        }
      http_finish(e, c, rc);
    }
    if(!e->qhead && !e->inflight)
      break;
    int wait_ms = 100;
    if(e->qhead && e->inflight < e->o.concurrency && e->o.rate > 0) {
      double d = (e->next_slot - mono_now()) * 1000.0;
      wait_ms = d <= 0 ? 0 : d < 100 ? (int)d + 1 : 100;
    } else if(e->qhead && e->inflight < e->o.concurrency) {
      wait_ms = 0;
    }
    if(limit_wait > 0 && e->qhead && e->inflight < e->o.concurrency) {
      /* The shared limiter said not yet: ask again when it said. */
      int lw = (int)(limit_wait * 1000.0) + 1;
      if(wait_ms == 0 || lw < wait_ms)
        wait_ms = lw < 100 ? lw : 100;
    }
    if(wait_ms > 0 && e->inflight)
      e->cu->multi_poll(e->multi, NULL, 0, wait_ms, NULL);
    else if(wait_ms > 0) {
      struct timespec ts = {0, (long)wait_ms * 1000000L};
      nanosleep(&ts, NULL);
    }
  }
  free(live);
  return e->sent;
}

int http_engine_out_of_budget(const struct http_engine *e)
{
  return e->stopped;
}

int http_engine_stop_signal(const struct http_engine *e)
{
  return e->signal;
}

long http_engine_sent(const struct http_engine *e)
{
  return e->sent;
}

int http_header(const struct http_exchange *x, const char *name, int idx,
                char *out, size_t outlen)
{
  const char *p = buf_str(&x->head);
  size_t nl = strlen(name);
  int seen = 0;
  while(*p) {
    const char *eol = strchr(p, '\n');
    size_t len = eol ? (size_t)(eol - p) : strlen(p);
    if(len > nl && p[nl] == ':' && strncasecmp(p, name, nl) == 0) {
      if(seen++ == idx) {
        const char *v = p + nl + 1;
        const char *end = p + len;
        while(v < end && (*v == ' ' || *v == '\t'))
          v++;
        while(end > v && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
          end--;
        size_t vl = (size_t)(end - v);
        if(outlen) {
          if(vl >= outlen)
            vl = outlen - 1;
          memcpy(out, v, vl);
          out[vl] = '\0';
          /* A bare CR or another control character inside a value
           * (RFC 9110 5.5: replace with SP) must not reach a report:
           * values end up in evidence printed to a terminal. */
          for(size_t i = 0; i < vl; i++)
            if(((unsigned char)out[i] < 0x20 && out[i] != '\t') || out[i] == 0x7f)
              out[i] = ' ';
        }
        return 1;
      }
    }
    if(!eol)
      break;
    p = eol + 1;
  }
  return 0;
}

const char *http_outcome_name(enum http_outcome o)
{
  static const char *const names[] = {"pending", "ok", "truncated", "timeout",
                                      "connect", "tls", "protocol", "budget"};
  return (unsigned)o < sizeof(names) / sizeof(names[0]) ? names[o] : "?";
}

int http_answered(const struct http_exchange *x)
{
  return (x->outcome == HTTP_OK || x->outcome == HTTP_TRUNCATED ||
          (x->status > 0 && x->outcome != HTTP_BUDGET)) && x->status > 0;
}
