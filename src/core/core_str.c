#include "core_str.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core_alloc.h"
#include "core_buf.h"
#include "core_mask.h"

const char *str_find_ci(const char *hay, size_t n, const char *needle)
{
  size_t m = strlen(needle);
  if(m == 0)
    return hay;
  if(m > n)
    return NULL;
  int first = tolower((unsigned char)needle[0]);
  for(size_t i = 0; i + m <= n; i++) {
    if(tolower((unsigned char)hay[i]) != first)
      continue;
    size_t j = 1;
    while(j < m && tolower((unsigned char)hay[i + j]) ==
                       tolower((unsigned char)needle[j]))
      j++;
    if(j == m)
      return hay + i;
  }
  return NULL;
}

const char *str_find(const char *hay, size_t n, const char *needle)
{
  return memmem(hay, n, needle, strlen(needle));
}

char *str_pct_encode(const char *s, size_t n, const char *keep)
{
  char *out = xmalloc(n * 3 + 1), *w = out;
  for(size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
       (c && strchr(keep, c))) {
      *w++ = (char)c;
    } else {
      static const char hex[] = "0123456789ABCDEF";
      *w++ = '%';
      *w++ = hex[c >> 4];
      *w++ = hex[c & 15];
    }
  }
  *w = '\0';
  return out;
}

int str_starts_with(const char *s, const char *prefix)
{
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

int str_ieq(const char *a, const char *b)
{
  for(; *a && *b; a++, b++)
    if(tolower((unsigned char)*a) != tolower((unsigned char)*b))
      return 0;
  return *a == *b;
}

char *str_mask_secret(const char *s, size_t n)
{
  return mask_value(s, n);
}

char *str_excerpt(const char *s, size_t n, size_t off, size_t max)
{
  if(off > n)
    off = n;
  /* Written straight into one buffer of the largest size it can take:
   * "..." (3), then while below max one more piece of at most 4 bytes
   * (an escape) or up to max (a run), then "..." again, so max + 6; and
   * no input byte gives more than 4. */
  size_t rest = n - off;
  size_t by_max = max < SIZE_MAX / 2 ? max + 3 : SIZE_MAX / 2;
  size_t by_in = rest < SIZE_MAX / 8 ? 4 * rest : SIZE_MAX / 2;
  size_t cap = (by_max < by_in ? by_max : by_in) + 3 + 3 + 1;
  char *b = xmalloc(cap);
  size_t len = 0;
  if(off > 0) {
    memcpy(b, "...", 3);
    len = 3;
  }
  int space = 0;
  size_t i;
  for(i = off; i < n && len < max; i++) {
    unsigned char c = (unsigned char)s[i];
    if(c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      if(!space && len)
        b[len++] = ' ';
      space = 1;
      continue;
    }
    space = 0;
    if(c < 0x20 || c == 0x7f) {
      static const char hex[] = "0123456789abcdef";
      b[len++] = '\\';
      b[len++] = 'x';
      b[len++] = hex[c >> 4];
      b[len++] = hex[c & 15];
      continue;
    }
    /* A run of printable bytes is copied at once, up to max. */
    size_t e = i + 1, room = max - len;
    while(e < n && e - i < room && (unsigned char)s[e] > 0x20 && (unsigned char)s[e] != 0x7f)
      e++;
    memcpy(b + len, &s[i], e - i);
    len += e - i;
    i = e - 1;
  }
  if(i < n) {
    memcpy(b + len, "...", 3);
    len += 3;
  }
  b[len] = '\0';
  return b;
}

unsigned long long str_hash(const char *s, size_t n)
{
  return str_hash_more(STR_HASH_INIT, s, n);
}

unsigned long long str_hash_more(unsigned long long h, const char *s, size_t n)
{
  for(size_t i = 0; i < n; i++) {
    h ^= (unsigned char)s[i];
    h *= 1099511628211ULL;
  }
  return h;
}

void str_random_hex(char *out, size_t n)
{
  static const char hex[] = "0123456789abcdef";
  unsigned char rnd[64];
  size_t got = 0;
  FILE *f = fopen("/dev/urandom", "rb");
  if(f) {
    got = fread(rnd, 1, n < sizeof(rnd) ? n : sizeof(rnd), f);
    fclose(f);
  }
  /* /dev/urandom missing is odd but not fatal: the value only has to be
   * unlikely to name a real route. */
  unsigned long long seed = (unsigned long long)time(NULL) ^ (unsigned long long)getpid();
  for(size_t i = 0; i < n; i++) {
    unsigned v;
    if(i < got) {
      v = rnd[i];
    } else {
      seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
      v = (unsigned)(seed >> 33);
    }
    out[i] = hex[v & 15];
  }
  out[n] = '\0';
}

/* Length of a valid UTF-8 sequence at s (n bytes left), or 0 if invalid. */
size_t str_utf8_len(const unsigned char *s, size_t n)
{
  if(s[0] < 0x80)
    return 1;
  size_t len;
  unsigned min;
  unsigned cp;
  if((s[0] & 0xe0) == 0xc0) {
    len = 2; min = 0x80; cp = s[0] & 0x1f;
  } else if((s[0] & 0xf0) == 0xe0) {
    len = 3; min = 0x800; cp = s[0] & 0x0f;
  } else if((s[0] & 0xf8) == 0xf0) {
    len = 4; min = 0x10000; cp = s[0] & 0x07;
  } else {
    return 0;
  }
  if(len > n)
    return 0;
  for(size_t i = 1; i < len; i++) {
    if((s[i] & 0xc0) != 0x80)
      return 0;
    cp = (cp << 6) | (s[i] & 0x3f);
  }
  if(cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
    return 0;
  return len;
}

size_t str_utf8_invalid_at(const char *s, size_t n)
{
  const unsigned char *u = (const unsigned char *)s;
  for(size_t i = 0; i < n;) {
    size_t l = str_utf8_len(u + i, n - i);
    if(!l)
      return i;
    i += l;
  }
  return n;
}

int str_sorted_keep(void *base, size_t size, int *n, int max, const char *key, int sorted,
                    int *found)
{
  char *b = base;
  int pos = 0;
  *found = 0;
  for(; pos < *n; pos++) {
    int c = strcmp(key, b + (size_t)pos * size);
    if(!c) {
      *found = 1;
      return pos;
    }
    if(sorted && c < 0)
      break;
  }
  if(pos >= max)
    return -1;
  if(*n == max)
    (*n)--;
  memmove(b + (size_t)(pos + 1) * size, b + (size_t)pos * size, (size_t)(*n - pos) * size);
  memset(b + (size_t)pos * size, 0, size);
  (*n)++;
  return pos;
}
