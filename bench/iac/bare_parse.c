/*
 * bare_parse.c - the YAML libraries alone on the benchmark corpus, for
 * the ratio bench/iac/run.sh prints: every document of every file given
 * is parsed and dropped. Mode "fyaml": libfyaml documents (duplicate-key
 * check off, nothing resolved, as docs/iac.md recommends for untrusted
 * input); mode "yaml": libyaml events (what warden iac builds on).
 * Prints "docs=N seconds=S".
 */
#include <libfyaml.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

static double now_s(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long parse_fyaml(const char *path)
{
  struct fy_parse_cfg cfg;
  memset(&cfg, 0, sizeof(cfg));
  cfg.flags = FYPCF_QUIET | FYPCF_ALLOW_DUPLICATE_KEYS;
  struct fy_parser *p = fy_parser_create(&cfg);
  if(!p || fy_parser_set_input_file(p, path))
    return -1;
  long n = 0;
  struct fy_document *d;
  while((d = fy_parse_load_document(p))) {
    n++;
    fy_parse_document_destroy(p, d);
  }
  fy_parser_destroy(p);
  return n;
}

static long parse_yaml(const char *path)
{
  FILE *f = fopen(path, "rb");
  if(!f)
    return -1;
  yaml_parser_t p;
  yaml_parser_initialize(&p);
  yaml_parser_set_input_file(&p, f);
  long n = 0;
  for(;;) {
    yaml_event_t ev;
    if(!yaml_parser_parse(&p, &ev))
      break;
    int end = ev.type == YAML_STREAM_END_EVENT;
    if(ev.type == YAML_DOCUMENT_END_EVENT)
      n++;
    yaml_event_delete(&ev);
    if(end)
      break;
  }
  yaml_parser_delete(&p);
  fclose(f);
  return n;
}

int main(int argc, char **argv)
{
  if(argc < 3) {
    fprintf(stderr, "usage: bare_parse fyaml|yaml FILE...\n");
    return 2;
  }
  int fy = strcmp(argv[1], "fyaml") == 0;
  double t0 = now_s();
  long docs = 0;
  for(int i = 2; i < argc; i++) {
    long n = fy ? parse_fyaml(argv[i]) : parse_yaml(argv[i]);
    if(n < 0) {
      fprintf(stderr, "%s: cannot parse\n", argv[i]);
      return 1;
    }
    docs += n;
  }
  printf("docs=%ld seconds=%.4f\n", docs, now_s() - t0);
  return 0;
}
