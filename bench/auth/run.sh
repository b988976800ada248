#!/usr/bin/env bash
# bench/auth/run.sh BUILD_DIR: authenticated-scan figures (called by
# bench/run.sh; starts and stops its own lab in BUILD_DIR/lab).
#  mTLS: handshakes per second of warden's raw OpenSSL probes (net_tls.c:
#  connect + handshake + GET + read, one connection each) against the
#  lab's chimtls-vuln (TLS 1.2, accepts any certificate) and nginx-mtls-on
#  (TLS 1.3, verifies) instances; then the wall time of a full scan of
#  chimtls-vuln with --cert/--key (median of 5).
set -eu
BUILD=${1:-build-rel}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
N=${BENCH_HANDSHAKES:-500}
export LAB_DIR="$top/$BUILD/lab"
work=$(mktemp -d)
cleanup() {
  bash tests/lab/labctl.sh stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

# The probe driver links the build's static scan library (net_tls.o only).
cc -O2 -std=c17 -D_GNU_SOURCE -o "$work/bench_tls" bench/auth/bench_tls.c \
  "$BUILD/libwdscan.a" $(pkg-config --cflags --libs openssl)

bash tests/lab/labctl.sh start >/dev/null
certs=$LAB_DIR/certs

echo "== mTLS probe handshakes per second ($N probes each, one at a time)"
for inst in chimtls-vuln nginx-mtls-on; do
  hostport=$(cat "$LAB_DIR/run/$inst.url")
  hostport=${hostport#https://}
  host=${hostport%:*}
  port=${hostport##*:}
  path=/
  [ "$inst" = chimtls-vuln ] && path=/api/v1/health
  for mode in none forged cert; do
    if [ "$mode" = cert ]; then
      args=("$certs/client.pem" "$certs/client-key.pem")
    else
      args=("$mode")
    fi
    printf '%-14s %-6s ' "$inst" "$mode"
    "$work/bench_tls" "$host" "$port" "$N" "${args[@]}" "$path" | tr '\n' ' '
    echo
  done
done

echo "== full authenticated scan (--cert/--key) of chimtls-vuln"
target=$(cat "$LAB_DIR/run/chimtls-vuln.url")
times=""
for i in 1 2 3 4 5; do
  t0=$(date +%s.%N)
  "$BUILD/warden" scan -q -f json --cacert "$certs/ca.pem" --cert "$certs/client.pem" \
    --key "$certs/client-key.pem" "$target" >"$work/scan.json" || true
  t1=$(date +%s.%N)
  times="$times $(echo "$t1 - $t0" | bc)"
done
/usr/bin/python3 -c "import statistics,sys; v=sorted(map(float,sys.argv[1:])); print('full mTLS scan wall time: median %.3f s, min %.3f s, max %.3f s (target < 2 s)' % (statistics.median(v), v[0], v[-1]))" $times
/usr/bin/python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('  %d requests, %d findings: %s' % (d.get('requests',0), len(d['findings']), ' '.join(sorted({f['rule'] for f in d['findings']}))))" "$work/scan.json"

echo "== JWT wordlist crack (HS256, one HMAC context re-keyed per word) vs openssl speed"
cc -O2 -std=c17 -D_GNU_SOURCE -o "$work/bench_crack" bench/auth/bench_crack.c \
  "$BUILD/libwdscan.a" "$BUILD/libwdcore.a" $(pkg-config --cflags --libs openssl jansson)
"$work/bench_crack" "${BENCH_CRACK_WORDS:-2000000}"
# openssl speed -hmac sha256 reuses one context and one key: the ceiling
# for a re-keyed HMAC over a ~150-byte signing input is its 256-byte rate.
openssl speed -seconds 2 -hmac sha256 2>/dev/null | grep -E '^hmac\(sha256\)' | \
  /usr/bin/python3 -c "
import sys
for line in sys.stdin:
    v = line.split()
    # columns: name, 16, 64, 256, 1024, 8192, 16384 bytes (in 1000s of bytes/s)
    k = [float(x.rstrip('k')) for x in v[-6:]]
    print('openssl speed -hmac sha256: %.0f ops/s at 64 bytes, %.0f ops/s at 256 bytes' % (k[1]*1000/64, k[2]*1000/256))
"
