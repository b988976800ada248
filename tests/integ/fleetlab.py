"""Loopback services for the multi-target suites (test_fleet.py,
test_history.py, bench/fleet): one real nginx listening on many ports of
127.0.0.1, and a scratch PostgreSQL cluster (initdb, a private port on
127.0.0.1, run as an unprivileged user). Everything lives under a
directory the caller gives and is stopped by stop()."""
import os
import random
import shutil
import signal
import socket
import subprocess
import time

from harness import owns_port

NGINX_CONF = """worker_processes 1;
worker_rlimit_nofile 8192;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    server_tokens off;
    keepalive_requests 1000000;
    default_type application/json;
    # Hardened: the same answer as the vulnerable twin, without the
    # wildcard CORS that reflects any origin with credentials.
    server {{
{hard_listen}
        add_header X-Content-Type-Options nosniff always;
        location = / {{ return 200 '{{"service":"fleet","port":"$server_port"}}\\n'; }}
        location / {{ return 404 '{{"error":"not found"}}\\n'; }}
    }}
    # Vulnerable: any Origin is reflected and credentials are allowed.
    server {{
{vuln_listen}
        add_header X-Content-Type-Options nosniff always;
        add_header Access-Control-Allow-Origin $http_origin always;
        add_header Access-Control-Allow-Credentials true always;
        location = / {{ return 200 '{{"service":"fleet","port":"$server_port"}}\\n'; }}
        location / {{ return 404 '{{"error":"not found"}}\\n'; }}
    }}
}}
"""


def free_ports(n):
    """n distinct ports free on 127.0.0.1 right now (held open while
    choosing, so no port is picked twice)."""
    socks, ports = [], []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in socks:
            s.close()
    return ports


class Nginx:
    """One nginx master listening on len(hard)+len(vuln) loopback ports."""

    def __init__(self, root, nhard, nvuln=0):
        self.dir = os.path.join(root, "nginx-fleet")
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        os.chmod(self.dir, 0o755)
        os.chmod(os.path.join(self.dir, "tmp"), 0o755)
        self.proc = None
        for attempt in range(3):
            ports = free_ports(nhard + nvuln)
            self.hard = ports[:nhard]
            self.vuln = ports[nhard:]
            conf = NGINX_CONF.format(
                dir=self.dir,
                hard_listen="\n".join("        listen 127.0.0.1:%d;" % p for p in self.hard)
                or "        listen 127.0.0.1:%d;" % free_ports(1)[0],
                vuln_listen="\n".join("        listen 127.0.0.1:%d;" % p for p in self.vuln)
                or "        listen 127.0.0.1:%d;" % free_ports(1)[0])
            path = os.path.join(self.dir, "nginx.conf")
            with open(path, "w") as f:
                f.write(conf)
            self.log = open(os.path.join(self.dir, "out.log"), "w")
            self.proc = subprocess.Popen(
                ["nginx", "-p", self.dir, "-c", path, "-e", os.path.join(self.dir, "error.log"),
                 "-g", "daemon off;"], stdin=subprocess.DEVNULL, stdout=self.log,
                stderr=subprocess.STDOUT)
            if self._ready():
                return
            self.stop()
        raise RuntimeError("nginx did not start: " + open(os.path.join(self.dir, "error.log")).read()[-500:])

    def _ready(self):
        # Every port listening in the nginx master's own fd table: a port
        # another process took after free_ports chose it makes nginx exit
        # (or would answer for it), and the caller tries other ports.
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                return False
            if all(owns_port(self.proc.pid, p) for p in self.hard + self.vuln):
                return True
            time.sleep(0.1)
        return False

    def urls(self, which=None):
        ports = self.hard + self.vuln if which is None else getattr(self, which)
        return ["http://127.0.0.1:%d/" % p for p in ports]

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
