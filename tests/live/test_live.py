#!/usr/bin/python3
"""warden inspect inside real containers (issue: right on real containers).

Starts its own dockerd in a scratch directory on a private socket
(--storage-driver vfs, no iptables, no bridge, its own data-root,
exec-root and pidfile; dockerd starts its own containerd), imports an
image made offline from busybox-static and the static warden-inspect
(scripts/build-static-inspect.sh), and runs warden-inspect in one
container per scenario. Each scenario first checks, inside the same
container, that the scenario took effect (/proc/self/status CapEff,
Seccomp, NoNewPrivs, uid, namespaces, mountinfo), then asserts the exact
set of rule ids, derived from what the scenario is and from what the
container and this machine show (never from warden's own output).
Everything is torn down by PID and unmounted.

Prints TAP lines: "ok N - ...", "not ok N - ...", and "ok N - ... # SKIP
reason" when the machine cannot run dockerd (not root, no docker.io), and
the plan line "1..N" last (tests/run-all.sh counts a missing or short plan
as a failure).

WARDEN_LIVE_INSPECT=PATH puts PATH into the image instead of the static
warden-inspect built here: with /bin/true (no JSON) or a build with a
check disabled, the suite must fail (that is how its assertions were shown
to fail closed).

Where this machine's own capability bounding set is narrower than what
Docker asks for --privileged (a VM or container whose init dropped a
capability), runc cannot raise it and fails; the --privileged scenario
then runs with tests/live/runc-bounded, a runc wrapper registered with
dockerd --add-runtime that drops from the container's sets only the
capabilities the bounding set lacks. The TAP line says when it was used.
"""
import concurrent.futures
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.abspath(os.path.join(HERE, "..", ".."))
NET_INIT, PID_INIT, USER_INIT = 0xEFFFFFF9, 0xEFFFFFFC, 0xEFFFFFFD
DOCKER_DEFAULT_CAPS = 0xa80425fb
DISK_FS = {"ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "jfs", "reiserfs", "virtiofs", "9p"}

n = 0
failures = 0


def tap(ok, name, detail="", skip=None):
    global n, failures
    n += 1
    if skip is not None:
        print("ok %d - %s # SKIP %s" % (n, name, skip))
    elif ok:
        print("ok %d - %s" % (n, name))
    else:
        failures += 1
        print("not ok %d - %s%s" % (n, name, (": " + " ".join(str(detail).split())[:1500]) if detail else ""))
    sys.stdout.flush()


def plan():
    print("1..%d" % n)
    sys.stdout.flush()


def skip_all(reason):
    tap(True, "live container suite", skip=reason)
    plan()
    sys.exit(0)


def which(*names):
    for nm in names:
        for d in ("/usr/sbin", "/usr/bin", "/sbin", "/bin"):
            p = os.path.join(d, nm)
            if os.access(p, os.X_OK):
                return p
    return None


def own(path):
    with open(path) as f:
        return f.read()


def status_of(text):
    out = {}
    for line in text.splitlines():
        k, _, v = line.partition(":")
        out[k] = v.strip()
    return out


def mounts_of(text):
    """mountinfo lines as dicts: mountpoint, root, fstype, opts, dev."""
    out = []
    for line in text.splitlines():
        f = line.split()
        if "-" not in f[6:]:
            continue
        d = f.index("-", 6)
        out.append({"dev": f[2], "root": f[3], "mp": f[4], "opts": f[5].split(","),
                    "fstype": f[d + 1], "source": f[d + 2]})
    return out


def mount_of(mounts, path):
    best = None
    for m in mounts:
        mp = m["mp"]
        if mp == "/" or path == mp or path.startswith(mp + "/"):
            if best is None or len(mp) >= len(best["mp"]):
                best = m
    return best


def is_static(path):
    with open(path, "rb") as f:
        head = f.read(4096)
    # An ELF with no PT_INTERP has no "/lib.*ld-" interpreter string up front.
    return head[:4] == b"\x7fELF" and b"ld-linux" not in head and b"ld-musl" not in head


# ---- prerequisites ---------------------------------------------------------
if os.geteuid() != 0:
    skip_all("not root: dockerd needs root")
DOCKERD, CONTAINERD, RUNC = which("dockerd"), which("containerd"), which("runc")
DOCKER = which("docker")
BUSYBOX = which("busybox")
if not (DOCKERD and CONTAINERD and RUNC and DOCKER):
    skip_all("dockerd, containerd, runc or docker missing (scripts/install-deps.sh installs docker.io)")
if not BUSYBOX or not is_static(BUSYBOX):
    skip_all("no static busybox (scripts/install-deps.sh installs busybox-static)")

STATIC = os.environ.get("WARDEN_LIVE_INSPECT")
if STATIC:
    print("# WARDEN_LIVE_INSPECT: %s goes into the image instead of the static warden-inspect" % STATIC)
else:
    p = subprocess.run(["bash", os.path.join(TOP, "scripts", "build-static-inspect.sh")],
                       capture_output=True, text=True, timeout=300)
    STATIC = os.path.join(TOP, "build-static", "warden-inspect")
    if p.returncode != 0 or not os.access(STATIC, os.X_OK):
        tap(False, "static warden-inspect builds", p.stdout[-500:] + p.stderr[-500:])
        plan()
        sys.exit(1)

scratch = tempfile.mkdtemp(prefix="wdl-", dir="/tmp")
SOCK = os.path.join(scratch, "docker.sock")
ENV = dict(os.environ, DOCKER_HOST="unix://" + SOCK)
ENV.pop("DOCKER_CONTEXT", None)
ENV.pop("DOCKER_CONFIG", None)
ENV["DOCKER_CONFIG"] = os.path.join(scratch, "client")
dockerd = None
ANON = None


def docker(*args, timeout=120, stdin=None):
    return subprocess.run([DOCKER] + list(args), capture_output=True, text=stdin is None,
                          timeout=timeout, env=ENV, input=stdin)


def pids_under(prefix):
    """PIDs whose command line names the scratch directory (containerd,
    its shims), by /proc scan: each is then ended by its PID."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == os.getpid():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        if prefix.encode() in cmd:
            out.append(int(d))
    return out


def teardown():
    if dockerd is not None:
        try:
            ids = docker("ps", "-aq", timeout=30).stdout.split()
            if ids:
                docker("rm", "-f", *ids, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            pass
        if dockerd.poll() is None:
            dockerd.send_signal(signal.SIGTERM)
            try:
                dockerd.wait(timeout=20)
            except subprocess.TimeoutExpired:
                dockerd.kill()
                dockerd.wait(timeout=10)
    # containerd and shims started for this dockerd: by PID, then wait.
    for sig in (signal.SIGTERM, signal.SIGKILL):
        left = pids_under(scratch)
        for pid in left:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.time() + 10
        while left and time.time() < deadline:
            left = [x for x in left if os.path.exists("/proc/%d" % x)]
            time.sleep(0.2)
    # Unmount what is left under the scratch directory, deepest first.
    with open("/proc/self/mountinfo") as f:
        mps = [m["mp"] for m in mounts_of(f.read())
               if m["mp"] == scratch or m["mp"].startswith(scratch + "/")]
    for mp in sorted(set(mps), key=len, reverse=True):
        subprocess.run(["umount", "-l", mp], capture_output=True)
    shutil.rmtree(scratch, ignore_errors=True)


def main():
    global dockerd
    # ---- our own dockerd ---------------------------------------------------
    log = open(os.path.join(scratch, "dockerd.log"), "w")
    dockerd = subprocess.Popen(
        [DOCKERD, "--host", "unix://" + SOCK, "--data-root", os.path.join(scratch, "data"),
         "--exec-root", os.path.join(scratch, "exec"), "--pidfile", os.path.join(scratch, "dockerd.pid"),
         "--storage-driver", "vfs", "--iptables=false", "--ip6tables=false", "--bridge=none",
         "--ip-forward=false", "--ip-masq=false", "--userland-proxy=false", "--log-level=warn",
         "--add-runtime", "wd-runc-bounded=" + os.path.join(HERE, "runc-bounded")],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.time() + 60
    up = False
    while time.time() < deadline and dockerd.poll() is None:
        if os.path.exists(SOCK) and docker("version", timeout=20).returncode == 0:
            up = True
            break
        time.sleep(0.5)
    if not up:
        with open(os.path.join(scratch, "dockerd.log")) as f:
            tail = f.read()[-600:]
        skip_all("dockerd did not start here: " + " ".join(tail.split())[-400:])

    # The same socket under a name that says nothing (a hard link: the same
    # inode, so it connects to the same dockerd): bound in as /run/api.sock,
    # neither end of the bind names a runtime, so only its type (S_ISSOCK)
    # and its answer to GET /version can tell it is a Docker API.
    global ANON
    ANON = os.path.join(scratch, "api-endpoint")
    os.link(SOCK, ANON)

    # ---- the image: busybox-static + the static warden-inspect --------------
    rootfs = os.path.join(scratch, "rootfs")
    for d in ("bin", "proc", "sys", "dev", "etc", "tmp", "host", "run", "var/run"):
        os.makedirs(os.path.join(rootfs, d), exist_ok=True)
    shutil.copy(BUSYBOX, os.path.join(rootfs, "bin", "busybox"))
    for c in ("sh", "cat", "ls", "readlink", "test", "echo", "id"):
        os.symlink("busybox", os.path.join(rootfs, "bin", c))
    shutil.copy(STATIC, os.path.join(rootfs, "bin", "warden-inspect"))
    with open(os.path.join(rootfs, "etc", "passwd"), "w") as f:
        f.write("root:x:0:0:root:/:/bin/sh\nuser:x:1000:1000::/tmp:/bin/sh\n")
    with open(os.path.join(rootfs, "etc", "group"), "w") as f:
        f.write("root:x:0:\nuser:x:1000:\n")
    tar = subprocess.run(["tar", "-C", rootfs, "-c", "."], capture_output=True, timeout=60).stdout
    r = docker("import", "-", "warden-live:1", stdin=tar)
    tap(r.returncode == 0, "image imported offline (busybox-static + static warden-inspect)",
        r.stderr[-300:] if isinstance(r.stderr, bytes) else r.stderr)
    if r.returncode != 0:
        return

    # ---- what this machine is (the expectations follow from it) ------------
    me = status_of(own("/proc/self/status"))
    bnd = int(me["CapBnd"], 16)
    with open("/proc/sys/kernel/cap_last_cap") as f:
        last = int(f.read())
    narrow = [i for i in range(min(last, 40) + 1) if not bnd >> i & 1]
    my_mounts = mounts_of(own("/proc/self/mountinfo"))
    my_net = os.readlink("/proc/self/ns/net")
    my_pid = os.readlink("/proc/self/ns/pid")
    my_root = mount_of(my_mounts, "/")
    host_root_disk = my_root["fstype"] in DISK_FS and my_root["root"] == "/"
    my_proc_sys = mount_of(my_mounts, "/proc/sys/kernel/core_pattern")
    i_am_host_root = me["Uid"].split()[1] == "0" and os.readlink("/proc/self/ns/user") == "user:[%d]" % USER_INIT
    host_core_pattern_writable = (i_am_host_root and "ro" not in my_proc_sys["opts"]
                                  and os.access("/proc/sys/kernel/core_pattern", os.W_OK))

    PROBE = ("cat /proc/self/status; echo @@MOUNTINFO; cat /proc/self/mountinfo; echo @@NS; "
             "for n in net pid user; do readlink /proc/self/ns/$n; done; echo @@EXISTS; "
             "for p in /proc/sys/kernel/modprobe /proc/sysrq-trigger /sys/kernel/uevent_helper "
             "/proc/sys/fs/binfmt_misc/register /proc/sys/kernel/core_pattern /sys/firmware/efi/efivars "
             "/host/sys/fs/cgroup/*/release_agent /sys/fs/cgroup/*/release_agent; do test -e $p && echo $p; done; "
             "echo @@DEV; ls -l /dev; echo @@LSM; cat /proc/self/attr/current 2>/dev/null; echo; "
             "echo @@SOCK; for p in /var/run/docker.sock /run/api.sock; do test -S $p && echo $p; done; "
             "echo @@INSPECT; exec /bin/warden-inspect -f json --no-color --probe-timeout 3000")

    def run(args):
        r = docker("run", "--rm", *args, "warden-live:1", "/bin/sh", "-c", PROBE, timeout=120)
        out = r.stdout
        parts = {}
        key = "STATUS"
        for line in out.splitlines(True):
            if line.startswith("@@") and line.strip()[2:] in ("MOUNTINFO", "NS", "EXISTS", "DEV", "LSM", "SOCK", "INSPECT"):
                key = line.strip()[2:]
                parts[key] = ""
                continue
            parts[key] = parts.get(key, "") + line
        try:
            doc = json.loads(parts.get("INSPECT", ""))
        except ValueError:
            doc = None
        return {"rc": r.returncode, "err": r.stderr, "doc": doc,
                "st": status_of(parts.get("STATUS", "")),
                "mounts": mounts_of(parts.get("MOUNTINFO", "")),
                "ns": parts.get("NS", "").split(),
                "exists": set(parts.get("EXISTS", "").split()),
                "blockdisk": [l.split()[-1] for l in parts.get("DEV", "").splitlines()
                              if l.startswith("b") and l.split()[-1].startswith(("sd", "vd", "xvd", "hd", "nvme", "mmcblk", "dm-", "md", "nbd", "rbd"))],
                "lsm": parts.get("LSM", "").strip(),
                "socks": parts.get("SOCK", "").split()}

    BASE_ROOT = {"inspect.root-user", "inspect.cap-dangerous"}  # uid 0 in the initial userns; DAC_OVERRIDE

    def knobs(c, via=""):
        """The knob rules a root process in the initial user namespace gets
        where /proc/sys and /sys are mounted read-write: those whose file
        exists in the container. None where this machine's root is not the
        host's (the container's root is not either): sysctls are writable
        by the host's root only."""
        if not i_am_host_root:
            return set()
        out = {"inspect.core-pattern-writable", "inspect.proc-sys-writable"}
        for path, rule in (("/proc/sys/kernel/modprobe", "inspect.modprobe-writable"),
                           ("/proc/sysrq-trigger", "inspect.sysrq-trigger-writable"),
                           ("/proc/sys/fs/binfmt_misc/register", "inspect.binfmt-misc-writable")):
            if via + path in c["exists"]:
                out.add(rule)
        return out

    def rules(c):
        return sorted({f["rule"] for f in (c["doc"] or {}).get("findings", [])})

    def sev(c, rule):
        return sorted({f["severity"] for f in (c["doc"] or {}).get("findings", []) if f["rule"] == rule})

    def judge(name, c, want, took_effect, detail=""):
        ok_run = c["doc"] is not None and c["doc"].get("status") == "complete" and c["st"].get("CapEff")
        tap(ok_run, "%s: warden-inspect ran in the container (JSON, status complete)" % name,
            "rc=%s %s %s" % (c["rc"], (c["err"] or "")[-400:], (c["doc"] or {}).get("notes")))
        if not ok_run:
            return
        tap(took_effect, "%s: the scenario took effect inside the container" % name, detail)
        got = rules(c)
        tap(got == sorted(want), "%s: exact rule ids" % name,
            "extra %s missing %s" % (sorted(set(got) - set(want)), sorted(set(want) - set(got))))

    sysadmin_open = None  # computed from the container's own view

    def cap(c, bit):
        return int(c["st"].get("CapEff", "0"), 16) >> bit & 1

    def unconfined(c):
        """AppArmor says the container runs unconfined (privileged, or
        apparmor=unconfined on an AppArmor host): inspect.apparmor-unconfined.
        On a host without AppArmor the attribute is empty and there is no
        such rule."""
        return c["lsm"].startswith("unconfined")

    def mnt_ro(c, path):
        m = mount_of(c["mounts"], path)
        return m is not None and "ro" in m["opts"]

    scenarios = [
        ("default", ["--network", "none"]),
        ("privileged", ["--network", "none", "--privileged"] + (["--runtime", "wd-runc-bounded"] if narrow else [])),
        ("docker socket at /var/run/docker.sock", ["--network", "none", "-v", SOCK + ":/var/run/docker.sock"]),
        ("docker socket as /run/api.sock", ["--network", "none", "-v", ANON + ":/run/api.sock"]),
        ("pid host", ["--network", "none", "--pid=host"]),
        ("network host", ["--network", "host"]),
        ("cap-add SYS_ADMIN, apparmor unconfined", ["--network", "none", "--cap-add", "SYS_ADMIN", "--security-opt", "apparmor=unconfined"]),
        ("seccomp unconfined", ["--network", "none", "--security-opt", "seccomp=unconfined"]),
        ("host root at /host", ["--network", "none", "-v", "/:/host"]),
        ("host root at /host, non-root", ["--network", "none", "-v", "/:/host", "--user", "1000:1000"]),
        ("systempaths unconfined", ["--network", "none", "--security-opt", "systempaths=unconfined"]),
        ("hardened", ["--network", "none", "--user", "1000:1000", "--cap-drop", "ALL", "--read-only",
                      "--security-opt", "no-new-privileges"]),
    ]
    with concurrent.futures.ThreadPoolExecutor(max_workers=3) as ex:
        results = dict(zip([s[0] for s in scenarios], ex.map(lambda s: run(s[1]), scenarios)))

    c = results["default"]
    judge("default", c, BASE_ROOT,
          c["st"].get("CapEff") == "%016x" % DOCKER_DEFAULT_CAPS and c["st"].get("Seccomp") == "2"
          and c["ns"][:1] != [my_net],
          (c["st"].get("CapEff"), c["st"].get("Seccomp"), c["ns"]))

    c = results["privileged"]
    want = BASE_ROOT | {"inspect.privileged", "inspect.cap-sys-admin", "inspect.cap-sys-module",
                        "inspect.cap-sys-ptrace", "inspect.cap-dac-read-search", "inspect.no-seccomp",
                        "inspect.sys-writable"} | knobs(c)
    if unconfined(c):
        want.add("inspect.apparmor-unconfined")
    if c["blockdisk"]:
        want.add("inspect.block-devices")
    if "/sys/kernel/uevent_helper" in c["exists"]:
        want.add("inspect.uevent-helper-writable")
    if any(p.startswith("/sys/fs/cgroup/") for p in c["exists"]):
        want.add("inspect.cgroup-release-agent")
    if "/sys/firmware/efi/efivars" in c["exists"]:
        want.add("inspect.sys-writable")
    sys_m = mount_of(c["mounts"], "/sys")
    name = "privileged" + (" (runc-bounded: bounding set lacks cap(s) %s)" % narrow if narrow else "")
    judge(name, c, want,
          cap(c, 21) and c["st"].get("Seccomp") == "0" and sys_m and "ro" not in sys_m["opts"],
          (c["st"].get("CapEff"), c["st"].get("Seccomp"), sys_m))

    # CAP_SYS_MODULE is a way into the host kernel only where that kernel
    # loads modules: this machine's /proc/modules, modules_disabled and
    # command line say whether it does (the container shares the kernel).
    try:
        disabled = own("/proc/sys/kernel/modules_disabled").strip() == "1"
    except OSError:
        disabled = False
    why = ("no /proc/modules" if not os.path.exists("/proc/modules") else
           "modules_disabled" if disabled else
           "nomodule" if "nomodule" in own("/proc/cmdline").split() else "")
    mod_ev = [f["evidence"] for f in (c["doc"] or {}).get("findings", []) if f["rule"] == "inspect.cap-sys-module"]
    tap(c["doc"] is not None and sev(c, "inspect.cap-sys-module") == (["low"] if why else ["critical"])
        and all(("no module can be loaded" in e) == bool(why) for e in mod_ev),
        "privileged: cap-sys-module %s" % ("low, the kernel loads no modules here (%s)" % why if why
                                           else "critical, the kernel loads modules here"), mod_ev)

    for nm in ("docker socket at /var/run/docker.sock", "docker socket as /run/api.sock"):
        c = results[nm]
        path = nm.split()[-1]
        judge(nm, c, BASE_ROOT | {"inspect.docker-socket", "inspect.docker-socket-live"},
              path in c["socks"] and any(m["mp"] == path for m in c["mounts"]), (c["socks"],))

    c = results["pid host"]
    want = set(BASE_ROOT)
    if my_pid == "pid:[%d]" % PID_INIT:
        want.add("inspect.host-pid-ns")
    judge("pid host" + ("" if my_pid == "pid:[%d]" % PID_INIT else " (this machine's PID namespace is not the initial one)"),
          c, want, len(c["ns"]) > 1 and c["ns"][1] == my_pid, (c["ns"], my_pid))

    c = results["network host"]
    if my_net == "net:[%d]" % NET_INIT:
        judge("network host", c, BASE_ROOT | {"inspect.host-net-ns"}, c["ns"][:1] == [my_net], (c["ns"], my_net))
        # The host's services through unix sockets: at least this suite's
        # own dockerd and containerd listen in the host's network
        # namespace; the names shown are sorted (the kernel's order is a
        # hash's) and each is a path or an abstract name.
        ev = [f["evidence"] for f in (c["doc"] or {}).get("findings", []) if f["rule"] == "inspect.host-net-ns"]
        tail = ev[0].split(" listening unix socket(s) of the host's network namespace: ", 1) if ev else []
        names = tail[1].split(" and ")[0].split(", ") if len(tail) == 2 else []
        count = int(tail[0].rsplit("; ", 1)[-1]) if len(tail) == 2 and tail[0].rsplit("; ", 1)[-1].isdigit() else 0
        tap(count >= 2 and names and names == sorted(names) and all(x[:1] in ("/", "@") for x in names),
            "network host: the host's listening unix sockets are counted and named, sorted", ev)
    else:
        tap(True, "network host: exact rule ids", skip="this machine's network namespace is not the initial one with a fixed inode (kernel < 6.18 or nested): only a heuristic could tell")

    c = results["cap-add SYS_ADMIN, apparmor unconfined"]
    v1 = any(m["fstype"] == "cgroup" for m in c["mounts"])
    confined = bool(c["lsm"]) and not c["lsm"].startswith("unconfined")
    judge("cap-add SYS_ADMIN, apparmor unconfined", c,
          BASE_ROOT | {"inspect.cap-sys-admin"} | ({"inspect.apparmor-unconfined"} if unconfined(c) else set()),
          cap(c, 21) == 1, c["st"].get("CapEff"))
    sysadmin_open = v1 and not confined and i_am_host_root
    tap(sev(c, "inspect.cap-sys-admin") == (["critical"] if sysadmin_open else ["high"]),
        "cap-add SYS_ADMIN: critical exactly when cgroup v1 is in use, no LSM confines and userns is initial (%s)"
        % ("open here" if sysadmin_open else "not open here"), sev(c, "inspect.cap-sys-admin"))

    c = results["seccomp unconfined"]
    judge("seccomp unconfined", c, BASE_ROOT | {"inspect.no-seccomp"}, c["st"].get("Seccomp") == "0",
          c["st"].get("Seccomp"))

    c = results["host root at /host"]
    want = set(BASE_ROOT) | {"inspect.host-dir-mount"}  # the host's procfs at /host/proc
    if host_root_disk:
        want.add("inspect.host-root-mount")
    if host_core_pattern_writable:
        want |= knobs(c, "/host")
    agents = [p for p in c["exists"] if p.startswith("/host/sys/fs/cgroup/")]
    judge("host root at /host", c, want, any(m["mp"] == "/host" for m in c["mounts"]) and not cap(c, 21),
          [m["mp"] for m in c["mounts"]][:5])
    procs = [f["evidence"] for f in (c["doc"] or {}).get("findings", []) if f["rule"] == "inspect.host-dir-mount"]
    tap(procs and all("/host/proc " in e for e in procs),
        "host root at /host: the only second procfs is the host's (/host/proc), not /proc seen through the bind", procs)
    tap(c["doc"] is not None and c["doc"].get("status") == "complete"
        and "inspect.cgroup-release-agent" not in rules(c),
        "host root at /host: %d release_agent file(s) visible, none judged writable without CAP_SYS_ADMIN" % len(agents),
        rules(c))

    # Its twin: the same host root, as uid 1000 with no capability: the
    # host's sysctls are writable by the host's root only, so no knob; the
    # host's / and its /proc are still mounted; a non-root process without
    # no_new_privs keeps its way up through setuid binaries.
    c = results["host root at /host, non-root"]
    want = {"inspect.host-dir-mount", "inspect.no-new-privs"}
    if host_root_disk:
        want.add("inspect.host-root-mount")
    judge("host root at /host, non-root", c, want,
          any(m["mp"] == "/host" for m in c["mounts"]) and c["st"].get("Uid", "").split()[:1] == ["1000"]
          and c["st"].get("CapEff") == "0000000000000000" and c["st"].get("NoNewPrivs") == "0",
          (c["st"].get("Uid"), c["st"].get("CapEff"), c["st"].get("NoNewPrivs")))

    c = results["systempaths unconfined"]
    want = BASE_ROOT | knobs(c)
    judge("systempaths unconfined", c, want, not mnt_ro(c, "/proc/sys/kernel/core_pattern"),
          mount_of(c["mounts"], "/proc/sys/kernel/core_pattern"))

    c = results["hardened"]
    root_m = mount_of(c["mounts"], "/")
    judge("hardened", c, set(),
          c["st"].get("CapEff") == "0000000000000000" and c["st"].get("NoNewPrivs") == "1"
          and c["st"].get("Uid", "").split()[:1] == ["1000"] and root_m and "ro" in root_m["opts"],
          (c["st"].get("CapEff"), c["st"].get("NoNewPrivs"), c["st"].get("Uid"), root_m))


t0 = time.time()
try:
    main()
finally:
    teardown()
left = pids_under(scratch)
tap(not left and not os.path.exists(scratch), "teardown: no process and no mount left (%.0fs)" % (time.time() - t0), left)
plan()
sys.exit(1 if failures else 0)
