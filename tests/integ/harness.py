"""Tiny test harness for warden's integration suites.

Every check prints "ok - name", "not ok - name: detail" or
"ok - name # SKIP reason" (TAP); tests/run-all.sh counts those lines and
the plan line "1..N" that done() prints last. Traffic goes only to the lab
on 127.0.0.1.

The suites fail closed:
- report() / scan_json() turn stdout that is not a warden JSON report into
  a failed check (named after the command) and a report whose rules() is
  ["(unreadable report)"], so no "exact rule ids" or "nothing found"
  assertion can pass on it;
- every "nothing found" assertion also asserts ran(doc): the run happened
  (status complete, and requests > 0 for scan, files read > 0 for iac,
  facts present for inspect). clean() does both.
"""
import json
import os
import subprocess
import sys
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
WARDEN = os.environ.get("WARDEN", os.path.join(TOP, "build", "warden"))
# The build directory holding the test helpers (tests/hostile/hostile):
# the directory of WARDEN unless WARDEN is a wrapper (tests/mutants.sh).
BUILD = os.environ.get("WARDEN_BUILD", os.path.dirname(os.path.abspath(WARDEN)))
LAB = os.environ.get("LAB_DIR", os.path.join(TOP, "build", "lab"))
CA = os.path.join(LAB, "certs", "ca.pem")
UNREADABLE = "(unreadable report)"
# WARDEN_RULES_RAISED=FILE (tests/run-all.sh): passing positive checks
# append the rule ids they proved raised; tests/integ/coverage.py then
# requires every rule of `warden checks` to be in it.
# WARDEN_FAIL_FAST=1 (tests/mutants.sh): stop at the first failed check.
FAIL_FAST = os.environ.get("WARDEN_FAIL_FAST") == "1"
failures = 0
checks = 0


def check(name, cond, detail="", raises=()):
    """One TAP line. `raises`: the rule ids this check proves raised when it
    passes (a positive test); recorded for tests/integ/coverage.py."""
    global failures, checks
    checks += 1
    if cond:
        print("ok - " + name)
        _record(raises)
    else:
        failures += 1
        print("not ok - " + name + (": " + str(detail) if detail else ""))
        if FAIL_FAST:
            print("# stopped at the first failure (WARDEN_FAIL_FAST=1)")
            sys.stdout.flush()
            sys.exit(1)
    sys.stdout.flush()
    return bool(cond)


def _record(ids):
    path = os.environ.get("WARDEN_RULES_RAISED")
    if path and ids:
        with open(path, "a") as f:
            for r in ids:
                f.write("%s %s\n" % (r, os.path.basename(sys.argv[0])))


def skip(name, reason):
    """A check that could not run here: counted apart, never as a pass."""
    global checks
    checks += 1
    print("ok - %s # SKIP %s" % (name, reason))
    sys.stdout.flush()


def lab_url(instance):
    with open(os.path.join(LAB, "run", instance + ".url")) as f:
        url = f.read().strip()
    assert url.startswith("http://127.0.0.1:") or url.startswith("https://127.0.0.1:"), url
    return url


def warden(*args, timeout=120, stdin=None):
    """Runs warden; returns (exit code, stdout, stderr).

    A scan gets --burst 0 unless the suite names --burst itself: the
    rate-limit burst (40 identical GETs per route, resource.no-rate-limit)
    is the subject of test_abuse.py, which asserts it on a service without
    a limiter and on Echo's RateLimiter; the other suites keep their
    request counts and exact rule sets about their own subject."""
    args = list(args)
    if args and args[0] == "scan" and "--burst" not in args:
        args[1:1] = ["--burst", "0"]
    p = subprocess.run([WARDEN] + args, capture_output=True, text=True,
                       timeout=timeout, input=stdin)
    return p.returncode, p.stdout, p.stderr


def report(out, what, err=""):
    """Parses a JSON report. Output that is not one (empty, cut, not JSON,
    no kind/status/findings) is a failed check named `what`, and the
    returned stand-in fails every rule-id and ran() assertion."""
    problem = None
    try:
        doc = json.loads(out)
        if not isinstance(doc, dict):
            problem = "not a JSON object"
        else:
            missing = [k for k in ("schema", "kind", "status", "findings", "notes")
                       if k not in doc]
            if missing:
                problem = "no %s in the report" % ", ".join(missing)
    except ValueError as e:
        problem = "stdout is not JSON: %s" % e
    if problem:
        check(what + ": JSON report readable", False,
              "%s: %r %r" % (problem, out[:300], err[-300:]))
        return {"findings": [], "notes": [], "facts": {}, "_error": problem}
    return doc


# Lab scans allow 30 s per request (the default is 10): on a loaded machine
# a starved lab service can take seconds to answer, and a request that
# times out makes the scan partial, which ran() refuses. (The Python TLS
# services handshake in each connection's thread, never in the accept
# loop, so one slow handshake does not hold up the others.)
# A later --timeout in `extra` wins.
LAB_TIMEOUT = ["--timeout", "30"]


def scan_json(url, *extra):
    rc, out, err = warden("scan", "-q", "-f", "json", "--cacert", CA, *LAB_TIMEOUT, *extra, url)
    return rc, report(out, "scan %s %s" % (" ".join(extra), url), err), err


def rules(doc):
    if "_error" in doc:
        return [UNREADABLE]
    return sorted({f["rule"] for f in doc.get("findings", [])})


def ran(doc):
    """True when the report shows the run happened: readable, status
    complete, and something was examined (requests for scan, files read for
    iac, facts for inspect)."""
    if "_error" in doc or doc.get("status") != "complete":
        return False
    kind = doc.get("kind")
    facts = doc.get("facts") or {}
    if kind == "scan":
        return isinstance(doc.get("requests"), int) and doc["requests"] > 0
    if kind == "iac":
        try:
            return int(facts.get("iac_files_read", "0")) > 0
        except ValueError:
            return False
    if kind == "inspect":
        return len(facts) > 0
    return False


def how(doc):
    """What ran() looked at, for a failed check's detail."""
    if "_error" in doc:
        return doc["_error"]
    return {"kind": doc.get("kind"), "status": doc.get("status"),
            "requests": doc.get("requests"),
            "files": (doc.get("facts") or {}).get("iac_files_read"),
            "facts": len(doc.get("facts") or {}), "notes": doc.get("notes", [])[:3]}


def clean(name, doc, got, want=()):
    """A "nothing found" check: `got` (a list of rule ids or triples) must
    equal `want` (default: empty) AND the run must have happened."""
    ok = ran(doc)
    return check(name, ok and list(got) == list(want),
                 got if ok else ("the run did not happen", how(doc), got))


def run_delay(pid):
    """Seconds the process's main thread has spent ready to run but waiting
    for a CPU (/proc/PID/schedstat, second field), or None."""
    try:
        with open("/proc/%d/schedstat" % pid) as f:
            return int(f.read().split()[1]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


def wait_own(p, t0, limit=180):
    """Waits for the Popen p (its output going to files, not pipes: nothing
    reads them meanwhile); returns (own, wall): the wall seconds since t0
    (time.monotonic()) and those less the time p waited for a CPU since
    then. A time bound on own seconds holds on a loaded machine (load 20 on
    2 cores: most of a sanitizer build's wall time is waiting for a CPU)
    and still counts every second p spent blocked on the network. p is
    killed after `limit` wall seconds."""
    d0 = run_delay(p.pid) or 0.0
    delay = d0
    while p.poll() is None:
        d = run_delay(p.pid)
        if d is not None:
            delay = max(delay, d)
        if time.monotonic() - t0 > limit:
            p.kill()
            p.wait()
            break
        time.sleep(0.02)
    wall = time.monotonic() - t0
    return max(0.0, wall - min(delay - d0, wall)), wall


def warden_own(*args, stdin=None, limit=180):
    """Runs warden like warden() (without its --burst default); returns
    (exit code, stdout, stderr, own seconds, wall seconds), see wait_own."""
    import tempfile
    with tempfile.TemporaryFile("w+") as fo, tempfile.TemporaryFile("w+") as fe:
        t0 = time.monotonic()
        p = subprocess.Popen([WARDEN] + list(args), stdout=fo, stderr=fe, text=True,
                             stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL)
        if stdin is not None:
            p.stdin.write(stdin)
            p.stdin.close()
        own, wall = wait_own(p, t0, limit)
        fo.seek(0)
        fe.seek(0)
        return p.returncode, fo.read(), fe.read(), own, wall


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now. Another
    process may take it before a server of ours binds it: start a server
    with start_listening, which makes sure the port is the server's."""
    import socket
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _listen_inodes(port):
    """Inodes of the sockets listening on TCP port (IPv4 and IPv6)."""
    found = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    cols = line.split()
                    if cols[3] == "0A" and int(cols[1].rsplit(":", 1)[1], 16) == port:
                        found.add(cols[9])
        except OSError:
            pass
    return found


def _descendants(pid):
    """pid and every process under it (runuser, env and shells may stand
    between a suite and its server)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for t in os.listdir("/proc/%d/task" % p):
                with open("/proc/%d/task/%s/children" % (p, t)) as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def owns_port(pid, port):
    """True when process pid (or one under it) holds a socket listening
    on port, so a connection there reaches it, not whoever else bound the
    port."""
    inodes = _listen_inodes(port)
    if not inodes:
        return False
    for p in _descendants(pid):
        fd_dir = "/proc/%d/fd" % p
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(os.path.join(fd_dir, fd))
            except OSError:
                continue
            if link.startswith("socket:[") and link[8:-1] in inodes:
                return True
    return False


def start_listening(argv_for, tries=5, wait=60, **popen):
    """Starts a server on a free port: argv_for(port) gives its command.
    The port is chosen before the server binds it, so another process may
    take it in between (the server then exits: another port is tried) or
    already listen there (a connection would reach it: the listening
    socket must be the server's own, in its fd table). Returns (Popen,
    port), or (the last Popen, None) when no attempt got a port: wait is
    how long one attempt may take to listen (a loaded machine is slow),
    not a timed test."""
    p = None
    for _ in range(tries):
        port = free_port()
        p = subprocess.Popen(argv_for(port), **popen)
        deadline = time.time() + wait
        while time.time() < deadline and p.poll() is None:
            if owns_port(p.pid, port):
                return p, port
            time.sleep(0.05)
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    return p, None


def done():
    print("1..%d" % checks)
    sys.stdout.flush()
    sys.exit(1 if failures else 0)
