/*
 * fuzz_sig.c - the signature loader (a user's --signatures file) and, when
 * it loads, the matchers on a fixed response. Corpus: tests/fuzz/corpus/sig/
 * (the built-in signature files and broken variants).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/sig/sig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size > 256 * 1024)
    return 0;
  struct sig_catalog c;
  sig_catalog_init(&c);
  char err[512];
  if(sig_load_text(&c, "fuzz.yaml", (const char *)data, size, err, sizeof(err)) == 0) {
    sig_catalog_index(&c);
    const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nApi-Version: 1.43\r\n\r\n";
    const char *body = "{\"ApiVersion\":\"1.43\",\"MinAPIVersion\":\"1.12\",\"status\":\"success\"}";
    struct sig_resp r = {200, head, strlen(head), body, strlen(body)};
    struct sig_hit h[16];
    for(size_t i = 0; i < c.n; i++)
      for(size_t j = 0; j < c.v[i].npaths; j++)
        (void)sig_judge(&c, c.v[i].paths[j], &r, h, 16);
  } else if(!strchr(err, ':')) {
    abort(); /* every error names the file and a line */
  }
  sig_catalog_free(&c);
  return 0;
}
