"""What the lints (statics.py, prints.py, rule_ids.py) share: the
`--expect N` option and the ending (offenders, a summary line, the exit
code). A lint that read no file fails: it checked nothing."""
import os
import sys


def parse_args(argv):
    """Returns (positional args, expect): expect is N from --expect N, or None."""
    args = list(argv)
    expect = None
    if "--expect" in args:
        k = args.index("--expect")
        expect = int(args[k + 1])
        del args[k:k + 2]
    return args, expect


def finish(tool, root, files, bad, summary, expect):
    """Prints each offender and the summary; the exit code: 1 if no file was
    read, else 0 when there is no offender (with --expect: exactly N)."""
    if files == 0:
        print(f"{tool}: no source files under {root}", file=sys.stderr)
        return 1
    for b in bad:
        print(b)
    print(f"{tool}: {summary}")
    if expect is not None:
        return 0 if len(bad) == expect else 1
    return 1 if bad else 0


def c_sources(root, skip=()):
    """Yields (path, rel, text) for every .c and .h under root, in sorted
    order: rel is the path below root with "/" separators; folders named
    in skip (basenames) are left out with everything below them."""
    for dirpath, subdirs, names in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in skip)
        for name in sorted(names):
            if not name.endswith((".c", ".h")):
                continue
            path = os.path.join(dirpath, name)
            with open(path, encoding="utf-8", errors="replace") as f:
                text = f.read()
            yield path, os.path.relpath(path, root).replace(os.sep, "/"), text
