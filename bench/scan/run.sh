#!/usr/bin/env bash
# bench/scan/run.sh BUILD_DIR: the real scan path, measured (issue 13).
#  1. `warden scan --spec` of a generated spec of thousands of GET paths
#     against a private nginx on 127.0.0.1: requests/s from the report
#     (requests / seconds) and CPU per request (the process's rusage),
#     against wrk and h2load (HTTP/1.1, the same connections) on the same
#     nginx in the same run; several rounds; min and median of the ratios.
#     What is timed: the report's `seconds` run from the first request to
#     the end of judging (scan_run's t0 is taken after the spec is read and
#     the catalogue loaded), so the rate is the scan's sending-and-judging
#     phase, the part that compares to h2load. The CPU per request is
#     shown twice: the whole process (rusage, spec parse included) and the
#     timed window (the whole minus a run of the same command against a
#     closed port, which reads the spec and stops at the first request).
#  1b. The floor under it: bench_bare, a bare libcurl multi client doing
#     only the same GETs with the engine's loop (no scan, no judges), on
#     the same nginx in the same rounds: what libcurl's multi interface,
#     which the project mandates, reaches against h2load by itself.
#  2. Peak RSS of a scan by body size (1,000 paths answered with 1 KiB,
#     64 KiB, 512 KiB) and of the spec parse by spec size (bench_spec).
# Everything on 127.0.0.1; nginx is Debian's.
set -eu
BUILD=${1:-build-rel}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
command -v nginx >/dev/null || { echo "bench/scan: nginx missing: skipped"; exit 0; }
work=$(mktemp -d)
chmod 755 "$work"
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/www" "$work/tmp"
printf '{"status":"ok"}\n' > "$work/www/index.json"
/usr/bin/python3 - "$work/www" <<'PY'
import sys
for name, size in (("b1k", 1024), ("b64k", 64 * 1024), ("b512k", 512 * 1024)):
    rec = '{"id":1,"name":"item","note":"nothing to see here"},'
    body = ('[' + rec * (size // len(rec) + 1))[:size - 1] + ']'
    open("%s/%s.json" % (sys.argv[1], name), "w").write(body)
PY
chmod -R a+rX "$work/www"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  default_type application/json;
  keepalive_requests 1000000;
  client_body_temp_path $work/tmp;
  proxy_temp_path $work/tmp;
  fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp;
  scgi_temp_path $work/tmp;
  server {
    listen 127.0.0.1:$port;
    root $work/www;
    location /b1k/ { try_files /b1k.json =404; }
    location /b64k/ { try_files /b64k.json =404; }
    location /b512k/ { try_files /b512k.json =404; }
    location / { try_files \$uri /index.json; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" 2>/dev/null
sleep 0.3

/usr/bin/python3 - "$BUILD" "$work" "$port" <<'PY'
import json, os, re, shutil, socket, statistics, subprocess, sys, time
build, work, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
warden = os.path.join(build, "warden")
base = "http://127.0.0.1:%d" % port
CONC = int(os.environ.get("BENCH_CONCURRENCY", "32"))
PATHS = int(os.environ.get("BENCH_SPEC_PATHS", "5000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))

def spec(n, prefix):
    d = {"openapi": "3.0.3", "info": {"title": "bench", "version": "1"}, "paths": {}}
    for i in range(n):
        d["paths"]["%s/r%d" % (prefix, i)] = {"get": {"responses": {"200": {"description": "ok"}}}}
    f = os.path.join(work, "spec-%s-%d.json" % (prefix.strip("/") or "root", n))
    json.dump(d, open(f, "w"))
    return f

def measured(argv):
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    out = p.stdout.read()
    _, st, ru = os.wait4(p.pid, 0)
    return out, time.monotonic() - t0, ru

def scan(specf):
    out, wall, ru = measured([warden, "scan", "-q", "-f", "json", "--no-discovery",
                              "-c", str(CONC), "--max-time", "600", "--spec", specf, base + "/"])
    doc = json.loads(out)
    req, sec = doc["requests"], doc["seconds"]
    return req / sec, (ru.ru_utime + ru.ru_stime) / req * 1e6, ru.ru_maxrss / 1024.0, doc

def pre_window_cpu(specf):
    # The same scan against a closed port: the spec is read, the catalogue
    # loaded, the first request refused, the scan stops (exit 3).
    s = socket.socket(); s.bind(("127.0.0.1", 0)); dead = s.getsockname()[1]; s.close()
    _, _, ru = measured([warden, "scan", "-q", "-f", "json", "--no-discovery", "-c", str(CONC),
                         "--spec", specf, "http://127.0.0.1:%d/" % dead])
    return ru.ru_utime + ru.ru_stime

def bare(n):
    out, wall, ru = measured([os.path.join(build, "bench", "bench_bare"), base, str(n), str(CONC)])
    m = re.search(r"requests=(\d+) seconds=([\d.]+)", out.decode())
    req = int(m.group(1))
    return req / float(m.group(2)), (ru.ru_utime + ru.ru_stime) / req * 1e6

def wrk():
    out = subprocess.run(["wrk", "-t1", "-c%d" % CONC, "-d5s", base + "/index.json"],
                         capture_output=True, text=True).stdout
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

def h2load():
    if not shutil.which("h2load"):
        return None, None
    out, _, ru = measured(["h2load", "--h1", "-t1", "-c%d" % CONC, "-n", "100000",
                           base + "/index.json"])
    m = re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", out.decode())
    return (float(m.group(1)), (ru.ru_utime + ru.ru_stime) / 100000 * 1e6) if m else (None, None)

print("== the scan path: warden scan --spec (%d GET paths) vs wrk and h2load --h1, nginx on "
      "127.0.0.1, %d connections, %d rounds" % (PATHS, CONC, ROUNDS))
sf = spec(PATHS, "")
pre = pre_window_cpu(sf)
rows = []
for r in range(ROUNDS):
    w_rps, w_cpu_us, _, doc = scan(sf)
    w_win_us = w_cpu_us - pre / doc["requests"] * 1e6
    k = wrk()
    h, h_cpu = h2load()
    b, b_cpu = bare(PATHS)
    rows.append((w_rps, w_cpu_us, k, h, b, w_win_us, h_cpu, b_cpu))
    print("round %d: warden %7.0f req/s (%d requests, %.1f us CPU/request, %.1f in the timed window, "
          "status %s); wrk %7.0f req/s; h2load %s; bare libcurl multi %7.0f req/s (%.1f us CPU/request)"
          % (r + 1, w_rps, doc["requests"], w_cpu_us, w_win_us, doc["status"], k,
             "%7.0f req/s (%.1f us CPU/request)" % (h, h_cpu) if h else "missing", b, b_cpu))
rk = [row[0] / row[2] for row in rows]
print("ratio warden/wrk:    min %.2f, median %.2f" % (min(rk), statistics.median(rk)))
if all(row[3] for row in rows):
    rh = [row[0] / row[3] for row in rows]
    print("ratio warden/h2load: min %.2f, median %.2f (goal >= 0.7)" % (min(rh), statistics.median(rh)))
    rb = [row[4] / row[3] for row in rows]
    print("ratio bare libcurl multi/h2load: min %.2f, median %.2f (the floor: warden does all this "
          "and judges)" % (min(rb), statistics.median(rb)))
    print("CPU per request, median: h2load %.1f us, bare libcurl multi %.1f us"
          % (statistics.median([row[6] for row in rows]), statistics.median([row[7] for row in rows])))
print("CPU per scan request: median %.1f us (%.1f us in the timed window)"
      % (statistics.median([row[1] for row in rows]), statistics.median([row[5] for row in rows])))

print("== peak RSS of a scan by body size (1,000 GET paths)")
for prefix, label in (("/b1k", "1 KiB"), ("/b64k", "64 KiB"), ("/b512k", "512 KiB")):
    _, _, rss, doc = scan(spec(1000, prefix))
    print("bodies of %-7s: peak RSS %5.0f MB (%d requests, status %s)"
          % (label, rss, doc["requests"], doc["status"]))

print("== spec parse: peak RSS beyond the text (bench_spec)")
for n in (1000, 10000, 30000):
    f = os.path.join(work, "gen%d.json" % n)
    subprocess.run(["/usr/bin/python3", "bench/scan/gen_spec.py", f, str(n)], check=True)
    out = subprocess.run([os.path.join(build, "bench", "bench_spec"), f], capture_output=True,
                         text=True).stdout.strip()
    print("%6d operations: %s" % (n, out))
PY

echo "== judging bodies without a network (bench_judge: every check's judge, 256 KiB JSON bodies)"
"$BUILD/bench/bench_judge" 200 262144
