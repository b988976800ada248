"""warden scan against the lab: the exact rule ids on each vulnerable
service, and nothing but the framework fingerprint on its hardened twin."""
from harness import CA, check, clean, done, lab_url, ran, rules, scan_json, warden

EXPECT_VULN = {
    # data.pii-bulk, property.internal-field: /api/v1/users lists three
    # users' e-mails and roles, with no credential.
    "echo-vuln": ["chain.unauthenticated-host-data", "auth.no-auth", "container.docker-api-response", "endpoint.expvar",
                  "data.pii-bulk", "property.internal-field", "fingerprint.framework", "leak.internal-ip", "leak.stack-trace",
                  "transport.no-https", "transport.no-nosniff"],
    "echo-vuln-tls": ["chain.unauthenticated-host-data", "auth.no-auth", "container.docker-api-response", "endpoint.expvar",
                      "data.pii-bulk", "property.internal-field", "fingerprint.framework", "leak.internal-ip", "leak.stack-trace",
                      "transport.no-hsts", "transport.no-nosniff", "tls.old-protocol"],
    # data.cloud-credential: the env dump holds an AWS access key id.
    "chi-vuln": ["chain.unauthenticated-host-data", "auth.no-auth", "container.env-dump", "container.host-file",
                 "data.cloud-credential",
                 "container.socket-path", "cors.reflected-origin", "endpoint.expvar", "endpoint.metrics",
                 "endpoint.pprof", "fingerprint.framework", "transport.cookie-flags",
                 "transport.no-https", "transport.no-nosniff"],
    "fiber-vuln": ["endpoint.docker-api", "endpoint.dotenv", "fingerprint.framework",
                   "transport.no-https", "transport.no-nosniff"],
    "buffalo-vuln": ["chain.unauthenticated-host-data", "auth.method-bypass", "auth.no-auth", "container.command-output",
                     "fingerprint.framework", "leak.debug-page", "transport.no-https",
                     "transport.no-nosniff"],
    "infra-vuln": ["endpoint.actuator", "endpoint.etcd", "endpoint.k8s-api",
                   "endpoint.kubelet", "fingerprint.framework", "leak.stack-trace",
                   "transport.no-https", "transport.no-nosniff"],
}
FRAMEWORK = {"echo": "echo", "chi": "chi", "fiber": "fiber", "buffalo": "buffalo",
             "infra": "flask"}

for inst, want in EXPECT_VULN.items():
    rc, doc, err = scan_json(lab_url(inst))
    got = rules(doc)
    check(inst + ": exact rule ids", got == sorted(want),
          "missing %s, unexpected %s" % (sorted(set(want) - set(got)),
                                        sorted(set(got) - set(want))), raises=want)
    check(inst + ": exit 1 on findings", rc == 1, "rc=%d %s" % (rc, err))
    svc = inst.split("-")[0]
    check(inst + ": framework " + FRAMEWORK[svc], doc.get("framework") == FRAMEWORK[svc],
          doc.get("framework"))
    check(inst + ": status complete", doc.get("status") == "complete", doc.get("notes"))

for svc in ["echo", "chi", "fiber", "buffalo", "infra"]:
    inst = svc + "-hard"
    rc, doc, err = scan_json(lab_url(inst))
    got = rules(doc)
    clean(inst + ": only the fingerprint", doc, got, ["fingerprint.framework"])
    check(inst + ": exit 0", rc == 0, "rc=%d %s" % (rc, err))
    check(inst + ": grade A", doc.get("score", {}).get("grade") == "A", doc.get("score"))
    rc, doc, err = scan_json(lab_url(inst + "-redirect"))
    clean(inst + "-redirect: plain HTTP that redirects to HTTPS is clean", doc,
          rules(doc) if rc == 0 else ["exit %d" % rc])

# A score that means what it says (docs/scoring.md, warden-score-2).
# Without credentials and without --active, five categories are never
# graded: bola needs a credential and a spec's list route, flows has no
# read-only scan rule, ssrf has only an info rule read-only (the
# URL-parameter surface), bfla needs --as2 or --cert. The others are tested when their rules really judged
# something: auth (a spec with secured routes), misconfig, data and
# container (answered bodies), unsafe (every answer is judged for relayed
# upstream content and headers), inventory (a spec GET route without
# parameters), resource (a list route asked for a page of 10,000: the
# users of echo-vuln; the suites scan with --burst 0; and any 2xx JSON
# answer to the scan's own GETs, judged for its size alone, or a spec GET
# route asked with expand/depth: both twins), property (a 2xx
# JSON answer was walked for hashes, secrets and internal properties).
NEVER = {"bola", "flows", "ssrf", "bfla"}
ALL = NEVER | {"auth", "resource", "misconfig", "inventory", "unsafe", "data", "container", "property"}
TESTED = {"echo-vuln": {"auth", "resource", "misconfig", "inventory", "unsafe", "data", "container",
                        "property"},
          "echo-hard": {"auth", "resource", "misconfig", "inventory", "unsafe", "data", "container",
                        "property"}}
for inst in ["echo-vuln", "echo-hard", "fiber-vuln"]:
    rc, doc, err = scan_json(lab_url(inst))
    sc = doc.get("score", {})
    tested, untested = set(sc.get("tested", [])), set(sc.get("not_tested", []))
    cats = sc.get("categories", {})
    check(inst + ": scan ran (complete, requests > 0)",
          doc.get("status") == "complete" and doc.get("requests", 0) > 0, doc.get("status"))
    check(inst + ": formula warden-score-2", sc.get("formula") == "warden-score-2", sc.get("formula"))
    check(inst + ": untested categories are null and listed as not tested",
          NEVER <= untested and tested | untested == ALL and not tested & untested and
          all(cats.get(c, 0) is None for c in untested) and
          all(isinstance(cats.get(c), int) for c in tested), sc)
    check(inst + ": the grade says how many were tested",
          sc.get("label") == "%s, %d of 12 categories tested" % (sc.get("grade"), len(tested)) and
          sc.get("tested_count") == len(tested), sc.get("label"))
    if inst in TESTED:
        check(inst + ": exactly " + ", ".join(sorted(TESTED[inst])) + " tested",
              tested == TESTED[inst], sorted(tested))
rc, out, err = warden("scan", "--no-color", "--cacert", CA, lab_url("echo-hard"))
check("terminal: grade with its coverage and the untested list",
      "grade A, 8 of 12 categories tested" in out and
      "not tested: bola, bfla, flows, ssrf" in out, out[:600])

# The critical findings cap the grade (docs/scoring.md).
rc, doc, err = scan_json(lab_url("fiber-vuln"))
check("critical caps the score at 64",
      "critical" in [f["severity"] for f in doc["findings"]]
      and doc.get("score", {}).get("overall", 101) <= 64, doc.get("score"))
# A merged finding lists its places: the lab's Docker API stand-in answers
# /_ping, /version and /containers/json (tests/lab/fiber), so the one
# endpoint.docker-api finding names all three; every finding's list is
# distinct, sorted, starts with its own location, and is within count.
from urllib.parse import urlparse
docker = [f for f in doc.get("findings", []) if f["rule"] == "endpoint.docker-api"]
paths = {urlparse(l.get("url", "")).path for f in docker for l in f.get("locations", [])}
check("fiber-vuln: one endpoint.docker-api finding locating /_ping, /version, /containers/json",
      len(docker) == 1 and {"/_ping", "/version", "/containers/json"} <= paths, sorted(paths))
def loc_key(l):
    return (l.get("url", ""), l.get("method", ""), l.get("file", ""), l.get("line", 0))
bad = [f["rule"] for f in doc.get("findings", [])
       if not f.get("locations") or f["locations"][0] != f["location"]
       or [loc_key(l) for l in f["locations"]] != sorted({loc_key(l) for l in f["locations"]})
       or len(f["locations"]) > min(f["count"], 16)]
check("fiber-vuln: every finding's locations are distinct, sorted, start at its location, within count",
      doc.get("findings") and not bad, bad)
# Correlation input errors are configuration errors: exit 2, named.
from harness import warden
import os, tempfile
with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    f.write('{"kind": "scan", "findings": []}')
for path, needle in [("/nonexistent/inspect.json", "/nonexistent/inspect.json"),
                     (f.name, "not a JSON report of `warden inspect`")]:
    rc, out, err = warden("scan", "--inspect-report", path, lab_url("echo-vuln"))
    check("--inspect-report %s: exit 2 naming it" % os.path.basename(path),
          rc == 2 and needle in err, (rc, err))
os.unlink(f.name)
done()
