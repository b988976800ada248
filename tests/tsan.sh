#!/usr/bin/env bash
# make tsan: the threaded paths under ThreadSanitizer, against the lab.
# warden runs threads in three places: one scan per target in a run of
# several targets (src/cli/cli_fleet.c, with a shared limiter, output sinks
# and a refreshable credential), the JWT wordlist crack (chk_jwt.c) and the
# canary listener (scan_canary.c, --active). Each scenario below drives
# them against the lab and fails on any ThreadSanitizer report. Not part of
# `make test` (the TSan build alone costs minutes on two cores); run it
# after touching any of those files.
set -u
TSAN=${1:-build-tsan}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export LAB_DIR=${LAB_DIR:-$top/build/lab}
export NO_COLOR=1
export TSAN_OPTIONS="halt_on_error=0 second_deadlock_stack=1"
W="$top/$TSAN/warden"
bash tests/lab/labctl.sh start >/dev/null || { echo "tsan: the lab did not start"; exit 1; }
trap 'bash tests/lab/labctl.sh stop >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT
tmp=$(mktemp -d)
RUN=$LAB_DIR/run
CA=$LAB_DIR/certs/ca.pem
fail=0
n=0
scenario() { # name, then the warden arguments
  local name=$1
  shift
  n=$((n + 1))
  "$W" scan -q -f json --burst 0 --cacert "$CA" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  local races
  races=$(grep -c "WARNING: ThreadSanitizer" "$tmp/err")
  if [ "$races" != 0 ]; then
    echo "not ok $n - $name: $races ThreadSanitizer report(s)"
    grep -A25 "WARNING: ThreadSanitizer" "$tmp/err" | head -60
    fail=1
  elif [ "$rc" -gt 1 ] || ! /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$tmp/out" 2>/dev/null; then
    echo "not ok $n - $name: exit $rc or unreadable report"
    tail -5 "$tmp/err"
    fail=1
  else
    echo "ok $n - $name"
  fi
}
for u in $(ls "$RUN"/*.url | head -12); do cat "$u"; echo; done >"$tmp/list"
printf '#!/bin/sh\necho "Authorization: Bearer $(cat %s)"\n' "$RUN/echomw-vuln.token" >"$tmp/cmd.sh"
printf '#!/bin/sh\nn=$(cat %s 2>/dev/null || echo 0); echo $((n+1)) > %s\nif [ "$n" = 0 ]; then echo "Authorization: Bearer stale"; else echo "Authorization: Bearer $(cat %s)"; fi\n' \
  "$tmp/cnt" "$tmp/cnt" "$RUN/echomw-vuln.rs-token" >"$tmp/stale.sh"
chmod +x "$tmp/cmd.sh" "$tmp/stale.sh"
U=$(cat "$RUN/echomw-vuln.url")
scenario "12 lab targets, --parallel 4, --auth-cmd, -f json" --parallel 4 -l "$tmp/list" --auth-cmd "$tmp/cmd.sh"
scenario "4 targets, a stale token refreshed across targets, --active (canary listener, jku)" \
  --parallel 4 --active --auth-cmd "$tmp/stale.sh" "$U" "$U/api/" "$U/api/v3/" "$U/api/v4/"
scenario "one target, HS256 token (the crack thread), --active" --active \
  --bearer "@$RUN/echomw-vuln.token" "$U"
echo "1..$n"
exit $fail
