#!/usr/bin/env python3
"""Fails if code names a rule id that no rule table holds.

Correlation, the integration tests and the docs refer to rules by id
strings; a typo or a renamed rule would silently match nothing. The rule
tables are read from the built binary (`warden checks`: every check of
the registry, iac, inspect, correlation), so this checks against what
ships. Every string literal of the form "<family>.<name>" (or a family
"<family>." used as a prefix) whose family is a rule family must be a
rule id (or a family that has rules).

Usage: rule_ids.py WARDEN_BINARY ROOT [--expect N]
ROOT is the source tree: src/ (C string literals), tests/integ and
tests/unit (Python and C string literals), docs/*.md (`code` spans).
With --expect, exits 0 only if exactly N unknown ids are found (the
self-test on tests/lint/fixtures proves the lint can fail).
"""
import os
import re
import subprocess
import sys

import lintlib  # noqa: E402 (tests/lint is the script's own directory)

# "inspect.md" is a file name, not a rule
FILE_EXTS = {"md", "json", "py", "c", "h", "yaml", "yml", "txt", "go", "sock",
             "pem", "sh", "toml", "ini", "sarif", "jsonl", "html", "xml", "out",
             "log", "txt"}
ID = r"[a-z][a-z0-9]*\.(?:[a-z0-9][a-z0-9-]*[a-z0-9])?"


def rule_table(warden):
    out = subprocess.run([warden, "checks"], capture_output=True, text=True,
                         check=True).stdout
    ids = set()
    for line in out.splitlines():
        if not line or line.startswith(("#", "RULE ")):
            continue
        ids.add(line.split()[0])
    return ids


def literals(path, text):
    if path.endswith(".md"):
        # rule ids in docs are written as `id` code spans
        for m in re.finditer(r"`(" + ID + r")`", text):
            yield text.count("\n", 0, m.start()) + 1, m.group(1)
        return
    for m in re.finditer(r"([\"'])(" + ID + r")\1", text):
        yield text.count("\n", 0, m.start()) + 1, m.group(2)


def main():
    args, expect = lintlib.parse_args(sys.argv[1:])
    warden, root = args[0], args[1]
    ids = rule_table(warden)
    if len(ids) < 50:
        print(f"rule_ids.py: `{warden} checks` listed only {len(ids)} rules", file=sys.stderr)
        return 1
    families = {i.split(".", 1)[0] for i in ids}
    bad = []
    seen = 0
    files = 0
    for sub, exts in (("src", (".c", ".h")), ("tests/integ", (".py",)),
                      ("tests/unit", (".c",)), ("docs", (".md",))):
        base = os.path.join(root, sub)
        if not os.path.isdir(base):
            continue
        for dirpath, _, names in os.walk(base):
            for name in sorted(names):
                if not name.endswith(exts):
                    continue
                path = os.path.join(dirpath, name)
                files += 1
                with open(path, encoding="utf-8", errors="replace") as f:
                    text = f.read()
                lines = text.split("\n")
                for line, lit in literals(path, text):
                    # a test that feeds deliberately wrong ids to a checker
                    # marks the line; nothing else is exempt
                    if "lint: not a rule id" in lines[line - 1]:
                        continue
                    fam, rest = lit.split(".", 1)
                    if fam not in families or rest in FILE_EXTS:
                        continue
                    seen += 1
                    if lit.endswith("."):
                        ok = any(i.startswith(lit) for i in ids)
                    else:
                        ok = lit in ids
                    if not ok:
                        bad.append(f"{path}:{line}: '{lit}' is not a rule id (`warden checks`)")
    return lintlib.finish("rule_ids.py", root, files, bad, f"{len(ids)} rules, {files} files, {seen} rule ids named, {len(bad)} unknown", expect)


if __name__ == "__main__":
    sys.exit(main())
