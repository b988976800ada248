#!/usr/bin/env bash
# make demo: start the bundled lab on 127.0.0.1, scan a vulnerable service
# and its hardened twin, print the reports, stop the lab.
set -eu
BUILD=${1:-build-rel}
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export LAB_DIR="$top/$BUILD/lab"
trap 'bash tests/lab/labctl.sh stop >/dev/null 2>&1 || true' EXIT
echo "Starting the lab (Echo, Chi, Fiber- and Buffalo-style Go services, a Flask infra service) on 127.0.0.1..."
bash tests/lab/labctl.sh start >/dev/null
CA="$LAB_DIR/certs/ca.pem"
for inst in echo-vuln buffalo-vuln fiber-vuln echo-hard; do
  url=$(cat "$LAB_DIR/run/$inst.url")
  echo
  echo "================================================================"
  echo "\$ warden scan --cacert ca.pem $url      # lab instance: $inst"
  echo "================================================================"
  rc=0
  "$BUILD/warden" scan -q --cacert "$CA" "$url" || rc=$?
  echo "(exit code $rc)"
done
if [ -f "$LAB_DIR/run/echojwt-vuln.token" ]; then
  url=$(cat "$LAB_DIR/run/echojwt-vuln.url")
  echo
  echo "================================================================"
  echo "\$ warden scan --bearer @echojwt-vuln.token --as2 bearer:@echojwt-vuln.token-as2 $url"
  echo "================================================================"
  rc=0
  "$BUILD/warden" scan -q --bearer "@$LAB_DIR/run/echojwt-vuln.token" \
    --as2 "bearer:@$LAB_DIR/run/echojwt-vuln.token-as2" "$url" || rc=$?
  echo "(exit code $rc)"
fi
if [ -d tests/fixtures/iac ]; then
  echo
  echo "================================================================"
  echo "\$ warden iac tests/fixtures/iac   # deployment files"
  echo "================================================================"
  "$BUILD/warden" iac -q tests/fixtures/iac --fail-on none | head -60 || true
fi
echo
echo "\$ warden inspect   # this machine, from inside"
"$BUILD/warden" inspect --fail-on none 2>&1 | head -40 || true
