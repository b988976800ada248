"""A scratch PostgreSQL cluster for the history suites: Debian's
postgresql-15 server binaries, initdb in a fresh directory, listening on a
private port of 127.0.0.1 only (no Unix socket outside that directory),
run as an unprivileged user (as root: `nobody` through runuser, since
PostgreSQL refuses to run as root). Trust authentication for the one
local user `warden`; fsync off (scratch data). stop() removes everything.
"""
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time

from harness import free_port, owns_port


def bindir():
    for d in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(d, "postgres")) and os.path.exists(os.path.join(d, "initdb")):
            return d
    return None


class Postgres:
    def __init__(self):
        self.bin = bindir()
        if not self.bin:
            raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql-15)")
        self.root = tempfile.mkdtemp(prefix="warden-pg-")
        os.chmod(self.root, 0o755)
        self.data = os.path.join(self.root, "data")
        self.proc = None
        self.as_user = []
        if os.geteuid() == 0:
            pw = pwd.getpwnam("nobody")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
            self.as_user = ["runuser", "-u", "nobody", "--"]
        # initdb costs most of the start-up: one fresh template per
        # machine and server version, copied for each cluster.
        tpl = os.path.join(tempfile.gettempdir(), "warden-pg-template-%d-%s" % (
            os.geteuid(), os.path.basename(os.path.dirname(self.bin))))
        if not os.path.exists(os.path.join(tpl, "PG_VERSION")):
            tmp = tpl + ".%d" % os.getpid()
            shutil.rmtree(tmp, ignore_errors=True)
            self._run([os.path.join(self.bin, "initdb"), "-D", os.path.join(self.root, "tpl"),
                       "-U", "warden", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"])
            shutil.copytree(os.path.join(self.root, "tpl"), tmp, symlinks=True)
            shutil.rmtree(os.path.join(self.root, "tpl"), ignore_errors=True)
            try:
                os.rename(tmp, tpl)
            except OSError:
                shutil.rmtree(tmp, ignore_errors=True)  # another run made it first
        shutil.copytree(tpl, self.data, symlinks=True)
        os.chmod(self.data, 0o700)
        if self.as_user:
            pw = pwd.getpwnam("nobody")
            for d, dirs, files in os.walk(self.data):
                os.chown(d, pw.pw_uid, pw.pw_gid)
                for f in files:
                    os.lchown(os.path.join(d, f), pw.pw_uid, pw.pw_gid)
        # The port is chosen before postgres binds it: another process may
        # take it first (postgres then exits) or hold it already (another
        # worktree's cluster would answer pg_isready). Ready only when the
        # cluster holds the port itself; else again on another port.
        logpath = os.path.join(self.root, "server.log")
        for _ in range(5):
            self.port = free_port()
            self.proc = subprocess.Popen(
                self.as_user + [os.path.join(self.bin, "postgres"), "-D", self.data,
                                "-h", "127.0.0.1", "-p", str(self.port), "-k", self.root,
                                "-c", "fsync=off", "-c", "synchronous_commit=off",
                                "-c", "full_page_writes=off", "-c", "max_connections=50"],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=open(logpath + ".stderr", "w") if not self.as_user else subprocess.DEVNULL)
            deadline = time.time() + 60
            while time.time() < deadline and self.proc.poll() is None:
                r = subprocess.run([os.path.join(self.bin, "pg_isready"), "-h", "127.0.0.1",
                                    "-p", str(self.port), "-U", "warden"], capture_output=True)
                if r.returncode == 0 and owns_port(self.proc.pid, self.port):
                    return
                time.sleep(0.2)
            self.stop(keep=True)
        self.stop()
        raise RuntimeError("postgres did not start on a port of its own")

    def _run(self, cmd):
        p = subprocess.run(self.as_user + cmd, capture_output=True, text=True, cwd=self.root)
        if p.returncode != 0:
            raise RuntimeError("%s: %s" % (cmd[0], (p.stdout + p.stderr)[-500:]))

    def createdb(self, name):
        self.psql("postgres", "CREATE DATABASE %s" % name)
        return self.uri(name)

    def uri(self, name):
        return "postgresql://warden@127.0.0.1:%d/%s" % (self.port, name)

    def psql(self, db, sql):
        """Runs sql; returns the rows as lists of strings (unaligned, tuples only)."""
        p = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-q", "-A", "-t", "-F", "\t",
                            "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(self.port),
                            "-U", "warden", "-d", db, "-c", sql], capture_output=True, text=True)
        if p.returncode != 0:
            raise RuntimeError("psql: " + p.stderr[-400:])
        return [ln.split("\t") for ln in p.stdout.splitlines() if ln]

    def stop(self, keep=False):
        """Stops the server; removes its files unless keep (to start it
        again)."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # smart shutdown would wait; SIGTERM is fast
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if not keep:
            shutil.rmtree(self.root, ignore_errors=True)
