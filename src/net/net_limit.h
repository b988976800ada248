/*
 * net_limit.h - a limiter shared by the engines of a multi-target run:
 * one request rate over all of them (--rate) and a cap on requests in
 * flight to one host, whatever target they belong to (--per-host).
 *
 * Thread-safe: each worker thread runs its own engine (http_opts.limiter
 * points to the same limiter); the limiter is the only thing they share.
 * The caller owns it and frees it after the last engine.
 */
#ifndef WD_NET_LIMIT_H
#define WD_NET_LIMIT_H
#include <stddef.h>

struct http_limiter;

/* rate: requests per second over every engine (0 = unlimited); per_host:
 * requests in flight to one host name (0 = unlimited). */
struct http_limiter *http_limiter_new(double rate, int per_host);
void http_limiter_free(struct http_limiter *l);
/* Asks to start a request to url's host at time now (mono_now(), core_time.h).
 * Returns 1 when granted: the request counts against its host until
 * http_limiter_release. Returns 0 when not now: *wait_s says how long
 * to wait before asking again (a per-host refusal waits a short while). */
int http_limiter_acquire(struct http_limiter *l, const char *url, double now,
                         double *wait_s);
/* The request to url granted by http_limiter_acquire has ended. */
void http_limiter_release(struct http_limiter *l, const char *url);
/* The host key of a URL as the limiter counts it: the host name,
 * lowercase, without userinfo and port ("" when none). */
void http_limiter_host(const char *url, char *out, size_t outlen);

#endif
