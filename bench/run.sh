#!/usr/bin/env bash
# make bench: figures measured in one run on this machine, reported as
# ratios against a reference tool on the same target (the machines are
# shared and noisy: never compare absolute numbers across runs).
#  0. the scan path (bench/scan/run.sh): `warden scan --spec` of thousands
#     of paths vs wrk and h2load on the same nginx, several rounds; peak
#     RSS by body size and spec size. This is the headline.
#  1. the HTTP engine alone (bench_engine: no scan, no judges, one URL) vs
#     wrk: an upper bound for the engine, not what a scan reaches.
#  2. a full default scan of one lab service (echo-vuln): wall time
#     (target < 2 s), median of 5.
#  3. the iac and inspect benchmarks, when present; bench/fleet: peak RSS
#     by number of targets of one `warden scan -l` run.
set -eu
REL=${1:-build-rel}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
CONC=${BENCH_CONCURRENCY:-32}
N=${BENCH_REQUESTS:-100000}
work=$(mktemp -d)
chmod 755 "$work"  # nginx workers drop to an unprivileged user
cleanup() {
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  bash tests/lab/labctl.sh stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$work/www"
printf '{"status":"ok"}\n' > "$work/www/index.json"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$port;
    root $work/www;
    location / { try_files \$uri /index.json; }
  }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" 2>/dev/null
sleep 0.3
url="http://127.0.0.1:$port/index.json"

bash bench/scan/run.sh "$REL"

echo "== the HTTP engine alone (bench_engine, not the scan path): vs wrk, nginx on 127.0.0.1, $CONC connections"
wrk_out=$(wrk -t1 -c"$CONC" -d5s "$url" 2>&1)
wrk_rps=$(printf '%s\n' "$wrk_out" | awk '/Requests\/sec/ {print $2}')
wd_out=$("$REL/bench/bench_engine" "$url" "$N" "$CONC")
wd_rps=$(printf '%s\n' "$wd_out" | sed -n 's/.*rps=\([0-9]*\).*/\1/p')
echo "wrk:    $wrk_rps req/s"
echo "warden: $wd_rps req/s ($wd_out)"
/usr/bin/python3 -c "print('ratio engine alone/wrk: %.2f (the engine without a scan around it)' % ($wd_rps / $wrk_rps))"

echo "== full default scan of the echo-vuln lab service"
LAB_DIR="$top/$REL/lab" bash tests/lab/labctl.sh start >/dev/null
target=$(cat "$top/$REL/lab/run/echo-vuln.url")
times=""
for i in 1 2 3 4 5; do
  t0=$(date +%s.%N)
  "$REL/warden" scan -q -f json "$target" >/dev/null || true
  t1=$(date +%s.%N)
  times="$times $(echo "$t1 - $t0" | bc)"
done
/usr/bin/python3 -c "import statistics,sys; v=sorted(map(float,sys.argv[1:])); print('full scan wall time: median %.3f s, min %.3f s, max %.3f s (target < 2 s)' % (statistics.median(v), v[0], v[-1]))" $times
LAB_DIR="$top/$REL/lab" bash tests/lab/labctl.sh stop >/dev/null

for b in bench/iac/run.sh bench/inspect/run.sh bench/auth/run.sh bench/catalogue/run.sh bench/fleet/run.sh; do
  if [ -f "$b" ]; then
    echo "== $b"
    bash "$b" "$REL"
  fi
done
