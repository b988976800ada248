#!/usr/bin/env python3
"""Fails on a Python name used but never defined in the test and bench
scripts (pyflakes' undefined-name checks). Such a name only fails when
its line runs, and the lines that run rarely are the skip paths: test_abuse
called skip() without importing it, so a machine without python3-psycopg2
crashed the suite instead of reporting a skip.

Folders named fixtures are left out (the lints' own bad examples); a root
given on the command line is always read.

Usage: py_names.py DIR... [--expect N]
"""
import os
import sys

import lintlib  # noqa: E402 (tests/lint is the script's own directory)

try:
    from pyflakes import api, messages, reporter
except ImportError:
    # The system's python3 has Debian's python3-pyflakes; another python3
    # earlier on PATH (a pyenv) may not.
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != \
            os.path.realpath("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    print("py_names: python3-pyflakes is not installed (scripts/install-deps.sh installs it)",
          file=sys.stderr)
    sys.exit(1)

KINDS = (messages.UndefinedName, messages.UndefinedLocal, messages.UndefinedExport)


class Collect(reporter.Reporter):
    def __init__(self):
        super().__init__(sys.stderr, sys.stderr)
        self.bad = []

    def flake(self, m):
        if isinstance(m, KINDS):
            self.bad.append(f"{m.filename}:{m.lineno}: {m.message % m.message_args}")

    def syntaxError(self, filename, msg, lineno, offset, text):
        self.bad.append(f"{filename}:{lineno}: syntax error: {msg}")


def main(argv):
    roots, expect = lintlib.parse_args(argv[1:])
    rep = Collect()
    files = 0
    for root in roots:
        for d, subdirs, names in os.walk(root):
            subdirs[:] = sorted(x for x in subdirs if x not in ("__pycache__", "node_modules", "fixtures"))
            for n in sorted(names):
                if n.endswith(".py"):
                    files += 1
                    api.checkPath(os.path.join(d, n), rep)
    return lintlib.finish("py_names", " ".join(roots), files, rep.bad,
                          f"{len(rep.bad)} undefined names in {files} files", expect)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
