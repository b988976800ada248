#!/usr/bin/python3
"""`warden mcp` driven by the official MCP TypeScript SDK client
(tests/node/mcp-client.mjs): tools listed, each tool called, targets
outside --allow-target refused before any traffic (issue 16)."""
import http.server
import json
import os
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(__file__))
from harness import TOP, WARDEN, check, done, lab_url  # noqa: E402

NODE = os.path.join(TOP, "tests", "node")
REP = os.path.join(TOP, "tests", "reports")
tmp = tempfile.mkdtemp(prefix="warden-mcp-")


class Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):
        Counter.hits += 1
        self.send_response(200)
        self.end_headers()

    do_HEAD = do_OPTIONS = do_GET

    def log_message(self, *a):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counter)
threading.Thread(target=srv.serve_forever, daemon=True).start()
outside = "http://127.0.0.1:%d/" % srv.server_address[1]

url = lab_url("echo-vuln")
port = url.rsplit(":", 1)[1].strip("/")
insp = os.path.join(TOP, "tests", "fixtures", "inspect")
root = os.path.join(insp, sorted(d for d in os.listdir(insp) if os.path.isdir(os.path.join(insp, d)))[0])
calls = [
    {"name": "scan", "arguments": {"url": url, "max_time": 120}},
    {"name": "scan", "arguments": {"url": outside}},
    {"name": "iac", "arguments": {"paths": ["fixture"]}},
    {"name": "iac", "arguments": {"paths": ["/etc"]}},
    {"name": "inspect", "arguments": {"root": root}},
    {"name": "checks", "arguments": {}},
    {"name": "explain", "arguments": {"rule": "iac.privileged"}},
    {"name": "explain", "arguments": {"rule": "no.such-rule"}},
    {"name": "scan", "arguments": {}},
    {"name": "nosuchtool", "arguments": {}},
]
cf = os.path.join(tmp, "calls.json")
with open(cf, "w") as f:
    json.dump(calls, f)
p = subprocess.run(["node", os.path.join(NODE, "mcp-client.mjs"), WARDEN, cf,
                    "--allow-target", "http://127.0.0.1:%s*" % port, "--allow-target", "fixture",
                    "--allow-target", insp + "/*"],
                   cwd=REP, capture_output=True, text=True, timeout=600)
try:
    out = json.loads(p.stdout.strip().splitlines()[-1])
except (ValueError, IndexError):
    out = {}
check("SDK client connected and listed tools", p.returncode == 0 and out.get("server", {}).get("name") == "warden",
      (p.returncode, p.stderr[-800:]))
names = sorted(t["name"] for t in out.get("tools", []))
check("tools: checks, explain, iac, inspect, scan with input schemas",
      names == ["checks", "explain", "iac", "inspect", "scan"] and
      all(t["inputSchema"]["type"] == "object" for t in out["tools"]), names)
res = out.get("calls", [{}] * len(calls))


def sc(i):
    r = res[i].get("result", {}) if i < len(res) else {}
    return r.get("structuredContent") or {}, r.get("isError"), r


doc, err, raw = sc(0)
rules = {f["rule"] for f in doc.get("findings", [])}
check("scan (lab echo-vuln): the JSON report as structured content",
      err is False and doc.get("kind") == "scan" and doc.get("status") == "complete" and
      doc.get("requests", 0) > 0 and {"auth.no-auth", "container.docker-api-response"} <= rules, (err, sorted(rules)))
check("scan: the same report as text content", raw.get("content", [{}])[0].get("type") == "text" and
      json.loads(raw["content"][0]["text"]).get("kind") == "scan" if raw.get("content") else False)
doc, err, raw = sc(1)
check("scan outside --allow-target: refused, nothing sent", err is True and "outside" in doc.get("error", "") and
      Counter.hits == 0, (err, doc, Counter.hits))
doc, err, raw = sc(2)
check("iac: fixture findings", err is False and sorted(f["rule"] for f in doc.get("findings", [])) ==
      ["iac.cap-drop-all-missing", "iac.host-pid", "iac.privileged"], doc.get("findings"))
doc, err, raw = sc(3)
check("iac outside --allow-target: refused", err is True and "outside" in doc.get("error", ""), doc)
doc, err, raw = sc(4)
check("inspect --root: report", err is False and doc.get("kind") == "inspect" and doc.get("status") in ("complete", "partial"),
      (err, doc.get("status"), doc.get("error")))
doc, err, raw = sc(5)
ids = {r["id"] for r in doc.get("rules", [])}
check("checks: every side's rules", err is False and {"iac.privileged", "auth.no-auth"} <= ids and
      {r["side"] for r in doc["rules"]} == {"scan", "iac", "inspect", "correlation"}, len(ids))
doc, err, raw = sc(6)
check("explain: description and remediation", err is False and doc.get("id") == "iac.privileged" and
      doc.get("remediation", "").startswith("Remove privileged") and doc.get("summary"), doc)
doc, err, raw = sc(7)
check("explain of an unknown rule: a tool error", err is True and "no.such-rule" in doc.get("error", ""), doc)
check("scan without url: a protocol error (invalid params)", len(res) > 8 and res[8].get("ok") is False and
      res[8].get("code") == -32602, res[8] if len(res) > 8 else None)
check("unknown tool: a protocol error", len(res) > 9 and res[9].get("ok") is False, res[9] if len(res) > 9 else None)

# Without --allow-target every scan is refused.
cf2 = os.path.join(tmp, "calls2.json")
with open(cf2, "w") as f:
    json.dump([{"name": "scan", "arguments": {"url": outside}}], f)
p = subprocess.run(["node", os.path.join(NODE, "mcp-client.mjs"), WARDEN, cf2], cwd=REP,
                   capture_output=True, text=True, timeout=120)
try:
    r = json.loads(p.stdout.strip().splitlines()[-1])["calls"][0]["result"]
except (ValueError, IndexError, KeyError):
    r = {}
check("no --allow-target: scans refused, nothing sent", r.get("isError") is True and Counter.hits == 0, r)
srv.shutdown()
done()
