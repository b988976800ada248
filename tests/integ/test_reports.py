#!/usr/bin/python3
"""Report formats (issue 16): every format from the one report model, for
every side, checked against golden files, validators and a real browser.

- iac on tests/reports/fixture: golden files per format (tests/reports/golden),
  times normalised.
- SARIF from iac, inspect (a captured tree) and scan (lab + a hostile stand-in)
  validated against the SARIF 2.1.0 schema (ajv) and by Microsoft's SARIF
  multitool (its SARIF and GitHub rule sets); a broken file must be refused.
- HTML: loaded in Debian's headless chromium: no console error, sections and
  chart in the DOM, the filters run, hostile evidence stays inert, screenshot.
- Bad input: unknown format, unwritable path -> exit 2, no file left behind.
"""
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from html.parser import HTMLParser

sys.path.insert(0, os.path.dirname(__file__))
from harness import TOP, check, done, lab_url, warden  # noqa: E402

REP = os.path.join(TOP, "tests", "reports")
NODE = os.path.join(TOP, "tests", "node")
ART = os.path.join(os.environ.get("LAB_DIR", os.path.join(TOP, "build", "lab")), "artifacts")
os.makedirs(ART, exist_ok=True)
tmp = tempfile.mkdtemp(prefix="warden-reports-")
FORMATS = ["json", "jsonl", "sarif", "html", "md", "junit"]
EXT = {"json": "json", "jsonl": "jsonl", "sarif": "sarif", "html": "html", "md": "md",
       "junit": "junit.xml"}


def normalise(fmt, text):
    # Where the checkout and the temporary directory are differs per run.
    text = text.replace(tmp + "/", "OUT/").replace("file://" + REP + "/", "file:///REPORTS/")
    text = re.sub(r'"seconds": [0-9.e+-]+', '"seconds": 0', text)
    text = re.sub(r'time="[0-9.]+"', 'time="0"', text)
    return text


def run_in(cwd, *args, timeout=180):
    p = subprocess.run([os.environ.get("WARDEN", os.path.join(TOP, "build", "warden"))] + list(args),
                       cwd=cwd, capture_output=True, text=True, timeout=timeout)
    return p.returncode, p.stdout, p.stderr


# ---------------------------------------------------------------- golden files
reports = []
for fmt in FORMATS:
    reports += ["--report", "%s:%s/iac.%s" % (fmt, tmp, EXT[fmt])]
rc, out, err = run_in(REP, "iac", "-q", "--sarif-base", "fixture", *reports, "fixture")
check("iac fixture: exit 1 (critical and high findings at the default --fail-on low)", rc == 1,
      "rc=%d %s" % (rc, err))
check("iac fixture: -q with only --report files prints nothing", out == "", out[:200])
for fmt in FORMATS:
    name = "iac.%s" % EXT[fmt]
    got_path = os.path.join(tmp, name)
    if not os.path.exists(got_path):
        check("golden %s" % name, False, "not written")
        continue
    got = normalise(fmt, open(got_path, encoding="utf-8").read())
    want = open(os.path.join(REP, "golden", name), encoding="utf-8").read()
    if got != want:
        shutil.copy(got_path, os.path.join(ART, name))
        diff = subprocess.run(["diff", "-u", os.path.join(REP, "golden", name), "-"],
                              input=got, capture_output=True, text=True).stdout
        check("golden %s" % name, False, "differs (artefact kept):\n" + diff[:3000])
    else:
        check("golden %s" % name, True)

# -f FORMAT to stdout gives the same document as --report FORMAT:FILE.
for fmt in ("sarif", "md", "junit"):
    rc, out, err = run_in(REP, "iac", "-f", fmt, "--sarif-base", "fixture", "fixture")
    want = open(os.path.join(tmp, "iac.%s" % EXT[fmt]), encoding="utf-8").read()
    # The command lines differ (-f against --report); nothing else does.
    def strip_cmd(t):
        return re.sub(r'"commandLine": "[^"]*"', '"commandLine": ""', normalise(fmt, t))
    check("-f %s on stdout equals --report %s" % (fmt, fmt), strip_cmd(out) == strip_cmd(want), out[:300])

# The same findings in every format: the JSON is the reference.
doc = json.load(open(os.path.join(tmp, "iac.json")))
fps = sorted(f["fingerprint"] for f in doc["findings"])
sarif = json.load(open(os.path.join(tmp, "iac.sarif")))
sfps = sorted(r["partialFingerprints"]["wardenFinding/v1"] for run in sarif["runs"] for r in run["results"])
check("sarif carries exactly the JSON findings (by fingerprint)", fps == sfps and len(fps) == 3, (fps, sfps))
lines = [json.loads(x) for x in open(os.path.join(tmp, "iac.jsonl"))]
check("jsonl: one line per finding then a summary, each naming the target",
      [x["type"] for x in lines] == ["finding"] * 3 + ["summary"] and
      all(x["target"] == "fixture" for x in lines), lines[-1])

# Fingerprints are stable: a second run, and a run where the file moved
# down by three lines, give the same ones.
rc, out, err = run_in(REP, "iac", "-f", "json", "fixture")
check("fingerprints stable across runs",
      sorted(f["fingerprint"] for f in json.loads(out)["findings"]) == fps)
shifted = os.path.join(tmp, "shifted")
os.makedirs(shifted)
with open(os.path.join(REP, "fixture", "docker-compose.yml")) as f:
    body = f.read()
with open(os.path.join(shifted, "docker-compose.yml"), "w") as f:
    f.write("# one\n# two\n# three\n" + body)
rc, out, err = run_in(tmp, "iac", "-f", "json", "shifted")
moved = json.loads(out)["findings"]
check("fingerprints ignore line shifts (same rule, file and text)",
      sorted(f["fingerprint"] for f in moved) ==
      sorted(f["fingerprint"] for f in json.loads(run_in(tmp, "iac", "-f", "json", "shifted")[1])["findings"])
      and [f["location"]["line"] for f in moved] == [10, 19, 14], [f["location"] for f in moved])

# ------------------------------------------------------- every side's SARIF
sarifs = [os.path.join(tmp, "iac.sarif")]
insp_root = os.path.join(TOP, "tests", "fixtures", "inspect")
roots = sorted(d for d in os.listdir(insp_root) if os.path.isdir(os.path.join(insp_root, d)))
if roots:
    root = os.path.join(insp_root, roots[0])
    for fmt in FORMATS:
        pass
    rc, out, err = warden("inspect", "--root", root, "-q",
                          "--report", "sarif:%s/inspect.sarif" % tmp,
                          "--report", "html:%s/inspect.html" % tmp,
                          "--report", "md:%s/inspect.md" % tmp,
                          "--report", "junit:%s/inspect.junit.xml" % tmp,
                          "--report", "jsonl:%s/inspect.jsonl" % tmp,
                          "--report", "json:%s/inspect.json" % tmp)
    check("inspect --root: every report written", rc in (0, 1) and all(
        os.path.exists("%s/inspect.%s" % (tmp, e)) for e in EXT.values()), "rc=%d %s" % (rc, err))
    sarifs.append(os.path.join(tmp, "inspect.sarif"))
    ij = json.load(open(os.path.join(tmp, "inspect.json")))
    isr = json.load(open(os.path.join(tmp, "inspect.sarif")))
    check("inspect sarif: one run, side inspect, every finding, logical locations only",
          len(isr["runs"]) == 1 and isr["runs"][0]["automationDetails"]["id"] == "warden/inspect/" and
          len(isr["runs"][0]["results"]) == len(ij["findings"]) and
          all("physicalLocation" not in loc for r in isr["runs"][0]["results"] for loc in r["locations"]))
else:
    check("inspect fixture trees present", False, insp_root)


class Hostile(http.server.BaseHTTPRequestHandler):
    """A stand-in that leaks a Go panic whose message carries markup: the
    evidence warden copies from it must stay inert in every report."""
    PANIC = ("panic: runtime error: invalid memory address\n\n"
             "goroutine 1 [running]:\nmain.handler(<script>alert(1)</script>\"onload=alert(2) x=\"<img src=x onerror=alert(3)>)\n"
             "\t/app/main.go:42 +0x1d\n"
             "net/http.HandlerFunc.ServeHTTP(...)\n\t/usr/lib/go/src/net/http/server.go:2136 +0x29\n")

    def do_GET(self):
        if self.path.startswith("/api/crash"):
            body, code = self.PANIC.encode(), 500
        elif self.path == "/":
            body, code = b'{"routes":["/api/crash"]}', 200
        else:
            body, code = b'{"error":"not found"}', 404
        self.send_response(code)
        self.send_header("Content-Type", "text/plain" if code == 500 else "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def log_message(self, *a):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
threading.Thread(target=srv.serve_forever, daemon=True).start()
hurl = "http://127.0.0.1:%d/" % srv.server_address[1]
spec = os.path.join(tmp, "spec.json")
with open(spec, "w") as f:
    json.dump({"openapi": "3.0.3", "info": {"title": "hostile", "version": "1"},
               "paths": {"/api/crash": {"get": {"responses": {"200": {"description": "x"}}}}}}, f)
rc, out, err = warden("scan", "-q", "--no-discovery", "--spec", spec, "--max-time", "60",
                      "--report", "html:%s/hostile.html" % tmp, "--report", "sarif:%s/hostile.sarif" % tmp,
                      "--report", "md:%s/hostile.md" % tmp, "--report", "junit:%s/hostile.junit.xml" % tmp,
                      "--report", "json:%s/hostile.json" % tmp, hurl)
srv.shutdown()
hj = {}
try:
    hj = json.load(open(os.path.join(tmp, "hostile.json")))
except (OSError, ValueError) as e:
    check("hostile scan wrote JSON", False, e)
hostile_ev = [f for f in hj.get("findings", []) if "<script>" in (f.get("evidence") or "")]
check("hostile scan: the panic evidence carries the markup (so escaping is tested)",
      hj.get("status") == "complete" and hj.get("requests", 0) > 0 and
      any(f["rule"] == "leak.stack-trace" for f in hostile_ev), [f["rule"] for f in hj.get("findings", [])])
sarifs.append(os.path.join(tmp, "hostile.sarif"))
md = open(os.path.join(tmp, "hostile.md")).read() if os.path.exists(os.path.join(tmp, "hostile.md")) else ""
check("markdown: hostile markup escaped", md and "<script>" not in md and "<img" not in md and "&lt;script&gt;" in md)
xml = os.path.join(tmp, "hostile.junit.xml")
xl = subprocess.run(["xmllint", "--noout", xml], capture_output=True, text=True)
check("junit: hostile evidence still well-formed XML", xl.returncode == 0 and "&lt;script&gt;" in open(xml).read(),
      xl.stderr[:300])

# Lab scan with correlation: the scan, iac and correlation runs.
try:
    url = lab_url("echo-vuln")
    iacdir = os.path.join(TOP, "tests", "fixtures", "iac", "compose", "vuln")
    rc, out, err = warden("scan", "-q", "--iac", iacdir, "--report", "sarif:%s/lab.sarif" % tmp,
                          "--report", "html:%s/lab.html" % tmp, "--report", "json:%s/lab.json" % tmp,
                          "--report", "md:%s/lab.md" % tmp, "--report", "junit:%s/lab.xml" % tmp, url)
    lj = json.load(open(os.path.join(tmp, "lab.json")))
    ls = json.load(open(os.path.join(tmp, "lab.sarif")))
    ids = [r["automationDetails"]["id"] for r in ls["runs"]]
    check("lab scan --iac: sarif runs scan, iac, correlation", ids == ["warden/scan/", "warden/iac/", "warden/correlation/"], ids)
    n = sum(len(r["results"]) for r in ls["runs"])
    check("lab scan --iac: sarif results = JSON findings", n == len(lj["findings"]) and n > 0, (n, len(lj["findings"])))
    scan_run = ls["runs"][0]
    check("lab scan: URL findings have logical locations, no physical one",
          scan_run["results"] and all("logicalLocations" in loc and "physicalLocation" not in loc
                                      for r in scan_run["results"] for loc in r["locations"]))
    check("lab scan: invocation has the command line and exit code",
          scan_run["invocations"][0]["exitCode"] == rc and
          scan_run["invocations"][0]["commandLine"].startswith("warden scan"), scan_run["invocations"])
    sarifs.append(os.path.join(tmp, "lab.sarif"))
    # JUnit: no token was given, so the forged-token rules had nothing to
    # forge: skipped, never passed. Every finding's rule is a test case
    # that ran, failed at the default --fail-on low unless info.
    import xml.etree.ElementTree as ET
    suite = [s for s in ET.parse(os.path.join(tmp, "lab.xml")).getroot() if s.get("name") == "warden scan"][0]
    cases = {c.get("name"): c for c in suite.findall("testcase")}
    skipped = {n for n, c in cases.items() if c.find("skipped") is not None}
    failed = {n for n, c in cases.items() if c.find("failure") is not None}
    found = {f["rule"] for f in lj["findings"] if f["rule"].split(".")[0] not in ("iac", "chain")}
    check("lab scan junit: forged-token rules without a token are skipped, not passed",
          {"jwt.alg-none-accepted", "jwt.signature-not-verified", "jwt.weak-secret"} <= skipped and
          suite.get("skipped") == str(len(skipped)) and suite.get("tests") == str(len(cases)), (sorted(skipped), suite.attrib))
    check("lab scan junit: the rules that raised findings ran (low and above fail)",
          found and not (found & skipped) and
          {f["rule"] for f in lj["findings"] if f["rule"] in found and f["severity"] != "info"} <= failed,
          (sorted(found), sorted(failed)))
except (OSError, ValueError, KeyError, IndexError) as e:
    check("lab scan with every report", False, e)

# ------------------------------------------------------------ SARIF validity
if not os.path.exists(os.path.join(NODE, "node_modules", "ajv")):
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--prefix", NODE], capture_output=True, timeout=600)
mt = os.path.join(NODE, "node_modules", "@microsoft", "sarif-multitool-linux", "Sarif.Multitool")
if os.path.exists(mt):
    os.chmod(mt, 0o755)
broken = os.path.join(tmp, "broken.sarif")
with open(os.path.join(tmp, "iac.sarif")) as f:
    bdoc = json.load(f)
bdoc["runs"][0]["results"][0]["level"] = "fatal"
with open(broken, "w") as f:
    json.dump(bdoc, f)
p = subprocess.run(["node", os.path.join(NODE, "validate-sarif.mjs")] + sarifs + [broken],
                   capture_output=True, text=True, timeout=600)
res = {}
for line in p.stdout.splitlines():
    m = re.match(r"(valid|invalid) (\S+)", line)
    if m:
        res[m.group(2).rstrip(":")] = (m.group(1), line)
for s in sarifs:
    st = res.get(s, ("missing", p.stdout[-500:] + p.stderr[-500:]))
    check("sarif valid (schema + multitool): %s" % os.path.basename(s), st[0] == "valid", st[1])
check("sarif validator refuses a broken file (level: fatal)", res.get(broken, ("",))[0] == "invalid",
      res.get(broken))

# ---------------------------------------------------------------- chromium
chromium = shutil.which("chromium")


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def browse(html, extra_hash=""):
    prof = tempfile.mkdtemp(prefix="chromium-", dir=tmp)
    args = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            "--user-data-dir=" + prof, "--enable-logging=stderr", "--v=0"]
    p = subprocess.run(args + ["--dump-dom", "file://" + html + extra_hash],
                       capture_output=True, text=True, timeout=120)
    return p.returncode, p.stdout, p.stderr


if not chromium:
    check("chromium installed (scripts/install-deps.sh)", False)
else:
    for name in ("hostile.html", "iac.html", "lab.html", "inspect.html"):
        html = os.path.join(tmp, name)
        if not os.path.exists(html):
            check("html %s exists" % name, False)
            continue
        rc, dom, log = browse(html)
        console = [l for l in log.splitlines() if "CONSOLE" in l or "Uncaught" in l or
                   "Refused to" in l]
        check("chromium: %s loads, no console error" % name, rc == 0 and dom and not console,
              "rc=%d %s" % (rc, "\n".join(console)[:600]))
        d = Dom()
        d.feed(dom)
        ids = {a.get("id") for t, a in d.tags}
        check("chromium: %s has summary, charts, chains, findings, notes" % name,
              {"summary", "charts", "chart-severity", "chart-category", "chains", "findings", "notes"} <= ids,
              sorted(i for i in ids if i))
        scripts = [t for t, a in d.tags if t == "script"]
        handlers = [(t, k) for t, a in d.tags for k in a if k.startswith("on")]
        imgs = [t for t, a in d.tags if t in ("img", "iframe", "object", "embed", "link")]
        check("chromium: %s inert (one script, no handler attribute, no img/link)" % name,
              len(scripts) == 1 and not handlers and not imgs, (scripts, handlers, imgs))
        form = [a for t, a in d.tags if t == "form" and a.get("id") == "filters"]
        check("chromium: %s filters shown by the script" % name, form and "hidden" not in form[0], form)
        if name == "hostile.html":
            check("chromium: hostile payload shown as text", "&lt;script&gt;alert(1)&lt;/script&gt;" in dom)
    # The filters: #hide=sev:high hides the high findings.
    rc, dom, log = browse(os.path.join(tmp, "iac.html"), "#hide=sev:high")
    d = Dom()
    d.feed(dom)
    arts = [a for t, a in d.tags if t == "article"]
    hidden_ok = arts and all(("hidden" in a.get("class", "").split()) == (a.get("data-sev") == "high") for a in arts)
    check("chromium: filter by severity hides exactly the high findings", hidden_ok and
          any(a.get("data-sev") == "high" for a in arts), [(a.get("data-sev"), a.get("class")) for a in arts])
    shot = os.path.join(ART, "report-lab.png")
    prof = tempfile.mkdtemp(prefix="chromium-", dir=tmp)
    src = os.path.join(tmp, "lab.html") if os.path.exists(os.path.join(tmp, "lab.html")) else os.path.join(tmp, "iac.html")
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--user-data-dir=" + prof,
                    "--hide-scrollbars", "--window-size=1200,1800", "--screenshot=" + shot, "file://" + src],
                   capture_output=True, timeout=120)
    check("chromium: screenshot in the artefacts", os.path.exists(shot) and os.path.getsize(shot) > 10000, shot)

# ---------------------------------------------------------------- bad input
for args, what in ((["-f", "xml"], "unknown -f"), (["--report", "pdf:%s/x.pdf" % tmp], "unknown --report format"),
                   (["--report", "sarif:%s/no/such/dir/x.sarif" % tmp], "report in a missing directory"),
                   (["--report", "sarif"], "--report without FILE"),
                   (["-o", tmp], "-o names a directory")):
    rc, out, err = run_in(REP, "iac", *args, "fixture")
    check("bad input: %s -> exit 2, one error line" % what,
          rc == 2 and len(err.strip().splitlines()) == 1 and err.startswith("warden: "), "rc=%d %r" % (rc, err))
ro = os.path.join(tmp, "ro")
os.makedirs(ro)
os.chmod(ro, 0o555)
if os.access(ro, os.W_OK):
    # root writes anywhere: a full disk is the unwritable case then.
    if os.path.exists("/dev/full"):
        rc, out, err = run_in(REP, "iac", "--report", "json:/dev/full", "fixture")
        check("bad input: write error (/dev/full) -> exit 2", rc == 2 and "/dev/full" in err, (rc, err))
    else:
        check("bad input: unwritable path", True)
else:
    rc, out, err = run_in(REP, "iac", "--report", "json:%s/r.json" % ro, "fixture")
    check("bad input: unwritable directory -> exit 2, nothing left", rc == 2 and not os.listdir(ro), (rc, err))
# A failed write leaves no partial file and no temporary behind.
before = set(os.listdir(tmp))
rc, out, err = run_in(REP, "iac", "--report", "json:%s/ok.json" % tmp, "--report", "sarif:/dev/full", "fixture")
check("bad input: no temporary file left after a failed write",
      rc == 2 and not [n for n in os.listdir(tmp) if ".tmp-" in n], (rc, err, os.listdir(tmp)))

# ------------------------------------------------------ suppressions, baseline
pol = os.path.join(tmp, "policy")
os.makedirs(pol)
shutil.copy(os.path.join(REP, "fixture", "docker-compose.yml"), pol)


def pjson(*args, cwd=pol):
    rc, out, err = run_in(cwd, "iac", "-f", "json", *args, "docker-compose.yml")
    try:
        return rc, json.loads(out), err
    except ValueError:
        return rc, {}, err


def write(name, text):
    path = os.path.join(pol, name)
    with open(path, "w") as f:
        f.write(text)
    return path


rc0, plain, _ = pjson()
ign = write("ignore.yml", "suppressions:\n"
            "  - rule: iac.host-pid\n    location: \"docker-compose.yml:*\"\n"
            "    reason: the monitoring agent needs the host PID namespace\n    expires: 2099-12-31\n"
            "  - rule: iac.cap-*\n    reason: capabilities reviewed\n    expires: 2000-01-01\n")
rc, doc, err = pjson("--ignore", ign)
sup = {f["rule"]: f.get("suppressed", False) for f in doc.get("findings", [])}
check("suppression: the matched finding stays in JSON, marked suppressed with its reason",
      sup == {"iac.privileged": False, "iac.host-pid": True, "iac.cap-drop-all-missing": False} and
      [f.get("suppression") for f in doc["findings"] if f["rule"] == "iac.host-pid"] ==
      ["the monitoring agent needs the host PID namespace"], sup)
check("suppression: out of the counts and the score", doc.get("summary", {}).get("high") == 0 and
      doc["summary"].get("suppressed") == 1 and doc["score"]["overall"] > plain["score"]["overall"],
      (doc.get("summary"), doc.get("score", {}).get("overall"), plain["score"]["overall"]))
check("suppression: an expired one is reported and does not apply",
      any("expired on 2000-01-01" in n and "ignore.yml:6" in n for n in doc.get("notes", [])), doc.get("notes"))
rc, out, err = run_in(pol, "iac", "-f", "sarif", "--ignore", ign, "docker-compose.yml")
res = [r for run in json.loads(out)["runs"] for r in run["results"]]
check("suppression: SARIF suppressions on the suppressed result only",
      [r["ruleId"] for r in res if r.get("suppressions")] == ["iac.host-pid"] and
      [r["suppressions"][0]["justification"] for r in res if r.get("suppressions")] ==
      ["the monitoring agent needs the host PID namespace"])
write("all.yml", "suppressions:\n  - rule: \"iac.*\"\n    reason: r\n    expires: 2099-01-01\n")
rc, doc, err = pjson("--ignore", os.path.join(pol, "all.yml"))
check("suppression: everything suppressed -> exit 0 (not in the exit code)",
      rc == 0 and rc0 == 1 and len(doc.get("findings", [])) == 3, (rc, rc0))
write(".wardenignore.yml", "suppressions:\n  - rule: iac.privileged\n    reason: r\n    expires: 2099-01-01\n")
rc, doc, err = pjson()
check("suppression: .wardenignore.yml in the working directory is read by default",
      [f["rule"] for f in doc.get("findings", []) if f.get("suppressed")] == ["iac.privileged"])
os.unlink(os.path.join(pol, ".wardenignore.yml"))
for text, want in (("suppressions:\n  - rule: iac.privileged\n    reason: r\n    expires: 2099-01-01\n    owner: me\n",
                    "bad.yml:5: unknown key 'owner'"),
                   ("suppressions:\n  - rule: iac.privileged\n    expires: 2099-01-01\n", "bad.yml:2: suppression without 'reason'"),
                   ("suppressions:\n  - rule: iac.privileged\n    reason: r\n    expires: 31/12/2099\n",
                    "bad.yml:4: expires: '31/12/2099' is not a date"),
                   ("suppressions: [\n", "bad.yml:2:")):
    write("bad.yml", text)
    before = set(os.listdir(pol))
    rc, out, err = run_in(pol, "iac", "--ignore", "bad.yml", "--report", "json:r.json", "docker-compose.yml")
    check("bad ignore file -> exit 2, '%s', no report" % want,
          rc == 2 and want in err and len(err.strip().splitlines()) == 1 and set(os.listdir(pol)) == before,
          (rc, err))

# Baseline: the fixture as it was, then with pid: host replaced by ipc: host.
rc, out, err = run_in(pol, "iac", "-q", "--report", "json:base.json", "docker-compose.yml")
rc, doc, err = pjson("--baseline", "base.json")
check("baseline: the same input is all unchanged, nothing fixed",
      [f.get("baseline") for f in doc.get("findings", [])] == ["unchanged"] * 3 and doc.get("fixed") == [], doc.get("fixed"))
with open(os.path.join(pol, "docker-compose.yml")) as f:
    text = f.read()
write("docker-compose.yml", text.replace("    pid: host\n", "    ipc: host\n"))
rc, doc, err = pjson("--baseline", "base.json")
state = {f["rule"]: f.get("baseline") for f in doc.get("findings", [])}
check("baseline: new, unchanged and fixed by fingerprint",
      state == {"iac.privileged": "unchanged", "iac.host-ipc": "new", "iac.cap-drop-all-missing": "unchanged"} and
      [x["rule"] for x in doc.get("fixed", [])] == ["iac.host-pid"], (state, doc.get("fixed")))
rc, out, err = run_in(pol, "iac", "-q", "--baseline", "base.json", "--fail-on-new", "high", "docker-compose.yml")
rc2, out, err = run_in(pol, "iac", "-q", "--baseline", "base.json", "--fail-on-new", "critical", "docker-compose.yml")
check("baseline: --fail-on-new high fails on the new high finding, critical does not (the old critical is not new)",
      rc == 1 and rc2 == 0, (rc, rc2))
rc, out, err = run_in(pol, "iac", "-f", "sarif", "--baseline", "base.json", "docker-compose.yml")
states = sorted((r["ruleId"], r.get("baselineState")) for run in json.loads(out)["runs"] for r in run["results"])
check("baseline: SARIF baselineState", states == [("iac.cap-drop-all-missing", "unchanged"),
      ("iac.host-ipc", "new"), ("iac.privileged", "unchanged")], states)
write("notjson.json", "{\n  \"schema\": \"warden-report-1\",\n  \"findings\": [,]\n}\n")
for name, want in (("notjson.json", "notjson.json:3:"), ("ignore.yml", "ignore.yml:1:"),
                   ("missing.json", "missing.json: cannot")):
    rc, out, err = run_in(pol, "iac", "--baseline", name, "docker-compose.yml")
    check("bad baseline %s -> exit 2 naming file and line" % name, rc == 2 and want in err, (rc, err))

# A bad --ignore or --baseline stops a scan before it sends anything: a
# listener on loopback counts the connections the scan opened (none).
import socket
import threading
lsock = socket.socket()
lsock.bind(("127.0.0.1", 0))
lsock.listen(16)
lsock.settimeout(0.2)
conns = []
stop_listen = threading.Event()
def accept_loop():
    while not stop_listen.is_set():
        try:
            c, _ = lsock.accept()
        except OSError:
            continue
        conns.append(c)
        c.close()
th = threading.Thread(target=accept_loop, daemon=True)
th.start()
url = "http://127.0.0.1:%d/" % lsock.getsockname()[1]
write("bad.yml", "suppressions:\n  - rule: scan.x\n    reason: r\n")
rc, out, err = run_in(pol, "scan", "--ignore", "bad.yml", "--no-discovery", url)
check("scan: a bad --ignore file -> exit 2 naming file:line, before any connection",
      rc == 2 and "bad.yml:2: suppression without 'expires'" in err and len(conns) == 0, (rc, err, len(conns)))
rc, out, err = run_in(pol, "scan", "--baseline", "base.json", "--no-discovery", url)
check("scan: an iac report as --baseline -> exit 2 (kind), before any connection",
      rc == 2 and "a baseline of kind 'iac' cannot be compared with a scan report" in err and len(conns) == 0,
      (rc, err, len(conns)))
stop_listen.set()
th.join()
lsock.close()

shutil.rmtree(tmp, ignore_errors=True)
done()
