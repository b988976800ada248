#!/usr/bin/env bash
# labctl.sh: build, start, stop and list the warden test lab (tests/lab/CONTRACT.md).
#
#   labctl.sh build    build the Go lab services into $LAB_DIR/bin (offline, GOPATH mode)
#   labctl.sh start    build, make test certs, start every instance on 127.0.0.1:0
#   labctl.sh stop     stop every instance started from $LAB_DIR/run
#   labctl.sh status   print "<instance> <url>" for each running instance
#
# LAB_DIR defaults to <repo>/build/lab. Instances: <svc>-vuln (HTTP), <svc>-hard
# (HTTPS + plain redirector) for echo chi fiber buffalo infra echojwt echomw, plus echo-vuln-tls
# and recorder (counts the methods it is sent per path: GET /__record);
# authz-nospec-vuln, authz-nospec-hard (authz without its spec, -no-spec).
# Mutual TLS (docs/auth.md): chimtls-vuln, chimtls-hard (HTTPS, client certificates
# in $LAB_DIR/certs), nginx-mtls-optional, nginx-mtls-on (nginx under $LAB_DIR/nginx).
# Real services from Debian: tests/lab/realctl.sh (<svc>-vuln and <svc>-hard for
# prometheus etcd caddy nats influxdb jupyter).
# Built only (started by tests/integ/test_abuse.py against its own MariaDB): mygo.
set -eu

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$LAB_SRC/../.." && pwd)
LAB_DIR=${LAB_DIR:-$REPO/build/lab}
mkdir -p "$LAB_DIR"
LAB_DIR=$(cd "$LAB_DIR" && pwd)
BIN=$LAB_DIR/bin
RUN=$LAB_DIR/run
CERTS=$LAB_DIR/certs
PYTHON=${LAB_PYTHON:-/usr/bin/python3}
GO_SERVICES="echo chi fiber buffalo"
GO_SERVICES="$GO_SERVICES echojwt"
GO_SERVICES="$GO_SERVICES chimtls"
GO_SERVICES="$GO_SERVICES echomw"
GO_SERVICES="$GO_SERVICES recorder"
GO_SERVICES="$GO_SERVICES abuse"
GO_SERVICES="$GO_SERVICES mygo"
SERVICES="echo chi fiber buffalo infra"
SERVICES="$SERVICES echojwt"
SERVICES="$SERVICES echomw"
SERVICES="$SERVICES abuse"
SERVICES="$SERVICES apis"
GO_SERVICES="$GO_SERVICES authz"
SERVICES="$SERVICES authz"
# How long the instances may take to listen: a bound, not a timing test (they
# are checked every 0.2 s and the wait ends when all answer); a loaded 2-core
# machine starting some thirty services can need far more than 10 s.
START_TIMEOUT=60

die() { echo "labctl: $*" >&2; exit 1; }

cmd_build() {
	command -v go >/dev/null || die "go not found (apt-get install golang-go)"
	mkdir -p "$BIN" "$LAB_DIR/gopath/src/warden.lab" "$LAB_DIR/gocache"
	local svc src dst bin f
	# The shared package (flags, serving) every Go service imports.
	mkdir -p "$LAB_DIR/gopath/src/warden.lab/labkit"
	find "$LAB_DIR/gopath/src/warden.lab/labkit" -maxdepth 1 -name '*.go' -type l -delete
	for f in "$LAB_SRC"/labkit/*.go; do ln -s "$f" "$LAB_DIR/gopath/src/warden.lab/labkit/"; done
	for svc in $GO_SERVICES; do
		src=$LAB_SRC/$svc
		dst=$LAB_DIR/gopath/src/warden.lab/$svc
		bin=$BIN/$svc
		mkdir -p "$dst"
		# Sources are symlinked in; the go.mod turns on minimal module
		# compatibility so /v4, /v5 imports resolve in /usr/share/gocode.
		find "$dst" -maxdepth 1 -name '*.go' -type l -delete
		for f in "$src"/*.go; do ln -s "$f" "$dst/"; done
		if [ ! -f "$dst/go.mod" ]; then
			printf 'module warden.lab/%s\n\ngo 1.19\n' "$svc" >"$dst/go.mod"
		fi
		if [ -x "$bin" ] && [ -z "$(find -L "$src" "$LAB_SRC/labkit" "$dst/go.mod" -maxdepth 1 -newer "$bin" -print -quit)" ]; then
			continue
		fi
		echo "labctl: building $svc" >&2
		(cd "$dst" && env GO111MODULE=off GOFLAGS= GOPROXY=off GOWORK=off CGO_ENABLED=0 \
			GOPATH="$LAB_DIR/gopath:/usr/share/gocode" GOCACHE="$LAB_DIR/gocache" \
			go build -o "$bin.tmp" .) || die "build of $svc failed"
		mv -f "$bin.tmp" "$bin"
	done
}

cmd_certs() {
	mkdir -p "$CERTS"
	if [ -s "$CERTS/ca.pem" ] && [ -s "$CERTS/server.pem" ] && [ -s "$CERTS/server-key.pem" ]; then
		return 0
	fi
	command -v openssl >/dev/null || die "openssl not found"
	local tmp
	tmp=$(mktemp -d "$CERTS/.gen.XXXXXX")
	(
		cd "$tmp"
		openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
			-keyout ca-key.pem -out ca.pem -subj "/CN=warden lab test CA" \
			-addext "basicConstraints=critical,CA:TRUE" \
			-addext "keyUsage=critical,keyCertSign,cRLSign"
		openssl req -newkey rsa:2048 -nodes -sha256 \
			-keyout server-key.pem -out server.csr -subj "/CN=localhost"
		printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" "basicConstraints=CA:FALSE" \
			"keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >server.ext
		openssl x509 -req -sha256 -days 825 -in server.csr -CA ca.pem -CAkey ca-key.pem \
			-set_serial "0x$(openssl rand -hex 16)" -extfile server.ext -out server.pem
	) >"$tmp/openssl.log" 2>&1 || { cat "$tmp/openssl.log" >&2; rm -rf "$tmp"; die "certificate generation failed"; }
	chmod 600 "$tmp/ca-key.pem" "$tmp/server-key.pem"
	mv -f "$tmp/ca-key.pem" "$tmp/server-key.pem" "$tmp/server.pem" "$CERTS/"
	mv -f "$tmp/ca.pem" "$CERTS/ca.pem"
	rm -rf "$tmp"
}

# is_ours PID: the pid is alive and is one of our lab processes (guards
# against a recycled pid).
is_ours() {
	local pid=$1 cmdline
	kill -0 "$pid" 2>/dev/null || return 1
	cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
	case $cmdline in
	"$BIN"/* | *"$LAB_SRC/infra/app.py"* | *"$LAB_SRC/apis/app.py"*) return 0 ;;
	"nginx: master process"*"$LAB_DIR/nginx/"*) return 0 ;;
	*) return 1 ;;
	esac
}

cmd_stop() {
	[ -d "$RUN" ] || return 0
	LAB_DIR=$LAB_DIR bash "$LAB_SRC/realctl.sh" stop
	local pidfile pid pids="" i
	for pidfile in "$RUN"/*.pid; do
		[ -e "$pidfile" ] || continue
		pid=$(cat "$pidfile")
		if [ -n "$pid" ] && is_ours "$pid"; then
			kill "$pid" 2>/dev/null || true
			pids="$pids $pid"
		fi
	done
	for i in $(seq 30); do
		local alive=""
		for pid in $pids; do is_ours "$pid" && alive="$alive $pid"; done
		pids=$alive
		[ -z "$pids" ] && break
		sleep 0.1
	done
	for pid in $pids; do kill -9 "$pid" 2>/dev/null || true; done
	rm -f "$RUN"/*.pid "$RUN"/*.url "$RUN"/*.tmp.* "$RUN"/*.tries "$RUN"/*.port "$RUN"/*.verify
}

# start_instance NAME SERVICE MODE TLS(0|1) [EXTRA ARGS...]
start_instance() {
	local name=$1 svc=$2 mode=$3 tls=$4
	shift 4
	local -a cmd
	if [ "$svc" = infra ] || [ "$svc" = apis ]; then
		cmd=("$PYTHON" "$LAB_SRC/$svc/app.py")
	else
		cmd=("$BIN/$svc")
	fi
	cmd+=(-addr 127.0.0.1:0 -addr-file "$RUN/$name.url" -mode "$mode")
	if [ "$tls" = 1 ]; then
		cmd+=(-tls-cert "$CERTS/server.pem" -tls-key "$CERTS/server-key.pem")
	fi
	if [ "$mode" = hard ]; then
		cmd+=(-redirect-addr-file "$RUN/$name-redirect.url")
	fi
	# echojwt mints its tokens (read them from $RUN/<name>.token, .token-as2)
	# and serves files from a fixture root, never the host's.
	if [ "$svc" = chimtls ]; then
		cmd+=(-client-ca "$CERTS/ca.pem")
	fi
	if [ "$svc" = echojwt ]; then
		cmd+=(-token-out "$RUN/$name.token" -token-as2-out "$RUN/$name.token-as2" -root "$RUN/$name-root")
	fi
	# echomw (Echo's own JWT and KeyAuth middleware) mints its tokens and key.
	if [ "$svc" = echomw ]; then
		cmd+=(-token-out "$RUN/$name.token" -token-as2-out "$RUN/$name.token-as2" -key-out "$RUN/$name.key" -rs-token-out "$RUN/$name.rs-token")
	fi
	# authz (issue 14) mints alice's (main) and bob's (--as2) tokens.
	if [ "$svc" = authz ]; then
		cmd+=(-token-out "$RUN/$name.token" -token-as2-out "$RUN/$name.token-as2")
		cmd+=(-key-out "$RUN/$name.key" -key-as2-out "$RUN/$name.key-as2")
	fi
	cmd+=("$@")
	"${cmd[@]}" </dev/null >"$RUN/$name.log" 2>&1 &
	echo $! >"$RUN/$name.pid"
}

instance_ready() {
	local name=$1 f
	local -a cc=()
	case $name in chimtls-* | nginx-mtls-*) cc=(--cert "$CERTS/client.pem" --key "$CERTS/client-key.pem") ;; esac
	for f in "$RUN/$name.url" ${2:+"$RUN/$name-redirect.url"}; do
		[ -s "$f" ] || return 1
		curl -sk "${cc[@]}" -o /dev/null --max-time 2 "$(cat "$f")/openapi.json" || return 1
	done
}

fail_instance() {
	local name
	for name in "$@"; do
		echo "labctl: instance $name failed to start" >&2
		echo "---- tail of $RUN/$name.log ----" >&2
		tail -n 20 "$RUN/$name.log" >&2 || true
	done
	cmd_stop
	exit 1
}

# ---- mutual TLS: client certificates, nginx instances ------------------
# Client certificates signed by the lab CA (clientAuth): client.pem
# (CN=warden-client, allowed), admin.pem (CN=warden-admin, allowed and
# admin on chimtls-hard), denied.pem (CN=warden-denied, valid but not on
# the allowlist); other-ca.pem is a CA that signed nothing here.
cmd_client_certs() {
	[ -s "$CERTS/client.pem" ] && [ -s "$CERTS/denied.pem" ] && [ -s "$CERTS/other-ca.pem" ] && return 0
	local tmp cn
	tmp=$(mktemp -d "$CERTS/.gen.XXXXXX")
	(
		cd "$tmp"
		printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature" \
			"extendedKeyUsage=clientAuth" >client.ext
		for cn in client admin denied; do
			openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$cn-key.pem" -out "$cn.csr" \
				-subj "/CN=warden-$cn"
			openssl x509 -req -sha256 -days 825 -in "$cn.csr" -CA "$CERTS/ca.pem" \
				-CAkey "$CERTS/ca-key.pem" -set_serial "0x$(openssl rand -hex 16)" \
				-extfile client.ext -out "$cn.pem"
		done
		openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
			-keyout other-ca-key.pem -out other-ca.pem -subj "/CN=warden other test CA"
	) >"$tmp/openssl.log" 2>&1 || { cat "$tmp/openssl.log" >&2; rm -rf "$tmp"; die "client certificate generation failed"; }
	chmod 600 "$tmp"/*-key.pem
	mv -f "$tmp"/client.pem "$tmp"/client-key.pem "$tmp"/admin.pem "$tmp"/admin-key.pem \
		"$tmp"/denied.pem "$tmp"/denied-key.pem "$tmp"/other-ca.pem "$CERTS/"
	rm -rf "$tmp"
}

. "$LAB_SRC/ports.sh"

# start_nginx NAME VERIFY-LINES: nginx in the foreground (so $! is the
# master), prefix, pid, logs and temp files under $LAB_DIR/nginx/NAME.
# The port is chosen before nginx binds it: the start loop starts it
# again on another port (NGINX_TRIES in all) when nginx exits or another
# process holds the port.
NGINX_TRIES=5
start_nginx() {
	local name=$1 verify=$2 dir=$LAB_DIR/nginx/$1 port
	command -v nginx >/dev/null || die "nginx not found (apt-get install nginx-light)"
	mkdir -p "$dir/tmp"
	chmod 755 "$LAB_DIR/nginx" "$dir" "$dir/tmp"
	printf '%s' "$verify" >"$RUN/$name.verify"
	echo $(($(cat "$RUN/$name.tries" 2>/dev/null || echo 0) + 1)) >"$RUN/$name.tries"
	port=$(free_port)
	echo "$port" >"$RUN/$name.port"
	sed -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@CERTS@|$CERTS|g" \
		-e "s|@VERIFY@|$verify|g" "$LAB_SRC/nginx/mtls.conf.in" >"$dir/nginx.conf"
	nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' </dev/null >"$RUN/$name.log" 2>&1 &
	echo $! >"$RUN/$name.pid"
	echo "https://127.0.0.1:$port" >"$RUN/$name.url"
}

cmd_start() {
	cmd_build
	cmd_certs
	cmd_client_certs
	[ -x "$PYTHON" ] || die "$PYTHON not found"
	cmd_stop
	mkdir -p "$RUN"
	local svc instances=""
	for svc in $SERVICES; do
		start_instance "$svc-vuln" "$svc" vuln 0
		start_instance "$svc-hard" "$svc" hard 1
		instances="$instances $svc-vuln $svc-hard"
	done
	start_instance echo-vuln-tls echo vuln 1
	instances="$instances echo-vuln-tls"
	start_instance chimtls-vuln chimtls vuln 1
	start_instance chimtls-hard chimtls hard 1
	# One instance per Go crypto/tls client-auth mode (docs/auth.md).
	local m
	for m in request requireany ifgiven requireverify callback; do
		start_instance "chimtls-$m" chimtls hard 1 -client-auth "$m"
		instances="$instances chimtls-$m"
	done
	# authz without a spec (BOLA from the ids in its answers): GET / links.
	start_instance authz-nospec-vuln authz vuln 0 -no-spec
	start_instance authz-nospec-hard authz hard 1 -no-spec
	instances="$instances authz-nospec-vuln authz-nospec-hard"
	# The recording target (docs/cli.md, active mode): counts methods per path.
	start_instance recorder recorder vuln 0
	instances="$instances recorder"
	start_nginx nginx-mtls-optional "ssl_verify_client optional_no_ca;"
	start_nginx nginx-mtls-on "ssl_verify_client on; ssl_client_certificate $CERTS/ca.pem; ssl_verify_depth 2;"
	instances="$instances chimtls-vuln chimtls-hard nginx-mtls-optional nginx-mtls-on"

	local deadline=$((SECONDS + START_TIMEOUT)) name pending redirect
	while :; do
		pending=""
		for name in $instances; do
			redirect=""
			case $name in chimtls-*) ;; *-hard) redirect=1 ;; esac
			case $name in
			nginx-*)
				if is_ours "$(cat "$RUN/$name.pid")" &&
					owns_port "$(cat "$RUN/$name.pid")" "$(cat "$RUN/$name.port")"; then
					instance_ready "$name" "" && continue
				elif ! is_ours "$(cat "$RUN/$name.pid")" &&
					[ "$(cat "$RUN/$name.tries")" -lt "$NGINX_TRIES" ]; then
					# Exited (nginx gives up when the port is taken): again,
					# on another port, with time to start.
					start_nginx "$name" "$(cat "$RUN/$name.verify")"
					deadline=$((SECONDS + START_TIMEOUT))
				fi
				;;
			*) instance_ready "$name" "$redirect" && continue ;;
			esac
			is_ours "$(cat "$RUN/$name.pid")" || fail_instance "$name"
			pending="$pending $name"
		done
		[ -z "$pending" ] && break
		if [ "$SECONDS" -ge "$deadline" ]; then
			fail_instance $pending
		fi
		sleep 0.2
	done
	# Real services from Debian (prometheus, etcd, caddy, nats, influxdb,
	# jupyter): one that cannot start is skipped with its reason, visibly.
	LAB_DIR=$LAB_DIR bash "$LAB_SRC/realctl.sh" start
	cmd_status
}

cmd_status() {
	[ -d "$RUN" ] || return 0
	local f name base
	for f in "$RUN"/*.url; do
		[ -e "$f" ] || continue
		name=$(basename "$f" .url)
		base=${name%-redirect}
		[ -f "$RUN/$base.pid" ] && is_ours "$(cat "$RUN/$base.pid")" || continue
		printf '%s %s\n' "$name" "$(cat "$f")"
	done
}

case ${1:-} in
build) cmd_build ;;
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*)
	echo "usage: $0 build|start|stop|status   (LAB_DIR=${LAB_DIR})" >&2
	exit 2
	;;
esac
