/*
 * fuzz_url.c - URL parsing, resolution and the scope lock on any bytes.
 *
 * Input: up to three lines, "BASE\nREF\nSCOPE". BASE is parsed (the
 * user's URL), REF resolved against it (a Location header, a spec path),
 * SCOPE added as a --scope entry; then the scope is asked about REF, the
 * resolved URL and the origin. REF is also read as a spec server URL
 * (url_host_of, url_host_nonprod: a host fits its buffer, is lowercase,
 * and its class is a constant string or NULL). Invariants: a URL that parses is inside the
 * scope made from it, and so is its origin; a resolved URL that parses is
 * inside the scope only if its scheme, host and port match an entry.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/net/net_url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Next line of [*p, end) as a fresh string (NULs are cut by strlen). */
static char *take_line(const char **p, const char *end)
{
  const char *nl = memchr(*p, '\n', (size_t)(end - *p));
  const char *e = nl ? nl : end;
  size_t n = (size_t)(e - *p);
  char *s = malloc(n + 1);
  if(!s)
    abort();
  memcpy(s, *p, n);
  s[n] = '\0';
  *p = nl ? nl + 1 : end;
  return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  if(size > 8192)
    return 0;
  const char *p = (const char *)data, *end = p + size;
  char *base = take_line(&p, end);
  char *ref = take_line(&p, end);
  char *spec = take_line(&p, end);
  char err[256];
  struct url_parts u;
  struct scope sc;
  scope_init(&sc);
  if(url_parse(base, &u, err, sizeof(err)) == 0) {
    if(!u.scheme || !u.host || !u.path || u.path[0] != '/' || u.port < 0 || u.port > 65535)
      abort();
    scope_add_url(&sc, &u);
    char *origin = url_origin(&u);
    if(!scope_allows(&sc, base))
      abort(); /* the target itself is in its own scope */
    char *o2 = malloc(strlen(origin) + 2);
    if(!o2)
      abort();
    sprintf(o2, "%s/", origin);
    if(!scope_allows(&sc, o2))
      abort(); /* and so is its origin */
    free(o2);
    free(origin);
    url_parts_cleanup(&u);
  } else if(!err[0]) {
    abort(); /* a failure always says why */
  }
  if(spec[0] && scope_add_spec(&sc, spec, err, sizeof(err)) && !err[0])
    abort();
  char host[64];
  if(url_host_of(ref, host, sizeof(host))) {
    size_t hl = strnlen(host, sizeof(host));
    if(!hl || hl >= sizeof(host))
      abort();
    for(size_t i = 0; i < hl; i++)
      if(host[i] >= 'A' && host[i] <= 'Z')
        abort();
    const char *why = url_host_nonprod(host);
    if(why && !why[0])
      abort();
  }
  char *r = url_resolve(base, ref);
  (void)scope_allows(&sc, ref);
  if(r) {
    int in = scope_allows(&sc, r);
    struct url_parts ru;
    if(url_parse(r, &ru, err, sizeof(err)) == 0) {
      int match = 0;
      for(int i = 0; i < sc.n; i++)
        if((!sc.scheme[i] || !strcmp(sc.scheme[i], ru.scheme)) &&
           !strcmp(sc.host[i], ru.host) && (!sc.port[i] || sc.port[i] == ru.port))
          match = 1;
      if(in != match)
        abort();
      /* Resolving a parsed absolute URL against anything gives it back. */
      char *again = url_resolve("http://127.0.0.1/", r);
      if(!again)
        abort();
      free(again);
      url_parts_cleanup(&ru);
    } else if(in) {
      abort(); /* what does not parse is never in scope */
    }
    free(r);
  }
  free(url_resolve(ref, base));
  scope_cleanup(&sc);
  free(base);
  free(ref);
  free(spec);
  return 0;
}
