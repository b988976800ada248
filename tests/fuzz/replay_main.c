/*
 * replay_main.c - runs a libFuzzer target over every file of a corpus
 * directory once, for builds without libFuzzer (gcc, the sanitizer build
 * the tests use). Prints cmocka-like totals so CI can count them.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int replay_file(const char *path)
{
  FILE *f = fopen(path, "rb");
  if(!f)
    return -1;
  size_t cap = 1 << 16, len = 0;
  uint8_t *data = malloc(cap);
  size_t n;
  while(data && (n = fread(data + len, 1, cap - len, f)) > 0) {
    len += n;
    if(len == cap) {
      cap *= 2;
      uint8_t *d2 = realloc(data, cap);
      if(!d2) {
        free(data);
        data = NULL;
      }
      data = d2;
    }
  }
  fclose(f);
  if(!data)
    return -1;
  LLVMFuzzerTestOneInput(data, len);
  free(data);
  return 0;
}

int main(int argc, char **argv)
{
  if(argc != 2) {
    fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
    return 2;
  }
  DIR *d = opendir(argv[1]);
  if(!d) {
    fprintf(stderr, "%s: no corpus directory\n", argv[1]);
    return 1;
  }
  struct dirent *e;
  int n = 0;
  while((e = readdir(d))) {
    if(e->d_name[0] == '.')
      continue;
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name);
    struct stat st;
    if(stat(path, &st) || !S_ISREG(st.st_mode))
      continue;
    if(replay_file(path) == 0)
      n++;
  }
  closedir(d);
  if(n == 0) {
    fprintf(stderr, "%s: empty corpus\n", argv[1]);
    return 1;
  }
  /* Not cmocka's PASSED line: tests/run-all.sh counts replays apart. */
  fprintf(stderr, "[ REPLAYED ] %d input(s).\n", n);
  return 0;
}
