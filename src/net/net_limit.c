/*
 * net_limit.c - the shared rate and per-host limiter (net_limit.h).
 */
#include "net_limit.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../core/core_alloc.h"

struct host_slot {
  char host[256];
  int inflight;
};

struct http_limiter {
  pthread_mutex_t mu;
  double rate;
  double next_slot;  /* earliest start of the next request, 0 = now */
  int per_host;
  struct host_slot *hosts; /* hosts with requests in flight */
  size_t nhosts, caphosts;
};

struct http_limiter *http_limiter_new(double rate, int per_host)
{
  struct http_limiter *l = xcalloc(1, sizeof(*l));
  pthread_mutex_init(&l->mu, NULL);
  l->rate = rate > 0 ? rate : 0;
  l->per_host = per_host > 0 ? per_host : 0;
  return l;
}

void http_limiter_free(struct http_limiter *l)
{
  if(!l)
    return;
  pthread_mutex_destroy(&l->mu);
  free(l->hosts);
  free(l);
}

void http_limiter_host(const char *url, char *out, size_t outlen)
{
  if(!outlen)
    return;
  out[0] = '\0';
  const char *p = strstr(url, "://");
  p = p ? p + 3 : url;
  const char *end = p + strcspn(p, "/?#");
  const char *at = memchr(p, '@', (size_t)(end - p));
  if(at)
    p = at + 1;
  const char *hend;
  if(*p == '[') { /* IPv6 literal: up to the bracket */
    p++;
    hend = memchr(p, ']', (size_t)(end - p));
    if(!hend)
      hend = end;
  } else {
    hend = memchr(p, ':', (size_t)(end - p));
    if(!hend)
      hend = end;
  }
  size_t n = (size_t)(hend - p);
  if(n >= outlen)
    n = outlen - 1;
  for(size_t i = 0; i < n; i++)
    out[i] = (char)tolower((unsigned char)p[i]);
  out[n] = '\0';
}

static struct host_slot *host_find(struct http_limiter *l, const char *h)
{
  for(size_t i = 0; i < l->nhosts; i++)
    if(strcmp(l->hosts[i].host, h) == 0)
      return &l->hosts[i];
  return NULL;
}

int http_limiter_acquire(struct http_limiter *l, const char *url, double now,
                         double *wait_s)
{
  char h[256];
  *wait_s = 0;
  if(l->per_host)
    http_limiter_host(url, h, sizeof(h));
  pthread_mutex_lock(&l->mu);
  struct host_slot *hs = NULL;
  if(l->per_host) {
    hs = host_find(l, h);
    if(hs && hs->inflight >= l->per_host) {
      pthread_mutex_unlock(&l->mu);
      *wait_s = 0.005; /* a slot frees when a response arrives */
      return 0;
    }
  }
  if(l->rate > 0) {
    if(l->next_slot > now) {
      *wait_s = l->next_slot - now;
      pthread_mutex_unlock(&l->mu);
      return 0;
    }
    /* No burst after an idle spell: the next slot counts from now. */
    if(l->next_slot < now - 1.0)
      l->next_slot = now;
    l->next_slot += 1.0 / l->rate;
  }
  if(l->per_host) {
    if(!hs) {
      if(l->nhosts == l->caphosts) {
        l->caphosts = l->caphosts ? l->caphosts * 2 : 8;
        l->hosts = xrealloc(l->hosts, l->caphosts * sizeof(*l->hosts));
      }
      hs = &l->hosts[l->nhosts++];
      memset(hs, 0, sizeof(*hs));
      memcpy(hs->host, h, strlen(h) + 1);
    }
    hs->inflight++;
  }
  pthread_mutex_unlock(&l->mu);
  return 1;
}

void http_limiter_release(struct http_limiter *l, const char *url)
{
  if(!l->per_host)
    return;
  char h[256];
  http_limiter_host(url, h, sizeof(h));
  pthread_mutex_lock(&l->mu);
  struct host_slot *hs = host_find(l, h);
  if(hs && --hs->inflight <= 0) {
    /* Forget idle hosts: the table holds only hosts in flight. */
    *hs = l->hosts[--l->nhosts];
  }
  pthread_mutex_unlock(&l->mu);
}
