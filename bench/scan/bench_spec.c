/*
 * bench_spec.c - what reading a spec costs: parses FILE with the scan's
 * reader and prints the operations kept, the text's size and the peak
 * RSS of the process beyond the text (VmHWM after the parse minus VmRSS
 * once the text is read), in KiB. Memory, not time: make bench prints it
 * for specs of several sizes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/core_buf.h"
#include "../../src/scan/scan_spec.h"

static long status_kib(const char *field)
{
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long v = -1;
  size_t n = strlen(field);
  while(f && fgets(line, sizeof(line), f))
    if(!strncmp(line, field, n) && line[n] == ':')
      v = strtol(line + n + 1, NULL, 10);
  if(f)
    fclose(f);
  return v;
}

/* Resets VmHWM to the current RSS (Linux >= 4.0). */
static void reset_peak(void)
{
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if(f) {
    fputs("5", f);
    fclose(f);
  }
}

int main(int argc, char **argv)
{
  if(argc != 2) {
    fprintf(stderr, "usage: bench_spec FILE\n");
    return 2;
  }
  FILE *f = fopen(argv[1], "rb");
  if(!f) {
    perror(argv[1]);
    return 1;
  }
  struct buf b;
  buf_init(&b, 0);
  char chunk[65536];
  size_t n;
  while((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
    buf_append(&b, chunk, n);
  fclose(f);
  reset_peak();
  long before = status_kib("VmRSS");
  struct spec sp;
  char err[512];
  if(spec_parse(&sp, buf_str(&b), b.len, argv[1], err, sizeof(err))) {
    fprintf(stderr, "%s\n", err);
    return 1;
  }
  long peak = status_kib("VmHWM");
  printf("ops=%zu text_kib=%zu peak_beyond_text_kib=%ld\n", sp.n, b.len / 1024,
         peak - before);
  spec_cleanup(&sp);
  buf_cleanup(&b);
  return 0;
}
