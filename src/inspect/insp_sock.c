/*
 * insp_sock.c - the one network exchange inspect makes: a read-only
 * "GET /version" over a container-runtime unix socket it found, to tell a
 * live API from a dead file. Nothing else is ever sent.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "../core/core_time.h"
#include "insp_int.h"

static long sock_now_ms(void)
{
  return (long)(mono_now() * 1000.0);
}

/* Waits for events on fd until the deadline; 1 ready, 0 timed out or
 * failed. */
static int sock_wait(int fd, short events, long deadline)
{
  for(;;) {
    long left = deadline - sock_now_ms();
    if(left <= 0)
      return 0;
    struct pollfd p = {fd, events, 0};
    int r = poll(&p, 1, (int)left);
    if(r < 0 && errno == EINTR)
      continue;
    return r > 0;
  }
}

int insp_sock_reply(const char *resp, size_t got, char *version, size_t vsz,
                    char *err, size_t esz)
{
  if(vsz)
    version[0] = '\0';
  if(got < 12 || memcmp(resp, "HTTP/1.", 7)) {
    snprintf(err, esz, got ? "not an HTTP answer" : "no answer before the timeout");
    return 0;
  }
  /* The body: after the first blank line, NUL bytes or not; its JSON is
   * read from the first brace, within the bytes received. */
  const char *body = memmem(resp, got, "\r\n\r\n", 4);
  const char *brace = body ? memchr(body, '{', got - (size_t)(body - resp)) : NULL;
  char ver[64] = "", api[32] = "";
  if(brace) {
    size_t bl = got - (size_t)(brace - resp);
    insp_json_get(brace, bl, "Version", ver, sizeof(ver));
    insp_json_get(brace, bl, "ApiVersion", api, sizeof(api));
  }
  int status = 0;
  for(int i = 9; i < 12 && resp[i] >= '0' && resp[i] <= '9'; i++)
    status = status * 10 + (resp[i] - '0');
  if(ver[0])
    snprintf(version, vsz, "HTTP %d, Version %s%s%s", status, ver,
             api[0] ? ", ApiVersion " : "", api);
  else
    snprintf(version, vsz, "HTTP %d", status);
  return 1;
}

int insp_sock_version(const char *path, int timeout_ms, char *version,
                      size_t vsz, char *err, size_t esz)
{
  static const char req[] = "GET /version HTTP/1.0\r\nHost: localhost\r\n"
                            "User-Agent: warden-inspect\r\n\r\n";
  if(vsz)
    version[0] = '\0';
  struct sockaddr_un sa;
  memset(&sa, 0, sizeof(sa));
  sa.sun_family = AF_UNIX;
  if(strlen(path) >= sizeof(sa.sun_path)) {
    snprintf(err, esz, "path too long for a unix socket");
    return 0;
  }
  memcpy(sa.sun_path, path, strlen(path));
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  if(fd < 0) {
    snprintf(err, esz, "socket: %s", strerror(errno));
    return 0;
  }
  long deadline = sock_now_ms() + timeout_ms;
  int answered = 0;
  char resp[16384];
  size_t got = 0;
  if(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) &&
     !(errno == EINPROGRESS || errno == EAGAIN)) {
    snprintf(err, esz, "connect: %s", strerror(errno));
    goto out;
  }
  if(!sock_wait(fd, POLLOUT, deadline)) {
    snprintf(err, esz, "connect timed out");
    goto out;
  }
  size_t sent = 0;
  while(sent < sizeof(req) - 1) {
    ssize_t w = send(fd, req + sent, sizeof(req) - 1 - sent, MSG_NOSIGNAL);
    if(w < 0 && (errno == EAGAIN || errno == EINTR)) {
      if(!sock_wait(fd, POLLOUT, deadline))
        break;
      continue;
    }
    if(w <= 0)
      break;
    sent += (size_t)w;
  }
  if(sent < sizeof(req) - 1) {
    snprintf(err, esz, "send failed or timed out");
    goto out;
  }
  while(got < sizeof(resp) - 1) {
    if(!sock_wait(fd, POLLIN, deadline))
      break;
    ssize_t r = recv(fd, resp + got, sizeof(resp) - 1 - got, 0);
    if(r < 0 && (errno == EAGAIN || errno == EINTR))
      continue;
    if(r <= 0)
      break;
    got += (size_t)r;
  }
  resp[got] = '\0';
  answered = insp_sock_reply(resp, got, version, vsz, err, esz);
out:
  close(fd);
  return answered;
}
