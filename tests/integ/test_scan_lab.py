"""warden scan against the lab: the exact rule ids on each vulnerable
service, and nothing but the framework fingerprint on its hardened twin."""
from harness import check, done, lab_url, rules, scan_json

EXPECT_VULN = {
    "echo-vuln": ["chain.unauthenticated-host-data", "auth.no-auth", "container.docker-api-response", "endpoint.expvar",
                  "fingerprint.framework", "leak.internal-ip", "leak.stack-trace",
                  "transport.no-https", "transport.no-nosniff"],
    "echo-vuln-tls": ["chain.unauthenticated-host-data", "auth.no-auth", "container.docker-api-response", "endpoint.expvar",
                      "fingerprint.framework", "leak.internal-ip", "leak.stack-trace",
                      "transport.no-hsts", "transport.no-nosniff", "tls.old-protocol"],
    "chi-vuln": ["chain.unauthenticated-host-data", "auth.no-auth", "container.env-dump", "container.host-file",
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
                                        sorted(set(got) - set(want))))
    check(inst + ": exit 1 on findings", rc == 1, "rc=%d %s" % (rc, err))
    svc = inst.split("-")[0]
    check(inst + ": framework " + FRAMEWORK[svc], doc.get("framework") == FRAMEWORK[svc],
          doc.get("framework"))
    check(inst + ": status complete", doc.get("status") == "complete", doc.get("notes"))

for svc in ["echo", "chi", "fiber", "buffalo", "infra"]:
    inst = svc + "-hard"
    rc, doc, err = scan_json(lab_url(inst))
    got = rules(doc)
    check(inst + ": only the fingerprint", got == ["fingerprint.framework"], got)
    check(inst + ": exit 0", rc == 0, "rc=%d %s" % (rc, err))
    check(inst + ": grade A", doc.get("score", {}).get("grade") == "A", doc.get("score"))
    rc, doc, err = scan_json(lab_url(inst + "-redirect"))
    check(inst + "-redirect: plain HTTP that redirects to HTTPS is clean",
          rules(doc) == [] and rc == 0, rules(doc))

# The critical findings cap the grade (docs/scoring.md).
rc, doc, err = scan_json(lab_url("fiber-vuln"))
check("critical caps the score at 64", doc["score"]["overall"] <= 64, doc["score"])
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
