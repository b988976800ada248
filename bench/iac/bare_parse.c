/*
 * bare_parse.c - the floor bench/iac/run.sh compares `warden iac` with:
 * the same files read and parsed by libyaml alone (the parser warden iac
 * builds on), every event pulled and dropped; files that are not YAML
 * (Dockerfiles) are read whole. Prints "files=N docs=N seconds=S".
 *
 * Files are read the cheapest way there is (open, fstat, read into one
 * reused buffer; no stdio), as warden reads them. A directory argument
 * is walked with readdir and d_type (lstat only where the file system
 * leaves d_type unknown), keeping the files warden would read (YAML by
 * extension, Dockerfiles by name), unsorted: what any tool given a
 * directory must do before it parses, done as cheaply as possible.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

struct rd {
  char *buf;
  size_t cap;
  long files, docs;
};

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int is_yaml(const char *p)
{
  size_t l = strlen(p);
  return (l > 4 && !strcasecmp(p + l - 4, ".yml")) ||
         (l > 5 && !strcasecmp(p + l - 5, ".yaml"));
}

static int is_dockerfile(const char *base)
{
  size_t l = strlen(base);
  return !strcasecmp(base, "Dockerfile") || !strcasecmp(base, "Containerfile") ||
         !strncasecmp(base, "Dockerfile.", 11) || !strncasecmp(base, "Containerfile.", 14) ||
         (l > 11 && !strcasecmp(base + l - 11, ".dockerfile"));
}

/* Reads the whole file into the reused buffer, then parses it when it
 * is YAML. Returns 0, or -1. */
static int parse_file(struct rd *r, const char *path)
{
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if(fd < 0)
    return -1;
  struct stat st;
  if(fstat(fd, &st) == 0 && (size_t)st.st_size + 2 > r->cap) {
    r->cap = (size_t)st.st_size + 2;
    r->buf = realloc(r->buf, r->cap);
  }
  size_t n = 0;
  ssize_t got;
  while((got = read(fd, r->buf + n, r->cap - 1 - n)) > 0) {
    n += (size_t)got;
    if(n == r->cap - 1) {
      r->cap *= 2;
      r->buf = realloc(r->buf, r->cap);
    }
  }
  close(fd);
  if(got < 0)
    return -1;
  r->files++;
  if(!is_yaml(path))
    return 0;
  yaml_parser_t p;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_string(&p, (const unsigned char *)r->buf, n);
  int rc = 0;
  for(;;) {
    yaml_event_t ev;
    if(!yaml_parser_parse(&p, &ev)) {
      rc = -1;
      break;
    }
    int end = ev.type == YAML_STREAM_END_EVENT;
    if(ev.type == YAML_DOCUMENT_END_EVENT)
      r->docs++;
    yaml_event_delete(&ev);
    if(end)
      break;
  }
  yaml_parser_delete(&p);
  return rc;
}

static int walk(struct rd *r, const char *dir)
{
  DIR *d = opendir(dir);
  if(!d)
    return -1;
  struct dirent *e;
  char path[4096];
  int rc = 0;
  while(rc == 0 && (e = readdir(d))) {
    if(e->d_name[0] == '.' && (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
      continue;
    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
    int dt = e->d_type;
    if(dt == DT_UNKNOWN) {
      struct stat st;
      dt = lstat(path, &st) ? DT_UNKNOWN : S_ISDIR(st.st_mode) ? DT_DIR
         : S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
    }
    if(dt == DT_DIR)
      rc = walk(r, path);
    else if(dt == DT_REG && (is_yaml(e->d_name) || is_dockerfile(e->d_name)) &&
            parse_file(r, path)) {
      fprintf(stderr, "%s: cannot parse\n", path);
      rc = -1;
    }
  }
  closedir(d);
  return rc;
}

int main(int argc, char **argv)
{
  if(argc < 2) {
    fprintf(stderr, "usage: bare_parse FILE|DIR...\n");
    return 2;
  }
  struct rd r = {malloc(1 << 16), 1 << 16, 0, 0};
  double t0 = now_s();
  for(int i = 1; i < argc; i++) {
    struct stat st;
    if(stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      if(walk(&r, argv[i]))
        return 1;
    } else if(parse_file(&r, argv[i])) {
      fprintf(stderr, "%s: cannot parse\n", argv[i]);
      return 1;
    }
  }
  printf("files=%ld docs=%ld seconds=%.4f\n", r.files, r.docs, now_s() - t0);
  free(r.buf);
  return 0;
}
