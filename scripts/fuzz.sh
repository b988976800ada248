#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for SECONDS each against a
# scratch copy of its seed corpus (tests/fuzz/corpus/<name without fuzz_>,
# or tests/iac/corpus/..., tests/inspect/corpus/... if that is where it
# lives), so the repository is never modified. Crash, timeout and OOM
# inputs go to tests/fuzz/artifacts/ (gitignored). One line per target;
# exits 1 if any target failed.
#   usage: scripts/fuzz.sh BUILD_FUZZ_DIR SECONDS
set -u
if [ $# -ne 2 ] || ! [ -d "$1" ] || ! [[ "$2" =~ ^[0-9]+$ ]]; then
  echo "usage: $0 BUILD_FUZZ_DIR SECONDS" >&2
  exit 2
fi
build=$(cd "$1" && pwd)
secs=$2
top=$(cd "$(dirname "$0")/.." && pwd)
art="$top/tests/fuzz/artifacts"
mkdir -p "$art"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
failed=0
n=0
for bin in "$build"/tests/fuzz_*; do
  [ -f "$bin" ] && [ -x "$bin" ] || continue
  case "$bin" in *_replay|*.p) continue ;; esac
  name=$(basename "$bin")
  short=${name#fuzz_}
  corpus=""
  for d in "$top/tests/fuzz/corpus/$short" "$top"/tests/*/corpus/"$short"; do
    if [ -d "$d" ]; then corpus=$d; break; fi
  done
  n=$((n + 1))
  work="$scratch/$short"
  mkdir -p "$work"
  [ -n "$corpus" ] && cp -r "$corpus"/. "$work"/
  log="$scratch/$name.log"
  # -timeout: one input running for 10 s is a hang, and a finding.
  "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$art/$name-" -print_final_stats=1 "$work" >"$log" 2>&1
  rc=$?
  runs=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
  if [ $rc -eq 0 ]; then
    printf 'ok      %-18s %ss, %s runs, %s%s\n' "$name" "$secs" "${runs:-?}" "${cov:-cov: ?}" \
      "$([ -n "$corpus" ] || echo ', no seed corpus')"
  else
    failed=$((failed + 1))
    what=$(grep -m1 -oE 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer): [^ ]+( [^ ]+)?|runtime error: .*|SUMMARY: libFuzzer: [a-z-]+' "$log" | head -n 1)
    file=$(grep -oE 'Test unit written to .*' "$log" | tail -n 1 | sed 's/Test unit written to //')
    printf 'CRASHED %-18s exit %d: %s; input: %s\n' "$name" "$rc" "${what:-see log}" "${file:-none}"
    cp "$log" "$art/$name.log"
  fi
done
if [ $n -eq 0 ]; then
  echo "no fuzz_* binaries in $build/tests (configure with -Dfuzz=true and clang)" >&2
  exit 2
fi
echo "$n targets, $failed failed"
[ $failed -eq 0 ]
