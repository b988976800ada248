#!/usr/bin/env bash
# realctl.sh: the real services Debian packages (prometheus, etcd, caddy,
# nats-server, influxdb, jupyter-notebook, podman), each started on 127.0.0.1 with
# a vulnerable configuration (<svc>-vuln) and a locked-down twin
# (<svc>-hard). Called by labctl.sh start/stop; usable alone.
#
#   realctl.sh start   start every instance; one that cannot start (package
#                      missing, no answer in time) gets $RUN/<name>.skip with
#                      the reason, and the tests report it as a visible SKIP
#   realctl.sh stop    stop the instances started from $RUN
#
# Every file lives under $LAB_DIR/real/<name>; pids in $RUN/<name>.pid,
# URLs in $RUN/<name>.url (the URL to scan).
set -eu

LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$LAB_SRC/../.." && pwd)
LAB_DIR=${LAB_DIR:-$REPO/build/lab}
mkdir -p "$LAB_DIR"
LAB_DIR=$(cd "$LAB_DIR" && pwd)
RUN=$LAB_DIR/run
REAL=$LAB_DIR/real
CERTS=$LAB_DIR/certs
PYTHON=${LAB_PYTHON:-/usr/bin/python3}
REAL_TIMEOUT=${REAL_TIMEOUT:-60}
INSTANCES="prometheus-vuln prometheus-hard etcd-vuln etcd-hard caddy-vuln caddy-hard
nats-vuln nats-hard influxdb-vuln influxdb-hard jupyter-vuln jupyter-hard podman-vuln podman-hard"

. "$LAB_SRC/ports.sh"

# ours PID: alive and started from this lab (its command line names $REAL).
ours() {
	local pid=$1
	kill -0 "$pid" 2>/dev/null || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$REAL/" || return 1
}

skip() {
	echo "$2" >"$RUN/$1.skip"
	echo "realctl: $1 skipped: $2" >&2
}

# spawn NAME URL CMD...: runs CMD in the background from $REAL/NAME.
spawn() {
	local name=$1 url=$2
	shift 2
	(cd "$REAL/$name" && exec "$@") </dev/null >"$RUN/$name.log" 2>&1 &
	echo $! >"$RUN/$name.pid"
	echo "$url" >"$RUN/$name.url.pending"
}

need() {
	command -v "$1" >/dev/null 2>&1
}

bcrypt_hash() {
	caddy hash-password --plaintext "$1" 2>/dev/null | tail -n 1
}

start_prometheus() {
	local mode=$1 name=prometheus-$1 dir=$REAL/prometheus-$1 port
	need prometheus || { skip "$name" "prometheus is not installed (apt-get install prometheus)"; return; }
	mkdir -p "$dir"
	port=$(free_port)
	printf 'global:\n  scrape_interval: 1h\nscrape_configs:\n  - job_name: self\n    static_configs:\n      - targets: ["127.0.0.1:%s"]\n' \
		"$port" >"$dir/prometheus.yml"
	local -a args=(--config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data"
		--web.listen-address="127.0.0.1:$port")
	if [ "$mode" = vuln ]; then
		# VULNERABLE [endpoint.prometheus-api, endpoint.prometheus-admin-api,
		# endpoint.metrics, endpoint.pprof]: no authentication, admin API on.
		args+=(--web.enable-admin-api)
	else
		# Hardened: basic auth on every route (exporter-toolkit web config).
		local hash
		need caddy && hash=$(bcrypt_hash "warden-lab-$RANDOM$RANDOM") || hash=""
		[ -n "$hash" ] || { skip "$name" "no bcrypt hasher (caddy hash-password) for the web config"; return; }
		printf 'basic_auth_users:\n  operator: %s\n' "$hash" >"$dir/web.yml"
		args+=(--web.config.file="$dir/web.yml")
	fi
	spawn "$name" "http://127.0.0.1:$port" prometheus "${args[@]}"
}

start_etcd() {
	local mode=$1 name=etcd-$1 dir=$REAL/etcd-$1 cport pport
	need etcd || { skip "$name" "etcd is not installed (apt-get install etcd-server)"; return; }
	mkdir -p "$dir"
	cport=$(free_port)
	pport=$(free_port)
	local scheme=http
	local -a args=(--name lab --data-dir "$dir/data" --listen-peer-urls "http://127.0.0.1:$pport"
		--initial-advertise-peer-urls "http://127.0.0.1:$pport"
		--initial-cluster "lab=http://127.0.0.1:$pport" --log-outputs stderr)
	if [ "$mode" = vuln ]; then
		# VULNERABLE [endpoint.etcd, endpoint.metrics]: plain HTTP, no client
		# authentication, the v2 API on.
		args+=(--enable-v2=true)
	else
		# Hardened: TLS with client certificate authentication, v2 off.
		scheme=https
		args+=(--client-cert-auth --trusted-ca-file "$CERTS/ca.pem" --cert-file "$CERTS/server.pem"
			--key-file "$CERTS/server-key.pem")
	fi
	args+=(--listen-client-urls "$scheme://127.0.0.1:$cport" --advertise-client-urls "$scheme://127.0.0.1:$cport")
	spawn "$name" "$scheme://127.0.0.1:$cport" etcd "${args[@]}"
}

start_caddy() {
	local mode=$1 name=caddy-$1 dir=$REAL/caddy-$1 aport sport
	need caddy || { skip "$name" "caddy is not installed (apt-get install caddy)"; return; }
	mkdir -p "$dir/data" "$dir/config"
	aport=$(free_port)
	sport=$(free_port)
	if [ "$mode" = vuln ]; then
		# VULNERABLE [endpoint.caddy-admin]: the admin API on a TCP port that
		# the scan reaches (as admin 0.0.0.0:2019 would).
		printf '{\n\tadmin 127.0.0.1:%s\n}\nhttp://127.0.0.1:%s {\n\treverse_proxy 127.0.0.1:9\n}\n' \
			"$aport" "$sport" >"$dir/Caddyfile"
		spawn "$name" "http://127.0.0.1:$aport" env HOME="$dir" XDG_DATA_HOME="$dir/data" \
			XDG_CONFIG_HOME="$dir/config" caddy run --config "$dir/Caddyfile" --adapter caddyfile
	else
		# Hardened: admin off; the site is what is reachable.
		printf '{\n\tadmin off\n}\nhttp://127.0.0.1:%s {\n\trespond "shop" 200\n}\n' \
			"$sport" >"$dir/Caddyfile"
		spawn "$name" "http://127.0.0.1:$sport" env HOME="$dir" XDG_DATA_HOME="$dir/data" \
			XDG_CONFIG_HOME="$dir/config" caddy run --config "$dir/Caddyfile" --adapter caddyfile
	fi
}

start_nats() {
	local mode=$1 name=nats-$1 dir=$REAL/nats-$1 cport mport
	need nats-server || { skip "$name" "nats-server is not installed (apt-get install nats-server)"; return; }
	mkdir -p "$dir"
	cport=$(free_port)
	mport=$(free_port)
	if [ "$mode" = vuln ]; then
		# VULNERABLE [endpoint.nats-monitoring]: monitoring on a reachable port.
		spawn "$name" "http://127.0.0.1:$mport" nats-server -a 127.0.0.1 -p "$cport" -m "$mport" \
			-n "$dir" --pid "$dir/nats.pid"
	else
		# Hardened: monitoring only on loopback-internal port, published
		# through Caddy with basic authentication (NATS has none of its own).
		need caddy || { skip "$name" "caddy is needed for the authenticating proxy"; return; }
		local pport hash
		pport=$(free_port)
		hash=$(bcrypt_hash "warden-lab-$RANDOM$RANDOM")
		mkdir -p "$dir/data" "$dir/config"
		printf '{\n\tadmin off\n}\nhttp://127.0.0.1:%s {\n\tbasicauth {\n\t\tscraper %s\n\t}\n\treverse_proxy 127.0.0.1:%s\n}\n' \
			"$pport" "$hash" "$mport" >"$dir/Caddyfile"
		(cd "$dir" && exec nats-server -a 127.0.0.1 -p "$cport" -m "$mport" -n "$dir" --pid "$dir/nats.pid") \
			</dev/null >"$RUN/$name-nats.log" 2>&1 &
		echo $! >"$RUN/$name-nats.pid"
		spawn "$name" "http://127.0.0.1:$pport" env HOME="$dir" XDG_DATA_HOME="$dir/data" \
			XDG_CONFIG_HOME="$dir/config" caddy run --config "$dir/Caddyfile" --adapter caddyfile
	fi
}

start_influxdb() {
	local mode=$1 name=influxdb-$1 dir=$REAL/influxdb-$1 hport rport auth pprof
	need influxd || { skip "$name" "influxd is not installed (apt-get install influxdb)"; return; }
	mkdir -p "$dir"
	hport=$(free_port)
	rport=$(free_port)
	# VULNERABLE [endpoint.influxdb, endpoint.pprof, endpoint.expvar,
	# endpoint.metrics]: the packaged defaults (no auth, pprof on).
	# Hardened: auth on, pprof off, and (since 1.6 serves /debug/vars and
	# /metrics whatever auth-enabled says) published through Caddy with
	# only the client routes (/query, /write, /ping).
	if [ "$mode" = vuln ]; then auth=false pprof=true; else auth=true pprof=false; fi
	cat >"$dir/influxdb.conf" <<EOF
reporting-disabled = true
bind-address = "127.0.0.1:$rport"
[meta]
  dir = "$dir/meta"
[data]
  dir = "$dir/data"
  wal-dir = "$dir/wal"
[http]
  enabled = true
  bind-address = "127.0.0.1:$hport"
  auth-enabled = $auth
  pprof-enabled = $pprof
  log-enabled = false
[monitor]
  store-enabled = false
EOF
	if [ "$mode" = vuln ]; then
		spawn "$name" "http://127.0.0.1:$hport" influxd -config "$dir/influxdb.conf"
		return
	fi
	need caddy || { skip "$name" "caddy is needed for the proxy in front of InfluxDB"; return; }
	local pport
	pport=$(free_port)
	mkdir -p "$dir/cdata" "$dir/cconfig"
	printf '{\n\tadmin off\n}\nhttp://127.0.0.1:%s {\n\t@api path /query /write /ping\n\thandle @api {\n\t\treverse_proxy 127.0.0.1:%s\n\t}\n\thandle {\n\t\trespond "not found" 404\n\t}\n}\n' \
		"$pport" "$hport" >"$dir/Caddyfile"
	(cd "$dir" && exec influxd -config "$dir/influxdb.conf") </dev/null >"$RUN/$name-backend.log" 2>&1 &
	echo $! >"$RUN/$name-backend.pid"
	echo "http://127.0.0.1:$hport" >"$RUN/$name-backend.url"
	spawn "$name" "http://127.0.0.1:$pport" env HOME="$dir" XDG_DATA_HOME="$dir/cdata" \
		XDG_CONFIG_HOME="$dir/cconfig" caddy run --config "$dir/Caddyfile" --adapter caddyfile
}

start_jupyter() {
	local mode=$1 name=jupyter-$1 dir=$REAL/jupyter-$1 port token
	need jupyter-notebook || { skip "$name" "jupyter-notebook is not installed (apt-get install jupyter-notebook)"; return; }
	mkdir -p "$dir/home" "$dir/notebooks"
	port=$(free_port)
	if [ "$mode" = vuln ]; then
		# VULNERABLE [endpoint.jupyter]: token and password switched off.
		token=""
	else
		token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
	fi
	local -a root=()
	[ "$(id -u)" -eq 0 ] && root=(--allow-root) # CI containers run as root
	spawn "$name" "http://127.0.0.1:$port" env HOME="$dir/home" JUPYTER_CONFIG_DIR="$dir/home/.jupyter" \
		JUPYTER_DATA_DIR="$dir/home/data" JUPYTER_RUNTIME_DIR="$dir/home/runtime" \
		jupyter-notebook --no-browser --ip=127.0.0.1 --port="$port" --port-retries=0 \
		--notebook-dir="$dir/notebooks" --NotebookApp.token="$token" --NotebookApp.password='' "${root[@]}"
}

start_podman() {
	local mode=$1 name=podman-$1 dir=$REAL/podman-$1 port
	need podman || { skip "$name" "podman is not installed (apt-get install podman)"; return; }
	mkdir -p "$dir/root" "$dir/run" "$dir/tmp"
	# Storage of its own under the lab (vfs: no overlay mounts needed); the
	# API answers /_ping, /version and /containers/json without any image.
	printf '[storage]\ndriver = "vfs"\nrunroot = "%s/run"\ngraphroot = "%s/root"\n' "$dir" "$dir" \
		>"$dir/storage.conf"
	local -a pm=(env CONTAINERS_STORAGE_CONF="$dir/storage.conf" HOME="$dir" podman --root "$dir/root"
		--runroot "$dir/run" --tmpdir "$dir/tmp" --storage-driver vfs system service --time=0)
	port=$(free_port)
	if [ "$mode" = vuln ]; then
		# VULNERABLE [endpoint.docker-api]: the API service on a TCP port
		# (`podman system service tcp:...`), which has no authentication.
		spawn "$name" "http://127.0.0.1:$port" "${pm[@]}" "tcp:127.0.0.1:$port"
		return
	fi
	# Hardened: the API on its unix socket only (the default), published
	# through Caddy with basic authentication.
	need caddy || { skip "$name" "caddy is needed for the authenticating proxy"; return; }
	local hash
	hash=$(bcrypt_hash "warden-lab-$RANDOM$RANDOM")
	mkdir -p "$dir/cdata" "$dir/cconfig"
	printf '{\n\tadmin off\n}\nhttp://127.0.0.1:%s {\n\tbasicauth {\n\t\toperator %s\n\t}\n\treverse_proxy unix/%s/podman.sock\n}\n' \
		"$port" "$hash" "$dir" >"$dir/Caddyfile"
	(cd "$dir" && exec "${pm[@]}" "unix://$dir/podman.sock") </dev/null >"$RUN/$name-backend.log" 2>&1 &
	echo $! >"$RUN/$name-backend.pid"
	spawn "$name" "http://127.0.0.1:$port" env HOME="$dir" XDG_DATA_HOME="$dir/cdata" \
		XDG_CONFIG_HOME="$dir/cconfig" caddy run --config "$dir/Caddyfile" --adapter caddyfile
}

# ready NAME: the service holds its URL's port itself (not another
# process that took the port after free_port chose it) and answers HTTP
# there (any status).
ready() {
	local name=$1 url port
	url=$(cat "$RUN/$name.url.pending")
	port=${url##*:}
	port=${port%%/*}
	owns_port "$(cat "$RUN/$name.pid")" "$port" || return 1
	case $name in
	etcd-hard)
		curl -s -o /dev/null --max-time 2 --cacert "$CERTS/ca.pem" --cert "$CERTS/client.pem" \
			--key "$CERTS/client-key.pem" "$url/version"
		;;
	influxdb-*) curl -s -o /dev/null --max-time 2 "$url/ping" ;;
	podman-vuln) curl -sf -o /dev/null --max-time 2 "$url/_ping" ;;
	podman-hard) [ -S "$REAL/podman-hard/podman.sock" ] && curl -s -o /dev/null --max-time 2 "$url/" ;;
	*) curl -s -o /dev/null --max-time 2 "$url/" ;;
	esac
}

cmd_start() {
	mkdir -p "$RUN" "$REAL"
	cmd_stop
	local svc mode name
	for svc in prometheus etcd caddy nats influxdb jupyter podman; do
		for mode in vuln hard; do
			rm -rf "${REAL:?}/$svc-$mode"
			rm -f "$RUN/$svc-$mode.skip" "$RUN/$svc-$mode.tries"
			"start_$svc" "$mode"
		done
	done
	local deadline=$((SECONDS + REAL_TIMEOUT)) pending
	while :; do
		pending=""
		for name in $INSTANCES; do
			[ -f "$RUN/$name.url.pending" ] || continue
			if ready "$name"; then
				mv "$RUN/$name.url.pending" "$RUN/$name.url"
				continue
			fi
			if ! ours "$(cat "$RUN/$name.pid")"; then
				rm -f "$RUN/$name.url.pending"
				# Its ports were chosen before it bound them: another
				# process may have taken one. Again, on other ports.
				if [ "$(cat "$RUN/$name.tries" 2>/dev/null || echo 1)" -lt 3 ]; then
					echo $(($(cat "$RUN/$name.tries" 2>/dev/null || echo 1) + 1)) >"$RUN/$name.tries"
					stop_instance "$name"
					rm -rf "${REAL:?}/$name"
					"start_${name%-*}" "${name##*-}"
					deadline=$((SECONDS + REAL_TIMEOUT))
					[ -f "$RUN/$name.url.pending" ] && pending="$pending $name"
					continue
				fi
				skip "$name" "exited at start: $(tail -n 3 "$RUN/$name.log" | tr '\n' ' ' | cut -c1-300)"
				continue
			fi
			pending="$pending $name"
		done
		[ -z "$pending" ] && break
		if [ "$SECONDS" -ge "$deadline" ]; then
			for name in $pending; do
				rm -f "$RUN/$name.url.pending"
				skip "$name" "no answer within ${REAL_TIMEOUT}s"
				kill "$(cat "$RUN/$name.pid")" 2>/dev/null || true
			done
			break
		fi
		sleep 0.3
	done
	# The hardened InfluxDB needs its first admin (created over loopback
	# by the lab, as an operator would) or it answers queries with a hint.
	if [ -f "$RUN/influxdb-hard.url" ]; then
		curl -s -o /dev/null --max-time 5 -XPOST "$(cat "$RUN/influxdb-hard-backend.url")/query" \
			--data-urlencode "q=CREATE USER admin WITH PASSWORD 'warden-lab-$RANDOM$RANDOM' WITH ALL PRIVILEGES" || true
	fi
	for name in $INSTANCES; do
		[ -f "$RUN/$name.url" ] && printf '%s %s\n' "$name" "$(cat "$RUN/$name.url")"
	done
	return 0
}

# stop_instance NAME: its processes (the service, a backend), at once.
stop_instance() {
	local pidfile pid
	for pidfile in "$RUN/$1.pid" "$RUN/$1-nats.pid" "$RUN/$1-backend.pid"; do
		[ -f "$pidfile" ] || continue
		pid=$(cat "$pidfile")
		if [ -n "$pid" ] && ours "$pid"; then
			kill -9 "$pid" 2>/dev/null || true
		fi
		rm -f "$pidfile"
	done
}

cmd_stop() {
	[ -d "$RUN" ] || return 0
	local name pidfile pid pids=""
	for name in $INSTANCES; do
		for pidfile in "$RUN/$name.pid" "$RUN/$name-nats.pid" "$RUN/$name-backend.pid"; do
			[ -f "$pidfile" ] || continue
			pid=$(cat "$pidfile")
			if [ -n "$pid" ] && ours "$pid"; then
				kill "$pid" 2>/dev/null || true
				pids="$pids $pid"
			fi
			rm -f "$pidfile"
		done
		rm -f "$RUN/$name.url" "$RUN/$name.url.pending" "$RUN/$name-backend.url" "$RUN/$name.tries"
	done
	local i alive
	for i in $(seq 50); do
		alive=""
		for pid in $pids; do ours "$pid" && alive="$alive $pid"; done
		pids=$alive
		[ -z "$pids" ] && break
		sleep 0.1
	done
	for pid in $pids; do kill -9 "$pid" 2>/dev/null || true; done
	return 0
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
*)
	echo "usage: $0 start|stop   (LAB_DIR=${LAB_DIR})" >&2
	exit 2
	;;
esac
