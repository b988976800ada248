#!/usr/bin/env bash
# Install the Debian packages warden needs to build, test, fuzz and run its lab.
# Idempotent: only packages that are missing are installed.
set -eu
pkgs="pkg-config gcc make clang libclang-rt-14-dev libcurl4-openssl-dev libssl-dev openssl
libpcre2-dev libjansson-dev libfyaml-dev libyaml-dev libsqlite3-dev libmicrohttpd-dev
libcmocka-dev meson ninja-build nginx-light wrk curl ca-certificates
prometheus etcd-server caddy nats-server influxdb jupyter-notebook
golang-go golang-github-labstack-echo-dev golang-github-go-chi-chi-dev
golang-github-golang-jwt-jwt-dev python3 python3-flask musl-tools bc
docker.io busybox-static"
missing=""
for p in $pkgs; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq
# shellcheck disable=SC2086
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends $missing >/dev/null
