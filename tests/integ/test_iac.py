"""warden iac: container-escape analysis of Dockerfiles, compose files and
Kubernetes manifests (tests/fixtures/iac). Positive fixtures must raise
exactly the listed (rule, file, line) findings; the hardened ones none.
Malformed, hostile and binary inputs become notes naming file:line:column,
the other files are still analysed, and exit 2 only when nothing could be
read. No lab service is needed."""
import json
import os
import shutil
import tempfile

from harness import TOP, check, clean, done, how, ran, report, warden, warden_own

FIX = os.path.join(TOP, "tests", "fixtures", "iac")


def run(*args, stdin=None):
    rc, out, err = warden("iac", "-q", "-f", "json", *args, stdin=stdin, timeout=60)
    return rc, report(out, "iac " + " ".join(a.replace(FIX + "/", "") for a in args), err), err


def files_read(doc):
    try:
        return int((doc.get("facts") or {}).get("iac_files_read", "-1"))
    except ValueError:
        return -1


def triples(doc):
    if "_error" in doc:
        return [("(unreadable report)", "", 0)]
    got = []
    for f in doc.get("findings", []):
        loc = f.get("location", {})
        path = loc.get("file", "")
        rel = path.split("fixtures/iac/", 1)[1] if "fixtures/iac/" in path else path
        got.append((f["rule"], rel, loc.get("line")))
    return sorted(got)


def diff(want, got):
    return "missing %s, unexpected %s" % (sorted(set(want) - set(got)), sorted(set(got) - set(want)))


DOCKERFILE = [
    ("iac.run-as-root", "dockerfile/escape.dockerfile", 5),
    ("iac.run-as-root-default", "dockerfile/nouser.dockerfile", 1),
    ("iac.docker-cli-in-image", "dockerfile/stages.dockerfile", 1),
    ("iac.secret-in-env", "dockerfile/vuln.dockerfile", 8),
    ("iac.secret-in-env", "dockerfile/vuln.dockerfile", 9),
    ("iac.add-from-url", "dockerfile/vuln.dockerfile", 11),
    ("iac.docker-cli-in-image", "dockerfile/vuln.dockerfile", 15),
    ("iac.sudo", "dockerfile/vuln.dockerfile", 16),
    ("iac.build-insecure", "dockerfile/vuln.dockerfile", 17),
    ("iac.curl-pipe-shell", "dockerfile/vuln.dockerfile", 19),
    ("iac.sudo", "dockerfile/vuln.dockerfile", 20),
    ("iac.curl-pipe-shell", "dockerfile/vuln.dockerfile", 23),
    ("iac.run-as-root", "dockerfile/vuln.dockerfile", 25),
]

COMPOSE = [
    ("iac.run-as-root-default", "compose/vuln/app/Dockerfile", 1),
    ("iac.docker-cli-in-image", "compose/vuln/app/Dockerfile", 2),
    ("iac.cap-drop-all-missing", "compose/vuln/docker-compose.yml", 3),
    ("iac.privilege-escalation", "compose/vuln/docker-compose.yml", 3),
    ("iac.chain-docker-socket-root", "compose/vuln/docker-compose.yml", 6),
    ("iac.docker-socket-mount", "compose/vuln/docker-compose.yml", 6),
    ("iac.secret-in-env", "compose/vuln/docker-compose.yml", 9),
    ("iac.privileged", "compose/vuln/docker-compose.yml", 13),
    ("iac.chain-privileged-host-pid", "compose/vuln/docker-compose.yml", 14),
    ("iac.host-pid", "compose/vuln/docker-compose.yml", 14),
    ("iac.host-network", "compose/vuln/docker-compose.yml", 15),
    ("iac.host-ipc", "compose/vuln/docker-compose.yml", 16),
    ("iac.run-as-root", "compose/vuln/docker-compose.yml", 17),
    ("iac.host-root-mount", "compose/vuln/docker-compose.yml", 20),
    ("iac.host-sensitive-mount", "compose/vuln/docker-compose.yml", 23),
    ("iac.host-path", "compose/vuln/docker-compose.yml", 24),
    ("iac.cap-sys-admin", "compose/vuln/docker-compose.yml", 26),
    ("iac.cap-sys-ptrace", "compose/vuln/docker-compose.yml", 28),
    ("iac.privilege-escalation", "compose/vuln/docker-compose.yml", 30),
    ("iac.seccomp-unconfined", "compose/vuln/docker-compose.yml", 30),
    ("iac.apparmor-unconfined", "compose/vuln/docker-compose.yml", 31),
    ("iac.selinux-disabled", "compose/vuln/docker-compose.yml", 32),
    ("iac.host-userns", "compose/vuln/docker-compose.yml", 36),
    ("iac.host-uts", "compose/vuln/docker-compose.yml", 37),
    ("iac.host-cgroupns", "compose/vuln/docker-compose.yml", 38),
    ("iac.cgroup-parent", "compose/vuln/docker-compose.yml", 39),
    ("iac.host-device", "compose/vuln/docker-compose.yml", 43),
    ("iac.host-device", "compose/vuln/docker-compose.yml", 44),
    ("iac.host-device", "compose/vuln/docker-compose.yml", 46),
    ("iac.unsafe-sysctl", "compose/vuln/docker-compose.yml", 48),
    ("iac.unsafe-sysctl", "compose/vuln/docker-compose.yml", 50),
    ("iac.runtime-socket-mount", "compose/vuln/docker-compose.yml", 53),
    ("iac.host-sensitive-mount", "compose/vuln/docker-compose.yml", 54),
    ("iac.host-sensitive-mount", "compose/vuln/docker-compose.yml", 55),
    ("iac.host-path", "compose/vuln/docker-compose.yml", 56),
    ("iac.mount-propagation", "compose/vuln/docker-compose.yml", 56),
    ("iac.docker-socket-mount", "compose/vuln/docker-compose.yml", 63),
]

ANCHORS = [
    ("iac.privileged", "compose/anchors/compose.yaml", 7),
    ("iac.chain-privileged-host-pid", "compose/anchors/compose.yaml", 8),
    ("iac.host-pid", "compose/anchors/compose.yaml", 8),
    ("iac.cap-sys-ptrace", "compose/anchors/compose.yaml", 19),
    ("iac.chain-ptrace-host-pid", "compose/anchors/compose.yaml", 20),
    ("iac.host-pid", "compose/anchors/compose.yaml", 20),
]

WORKLOADS = [
    ("iac.sa-token-automount", "k8s/workloads.yaml", 16),
    ("iac.run-as-root", "k8s/workloads.yaml", 23),
    ("iac.seccomp-unset", "k8s/workloads.yaml", 23),
    ("iac.chain-docker-socket-root", "k8s/workloads.yaml", 35),
    ("iac.docker-socket-mount", "k8s/workloads.yaml", 35),
    ("iac.apparmor-unconfined", "k8s/workloads.yaml", 47),
    ("iac.seccomp-unconfined", "k8s/workloads.yaml", 48),
    ("iac.seccomp-unconfined", "k8s/workloads.yaml", 48),
    ("iac.chain-privileged-host-pid", "k8s/workloads.yaml", 50),
    ("iac.host-pid", "k8s/workloads.yaml", 50),
    ("iac.host-ipc", "k8s/workloads.yaml", 51),
    ("iac.host-network", "k8s/workloads.yaml", 52),
    ("iac.selinux-disabled", "k8s/workloads.yaml", 57),
    ("iac.selinux-disabled", "k8s/workloads.yaml", 57),
    ("iac.unsafe-sysctl", "k8s/workloads.yaml", 59),
    ("iac.cap-net-admin", "k8s/workloads.yaml", 70),
    ("iac.cap-sys-module", "k8s/workloads.yaml", 70),
    ("iac.privilege-escalation", "k8s/workloads.yaml", 76),
    ("iac.privileged", "k8s/workloads.yaml", 76),
    ("iac.rootfs-writable", "k8s/workloads.yaml", 76),
    ("iac.proc-unmasked", "k8s/workloads.yaml", 77),
    ("iac.mount-propagation", "k8s/workloads.yaml", 82),
    ("iac.host-root-mount", "k8s/workloads.yaml", 85),
    ("iac.host-sensitive-mount", "k8s/workloads.yaml", 87),
    ("iac.host-device", "k8s/workloads.yaml", 89),
    ("iac.docker-socket-mount", "k8s/workloads.yaml", 91),
    ("iac.host-path", "k8s/workloads.yaml", 93),
    ("iac.seccomp-unconfined", "k8s/workloads.yaml", 110),
    ("iac.secret-in-env", "k8s/workloads.yaml", 116),
    ("iac.run-as-root", "k8s/workloads.yaml", 121),
    ("iac.chain-ptrace-host-pid", "k8s/workloads.yaml", 139),
    ("iac.host-pid", "k8s/workloads.yaml", 139),
    ("iac.seccomp-unset", "k8s/workloads.yaml", 148),
    ("iac.seccomp-unset", "k8s/workloads.yaml", 155),
    ("iac.seccomp-unset", "k8s/workloads.yaml", 178),
    ("iac.seccomp-unset", "k8s/workloads.yaml", 200),
    ("iac.cap-sys-ptrace", "k8s/workloads.yaml", 158),
    ("iac.host-process", "k8s/workloads.yaml", 193),
    ("iac.privilege-escalation", "k8s/workloads.yaml", 200),
    ("iac.rootfs-writable", "k8s/workloads.yaml", 201),
]

RBAC = [
    ("iac.rbac-wildcard", "k8s/rbac.yaml", 10),
    ("iac.rbac-pods-exec", "k8s/rbac.yaml", 12),
    ("iac.rbac-nodes-proxy", "k8s/rbac.yaml", 15),
    ("iac.rbac-escalate-bind", "k8s/rbac.yaml", 18),
    ("iac.rbac-impersonate", "k8s/rbac.yaml", 21),
    ("iac.rbac-secrets", "k8s/rbac.yaml", 24),
    ("iac.rbac-create-pods", "k8s/rbac.yaml", 27),
    ("iac.rbac-secrets", "k8s/rbac.yaml", 30),
    ("iac.rbac-wildcard", "k8s/rbac.yaml", 41),
    ("iac.rbac-cluster-admin-binding", "k8s/rbac.yaml", 50),
    ("iac.rbac-anonymous-binding", "k8s/rbac.yaml", 67),
]

# Pod Security Standards: seccomp unset (restricted), AppArmor profile and
# SELinux options outside the baseline, a declared but unmounted hostPath;
# the hardened twin pod in the same file raises nothing.
BASELINE = [
    ("iac.seccomp-unset", "k8s/baseline.yaml", 17),
    ("iac.apparmor-profile", "k8s/baseline.yaml", 26),
    ("iac.selinux-options", "k8s/baseline.yaml", 34),
    ("iac.selinux-options", "k8s/baseline.yaml", 51),
    ("iac.host-sensitive-mount", "k8s/baseline.yaml", 54),
    ("iac.cap-drop-all-missing", "k8s/baseline.yaml", 150),
    ("iac.apparmor-unconfined", "k8s/baseline.yaml", 151),
    ("iac.host-root-mount", "k8s/baseline.yaml", 154),
]

CAPS = [
    ("iac.seccomp-unset", "k8s/caps.yaml", 15),
    ("iac.cap-dac-read-search", "k8s/caps.yaml", 20),
    ("iac.cap-dac-override", "k8s/caps.yaml", 21),
    ("iac.cap-net-raw", "k8s/caps.yaml", 22),
    ("iac.cap-bpf", "k8s/caps.yaml", 23),
    ("iac.cap-perfmon", "k8s/caps.yaml", 24),
    ("iac.cap-sys-rawio", "k8s/caps.yaml", 25),
    ("iac.cap-mac-admin", "k8s/caps.yaml", 26),
    ("iac.cap-all", "k8s/caps.yaml", 27),
    ("iac.cap-added", "k8s/caps.yaml", 28),
]

POSITIVE = [
    ("Dockerfiles", [os.path.join(FIX, "dockerfile")], DOCKERFILE),
    ("compose (short and long volumes, named bind volume, build context)",
     [os.path.join(FIX, "compose", "vuln")], COMPOSE),
    ("compose anchors and merge keys", [os.path.join(FIX, "compose", "anchors")], ANCHORS),
    ("Kubernetes workloads", [os.path.join(FIX, "k8s", "workloads.yaml")], WORKLOADS),
    ("Kubernetes RBAC", [os.path.join(FIX, "k8s", "rbac.yaml")], RBAC),
    ("capabilities", [os.path.join(FIX, "k8s", "caps.yaml")], CAPS),
    ("Kubernetes Pod Security Standards baseline", [os.path.join(FIX, "k8s", "baseline.yaml")], BASELINE),
]

for name, paths, want in POSITIVE:
    rc, doc, err = run(*paths)
    got = triples(doc)
    check("%s: exact rule ids and file:line" % name, got == sorted(want), diff(want, got),
          raises=sorted({r for r, _, _ in want}))
    check("%s: exit 1" % name, rc == 1, (rc, err[-300:]))

# Every rule has a positive fixture.
rc, out, err = warden("iac", "--list-rules")
ids = sorted(line.split()[0] for line in out.splitlines() if line.startswith("iac."))
covered = {r for _, _, want in POSITIVE for r, _, _ in want}
check("--list-rules lists the rules", rc == 0 and len(ids) >= 50, (rc, len(ids)))
check("every rule has a positive fixture", set(ids) <= covered, sorted(set(ids) - covered))

# ---- negative fixtures: hardened files raise nothing ----------------------
for name in ("dockerfile/good.dockerfile", "compose/good", "k8s/good.yaml"):
    rc, doc, err = run(os.path.join(FIX, name))
    clean("hardened %s: no findings" % name, doc, triples(doc))
    check("hardened %s: exit 0, no notes" % name, ran(doc) and rc == 0 and doc.get("notes") == [],
          (rc, doc.get("notes"), how(doc)))

# ---- specifics ------------------------------------------------------------
rc, doc, err = run(os.path.join(FIX, "compose", "vuln"))
by = {}
for f in doc["findings"]:
    by.setdefault(f["rule"], []).append(f)
chain = by.get("iac.chain-docker-socket-root", [{}])[0]
ev = chain.get("evidence", "")
check("socket chain names the socket, the root source and the Docker client",
      "docker-compose.yml:6" in ev and "app/Dockerfile:1" in ev and "app/Dockerfile:2" in ev, ev)
check("socket chain reported once", len(by.get("iac.chain-docker-socket-root", [])) == 1)
sock = by.get("iac.docker-socket-mount", [])
check("read-only socket mount stays critical",
      any(f["location"]["line"] == 6 for f in sock)  # /var/run/docker.sock:...:ro
      and all(f["severity"] == "critical" for f in sock), [(f["location"], f["severity"]) for f in sock])
root = [f for f in by.get("iac.host-root-mount", [])]
check("read-only host / rated lower than writable (high)", root and root[0]["severity"] == "high",
      [f["severity"] for f in root])
paths = [f.get("evidence", "") for f in by.get("iac.host-path", [])]
check("/variable is not /var (plain host path, low)",
      any("/variable/data" in p for p in paths) and
      not any("/variable" in f.get("evidence", "") for f in by.get("iac.host-sensitive-mount", [])), paths)

def fixture_holds(rel, secret):
    with open(os.path.join(FIX, rel)) as f:
        return secret in f.read()


check("secret values are masked: the fixture holds the secret, the report does not",
      fixture_holds("compose/vuln/docker-compose.yml", "glrt-2bX9kQ7vLmN4pR8sT1uW")
      and by.get("iac.secret-in-env") and "glrt-2bX9kQ7vLmN4pR8sT1uW" not in json.dumps(doc),
      by.get("iac.secret-in-env"))

rc, doc, err = run(os.path.join(FIX, "dockerfile", "vuln.dockerfile"))
check("Dockerfile secret value masked: in the fixture, not in the report",
      fixture_holds("dockerfile/vuln.dockerfile", "hunter2-prod-secret")
      and ("iac.secret-in-env", "dockerfile/vuln.dockerfile", 9) in triples(doc)
      and "hunter2-prod-secret" not in json.dumps(doc), triples(doc))

# Pod Security Standards specifics: what stays without drop: [ALL] is
# named (the container runtime's default set less what the pod drops),
# and a hostPath no container mounts keeps the severity of its path,
# judged writable (an ephemeral container may mount it so later).
DEFAULT_CAPS = ["NET_RAW", "DAC_OVERRIDE", "SETUID", "SETGID", "FOWNER", "CHOWN", "FSETID", "KILL",
                "MKNOD", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "AUDIT_WRITE"]
rc, doc, err = run(os.path.join(FIX, "k8s", "baseline.yaml"))
at = {(f["rule"], f["location"]["line"]): f for f in doc.get("findings", [])}
ev = at.get(("iac.cap-drop-all-missing", 150), {}).get("evidence", "")
stay = ev.split("stay:", 1)[1] if "stay:" in ev else ""
check("drop without ALL: the evidence names the 13 defaults that stay, not the NET_RAW dropped",
      all(c in stay.replace(",", " ").split() for c in DEFAULT_CAPS[1:])
      and "NET_RAW" not in stay.replace(",", " ").split(), ev)
check("declared, unmounted hostPath judged writable: / and /etc critical (read-only /etc is medium)",
      at.get(("iac.host-root-mount", 154), {}).get("severity") == "critical"
      and at.get(("iac.host-sensitive-mount", 54), {}).get("severity") == "critical"
      and "declared" in at.get(("iac.host-root-mount", 154), {}).get("evidence", ""),
      [(k, f.get("severity")) for k, f in at.items() if "mount" in k[0]])
check("seccomp unset: medium",
      at.get(("iac.seccomp-unset", 17), {}).get("severity") == "medium",
      at.get(("iac.seccomp-unset", 17)))
rc, doc, err = run(os.path.join(FIX, "compose", "vuln"))
ev = next((f["evidence"] for f in doc.get("findings", [])
           if f["rule"] == "iac.cap-drop-all-missing"), "")
stay = ev.split("stay:", 1)[1].replace(",", " ").split() if "stay:" in ev else []
check("compose without cap_drop ALL: the evidence names all 14 defaults", sorted(stay) == sorted(DEFAULT_CAPS), ev)
rc, doc, err = run(os.path.join(FIX, "k8s", "workloads.yaml"))
sev = {(f["rule"], f["location"]["line"]): f["severity"] for f in doc.get("findings", [])}
check("explicit seccomp Unconfined stays high", sev.get(("iac.seccomp-unconfined", 110)) == "high"
      and sev.get(("iac.seccomp-unset", 23)) == "medium", sev)

# Standard input (helm template ... | warden iac -).
with open(os.path.join(FIX, "k8s", "workloads.yaml")) as f:
    text = f.read()
rc, doc, err = run("-", stdin=text)
got = sorted((r, l) for r, _, l in triples(doc))
check("stdin: same findings as the file", got == sorted((r, l) for r, _, l in WORKLOADS), got[:5])
check("stdin: located at <stdin>",
      all(f["location"]["file"] == "<stdin>" for f in doc["findings"]) and doc["findings"])
with open(os.path.join(FIX, "dockerfile", "escape.dockerfile")) as f:
    rc, doc, err = run("-", stdin=f.read())
check("stdin: a Dockerfile is recognised by content",
      triples(doc) == [("iac.run-as-root", "<stdin>", 5)], triples(doc))

# ---- malformed and hostile input -------------------------------------------
# Timed on warden's own time (wall less waiting for a CPU: harness.wait_own).
bad_args = (os.path.join(FIX, "bad"), os.path.join(FIX, "k8s", "good.yaml"))
rc, out, err, elapsed, wall = warden_own("iac", "-q", "-f", "json", *bad_args)
doc = report(out, "iac bad/ k8s/good.yaml", err)
notes = doc.get("notes", [])
want_notes = {
    "bad/broken.yaml:9:1:": "flow sequence",
    "bad/partial.yaml:12:5:": "flow mapping",
    "bad/deep.yaml:2:206:": "nesting deeper",
    "bad/binary.yaml:1:1:": "binary",
    "bad/undefined-alias.yaml:3:9:": "no anchor",
    "bad/chart/templates/deployment.yaml:9:11:": "Helm template",
    "bad/bomb.yaml:": "budget",
    "bad/structure.yaml:7:3:": "Pod p: spec is a sequence, not a mapping",
    "bad/structure.yaml:16:9:": "Deployment d: containers is a mapping, not a sequence",
    "bad/structure.yaml:24:7:": "Pod q: item 1 of containers is a scalar, not a mapping",
    "bad/Dockerfile.noarg:2:1:": "instruction USER has no argument",
}
for where, what in want_notes.items():
    check("note names %s %s" % (where, what),
          any(where in n and what in n for n in notes), notes)
    check("stderr names %s" % where, where in err, err[-500:])
check("hostile inputs analysed quickly (%.2fs)" % elapsed, elapsed < 10 and notes, notes)
got = triples(doc)
check("documents before a syntax error are analysed",
      ("iac.host-network", "bad/partial.yaml", 6) in got, got)
check("bad files do not stop the good ones: exit 1 on findings", rc == 1, (rc, err[-300:]))
check("status partial", doc.get("status") == "partial", doc.get("status"))

# A wrong structure alone still makes the run partial, never a quiet
# "nothing found".
for name in ("structure.yaml", "Dockerfile.noarg"):
    rc, doc, err = run(os.path.join(FIX, "bad", name))
    check("%s alone: status partial with a note" % name,
          doc.get("status") == "partial" and len(doc.get("notes", [])) >= 1, (doc.get("status"), doc.get("notes")))

rc, doc, err = run(os.path.join(FIX, "bad", "broken.yaml"))
check("nothing readable: exit 2", rc == 2, rc)
check("nothing readable: error names file:line:column",
      "broken.yaml:9:1:" in err and "no file could be read" in err, err)
rc, doc, err = run(os.path.join(FIX, "dockerfile", "Dockerfile.malformed"))
check("malformed Dockerfile: notes with line:column",
      any("Dockerfile.malformed:2:1: unknown instruction 'RUNN'" in n for n in doc.get("notes", [])) and
      any("Dockerfile.malformed:4:1: heredoc <<EOT is never closed" in n for n in doc.get("notes", [])),
      doc.get("notes"))
check("malformed Dockerfile: still analysed (exit 0, USER nobody)",
      rc == 0 and files_read(doc) == 1 and triples(doc) == [], (rc, triples(doc), how(doc)))
rc, doc, err = run("/nonexistent/warden-iac")
check("missing path: exit 2", rc == 2 and "/nonexistent/warden-iac" in err, (rc, err))
rc, out, err = warden("iac")
check("no PATH: usage error, exit 2", rc == 2 and "no PATH" in err, (rc, err))
rc, doc, err = run("--fail-on", "none", os.path.join(FIX, "k8s", "rbac.yaml"))
check("--fail-on none: exit 0 with findings", rc == 0 and len(triples(doc)) == len(RBAC),
      (rc, triples(doc)))
rc, doc, err = run("--fail-on", "critical", os.path.join(FIX, "k8s", "caps.yaml"))
check("--fail-on critical with a critical finding: exit 1", rc == 1, rc)

# A huge file is refused without reading it all into memory.
big = os.path.join(os.environ.get("TMPDIR", "/tmp"), "warden-iac-big.yaml")
with open(big, "w") as f:
    line = "k: " + "x" * 1000 + "\n"
    for _ in range(18 * 1024):
        f.write(line)
rc, doc, err = run(big, os.path.join(FIX, "k8s", "good.yaml"))
os.unlink(big)
check("huge file refused with a note", any("larger than" in n for n in doc.get("notes", [])),
      doc.get("notes"))
check("huge file does not stop the others: exit 0, the other file read",
      rc == 0 and files_read(doc) == 1, (rc, how(doc)))

# Vendored trees are skipped (.git is made here: git will not store one).
tmp = tempfile.mkdtemp()
try:
    walk = os.path.join(tmp, "fixtures", "iac", "walk")
    shutil.copytree(os.path.join(FIX, "walk"), walk, symlinks=True)
    os.mkdir(os.path.join(walk, ".git"))
    shutil.copy(os.path.join(walk, "vendor", "x", "pod.yaml"), os.path.join(walk, ".git", "pod.yaml"))
    os.symlink(walk, os.path.join(walk, "deploy", "loop"))
    rc, doc, err = run(walk)
finally:
    shutil.rmtree(tmp)
got = triples(doc)
check("directory walk skips .git, vendor, node_modules and symlinks",
      got == [("iac.privileged", "walk/deploy/pod.yaml", 9)], got)

# The ServiceAccount resolution across files, indexed: 300 Deployments,
# each in its own namespace with its own account file (automount false,
# true or unset by i % 3), every account named "acct", one more "acct"
# with automount false in a namespace nobody uses (a lookup by name alone
# would silence everything), and 20 Deployments whose account is in no
# file. Expected by reasoning: a finding for i % 3 != 0 and for the 20,
# at the serviceAccountName line (9), none for i % 3 == 0.
tmp = tempfile.mkdtemp()
DEP = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: %s
spec:
  template:
    spec:
      serviceAccountName: acct
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile: {type: RuntimeDefault}
      containers:
        - name: web
          image: example/web:1
          securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
"""
try:
    want = []
    for i in range(300):
        with open(os.path.join(tmp, "sa-%03d.yaml" % i), "w") as f:
            am = ["automountServiceAccountToken: false\n", "automountServiceAccountToken: true\n", ""][i % 3]
            f.write("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: acct\n  namespace: ns-%d\n%s" % (i, am))
        with open(os.path.join(tmp, "dep-%03d.yaml" % i), "w") as f:
            f.write(DEP % ("ns-%d" % i))
        if i % 3:
            want.append(("iac.sa-token-automount", os.path.join(tmp, "dep-%03d.yaml" % i), 9))
    with open(os.path.join(tmp, "sa-other.yaml"), "w") as f:
        f.write("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: acct\n  namespace: other\n"
                "automountServiceAccountToken: false\n")
    for i in range(20):
        with open(os.path.join(tmp, "lost-%02d.yaml" % i), "w") as f:
            f.write(DEP % ("lost-%d" % i))
        want.append(("iac.sa-token-automount", os.path.join(tmp, "lost-%02d.yaml" % i), 9))
    rc, doc, err = run(tmp)
finally:
    shutil.rmtree(tmp)
got = triples(doc)
check("ServiceAccounts resolved across 621 files by namespace and name (exact findings)",
      files_read(doc) == 621 and got == sorted(want), (files_read(doc), diff(want, got)[:300]))

# Terminal output names rule and location.
rc, out, err = warden("iac", "--no-color", os.path.join(FIX, "compose", "anchors"))
check("terminal report names rule and file:line",
      "iac.chain-privileged-host-pid" in out and "compose.yaml:8" in out, out[:300])
done()
