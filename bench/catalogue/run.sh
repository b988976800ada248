#!/usr/bin/env bash
# make bench, catalogue part: (1) judging cost per response byte as the
# catalogue grows (bench_sig: flat with the path index, vs the naive pass
# per signature); (2) a full default scan, with the full catalogue, of a
# real service of the lab (prometheus-vuln): wall time and requests,
# median of 5 (target < 2 s).
set -eu
REL=${1:-build-rel}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
echo "-- judging cost per response byte"
"$REL/bench/bench_sig"
echo "-- default scan with the full catalogue (prometheus-vuln, real Prometheus)"
LAB_DIR="$top/$REL/lab" bash tests/lab/labctl.sh start >/dev/null
trap 'LAB_DIR="$top/$REL/lab" bash tests/lab/labctl.sh stop >/dev/null 2>&1 || true' EXIT
url_file="$top/$REL/lab/run/prometheus-vuln.url"
if [ ! -f "$url_file" ]; then
  echo "SKIP: prometheus-vuln did not start ($(cat "$top/$REL/lab/run/prometheus-vuln.skip" 2>/dev/null))"
  exit 0
fi
target=$(cat "$url_file")
times="" reqs=""
for i in 1 2 3 4 5; do
  t0=$(date +%s.%N)
  out=$("$REL/warden" scan -q -f json "$target" || true)
  t1=$(date +%s.%N)
  times="$times $(echo "$t1 - $t0" | bc)"
  reqs="$reqs $(printf '%s' "$out" | /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["requests"])')"
done
/usr/bin/python3 -c "
import statistics, sys
t = sorted(map(float, sys.argv[1].split())); r = sorted(map(int, sys.argv[2].split()))
print('scan wall time: median %.3f s, min %.3f s, max %.3f s (target < 2 s); requests: median %d' % (statistics.median(t), t[0], t[-1], statistics.median(r)))
" "$times" "$reqs"
