"""Engine behaviour against small in-test servers on 127.0.0.1: a soft-404
server (200 for every path) must produce no endpoint or exposure finding;
--rate spaces requests; the scan never leaves the host and port it was
given; only GET, HEAD and OPTIONS are sent."""
import http.server
import json
import threading
import time

from harness import check, done, how, ran, report, rules, warden, warden_own

seen = []
lock = threading.Lock()


class CatchAll(http.server.BaseHTTPRequestHandler):
    """A single-page app shell: 200 and the same page for every path,
    sometimes naming the path, as many front-ends do."""
    protocol_version = "HTTP/1.1"

    def _page(self, body_too=True):
        with lock:
            seen.append((self.command, self.path))
        body = ("<!doctype html><html><head><title>Shop</title></head><body>"
                "<div id=app></div><noscript>%s</noscript>"
                "<script src=/static/app.js></script></body></html>" % self.path).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if body_too:
            self.wfile.write(body)

    def do_GET(self):
        self._page()

    def do_HEAD(self):
        self._page(False)

    def do_OPTIONS(self):
        self._page()

    def do_POST(self):
        self._page()

    do_PUT = do_DELETE = do_PATCH = do_POST

    def log_message(self, *a):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CatchAll)
threading.Thread(target=srv.serve_forever, daemon=True).start()
url = "http://127.0.0.1:%d/" % srv.server_address[1]

rc, out, err = warden("scan", "-q", "-f", "json", url)
doc = report(out, "scan " + url, err)
bad = [r for r in rules(doc) if not r.startswith("transport.") and r != "fingerprint.framework"]
check("soft 404: no endpoint, exposure or auth finding", ran(doc) and bad == [], (bad, how(doc)))
check("soft 404: scan complete", doc.get("status") == "complete", doc.get("notes"))
methods = {m for m, _ in seen}
check("only GET, HEAD and OPTIONS are sent", seen and methods <= {"GET", "HEAD", "OPTIONS"}, methods)
check("requests counted", len(seen) > 0 and doc.get("requests") == len(seen),
      (doc.get("requests"), len(seen)))

# --rate: a lower bound on time cannot be met by a faster machine.
seen.clear()
t0 = time.monotonic()
rc, out, err = warden("scan", "-q", "-f", "json", "--rate", "40", url)
elapsed = time.monotonic() - t0
doc = report(out, "scan --rate 40", err)
n = doc.get("requests", 0)
check("--rate 40 spaces %d requests over at least %.2f s" % (n, (n - 1) / 40.0 * 0.9),
      n > 10 and len(seen) == n and elapsed >= (n - 1) / 40.0 * 0.9, (elapsed, n, len(seen)))

# --max-time ends a scan that --rate makes long, with a note and status.
# Timed on warden's own time (wall less waiting for a CPU: harness.wait_own).
rc, out, err, elapsed, wall = warden_own("scan", "--burst", "0", "-q", "-f", "json", "--rate", "2",
                                         "--max-time", "2", url)
doc = report(out, "scan --max-time 2", err)
check("--max-time 2 stops the scan", elapsed < 15 and doc.get("status") == "partial",
      (elapsed, wall, doc.get("status")))
check("--max-time names the budget in the notes",
      any("--max-time" in n for n in doc["notes"]), doc["notes"])

# --spec from a file: the routes it lists are requested.
import os
import tempfile
spec = {"openapi": "3.0.0", "info": {"title": "t", "version": "1"},
        "paths": {"/only/in/spec": {"get": {}}}}
with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    json.dump(spec, f)
seen.clear()
rc, out, err = warden("scan", "-q", "-f", "json", "--spec", f.name, "--no-discovery", url)
os.unlink(f.name)
check("--spec FILE routes are requested", ("GET", "/only/in/spec") in seen, seen[:10])
srv.shutdown()
done()
