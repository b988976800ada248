#!/usr/bin/env bash
# make bench, many targets: peak RSS and wall time of `warden scan -l` over
# 10, 100 and 1,000 loopback targets (one real nginx listening on 1,000
# ports of 127.0.0.1, tests/integ/fleetlab.py). Goal: under 64 MB and flat
# (the 1,000-target peak at most 1.5x the 10-target one).
#   usage: bench/fleet/run.sh [BUILD_REL]
set -eu
REL=${1:-build-rel}
top=$(cd "$(dirname "$0")/../.." && pwd)
exec /usr/bin/python3 "$top/bench/fleet/rss.py" "$top/$REL/warden"
