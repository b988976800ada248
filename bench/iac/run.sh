#!/usr/bin/env bash
# bench/iac/run.sh BUILD_DIR: `warden iac` on a generated corpus of
# Kubernetes documents (BENCH_IAC_DOCS, default 12,000, in streams of 100)
# against a bare parse of the same files with the YAML libraries alone,
# in the same run. Prints documents/s for each and the ratios. Targets:
# >= 5,000 documents/s, and within 2x of the bare libfyaml parse.
set -eu
BUILD=${1:-build-rel}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
DOCS=${BENCH_IAC_DOCS:-12000}
RUNS=${BENCH_IAC_RUNS:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 bench/iac/gen.py "$work/corpus" "$DOCS" >/dev/null
# The bare parser is built here, optimised like the release build.
cc -O2 -o "$work/bare_parse" bench/iac/bare_parse.c \
  $(pkg-config --cflags --libs libfyaml yaml-0.1)

# Best of RUNS wall times (the machines are shared and noisy).
best() {
  local best_t=""
  for _ in $(seq "$RUNS"); do
    local t0 t1 t
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    t=$(echo "$t1 - $t0" | bc)
    if [ -z "$best_t" ] || [ "$(echo "$t < $best_t" | bc)" = 1 ]; then best_t=$t; fi
  done
  echo "$best_t"
}

files=$(ls "$work"/corpus/*.yaml)
got=$("$work/bare_parse" fyaml $files 2>/dev/null | sed -n 's/docs=\([0-9]*\).*/\1/p')
[ "$got" = "$DOCS" ] || { echo "bench/iac: corpus has $got documents, expected $DOCS"; exit 1; }
# The analysis must read every document without a note.
"$BUILD/warden" iac -q -f json --fail-on none "$work/corpus" > "$work/report.json"
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert not d['notes'], d['notes'][:3]; print('findings on the corpus: %d' % len(d['findings']))" "$work/report.json"

t_wd=$(best "$BUILD/warden" iac -q -f json --fail-on none -o /dev/null "$work/corpus")
# The analysis alone (read, parse, rules; the report's "seconds"), best of
# RUNS: the wall time above also scores and writes every finding.
t_an=""
for _ in $(seq "$RUNS"); do
  s=$("$BUILD/warden" iac -q -f json --fail-on none "$work/corpus" |
      /usr/bin/python3 -c 'import json,sys; print(json.load(sys.stdin)["seconds"])')
  if [ -z "$t_an" ] || [ "$(echo "$s < $t_an" | bc)" = 1 ]; then t_an=$s; fi
done
t_fy=$(best "$work/bare_parse" fyaml $files)
t_y=$(best "$work/bare_parse" yaml $files)
/usr/bin/python3 - "$DOCS" "$t_wd" "$t_an" "$t_fy" "$t_y" "$(ls "$work"/corpus | wc -l)" <<'PY'
import sys
docs = int(sys.argv[1]); wd, an, fy, y = map(float, sys.argv[2:6]); nfiles = int(sys.argv[6])
print("corpus: %d Kubernetes documents in %d files" % (docs, nfiles))
print("warden iac, analysis (read+parse+rules):  %8.0f documents/s (%.3f s)" % (docs / an, an))
print("warden iac, end to end (+score, JSON):    %8.0f documents/s (%.3f s)" % (docs / wd, wd))
print("bare libfyaml parse (same files):         %8.0f documents/s (%.3f s)" % (docs / fy, fy))
print("bare libyaml event parse (same files):    %8.0f documents/s (%.3f s)" % (docs / y, y))
print("ratio analysis/bare libfyaml:   %.2fx the time (target <= 2x)" % (an / fy))
print("ratio end to end/bare libfyaml: %.2fx the time" % (wd / fy))
print("ratio analysis/bare libyaml:    %.2fx the time" % (an / y))
print("target >= 5,000 documents/s end to end: %s" % ("met" if docs / wd >= 5000 else "NOT met"))
PY
