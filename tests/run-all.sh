#!/usr/bin/env bash
# Runs every test: the cmocka unit tests and seed-corpus replays (under ASan
# and UBSan, through meson), then the integration suites in tests/integ
# against the real lab services on 127.0.0.1.
#
# Counting (fail closed):
# - behavioural tests: cmocka tests and TAP checks ("ok"/"not ok");
# - skips ("ok - ... # SKIP why", cmocka skip(), meson exit 77) are counted
#   apart, never as passes;
# - seed-corpus replays are counted apart (targets and inputs), a replay
#   that fails counts as one failure;
# - a suite that exits non-zero without a "not ok", or whose plan line
#   ("1..N", printed by harness.done()) is missing or does not match the
#   lines it printed, counts as one failure.
# Ends with "N passed, N failed, N skipped".
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
skipped=0
log=$(mktemp)
trap 'rm -f "$log"; bash tests/lab/labctl.sh stop >/dev/null 2>&1 || true' EXIT

count() { # count PASSED FAILED SKIPPED
  passed=$((passed + $1)); failed=$((failed + $2)); skipped=$((skipped + $3))
}

echo "== unit tests and corpus replays"
meson test -C "$BUILD" -v --no-rebuild >"$log" 2>&1
grep -E '^\[ *(OK|PASSED|FAILED|ERROR|SKIPPED|REPLAYED) *\]|^ *[0-9]+/[0-9]+ ' "$log" | grep -v ' RUNNING' || true
p=$(grep -E '^\[  PASSED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
f=$(grep -E '^\[  FAILED  \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
s=$(grep -E '^\[  SKIPPED \] [0-9]+ test' "$log" | awk '{s+=$4} END {print s+0}')
s=$((s + $(grep -cE '^ *[0-9]+/[0-9]+ +[^ ]+ +SKIP' "$log" || true)))
# A unit test binary that crashed or failed without printing cmocka's totals
# still counts as one failure.
crashed=$(grep -E '^ *[0-9]+/[0-9]+ +[^ ]+ +(FAIL|TIMEOUT|ERROR)' "$log" | grep -vc '_replay ' || true)
if [ "$crashed" -gt "$f" ]; then f=$crashed; fi
rt=$(grep -E '^ *[0-9]+/[0-9]+ +[^ ]+_replay +[A-Z]' "$log" | grep -vc RUNNING || true)
rf=$(grep -cE '^ *[0-9]+/[0-9]+ +[^ ]+_replay +(FAIL|TIMEOUT|ERROR)' "$log" || true)
ri=$(grep -E '^\[ REPLAYED \] [0-9]+ input' "$log" | awk '{s+=$4} END {print s+0}')
if [ "$f" -gt 0 ] || [ "$rf" -gt 0 ]; then
  echo "--- meson test log (failures) ---"
  grep -B5 -A40 -E 'FAILED|ERROR|runtime error|AddressSanitizer|LeakSanitizer' "$log" | head -200
fi
count "$p" "$f" "$s"
echo "unit: $p passed, $f failed, $s skipped"
echo "seed-corpus replays: $rt targets, $ri inputs, $rf targets failed"
failed=$((failed + rf))

# run_tap LABEL COMMAND...: one TAP-printing suite, counted.
run_tap() {
  local t=$1
  shift
  echo "-- $t"
  local t0=$SECONDS
  "$@" >"$log" 2>&1
  local rc=$? p f s plan n
  cat "$log"
  s=$(grep -cE '^ok .*# SKIP' "$log" || true)
  p=$(( $(grep -c '^ok ' "$log" || true) - s ))
  f=$(grep -c '^not ok ' "$log" || true)
  plan=$(grep -E '^1\.\.[0-9]+$' "$log" | tail -n 1 | cut -d. -f3)
  n=$((p + f + s))
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - $t exited $rc"; fi
  if [ -z "$plan" ] || [ "$plan" -ne "$n" ]; then
    f=$((f + 1)); echo "not ok - $t: plan '1..${plan:-?}' but $n checks printed (stopped early?)"
  fi
  echo "# $t: $p passed, $f failed, $s skipped in $((SECONDS - t0)) s"
  count "$p" "$f" "$s"
}

echo "== integration tests (lab on 127.0.0.1)"
lab_up=0
if ! bash tests/lab/labctl.sh start >"$log" 2>&1; then
  cat "$log"
  echo "lab did not start: every integration suite counts as failed"
  failed=$((failed + 1))
else
  lab_up=1
  # Passing positive checks record the rule ids they proved raised;
  # coverage.py then requires every rule of `warden checks` among them.
  export WARDEN_RULES_RAISED
  WARDEN_RULES_RAISED=$(mktemp)
  for t in tests/integ/test_*.py; do
    [ -f "$t" ] || continue
    run_tap "$t" /usr/bin/python3 "$t"
  done
  run_tap tests/integ/coverage.py /usr/bin/python3 tests/integ/coverage.py
  rm -f "$WARDEN_RULES_RAISED"
  unset WARDEN_RULES_RAISED
  echo "== mutants: the suites must fail on broken binaries (tests/mutants.sh)"
  run_tap tests/mutants.sh bash tests/mutants.sh "$BUILD"
fi

# Real containers: the suite starts its own dockerd on a private socket
# (tests/live/test_live.py); where dockerd cannot run it prints a SKIP.
# Counted like any TAP suite: a missing or short plan line is a failure.
echo "== live containers (tests/live)"
run_tap tests/live/test_live.py /usr/bin/python3 tests/live/test_live.py

# The release build and the static inspect binary are tested, not only
# compiled; the fuzz targets run briefly so a parser crash fails the run.
# make test passes REL, STATIC_INSPECT and FUZZ_BUILD; run by hand without
# them, each part is a skip.
skip_part() { echo "ok - $1 # SKIP $2"; count 0 0 1; }
if [ -n "${REL:-}" ] && [ -x "$top/$REL/warden" ] && [ $lab_up -eq 1 ]; then
  echo "== integration suites against the release build ($REL)"
  for t in tests/integ/test_*.py; do
    [ -f "$t" ] || continue
    run_tap "$t (release)" env WARDEN="$top/$REL/warden" WARDEN_BUILD="$top/$REL" \
      /usr/bin/python3 "$t"
  done
else
  skip_part "integration suites against the release build" "REL not set, not built, or no lab"
fi
if [ -n "${STATIC_INSPECT:-}" ] && [ -x "$STATIC_INSPECT" ]; then
  echo "== inspect suite against the static binary ($STATIC_INSPECT)"
  run_tap "tests/integ/test_inspect.py (static)" env WARDEN_INSPECT="$(cd "$(dirname "$STATIC_INSPECT")" && pwd)/$(basename "$STATIC_INSPECT")" \
    /usr/bin/python3 tests/integ/test_inspect.py
else
  skip_part "inspect suite against the static binary" "STATIC_INSPECT not set or not built (make static-inspect)"
fi
if [ -n "${FUZZ_BUILD:-}" ] && [ -d "$FUZZ_BUILD" ]; then
  secs=${FUZZ_TEST_SECONDS:-3}
  echo "== fuzz targets, $secs s each (scripts/fuzz.sh $FUZZ_BUILD)"
  bash scripts/fuzz.sh "$FUZZ_BUILD" "$secs" >"$log" 2>&1
  rc=$?
  cat "$log"
  p=$(grep -c '^ok ' "$log" || true)
  f=$(grep -c '^CRASHED ' "$log" || true)
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - scripts/fuzz.sh exited $rc"; fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then f=1; echo "not ok - no fuzz target ran"; fi
  count "$p" "$f" 0
else
  skip_part "fuzz targets" "FUZZ_BUILD not set or not built (make fuzz-build)"
fi

echo
echo "# run-all: $SECONDS s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
