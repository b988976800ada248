"""Correlation: scan findings joined with iac and inspect findings into
attack chains. Each chain needs both halves: the vulnerable lab service
with the vulnerable deployment files (or container snapshot) must give the
chain; the same service with the hardened files, or the hardened service
with the vulnerable files, must not."""
import json
import os
import tempfile

from harness import TOP, check, done, how, lab_url, ran, rules, scan_json, warden

FIX = os.path.join(TOP, "tests", "fixtures")
COMPOSE_VULN = os.path.join(FIX, "iac", "compose", "vuln")
COMPOSE_GOOD = os.path.join(FIX, "iac", "compose", "good")
K8S_VULN = os.path.join(FIX, "iac", "k8s", "workloads.yaml")
K8S_GOOD = os.path.join(FIX, "iac", "k8s", "good.yaml")

rc, doc, err = scan_json(lab_url("chi-vuln"), "--iac", COMPOSE_VULN)
chains = [f for f in doc["findings"] if f["rule"] == "chain.docker-socket-deployed"]
check("chi-vuln + socket-mounting compose: chain.docker-socket-deployed", len(chains) == 1,
      rules(doc), raises=["chain.docker-socket-deployed"])
check("the chain names the route and the compose file:line",
      chains and "/api/v1/system/info" in chains[0]["evidence"]
      and "docker-compose.yml:" in chains[0]["evidence"], chains)
check("iac findings join the scan report",
      any(f["rule"].startswith("iac.") for f in doc["findings"]), rules(doc))

rc, doc, err = scan_json(lab_url("chi-vuln"), "--iac", COMPOSE_GOOD)
check("chi-vuln + hardened compose: no deployment chain",
      ran(doc) and "chain.docker-socket-deployed" not in rules(doc), (rules(doc), how(doc)))
rc, doc, err = scan_json(lab_url("chi-hard"), "--iac", COMPOSE_VULN)
check("chi-hard + socket-mounting compose: no chain (the API leaks nothing)",
      ran(doc) and any(r.startswith("iac.") for r in rules(doc))
      and not [r for r in rules(doc) if r.startswith("chain.")], (rules(doc), how(doc)))

rc, doc, err = scan_json(lab_url("buffalo-vuln"), "--iac", K8S_VULN)
check("buffalo-vuln (runs commands) + privileged workloads: chain.command-to-host",
      "chain.command-to-host" in rules(doc), rules(doc), raises=["chain.command-to-host"])
rc, doc, err = scan_json(lab_url("buffalo-vuln"), "--iac", K8S_GOOD)
check("buffalo-vuln + hardened workloads: no chain.command-to-host",
      ran(doc) and "container.command-output" in rules(doc)
      and "chain.command-to-host" not in rules(doc), (rules(doc), how(doc)))

# An inspect report taken inside the container.
for case, want in [("docker-socket", True), ("hardened-pod", False)]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        report = f.name
    rc, out, err = warden("inspect", "-q", "--root", os.path.join(FIX, "inspect", case),
                          "-f", "json", "-o", report, "--fail-on", "none")
    check("inspect report of %s written" % case, rc == 0 and os.path.getsize(report) > 0,
          (rc, err[-300:]))
    rc, doc, err = scan_json(lab_url("chi-vuln"), "--inspect-report", report)
    os.unlink(report)
    got = "chain.docker-socket-live" in rules(doc)
    check("chi-vuln + inspect report of %s: chain.docker-socket-live %s"
          % (case, "found" if want else "absent"), ran(doc) and got == want, (rules(doc), how(doc)),
          raises=["chain.docker-socket-live"] if want else ())
done()
