/*
 * fuzz_nuclei.c - the nuclei template loader (--templates) and, when a
 * template loads, its matchers and extractor on a fixed response. Corpus:
 * tests/fuzz/corpus/nuclei/ (the templates of tests/fixtures/templates).
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
  char why[400] = "";
  int rc = sig_load_template(&c, "fuzz.yaml", (const char *)data, size, why, sizeof(why));
  if(rc == 1 && (!why[0] || c.n || c.nrules))
    abort(); /* a skip says why and leaves nothing behind */
  if(rc == 0) {
    sig_catalog_index(&c);
    const char *head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nServer: x\r\n\r\n";
    const char *body = "{\"activeProfiles\":[\"prod\"],\"kind\":\"PodList\"}";
    struct sig_resp r = {200, head, strlen(head), body, strlen(body)};
    struct sig_hit h[16];
    char xv[128];
    for(size_t i = 0; i < c.n; i++) {
      for(size_t j = 0; j < c.v[i].npaths; j++)
        (void)sig_judge(&c, c.v[i].paths[j], &r, h, 16);
      sig_extract(&c, &c.v[i], &r, xv, sizeof(xv));
    }
  }
  sig_catalog_free(&c);
  return 0;
}
