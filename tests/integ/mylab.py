"""A scratch MariaDB server for the input-validation suite, as pglab.py is
for PostgreSQL: Debian's mariadbd (mariadb-server-core), its system tables
made by mariadb-install-db in a fresh directory (once per machine and
server version, copied for each server), listening on a private port of
127.0.0.1 with its Unix socket inside that directory. As root, mariadbd
drops to `nobody` itself (--user); else it runs as the caller. One local
user `warden` without a password, from 127.0.0.1 only; small InnoDB files
and no flushing (scratch data). stop() ends the server by its PID and
removes everything.
"""
import os
import pwd
import shutil
import subprocess
import tempfile
import time

from harness import free_port, owns_port

MARIADBD = "/usr/sbin/mariadbd"
INSTALL_DB = "/usr/bin/mariadb-install-db"
CLIENT = "/usr/bin/mariadb"
# Small files and no flushing: the InnoDB defaults (a 96 MB redo log, a
# 128 MB buffer pool) cost time and disk for a table of two rows.
SMALL = ["--innodb-log-file-size=4M", "--innodb-buffer-pool-size=16M", "--skip-name-resolve",
         "--innodb-flush-log-at-trx-commit=0", "--skip-log-bin", "--max-connections=50"]


def available():
    """The server, the install script and the client (which the install
    script needs for my_print_defaults, and the suite for its SQL)."""
    return all(os.access(p, os.X_OK) for p in (MARIADBD, INSTALL_DB, CLIENT))


def version():
    """The server's version ("mariadbd  Ver 10.11.19-MariaDB-... for ...")."""
    w = subprocess.run([MARIADBD, "--version"], capture_output=True, text=True).stdout.split()
    return w[w.index("Ver") + 1] if "Ver" in w[:-1] else "unknown"


class MariaDB:
    def __init__(self):
        if not available():
            raise RuntimeError("MariaDB not found (apt-get install mariadb-server-core mariadb-client-core)")
        self.root = tempfile.mkdtemp(prefix="warden-my-")
        os.chmod(self.root, 0o755)
        self.data = os.path.join(self.root, "data")
        self.sock = os.path.join(self.root, "sock")
        self.proc = None
        self.port = 0
        self.user = []
        self.owner = None
        if os.geteuid() == 0:
            # mariadbd refuses root unless told; it switches to this user.
            self.owner = pwd.getpwnam("nobody")
            self.user = ["--user=nobody"]
        try:
            self._start()
        except BaseException:
            self.stop()
            raise

    def _template(self):
        tpl = os.path.join(tempfile.gettempdir(), "warden-my-template-%d-%s" % (os.geteuid(), version()))
        if os.path.isdir(os.path.join(tpl, "mysql")):
            return tpl
        tmp = tpl + ".%d" % os.getpid()
        shutil.rmtree(tmp, ignore_errors=True)
        p = subprocess.run([INSTALL_DB, "--no-defaults", "--datadir=" + tmp, "--skip-test-db",
                            "--auth-root-authentication-method=normal",
                            "--user=" + (self.owner.pw_name if self.owner else pwd.getpwuid(os.geteuid()).pw_name)]
                           + SMALL, capture_output=True, text=True, cwd=self.root, timeout=120)
        if p.returncode != 0 or not os.path.isdir(os.path.join(tmp, "mysql")):
            shutil.rmtree(tmp, ignore_errors=True)
            raise RuntimeError("mariadb-install-db: " + (p.stdout + p.stderr)[-500:])
        try:
            os.rename(tmp, tpl)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)  # another run made it first
        return tpl

    def _start(self):
        shutil.copytree(self._template(), self.data, symlinks=True)
        os.chmod(self.data, 0o700)
        if self.owner:
            os.chown(self.root, self.owner.pw_uid, self.owner.pw_gid)
            for d, dirs, files in os.walk(self.data):
                os.chown(d, self.owner.pw_uid, self.owner.pw_gid)
                for f in files:
                    os.lchown(os.path.join(d, f), self.owner.pw_uid, self.owner.pw_gid)
        # The port is chosen before mariadbd binds it: another process may
        # take it first (mariadbd then exits) or hold it already (another
        # worktree's server would answer). Ready only when this server
        # holds the port itself; else again on another port.
        for _ in range(5):
            self.port = free_port()
            self.proc = subprocess.Popen(
                [MARIADBD, "--no-defaults", "--datadir=" + self.data, "--socket=" + self.sock,
                 "--pid-file=" + os.path.join(self.root, "mariadbd.pid"),
                 "--log-error=" + os.path.join(self.root, "error.log"),
                 "--bind-address=127.0.0.1", "--port=%d" % self.port] + self.user + SMALL,
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.time() + 60
            while time.time() < deadline and self.proc.poll() is None:
                if owns_port(self.proc.pid, self.port) and self._try("root", "SELECT 1"):
                    self.sql("root", "", "CREATE USER 'warden'@'127.0.0.1'")
                    return
                time.sleep(0.2)
            self._end()
        raise RuntimeError("mariadbd did not start on a port of its own: " + self.log()[-500:])

    def log(self):
        try:
            with open(os.path.join(self.root, "error.log"), errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def _client(self, user, db, sql):
        return subprocess.run([CLIENT, "--no-defaults", "-h", "127.0.0.1", "-P", str(self.port), "-u", user,
                               "--batch", "--skip-column-names", "-e", sql] + ([db] if db else []),
                              capture_output=True, text=True, timeout=30)

    def _try(self, user, sql):
        try:
            return self._client(user, "", sql).returncode == 0
        except subprocess.TimeoutExpired:
            return False

    def sql(self, user, db, sql):
        """Runs sql through the client over TCP; the rows as lists of strings."""
        p = self._client(user, db, sql)
        if p.returncode != 0:
            raise RuntimeError("mariadb: " + p.stderr[-400:])
        return [ln.split("\t") for ln in p.stdout.splitlines() if ln]

    def createdb(self, name):
        """A database the user warden may use; its URL for the apis lab."""
        self.sql("root", "", "CREATE DATABASE %s; GRANT ALL ON %s.* TO 'warden'@'127.0.0.1'" % (name, name))
        return "mysql://warden@127.0.0.1:%d/%s" % (self.port, name)

    def _end(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: mariadbd shuts down cleanly
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def stop(self):
        """Stops the server and removes its files."""
        self._end()
        shutil.rmtree(self.root, ignore_errors=True)
