#!/usr/bin/env python3
"""Fails if a signature's regex can cost time quadratic in the body.

PCRE2 tries an unanchored pattern at every start position; a lookahead
that scans the rest of the subject (`(?=.*x)`, `(?=[\\s\\S]*x)`) or a
leading `.*` then reads the body once per position: a 64 KiB answer took
23 s of CPU (actuator-threaddump, before it was anchored), and the match
limit, counted per start position, does not bound it. Such a pattern must
be anchored at the start of the body: `^` (without the m flag) or `\\A`
right after its option groups. Anchored, the decision is the same (if
the body matches from some position, the lookaheads also hold from the
start) and the cost is one pass.

Reads the `regex: [...]` lists of every .yaml file under DIR (flow
lists, as signatures/*.yaml write them, possibly over several lines).
Usage: sig_regex.py DIR [--expect N]
"""
import os
import re
import sys

import lintlib  # noqa: E402 (tests/lint is the script's own directory)

SCANS_REST = re.compile(r"\(\?=\s*(?:\.|\[\\s\\S\]|\[\^[^\]]*\])[*+]")
LEADING = re.compile(r"^(?:\(\?[a-zA-Z]+\))*")


def strings(flow):
    """The quoted strings of a YAML flow list, unescaped."""
    out = []
    i = 0
    while i < len(flow):
        c = flow[i]
        if c == "'":
            j, s = i + 1, []
            while j < len(flow):
                if flow[j] == "'" and j + 1 < len(flow) and flow[j + 1] == "'":
                    s.append("'")
                    j += 2
                elif flow[j] == "'":
                    break
                else:
                    s.append(flow[j])
                    j += 1
            out.append("".join(s))
            i = j + 1
        elif c == '"':
            j, s = i + 1, []
            while j < len(flow) and flow[j] != '"':
                if flow[j] == "\\" and j + 1 < len(flow):
                    s.append(flow[j + 1] if flow[j + 1] in '"\\' else flow[j:j + 2])
                    j += 2
                else:
                    s.append(flow[j])
                    j += 1
            out.append("".join(s))
            i = j + 1
        else:
            i += 1
    return out


def quadratic(rx):
    """True if rx scans the rest of the subject from every start position."""
    m = LEADING.match(rx)
    flags = "".join(re.findall(r"\(\?([a-zA-Z]+)\)", m.group(0)))
    rest = rx[m.end():]
    anchored = rest.startswith("\\A") or (rest.startswith("^") and "m" not in flags)
    if anchored:
        return False
    return bool(SCANS_REST.search(rx)) or bool(re.match(r"(?:\.|\[\\s\\S\])[*+]", rest))


def main(argv):
    args, expect = lintlib.parse_args(argv)
    root = args[0]
    files, bad = 0, []
    for dirpath, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            if not name.endswith((".yaml", ".yml")):
                continue
            files += 1
            path = os.path.join(dirpath, name)
            lines = open(path, encoding="utf-8").read().split("\n")
            i = 0
            while i < len(lines):
                m = re.match(r"\s*-?\s*regex:\s*(\[.*)$", lines[i])
                if not m:
                    i += 1
                    continue
                start, flow = i + 1, m.group(1)
                # the list may go on over the next lines
                while not flow.rstrip().endswith("]") and i + 1 < len(lines):
                    i += 1
                    flow += " " + lines[i].strip()
                for rx in strings(flow[1:-1]):
                    if quadratic(rx):
                        bad.append(f"{path}:{start}: unanchored pattern scans the rest of the "
                                   f"body from every position (anchor it with ^ or \\A): {rx}")
                i += 1
    return lintlib.finish("sig_regex", root, files, bad,
                          f"{len(bad)} quadratic pattern(s) in {files} file(s)", expect)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
