#!/usr/bin/env python3
"""Keeps docs/design.md's worked example of adding a check exactly true.

The example under "## Adding a check" is compiled against today's headers
(C17, -Wall -Wextra -Werror, as meson builds the checks), and its object
must define exactly one global symbol, `check_<name>` (the contract: the
const struct is the file's only non-static symbol). The registry line the
example shows must be `CHECK(<name>)`, and meson.build must still derive
the check sources from src/checks/checks.def (so the file plus that line
is all the build needs).

Usage: design_example.py ROOT [--expect N]
With --expect, exits 0 only if exactly N problems are found (the
self-test on tests/lint/fixtures/design proves the lint can fail).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

import lintlib  # noqa: E402 (tests/lint is the script's own directory)

PKGS = ["libcurl", "openssl", "libpcre2-8", "jansson"]


def main():
    args, expect = lintlib.parse_args(sys.argv[1:])
    root = args[0]
    src_root = os.path.abspath(args[1] if len(args) > 1 else root)
    bad = []
    files = 0
    try:
        with open(os.path.join(root, "docs", "design.md"), encoding="utf-8") as f:
            doc = f.read()
        files += 1
    except OSError as e:
        print(f"design_example.py: {e}", file=sys.stderr)
        return 1
    sect = doc.split("## Adding a check", 1)
    sect = sect[1] if len(sect) == 2 else ""
    sect = re.split(r"^## ", sect, flags=re.M)[0]
    code = re.search(r"```c\n(.*?)```", sect, re.S)
    line = re.search(r"```\n\s*(CHECK\(\w+\))\s*\n```", sect)
    if not code or not line:
        bad.append("docs/design.md: no ```c example and CHECK(...) line under '## Adding a check'")
        return lintlib.finish("design_example.py", root, files, bad, f"{len(bad)} problem(s)", expect)
    name = re.match(r"CHECK\((\w+)\)", line.group(1)).group(1)
    path = re.search(r"/\* src/checks/(chk_\w+)\.c", code.group(1))
    if not path or path.group(1) != "chk_" + name:
        bad.append(f"docs/design.md: the example's file is not src/checks/chk_{name}.c")

    with open(os.path.join(src_root, "meson.build"), encoding="utf-8") as f:
        meson = f.read()
    if not re.search(r"fs\.read\('src/checks/checks\.def'\)", meson) or \
       "'src/checks/chk_' +" not in meson:
        bad.append("meson.build: the check sources are no longer derived from checks.def")

    cc = os.environ.get("CC", "cc")
    pc = subprocess.run(["pkg-config", "--cflags"] + PKGS, capture_output=True, text=True)
    if pc.returncode != 0:
        print(f"design_example.py: pkg-config: {pc.stderr.strip()}", file=sys.stderr)
        return 1
    tmp = tempfile.mkdtemp(prefix="warden-design-")
    try:
        # Where the example says it lives, so its includes resolve as in the tree.
        cdir = os.path.join(tmp, "src", "checks")
        os.makedirs(cdir)
        for d in os.listdir(os.path.join(src_root, "src")):
            if d != "checks":
                os.symlink(os.path.join(src_root, "src", d), os.path.join(tmp, "src", d))
        for h in os.listdir(os.path.join(src_root, "src", "checks")):
            if h.endswith((".h", ".def")):
                os.symlink(os.path.join(src_root, "src", "checks", h), os.path.join(cdir, h))
        c = os.path.join(cdir, f"chk_{name}.c")
        with open(c, "w") as f:
            f.write(code.group(1))
        obj = c[:-2] + ".o"
        r = subprocess.run([cc, "-std=c17", "-Wall", "-Wextra", "-Werror", "-D_GNU_SOURCE",
                            "-c", c, "-o", obj] + pc.stdout.split(),
                           capture_output=True, text=True)
        if r.returncode != 0:
            bad.append(f"docs/design.md: the example does not compile:\n{r.stderr.strip()[:1500]}")
        else:
            nm = subprocess.run(["nm", "-g", "--defined-only", obj], capture_output=True,
                                text=True, check=True).stdout.split()
            syms = [s for s in nm if re.match(r"^[A-Za-z_]\w*$", s) and len(s) > 1]
            if syms != [f"check_{name}"]:
                bad.append(f"docs/design.md: the example defines {syms}, not only check_{name}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return lintlib.finish("design_example.py", root, files, bad, f"{len(bad)} problem(s)", expect)


if __name__ == "__main__":
    sys.exit(main())
