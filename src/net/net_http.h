/*
 * net_http.h - the prober engine: libcurl's multi interface driven by one
 * loop, with a cap on requests in flight, a request rate, a per-request
 * timeout, a total budget and a cap on every body.
 *
 * Ownership: the caller owns each exchange and keeps it alive until its
 * callback has run. The engine borrows it in between. A submit that fails
 * never fires the callback.
 */
#ifndef WD_NET_HTTP_H
#define WD_NET_HTTP_H
#include <signal.h>
#include <stddef.h>

#include "../core/core_buf.h"

struct curl_slist;

enum http_outcome {
  HTTP_PENDING = 0,
  HTTP_OK,         /* a full response arrived */
  HTTP_TRUNCATED,  /* a response arrived; its body was cut at the cap */
  HTTP_TIMEOUT,    /* per-request timeout */
  HTTP_CONNECT,    /* DNS, refused, unreachable */
  HTTP_TLS,        /* handshake or verification failed */
  HTTP_PROTOCOL,   /* reset, garbage, bad encoding */
  HTTP_BUDGET,     /* the scan budget ran out before it completed */
};

struct http_opts {
  int concurrency;        /* requests in flight, >= 1 */
  double rate;            /* requests per second; 0 = unlimited */
  long timeout_ms;        /* per request, whole transfer */
  long connect_timeout_ms;
  size_t body_cap;        /* bytes kept of each (decoded) body */
  double max_seconds;     /* total budget from http_engine_new; 0 = none */
  int insecure;           /* skip TLS verification */
  const char *cacert;     /* PEM bundle or NULL */
  const char *cert, *key; /* client certificate (mTLS) or NULL */
  const char *proxy;      /* NULL = none (environment proxies are ignored) */
  const struct curl_slist *headers; /* sent on every request; borrowed */
  const char *user_agent;
  /* Set (to a signal number) by a signal handler to stop the run the way
   * the budget does; NULL = none. Read between polls, never written. */
  const volatile sig_atomic_t *stop;
  /* A limiter shared with other engines (net_limit.h: one --rate over a
   * multi-target run, --per-host); NULL = none. Borrowed. */
  struct http_limiter *limiter;
  /* 4 or 6: resolve names to that address family only; 0 = either. */
  int ip_family;
};

#define HTTP_HEADERS_CAP (64 * 1024)

struct http_exchange {
  /* request, set by the caller */
  const char *method;   /* "GET", "HEAD", "OPTIONS"; writes only by --active */
  char *url;            /* owned by the caller */
  const struct curl_slist *headers; /* NULL = the engine's; borrowed */
  /* Request body (POST, PUT, PATCH; borrowed, kept alive by the caller
   * until done runs). Those methods always send one, empty if NULL, with
   * its Content-Length; other methods never send one. */
  const char *req_body;
  size_t req_body_len;
  /* response, set by the engine */
  long status;          /* 0 if none */
  int httpver;          /* 10, 11, 20 */
  struct buf body;      /* decoded, capped at body_cap */
  struct buf head;      /* raw header block of the final response */
  double seconds;
  enum http_outcome outcome;
  char error[256];      /* libcurl's words when outcome is a failure */
  /* engine-private */
  void (*done)(struct http_exchange *, void *);
  void *ctx;
  struct http_exchange *next;
  void *easy;
  int limited;          /* holds a slot of http_opts.limiter */
};

struct http_engine;
struct http_limiter;

/* Process-wide set-up of libcurl: loads it (warden is not linked with
 * it: src/net/net_curl_load.h) and calls curl_global_init, which counts
 * its calls. http_engine_new calls it; a program that runs engines in
 * several threads calls it first, before it starts them. 0, or -1 with
 * err (libcurl.so.4 that cannot be loaded is said so there). */
int http_global_init(char *err, size_t errlen);

/* Header lists (libcurl's curl_slist): a copy of line appended (out of
 * memory aborts), and the list freed (NULL is no list). Only once
 * libcurl is loaded (http_global_init or url_parse succeeded); a list
 * that is not NULL was made by libcurl, so freeing never needs it. */
struct curl_slist *http_list_add(struct curl_slist *l, const char *line);
void http_list_free(struct curl_slist *l);

struct http_engine *http_engine_new(const struct http_opts *o, char *err,
                                    size_t errlen);
void http_engine_free(struct http_engine *e);
/* Queues x. Returns 0, or -1 if the budget is spent (x untouched, cb never
 * called). Callbacks run inside http_engine_run and may submit more. */
int http_engine_submit(struct http_engine *e, struct http_exchange *x,
                       void (*done)(struct http_exchange *, void *),
                       void *ctx);
/* Runs until nothing is queued or in flight, or the budget ends (then the
 * rest complete with HTTP_BUDGET). Returns the number of requests sent. */
long http_engine_run(struct http_engine *e);
int http_engine_out_of_budget(const struct http_engine *e);
/* The signal that stopped the run (see http_opts.stop), or 0. */
int http_engine_stop_signal(const struct http_engine *e);
long http_engine_sent(const struct http_engine *e);

void http_exchange_init(struct http_exchange *x, const char *method,
                        char *url);
void http_exchange_cleanup(struct http_exchange *x);
/* Copies into out the value of the idx-th header called name (case
 * blind), trimmed. Returns 1 if found, else 0. */
int http_header(const struct http_exchange *x, const char *name, int idx,
                char *out, size_t outlen);
const char *http_outcome_name(enum http_outcome o);
/* 1 for the methods that carry a request body: POST, PUT, PATCH. */
int http_method_has_body(const char *m);
/* 1 when a response arrived (OK or TRUNCATED). */
int http_answered(const struct http_exchange *x);

#endif
