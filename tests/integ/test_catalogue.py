"""The exposure catalogue's options against the lab: --templates (nuclei
HTTP templates written for these tests), --signatures (a user's own file,
and a malformed one), and --spec listing the well-known paths (the
findings must not disappear)."""
import json
import os
import tempfile

from harness import TOP, check, done, lab_url, rules, scan_json, warden

TPL = os.path.join(TOP, "tests", "fixtures", "templates")
SKIPPED = {"skip-dns.yaml": "protocol 'dns' is not supported",
           "skip-dsl.yaml": "matcher type 'dsl' is not supported",
           "skip-malformed.yaml": "not YAML",
           "skip-payloads.yaml": "payloads are not supported",
           "skip-post.yaml": "method POST is not supported",
           "skip-raw.yaml": "raw requests are not supported"}

# infra-vuln serves /actuator/env (activeProfiles prod) and /pods (PodList);
# its /admin/ is a 404, so the catch-all template finds nothing.
rc, doc, err = scan_json(lab_url("infra-vuln"), "--templates", TPL)
got = rules(doc)
check("templates: scan ran", doc.get("status") == "complete" and doc.get("requests", 0) > 0,
      (doc.get("status"), err[:300]))
check("templates: findings keep the template ids",
      "warden-test-actuator-env" in got and "warden-test-kubelet-pods" in got, got)
check("templates: no soft match on /admin/", "warden-test-admin-panel" not in got, got)
ev = [f.get("evidence", "") for f in doc.get("findings", []) if f["rule"] == "warden-test-actuator-env"]
check("templates: the extractor's value is in the evidence", ev and "extracted: prod" in ev[0], ev)
notes = "\n".join(doc.get("notes", []))
for f, why in SKIPPED.items():
    check("templates: %s skipped with its reason" % f, f in notes and why in notes, notes[:800])
check("templates: 3 loaded (fact)", doc.get("facts", {}).get("templates") == "3", doc.get("facts"))

rc, doc, err = scan_json(lab_url("infra-hard"), "--templates", TPL)
check("templates on the hardened twin: scan ran, no template finding",
      doc.get("status") == "complete" and doc.get("requests", 0) > 0 and
      not [r for r in rules(doc) if r.startswith("warden-test-")], (doc.get("status"), rules(doc)))

rc, out, err = warden("scan", "-q", "--templates", os.path.join(TPL, "skip-dsl.yaml"), lab_url("infra-vuln"))
check("templates: none usable is exit 2 with the reason",
      rc == 2 and "no template warden can run" in err and "dsl" in err, (rc, err[:300]))

with tempfile.TemporaryDirectory() as d:
    good = os.path.join(d, "mine.yaml")
    with open(good, "w") as f:
        f.write("rules:\n"
                "  - id: mine.namespaces\n    severity: medium\n    category: container\n"
                "    title: Namespaces listed\n    summary: a user's own rule\n"
                "    remediation: Close it.\n"
                "signatures:\n"
                "  - id: mine-ns\n    rule: mine.namespaces\n    paths: [/api/v1/namespaces]\n"
                "    matchers:\n      - words: ['\"NamespaceList\"', '\"kube-system\"']\n"
                "        condition: and\n")
    rc, doc, err = scan_json(lab_url("infra-vuln"), "--signatures", d)
    check("--signatures DIR: the user's rule is raised", "mine.namespaces" in rules(doc), rules(doc))
    rc, doc, err = scan_json(lab_url("infra-hard"), "--signatures", d)
    check("--signatures DIR: not on the hardened twin",
          doc.get("status") == "complete" and doc.get("requests", 0) > 0
          and "mine.namespaces" not in rules(doc), (doc.get("status"), rules(doc)))
    bad = os.path.join(d, "zz-bad.yaml")
    with open(bad, "w") as f:
        f.write("rules:\n  - id: x.y\n    severity: urgent\n")
    rc, out, err = warden("scan", "-q", "--signatures", d, lab_url("infra-vuln"))
    check("--signatures: a malformed file is exit 2 naming file:line",
          rc == 2 and (bad + ":2: missing 'category'") in err and out == "", (rc, err[:300]))

    # A spec that lists the well-known paths: its probes take the requests,
    # and the endpoint findings must stay.
    spec = os.path.join(d, "spec.json")
    paths = {p: {"get": {"responses": {"200": {"description": "ok"}}}}
             for p in ["/pods", "/runningpods/", "/v2/keys/", "/actuator/env", "/api", "/api/v1/namespaces"]}
    with open(spec, "w") as f:
        json.dump({"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": paths}, f)
    rc, base, err = scan_json(lab_url("infra-vuln"))
    rc, doc, err = scan_json(lab_url("infra-vuln"), "--spec", spec)
    want = {"endpoint.actuator", "endpoint.etcd", "endpoint.k8s-api", "endpoint.kubelet"}
    check("--spec listing the well-known paths keeps every endpoint finding",
          want <= set(rules(doc)) and want <= set(rules(base)), (rules(doc), rules(base)))

# Exposure is judged on requests without credentials: with a bearer token
# the well-known paths are still requested without it, and still found.
rc, doc, err = scan_json(lab_url("infra-vuln"), "--bearer", "warden-test-token-1234")
check("with --bearer: exposure still found (requests sent without it)",
      {"endpoint.kubelet", "endpoint.etcd"} <= set(rules(doc)), rules(doc))
done()
