"""No secret in any report (issue 8), end to end: a scan of an environment
dump whose excerpt cut falls after DB_PASSWORD's name, a credential the
target echoes, iac files with literal secrets, an inspect environ with
secrets. Every case asserts that the finding IS raised and that the run
happened, and that neither the terminal nor the JSON output holds any
part of a value."""
import json
import os
import shutil
import subprocess
import tempfile
import urllib.request

from harness import CA, TOP, WARDEN, check, done, lab_url, warden

# The chi lab's environment dump (tests/lab/chi/main.go, systemEnv):
# DB_PASSWORD's line sits right before AWS_SECRET_ACCESS_KEY's, and is
# longer than the 40 bytes a finding shows before its match, so the
# excerpt starts inside the DB_PASSWORD line, after its name.
CHI_SECRETS = ["Pr0d-db-pa55w0rd-2026-rotate-me!", "q8Vd2Lr7Xk1Nf0Tz5Hs9Bw3Jc6Pm4Ye8Ug2Ra7Ko",
               "4QWERTY7LABZ2K5M"]


def pieces(secret, n=8):
    """Every n-byte piece of secret: a partial leak is a leak."""
    return {secret[i:i + n] for i in range(0, max(1, len(secret) - n + 1))}


def leaked(text, secrets):
    return sorted({s for s in secrets for p in pieces(s) if p in text})


def both(args):
    """Runs warden with -f json and with the terminal writer; returns
    (rc, doc, json text, terminal text)."""
    rc, out, err = warden(*args[:1], "-q", "-f", "json", *args[1:])
    try:
        doc = json.loads(out)
    except ValueError as e:
        doc = {"findings": [], "_error": "stdout is not JSON: %s: %r %s" % (e, out[:200], err[-300:])}
    rc2, term, err2 = warden(*args[:1], "-q", *args[1:])
    return rc, doc, out + err, term + err2


def rule_hits(doc, rule):
    return [f for f in doc.get("findings", []) if f.get("rule") == rule]


# ---- scan: the environment dump ----------------------------------------------
url = lab_url("chi-vuln")
rc, doc, jtext, ttext = both(["scan", "--cacert", CA, url])
check("scan env dump: ran (status complete, requests > 0)",
      doc.get("status") == "complete" and doc.get("requests", 0) > 0, (doc.get("status"), doc.get("requests"), doc.get("_error")))
env = [f for f in rule_hits(doc, "container.env-dump") if "/api/v1/system/env" in (f.get("location", {}).get("url") or "")]
check("scan env dump: container.env-dump raised on /api/v1/system/env", len(env) == 1, rule_hits(doc, "container.env-dump"))
ev = env[0].get("evidence", "") if env else ""
# The geometry the bug needed, on the raw body: 40 bytes before the
# match (the newline before AWS_SECRET_ACCESS_KEY) is inside DB_PASSWORD's
# line, after its name, and before its value ends.
body = urllib.request.urlopen(url + "/api/v1/system/env", timeout=10).read().decode()
m = body.index("\nAWS_SECRET_ACCESS_KEY=")
line = body.rindex("\n", 0, m) + 1
check("scan env dump: the raw excerpt would open inside DB_PASSWORD's name",
      body[line:].startswith("DB_PASSWORD=" + CHI_SECRETS[0]) and line < m - 40 < line + len("DB_PASSWORD="),
      (line, m))
check("scan env dump: evidence shows both names, both values masked",
      "DB_PASSWORD=****" in ev and "AWS_SECRET_ACCESS_KEY=****" in ev, ev)
check("scan env dump: JSON holds no part of any value", not leaked(jtext, CHI_SECRETS), leaked(jtext, CHI_SECRETS))
check("scan env dump: terminal holds no part of any value",
      "container.env-dump" in ttext and not leaked(ttext, CHI_SECRETS), leaked(ttext, CHI_SECRETS))

# ---- scan: a credential the target echoes ------------------------------------
# buffalo-vuln's /api/v1/admin/request echoes the request headers, the
# key included (auth.credential-echoed); the key must still never show.
KEY = "lab-key-buffalo-123456"
rc, doc, jtext, ttext = both(["scan", "--cacert", CA, "--api-key", "X-API-Key=" + KEY, lab_url("buffalo-vuln")])
check("scan echoed key: ran (status complete, requests > 0)",
      doc.get("status") == "complete" and doc.get("requests", 0) > 0, (doc.get("status"), doc.get("_error")))
check("scan echoed key: auth.credential-echoed raised", rule_hits(doc, "auth.credential-echoed"),
      sorted({f["rule"] for f in doc.get("findings", [])}))
check("scan echoed key: in neither JSON nor terminal",
      not leaked(jtext, [KEY]) and not leaked(ttext, [KEY]) and "auth.credential-echoed" in ttext,
      (leaked(jtext, [KEY]), leaked(ttext, [KEY])))

# ---- iac: literal secrets in a Dockerfile, compose and Kubernetes --------------
IAC_SECRETS = {
    "df_env": "Dk-pa55-9f8e7d6c5b4a-x",
    "df_arg": "ghp_aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6",
    "compose_map": "Cm-s3cret-map-value-77",
    "compose_list": "Cl-s3cret-list-value-88",
    "k8s": "K8-s3cret-env-value-99",
}
tmp = tempfile.mkdtemp(prefix="wd-secrets-")
with open(os.path.join(tmp, "Dockerfile"), "w") as f:
    f.write("FROM alpine:3.19\n"
            "ENV DB_PASSWORD=%s\n"
            "ARG GH_TOKEN=%s\n"
            "USER app\n" % (IAC_SECRETS["df_env"], IAC_SECRETS["df_arg"]))
with open(os.path.join(tmp, "docker-compose.yml"), "w") as f:
    f.write("services:\n"
            "  api:\n"
            "    image: api:1\n"
            "    environment:\n"
            "      DB_PASSWORD: %s\n"
            "  worker:\n"
            "    image: worker:1\n"
            "    environment:\n"
            "      - API_TOKEN=%s\n" % (IAC_SECRETS["compose_map"], IAC_SECRETS["compose_list"]))
with open(os.path.join(tmp, "deploy.yaml"), "w") as f:
    f.write("apiVersion: apps/v1\n"
            "kind: Deployment\n"
            "metadata:\n"
            "  name: api\n"
            "spec:\n"
            "  template:\n"
            "    spec:\n"
            "      containers:\n"
            "        - name: api\n"
            "          image: api:1\n"
            "          env:\n"
            "            - name: STRIPE_SECRET_KEY\n"
            "              value: %s\n" % IAC_SECRETS["k8s"])
rc, doc, jtext, ttext = both(["iac", tmp])
facts = doc.get("facts", {})
check("iac: ran (status complete, 3 files read)",
      doc.get("status") == "complete" and facts.get("iac_files_read") == "3", (doc.get("status"), facts, doc.get("_error")))
got = sorted((os.path.basename(f["location"]["file"]), f["location"]["line"]) for f in rule_hits(doc, "iac.secret-in-env"))
want = [("Dockerfile", 2), ("Dockerfile", 3), ("deploy.yaml", 13), ("docker-compose.yml", 5), ("docker-compose.yml", 9)]
check("iac: iac.secret-in-env raised at each literal", got == want, got)
check("iac: JSON holds no part of any value", not leaked(jtext, IAC_SECRETS.values()), leaked(jtext, IAC_SECRETS.values()))
check("iac: terminal holds no part of any value",
      "iac.secret-in-env" in ttext and not leaked(ttext, IAC_SECRETS.values()), leaked(ttext, IAC_SECRETS.values()))
shutil.rmtree(tmp)

# ---- inspect: an environ with secrets -----------------------------------------
INSP_SECRETS = ["Insp-db-Pa55w0rd-1234", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "ghp_Zy9Xw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0FeDcBa"]
root = tempfile.mkdtemp(prefix="wd-secrets-root-")
shutil.copytree(os.path.join(TOP, "tests", "fixtures", "inspect", "privileged"), root, symlinks=True, dirs_exist_ok=True)
with open(os.path.join(root, "proc", "self", "environ"), "wb") as f:
    f.write(b"\0".join(x.encode() for x in [
        "PATH=/usr/local/bin:/usr/bin", "HOSTNAME=api-1",
        "DB_PASSWORD=" + INSP_SECRETS[0],
        "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY=" + INSP_SECRETS[1],
        "GITHUB_TOKEN=" + INSP_SECRETS[2]]) + b"\0")
rc, doc, jtext, ttext = both(["inspect", "--root", root])
check("inspect environ: ran (facts present, status not failed)",
      doc.get("kind") == "inspect" and doc.get("facts") and doc.get("status") in ("complete", "partial"),
      (doc.get("status"), doc.get("_error")))
names = sorted(f.get("evidence", "").split("=")[0] for f in doc.get("findings", [])
               if f.get("rule") in ("inspect.env-secret", "inspect.cloud-credentials"))
check("inspect environ: env-secret and cloud-credentials raised for each variable",
      names == ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "DB_PASSWORD", "GITHUB_TOKEN"], names)
check("inspect environ: JSON holds no part of any value",
      not leaked(jtext, INSP_SECRETS + ["IOSFODNN7EXAMPLE"]), leaked(jtext, INSP_SECRETS))
check("inspect environ: terminal holds no part of any value",
      "inspect.env-secret" in ttext and not leaked(ttext, INSP_SECRETS + ["IOSFODNN7EXAMPLE"]),
      leaked(ttext, INSP_SECRETS))
shutil.rmtree(root)

done()
