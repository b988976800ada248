"""TCP_NODELAY on every socket warden opens to a TLS target (issue 13):
the raw TLS probes (src/net/net_tls.c, handshake-level checks) write a
handshake flight and wait for the answer; without TCP_NODELAY, Nagle holds
the next flight until the peer's delayed ACK (~40 ms per probe). libcurl
sets it on its own sockets; this proves the raw probe sockets have it too.

Seen from the outside, not by timing: the scan runs under strace (socket,
setsockopt, connect, close), and every socket connected to the test's TLS
port must have had TCP_NODELAY set between its socket() and its
connect(). The target is a small TLS server on 127.0.0.1 with a
self-signed certificate made here (tls.cert-self-signed, which only the
raw probe reports, proves the raw probe ran)."""
import http.server
import json
import os
import re
import shutil
import ssl
import subprocess
import tempfile
import threading

from harness import WARDEN, check, done, skip

tmp = tempfile.mkdtemp(prefix="warden-nodelay-")


class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        body = b'{"ok":true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_OPTIONS = do_GET

    def log_message(self, *a):
        pass


def sockets_of(trace, port):
    """[(fd, nodelay set before connect, raw)] for each connect() to port;
    raw: opened with SOCK_CLOEXEC, as net_tls.c opens its probe sockets
    (libcurl's are not)."""
    nodelay, raw = {}, {}
    out = []
    for ln in trace.splitlines():
        m = re.search(r"\bsocket\((.*)\) = (\d+)$", ln)
        if m:
            nodelay[m.group(2)] = False
            raw[m.group(2)] = "SOCK_CLOEXEC" in m.group(1)
            continue
        m = re.search(r"\bsetsockopt\((\d+), SOL_TCP, TCP_NODELAY, \[1\]", ln)
        if m:
            nodelay[m.group(1)] = True
            continue
        m = re.search(r"\bconnect\((\d+), \{sa_family=AF_INET6?, sin6?_port=htons\((\d+)\)", ln)
        if m and int(m.group(2)) == port:
            out.append((m.group(1), nodelay.get(m.group(1), False), raw.get(m.group(1), False)))
    return out


if not shutil.which("strace") or not shutil.which("openssl"):
    skip("TCP_NODELAY on the TLS probe sockets", "strace or openssl not installed")
    done()

cert, key = os.path.join(tmp, "c.pem"), os.path.join(tmp, "k.pem")
subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
srv.daemon_threads = True
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
threading.Thread(target=srv.serve_forever, daemon=True).start()
port = srv.server_address[1]
url = "https://127.0.0.1:%d/" % port
try:
    trace_file = os.path.join(tmp, "trace.txt")
    p = subprocess.run(["strace", "-f", "-qq", "-e", "trace=socket,setsockopt,connect,close",
                        "-o", trace_file, WARDEN, "scan", "--burst", "0", "-q", "-f", "json",
                        "--no-discovery", "-k", url], capture_output=True, text=True, timeout=300)
    try:
        with open(trace_file) as f:
            trace = f.read()
    except OSError:
        trace = ""
    if p.returncode != 0 and "ptrace" in p.stderr and "Operation not permitted" in p.stderr:
        skip("TCP_NODELAY on the TLS probe sockets", "ptrace not permitted here")
        done()
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = {}
    rules = sorted({f["rule"] for f in doc.get("findings", [])})
    check("the TLS scan ran (complete, requests sent, the raw probe's tls.cert-self-signed)",
          doc.get("status") == "complete" and doc.get("requests", 0) > 0
          and "tls.cert-self-signed" in rules, (p.returncode, doc.get("status"), rules,
                                                p.stderr[-300:]))
    socks = sockets_of(trace, port)
    check("sockets to the TLS port from libcurl and from the raw probe (SOCK_CLOEXEC) seen",
          any(r for _, _, r in socks) and any(not r for _, _, r in socks),
          (socks, trace[-600:]))
    check("every socket to the TLS port had TCP_NODELAY set before connect()",
          socks and all(nd for _, nd, _ in socks), socks)
finally:
    srv.shutdown()
    shutil.rmtree(tmp, ignore_errors=True)
done()
