#include "core_b64.h"

int b64_value(unsigned char c, int std_too)
{
  if(c >= 'A' && c <= 'Z')
    return c - 'A';
  if(c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if(c >= '0' && c <= '9')
    return c - '0' + 52;
  if(c == '-' || (std_too && c == '+'))
    return 62;
  if(c == '_' || (std_too && c == '/'))
    return 63;
  return -1;
}

long b64_decode(const char *in, size_t n, unsigned char *out, size_t outsz, int std_too)
{
  while(n > 0 && in[n - 1] == '=')
    n--;
  if(n % 4 == 1)
    return -1; /* one leftover character cannot encode a byte */
  size_t o = 0;
  unsigned acc = 0;
  int bits = 0;
  for(size_t i = 0; i < n; i++) {
    int v = b64_value((unsigned char)in[i], std_too);
    if(v < 0)
      return -1;
    acc = (acc << 6 | (unsigned)v) & 0xffffff;
    bits += 6;
    if(bits >= 8) {
      bits -= 8;
      if(o >= outsz)
        return -1;
      out[o++] = (unsigned char)(acc >> bits);
    }
  }
  return (long)o;
}
