# Helpers for bats/scan.bats (the -z scanner, --json, --wait).
#
#   scan_ns                 makes a private network namespace (root only; the
#                           test is skipped otherwise) with lo up and an
#                           /etc/hosts mapping localhost to 127.0.0.1 and ::1;
#                           later IN_NS commands run inside it.
#   listen_on ADDR PORT...  a python listener on each port (0: kernel's
#                           choice) that accepts and closes every connection,
#                           inside the namespace if there is one; waits until
#                           it listens and sets LPORTS to the ports.
#   free_port               prints a 127.0.0.1 port that nobody listens on.
#   ours ARGS... / obsd ARGS...
#                           our nc / nc.openbsd through a link named nc (so
#                           messages start "nc:"), in the namespace if any,
#                           killed after 30 s.
# Processes are killed by PID in teardown; waits are bounded polling loops.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

bats_require_minimum_version 1.5.0

export LC_ALL=C
: "${NC:=$BATS_TEST_DIRNAME/../build/nc}"
[[ $NC == /* ]] || NC=$PWD/$NC
OBSD=/bin/nc.openbsd

setup() {
	PIDS=()
	NS=
	IN_NS=()
	mkdir -p "$BATS_TEST_TMPDIR/ours" "$BATS_TEST_TMPDIR/obsd"
	ln -sf "$NC" "$BATS_TEST_TMPDIR/ours/nc"
	[[ -x $OBSD ]] && ln -sf "$OBSD" "$BATS_TEST_TMPDIR/obsd/nc"
	return 0
}

teardown() {
	local p
	for p in "${PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	if [[ -n $NS ]]; then
		ip netns del "$NS" 2>/dev/null || true
		rm -rf "/etc/netns/$NS"
	fi
}

scan_ns() {
	[[ $(id -u) == 0 ]] || skip "needs root for a network namespace"
	command -v ip >/dev/null || skip "needs iproute2"
	NS=ncscan.$$.${BATS_TEST_NUMBER}
	# ip netns exec mounts /etc/netns/NAME/hosts over /etc/hosts.
	mkdir -p "/etc/netns/$NS"
	printf '127.0.0.1 localhost\n::1 localhost\n' >"/etc/netns/$NS/hosts"
	ip netns add "$NS" || skip "cannot make a network namespace"
	ip netns exec "$NS" ip link set lo up
	IN_NS=(ip netns exec "$NS")
}

listen_on() {
	local addr=$1 ready=$BATS_TEST_TMPDIR/ready.$RANDOM
	shift
	"${IN_NS[@]}" python3 -c '
import socket, sys, os
addr, ready, ports = sys.argv[1], sys.argv[2], sys.argv[3:]
fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
socks = []
for p in ports:
    s = socket.socket(fam)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, int(p)))
    s.listen(1024)
    socks.append(s)
with open(ready + ".tmp", "w") as f:
    f.write(" ".join(str(s.getsockname()[1]) for s in socks) + "\n")
os.rename(ready + ".tmp", ready)
import select
while True:
    r, _, _ = select.select(socks, [], [], 60)
    if not r:
        break
    for s in r:
        c, _ = s.accept()
        c.close()
' "$addr" "$ready" "$@" &
	PIDS+=($!)
	local i
	for i in $(seq 100); do
		[[ -s $ready ]] && break
		sleep 0.05
	done
	[[ -s $ready ]] || { echo "listener did not start" >&2; return 1; }
	read -ra LPORTS <"$ready"
}

free_port() {
	"${IN_NS[@]}" python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

ours() {
	"${IN_NS[@]}" timeout 30 "$BATS_TEST_TMPDIR/ours/nc" "$@"
}

obsd() {
	"${IN_NS[@]}" timeout 30 "$BATS_TEST_TMPDIR/obsd/nc" "$@"
}

need_obsd() {
	[[ -x $OBSD ]] || skip "no $OBSD"
}

now_ms() {
	local t=$EPOCHREALTIME
	echo $((${t%.*} * 1000 + 10#${t#*.} / 1000))
}
