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

#endif
