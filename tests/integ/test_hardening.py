"""The release binary is hardened (issue 8): PIE, full RELRO with
immediate binding, stack protector, _FORTIFY_SOURCE=3 and stack-clash
protection, -Werror kept. readelf reads what the binary carries; the
flags that leave no mark in it (the FORTIFY level, stack-clash, -Werror)
are read from the release build's compile_commands.json.

The release build is $WARDEN_RELEASE, else build-rel/warden (make test
builds it); a missing one is a failure, not a skip.
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import check, done  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REL = os.environ.get("WARDEN_RELEASE", os.path.join(TOP, "build-rel", "warden"))


def readelf(*args):
    p = subprocess.run(["readelf", "-W"] + list(args) + [REL], capture_output=True, text=True)
    return p.stdout if p.returncode == 0 else ""


check("release binary exists (make release)", os.path.isfile(REL), REL)
header, dynamic = readelf("-h"), readelf("-d")
segments, dynsyms = readelf("-l"), readelf("--dyn-syms")
check("readelf read it", "ELF Header" in header and "Program Headers" in segments, REL)
check("PIE: a position-independent executable",
      "DYN (Position-Independent Executable file)" in header and
      any("FLAGS_1" in ln and "PIE" in ln for ln in dynamic.splitlines()),
      [ln for ln in header.splitlines() if "Type:" in ln])
check("full RELRO: a GNU_RELRO segment", "GNU_RELRO" in segments)
check("full RELRO: -z now (BIND_NOW)",
      any("(FLAGS)" in ln and "BIND_NOW" in ln for ln in dynamic.splitlines()) and
      any("FLAGS_1" in ln and "NOW" in ln for ln in dynamic.splitlines()),
      [ln for ln in dynamic.splitlines() if "FLAGS" in ln])
check("stack protector: calls __stack_chk_fail", "__stack_chk_fail" in dynsyms)
# libcurl, libpq and SQLite are loaded with dlopen where a scan or the run
# history first needs them (docs/design.md, "Loaded on first use"): none
# of them is a NEEDED entry, while what every run uses (OpenSSL, libyaml)
# still is. tests/integ/test_loading.py proves which runs open them.
needed = re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", dynamic)
check("NEEDED read: libssl, libcrypto, libyaml linked as before",
      {"libssl.so.3", "libcrypto.so.3", "libyaml-0.so.2"} <= set(needed), needed)
check("libcurl, libpq and SQLite are not NEEDED (loaded on first use)",
      needed and not [n for n in needed if n.split(".so")[0] in ("libcurl", "libpq", "libsqlite3")],
      needed)
chk = sorted({w.split("@")[0] for w in dynsyms.split() if w.startswith("__") and "_chk@" in w})
check("FORTIFY: fortified libc calls (__*_chk)", len(chk) >= 3, chk)

cc_path = os.path.join(os.path.dirname(REL), "compile_commands.json")
try:
    cmds = [c.get("command", " ".join(c.get("arguments", []))) for c in json.load(open(cc_path))]
except (OSError, ValueError) as e:
    cmds = []
    print("# %s: %s" % (cc_path, e))
src = [c for c in cmds if "/src/" in c or " ../src/" in c]
check("compile commands of the release build read", len(src) > 20, len(src))
for flag in ["-D_FORTIFY_SOURCE=3", "-fstack-protector-strong", "-fstack-clash-protection",
             "-Werror", "-fPIE|-fPIC"]:
    missing = [c for c in src if not set(flag.split("|")) & set(c.split())]
    check("every source compiled with " + flag, src and not missing, missing[:1])
check("no other FORTIFY level wins (-U first, then =3 only)",
      src and all(c.split().count("-D_FORTIFY_SOURCE=2") == 0 for c in src))
done()
