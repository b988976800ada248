"""Many targets in one run (docs/cli.md "Many targets"): several URLs,
`-l FILE` (comments, per-target options, `-` for stdin), `--shard I/N`,
`--per-host`, one `--rate` over every target, the multi-target JSON
document, JSON Lines streamed as findings are decided, the per-target
table, the worst exit code, bad input (exit 2 before any traffic), and
peak RSS flat from 10 to 1,000 targets.

Targets: one real nginx listening on many ports of 127.0.0.1
(fleetlab.py): on the "vuln" ports it reflects any Origin with
credentials (cors.reflected-origin), on the "hard" ports it does not;
all are plain http (transport.no-https). Small in-test servers where
the test must see the requests themselves (per-host, rate, streaming)."""
import http.server
import json
import os
import resource
import shutil
import socket
import subprocess
import tempfile
import threading
import time

from harness import WARDEN, check, done, skip, warden
import fleetlab

RELEASE = "build-rel" in WARDEN
tmp = tempfile.mkdtemp(prefix="warden-fleet-")
HARD = ["transport.no-https"]
VULN = ["cors.reflected-origin", "transport.no-https"]


def rules_of(rep):
    return sorted({f["rule"] for f in rep.get("findings", [])})


def multi(out, what):
    """The multi-target JSON document, or None (a failed check)."""
    try:
        doc = json.loads(out)
        if doc.get("schema") == "warden-multi-1" and isinstance(doc.get("reports"), list) \
                and isinstance(doc.get("summary"), dict):
            return doc
        problem = "not a warden-multi-1 document: %r" % out[:200]
    except ValueError as e:
        problem = "not JSON: %s %r" % (e, out[:200])
    check(what + ": multi-target JSON readable", False, problem)
    return None


def write(name, text):
    path = os.path.join(tmp, name)
    with open(path, "w") as f:
        f.write(text)
    return path


ngx = fleetlab.Nginx(tmp, 6, 6)
try:
    hard, vuln = ngx.urls("hard"), ngx.urls("vuln")

    # --- several URLs on the command line: a complete report each.
    rc, out, err = warden("scan", "--burst", "0", "-q", "-f", "json", "--no-discovery", hard[0], vuln[0], hard[1],
                          timeout=120)
    doc = multi(out, "three URLs")
    if doc:
        by = {r["target"]: r for r in doc["reports"]}
        check("three URLs: three reports, one per target",
              sorted(by) == sorted([hard[0], vuln[0], hard[1]]), sorted(by))
        ok = all(by.get(u, {}).get("status") == "complete" and by[u].get("requests", 0) > 0
                 and by[u].get("schema") == "warden-report-1" for u in by)
        check("three URLs: each report complete on its own (schema, status, requests)", ok,
              [(u, by[u].get("status"), by[u].get("requests")) for u in by])
        check("three URLs: the hardened targets have exactly %s" % HARD,
              rules_of(by.get(hard[0], {})) == HARD and rules_of(by.get(hard[1], {})) == HARD,
              (rules_of(by.get(hard[0], {})), rules_of(by.get(hard[1], {}))), raises=HARD)
        check("three URLs: the vulnerable target has exactly %s" % VULN,
              rules_of(by.get(vuln[0], {})) == VULN, rules_of(by.get(vuln[0], {})), raises=VULN)
        fl = [f for r in doc["reports"] for f in r["findings"]
              if f["rule"] == "cors.reflected-origin"]
        check("three URLs: a finding stays in its own target's report",
              len(fl) == 1 and str(ngx.vuln[0]) in fl[0]["location"]["url"], fl)
        s = doc["summary"]
        check("three URLs: summary counts targets and findings",
              s.get("targets") == 3 and s.get("scanned") == 3 and s.get("complete") == 3
              and s.get("findings", {}).get("high") == 1 and s.get("exit_code") == rc, s)
    check("three URLs: exit 1 (the worst: findings at or above low)", rc == 1, (rc, err[-300:]))

    # Exit code: the worst over targets.
    rc, out, err = warden("scan", "--burst", "0", "-q", "-f", "json", "--no-discovery", "--fail-on", "high",
                          hard[0], hard[1], timeout=120)
    doc = multi(out, "hard only, --fail-on high")
    check("worst exit: hardened targets only, --fail-on high -> 0",
          rc == 0 and doc is not None and doc["summary"]["complete"] == 2, (rc, err[-300:]))
    dead = "http://127.0.0.1:%d/" % fleetlab.free_ports(1)[0]
    rc, out, err = warden("scan", "--burst", "0", "-q", "-f", "json", "--no-discovery", "--fail-on", "high",
                          hard[0], vuln[0], dead, timeout=120)
    doc = multi(out, "with an unreachable target")
    st = sorted((r["target"], r["status"]) for r in doc["reports"]) if doc else []
    check("worst exit: findings (1) and an unreachable target (3) -> 3, all three reported",
          rc == 3 and len(st) == 3 and (dead, "failed") in st, (rc, st, err[-300:]))

    # --- -l FILE: comments, blank lines, per-target options, duplicates.
    spec = write("spec.json", json.dumps({
        "openapi": "3.0.3", "info": {"title": "fleet", "version": "1"},
        "paths": {"/api/items": {"get": {"responses": {"200": {"description": "ok"}}}}}}))
    lst = write("list.txt", "# nightly targets\n\n%s --no-discovery\n"
                "%s --no-discovery --spec spec.json   # spec relative to the list\n"
                "  %s --no-discovery\n%s --no-discovery\n" % (hard[2], vuln[1], vuln[2], hard[2]))
    rc, out, err = warden("scan", "--burst", "0", "-q", "-f", "json", "-l", lst, timeout=120)
    doc = multi(out, "-l list.txt")
    if doc:
        by = {r["target"]: r for r in doc["reports"]}
        check("-l: one report per distinct target (a repeated line is scanned once)",
              sorted(by) == sorted([hard[2], vuln[1], vuln[2]]), sorted(by))
        # The line's spec declares /api/items, which this server does not
        # serve: that target alone also has the spec's missing route.
        check("-l: exact rules per target",
              rules_of(by.get(hard[2], {})) == HARD and
              rules_of(by.get(vuln[1], {})) == sorted(VULN + ["inventory.spec-route-missing"])
              and rules_of(by.get(vuln[2], {})) == VULN,
              {u: rules_of(r) for u, r in by.items()}, raises=VULN)
        # The spec on its line was used for that target only: its route was
        # requested there (the spec probe adds requests).
        reqs = {u: r.get("requests") for u, r in by.items()}
        check("-l: the line's --spec applies to its own target only",
              reqs.get(vuln[1], 0) > reqs.get(vuln[2], 0) and
              reqs.get(hard[2]) == reqs.get(vuln[2]), reqs)
    check("-l: exit 1", rc == 1, (rc, err[-300:]))
    rc, out, err = warden("scan", "--burst", "0", "-q", "-f", "json", "-l", "-",
                          stdin="%s --no-discovery\n%s --no-discovery\n" % (hard[3], vuln[3]),
                          timeout=120)
    doc = multi(out, "-l - (stdin)")
    check("-l -: the list read from standard input",
          doc is not None and sorted(r["target"] for r in doc["reports"]) ==
          sorted([hard[3], vuln[3]]), (rc, err[-300:]))

    # --- terminal: a summary table, one line per target.
    rc, out, err = warden("scan", "--burst", "0", "--no-discovery", "--no-color", hard[4], vuln[4], timeout=120)
    lines = out.splitlines()
    row = lambda u: [ln for ln in lines if ln.startswith(u)]
    hr, vr = row(hard[4]), row(vuln[4])
    check("term: a table line per target with status and counts",
          len(hr) == 1 and len(vr) == 1 and "complete" in hr[0] and "complete" in vr[0]
          and vr[0].split()[5] == "1" and hr[0].split()[5] == "0"
          and any("TARGET" in ln and "GRADE" in ln for ln in lines), out[-800:])

    # --- JSON Lines: findings name their target; a summary line per target.
    rc, out, err = warden("scan", "--burst", "0", "-q", "-f", "jsonl", "--no-discovery", hard[5], vuln[5],
                          timeout=120)
    try:
        recs = [json.loads(ln) for ln in out.splitlines() if ln.strip()]
    except ValueError as e:
        recs = []
        check("jsonl: every line is JSON", False, (e, out[:300]))
    finds = [(r.get("target"), r.get("rule")) for r in recs if r.get("type") == "finding"]
    sums = [r.get("target") for r in recs if r.get("type") == "summary"]
    check("jsonl: each finding once, naming its target",
          sorted(finds) == sorted([(hard[5], "transport.no-https"),
                                   (vuln[5], "cors.reflected-origin"),
                                   (vuln[5], "transport.no-https")]), finds)
    check("jsonl: one summary line per target, then the run's line",
          sorted(sums) == sorted([hard[5], vuln[5]]) and recs and recs[-1].get("type") == "run"
          and recs[-1].get("exit_code") == rc == 1, (sums, recs[-1:] if recs else None, rc))

    # --- shards: N processes, one per shard, cover the list exactly once,
    # and a reordered list gives every target the same shard.
    allu = hard + vuln
    lst = write("shard.txt", "".join(u + " --no-discovery\n" for u in allu))
    rev = write("shard-rev.txt", "".join(u + " --no-discovery\n" for u in reversed(allu)))
    got, got_rev = [], []
    for path, acc in ((lst, got), (rev, got_rev)):
        procs = [subprocess.Popen([WARDEN, "scan", "--burst", "0", "-q", "-f", "json", "--shard", "%d/3" % i,
                                   "-l", path], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for i in range(3)]
        for i, p in enumerate(procs):
            o, e = p.communicate(timeout=180)
            d = multi(o, "--shard %d/3" % i)
            acc.append(sorted(r["target"] for r in d["reports"]) if d else None)
    flat = sorted(u for s in got if s for u in s)
    check("--shard: 3 processes cover all %d targets exactly once" % len(allu),
          flat == sorted(allu) and all(s is not None for s in got), got)
    check("--shard: each shard is a real part (no shard takes everything)",
          all(s is not None and len(s) < len(allu) for s in got), [len(s or []) for s in got])
    check("--shard: the same split when the list is reordered", got == got_rev, (got, got_rev))

    # --- bad input: exit 2, one clear message, nothing sent.
    d = os.path.join(tmp, "a-directory")
    os.mkdir(d)
    for name, args, stdin, want in [
            ("missing list", ["-l", os.path.join(tmp, "nope.txt")], None, "nope.txt: cannot read"),
            ("list that is a directory", ["-l", d], None, "a-directory: cannot read"),
            ("malformed line", ["-l", write("bad.txt", "# ok\n%s\n%s --spek x\n" % (hard[0], hard[1]))],
             None, "bad.txt:3:"),
            ("unclosed quote", ["-l", write("bad2.txt", "%s --spec 'x\n" % hard[0])], None,
             "bad2.txt:1:"),
            ("not a URL", ["-l", "-"], "%s\nftp://127.0.0.1/\n" % hard[0], "(stdin):2:"),
            ("IPv6 target with -4", ["-4", hard[0], "http://[::1]:8080/"], None, "only IPv4"),
            ("IPv4 target with -6", ["-6", "-l", write("v4.txt", hard[0] + "\n")], None,
             "v4.txt:1:"),
            ("bad shard", ["--shard", "3/3", hard[0]], None, "--shard"),
            ("missing spec on a line", ["-l", write("nospec.txt", "%s --spec none.json\n" % hard[0])],
             None, "nospec.txt:1: --spec"),
    ]:
        rc, out, err = warden("scan", "--burst", "0", "-q", "-f", "json", *args, stdin=stdin, timeout=60)
        msgs = [ln for ln in err.splitlines() if ln.startswith("warden: ")]
        check("bad input: %s -> exit 2, one message naming it" % name,
              rc == 2 and len(msgs) == 1 and want in msgs[0] and out == "", (rc, err[-400:], out[:100]))
finally:
    ngx.stop()


# --- in-test servers that see every request: per-host cap, shared rate,
# streaming.
class Seen:
    def __init__(self):
        self.lock = threading.Lock()
        self.inflight = 0
        self.peak = 0
        self.times = []


def make_handler(seen, delay, slow_path=None, slow=0):
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            with seen.lock:
                seen.inflight += 1
                seen.peak = max(seen.peak, seen.inflight)
                seen.times.append(time.monotonic())
            time.sleep(slow if slow_path and self.path.startswith(slow_path) else delay)
            # Out of the count before the answer leaves: once its last byte
            # is written the client may send the next request at once, and
            # a decrement after the write (a thread descheduled on a busy
            # machine) counted that next request as a third in flight.
            # The window counted (arrival to just before answering, 0.15 s
            # of it asleep) lies inside the client's own request, so the
            # peak never overstates warden's concurrency and still sees
            # more than 2 without --per-host.
            with seen.lock:
                seen.inflight -= 1
            body = b'{"ok":true}'
            self.send_response(200 if self.path == "/" else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            if self.headers.get("Origin"):
                self.send_header("Access-Control-Allow-Origin", self.headers["Origin"])
                self.send_header("Access-Control-Allow-Credentials", "true")
            self.end_headers()
            self.wfile.write(body)

        do_HEAD = do_OPTIONS = do_GET

        def log_message(self, *a):
            pass
    return H


def servers(n, seen, delay, **kw):
    out = []
    for _ in range(n):
        srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(seen, delay, **kw))
        srv.daemon_threads = True
        threading.Thread(target=srv.serve_forever, daemon=True).start()
        out.append(srv)
    return out


def urls(srvs):
    return ["http://127.0.0.1:%d/" % s.server_address[1] for s in srvs]


# --per-host: 4 targets on one host, 4 scanned at once, 8 requests each in
# flight: without the cap the host sees more than 2 at once; with
# --per-host 2 never more than 2.
for cap in (None, 2):
    seen = Seen()
    srvs = servers(4, seen, 0.15)
    args = ["scan", "--burst", "0", "-q", "-f", "json", "--no-discovery", "--parallel", "4", "-c", "8"] + \
        (["--per-host", str(cap)] if cap else []) + urls(srvs)
    rc, out, err = warden(*args, timeout=180)
    doc = multi(out, "--per-host %s" % cap)
    complete = doc is not None and all(r["status"] == "complete" for r in doc["reports"])
    if cap is None:
        check("--per-host: without it one host sees more than 2 requests at once (the test can fail)",
              complete and seen.peak > 2, (seen.peak, rc, err[-300:]))
    else:
        check("--per-host 2: never more than 2 requests in flight to the host, all complete",
              complete and 1 <= seen.peak <= 2, (seen.peak, rc, err[-300:]))
    for s in srvs:
        s.shutdown()

# --rate over every target: 3 targets at --rate 20 share 20 requests/s.
seen = Seen()
srvs = servers(3, seen, 0)
rc, out, err = warden("scan", "--burst", "0", "-q", "-f", "json", "--no-discovery", "--parallel", "3",
                      "--rate", "20", *urls(srvs), timeout=180)
doc = multi(out, "--rate 20")
ts = sorted(seen.times)
n = len(ts)
span = ts[-1] - ts[0] if n > 1 else 0
# n requests at 20/s over all targets take at least (n-1)/20 s; three
# separate limits of 20/s would take a third of that.
check("--rate 20 is one rate over all targets (%d requests)" % n,
      doc is not None and n >= 9 and span >= (n - 1) / 20.0 * 0.8,
      "%d requests in %.2f s (three separate rates: ~%.2f s)" % (n, span, (n - 1) / 60.0))
for s in srvs:
    s.shutdown()

# JSON Lines stream during the scan, for a single target too: a finding on
# the root is on stdout while a later request still waits on the server.
seen = Seen()
srvs = servers(1, seen, 0, slow_path="/openapi", slow=3)
p = subprocess.Popen([WARDEN, "scan", "--burst", "0", "-q", "-f", "jsonl", "--timeout", "20", urls(srvs)[0]],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
first = p.stdout.readline()
still_running = p.poll() is None
rest, err = p.communicate(timeout=120)
try:
    rec = json.loads(first)
except ValueError:
    rec = {}
check("jsonl (one target): a finding line is written while the scan still runs",
      still_running and rec.get("type") == "finding" and rec.get("target") == urls(srvs)[0],
      (still_running, first[:200], err[-200:]))
try:
    lines = [json.loads(x) for x in (first + rest).splitlines() if x.strip()]
except ValueError:
    lines = []  # output that is not JSON Lines fails the check below
ids = [(x.get("rule"), (x.get("location") or {}).get("url")) for x in lines if x.get("type") == "finding"]
check("jsonl (one target): no finding written twice, a summary line last",
      ids and len(ids) == len(set(ids)) and lines and lines[-1].get("type") == "summary", ids)
srvs[0].shutdown()

# --- peak RSS: flat from 10 to 1,000 targets (release: under 64 MB).
ntop = 1000 if RELEASE else 300
ngx = fleetlab.Nginx(tmp, ntop // 2, ntop // 2)
try:
    env = dict(os.environ)
    # ASan keeps freed memory in quarantine (256 MB by default): a small
    # one measures the program, not the sanitizer.
    env["ASAN_OPTIONS"] = env.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=4:detect_leaks=0"
    curve = []
    for k in (10, 100, ntop):
        path = write("rss-%d.txt" % k, "".join(u + " --no-discovery\n" for u in ngx.urls()[:k]))
        t0 = time.time()
        p = subprocess.run(["/usr/bin/time", "-f", "%M", WARDEN, "scan", "--burst", "0", "-q", "-f", "json",
                            "--timeout", "30", "-l", path], capture_output=True, text=True,
                           timeout=600, env=env)
        try:
            kb = int(p.stderr.strip().splitlines()[-1])
        except (ValueError, IndexError):
            kb = -1
        doc = multi(p.stdout, "%d targets" % k)
        ok = doc is not None and doc["summary"]["complete"] == k
        curve.append((k, kb / 1024.0, time.time() - t0, ok))
    for k, mb, secs, ok in curve:
        print("# %5d targets: peak RSS %6.1f MB, %5.1f s" % (k, mb, secs))
    check("RSS: every target of every size complete", all(c[3] for c in curve), curve)
    lo, hi = curve[0][1], max(c[1] for c in curve)
    check("RSS: flat from 10 to %d targets (peak at most 1.5x the 10-target run)" % ntop,
          lo > 0 and hi <= lo * 1.5, curve)
    if RELEASE:
        check("RSS: under 64 MB for 1,000 targets", 0 < curve[-1][1] < 64, curve[-1])
    else:
        skip("RSS: under 64 MB for 1,000 targets", "measured on the release build (sanitizers add shadow memory)")
finally:
    ngx.stop()
    shutil.rmtree(tmp, ignore_errors=True)
done()
