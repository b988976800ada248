"""libcurl, libpq and SQLite are loaded on first use (src/net/net_curl_load.c,
src/store/store_load.c), never at start-up: warden is not linked with
them, so `warden iac`, `inspect` and `checks` never map them and their
dozens of dependencies (docs/design.md, "Loaded on first use").

Each run is traced with strace (openat and open, every thread and child):
- iac, inspect and checks open none of libcurl.so.4, libpq.so.5 and
  libsqlite3.so.0, and their report says they ran (the trace itself is
  proved live by libyaml, which warden is linked with, being opened);
- a scan of a lab target opens libcurl.so.4 (a scan that did not load it
  could not have sent its requests), and neither store library;
- --db FILE opens libsqlite3.so.0 only, --db postgresql://... libpq.so.5
  only (a closed port: the connection failure is libpq's own words).
The failure path is provoked with the loader's own search order: a
directory on LD_LIBRARY_PATH holding a broken libcurl.so.4 / libpq.so.5
(an empty file; and a real shared object without libcurl's symbols,
built here with the C compiler) makes warden exit 2 with a message naming
the library, never crash, never scan.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (CA, LAB_TIMEOUT, TOP, WARDEN, check, done, free_port,  # noqa: E402
                     lab_url, ran, report, skip)

LAZY = ("libcurl.so.4", "libpq.so.5", "libsqlite3.so.0")
STRACE = shutil.which("strace")
check("strace is installed (scripts/install-deps.sh)", STRACE is not None)
tmp = tempfile.mkdtemp(prefix="warden-loading-")


def traced(*args, env=None):
    """Runs warden under strace; (exit code, stdout, stderr, the set of
    library file names it tried to open, and whether the trace read)."""
    trace = os.path.join(tmp, "trace")
    if os.path.exists(trace):
        os.unlink(trace)
    argv = [WARDEN] + list(args)
    if STRACE:
        argv = [STRACE, "-f", "-qq", "-e", "trace=openat,open", "-o", trace] + argv
    # LeakSanitizer cannot run under ptrace (the ASan build): leaks are
    # the other suites' to find, which run the same paths untraced.
    asan = os.environ.get("ASAN_OPTIONS", "")
    env = dict(os.environ, ASAN_OPTIONS=(asan + ":" if asan else "") + "detect_leaks=0",
               **(env or {}))
    p = subprocess.run(argv, capture_output=True, text=True, timeout=300, env=env)
    libs, read = set(), False
    try:
        with open(trace) as f:
            text = f.read()
        read = "open" in text
        libs = {os.path.basename(m) for m in re.findall(r'"([^"]*\.so[^"/]*)"', text)}
    except OSError:
        pass
    return p.returncode, p.stdout, p.stderr, libs, read


def opened(libs, name):
    return name in libs


def none_lazy(what, libs, read):
    check(what + ": the trace read, libyaml opened (the trace sees the loader)",
          read and opened(libs, "libyaml-0.so.2"), sorted(libs)[:20])
    check(what + ": libcurl, libpq and SQLite never opened",
          read and not [n for n in LAZY if opened(libs, n)],
          sorted(n for n in LAZY if opened(libs, n)))


# ---- the sides that send nothing load none of them -------------------------
# A Dockerfile and a Kubernetes manifest (read with libyaml).
fix_iac = [os.path.join(TOP, "tests", "fixtures", "iac", "dockerfile", "escape.dockerfile"),
           os.path.join(TOP, "tests", "fixtures", "iac", "k8s", "workloads.yaml")]
rc, out, err, libs, read = traced("iac", "-q", "-f", "json", "--fail-on", "none", *fix_iac)
doc = report(out, "iac (traced)", err)
check("iac ran (files read, status complete)", rc == 0 and ran(doc), (rc, err[-300:]))
none_lazy("iac", libs, read)

fix_insp = os.path.join(TOP, "tests", "fixtures", "inspect", "hardened-pod")
rc, out, err, libs, read = traced("inspect", "-f", "json", "--no-color", "--root", fix_insp)
doc = report(out, "inspect (traced)", err)
check("inspect ran (facts read)", ran(doc), (rc, err[-300:]))
none_lazy("inspect", libs, read)

rc, out, err, libs, read = traced("checks")
check("checks listed the rules", rc == 0 and "container.socket-path" in out, (rc, out[:200]))
none_lazy("checks", libs, read)

# ---- a scan loads libcurl, and only it -------------------------------------
url = lab_url("echo-hard")
rc, out, err, libs, read = traced("scan", "--burst", "0", "-q", "-f", "json", "--cacert", CA,
                                  *LAB_TIMEOUT, url)
doc = report(out, "scan (traced)", err)
check("scan ran (requests sent, status complete)", ran(doc), (rc, err[-300:]))
check("scan: libcurl.so.4 opened", read and opened(libs, "libcurl.so.4"), sorted(libs)[:40])
check("scan without --db: neither libpq nor SQLite opened",
      read and not opened(libs, "libpq.so.5") and not opened(libs, "libsqlite3.so.0"),
      sorted(libs)[:40])

# ---- the run history loads the one library its --db names ------------------
db = os.path.join(tmp, "runs.db")
rc, out, err, libs, read = traced("scan", "--burst", "0", "-q", "-f", "json", "--cacert", CA,
                                  *LAB_TIMEOUT, "--db", db, url)
doc = report(out, "scan --db FILE (traced)", err)
check("scan --db FILE ran and stored the run", ran(doc) and os.path.getsize(db) > 0
      if os.path.exists(db) else False, (rc, err[-300:]))
check("--db FILE: libsqlite3.so.0 opened, libpq.so.5 not",
      read and opened(libs, "libsqlite3.so.0") and not opened(libs, "libpq.so.5"),
      sorted(libs)[:40])
rc, out, err, libs, read = traced("history", "--db", db)
check("history --db FILE lists the stored run (one, finished)",
      rc == 0 and re.search(r"^\s*1\s+\S+\s+finished\b", out, re.M) is not None,
      (rc, out[:300], err[-300:]))
check("history --db FILE: SQLite opened; libcurl and libpq not",
      read and opened(libs, "libsqlite3.so.0") and
      not opened(libs, "libcurl.so.4") and not opened(libs, "libpq.so.5"), sorted(libs)[:40])

pg = "postgresql://warden@127.0.0.1:%d/warden?connect_timeout=5" % free_port()
rc, out, err, libs, read = traced("history", "--db", pg)
check("history --db postgresql:// (closed port): exit 2, libpq's own words",
      rc == 2 and "cannot connect to PostgreSQL" in err and "127.0.0.1" in err,
      (rc, err[-300:]))
check("--db postgresql://: libpq.so.5 opened, SQLite and libcurl not",
      read and opened(libs, "libpq.so.5") and not opened(libs, "libsqlite3.so.0") and
      not opened(libs, "libcurl.so.4"), sorted(libs)[:40])

# ---- a library that cannot be loaded: a clear message, exit 2 --------------
bad = os.path.join(tmp, "bad")
os.mkdir(bad)
for name in ("libcurl.so.4", "libpq.so.5"):
    open(os.path.join(bad, name), "w").close()  # empty: not an ELF object
env = {"LD_LIBRARY_PATH": bad}
rc, out, err, libs, read = traced("scan", "-q", "-f", "json", url, env=env)
check("broken libcurl.so.4: scan exits 2, names it and the loader's reason",
      rc == 2 and "libcurl.so.4 could not be loaded" in err and bad in err and
      "AddressSanitizer" not in err and "runtime error" not in err, (rc, err[-400:]))
check("broken libcurl.so.4: no report, nothing scanned", out.strip() == "", out[:200])
check("broken libcurl.so.4: the broken one was the one opened",
      read and os.path.join(bad, "libcurl.so.4") in open(os.path.join(tmp, "trace")).read())
rc, out, err, libs, read = traced("scan", "-H", "X-Test: 1", "-q", url, env=env)
check("broken libcurl.so.4 with -H: exit 2, message names it",
      rc == 2 and "libcurl.so.4 could not be loaded" in err, (rc, err[-400:]))
rc, out, err, libs, read = traced("iac", "-q", "-f", "json", "--fail-on", "none", *fix_iac,
                                  env=env)
check("broken libcurl.so.4 and libpq.so.5: iac still runs (it never loads them)",
      rc == 0 and ran(report(out, "iac (broken libs)", err)), (rc, err[-300:]))
rc, out, err, libs, read = traced("history", "--db", pg, env=env)
check("broken libpq.so.5: history --db postgresql:// exits 2, names it",
      rc == 2 and "libpq.so.5 could not be loaded" in err and "AddressSanitizer" not in err,
      (rc, err[-400:]))

# A real shared object, but not libcurl: each missing entry point is named.
cc = os.environ.get("CC", "cc")
stub_src = os.path.join(tmp, "stub.c")
with open(stub_src, "w") as f:
    f.write("int warden_test_stub(void) { return 0; }\n")
stub_dir = os.path.join(tmp, "stub")
os.mkdir(stub_dir)
if shutil.which(cc):
    b = subprocess.run([cc, "-shared", "-fPIC", "-o", os.path.join(stub_dir, "libcurl.so.4"),
                        stub_src], capture_output=True, text=True)
    check("a stand-in libcurl.so.4 without libcurl's symbols builds", b.returncode == 0,
          b.stderr[-300:])
    rc, out, err, libs, read = traced("scan", "-q", "-f", "json", url,
                                      env={"LD_LIBRARY_PATH": stub_dir})
    check("libcurl.so.4 without curl_global_init: exit 2, the symbol named",
          rc == 2 and re.search(r"libcurl\.so\.4 has no curl_\w+", err) is not None and
          out.strip() == "", (rc, err[-400:]))
else:
    skip("a stand-in libcurl.so.4 without libcurl's symbols", "no C compiler (%s)" % cc)

shutil.rmtree(tmp, ignore_errors=True)
done()
