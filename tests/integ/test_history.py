"""Run history (docs/history.md): `warden scan --db`, `warden history`,
`warden diff`, on both backends: a SQLite file and a real PostgreSQL
server started here (pglab.py: initdb in a scratch directory, a private
port on 127.0.0.1, an unprivileged user). Per backend: runs and scans
recorded with their findings and fingerprints, first/last seen, diff by
run ids and by report files (new, fixed, unchanged, score change; term,
json, md), the migration of an older database made here, a newer schema
and an unopenable database refused with exit 2 before any traffic, a
worker killed mid-scan leaving its target partial with no findings. Then
the fleet case: N processes, one per shard, writing one PostgreSQL
database (and one SQLite file) at once: every target of the list exactly
once, no write lost.

The target whose findings change between runs is a small in-test server
(its CORS reflection is switched on and off between runs); the fleet runs
use one real nginx on many loopback ports (fleetlab.py)."""
import html.parser
import http.server
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import xml.etree.ElementTree as ET

import yaml

from harness import TOP, WARDEN, check, done, warden
import fleetlab
import pglab

tmp = tempfile.mkdtemp(prefix="warden-history-")


class State:
    vulnerable = True
    slow = 0.0
    hits = 0


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        State.hits += 1
        if State.slow:
            time.sleep(State.slow)
        body = b'{"service":"toggle"}'
        self.send_response(200 if self.path == "/" else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if State.vulnerable and self.headers.get("Origin"):
            self.send_header("Access-Control-Allow-Origin", self.headers["Origin"])
            self.send_header("Access-Control-Allow-Credentials", "true")
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass  # the scan killed on purpose

    do_HEAD = do_OPTIONS = do_GET

    def log_message(self, *a):
        pass


srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
threading.Thread(target=srv.serve_forever, daemon=True).start()
URL = "http://127.0.0.1:%d/" % srv.server_address[1]
CORS, NOHTTPS = "cors.reflected-origin", "transport.no-https"

# The database's first schema, as warden 0.1 wrote it (store.c's first
# migration): the migration test starts from a file made with it.
SCHEMA_V1 = """
CREATE TABLE warden_schema (version INTEGER NOT NULL);
CREATE TABLE runs (id {id}, started TEXT NOT NULL, finished TEXT, cmdline TEXT, status TEXT NOT NULL);
CREATE TABLE targets (id {id}, url TEXT NOT NULL UNIQUE);
CREATE TABLE scans (id {id}, run_id BIGINT NOT NULL REFERENCES runs(id),
  target_id BIGINT NOT NULL REFERENCES targets(id), status TEXT NOT NULL, score INTEGER,
  grade TEXT, started TEXT NOT NULL, finished TEXT, report TEXT);
CREATE TABLE findings (scan_id BIGINT NOT NULL REFERENCES scans(id), fingerprint TEXT NOT NULL,
  rule TEXT NOT NULL, severity TEXT NOT NULL, title TEXT, location TEXT);
INSERT INTO warden_schema (version) VALUES (1);
INSERT INTO runs (started, finished, cmdline, status) VALUES
  ('2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', 'warden scan --db', 'finished');
INSERT INTO targets (url) VALUES ('http://old.invalid:80/');
INSERT INTO scans (run_id, target_id, status, score, grade, started, finished, report) VALUES
  (1, 1, 'complete', 70, 'C', '2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z', NULL);
INSERT INTO findings (scan_id, fingerprint, rule, severity, title, location) VALUES
  (1, 'aaaa:1', 'transport.no-https', 'medium', 'plain http', 'http://old.invalid/');
"""


class Sqlite:
    name = "sqlite"
    chr = "char"

    def __init__(self, path):
        self.path = path
        self.where = path

    def rows(self, sql):
        c = sqlite3.connect(self.path)
        try:
            return [[None if v is None else str(v) for v in r] for r in c.execute(sql).fetchall()]
        finally:
            c.close()

    def fresh(self, name):
        return Sqlite(os.path.join(tmp, name + ".db"))

    def make_v1(self, name):
        db = self.fresh(name)
        c = sqlite3.connect(db.path)
        c.executescript(SCHEMA_V1.format(id="INTEGER PRIMARY KEY AUTOINCREMENT"))
        c.commit()
        c.close()
        return db

    def set_version(self, v):
        c = sqlite3.connect(self.path)
        c.execute("UPDATE warden_schema SET version = %d" % v)
        c.commit()
        c.close()


class Pg:
    name = "postgresql"
    chr = "chr"

    def __init__(self, server, db):
        self.server, self.db = server, db
        self.where = server.createdb(db)

    def rows(self, sql):
        return [[None if v == "" else v for v in r] for r in self.server.psql(self.db, sql)]

    def fresh(self, name):
        return Pg(self.server, name)

    def make_v1(self, name):
        db = Pg(self.server, name)
        self.server.psql(name, SCHEMA_V1.format(id="BIGSERIAL PRIMARY KEY"))
        return db

    def set_version(self, v):
        self.server.psql(self.db, "UPDATE warden_schema SET version = %d" % v)


def scan(db, *urls, extra=()):
    """One recorded scan; returns (rc, JSON report text, stderr)."""
    rc, out, err = warden("scan", "--burst", "0", "-q", "-f", "json", "--no-discovery", "--db", db.where,
                          *extra, *urls, timeout=120)
    return rc, out, err


def rules_in(rep):
    return sorted({f["rule"] for f in rep.get("findings", [])})


def json_of(out, what):
    try:
        return json.loads(out)
    except ValueError as e:
        check(what + ": JSON readable", False, (e, out[:300]))
        return None


def scan_formats():
    """The report formats `warden scan --help` offers for -f."""
    rc, out, err = warden("scan", "--help")
    for ln in out.splitlines():
        if "--format" in ln and "term|" in ln:
            return re.search(r"(term(\|[a-z]+)+)", ln).group(1).split("|")
    return []


SCAN_FORMATS = scan_formats()
check("the report formats of `warden scan` read from its --help (%s)" % ",".join(SCAN_FORMATS),
      len(SCAN_FORMATS) >= 7 and "term" in SCAN_FORMATS and "sarif" in SCAN_FORMATS, SCAN_FORMATS)


# Readers of `warden diff` in each format: each returns (target, new rules,
# fixed rules, unchanged rules, score change) of a one-target diff, from
# that format's own structure.
def _one(v):
    if len(v) != 1:
        raise ValueError("%d targets, not 1: %r" % (len(v), v))
    return v[0]


def _sort(states, pairs):
    return tuple(sorted(r for st, r in pairs if st == k) for k in states)


def read_term(out):
    tgt = [ln for ln in out.splitlines() if ln.startswith("http")]
    sc = re.findall(r"^  score .* -> .*, ([+-]\d+)$", out, re.M)
    pairs = [(m.group(1), m.group(2)) for m in
             re.finditer(r"^  ([+=-]) +\S+ +(\S+)", out, re.M)]
    return (_one(tgt),) + _sort("+-=", pairs) + (int(_one(sc)),)


def read_md(out):
    tgt = re.findall(r"^### (\S+)$", out, re.M)
    sc = re.findall(r"^score .* → .*, ([+-]\d+)$", out, re.M)
    pairs = re.findall(r"^\| (new|fixed|unchanged) \| \S+ \| `([^`]+)` \|", out, re.M)
    return (_one(tgt).replace("\\", ""),) + _sort(("new", "fixed", "unchanged"), pairs) + \
        (int(_one(sc)),)


def read_json(out):
    t = _one(json.loads(out)["targets"])
    return (t["target"],) + tuple(sorted(x["rule"] for x in t[k])
                                  for k in ("new", "fixed", "unchanged")) + (t["score_change"],)


def read_jsonl(out):
    recs = [json.loads(ln) for ln in out.splitlines()]
    t = _one([r for r in recs if r["type"] == "target"])
    if recs[-1]["type"] != "summary":
        raise ValueError("no summary line last")
    pairs = [(r["state"], r["rule"]) for r in recs if r["type"] == "finding"
             and r["target"] == t["target"]]
    return (t["target"],) + _sort(("new", "fixed", "unchanged"), pairs) + (t["score_change"],)


def read_sarif(out):
    run = _one(json.loads(out)["runs"])
    t = _one(run["properties"]["targets"])
    pairs = [(r["baselineState"], r["ruleId"]) for r in run["results"]]
    return (t["target"],) + _sort(("new", "absent", "unchanged"), pairs) + (t["score_change"],)


def read_html(out):
    class P(html.parser.HTMLParser):
        def __init__(self):
            super().__init__()
            self.rows, self.h2, self.change, self.cur, self.cell = [], [], [], None, None

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "tr" and a.get("class"):
                self.cur = [a["class"]]
                self.rows.append(self.cur)
            elif tag == "td" and self.cur is not None:
                self.cur.append("")
            elif tag == "h2":
                self.h2.append("")
            elif tag == "span" and a.get("class") == "score-change":
                self.change.append("")
            self.cell = tag

        def handle_endtag(self, tag):
            self.cell = None

        def handle_data(self, d):
            if self.cell in ("td", "code") and self.cur is not None:
                self.cur[-1] += d
            elif self.cell == "h2":
                self.h2[-1] += d
            elif self.cell == "span" and self.change:
                self.change[-1] += d
    p = P()
    p.feed(out)
    if not out.rstrip().endswith("</html>"):
        raise ValueError("page not closed")
    pairs = [(r[0], r[3]) for r in p.rows if len(r) == 5 and r[1] == r[0]]
    return (_one(p.h2),) + _sort(("new", "fixed", "unchanged"), pairs) + (int(_one(p.change)),)


def read_junit(out):
    root = ET.fromstring(out)
    suite = _one(root.findall("testsuite"))
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    pairs = []
    for tc in suite.findall("testcase"):
        failed = tc.find("failure") is not None
        if failed != (tc.get("classname") == "new"):
            raise ValueError("a %s finding %s" % (tc.get("classname"),
                                                  "failed" if failed else "passed"))
        pairs.append((tc.get("classname"), tc.get("name").split()[0]))
    if int(suite.get("failures")) != sum(1 for st, _ in pairs if st == "new"):
        raise ValueError("failures count")
    return (suite.get("name"),) + _sort(("new", "fixed", "unchanged"), pairs) + \
        (int(props["score_change"]),)


DIFF_READERS = {"term": read_term, "md": read_md, "json": read_json, "jsonl": read_jsonl,
                "sarif": read_sarif, "html": read_html, "junit": read_junit}
for _f in SCAN_FORMATS:
    DIFF_READERS.setdefault(_f, lambda out, _f=_f: ("no reader for format", _f))


def backend_suite(db):
    B = db.name
    State.vulnerable, State.slow = True, 0
    rc1, out1, err1 = scan(db, URL)
    State.vulnerable = False
    rc2, out2, err2 = scan(db, URL)
    State.vulnerable = True
    rc3, out3, err3 = scan(db, URL)
    reps = [json_of(o, "%s: scan %d" % (B, i + 1)) for i, o in enumerate((out1, out2, out3))]
    if None in reps:
        return
    check("%s: three recorded scans ran (the target's findings switched between runs)" % B,
          [rules_in(r) for r in reps] == [[CORS, NOHTTPS], [NOHTTPS], [CORS, NOHTTPS]]
          and all(r["status"] == "complete" for r in reps), (rc1, rc2, rc3, err1[-300:]))
    runs = db.rows("SELECT id, status, exit_code FROM runs ORDER BY id")
    check("%s: three runs, each finished with its exit code" % B,
          runs == [["1", "finished", str(rc1)], ["2", "finished", str(rc2)],
                   ["3", "finished", str(rc3)]], runs)
    fps = {r["findings"][0]["fingerprint"] for r in reps}
    stored = db.rows("SELECT s.run_id, f.rule, f.fingerprint FROM findings f JOIN scans s"
                     " ON s.id = f.scan_id ORDER BY s.run_id, f.rule")
    want = [[str(i + 1), f["rule"], f["fingerprint"]] for i, r in enumerate(reps)
            for f in sorted(r["findings"], key=lambda f: f["rule"])]
    check("%s: every finding stored with the report's stable fingerprint" % B,
          stored == want and len(fps) >= 1, (stored, want))
    st = db.rows("SELECT run_id, status, score, grade, finished IS NOT NULL FROM scans ORDER BY id")
    check("%s: each scan stored complete with the report's score and grade" % B,
          [r[:4] for r in st] == [[str(i + 1), "complete", str(r["score"]["overall"]),
                                   r["score"]["grade"]] for i, r in enumerate(reps)], st)
    rep_json = db.rows("SELECT replace(report, %s(10), ' ') FROM scans WHERE run_id = 2" % db.chr)
    try:
        stored_rep = json.loads(rep_json[0][0])
    except (ValueError, IndexError, TypeError):
        stored_rep = {}
    check("%s: the target's JSON report is stored whole" % B,
          stored_rep.get("schema") == "warden-report-1" and rules_in(stored_rep) == [NOHTTPS],
          str(rep_json)[:200])
    hist = {r[0]: r[1:] for r in db.rows("SELECT rule, first_run, last_run FROM finding_history")}
    check("%s: first and last seen per finding (CORS seen in runs 1 and 3, not 2)" % B,
          hist == {CORS: ["1", "3"], NOHTTPS: ["1", "3"]}, hist)

    # warden history
    rc, out, err = warden("history", "--db", db.where, "-f", "json")
    h = json_of(out, "%s: history" % B) or {}
    check("%s: history lists the three runs, newest first" % B,
          rc == 0 and [r.get("run") for r in h.get("runs", [])] == [3, 2, 1]
          and all(r.get("targets") == 1 for r in h.get("runs", [])), (rc, out[:300], err))
    rc, out, err = warden("history", "--db", db.where, "--target", URL, "-f", "json")
    h = json_of(out, "%s: history --target" % B) or {}
    got = [(s.get("run"), s.get("grade"), s.get("score")) for s in h.get("scans", [])]
    check("%s: history --target: the target's grade and score over time" % B,
          got == [(i + 1, r["score"]["grade"], r["score"]["overall"]) for i, r in
                  reversed(list(enumerate(reps)))], got)
    rc, out, err = warden("history", "--db", db.where, "--target", URL)
    check("%s: history --target on the terminal names each run" % B,
          rc == 0 and URL in out and all(" %d " % i in out for i in (1, 2, 3)), out[-400:])

    # warden diff by run ids, then by report files: the same answer.
    paths = []
    for i, o in enumerate((out1, out2, out3)):
        p = os.path.join(tmp, "%s-run%d.json" % (B, i + 1))
        with open(p, "w") as f:
            f.write(o)
        paths.append(p)
    for a, b, new, fixed, same in (("1", "2", [], [CORS], [NOHTTPS]),
                                   ("2", "3", [CORS], [], [NOHTTPS])):
        ra, rb = reps[int(a) - 1], reps[int(b) - 1]
        change = rb["score"]["overall"] - ra["score"]["overall"]
        for label, args in (("run ids", [a, b]), ("report files", [paths[int(a) - 1], paths[int(b) - 1]])):
            rc, out, err = warden("diff", "--db", db.where, "-f", "json", *args)
            d = json_of(out, "%s: diff %s" % (B, label)) or {}
            t = (d.get("targets") or [{}])[0]
            got = ([x["rule"] for x in t.get("new", [])], [x["rule"] for x in t.get("fixed", [])],
                   [x["rule"] for x in t.get("unchanged", [])], t.get("score_change"))
            check("%s: diff %s %s by %s: new %s, fixed %s, unchanged %s, score %+d" %
                  (B, a, b, label, new, fixed, same, change),
                  rc == 0 and got == (new, fixed, same, change) and t.get("target") == URL,
                  (rc, got, err[-200:]))
    rc, out, err = warden("diff", "--db", db.where, "1", "2")
    check("%s: diff on the terminal: the fixed finding and the score change" % B,
          rc == 0 and "- high" in out and CORS in out and "= medium" in out and "1 fixed" in out,
          out[-500:])
    rc, out, err = warden("diff", "--db", db.where, "-f", "md", "2", "3")
    check("%s: diff in Markdown" % B,
          rc == 0 and out.startswith("## warden diff") and "| new | high | `%s`" % CORS in out,
          out[:400])
    # Every report format warden offers (scan --help's -f list): the same
    # new / fixed / unchanged and score change, read back from each format.
    for a, b, new, fixed, same in (("1", "2", [], [CORS], [NOHTTPS]),
                                   ("2", "3", [CORS], [], [NOHTTPS])):
        change = reps[int(b) - 1]["score"]["overall"] - reps[int(a) - 1]["score"]["overall"]
        for fmt in SCAN_FORMATS:
            rc, out, err = warden("diff", "--db", db.where, "-f", fmt, a, b)
            try:
                got = DIFF_READERS[fmt](out)
            except Exception as e:  # unreadable output fails the check
                got = ("unreadable", repr(e)[:200])
            check("%s: diff %s %s -f %s: new %s, fixed %s, unchanged %s, score %+d, target named"
                  % (B, a, b, fmt, new, fixed, same, change),
                  rc == 0 and got == (URL, new, fixed, same, change), (rc, got, err[-200:], out[:300]))

    # A worker killed mid-scan: its target stays partial, no findings.
    State.slow = 4.0
    hits = State.hits
    p = subprocess.Popen([WARDEN, "scan", "--burst", "0", "-q", "-f", "json", "--no-discovery", "--timeout", "30",
                          "--db", db.where, URL], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 30
    while time.time() < deadline and State.hits == hits:
        time.sleep(0.05)
    time.sleep(0.3)
    p.send_signal(signal.SIGKILL)
    p.wait()
    State.slow = 0
    st = db.rows("SELECT s.status, s.finished, s.report, (SELECT COUNT(*) FROM findings f"
                 " WHERE f.scan_id = s.id) FROM scans s WHERE s.run_id = 4")
    check("%s: a worker killed mid-scan leaves its target partial, unfinished, no finding" % B,
          State.hits > hits and st == [["partial", None, None, "0"]], (State.hits - hits, st))
    rc, out, err = warden("history", "--db", db.where, "--target", URL)
    check("%s: history shows the killed scan as unfinished" % B,
          rc == 0 and "partial (unfinished)" in out, out[-400:])
    rc, out, err = warden("diff", "--db", db.where, "-f", "json", "3", "4")
    d = json_of(out, "%s: diff with the killed run" % B) or {}
    check("%s: diff says the killed scan never finished (nothing counted fixed)" % B,
          rc == 0 and d.get("summary", {}).get("unfinished_b") == 1
          and d.get("summary", {}).get("fixed") == 0, out[:300])

    # An older database is migrated, its history kept.
    old = db.make_v1("migrate_me")
    rc, out, err = scan(old, URL)
    ver = old.rows("SELECT version FROM warden_schema")
    cols = old.rows("SELECT COALESCE(exit_code, -1) FROM runs ORDER BY id")
    fh = old.rows("SELECT fingerprint, first_run, last_run FROM finding_history"
                  " WHERE fingerprint = 'aaaa:1'")
    check("%s: a version-1 database is migrated to version 2 (schema, new columns)" % B,
          rc in (0, 1) and ver == [["2"]] and len(cols) == 2 and cols[1][0] == str(rc),
          (rc, ver, cols, err[-300:]))
    check("%s: the migrated database keeps its old run and its first-seen history" % B,
          fh == [["aaaa:1", "1", "1"]] and
          old.rows("SELECT url FROM targets ORDER BY id")[0] == ["http://old.invalid:80/"], fh)
    rc, out, err = warden("history", "--db", old.where, "-f", "json")
    h = json_of(out, "%s: history of the migrated database" % B) or {}
    check("%s: history lists the old run and the new one" % B,
          [r.get("run") for r in h.get("runs", [])] == [2, 1], out[:300])

    # A newer schema: exit 2 before any traffic.
    newer = db.fresh("newer")
    scan(newer, URL)
    newer.set_version(99)
    hits = State.hits
    rc, out, err = scan(newer, URL)
    check("%s: a database with a newer schema -> exit 2, one message, nothing sent" % B,
          rc == 2 and "newer" in err and "99" in err and State.hits == hits and
          len([ln for ln in err.splitlines() if ln.startswith("warden: ")]) == 1,
          (rc, err[-300:], State.hits - hits))
    rc, out, err = warden("history", "--db", newer.where)
    check("%s: history refuses the newer schema too (exit 2)" % B, rc == 2 and "newer" in err,
          (rc, err[-200:]))


# The fleet's deployment files (deploy/kubernetes/, Dockerfile) pass
# warden's own iac checks: nothing above info. The same Job without its
# hardening is flagged, so the check sees the Job's pod spec.
deploy = os.path.join(TOP, "deploy", "kubernetes")
rc, out, err = warden("iac", "-q", "-f", "json", "--fail-on", "none", deploy,
                      os.path.join(TOP, "Dockerfile"))
try:
    iac = json.loads(out)
except ValueError:
    iac = {}
above = [(f["rule"], f["severity"]) for f in iac.get("findings", []) if f["severity"] != "info"]
check("iac on deploy/kubernetes and the Dockerfile: nothing above info",
      iac.get("status") == "complete" and int((iac.get("facts") or {}).get("iac_files_read", 0)) >= 7
      and above == [], (above, (iac.get("facts") or {}), err[-300:]))
with open(os.path.join(deploy, "job.yaml")) as f:
    job = f.read()
soft = job.replace("readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false") \
    .replace("type: RuntimeDefault", "type: Unconfined") \
    .replace('drop: ["ALL"]', 'drop: ["NET_RAW"]')
twin = os.path.join(tmp, "job-unhardened.yaml")
with open(twin, "w") as f:
    f.write(soft)
rc, out, err = warden("iac", "-q", "-f", "json", "--fail-on", "none", twin)
try:
    got = sorted({f["rule"] for f in json.loads(out)["findings"]})
except (ValueError, KeyError):
    got = ["(unreadable report)"]
check("iac: the same Job without its hardening is flagged (the check reads the pod spec)",
      sorted(got) == ["iac.cap-drop-all-missing", "iac.rootfs-writable", "iac.seccomp-unconfined"],
      got)

# The Indexed Job as written: what the issue asks of it, read from the
# manifests (and its command is run below, one process per index,
# against the local PostgreSQL).
manifests = []
for name in sorted(os.listdir(deploy)):
    if name.endswith(".yaml"):
        with open(os.path.join(deploy, name)) as f:
            manifests += [(name, d) for d in yaml.safe_load_all(f) if d]
kinds = {}
for name, d in manifests:
    kinds.setdefault(d.get("kind"), {})[d["metadata"]["name"]] = d
jobs = list(kinds.get("Job", {}).values())
job = jobs[0] if len(jobs) == 1 else {}
jspec = job.get("spec", {})
pod = jspec.get("template", {}).get("spec", {})
ctr = (pod.get("containers") or [{}])[0]
env = {e["name"]: e for e in ctr.get("env", [])}
shards = int(env.get("SHARDS", {}).get("value", "0"))
script = " ".join(ctr.get("args") or [])
check("deploy: one Indexed Job, completions = parallelism = SHARDS (%d)" % shards,
      len(jobs) == 1 and jspec.get("completionMode") == "Indexed" and shards > 1
      and jspec.get("completions") == jspec.get("parallelism") == shards, (len(jobs), jspec, shards))
check("deploy: each pod scans the ConfigMap's list, its own shard, into the database",
      "-l /targets/list" in script and '--shard "${JOB_COMPLETION_INDEX}/${SHARDS}"' in script
      and '--db "${WARDEN_DB}"' in script, script)
vols = {v["name"]: v for v in pod.get("volumes", [])}
mounts = {m["name"]: m for m in ctr.get("volumeMounts", [])}
cm = vols.get("targets", {}).get("configMap", {}).get("name")
sec = vols.get("credentials", {}).get("secret", {}).get("secretName")
dbsec = env.get("WARDEN_DB", {}).get("valueFrom", {}).get("secretKeyRef", {})
check("deploy: targets from a ConfigMap (key list at /targets), credentials and the database"
      " URI from Secrets",
      cm in kinds.get("ConfigMap", {}) and "list" in kinds["ConfigMap"][cm].get("data", {})
      and mounts.get("targets", {}).get("mountPath") == "/targets"
      and sec in kinds.get("Secret", {}) and mounts.get("credentials", {}).get("readOnly") is True
      and dbsec.get("name") in kinds.get("Secret", {}) and dbsec.get("key") == "url",
      (cm, sec, dbsec, mounts))
psc, csc = pod.get("securityContext", {}), ctr.get("securityContext", {})
check("deploy: the pod is hardened (non-root, read-only root, no capabilities, no escalation,"
      " RuntimeDefault seccomp, no API token)",
      psc.get("runAsNonRoot") is True and psc.get("runAsUser", 0) > 0
      and psc.get("seccompProfile", {}).get("type") == "RuntimeDefault"
      and csc.get("readOnlyRootFilesystem") is True and csc.get("allowPrivilegeEscalation") is False
      and csc.get("capabilities", {}).get("drop") == ["ALL"]
      and pod.get("automountServiceAccountToken") is False, (psc, csc))
with open(os.path.join(TOP, "Dockerfile")) as f:
    dockerfile = f.read()
froms = re.findall(r"^FROM\s+(\S+)", dockerfile, re.M)
users = re.findall(r"^USER\s+(\S+)", dockerfile, re.M)
check("deploy: the Dockerfile is multi-stage, slim, non-root",
      len(froms) >= 2 and froms[-1].endswith("-slim") and "COPY --from=build" in dockerfile
      and users and users[-1].split(":")[0] not in ("0", "root"), (froms, users))


def shard_rows(db):
    """What a sharded run left in the store: (shard, status) per run,
    (url, status) per scanned target, sorted (url, rule) per finding."""
    runs = db.rows("SELECT shard, status FROM runs ORDER BY shard")
    scans = db.rows("SELECT t.url, s.status FROM scans s JOIN targets t"
                    " ON t.id = s.target_id ORDER BY t.url")
    got = sorted(tuple(r) for r in db.rows(
        "SELECT t.url, f.rule FROM findings f JOIN scans s ON s.id = f.scan_id"
        " JOIN targets t ON t.id = s.target_id"))
    return runs, scans, got


def run_job(db_uri, urls_file, n):
    """The Job's own command, one process per index, as Kubernetes runs it:
    sh -c ARGS with JOB_COMPLETION_INDEX, SHARDS and WARDEN_DB set; the
    image's paths replaced by this build and a local list."""
    cmd = script.replace("/usr/local/bin/warden", WARDEN).replace("/targets/list", urls_file)
    procs = []
    for i in range(n):
        e = dict(os.environ, JOB_COMPLETION_INDEX=str(i), SHARDS=str(n), WARDEN_DB=db_uri)
        procs.append(subprocess.Popen(["/bin/sh", "-c", cmd], env=e, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    outs = [p.communicate(timeout=300) for p in procs]
    return [p.returncode for p in procs], outs


# Control bytes a hostile server, report or file name may carry, and how
# the terminal writers show them (core_str's str_excerpt, the evidence's
# escaping): ESC and BEL as the text \x1b and \x07, CR as a space.
HOSTILE = "\x1b[31mRED\r\x07"
SHOWN = "\\x1b[31mRED \\x07"


def raw_controls(text):
    """The control characters in text but newline: what must never reach
    a terminal from a report, a database or a file name."""
    return sorted({"%02x" % ord(c) for c in text if (ord(c) < 0x20 and c != "\n") or ord(c) == 0x7f})


def warden_raw(*args):
    """Runs warden; (exit code, stdout, stderr) decoded without newline
    translation (text mode would turn a raw CR into a newline)."""
    p = subprocess.run([WARDEN] + list(args), capture_output=True, timeout=120)
    return (p.returncode, p.stdout.decode("utf-8", "surrogateescape"),
            p.stderr.decode("utf-8", "surrogateescape"))


def terminal_suite(db):
    """warden diff, warden history and the iac side's terminal report and
    notes with control bytes in what they print (a stored report's
    locations, target and grade, a report file's name, the database's
    columns, file names): none reaches stdout or stderr raw, each still
    shown, escaped."""
    def rep(cors):
        fs = [{"fingerprint": "f1:1", "rule": NOHTTPS, "severity": "medium", "title": "plain",
               "location": {"method": "GET", "url": URL + "a" + HOSTILE}},
              {"fingerprint": "f3:1", "rule": "iac.run-as-root", "severity": "high", "title": "root",
               "location": {"file": "Dockerfile" + HOSTILE, "line": 2}}]
        if cors:
            fs.append({"fingerprint": "f2:1", "rule": CORS, "severity": "high", "title": "cors",
                       "location": {"method": "GET", "url": URL + "b" + HOSTILE}})
        return {"schema": "warden-report-1", "kind": "scan", "target": URL + HOSTILE,
                "status": "complete", "score": {"overall": 70, "grade": "C" + HOSTILE},
                "findings": fs}
    paths = []
    for i, cors in enumerate((False, True)):
        p = os.path.join(tmp, "rep%d\x1b[33m.json" % i)
        with open(p, "w") as f:
            json.dump(rep(cors), f)
        paths.append(p)
    rc, out, err = warden_raw("diff", *paths)
    lines = [ln for ln in out.splitlines() if ln.startswith("  + ")]
    check("diff on the terminal: no control byte of the reports' locations, target, grade or"
          " file names reaches stdout, each shown escaped",
          rc == 0 and raw_controls(out + err) == [] and len(lines) == 1 and CORS in lines[0]
          and lines[0].endswith(URL + "b" + SHOWN) and "  = medium" in out
          and (URL + "a" + SHOWN) in out and ("Dockerfile" + SHOWN) in out
          and ("\n" + URL + SHOWN + "\n") in out and "70 (C" + SHOWN + ")" in out
          and "rep0\\x1b[33m.json" in out, (rc, raw_controls(out + err), out[-600:]))
    rc, out, err = warden_raw("diff", "-f", "md", *paths)
    check("diff in Markdown: no control byte reaches stdout either",
          rc == 0 and raw_controls(out + err) == [] and "| new | high | `%s`" % CORS in out,
          (rc, raw_controls(out + err), out[-400:]))

    # warden history: the database's text (a shared PostgreSQL database is
    # written by every worker) goes through the same escaping.
    c = sqlite3.connect(db.path)
    c.execute("UPDATE runs SET shard = ?, started = ? WHERE id = 1", ("0/1" + HOSTILE, "2026" + HOSTILE))
    c.execute("UPDATE scans SET grade = ?, status = ? WHERE run_id = 1", ("C" + HOSTILE, "complete" + HOSTILE))
    c.commit()
    c.close()
    rc, out, err = warden_raw("history", "--db", db.where)
    check("history on the terminal: a stored run's shard and start time shown escaped, no"
          " control byte", rc == 0 and raw_controls(out + err) == [] and ("0/1" + SHOWN) in out
          and ("2026" + SHOWN) in out, (rc, raw_controls(out + err), out[-400:]))
    rc, out, err = warden_raw("history", "--db", db.where, "--target", URL)
    check("history --target on the terminal: a stored scan's grade and status shown escaped,"
          " no control byte", rc == 0 and raw_controls(out + err) == [] and ("C" + SHOWN) in out
          and ("complete" + SHOWN) in out, (rc, raw_controls(out + err), out[-400:]))

    # The iac side's terminal report and its notes on stderr: file names.
    d = os.path.join(tmp, "iac" + HOSTILE)
    os.mkdir(d)
    with open(os.path.join(d, "Dockerfile"), "w") as f:
        f.write("FROM debian:bookworm-slim\nUSER root\n")
    with open(os.path.join(d, "bad.yaml"), "w") as f:
        f.write("a: [\n")
    rc, out, err = warden_raw("iac", d)
    check("iac on the terminal: a file name's control bytes shown escaped in the finding, the"
          " notes and stderr, none raw",
          rc == 1 and raw_controls(out + err) == [] and "iac.run-as-root" in out
          and ("iac" + SHOWN + "/Dockerfile:2") in out and ("iac" + SHOWN + "/bad.yaml") in out
          and ("iac" + SHOWN + "/bad.yaml") in err, (rc, raw_controls(out + err), out[-600:], err[-300:]))


try:
    sq = Sqlite(os.path.join(tmp, "history.db"))
    backend_suite(sq)
    terminal_suite(sq)
    # SQLite only: files that cannot be opened as a warden store.
    hits = State.hits
    notdb = os.path.join(tmp, "not-a-db.db")
    with open(notdb, "w") as f:
        f.write("this is not a database\n" * 100)
    other = os.path.join(tmp, "other.db")
    c = sqlite3.connect(other)
    c.execute("CREATE TABLE runs (x TEXT)")
    c.commit()
    c.close()
    for name, where, want in (("a missing directory", os.path.join(tmp, "no", "such", "x.db"), "cannot open"),
                              ("a directory", tmp, "cannot open"),
                              ("a file that is not SQLite", notdb, "not-a-db.db"),
                              ("another program's database", other, "not a warden history")):
        rc, out, err = warden("scan", "--burst", "0", "-q", "-f", "json", "--no-discovery", "--db", where, URL)
        msgs = [ln for ln in err.splitlines() if ln.startswith("warden: ")]
        check("sqlite: --db %s -> exit 2, one clear message" % name,
              rc == 2 and len(msgs) == 1 and want in msgs[0], (rc, err[-300:]))
    check("sqlite: no request was sent for a database that cannot be opened", State.hits == hits,
          State.hits - hits)
    # --db without a value: warden.db in the working directory.
    cwd = os.path.join(tmp, "cwd")
    os.mkdir(cwd)
    p = subprocess.run([WARDEN, "scan", "--burst", "0", "-q", "--no-discovery", "--db", URL], cwd=cwd,
                       capture_output=True, text=True, timeout=120)
    check("sqlite: --db without a value records into ./warden.db",
          p.returncode in (0, 1) and os.path.exists(os.path.join(cwd, "warden.db")) and
          Sqlite(os.path.join(cwd, "warden.db")).rows("SELECT COUNT(*) FROM scans") == [["1"]],
          (p.returncode, p.stderr[-200:]))

    pg = None
    try:
        pg = pglab.Postgres()
    except (RuntimeError, OSError) as e:
        check("postgresql: a scratch server starts (initdb, 127.0.0.1, unprivileged)", False, e)
    if pg:
        try:
            backend_suite(Pg(pg, "history"))
            hits = State.hits
            rc, out, err = warden("scan", "--burst", "0", "-q", "--no-discovery", "--db",
                                  "postgresql://warden:s3cr3t-pass@127.0.0.1:%d/nope" % pg.port, URL)
            check("postgresql: a database that does not exist -> exit 2, the password never shown",
                  rc == 2 and "nope" in err and "s3cr3t" not in err + out and State.hits == hits,
                  (rc, err[-300:]))

            # The fleet: N processes, one per shard, writing one database at
            # once. Every target exactly once, every finding stored.
            N = 4
            ngx = fleetlab.Nginx(tmp, 8, 8)
            try:
                lst = os.path.join(tmp, "fleet.txt")
                with open(lst, "w") as f:
                    f.writelines(u + " --no-discovery\n" for u in ngx.urls())
                want = sorted([(u, NOHTTPS) for u in ngx.urls()] +
                              [(u, CORS) for u in ngx.urls("vuln")])
                for db in (Pg(pg, "fleet"), Sqlite(os.path.join(tmp, "fleet.db"))):
                    procs = [subprocess.Popen([WARDEN, "scan", "--burst", "0", "-q", "-f", "json", "-l", lst,
                                               "--shard", "%d/%d" % (i, N), "--parallel", "2",
                                               "--db", db.where], stdout=subprocess.PIPE,
                                              stderr=subprocess.PIPE, text=True)
                             for i in range(N)]
                    outs = [p.communicate(timeout=300) for p in procs]
                    rcs = [p.returncode for p in procs]
                    runs, scans, got = shard_rows(db)
                    check("%s: %d concurrent writers, one per shard: %d runs recorded" % (db.name, N, N),
                          all(r in (0, 1) for r in rcs) and
                          runs == [["%d/%d" % (i, N), "finished"] for i in range(N)],
                          (rcs, runs, [e[-200:] for o, e in outs if e]))
                    check("%s: every target of the list scanned exactly once over the shards" % db.name,
                          [s[0] for s in scans] == sorted(ngx.urls()) and
                          all(s[1] == "complete" for s in scans), scans)
                    check("%s: no write lost: every finding of every target stored" % db.name,
                          got == want, (len(got), len(want)))
                    nh = db.rows("SELECT COUNT(*) FROM finding_history")
                    check("%s: one history row per target and finding" % db.name,
                          nh == [[str(len(want))]], nh)
                # The Job's own command, SHARDS processes at once against
                # PostgreSQL: every index succeeds (findings are exit 1,
                # turned into success), every target once.
                db = Pg(pg, "job")
                rcs, outs = run_job(db.where, lst, shards)
                runs, scans, got = shard_rows(db)
                check("deploy: the Job's command, %d indexes at once: each exits 0, a run per shard"
                      % shards,
                      shards > 1 and rcs == [0] * shards and
                      runs == [["%d/%d" % (i, shards), "finished"] for i in range(shards)],
                      (rcs, runs, [e[-200:] for o, e in outs if e]))
                # The Job keeps the default rate-limit burst (the suite's
                # own scans pass --burst 0): nginx here has no limiter, so
                # every target also has resource.no-rate-limit.
                want_job = sorted(want + [(u, "resource.no-rate-limit") for u in ngx.urls()])
                check("deploy: the Job's indexes scan every target once, every finding stored",
                      [x[0] for x in scans] == sorted(ngx.urls()) and
                      all(x[1] == "complete" for x in scans) and got == want_job,
                      (scans, sorted(set(got) ^ set(want_job))[:10]))
            finally:
                ngx.stop()
        finally:
            pg.stop()
finally:
    srv.shutdown()
    shutil.rmtree(tmp, ignore_errors=True)
done()
