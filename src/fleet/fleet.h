/*
 * fleet.h - the targets of a multi-target scan: URLs from the command
 * line and from a list (`-l FILE`, one target per line), each with the
 * options that may differ per target, and the shard a target belongs to
 * (`--shard I/N`).
 *
 * A list is untrusted input (tests/fuzz/fuzz_targets.c): lines are
 * bounded, a bad line is an error naming its number, nothing is ever
 * printed here.
 *
 * List syntax (docs/cli.md): blank lines and lines starting with `#` are
 * skipped; otherwise a URL, then options: `--spec FILE|URL`, `--scope
 * HOST[:PORT]` (repeatable), `--no-discovery`, `--auth-required`. Values
 * may be quoted ('...' or "..."). A token starting with `#` starts a
 * comment. A relative --spec file is relative to the list's directory.
 */
#ifndef WD_FLEET_H
#define WD_FLEET_H
#include <stddef.h>

#define FLEET_LINE_MAX 8192          /* bytes of one line */
#define FLEET_MAX_TARGETS 1000000    /* targets of one run */
#define FLEET_FILE_MAX (64u << 20)   /* bytes of one list */
#define FLEET_SCOPE_MAX 8            /* --scope entries of one line */

struct fleet_target {
  char *url;        /* as given */
  char *key;        /* normalised: scheme://host:port/path?query */
  char *spec;       /* --spec on its line, or NULL */
  char *scope[FLEET_SCOPE_MAX];
  int nscope;
  int no_discovery, auth_required;
  int line;         /* its line in the list, 0 = the command line */
  const char *list; /* the list's name (fleet_parse's name, borrowed) */
};

struct fleet_list {
  struct fleet_target *v;
  size_t n, cap;
};

void fleet_list_init(struct fleet_list *l);
void fleet_list_cleanup(struct fleet_list *l);
/* Adds a URL from the command line. family: 0 either, 4 or 6 (an IP
 * literal of the other family is refused). 0, or -1 with err. */
int fleet_add_url(struct fleet_list *l, const char *url, int family,
                  char *err, size_t errlen);
/* Parses a whole list held in memory; name (the file, or "-") and the
 * line number prefix every error; dir (may be NULL) is where relative
 * --spec files are. 0, or -1 with err ("list:7: ..."). */
int fleet_parse(struct fleet_list *l, const char *text, size_t len,
                const char *name, const char *dir, int family,
                char *err, size_t errlen);
/* Reads and parses path ("-" for standard input), at most
 * FLEET_FILE_MAX bytes. 0, or -1 with err naming the file. */
int fleet_load(struct fleet_list *l, const char *path, int family,
               char *err, size_t errlen);
/* Parses "I/N" (0 <= I < N <= 65536). 0, or -1 with err. */
int fleet_shard_parse(const char *arg, unsigned *i, unsigned *n,
                      char *err, size_t errlen);
/* 1 when t belongs to shard i of n: a hash of its normalised URL, so
 * the choice does not depend on the order of the list. */
int fleet_in_shard(const struct fleet_target *t, unsigned i, unsigned n);
/* Keeps only the targets of shard i of n, and the first of each
 * normalised URL (a target listed twice is scanned once). */
void fleet_select(struct fleet_list *l, unsigned i, unsigned n);

#endif
