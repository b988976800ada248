#!/usr/bin/env bash
# bench/inspect/run.sh BUILD_DIR: how long one full inspection takes
# (target < 50 ms). Repeats `warden inspect` N times (hyperfine-like:
# warm-up runs first, then the median of N) on the live system with
# socket probing off, and on the privileged captured tree. Prints the
# wall time per process and the inspection's own time from the report.
set -eu
BUILD=${1:-build-rel}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
N=${BENCH_INSPECT_RUNS:-50}
# The static binary (make static-inspect) is what runs in containers; it
# starts without loading libcurl and OpenSSL, so it is timed too.
exec /usr/bin/python3 - "$BUILD/warden" "$N" build-static/warden-inspect <<'PY'
import json, os, statistics, subprocess, sys, time
warden, n, static = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cases = [("live", [warden, "inspect", "--no-probe"]),
         ("privileged tree", [warden, "inspect", "--root", "tests/fixtures/inspect/privileged"])]
if os.access(static, os.X_OK):
    cases.append(("live, static", [static, "--no-probe"]))
for name, base in cases:
    cmd = base + ["-f", "json", "--fail-on", "none"]
    for _ in range(3):
        subprocess.run(cmd, capture_output=True)
    wall, inner = [], []
    for _ in range(n):
        t0 = time.perf_counter()
        p = subprocess.run(cmd, capture_output=True, text=True)
        wall.append((time.perf_counter() - t0) * 1000)
        try:
            inner.append(json.loads(p.stdout)["seconds"] * 1000)
        except ValueError:
            print("run failed (rc %d): %s" % (p.returncode, p.stderr[:200]))
    print("inspect %-16s %d runs: %.2f ms per inspection (median in-process), "
          "%.2f ms per process (median wall, max %.2f) (target < 50 ms)"
          % (name, n, statistics.median(inner), statistics.median(wall), max(wall)))
PY
