# ports.sh: sourced by labctl.sh and realctl.sh (needs $PYTHON).

# free_port: a TCP port nothing listens on right now on 127.0.0.1. Another
# process may bind it before the service it is meant for does: check the
# service with owns_port once it answers, and start it again on another
# port when it exited or does not own it.
free_port() {
	"$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# owns_port PID PORT: process PID itself holds the socket listening on
# PORT (a connection there reaches it, not another process that bound the
# port after free_port chose it).
owns_port() {
	local pid=$1 hex inode
	hex=$(printf ':%04X' "$2")
	for inode in $(awk -v h="$hex" '$4 == "0A" && substr($2, length($2) - 4) == h { print $10 }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null); do
		ls -l "/proc/$pid/fd" 2>/dev/null | grep -qF "socket:[$inode]" && return 0
	done
	return 1
}
