#!/usr/bin/python3
"""warden inspect: captured trees with exact expected findings, the CLI's
promises (read-only help, exit codes), a real run on this machine compared
with what the test reads itself, runs in namespaces made with unshare(1)
and capabilities dropped with setpriv(1), and the one socket request.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import TOP, WARDEN, check, clean, done, how, ran, report, skip, warden  # noqa: E402

FIX = os.path.join(TOP, "tests", "fixtures", "inspect")
INIT_PID_NS = "pid:[4026531836]"
# WARDEN_INSPECT=path runs this suite against the static warden-inspect
# binary (make static-inspect; tests/run-all.sh does when it is built).
STATIC = os.environ.get("WARDEN_INSPECT")
INSPECT = [STATIC] if STATIC else [WARDEN, "inspect"]
if STATIC:
    print("# inspect suite against the static binary " + STATIC)


def inspect_cmd(*args, env=None, prefix=()):
    p = subprocess.run(list(prefix) + INSPECT + list(args),
                       capture_output=True, text=True, timeout=60, env=env)
    return p.returncode, p.stdout, p.stderr


def inspect_json(*args, env=None, prefix=()):
    rc, out, err = inspect_cmd("-f", "json", "--no-color", *args, env=env, prefix=prefix)
    return rc, report(out, "inspect " + " ".join(args).replace(FIX + "/", ""), err), err


def rules(doc):
    if "_error" in doc:
        return ["(unreadable report)"]
    return sorted({f["rule"] for f in doc.get("findings", [])})


def facts(doc):
    return doc.get("facts", {})


def own_status():
    out = {}
    with open("/proc/self/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.strip()
    return out


# 1. Captured trees: exact rule ids and the facts each case states.
cases = sorted(n[:-len(".expected.json")] for n in os.listdir(FIX) if n.endswith(".expected.json"))
check("fixture cases present", len(cases) >= 9, cases)
raised = set()
for case in cases:
    with open(os.path.join(FIX, case + ".expected.json")) as f:
        want = json.load(f)
    rc, doc, err = inspect_json("--root", os.path.join(FIX, case))
    got = rules(doc)
    check("fixture %s: exact rule ids" % case, got == want["rules"] and (got or ran(doc)),
          "extra %s missing %s %s" % (sorted(set(got) - set(want["rules"])),
                                      sorted(set(want["rules"]) - set(got)), how(doc)),
          raises=want["rules"])
    if got == want["rules"]:
        raised.update(got)
    bad = {k: (facts(doc).get(k), v) for k, v in want["facts"].items() if facts(doc).get(k) != v}
    check("fixture %s: facts" % case, not bad, bad)
    if "severities" in want:
        sevs = {r: sorted({x["severity"] for x in doc.get("findings", []) if x["rule"] == r})
                for r in want["severities"]}
        check("fixture %s: severities" % case, sevs == want["severities"],
              {r: (sevs[r], v) for r, v in want["severities"].items() if sevs[r] != v})
    check("fixture %s: exit code" % case, rc == (1 if want["rules"] else 0), "rc=%d %s" % (rc, err))
    check("fixture %s: kind inspect, no request" % case,
          doc.get("kind") == "inspect" and doc.get("requests") == 0, doc.get("requests"))

# Every inspect rule `warden checks` lists is raised by some fixture whose
# exact rule ids matched (a positive test for each).
rc, out, _ = warden("checks")
ids = {l.split()[0] for l in out.splitlines() if l.startswith("inspect.")}
check("every inspect rule is raised by a fixture", rc == 0 and len(ids) >= 30 and ids <= raised,
      (rc, len(ids), sorted(ids - raised)))

rc, doc, _ = inspect_json("--root", os.path.join(FIX, "k8s-default"))
text = json.dumps(doc)
check("secrets masked (nothing of a value but a format's public prefix)",
      "IOSFODNN7" not in text and "K7MDENG" not in text and "hunter2" not in text
      and "AKIA****" in text, [f["evidence"] for f in doc["findings"] if "env" in (f["location"].get("file") or "")])
# Writability is decided on what the kernel allows, and "unknown" where it
# cannot be told: the host-root tree without its .capture/writable list
# (what access(2) answered) leaves the host's sysctls unknown (uid 0 is the
# host's root, only the file mode is missing), named in a note, with no
# finding and a partial status; the host's release_agent needs no list to
# be refused (no CAP_SYS_ADMIN), so the note does not name it.
tree = tempfile.mkdtemp(prefix="wd-insp-nowritable-")
subprocess.run(["cp", "-a", os.path.join(FIX, "host-root") + "/.", tree], check=True)
os.unlink(os.path.join(tree, ".capture", "writable"))
rc, doc, _ = inspect_json("--root", tree)
unk = [x for x in doc.get("notes", []) if "writability of" in x]
check("no .capture/writable: host sysctls unknown and named, release_agent refused, partial",
      doc.get("status") == "partial" and len(unk) == 1
      and "/host/proc/sys/kernel/core_pattern" in unk[0] and "release_agent" not in unk[0]
      and "inspect.core-pattern-writable" not in rules(doc)
      and "inspect.cgroup-release-agent" not in rules(doc)
      and "inspect.host-root-mount" in rules(doc), (doc.get("status"), unk, rules(doc)))
subprocess.run(["rm", "-rf", "--", tree])
rc, doc, _ = inspect_json("--root", os.path.join(FIX, "hostnet"))
ev = [x["evidence"] for x in doc.get("findings", []) if x["rule"] == "inspect.host-net-ns"]
check("hostnet: the host's listening unix sockets named, sorted, once each",
      len(ev) == 1 and ev[0].endswith("2 listening unix socket(s) of the host's network namespace: "
                                      "/run/dbus/system_bus_socket, @/containerd-shim/abc.sock@"), ev)

rc, doc, _ = inspect_json("--root", os.path.join(FIX, "truncated"))
check("truncated tree: partial, with notes, caps unknown",
      doc.get("status") == "partial" and len(doc.get("notes", [])) >= 4
      and facts(doc).get("caps_effective") == "unknown", doc.get("notes"))

# 2. The CLI's promises.
rc, out, _ = inspect_cmd("--help")
check("--help says read-only and names the one request",
      rc == 0 and "never writes" in out and "GET /version" in out and "--root" in out, out[:200])
rc, doc, err = inspect_json("--root", "/nonexistent/warden-capture")
check("missing --root: exit 3, JSON status failed",
      rc == 3 and doc.get("status") == "failed" and doc.get("findings") == [], "rc=%d %s" % (rc, err))
rc, out, err = inspect_cmd("stray")
check("stray argument: exit 2", rc == 2, err)
rc, doc, _ = inspect_json("--root", os.path.join(FIX, "privileged"), "--fail-on", "none")
check("--fail-on none: exit 0 with findings", rc == 0 and "inspect.privileged" in rules(doc),
      (rc, rules(doc)))

# 3. A real run on this machine, against what the test reads itself.
st = own_status()
rc, doc, err = inspect_json("--no-probe")
f = facts(doc)
check("live: report is complete or partial", doc.get("status") in ("complete", "partial"), doc.get("_error", err))
check("live: uid matches /proc/self/status", f.get("uid") == st["Uid"].split()[1], (f.get("uid"), st["Uid"]))
check("live: CapEff matches", f.get("cap_eff") == st["CapEff"], (f.get("cap_eff"), st["CapEff"]))
modes = {"0": "disabled", "1": "strict", "2": "filter"}
check("live: seccomp matches", f.get("seccomp") == modes[st["Seccomp"]], (f.get("seccomp"), st["Seccomp"]))
check("live: NoNewPrivs matches", f.get("no_new_privs") == st["NoNewPrivs"], f.get("no_new_privs"))
check("live: kernel matches uname", f.get("kernel") == os.uname().release, f.get("kernel"))
host_pid = os.readlink("/proc/self/ns/pid") == INIT_PID_NS
check("live: PID namespace verdict matches the ns inode",
      f.get("pid_ns") == ("host" if host_pid else "own"), f.get("pid_ns"))
# A /.dockerenv left in a VM or host image says nothing against every
# namespace being the initial one and / being a disk filesystem.
INIT = {"pid": 0xEFFFFFFC, "mnt": 0xEFFFFFF8, "net": 0xEFFFFFF9, "uts": 0xEFFFFFFE,
        "ipc": 0xEFFFFFFF, "user": 0xEFFFFFFD}
all_initial = all(os.readlink("/proc/self/ns/" + k) == "%s:[%d]" % (k, v) for k, v in INIT.items())
with open("/proc/self/mountinfo") as mi:
    root_disk = any(l.split()[4] == "/" and l.split()[3] == "/" and
                    l.split(" - ")[1].split()[0] in ("ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "virtiofs", "9p")
                    for l in mi if " - " in l)
in_docker = os.path.exists("/.dockerenv") and not (all_initial and root_disk)
if os.path.exists("/.dockerenv") and not in_docker:
    check("live: a stray /.dockerenv on a host (initial namespaces, disk /) -> runtime host",
          f.get("runtime") == "host" and "contradicted" in f.get("runtime_signals", ""), f.get("runtime_signals"))
if in_docker:
    check("live: /.dockerenv -> runtime docker", f.get("runtime") == "docker", f.get("runtime"))
    check("live: host PID namespace reported iff it is the initial one",
          ("inspect.host-pid-ns" in rules(doc)) == host_pid, rules(doc))
    cap_sys_admin = int(st["CapEff"], 16) >> 21 & 1
    check("live: cap-sys-admin iff CapEff has bit 21",
          ("inspect.cap-sys-admin" in rules(doc)) == bool(cap_sys_admin), rules(doc))
else:
    skip("live container-only checks", "not in a Docker container")

# The capture recipe of docs/inspect.md, run here: the captured tree must
# give the same rule ids as the live run.
with open(os.path.join(TOP, "docs", "inspect.md")) as f:
    md = f.read()
recipe = md[md.index("C=/tmp/capture"):]
recipe = recipe[:recipe.index("```")]
cap = tempfile.mkdtemp(prefix="wd-capture-")
p = subprocess.run(["sh", "-c", recipe.replace("C=/tmp/capture", "C=" + cap, 1)],
                   capture_output=True, text=True, timeout=60)
rc, live_doc, _ = inspect_json("--no-probe")
rc, cap_doc, err = inspect_json("--root", cap)
check("docs capture recipe: captured tree gives the live rule ids",
      rules(cap_doc) == rules(live_doc) and cap_doc.get("status") == "complete",
      (sorted(set(rules(cap_doc)) ^ set(rules(live_doc))), cap_doc.get("notes"), p.stderr[:200]))
subprocess.run(["rm", "-rf", "--", cap])

env = dict(os.environ, AWS_SECRET_ACCESS_KEY="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
rc, doc, _ = inspect_json("--no-probe", env=env)
if facts(doc).get("runtime") != "host":
    hits = [x for x in doc["findings"] if x["rule"] == "inspect.cloud-credentials"]
    check("live: cloud key in the environment found and masked",
          hits and hits[0]["evidence"] == "AWS_SECRET_ACCESS_KEY=****" and "wJal" not in json.dumps(doc), hits)
else:
    skip("live: cloud key in the environment found and masked", "runs on a host")

# 4. The one request: GET /version over a socket found through DOCKER_HOST.
tmp = tempfile.mkdtemp(prefix="wd-insp-")
sock_path = os.path.join(tmp, "docker.sock")
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(sock_path)
srv.listen(4)
seen = []


def serve():
    srv.settimeout(10)
    while True:
        try:
            c, _ = srv.accept()
        except OSError:
            return
        data = b""
        c.settimeout(2)
        try:
            while b"\r\n\r\n" not in data:
                chunk = c.recv(4096)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        seen.append(data)
        body = b'{"Version":"99.1.2","ApiVersion":"1.99"}'
        c.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body))
        c.close()


t = threading.Thread(target=serve, daemon=True)
t.start()
env = dict(os.environ, DOCKER_HOST="unix://" + sock_path)
rc, doc, _ = inspect_json("--no-probe", env=env)
check("--no-probe: no connection to a found socket", seen == [] and doc.get("requests") == 0, seen)
if facts(doc).get("runtime") != "host":
    check("socket found through DOCKER_HOST", "inspect.docker-socket" in rules(doc), rules(doc))
else:
    skip("socket found through DOCKER_HOST", "runs on a host")
rc, doc, _ = inspect_json("--probe-timeout", "2000", env=env)
live = [x for x in doc["findings"] if x["rule"] == "inspect.docker-socket-live"]
if facts(doc).get("runtime") != "host":
    check("probe: socket-live with the version it answered",
          live and "99.1.2" in live[0]["evidence"], [x["rule"] for x in doc["findings"]])
else:
    skip("probe: socket-live with the version it answered", "runs on a host")
check("probe: exactly one read-only GET /version was sent",
      len(seen) == 1 and seen[0].startswith(b"GET /version HTTP/1.0\r\n") and doc.get("requests") == 1,
      seen)
srv.close()
os.unlink(sock_path)
os.rmdir(tmp)

# 5. Namespaces made with unshare(1), and capabilities dropped with setpriv(1).
def can_run(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


UNS = ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc", "--net", "--ipc"]
if can_run(UNS + ["true"]):
    rc, doc, err = inspect_json("--no-probe", prefix=UNS)
    f = facts(doc)
    check("unshare: user namespace is private", f.get("userns") == "private", f.get("userns"))
    check("unshare: PID namespace is its own", f.get("pid_ns") == "own" and
          "inspect.host-pid-ns" not in rules(doc), (f.get("pid_ns"), rules(doc)))
    check("unshare: IPC namespace is its own", "inspect.host-ipc-ns" not in rules(doc) and
          f.get("ns_ipc", "").endswith("(own)"), f.get("ns_ipc"))
    own_net = os.readlink("/proc/self/ns/net").split("[")[1].rstrip("]")
    check("unshare: a different network namespace", f.get("ns_net") not in (None, own_net, "unknown"),
          (f.get("ns_net"), own_net))
    check("unshare: ns_user differs from the initial one", f.get("ns_user", "").endswith("(own)"), f.get("ns_user"))
else:
    skip("unshare namespaces", "unshare --user --pid --net is not permitted here")

if can_run(["setpriv", "--bounding-set=-sys_admin", "--no-new-privs", "true"]):
    rc, doc, err = inspect_json("--no-probe", prefix=["setpriv", "--bounding-set=-sys_admin", "--no-new-privs"])
    f = facts(doc)
    check("setpriv: CAP_SYS_ADMIN gone from CapEff and from the findings",
          f.get("cap_eff") and not (int(f["cap_eff"], 16) >> 21 & 1)
          and "inspect.cap-sys-admin" not in rules(doc) and "inspect.privileged" not in rules(doc),
          (f.get("cap_eff"), rules(doc)))
    check("setpriv: NoNewPrivs 1", f.get("no_new_privs") == "1", f.get("no_new_privs"))
else:
    skip("setpriv capability drop", "setpriv is not permitted here")

if can_run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "true"]):
    rc, doc, err = inspect_json("--no-probe", prefix=["setpriv", "--reuid=65534", "--regid=65534",
                                                      "--clear-groups", "--inh-caps=-all"])
    f = facts(doc)
    check("setpriv non-root: uid 65534, no root-user, no capability findings",
          f.get("uid") == "65534" and "inspect.root-user" not in rules(doc)
          and not [r for r in rules(doc) if r.startswith("inspect.cap-")], (f.get("uid"), rules(doc), err[:200]))
else:
    skip("setpriv non-root run", "setpriv is not permitted here")

done()
