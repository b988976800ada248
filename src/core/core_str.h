/*
 * core_str.h - small string helpers with no scanner knowledge.
 */
#ifndef WD_CORE_STR_H
#define WD_CORE_STR_H
#include <stddef.h>

/* Case-insensitive search for needle in the first n bytes of hay; NULL if
 * absent. Works on bodies that hold NUL bytes. */
const char *str_find_ci(const char *hay, size_t n, const char *needle);
/* Case-sensitive search over n bytes (memmem); NULL if absent. */
const char *str_find(const char *hay, size_t n, const char *needle);
/* Percent-encodes s[0..n): letters, digits and the bytes of keep stay,
 * every other byte becomes %XX (upper-case hex). A fresh heap string.
 * keep "-_." for a query value, "-_.~" for RFC 3986's unreserved set. */
char *str_pct_encode(const char *s, size_t n, const char *keep);
int str_starts_with(const char *s, const char *prefix);
int str_ieq(const char *a, const char *b);
/* Masks one known secret value for display: mask_value() of
 * core_mask.h ("AKIAIOSFODNN7EXAMPLE" becomes "AKIA****", a password
 * "****"). Returns a fresh heap string. */
char *str_mask_secret(const char *s, size_t n);
/* Copies at most max bytes of s[off..] into a fresh printable one-line
 * string: control bytes become spaces or \xNN, runs of whitespace fold,
 * and a cut is marked with "...". */
char *str_excerpt(const char *s, size_t n, size_t off, size_t max);
/* 64-bit FNV-1a; used for dedupe keys and body fingerprints. */
unsigned long long str_hash(const char *s, size_t n);
/* The same hash (64-bit FNV-1a) carried on over more bytes:
 * str_hash_more(str_hash(a), b) == str_hash(a b), and
 * str_hash(s, n) == str_hash_more(STR_HASH_INIT, s, n). Lets a key of
 * several parts be hashed without formatting it into one string. */
#define STR_HASH_INIT 1469598103934665603ULL
unsigned long long str_hash_more(unsigned long long h, const char *s, size_t n);
/* Length of the well-formed UTF-8 sequence at s (n > 0 bytes left): 1 to
 * 4, or 0 if it is not one (overlong, surrogate, past U+10FFFF, cut). */
size_t str_utf8_len(const unsigned char *s, size_t n);
/* Offset of the first byte of s[0..n) that is not well-formed UTF-8, or n. */
size_t str_utf8_invalid_at(const char *s, size_t n);
/* Random lowercase hex of n chars into out (n+1 bytes). */
void str_random_hex(char *out, size_t n);
/* Keeps key in a sorted array of *n fixed-size records (size bytes each,
 * the key a NUL-terminated string at offset 0), at most max of them: the
 * max smallest distinct keys, the same whatever order they were offered
 * in. Returns key's index with *found = 1 when it is there already;
 * else a new zeroed record at its sorted place (the largest dropped when
 * full, *n grown), its index and *found = 0, for the caller to fill; -1
 * when key is larger than all max. With sorted = 0 the records keep the
 * order they came in (a new key goes at the end while fewer than max). */
int str_sorted_keep(void *base, size_t size, int *n, int max, const char *key, int sorted,
                    int *found);

#endif
