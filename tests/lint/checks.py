#!/usr/bin/env python3
"""Fails where a check breaks the check contract (src/checks/check.h).

- One file, one line: every src/checks/chk_<name>.c (chk_registry.c
  aside) has its CHECK(<name>) line in checks.def, and every line its
  file. meson compiles only the files the lines name, so a check
  without its line would silently never run.
- One symbol: the file defines nothing at file scope that is not static
  but `const struct wd_check check_<name>` (an `extern` declaration of
  it, and prototypes, are fine).
- The services of the scan, and nothing else: a check never opens a
  socket, a file or a process, never drives libcurl, OpenSSL or the
  engine itself, never adds a finding but through scan_flag/scan_flag_at
  and never parses a body with json_loadb (scan_body_json does, once).
  ALLOWED_CALLS names the exceptions the contract states.

This reads the files with comments and strings dropped (statics.py's
reader).

Usage: checks.py CHECKS_DIR [--expect N]
CHECKS_DIR holds checks.def and the chk_*.c files (src/checks).
"""
import os
import re
import sys

import lintlib  # noqa: E402 (tests/lint is the script's own directory)

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from statics import strip  # noqa: E402

FORBIDDEN = re.compile(
    r"\b(socket|connect|bind|listen|accept|open|openat|fopen|fdopen|freopen|opendir|"
    r"popen|system|fork|vfork|execl\w*|execv\w*|posix_spawn\w*|"
    r"curl_\w+|SSL_\w+|SSL_CTX_\w+|tls_probe|http_engine_\w+|http_exchange_\w+|"
    r"findings_add|json_loadb|exit|_exit|abort)\s*\(")
# (file, call): exceptions written into the contract (check.h).
ALLOWED_CALLS = {
    # the wordlist crack runs on a thread of its own (pure computation;
    # jwt_crack in src/scan reads the wordlist), joined before finish.
    ("chk_jwt.c", "pthread_create"),
}
THREADS = re.compile(r"\b(pthread_create|thrd_create)\s*\(")


def top_level_definitions(code):
    """Yields (line, head) for each definition at file scope: a function
    body or an initialised object ('{' or '=' at depth 0)."""
    depth = 0
    start = 0
    i = 0
    n = len(code)
    typebody = False  # the brace open at depth 0 is a struct's body
    while i < n:
        c = code[i]
        if c == "{":
            if depth == 0:
                head = code[start:i]
                typebody = bool(re.search(r"\b(struct|union|enum)\s*\w*\s*$", head))
                if not typebody:
                    yield code.count("\n", 0, start + len(head) - len(head.lstrip())) + 1, head
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0 and not typebody:
                # a function body ends the statement; an initializer or a
                # struct body goes on to its ';'
                j = i + 1
                while j < n and code[j] in " \t\n":
                    j += 1
                if j >= n or code[j] != ";" and code[j] != ",":
                    start = i + 1
        elif c == ";" and depth == 0:
            head = code[start:i]
            typebody = False
            if head.strip() and "{" not in head:
                yield code.count("\n", 0, start + len(head) - len(head.lstrip())) + 1, head
            start = i + 1
        i += 1


def main():
    args, expect = lintlib.parse_args(sys.argv[1:])
    root = args[0]
    bad = []
    files = 0
    with open(os.path.join(root, "checks.def"), encoding="utf-8") as f:
        lines = [m.group(1) for m in re.finditer(r"^\s*CHECK\((\w+)\)\s*$", f.read(), re.M)]
    chk = sorted(n[4:-2] for n in os.listdir(root)
                 if n.startswith("chk_") and n.endswith(".c") and n != "chk_registry.c")
    for name in chk:
        if name not in lines:
            bad.append(f"{root}/chk_{name}.c:1: no CHECK({name}) line in checks.def: "
                       "it is never compiled nor run")
    for name in lines:
        if name not in chk:
            bad.append(f"{root}/checks.def:1: CHECK({name}) has no chk_{name}.c")
    for name in chk:
        path = os.path.join(root, f"chk_{name}.c")
        files += 1
        with open(path, encoding="utf-8", errors="replace") as f:
            code = strip(f.read())
        want = f"check_{name}"
        found = False
        for line, head in top_level_definitions(code):
            h = " ".join(head.split())
            if re.match(r"(static|typedef|extern)\b", h) or re.fullmatch(
                    r"(struct|union|enum)\s*\w*", h):
                continue
            if "=" not in h and re.search(r"\w\s*\(", h) and not re.search(r"\(\s*\*", h):
                continue  # a prototype
            if re.fullmatch(r"const struct wd_check " + want + r"\s*=?", h):
                found = True
                continue
            bad.append(f"{path}:{line}: not static: {h[:80]} (the one symbol is "
                       f"const struct wd_check {want})")
        if not found:
            bad.append(f"{path}:1: defines no const struct wd_check {want}")
        for k, text in enumerate(code.split("\n")):
            for m in list(FORBIDDEN.finditer(text)) + list(THREADS.finditer(text)):
                call = m.group(1)
                if text[:m.start()].rstrip().endswith((".", "->")):
                    continue  # a member named like a function, not a call of it
                if (os.path.basename(path), call) in ALLOWED_CALLS:
                    continue
                bad.append(f"{path}:{k + 1}: calls {call}(): a check asks the scan "
                           "(check.h: services), it does not do this itself")
    return lintlib.finish("checks.py", root, files, bad,
                          f"{files} checks, {len(bad)} breaches of the contract", expect)


if __name__ == "__main__":
    sys.exit(main())
