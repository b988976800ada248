#!/usr/bin/env bash
# Runs every test: the cmocka unit tests and corpus replays (under ASan and
# UBSan, through meson), then the integration suites in tests/integ against
# the real lab services on 127.0.0.1. Ends with "N passed, N failed".
set -u
BUILD=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export WARDEN="$top/$BUILD/warden"
export LAB_DIR=${LAB_DIR:-$top/$BUILD/lab}
export NO_COLOR=1
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"; bash tests/lab/labctl.sh stop >/dev/null 2>&1 || true' EXIT

echo "== unit tests and corpus replays"
meson test -C "$BUILD" -v --no-rebuild >"$log" 2>&1
grep -E '^\[ *(OK|PASSED|FAILED|ERROR|RUN) *\]|^[0-9]+/[0-9]+ ' "$log" | grep -vE '^\[ RUN' || true
p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
# A test binary that crashed or failed without printing cmocka's totals
# still counts as one failure.
crashed=$(grep -cE '^ *[0-9]+/[0-9]+ .*(FAIL|TIMEOUT|ERROR)' "$log" || true)
if [ "$crashed" -gt "$f" ]; then f=$crashed; fi
if [ "$f" -gt 0 ]; then
  echo "--- meson test log (failures) ---"
  grep -B5 -A40 -E 'FAILED|ERROR|runtime error|AddressSanitizer|LeakSanitizer' "$log" | head -200
fi
passed=$((passed + p)); failed=$((failed + f))
echo "unit: $p passed, $f failed"

echo "== integration tests (lab on 127.0.0.1)"
if ! bash tests/lab/labctl.sh start >"$log" 2>&1; then
  cat "$log"
  echo "lab did not start: every integration suite counts as failed"
  failed=$((failed + 1))
else
  for t in tests/integ/test_*.py; do
    [ -f "$t" ] || continue
    echo "-- $t"
    /usr/bin/python3 "$t" >"$log" 2>&1
    rc=$?
    cat "$log"
    p=$(grep -c '^ok ' "$log" || true)
    f=$(grep -c '^not ok ' "$log" || true)
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - $t exited $rc"; fi
    passed=$((passed + p)); failed=$((failed + f))
  done
fi

# Real containers: the suite starts its own dockerd on a private socket
# (tests/live/test_live.py); where dockerd cannot run it prints a SKIP.
echo "== live containers (tests/live)"
/usr/bin/python3 tests/live/test_live.py >"$log" 2>&1
rc=$?
cat "$log"
p=$(grep -c '^ok ' "$log" || true)
f=$(grep -c '^not ok ' "$log" || true)
if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - tests/live/test_live.py exited $rc"; fi
passed=$((passed + p)); failed=$((failed + f))

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
