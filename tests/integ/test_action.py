#!/usr/bin/python3
"""The GitHub Action's script (scripts/action.sh, what action.yml runs),
run locally with the runner's environment variables (issue 16)."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import TOP, WARDEN, check, done, lab_url  # noqa: E402

REP = os.path.join(TOP, "tests", "reports")
SCRIPT = os.path.join(TOP, "scripts", "action.sh")


def action(**inputs):
    tmp = tempfile.mkdtemp(prefix="warden-action-")
    env = dict(os.environ, WARDEN=WARDEN, RUNNER_TEMP=tmp,
               GITHUB_OUTPUT=os.path.join(tmp, "output"), GITHUB_STEP_SUMMARY=os.path.join(tmp, "summary"))
    for k, v in inputs.items():
        env["INPUT_" + k.upper()] = v
    p = subprocess.run(["bash", SCRIPT], cwd=REP, env=env, capture_output=True, text=True, timeout=600)
    outs = {}
    if os.path.exists(env["GITHUB_OUTPUT"]):
        for line in open(env["GITHUB_OUTPUT"]):
            k, _, v = line.rstrip("\n").partition("=")
            outs[k] = v
    summary = open(env["GITHUB_STEP_SUMMARY"]).read() if os.path.exists(env["GITHUB_STEP_SUMMARY"]) else ""
    return p, outs, summary, tmp


url = lab_url("echo-vuln")
token = "opaque-action-token-5f2e9c"
p, outs, summary, tmp = action(target=url, iac="fixture", fail_on="critical", bearer=token)
check("action: exit 1 on critical findings (iac fixture, echo-vuln)", p.returncode == 1, (p.returncode, p.stderr[-500:]))
check("action: outputs score, grade, exit-code, sarif-dir",
      outs.get("exit-code") == "1" and outs.get("grade", "") in list("ABCDF") and outs.get("score", "").isdigit() and
      os.path.isdir(outs.get("sarif-dir", "")), outs)
scan_json = json.load(open(os.path.join(tmp, "warden", "scan.json")))
check("action: score and grade are the scan's", outs.get("score") == str(scan_json["score"]["overall"]) and
      outs.get("grade") == scan_json["score"]["grade"], (outs, scan_json["score"]))
check("action: job summary holds both Markdown reports",
      "## warden iac:" in summary and "## warden scan:" in summary, summary[:300])
sarifs = sorted(f for f in os.listdir(os.path.join(tmp, "warden")) if f.endswith(".sarif"))
check("action: SARIF for each side in sarif-dir", sarifs == ["iac.sarif", "scan.sarif"], sarifs)
leaked = [f for f in os.listdir(os.path.join(tmp, "warden")) if token in open(os.path.join(tmp, "warden", f)).read()]
check("action: the bearer token appears in no report and no summary", not leaked and token not in summary, leaked)
cmd = json.load(open(os.path.join(tmp, "warden", "scan.sarif")))["runs"][0]["invocations"][0]["commandLine"]
check("action: the token went through the environment", "--bearer env:INPUT_BEARER" in cmd, cmd)
p, outs, summary, tmp = action(iac="fixture", fail_on="none")
check("action: fail-on none -> exit 0, outputs written", p.returncode == 0 and outs.get("exit-code") == "0", (p.returncode, outs))
p, outs, summary, tmp = action()
check("action: no target and no iac -> exit 2 with a message", p.returncode == 2 and "target" in p.stderr, p.stderr)
done()
