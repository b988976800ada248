/*
 * scan_canary.c - the canary listener, the one socket a check may ask the
 * scan to open (SSRF, docs/design.md "Services").
 *
 * Opened on first use and only with --active: a TCP listener on
 * 127.0.0.1, an ephemeral port (or --canary HOST:PORT, an address the
 * target can reach, bound as given), served by one thread that answers
 * every request with a short 200 ("ok <key>-<token>" for /wd-<token>: a
 * marker whose key is never sent, so a target that returns what it
 * fetched is told from one that echoes the URL) and records its first
 * line, User-Agent and peer. A check sends http://HOST:PORT/wd-<token> to the target and
 * later asks whether that path was requested. Bounded: at most
 * CANARY_MAX_HITS requests are kept, 4 KiB read of each, 2 s per
 * connection; the thread stops at scan_cleanup. Nothing is ever sent
 * anywhere from here: the listener only answers.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../core/core_alloc.h"
#include "../core/core_str.h"
#include "scan.h"
#include "scan_canary.h"

#define CANARY_MAX_HITS 64
#define CANARY_READ 4096
#define CANARY_MAX_DOCS 8
#define CANARY_MAX_DOC 16384

struct canary_hit {
  char line[256]; /* the request line: "GET /wd-... HTTP/1.1" */
  char ua[160];
  char peer[64];
};

/* A document the listener serves at /wd-<token> instead of its short
 * "ok" (a JWK Set for the jku test). */
struct canary_doc {
  char path[100]; /* "/wd-<token>" */
  char ctype[64];
  char *body;
};

struct canary {
  int fd;
  pthread_t th;
  pthread_mutex_t mu;
  int stop;   /* under mu */
  struct canary_hit hits[CANARY_MAX_HITS];
  size_t n;   /* under mu */
  size_t dropped;
  struct canary_doc docs[CANARY_MAX_DOCS];
  size_t ndocs; /* under mu */
  char base[160]; /* http://HOST:PORT */
  char key[17];   /* the markers' secret half: never in a URL */
};

/* The document served for the request line's path, as a whole HTTP
 * answer (heap), or NULL for the default answer. Called under mu. */
static char *canary_doc_answer(const struct canary *c, const char *line)
{
  const char *sp = strchr(line, ' ');
  if(!sp)
    return NULL;
  sp++;
  size_t pl = strcspn(sp, " ?");
  for(size_t i = 0; i < c->ndocs; i++)
    if(strlen(c->docs[i].path) == pl && !memcmp(c->docs[i].path, sp, pl))
      return xasprintf("HTTP/1.0 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                       "Connection: close\r\n\r\n%s",
                       c->docs[i].ctype, strlen(c->docs[i].body), c->docs[i].body);
  return NULL;
}

static void canary_serve(struct canary *c, int cfd, const struct sockaddr_storage *ss)
{
  char buf[CANARY_READ + 1];
  size_t got = 0;
  struct pollfd pf = {.fd = cfd, .events = POLLIN};
  /* The head, within 2 s. */
  for(int tries = 0; tries < 20 && got < CANARY_READ; tries++) {
    if(poll(&pf, 1, 100) <= 0)
      continue;
    ssize_t r = recv(cfd, buf + got, CANARY_READ - got, 0);
    if(r <= 0)
      break;
    got += (size_t)r;
    buf[got] = '\0';
    if(strstr(buf, "\r\n\r\n") || strstr(buf, "\n\n"))
      break;
  }
  buf[got] = '\0';
  /* The default answer: "ok", and the marker of the token asked for. */
  char reply[300];
  {
    char tok[96] = "";
    const char *sp = strchr(buf, ' ');
    if(sp && !strncmp(sp + 1, "/wd-", 4)) {
      size_t tl = 0;
      const char *t = sp + 5;
      while(tl < sizeof(tok) - 1 && ((t[tl] >= 'a' && t[tl] <= 'z') || (t[tl] >= 'A' && t[tl] <= 'Z') ||
                                     (t[tl] >= '0' && t[tl] <= '9') || t[tl] == '-'))
        tl++;
      memcpy(tok, t, tl);
      tok[tl] = '\0';
    }
    char body[128];
    int bl = tok[0] ? snprintf(body, sizeof(body), "ok %s-%s\n", c->key, tok)
                    : snprintf(body, sizeof(body), "ok\n");
    snprintf(reply, sizeof(reply), "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n"
             "Connection: close\r\n\r\n%s", bl, body);
  }
  char *doc = NULL;
  if(got) {
    /* Recorded before the answer goes out: the target may answer the
     * scan as soon as it has read ours, and the judge must see the hit. */
    struct canary_hit h;
    memset(&h, 0, sizeof(h));
    size_t l = strcspn(buf, "\r\n");
    snprintf(h.line, sizeof(h.line), "%.*s", (int)(l < 255 ? l : 255), buf);
    for(char *p = buf; (p = strchr(p, '\n'));) {
      p++;
      if(strncasecmp(p, "User-Agent:", 11) == 0) {
        p += 11;
        while(*p == ' ')
          p++;
        size_t ul = strcspn(p, "\r\n");
        snprintf(h.ua, sizeof(h.ua), "%.*s", (int)(ul < 159 ? ul : 159), p);
      }
    }
    char host[64] = "?";
    if(ss->ss_family == AF_INET)
      inet_ntop(AF_INET, &((const struct sockaddr_in *)ss)->sin_addr, host, sizeof(host));
    else if(ss->ss_family == AF_INET6)
      inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ss)->sin6_addr, host, sizeof(host));
    snprintf(h.peer, sizeof(h.peer), "%s", host);
    pthread_mutex_lock(&c->mu);
    if(c->n < CANARY_MAX_HITS)
      c->hits[c->n++] = h;
    else
      c->dropped++;
    doc = canary_doc_answer(c, h.line);
    pthread_mutex_unlock(&c->mu);
  }
  const char *ans = doc ? doc : reply;
  if(send(cfd, ans, strlen(ans), MSG_NOSIGNAL) < 0) {
    /* the peer went away: what it asked is still recorded */
  }
  free(doc);
}

static void *canary_thread(void *arg)
{
  struct canary *c = arg;
  for(;;) {
    pthread_mutex_lock(&c->mu);
    int stop = c->stop;
    pthread_mutex_unlock(&c->mu);
    if(stop)
      break;
    struct pollfd pf = {.fd = c->fd, .events = POLLIN};
    if(poll(&pf, 1, 100) <= 0)
      continue;
    struct sockaddr_storage ss;
    socklen_t sl = sizeof(ss);
    int cfd = accept(c->fd, (struct sockaddr *)&ss, &sl);
    if(cfd < 0)
      continue;
    canary_serve(c, cfd, &ss);
    close(cfd);
  }
  return NULL;
}

/* Parses "HOST:PORT" ("[v6]:PORT" too) into host and port. */
static int canary_split(const char *spec, char *host, size_t hostlen, char *port, size_t portlen)
{
  const char *colon = strrchr(spec, ':');
  if(!colon || !colon[1])
    return -1;
  const char *h = spec;
  size_t hl = (size_t)(colon - spec);
  if(hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
    h++;
    hl -= 2;
  }
  if(!hl || hl >= hostlen || strlen(colon + 1) >= portlen)
    return -1;
  memcpy(host, h, hl);
  host[hl] = '\0';
  snprintf(port, portlen, "%s", colon + 1);
  return 0;
}

static struct canary *canary_open(const char *spec, char *err, size_t errlen)
{
  char host[128] = "127.0.0.1", port[16] = "0";
  if(spec && canary_split(spec, host, sizeof(host), port, sizeof(port))) {
    snprintf(err, errlen, "--canary %s: not HOST:PORT", spec);
    return NULL;
  }
  struct addrinfo hints, *ai = NULL;
  memset(&hints, 0, sizeof(hints));
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV | AI_PASSIVE;
  int rc = getaddrinfo(host, port, &hints, &ai);
  if(rc || !ai) {
    snprintf(err, errlen, "canary listener %s:%s: %s", host, port, gai_strerror(rc));
    return NULL;
  }
  int fd = socket(ai->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int one = 1;
  if(fd >= 0)
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if(fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) || listen(fd, 16)) {
    snprintf(err, errlen, "canary listener %s:%s: %s", host, port, strerror(errno));
    if(fd >= 0)
      close(fd);
    freeaddrinfo(ai);
    return NULL;
  }
  freeaddrinfo(ai);
  struct sockaddr_storage ss;
  socklen_t sl = sizeof(ss);
  getsockname(fd, (struct sockaddr *)&ss, &sl);
  int bound = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                       : ntohs(((struct sockaddr_in *)&ss)->sin_port);
  struct canary *c = xcalloc(1, sizeof(*c));
  c->fd = fd;
  str_random_hex(c->key, 16);
  pthread_mutex_init(&c->mu, NULL);
  snprintf(c->base, sizeof(c->base), strchr(host, ':') ? "http://[%s]:%d" : "http://%s:%d", host,
           bound);
  if(pthread_create(&c->th, NULL, canary_thread, c)) {
    snprintf(err, errlen, "canary listener: cannot start its thread");
    pthread_mutex_destroy(&c->mu);
    close(fd);
    free(c);
    return NULL;
  }
  return c;
}

int scan_canary_url(struct scan *s, const char *token, char *out, size_t outlen)
{
  if(!scan_active(s) || s->canary_failed)
    return -1;
  if(!s->canary) {
    char err[256];
    s->canary = canary_open(s->opts->canary, err, sizeof(err));
    if(!s->canary) {
      s->canary_failed = 1;
      report_note(&s->rep, "%s: the SSRF callbacks were not tested", err);
      return -1;
    }
  }
  snprintf(out, outlen, "%s/wd-%s", s->canary->base, token);
  return 0;
}

int scan_canary_marker(struct scan *s, const char *token, char *out, size_t outlen)
{
  if(!s->canary || strlen(token) > 90)
    return -1;
  snprintf(out, outlen, "ok %s-%s", s->canary->key, token);
  return 0;
}

int scan_canary_serve(struct scan *s, const char *token, const char *ctype, const char *body)
{
  struct canary *c = s->canary;
  if(!c || strlen(body) > CANARY_MAX_DOC || strlen(token) > 90 || strlen(ctype) > 63)
    return -1;
  int rc = -1;
  pthread_mutex_lock(&c->mu);
  if(c->ndocs < CANARY_MAX_DOCS) {
    struct canary_doc *d = &c->docs[c->ndocs++];
    snprintf(d->path, sizeof(d->path), "/wd-%s", token);
    snprintf(d->ctype, sizeof(d->ctype), "%s", ctype);
    d->body = xstrdup(body);
    rc = 0;
  }
  pthread_mutex_unlock(&c->mu);
  return rc;
}

int scan_canary_hit(struct scan *s, const char *token, char *ua, size_t ualen, char *peer,
                    size_t peerlen)
{
  struct canary *c = s->canary;
  if(!c)
    return 0;
  char needle[96];
  snprintf(needle, sizeof(needle), " /wd-%s", token);
  size_t nl = strlen(needle);
  int found = 0;
  pthread_mutex_lock(&c->mu);
  for(size_t i = 0; i < c->n && !found; i++) {
    const char *at = strstr(c->hits[i].line, needle);
    if(at && (at[nl] == ' ' || at[nl] == '?' || at[nl] == '/' || at[nl] == '\0')) {
      found = 1;
      if(ua)
        snprintf(ua, ualen, "%s", c->hits[i].ua);
      if(peer)
        snprintf(peer, peerlen, "%s", c->hits[i].peer);
    }
  }
  pthread_mutex_unlock(&c->mu);
  return found;
}

void scan_canary_close(struct scan *s)
{
  struct canary *c = s->canary;
  if(!c)
    return;
  pthread_mutex_lock(&c->mu);
  c->stop = 1;
  pthread_mutex_unlock(&c->mu);
  pthread_join(c->th, NULL);
  close(c->fd);
  pthread_mutex_destroy(&c->mu);
  for(size_t i = 0; i < c->ndocs; i++)
    free(c->docs[i].body);
  free(c);
  s->canary = NULL;
}
