#!/usr/bin/env bash
# make bench, catalogue part: (1) judging cost per response byte as the
# catalogue grows, on the real judge path (bench_growth: every catalogue
# path of a default scan answered with 64 KiB of JSON and judged through
# scan_on_done, with the built-in catalogue at 1x, 2x and 4x its size:
# copies of signatures/ with new ids given as --signatures dirs), as the
# ratios to 1x of the whole judge and of the catalogue's own part;
# (2) the path index alone on synthetic signatures (bench_sig: flat, vs
# the naive pass per signature); (3) a full default scan, with the full
# catalogue, of a real service of the lab (prometheus-vuln): wall time
# and requests, median of 5 (target < 2 s).
set -eu
REL=${1:-build-rel}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
echo "-- judging cost per response byte as the catalogue grows (real judge path, 64 KiB JSON answers)"
cat_work=$(mktemp -d)
/usr/bin/python3 - "$top/signatures" "$cat_work" <<'PY'
import glob, os, re, sys
src, out = sys.argv[1], sys.argv[2]
for k in (1, 2, 3):
    d = os.path.join(out, "copy%d" % k)
    os.makedirs(d)
    for f in sorted(glob.glob(os.path.join(src, "*.yaml"))):
        t = open(f).read()
        # every rule and signature id gets a suffix: the same paths and
        # matchers, k more times
        t = re.sub(r'^(\s*-?\s*(?:id|rule):\s*)([^\s#]+)',
                   lambda m: m.group(1) + m.group(2) + "-x%d" % k, t, flags=re.M)
        open(os.path.join(d, os.path.basename(f)), "w").write(t)
PY
/usr/bin/python3 - "$REL/bench/bench_growth" "$cat_work" <<'PY'
import re, subprocess, sys
exe, d = sys.argv[1], sys.argv[2]
sizes = {1: [], 2: ["copy1"], 4: ["copy1", "copy2", "copy3"]}
best = {}
# alternating passes, the least of each: a loaded machine only adds time
for _ in range(3):
    for x, dirs in sizes.items():
        out = subprocess.run([exe, "65536", "3"] + ["%s/%s" % (d, c) for c in dirs],
                             capture_output=True, text=True, check=True).stdout
        v = dict(re.findall(r"(\w+)=([\d.]+)", out))
        a, c = float(v["all_ns_per_byte"]), float(v["catalogue_ns_per_byte"])
        o = best.get(x)
        best[x] = (int(v["sigs"]), int(v["probes"]), min(a, o[2]) if o else a, min(c, o[3]) if o else c)
print("%-10s %6s %7s %18s %24s" % ("catalogue", "sigs", "answers", "judge ns/byte", "catalogue part ns/byte"))
for x in sorted(best):
    s, p, a, c = best[x]
    print("%-10s %6d %7d %18.3f %24.3f" % ("%dx" % x, s, p, a, c))
b1 = best[1]
for x in (2, 4):
    print("%dx/1x: whole judge %.2f, catalogue part %.2f (linear growth would be %d)"
          % (x, best[x][2] / b1[2], best[x][3] / b1[3] if b1[3] else 0, x))
print("catalogue part of the whole judge: %.1f%% at 1x, %.1f%% at 4x"
      % (100 * b1[3] / b1[2], 100 * best[4][3] / best[4][2]))
PY
rm -rf "$cat_work"
echo "-- the path index alone, synthetic signatures (bench_sig)"
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
