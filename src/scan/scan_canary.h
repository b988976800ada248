/*
 * scan_canary.h - the canary listener service for SSRF and jku tests (--active).
 */
#ifndef WD_SCAN_CANARY_H
#define WD_SCAN_CANARY_H
#include <stddef.h>

struct scan;

/* The URL that proves a callback for token (letters, digits, '-'):
 * http://HOST:PORT/wd-<token>. Opens the listener on first use (loopback
 * on an ephemeral port, or --canary HOST:PORT). -1 without --active or
 * when the listener cannot be opened (a report note says why, once). */
int scan_canary_url(struct scan *s, const char *token, char *out, size_t outlen);
/* Makes the listener answer the path of token (scan_canary_url first)
 * with body (at most 16 KiB, copied) as ctype instead of its "ok": the
 * document a test needs the target to fetch (a JWK Set for jku). At most
 * 8 per scan. 0, or -1 when the listener is not open or full. */
int scan_canary_serve(struct scan *s, const char *token, const char *ctype, const char *body);
/* The text the listener's default answer for token's path carries
 * ("ok <key>-<token>", the key random per scan and never sent): found
 * in a target's answer, it proves the target returned what it fetched.
 * 0, or -1 when the listener is not open. */
int scan_canary_marker(struct scan *s, const char *token, char *out, size_t outlen);
/* 1 when the listener got a request for token's path; ua and peer (may
 * be NULL) get that request's User-Agent and source address. */
int scan_canary_hit(struct scan *s, const char *token, char *ua, size_t ualen, char *peer,
                    size_t peerlen);
/* Stops the listener (scan_cleanup). */
void scan_canary_close(struct scan *s);

#endif
