#!/usr/bin/env python3
"""Fails when a document or a completion disagrees with the binary's tables.

Options and rules are tables in the code (src/cli/cli_opts.c, the check
registry and the other rule tables); the documents derived from them are
checked against what the built binary prints, so a stale one fails:

- docs/cli.md's option tables (between the `<!-- options:begin -->` and
  `<!-- options:end -->` markers) are exactly `warden config options
  --format md`;
- docs/rules.md is exactly `warden checks --format md`;
- completions/warden.bash and completions/_warden offer every option of
  each command (`warden config options`): the report options in their
  shared list, a command's own options in its branch;
- man/warden.1 describes every report option.

Regenerate with
  warden config options --format md   (into docs/cli.md between the markers)
  warden checks --format md > docs/rules.md

Usage: docs_gen.py WARDEN_BINARY ROOT [--expect N]
With --expect, exits 0 only if exactly N offenders are found (the
self-test on tests/lint/fixtures/docs proves the lint can fail).
"""
import os
import re
import subprocess
import sys

import lintlib  # noqa: E402 (tests/lint is the script's own directory)

BEGIN = "<!-- options:begin -->"
END = "<!-- options:end -->"


def run(warden, *args):
    p = subprocess.run([warden, *args], capture_output=True, text=True)
    if p.returncode != 0 or not p.stdout.strip():
        sys.exit(f"docs_gen.py: `warden {' '.join(args)}` failed (exit {p.returncode}): "
                 f"{p.stderr.strip()[-300:]}")
    return p.stdout


def options(warden):
    """{command: [(long, short or None)]} from `warden config options`."""
    cmds = {}
    for line in run(warden, "config", "options").splitlines():
        f = line.split("\t")
        if len(f) != 4 or not f[1].startswith("--"):
            sys.exit(f"docs_gen.py: unreadable line of `warden config options`: {line!r}")
        cmds.setdefault(f[0], []).append((f[1], None if f[2] == "-" else f[2]))
    if set(cmds) != {"scan", "iac", "inspect"} or sum(map(len, cmds.values())) < 40:
        sys.exit(f"docs_gen.py: `warden config options` listed {cmds.keys()}: too few")
    return cmds


def read(root, rel):
    try:
        with open(os.path.join(root, rel), encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None


def named(text, opt):
    return re.search(re.escape(opt) + r"(?![\w-])", text) is not None


def block(text, start, end):
    """The text from the first match of start to the next match of end."""
    m = re.search(start, text, re.M)
    if not m:
        return ""
    e = re.search(end, text[m.end():], re.M)
    return text[m.start():m.end() + (e.end() if e else len(text))]


def main():
    args, expect = lintlib.parse_args(sys.argv[1:])
    warden, root = args[0], args[1]
    bad = []
    files = 0

    cli = read(root, "docs/cli.md")
    if cli is not None:
        files += 1
        want = run(warden, "config", "options", "--format", "md")
        b, e = cli.find(BEGIN), cli.find(END)
        have = cli[b + len(BEGIN):e].strip("\n") if 0 <= b < e else None
        if have != want.strip("\n"):
            bad.append("docs/cli.md: the option tables are stale or missing (between "
                       f"{BEGIN} and {END}: `warden config options --format md`)")

    rules = read(root, "docs/rules.md")
    if rules is not None:
        files += 1
        if rules != run(warden, "checks", "--format", "md"):
            bad.append("docs/rules.md: stale (`warden checks --format md > docs/rules.md`)")

    cmds = options(warden)
    shared = [o for o in cmds["scan"] if all(o in cmds[c] for c in cmds)]
    comp = {
        "completions/warden.bash": (r'^\s*local report="', r'"',
                                    lambda c: (r"^\s*%s\) opts=" % c, r";;")),
        "completions/_warden": (r"^\s*report=\($", r"^\s*\)$",
                                lambda c: (r"^\s*%s\) _arguments" % c, r";;")),
    }
    for rel, (rs, re_, cmd_block) in comp.items():
        text = read(root, rel)
        if text is None:
            continue
        files += 1
        rep = block(text, rs, re_)
        missing = [o for o, s in shared if not named(rep, o) or (s and not named(rep, s))]
        if missing:
            bad.append(f"{rel}: the report options lack {' '.join(missing)}")
        for c, opts in sorted(cmds.items()):
            part = block(text, *cmd_block(c))
            missing = [o for o, s in opts if (o, s) not in shared and
                       (not named(part, o) or (s and not named(part, s)))]
            if missing:
                bad.append(f"{rel}: {c} lacks {' '.join(missing)}")

    man = read(root, "man/warden.1")
    if man is not None:
        files += 1
        sect = block(man, r"^\.SH REPORT OPTIONS", r"^\.SH ")
        missing = [o for o, s in shared if o != "--help" and
                   not named(sect.replace("\\-", "-"), o)]
        if missing:
            bad.append(f"man/warden.1: REPORT OPTIONS lacks {' '.join(missing)}")

    return lintlib.finish("docs_gen.py", root, files, bad,
                          f"{len(bad)} stale document(s) or completion(s)", expect)


if __name__ == "__main__":
    sys.exit(main())
