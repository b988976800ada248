#!/usr/bin/env python3
"""Fails if a library keeps mutable state in a static or global variable.

State belongs to the scan (or the run) and is handed to whoever needs it
(docs/design.md, src/checks/check.h); a file-level or function-level
variable that can change makes "one scan per process" a hidden rule.
This reads every .c and .h file of the folders below (all of them: the
few allowed statics are named in ALLOWED), drops comments,
strings and preprocessor lines, and looks at each declaration made at
file scope and each `static` one inside a function. A declaration is
allowed when the object it declares is const (`static const T x`, `T
*const p`), or it declares only types, functions or extern names.

Usage: statics.py SRC_DIR [--expect N]
Prints each offender; exits 1 if any (with --expect, unless exactly N:
the self-test on tests/lint/fixtures proves the lint can fail).
"""
import re
import sys

import lintlib  # noqa: E402 (tests/lint is the script's own directory)

# Every folder of src/ is read; these statics, named by file and
# variable, are the only ones allowed (docs/design.md, "The one mutable
# static"): the flag a signal handler may set, and net_tls.c's cache of
# the CA store (loading it costs more than a handshake; guarded by its
# mutex), and the entry points of the libraries loaded on first use
# (libcurl, libpq, SQLite: filled once under their pthread_once, never
# written again). Anything else, in any folder, fails.
ALLOWED = {
    ("cli/cli_sig.c", "stop_signal"),
    ("net/net_tls.c", "store_cache"),
    ("net/net_tls.c", "store_path"),
    ("net/net_tls.c", "store_system"),
    ("net/net_tls.c", "store_mu"),
    ("net/net_curl_load.c", "curl_lib"),
    ("net/net_curl_load.c", "curl_once"),
    ("store/store_load.c", "pq_lib"),
    ("store/store_load.c", "pq_once"),
    ("store/store_load.c", "sqlite_lib"),
    ("store/store_load.c", "sqlite_once"),
}


def declared_name(text):
    """The name a declaration declares (the last identifier before its
    initializer, array bounds aside), or None."""
    decl = " ".join(text.split()).split("=", 1)[0]
    decl = re.sub(r"\{.*\}", " ", decl)
    decl = re.sub(r"(\[[^\]]*\]\s*)+$", "", decl.strip())
    m = re.search(r"(\w+)\s*$", decl)
    return m.group(1) if m else None


def strip(text):
    """Comments, string and char literals, preprocessor lines -> spaces."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c == "#":
            # a directive, with its continuation lines
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    out.append(" \n")
                    i += 2
                    continue
                out.append(" ")
                i += 1
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", text[i:j]))
            i = j
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i))
            i = j
            continue
        if c in "\"'":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            out.append(c + " " * (j - i - 1) + c)
            i = j + 1
            continue
        out.append(c)
        if c == "\n":
            line_start = True
        elif not c.isspace():
            line_start = False
        i += 1
    return "".join(out)


def declarations(code):
    """Yields (line, text, at_file_scope) for each statement ending in ';'
    at file scope or directly in a block (function body)."""
    stack = []  # per open brace: 'i' initializer, 't' type body, 'b' block
    paren = 0
    start = 0
    for i, c in enumerate(code):
        if c == "(":
            paren += 1
        elif c == ")":
            paren -= 1
        elif c == "{":
            prefix = code[start:i].rstrip()
            if prefix.endswith("=") or (stack and stack[-1] == "i"):
                stack.append("i")
            elif (re.search(r"\b(struct|union|enum)\b[^;(){}]*$", prefix)
                  and not prefix.endswith(")")) or (stack and stack[-1] == "t"):
                stack.append("t")
            else:
                stack.append("b")
                start = i + 1
        elif c == "}":
            kind = stack.pop() if stack else "b"
            if kind == "b":
                start = i + 1
        elif c == ";" and paren == 0 and (not stack or stack[-1] == "b"):
            text = code[start:i]
            lead = len(text) - len(text.lstrip())
            line = code.count("\n", 0, start + lead) + 1
            yield line, text, not stack
            start = i + 1


def mutable(text, file_scope):
    t = " ".join(text.split())
    if not t:
        return False
    if not file_scope and not re.match(r"static\b", t):
        return False
    if re.match(r"(typedef|extern)\b", t):
        return False
    # a type definition with no declarator after the body (enum values
    # hold '=', so this is decided before looking for an initializer)
    if re.fullmatch(r"(struct|union|enum)\s*\w*\s*\{.*\}\s*", t):
        return False
    decl = t.split("=", 1)[0].strip()
    # struct/union/enum definitions with no declarator after the body
    if re.fullmatch(r"(static\s+)?(struct|union|enum)\s*\w*\s*\{.*\}\s*", decl):
        return False
    if re.fullmatch(r"(struct|union|enum)\s+\w+", decl):
        return False  # forward declaration
    # a function prototype: a name followed by a parameter list, not (*x)
    if "(" in decl and not re.search(r"\(\s*\*", decl):
        return False
    # strip a struct body inside the type: static struct { ... } x
    decl = re.sub(r"\{.*\}", " ", decl)
    if not re.search(r"\bstatic\b", decl) and file_scope and not re.search(r"\w\s*(\[[^\]]*\]\s*)*$", decl):
        return False
    if "*" in decl:
        return not re.search(r"\bconst\b[^*]*$", decl)
    return not re.search(r"\bconst\b", decl)


def main():
    args, expect = lintlib.parse_args(sys.argv[1:])
    root = args[0] if args else "src"
    bad = []
    files = 0
    for path, rel, text in lintlib.c_sources(root):
        files += 1
        code = strip(text)
        for line, text, fs in declarations(code):
            if mutable(text, fs) and (rel, declared_name(text)) not in ALLOWED:
                bad.append(f"{path}:{line}: mutable {'file-level' if fs else 'function-level'} "
                           f"static: {' '.join(text.split())[:100]}")
    return lintlib.finish("statics.py", root, files, bad, f"{files} files, {len(bad)} mutable statics", expect)


if __name__ == "__main__":
    sys.exit(main())
