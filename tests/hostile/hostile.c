/*
 * hostile.c - a deliberately misbehaving HTTP server for warden's
 * robustness tests (tests/integ/test_hostile.py).
 *
 *   hostile --mode MODE --url-file FILE [--lifetime SEC]
 *
 * Listens on 127.0.0.1, port 0 (the kernel picks), writes its URL to FILE
 * (atomically, so a reader never sees half a line) and answers every
 * request with the misbehaviour MODE names:
 *
 *   endless      200, chunked body that never ends
 *   drip         200 with a Content-Length, then one body byte a second
 *   drip-head    the status line and headers themselves, one byte a second
 *   slow         "/" and warden's random baseline paths (/warden-..., /api/warden-...)
 *                answer at once; every other path drips as "drip" does, so a
 *                scan is busy in its phase 2 (for the Ctrl-C test)
 *   gzip         Content-Encoding: gzip that inflates to 1 GiB of zeros
 *   loop         302 / -> /loop?1 -> /loop?2 -> ... forever
 *   loop-self    302 to the very URL that was requested
 *   redirect-out 302 to http://127.0.0.2:CANARY/..., http://example.invalid/...
 *                or https://127.0.0.1:PORT/... (all out of scope). A second
 *                listener on 127.0.0.2 appends a line to FILE.canary for
 *                every connection it gets; its URL is line 2 of FILE.
 *   bad-status   "HTTP/1.1 OK-ish garbage" status line
 *   no-colon     a header line without a colon
 *   long-header  one header line of 100 KB
 *   many-headers 2,000 headers (about 200 KB of header block)
 *   nul-header   NUL bytes inside a header line
 *   reset        the status line, then a TCP reset
 *   tls-garbage  random bytes instead of a TLS handshake (URL is https://)
 *   biglen       Content-Length: 1 TB, a short body, then close
 *   bad-spec     200 everywhere with a "spec" whose YAML directive is not
 *                UTF-8 (a YAML reader once never returned from it)
 *
 * Each connection is served by a forked child with an alarm, so a stuck
 * client never keeps anything alive; children die with the parent. The
 * parent exits after --lifetime seconds (default 300) or on SIGTERM.
 * Only 127.0.0.0/8 is ever bound.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#define BOMB_BYTES (1024ULL * 1024 * 1024) /* inflated size of the bomb */

static const char *mode;
static int port, canary_port;
static const char *canary_file;
static unsigned char *bomb; /* gzip member, deflated zeros */
static size_t bomb_len;

static void die(const char *what)
{
  fprintf(stderr, "hostile: %s: %s\n", what, strerror(errno));
  exit(1);
}

static int listen_on(const char *ip, int *port_out)
{
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if(fd < 0)
    die("socket");
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  struct sockaddr_in a;
  memset(&a, 0, sizeof(a));
  a.sin_family = AF_INET;
  a.sin_port = 0;
  if(inet_pton(AF_INET, ip, &a.sin_addr) != 1)
    die("inet_pton");
  if(bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
    die(ip);
  if(listen(fd, 128) < 0)
    die("listen");
  socklen_t al = sizeof(a);
  if(getsockname(fd, (struct sockaddr *)&a, &al) < 0)
    die("getsockname");
  *port_out = ntohs(a.sin_port);
  return fd;
}

/* Writes all of p; returns -1 once the peer is gone. */
static int send_all(int fd, const void *p, size_t n)
{
  const char *c = p;
  while(n) {
    ssize_t w = send(fd, c, n, MSG_NOSIGNAL);
    if(w < 0 && errno == EINTR)
      continue;
    if(w <= 0)
      return -1;
    c += w;
    n -= (size_t)w;
  }
  return 0;
}

static int send_str(int fd, const char *s)
{
  return send_all(fd, s, strlen(s));
}

static void sleep_ms(long ms)
{
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while(nanosleep(&ts, &ts) < 0 && errno == EINTR)
    ;
}

/* Reads the request head (up to 16 KB) and returns its path in path. */
static void read_request(int fd, char *path, size_t pathlen)
{
  char req[16384];
  size_t n = 0;
  snprintf(path, pathlen, "/");
  while(n < sizeof(req) - 1) {
    ssize_t r = recv(fd, req + n, sizeof(req) - 1 - n, 0);
    if(r < 0 && errno == EINTR)
      continue;
    if(r <= 0)
      break;
    n += (size_t)r;
    req[n] = '\0';
    if(strstr(req, "\r\n\r\n"))
      break;
  }
  req[n] = '\0';
  char *sp = strchr(req, ' ');
  if(!sp)
    return;
  char *end = strchr(sp + 1, ' ');
  if(!end)
    return;
  snprintf(path, pathlen, "%.*s", (int)(end - sp - 1), sp + 1);
}

/* Precomputes a gzip member of BOMB_BYTES zeros (about 1 MB). Z_RLE: the
 * runs of zeros compress as well as with the default strategy, in a
 * fraction of the time (level 9 took 4 s of CPU, 30 s and more of wall
 * time on a loaded machine, past the suite's start deadline). */
static void make_bomb(void)
{
  z_stream z;
  memset(&z, 0, sizeof(z));
  if(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_RLE) != Z_OK) {
    fprintf(stderr, "hostile: deflateInit2 failed\n");
    exit(1);
  }
  static unsigned char zeros[1 << 20];
  size_t cap = 2u << 20;
  bomb = malloc(cap);
  if(!bomb)
    die("malloc");
  unsigned long long left = BOMB_BYTES;
  int flush;
  do {
    size_t chunk = left > sizeof(zeros) ? sizeof(zeros) : (size_t)left;
    left -= chunk;
    flush = left ? Z_NO_FLUSH : Z_FINISH;
    z.next_in = zeros;
    z.avail_in = (uInt)chunk;
    do {
      if(cap - bomb_len < 65536) {
        cap *= 2;
        unsigned char *b2 = realloc(bomb, cap);
        if(!b2)
          die("realloc");
        bomb = b2;
      }
      z.next_out = bomb + bomb_len;
      z.avail_out = (uInt)(cap - bomb_len);
      int rc = deflate(&z, flush);
      if(rc == Z_STREAM_ERROR) {
        fprintf(stderr, "hostile: deflate failed\n");
        exit(1);
      }
      bomb_len = cap - z.avail_out;
    } while(z.avail_out == 0 || z.avail_in > 0);
  } while(flush != Z_FINISH);
  deflateEnd(&z);
}

static unsigned path_hash(const char *s)
{
  unsigned h = 2166136261u;
  for(; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* One request on one connection, then close. */
static void serve(int fd)
{
  char path[4096], buf[512];
  if(strcmp(mode, "drip-head") && strcmp(mode, "tls-garbage"))
    read_request(fd, path, sizeof(path));
  else
    snprintf(path, sizeof(path), "/");
  if(!strcmp(mode, "endless")) {
    send_str(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n");
    char chunk[16384 + 16];
    int h = snprintf(chunk, sizeof(chunk), "%x\r\n", 16384);
    memset(chunk + h, 'A', 16384);
    memcpy(chunk + h + 16384, "\r\n", 2);
    while(send_all(fd, chunk, (size_t)h + 16384 + 2) == 0)
      ;
  } else if(!strcmp(mode, "slow") && (!strcmp(path, "/") || !strncmp(path, "/warden-", 8) ||
                                       !strncmp(path, "/api/warden-", 12))) {
    send_str(fd, !strcmp(path, "/") ?
                 "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                 "Content-Length: 2\r\nConnection: close\r\n\r\nok" :
                 "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n"
                 "Content-Length: 9\r\nConnection: close\r\n\r\nnot found");
  } else if(!strcmp(mode, "drip") || !strcmp(mode, "slow")) {
    send_str(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                 "Content-Length: 100000\r\n\r\n");
    while(send_all(fd, "x", 1) == 0)
      sleep_ms(1000);
  } else if(!strcmp(mode, "drip-head")) {
    const char *r = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                    "X-Slow: ..............................................\r\n"
                    "Content-Length: 2\r\n\r\nok";
    for(const char *c = r; *c; c++) {
      if(send_all(fd, c, 1))
        break;
      sleep_ms(1000);
    }
  } else if(!strcmp(mode, "gzip")) {
    snprintf(buf, sizeof(buf),
             "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
             "Content-Encoding: gzip\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n\r\n", bomb_len);
    if(send_str(fd, buf) == 0)
      send_all(fd, bomb, bomb_len);
  } else if(!strcmp(mode, "loop") || !strcmp(mode, "loop-self")) {
    char loc[4200];
    if(!strcmp(mode, "loop-self"))
      snprintf(loc, sizeof(loc), "%s", path);
    else if(!strncmp(path, "/loop?", 6))
      snprintf(loc, sizeof(loc), "/loop?%ld", strtol(path + 6, NULL, 10) + 1);
    else
      snprintf(loc, sizeof(loc), "/loop?1");
    char head[4400];
    snprintf(head, sizeof(head), "HTTP/1.1 302 Found\r\nLocation: %s\r\n"
             "Content-Length: 0\r\nConnection: close\r\n\r\n", loc);
    send_str(fd, head);
  } else if(!strcmp(mode, "redirect-out")) {
    char loc[4200];
    unsigned k = strcmp(path, "/") ? path_hash(path) % 3 : 0;
    if(k == 0)
      snprintf(loc, sizeof(loc), "http://127.0.0.2:%d%s", canary_port, path);
    else if(k == 1)
      snprintf(loc, sizeof(loc), "http://example.invalid%s", path);
    else
      snprintf(loc, sizeof(loc), "https://127.0.0.1:%d%s", port, path);
    char head[4400];
    snprintf(head, sizeof(head), "HTTP/1.1 302 Found\r\nLocation: %s\r\n"
             "Content-Length: 0\r\nConnection: close\r\n\r\n", loc);
    send_str(fd, head);
  } else if(!strcmp(mode, "bad-status")) {
    send_str(fd, "HTTP/1.1 OK-ish garbage \x01\x02\r\nContent-Length: 2\r\n\r\nok");
  } else if(!strcmp(mode, "no-colon")) {
    send_str(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                 "this header line has no colon at all\r\n"
                 "Content-Length: 2\r\nConnection: close\r\n\r\nok");
  } else if(!strcmp(mode, "long-header")) {
    send_str(fd, "HTTP/1.1 200 OK\r\nX-Long: ");
    char a[4096];
    memset(a, 'a', sizeof(a));
    for(int i = 0; i < 25; i++) /* 100 KB */
      if(send_all(fd, a, sizeof(a)))
        break;
    send_str(fd, "\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
  } else if(!strcmp(mode, "many-headers")) {
    if(send_str(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n") == 0) {
      for(int i = 0; i < 2000; i++) {
        snprintf(buf, sizeof(buf), "X-Filler-%04d: %090d\r\n", i, i);
        if(send_str(fd, buf))
          break;
      }
      send_str(fd, "Content-Length: 2\r\nConnection: close\r\n\r\nok");
    }
  } else if(!strcmp(mode, "nul-header")) {
    static const char r[] = "HTTP/1.1 200 OK\r\nX-Nul: a\0b\0c\r\n"
                            "Content-Type: text/\0plain\r\n"
                            "Content-Length: 2\r\nConnection: close\r\n\r\nok";
    send_all(fd, r, sizeof(r) - 1);
  } else if(!strcmp(mode, "reset")) {
    send_str(fd, "HTTP/1.1 200 OK\r\n");
    sleep_ms(50);
    struct linger l = {1, 0}; /* close() sends RST */
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
    close(fd); /* no FIN first */
    return;
  } else if(!strcmp(mode, "tls-garbage")) {
    /* Wait for the ClientHello, answer with noise. */
    char in[4096];
    (void)recv(fd, in, sizeof(in), 0);
    unsigned char g[4096];
    unsigned x = 12345;
    for(size_t i = 0; i < sizeof(g); i++) {
      x = x * 1103515245u + 12345u;
      g[i] = (unsigned char)(x >> 16);
    }
    send_all(fd, g, sizeof(g));
  } else if(!strcmp(mode, "bad-spec")) {
    static const char r[] = "HTTP/1.1 200 OK\r\nContent-Type: application/yaml\r\n"
                            "Content-Length: 41\r\nConnection: close\r\n\r\n"
                            "%YAML 1.2\n%\xe1TAG !e! x\n---\nopenapi: 3.0.0\n";
    send_all(fd, r, sizeof(r) - 1);
  } else if(!strcmp(mode, "biglen")) {
    send_str(fd, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n"
                 "Content-Length: 1000000000000\r\n\r\nshort body");
  }
  shutdown(fd, SHUT_WR);
  close(fd);
}

static void record_canary(int fd)
{
  struct sockaddr_in a;
  socklen_t al = sizeof(a);
  char ip[64] = "?";
  if(getpeername(fd, (struct sockaddr *)&a, &al) == 0)
    inet_ntop(AF_INET, &a.sin_addr, ip, sizeof(ip));
  FILE *f = fopen(canary_file, "a");
  if(f) {
    fprintf(f, "connection from %s\n", ip);
    fclose(f);
  }
  send_str(fd, "HTTP/1.1 418 I'm a canary\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  close(fd);
}

static void write_url_file(const char *file, const char *content)
{
  char tmp[4096];
  snprintf(tmp, sizeof(tmp), "%s.tmp", file);
  FILE *f = fopen(tmp, "w");
  if(!f)
    die(tmp);
  fputs(content, f);
  if(fclose(f))
    die(tmp);
  if(rename(tmp, file))
    die(file);
}

static volatile sig_atomic_t stop;
static void on_term(int sig)
{
  (void)sig;
  stop = 1;
}

static const char *const modes[] = {
  "endless", "drip", "slow", "drip-head", "gzip", "loop", "loop-self", "redirect-out",
  "bad-status", "no-colon", "long-header", "many-headers", "nul-header", "reset",
  "tls-garbage", "biglen", "bad-spec",
};

int main(int argc, char **argv)
{
  const char *url_file = NULL;
  long lifetime = 300;
  for(int i = 1; i < argc; i++) {
    if(!strcmp(argv[i], "--mode") && i + 1 < argc)
      mode = argv[++i];
    else if(!strcmp(argv[i], "--url-file") && i + 1 < argc)
      url_file = argv[++i];
    else if(!strcmp(argv[i], "--lifetime") && i + 1 < argc)
      lifetime = strtol(argv[++i], NULL, 10);
    else {
      fprintf(stderr, "usage: hostile --mode MODE --url-file FILE [--lifetime SEC]\n");
      return 2;
    }
  }
  int known = 0;
  for(size_t i = 0; mode && i < sizeof(modes) / sizeof(modes[0]); i++)
    known |= !strcmp(mode, modes[i]);
  if(!known || !url_file) {
    fprintf(stderr, "hostile: --mode is one of:");
    for(size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
      fprintf(stderr, " %s", modes[i]);
    fprintf(stderr, "; --url-file is required\n");
    return 2;
  }
  if(!strcmp(mode, "gzip"))
    make_bomb();
  signal(SIGPIPE, SIG_IGN);
  signal(SIGCHLD, SIG_IGN); /* children are reaped by the kernel */
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);

  int lfd = listen_on("127.0.0.1", &port);
  int cfd = -1;
  char canary_path[4200];
  char content[512];
  snprintf(content, sizeof(content), "%s://127.0.0.1:%d/\n",
           strcmp(mode, "tls-garbage") ? "http" : "https", port);
  if(!strcmp(mode, "redirect-out")) {
    cfd = listen_on("127.0.0.2", &canary_port);
    snprintf(canary_path, sizeof(canary_path), "%s.canary", url_file);
    canary_file = canary_path;
    FILE *f = fopen(canary_file, "w"); /* empty: no connection yet */
    if(!f)
      die(canary_file);
    fclose(f);
    size_t n = strlen(content);
    snprintf(content + n, sizeof(content) - n, "http://127.0.0.2:%d/\n", canary_port);
  }
  write_url_file(url_file, content);

  time_t end = time(NULL) + lifetime;
  while(!stop && time(NULL) < end) {
    struct pollfd pf[2] = {{lfd, POLLIN, 0}, {cfd, POLLIN, 0}};
    int r = poll(pf, cfd >= 0 ? 2 : 1, 500);
    if(r < 0 && errno == EINTR)
      continue;
    if(r < 0)
      die("poll");
    if(cfd >= 0 && (pf[1].revents & POLLIN)) {
      int fd = accept(cfd, NULL, NULL);
      if(fd >= 0)
        record_canary(fd);
    }
    if(!(pf[0].revents & POLLIN))
      continue;
    int fd = accept(lfd, NULL, NULL);
    if(fd < 0)
      continue;
    pid_t pid = fork();
    if(pid == 0) {
      close(lfd);
      if(cfd >= 0)
        close(cfd);
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      signal(SIGTERM, SIG_DFL);
      alarm(120); /* no child outlives a stuck peer for long */
      serve(fd);
      _exit(0);
    }
    close(fd);
  }
  close(lfd);
  if(cfd >= 0)
    close(cfd);
  /* Children still serving die with us (PR_SET_PDEATHSIG). */
  free(bomb);
  return 0;
}
