#!/usr/bin/env bash
# Install the Debian packages warden needs to build, test, fuzz and run its lab.
# Idempotent: only packages that are missing are installed.
set -eu
pkgs="pkg-config gcc make clang libclang-rt-14-dev libcurl4-openssl-dev libssl-dev openssl
libpcre2-dev libjansson-dev libyaml-dev libsqlite3-dev libpq-dev libmicrohttpd-dev
libcmocka-dev meson ninja-build nginx-light wrk nghttp2-client curl ca-certificates
prometheus etcd-server caddy nats-server influxdb jupyter-notebook podman
golang-go golang-github-labstack-echo-dev golang-github-go-chi-chi-dev
golang-github-golang-jwt-jwt-dev python3 python3-flask python3-graphql-core python3-psycopg2 python3-oauthlib python3-pyflakes musl-tools bc
docker.io busybox-static
chromium nodejs libxml2-utils postgresql-15 strace python3-yaml
mariadb-server-core mariadb-client-core python3-pymysql golang-github-go-sql-driver-mysql-dev"
missing=""
for p in $pkgs; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done
# npm comes with some nodejs builds; Debian ships it on its own.
command -v npm >/dev/null 2>&1 || missing="$missing npm"
top=$(cd "$(dirname "$0")/.." && pwd)
node_tools() {
  # The integration suites' validators and clients (tests/node): SARIF
  # schema and multitool, the MCP SDK client. Pinned by package-lock.json.
  if [ ! -d "$top/tests/node/node_modules/ajv" ]; then
    echo "install-deps: npm ci in tests/node" >&2
    (cd "$top/tests/node" && npm ci --no-audit --no-fund >/dev/null)
  fi
  chmod u+x "$top/tests/node/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" 2>/dev/null || true
}
if [ -z "$missing" ]; then
  node_tools
  exit 0
fi
echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
# shellcheck disable=SC2086
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
node_tools
