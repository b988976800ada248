#!/usr/bin/env python3
"""Fails if an include runs back up the layers of src/.

Each folder of src/ stands on one layer (docs/design.md, "Layers"); a
file may include headers of its own folder and of folders on lower
layers only. Two folders of one layer never include each other (the
sides scan, iac and inspect know nothing of one another; the CLI joins
them). A folder that is in no layer fails too: a new folder is placed
in LAYERS (and in the design doc's table) when it is made.

This reads every .c and .h file under SRC_DIR and each of its
`#include "..."` lines (system headers, <...>, are not looked at).

Usage: layers.py SRC_DIR [--expect N]
Prints each offender; exits 1 if any (with --expect, unless exactly N:
the self-test on tests/lint/fixtures/layers proves the lint can fail).
"""
import os
import re
import sys

import lintlib  # noqa: E402 (tests/lint is the script's own directory)

# From the top down. Keep in step with docs/design.md ("Layers").
LAYERS = [
    ("cli",),                                 # the only part that talks to the user
    ("checks",),                              # the scan's plug-ins
    ("scan", "iac", "inspect", "store"),      # the sides, and the run history
    ("report", "sig", "correlate", "fleet"),  # what the sides share
    ("model", "net", "yaml"),                 # findings, the HTTP/TLS engine, YAML
    ("core",),                                # libc-only helpers, no scanner knowledge
]
RANK = {f: len(LAYERS) - i for i, row in enumerate(LAYERS) for f in row}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main():
    args, expect = lintlib.parse_args(sys.argv[1:])
    root = os.path.abspath(args[0])
    bad = []
    files = 0
    for path, rel, text in lintlib.c_sources(root):
        dirpath = os.path.dirname(path)
        folder = rel.split("/")[0]
        files += 1
        if folder not in RANK:
            bad.append(f"{path}:1: folder src/{folder} is in no layer (tests/lint/layers.py LAYERS)")
            continue
        for m in INCLUDE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            target = os.path.normpath(os.path.join(dirpath, m.group(1)))
            trel = os.path.relpath(target, root)
            if trel.startswith(".."):
                bad.append(f"{path}:{line}: includes {m.group(1)}, outside src/")
                continue
            tfolder = trel.split(os.sep)[0]
            if tfolder == folder or os.sep not in trel:
                continue
            if tfolder not in RANK:
                bad.append(f"{path}:{line}: includes {m.group(1)}: src/{tfolder} is in no layer")
            elif RANK[tfolder] >= RANK[folder]:
                how = "the same layer" if RANK[tfolder] == RANK[folder] else "a higher layer"
                bad.append(f"{path}:{line}: src/{folder} includes {m.group(1)} of {how} "
                           f"(src/{tfolder}): includes point down the layers")
    return lintlib.finish("layers.py", root, files, bad,
                          f"{files} files, {len(bad)} includes against the layers", expect)


if __name__ == "__main__":
    sys.exit(main())
