/*
 * core_file.h - the one whole-file reader (iac inputs, --ignore,
 * --baseline, the config file): bounded, NUL-terminated.
 */
#ifndef WD_CORE_FILE_H
#define WD_CORE_FILE_H
#include <stddef.h>
#include <stdio.h>

/* Reads f to its end, at most max bytes. Returns a NUL-terminated heap
 * buffer (length in *len), or NULL with "larger than N MiB" (or "N
 * bytes") or "read error: ..." in err; the caller names the file. */
char *file_read_all(FILE *f, size_t max, size_t *len, char *err, size_t errlen);

/* Reads the file at path whole (open, fstat, read: no stdio) into *buf,
 * a heap buffer of *cap bytes that is grown as needed and reused from
 * call to call (the caller frees it; NULL and 0 to start), at most max
 * bytes. Returns 0 with the length in *len and a NUL after the data, or
 * -1 with "cannot read: ...", "read error: ..." or "larger than N MiB"
 * (as file_read_all) in err; the caller names the file. */
int file_read_path(const char *path, size_t max, char **buf, size_t *cap, size_t *len,
                   char *err, size_t errlen);

#endif
