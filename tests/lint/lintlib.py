"""What the lints (statics.py, prints.py, rule_ids.py) share: the
`--expect N` option and the ending (offenders, a summary line, the exit
code). A lint that read no file fails: it checked nothing."""
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
