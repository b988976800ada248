/*
 * bare_parse.c - the floor bench/iac/run.sh compares `warden iac` with:
 * the same files read and parsed by libyaml alone (the parser warden iac
 * builds on), every event pulled and dropped; files that are not YAML
 * (Dockerfiles) are read whole. Prints "files=N docs=N seconds=S".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int is_yaml(const char *p)
{
  size_t l = strlen(p);
  return (l > 4 && !strcmp(p + l - 4, ".yml")) || (l > 5 && !strcmp(p + l - 5, ".yaml"));
}

/* Reads the whole file into a buffer as warden does (it parses from
 * memory), then parses it when it is YAML. Returns documents, or -1. */
static long parse_file(const char *path, char **buf, size_t *cap)
{
  FILE *f = fopen(path, "rb");
  if(!f)
    return -1;
  size_t n = 0, r;
  while((r = fread(*buf + n, 1, *cap - n, f)) > 0) {
    n += r;
    if(n == *cap) {
      *cap *= 2;
      *buf = realloc(*buf, *cap);
    }
  }
  fclose(f);
  if(!is_yaml(path))
    return 0;
  yaml_parser_t p;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_string(&p, (const unsigned char *)*buf, n);
  long docs = 0;
  for(;;) {
    yaml_event_t ev;
    if(!yaml_parser_parse(&p, &ev)) {
      docs = -1;
      break;
    }
    int end = ev.type == YAML_STREAM_END_EVENT;
    if(ev.type == YAML_DOCUMENT_END_EVENT)
      docs++;
    yaml_event_delete(&ev);
    if(end)
      break;
  }
  yaml_parser_delete(&p);
  return docs;
}

int main(int argc, char **argv)
{
  if(argc < 2) {
    fprintf(stderr, "usage: bare_parse FILE...\n");
    return 2;
  }
  size_t cap = 1 << 16;
  char *buf = malloc(cap);
  double t0 = now_s();
  long docs = 0;
  for(int i = 1; i < argc; i++) {
    long n = parse_file(argv[i], &buf, &cap);
    if(n < 0) {
      fprintf(stderr, "%s: cannot parse\n", argv[i]);
      return 1;
    }
    docs += n;
  }
  printf("files=%d docs=%ld seconds=%.4f\n", argc - 1, docs, now_s() - t0);
  free(buf);
  return 0;
}
