/*
 * fuzz_header.c - http_header() over any raw header block, as the engine
 * stores it (capped at HTTP_HEADERS_CAP): every name the checks ask for,
 * every index up to the first miss, output buffers of every awkward size.
 * Invariants: the value fits the buffer, is NUL-terminated, and carries
 * no CR, LF or other control character but HTAB (a value is one line of
 * text; it may end up in a terminal report).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/net/net_http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const names[] = {
  "Content-Type", "Location", "Set-Cookie", "Server", "X-Powered-By",
  "Strict-Transport-Security", "WWW-Authenticate", "Access-Control-Allow-Origin",
  "X-Content-Type-Options", "Content-Length", "Docker-Experimental", "Api-Version",
  "X", "", "Content-Type:", "content-type",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  struct http_exchange x;
  http_exchange_init(&x, "GET", NULL);
  buf_append(&x.head, data, size); /* cut at the cap, like the engine */
  if(x.head.len > HTTP_HEADERS_CAP)
    abort();
  static const size_t lens[] = {0, 1, 2, 8, 64, 256, 4096};
  char out[4096 + 8];
  for(size_t n = 0; n < sizeof(names) / sizeof(names[0]); n++) {
    for(int idx = 0; idx < 64; idx++) {
      int found = 0;
      for(size_t l = 0; l < sizeof(lens) / sizeof(lens[0]); l++) {
        memset(out, 0x55, sizeof(out));
        int r = http_header(&x, names[n], idx, out, lens[l]);
        if(l == 0) {
          if(out[0] != 0x55)
            abort(); /* outlen 0: nothing written */
          found = r;
          continue;
        }
        if(r != found)
          abort(); /* the answer does not depend on the buffer */
        if(!r)
          continue;
        size_t vl = strnlen(out, lens[l]);
        if(vl >= lens[l] || out[lens[l]] != 0x55)
          abort(); /* NUL inside the buffer, nothing past it */
        for(size_t i = 0; i < vl; i++)
          if(((unsigned char)out[i] < 0x20 && out[i] != '\t') || out[i] == 0x7f)
            abort(); /* one line of text: no CR, LF, ESC or other controls */
      }
      if(!found)
        break;
    }
  }
  http_exchange_cleanup(&x);
  return 0;
}
