/*
 * core_b64.h - the one base64 decoder (JWTs, Kubernetes service-account
 * tokens): base64url, optionally standard base64 too.
 */
#ifndef WD_CORE_B64_H
#define WD_CORE_B64_H
#include <stddef.h>

/* Room that decoding n characters may need. */
#define B64_DECODED_MAX(n) ((n) / 4 * 3 + 3)

/* The value (0-63) of one base64url character (with std_too, standard
 * base64's too), or -1. */
int b64_value(unsigned char c, int std_too);
/* Decodes in[0..n) into out (outsz bytes): base64url ('-' '_'), and with
 * std_too also standard base64 ('+' '/'), '=' padding optional. Returns
 * the decoded length, or -1 for a character outside the alphabet, a
 * single leftover character (4k+1 of them cannot encode whole bytes), or
 * an out buffer too small. */
long b64_decode(const char *in, size_t n, unsigned char *out, size_t outsz, int std_too);

#endif
