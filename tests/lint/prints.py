#!/usr/bin/env python3
"""Fails if a library prints: only src/cli talks to the user.

Libraries return codes, fill error buffers and add report notes; the
report writers write to the FILE * they are given. This reads every .c
and .h under SRC_DIR except src/cli, with comments and strings dropped
(statics.py's reader), and flags stdout, stderr, printf, puts, putchar
and perror. The one exception is a fatal abort (out of memory, a bug in
warden), whose line says so: "warden: bug:" or "out of memory" in the
original text.

Usage: prints.py SRC_DIR [--expect N]
"""
import os
import re
import sys

import lintlib  # noqa: E402 (tests/lint is the script's own directory)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from statics import strip  # noqa: E402

BAD = re.compile(r"\b(stdout|stderr|perror|putchar|printf|puts|vprintf)\b")
FATAL = ("warden: bug:", "out of memory")


def main():
    args, expect = lintlib.parse_args(sys.argv[1:])
    root = args[0]
    bad = []
    files = 0
    for path, _, text in lintlib.c_sources(root, skip=("cli",)):
        files += 1
        code = strip(text).split("\n")
        orig = text.split("\n")
        for i, line in enumerate(code):
            line = re.sub(r"format\s*\(\s*printf", "", line)
            if BAD.search(line) and not any(m in orig[i] for m in FATAL):
                bad.append(f"{path}:{i + 1}: prints: {orig[i].strip()[:100]}")
    return lintlib.finish("prints.py", root, files, bad, f"{files} files, {len(bad)} places that print", expect)


if __name__ == "__main__":
    sys.exit(main())
