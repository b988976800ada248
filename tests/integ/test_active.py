#!/usr/bin/env python3
"""The active mode (docs/cli.md): the default mode sends no write, --active
sends the spec's writes within --max-writes and never DELETE without
--allow-delete, and every write is listed in the report.

The target is the lab's recorder (tests/lab/recorder): it counts every
request by "METHOD path" and serves the counts at GET /__record, so what
warden sent is read from the target, not from warden's own report. Its
spec has 6 writes: POST /api/v1/things, PUT and PATCH /api/v1/things/{id},
DELETE /api/v1/things/{id}, POST /api/v1/notes, PUT /api/v1/notes/{id}.
"""
import json
import os
import tempfile
import urllib.request

from harness import check, done, lab_url, scan_json, warden, ran, how

READS = ("GET", "HEAD", "OPTIONS")
# The spec's writes, by the path warden fills ({id} -> 1).
SPEC_WRITES = {"POST /api/v1/things", "PUT /api/v1/things/1", "PATCH /api/v1/things/1",
               "POST /api/v1/notes", "PUT /api/v1/notes/1"}
SPEC_DELETE = "DELETE /api/v1/things/1"

url = lab_url("recorder")


def record():
    with urllib.request.urlopen(url + "/__record", timeout=10) as r:
        return json.load(r)


def sent_since(before):
    """{"METHOD path": (count, entry)} of what came since `before`."""
    now = record()
    out = {}
    for k, e in now.items():
        n = e["count"] - before.get(k, {}).get("count", 0)
        if n > 0:
            out[k] = (n, e)
    return out


def writes_of(sent):
    return {k: v for k, v in sent.items() if k.split(" ", 1)[0] not in READS}


def report_writes(doc):
    w = doc.get("writes")
    if not isinstance(w, list):
        return None
    return ["%s %s" % (x["method"], x["url"][len(url):]) for x in w]


# 1. Default mode: reads only, although the spec has writes.
before = record()
rc, doc, err = scan_json(url)
sent = sent_since(before)
check("default: the scan ran (complete, requests > 0, the spec's GET routes requested)",
      ran(doc) and "GET /api/v1/things" in sent and "GET /api/v1/things/1" in sent,
      (how(doc), sorted(sent)[:10]))
check("default: the recorder got no write (only GET, HEAD, OPTIONS)",
      writes_of(sent) == {} and len(sent) > 0, sorted(writes_of(sent)))
check("default: the report lists no write (writes: [])", doc.get("writes") == [], doc.get("writes"))

# 2. --active with a budget of 3: exactly 3 writes, all listed, no DELETE.
before = record()
rc, doc, err = scan_json(url, "--active", "--max-writes", "3")
sent = sent_since(before)
w = writes_of(sent)
check("--active --max-writes 3: 3 writes reached the target, each once, all spec writes",
      sum(n for n, _ in w.values()) == 3 and set(w) <= SPEC_WRITES, sorted(w))
check("--active --max-writes 3: no DELETE without --allow-delete",
      not any(k.startswith("DELETE ") for k in sent), sorted(w))
rw = report_writes(doc)
check("--active --max-writes 3: the report lists exactly the writes the target got, with status",
      rw is not None and sorted(rw) == sorted(w) and
      all(x.get("status") in (200, 201) for x in doc["writes"]), (rw, sorted(w)))
check("--active --max-writes 3: partial, with a note on the writes not sent",
      doc.get("status") == "partial" and
      any("2 writes were not sent" in n and "--max-writes" in n for n in doc.get("notes", [])),
      (doc.get("status"), doc.get("notes")))

# 3. --active (default budget 25): every spec write once, with a JSON body.
# POST /api/v1/things declares an application/json body with a property
# (name, example "lamp") and answers 201 to anything: inputval sends the
# same example once as text/plain and once as a form (content-type
# confusion); the other writes declare no property, so nothing more.
UNDECLARED = {"text/plain": '{"name":"lamp"}', "application/x-www-form-urlencoded": "name=lamp"}
before = record()
rc, doc, err = scan_json(url, "--active")
sent = sent_since(before)
w = writes_of(sent)


def ctypes_since(k):
    return {t: n - before.get(k, {}).get("content_types", {}).get(t, 0)
            for t, n in sent[k][1].get("content_types", {}).items()
            if n - before.get(k, {}).get("content_types", {}).get(t, 0) > 0} if k in sent else {}


check("--active: every POST/PUT/PATCH of the spec sent once as JSON, no DELETE; POST /api/v1/things "
      "also once as text/plain and once as a form",
      set(w) == SPEC_WRITES
      and all(ctypes_since(k) == {"application/json": 1} for k in SPEC_WRITES if k != "POST /api/v1/things")
      and ctypes_since("POST /api/v1/things") == {"application/json": 1, "text/plain": 1,
                                                  "application/x-www-form-urlencoded": 1},
      {k: ctypes_since(k) for k in sorted(w)})
check("--active: the undeclared types carried the example: the JSON text, name=lamp",
      all(w.get("POST /api/v1/things", (0, {}))[1].get("bodies", {}).get(t) == b for t, b in UNDECLARED.items()),
      w.get("POST /api/v1/things"))
check("--active: the recorder accepts any type: inputval.content-type-confusion on POST /api/v1/things only",
      sorted((f["location"]["method"], f["location"]["url"][len(url):]) for f in doc.get("findings", [])
             if f["rule"] == "inputval.content-type-confusion")
      == [("POST", "/api/v1/things"), ("POST", "/api/v1/things")], doc.get("findings"))


def json_body(e):
    try:
        return isinstance(json.loads(e.get("bodies", {}).get("application/json", "")), dict)
    except ValueError:
        return False


check("--active: each write carried a JSON object body with Content-Type application/json",
      w and all(json_body(e) for _, e in w.values()),
      {k: e.get("bodies") for k, (_, e) in w.items()})
check("--active: complete, and the report lists the 5 writes and the 2 undeclared-type ones",
      ran(doc) and sorted(report_writes(doc) or []) == sorted(list(SPEC_WRITES) + ["POST /api/v1/things"] * 2),
      (how(doc), report_writes(doc)))

# 4. --allow-delete: the DELETE too, after every other write.
before = record()
rc, doc, err = scan_json(url, "--active", "--allow-delete")
sent = sent_since(before)
w = writes_of(sent)
last_other = max((e["last_seq"] for k, (_, e) in sent.items() if k != SPEC_DELETE), default=0)
check("--active --allow-delete: the spec's DELETE sent once, after every other request",
      SPEC_DELETE in w and w[SPEC_DELETE][0] == 1 and w[SPEC_DELETE][1]["last_seq"] > last_other,
      sorted(w))
check("--active --allow-delete: the report lists it with its status",
      any(x["method"] == "DELETE" and x.get("status") == 204 for x in doc.get("writes", [])),
      doc.get("writes"))

# 5. The terminal and Markdown reports list the writes too.
before = record()
rc, out, err = warden("scan", "--timeout", "30", "--active", "--max-writes", "1", url)
check("terminal report: a 'writes sent' section naming the write and its status",
      "1 write sent (--active)" in out and
      any(("POST %s/api/v1/" % url) in line and "->" in line for line in out.splitlines()),
      out[-600:])
with tempfile.TemporaryDirectory() as d:
    md = os.path.join(d, "r.md")
    rc, out, err = warden("scan", "-q", "--timeout", "30", "--active", "--max-writes", "1",
                          "--report", "md:" + md, url)
    text = open(md).read() if os.path.exists(md) else ""
    check("markdown report: a 'Writes sent' section", "**Writes sent (--active):** 1" in text,
          text[-400:] or err[-300:])

# 6. Nothing implies --active.
rc, out, err = warden("scan", "--allow-delete", url)
check("--allow-delete without --active: usage error (exit 2), nothing sent",
      rc == 2 and "needs --active" in err, (rc, err[-200:]))
rc, out, err = warden("scan", "--max-writes", "5", url)
check("--max-writes without --active: usage error (exit 2)", rc == 2 and "needs --active" in err,
      (rc, err[-200:]))
with tempfile.TemporaryDirectory() as d:
    cfg = os.path.join(d, "w.yml")
    with open(cfg, "w") as f:
        f.write("scan:\n  active: true\n")
    before = record()
    rc, out, err = warden("scan", "--config", cfg, url)
    check("a config file cannot turn on --active (exit 2, no write)",
          rc == 2 and "only on the command line" in err and writes_of(sent_since(before)) == {},
          (rc, err[-200:]))
done()
