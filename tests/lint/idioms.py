#!/usr/bin/env python3
"""Fails where code leaves the one error idiom or the one ownership rule.

docs/design.md ("Error idiom and ownership"):
- Out of memory aborts in the allocator (src/core/core_alloc.c: xmalloc,
  xcalloc, xrealloc, xstrdup, xstrndup, xasprintf; xoom for an
  allocation made by a library), so no caller checks for NULL: a raw
  malloc, calloc, realloc, strdup, strndup or asprintf anywhere else is
  an offender.
- Only src/cli ends the process (exit, _exit, quick_exit); a library
  returns a code and writes its reason into the caller's buffer.
- abort() is the allocator's, or follows a "warden: bug:" message (a
  broken invariant of warden itself) within the three lines before it.

This reads every .c and .h under SRC_DIR with comments and strings
dropped (statics.py's reader); the bug marker is read in the original.

Usage: idioms.py SRC_DIR [--expect N]
"""
import os
import re
import sys

import lintlib  # noqa: E402 (tests/lint is the script's own directory)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from statics import strip  # noqa: E402

ALLOC = re.compile(r"(?<![\w.>])(malloc|calloc|realloc|reallocarray|strdup|strndup|"
                   r"asprintf|vasprintf)\s*\(")
EXIT = re.compile(r"(?<![\w.>])(exit|_exit|_Exit|quick_exit)\s*\(")
ABORT = re.compile(r"(?<![\w.>])abort\s*\(")
ALLOCATOR = "core/core_alloc.c"
BUG = "warden: bug:"


def main():
    args, expect = lintlib.parse_args(sys.argv[1:])
    root = args[0]
    bad = []
    files = 0
    for path, rel, text in lintlib.c_sources(root):
        files += 1
        code = strip(text).split("\n")
        orig = text.split("\n")
        for i, line in enumerate(code):
            if rel == ALLOCATOR:
                continue
            for m in ALLOC.finditer(line):
                bad.append(f"{path}:{i + 1}: {m.group(1)}(): allocate with x{m.group(1)} "
                           "(core_alloc.h): out of memory aborts there, nobody checks NULL")
            if not rel.startswith("cli/"):
                for m in EXIT.finditer(line):
                    bad.append(f"{path}:{i + 1}: {m.group(1)}(): only src/cli ends the "
                               "process; return a code and the reason in err")
            if ABORT.search(line) and not any(BUG in orig[k] for k in range(max(0, i - 3), i + 1)):
                bad.append(f"{path}:{i + 1}: abort() without a \"{BUG}\" message: out of "
                           "memory is xoom(), anything else a returned error")
    return lintlib.finish("idioms.py", root, files, bad,
                          f"{files} files, {len(bad)} places off the idiom", expect)


if __name__ == "__main__":
    sys.exit(main())
