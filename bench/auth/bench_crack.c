/* bench_crack WORDS: words per second of warden's JWT wordlist crack
 * (scan_jwt.c: one EVP_MAC context re-keyed per word) on an HS256 token
 * whose secret is in no list, over a generated wordlist of WORDS lines of
 * 8-16 characters. Prints "crack: N words in S s = R words/s". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../src/scan/scan_jwt.h"

static double now(void)
{
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
  unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
  if(n > JWT_CRACK_MAX_WORDS)
    n = JWT_CRACK_MAX_WORDS;
  char path[] = "/tmp/warden-bench-words-XXXXXX";
  int fd = mkstemp(path);
  FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
  if(!f)
    return 2;
  srand(7);
  for(unsigned long i = 0; i < n; i++) {
    int len = 8 + rand() % 9;
    for(int k = 0; k < len; k++)
      fputc('a' + rand() % 26, f);
    fputc('\n', f);
  }
  fclose(f);
  const char *input = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhbGljZSIsInNjb3BlIjoicmVhZCB3cml0ZSBhZG1pbiIsImF1ZCI6IndhcmRlbi1sYWIiLCJpYXQiOjE3MDAwMDAwMDB9";
  const char *secret = "Z9x-not-in-any-list-0f3c9a7d2b";
  char *sig = jwt_hs_sign_b64("HS256", input, secret, strlen(secret));
  char *tok = malloc(strlen(input) + strlen(sig) + 2);
  sprintf(tok, "%s.%s", input, sig);
  struct wd_jwt j;
  char err[300], out[JWT_CRACK_MAX_WORD + 1];
  if(jwt_decode(&j, tok, err, sizeof(err)))
    return 2;
  double t0 = now();
  int rc = jwt_crack(&j, path, out, sizeof(out), err, sizeof(err));
  double dt = now() - t0;
  unlink(path);
  if(rc != 0) {
    fprintf(stderr, "bench_crack: unexpected result %d %s\n", rc, err);
    return 1;
  }
  size_t nd = 0;
  while(jwt_default_words[nd])
    nd++;
  unsigned long words = n + nd;
  printf("crack: %lu words in %.3f s = %.0f words/s\n", words, dt, (double)words / dt);
  jwt_free(&j);
  free(sig);
  free(tok);
  return 0;
}
