"""Tiny test harness for warden's integration suites.

Every check prints "ok - name" or "not ok - name: detail"; tests/run-all.sh
counts those lines. Traffic goes only to the lab on 127.0.0.1.
"""
import json
import os
import subprocess
import sys

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WARDEN = os.environ.get("WARDEN", os.path.join(TOP, "build", "warden"))
LAB = os.environ.get("LAB_DIR", os.path.join(TOP, "build", "lab"))
CA = os.path.join(LAB, "certs", "ca.pem")
failures = 0


def check(name, cond, detail=""):
    global failures
    if cond:
        print("ok - " + name)
    else:
        failures += 1
        print("not ok - " + name + (": " + str(detail) if detail else ""))
    sys.stdout.flush()


def lab_url(instance):
    with open(os.path.join(LAB, "run", instance + ".url")) as f:
        url = f.read().strip()
    assert url.startswith("http://127.0.0.1:") or url.startswith("https://127.0.0.1:"), url
    return url


def warden(*args, timeout=120, stdin=None):
    """Runs warden; returns (exit code, stdout, stderr)."""
    p = subprocess.run([WARDEN] + list(args), capture_output=True, text=True,
                       timeout=timeout, input=stdin)
    return p.returncode, p.stdout, p.stderr


def scan_json(url, *extra):
    rc, out, err = warden("scan", "-q", "-f", "json", "--cacert", CA, *extra, url)
    try:
        doc = json.loads(out)
    except ValueError as e:
        doc = {"findings": [], "_error": "stdout is not JSON: %s: %r" % (e, out[:300])}
    return rc, doc, err


def rules(doc):
    return sorted({f["rule"] for f in doc.get("findings", [])})


def done():
    sys.exit(1 if failures else 0)
