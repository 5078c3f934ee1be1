# Helpers for the UDP tests (bats/udp.bats). Self-contained: load it with
#
#     load udp_helpers
#
#   nc ARGS...                the nc under test, run as "nc" (for the "nc:"
#                             prefix), killed after $NC_RUN_LIMIT seconds.
#   ns_nc ARGS...             the same inside the test's network namespace.
#   start_udp_peer MODE ADDR [NS]
#                             bats/udp_peer.py MODE on ADDR, port 0, in the
#                             background (inside namespace NS if given); sets
#                             UPEER_PORT, UPEER_LOG, UPEER_PID.
#   start_udp_peer_at MODE ADDR PORT [NS]  the same on a fixed port.
#   free_udp_port ADDR        prints a UDP port on ADDR that nobody has bound.
#   bg_nc OUT ERR IN ARGS...  nc in the background; sets BG_PID.
#   wait_for_match FILE ERE SECS [PID]   bounded polling for a line.
#   wait_for_exit PID SECS    bounded polling for an exit; sets EXIT_RC.
#   make_netns                creates namespace $NS with lo up (skips the
#                             test unless root with ip and nft); teardown
#                             deletes it.
#   ns_rules RULES...         nftables input rules inside $NS.
# Background processes are killed by PID in teardown, never by name.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

bats_require_minimum_version 1.5.0

export LC_ALL=C
unset LANG LANGUAGE

: "${NC:=$BATS_TEST_DIRNAME/../build/nc}"
if [[ $NC != /* ]]; then
	NC=$PWD/$NC
fi
NC_RUN_LIMIT=${NC_RUN_LIMIT:-10}
UDP_PEER_PY=$BATS_TEST_DIRNAME/udp_peer.py

udp_setup() {
	UBG_PIDS=()
	UPEER_SEQ=0
	NS=
	NC_BIN_DIR=$BATS_TEST_TMPDIR/ours
	mkdir -p "$NC_BIN_DIR"
	ln -sfn "$NC" "$NC_BIN_DIR/nc"
}

udp_alive() {
	local stat
	[[ -r /proc/$1/stat ]] || return 1
	read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

udp_teardown() {
	local pid
	for pid in "${UBG_PIDS[@]}"; do
		udp_alive "$pid" && kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${UBG_PIDS[@]}"; do
		if ! wait_for_exit "$pid" 2; then
			kill -KILL "$pid" 2>/dev/null || true
			wait_for_exit "$pid" 2 || true
		fi
	done
	UBG_PIDS=()
	if [[ -n $NS ]]; then
		ip netns del "$NS" 2>/dev/null || true
		rm -rf "/etc/netns/$NS"
	fi
}

now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

nc() {
	(
		PATH=$NC_BIN_DIR:$PATH
		exec timeout --foreground -k 1 "$NC_RUN_LIMIT" nc "$@"
	)
}

ns_nc() {
	(
		PATH=$NC_BIN_DIR:$PATH
		exec timeout --foreground -k 1 "$NC_RUN_LIMIT" ip netns exec "$NS" nc "$@"
	)
}

wait_for_exit() {
	local pid=$1 end=$(($(now_ms) + $2 * 1000))
	while udp_alive "$pid"; do
		(($(now_ms) >= end)) && return 1
		sleep 0.02
	done
	EXIT_RC=0
	wait "$pid" 2>/dev/null || EXIT_RC=$?
	return 0
}

wait_for_match() {
	local file=$1 re=$2 end=$(($(now_ms) + $3 * 1000)) pid=${4:-}
	while :; do
		[[ -f $file ]] && grep -Eq -- "$re" "$file" && return 0
		if [[ -n $pid ]] && ! udp_alive "$pid"; then
			[[ -f $file ]] && grep -Eq -- "$re" "$file" && return 0
			return 1
		fi
		(($(now_ms) >= end)) && return 1
		sleep 0.02
	done
}

start_udp_peer_at() {
	local mode=$1 addr=$2 port=$3 ns=${4:-} n=$((UPEER_SEQ++))
	local portfile=$BATS_TEST_TMPDIR/upeer$n.port
	UPEER_LOG=$BATS_TEST_TMPDIR/upeer$n.log
	: >"$UPEER_LOG"
	if [[ -n $ns ]]; then
		ip netns exec "$ns" python3 "$UDP_PEER_PY" "$mode" "$addr" "$port" "$portfile" \
			"$UPEER_LOG" </dev/null >/dev/null 2>&1 &
	else
		python3 "$UDP_PEER_PY" "$mode" "$addr" "$port" "$portfile" "$UPEER_LOG" \
			</dev/null >/dev/null 2>&1 &
	fi
	UPEER_PID=$!
	UBG_PIDS+=("$UPEER_PID")
	local end=$(($(now_ms) + 5000))
	until [[ -s $portfile ]]; do
		if (($(now_ms) >= end)) || ! udp_alive "$UPEER_PID"; then
			echo "udp peer $mode on $addr did not start" >&2
			return 1
		fi
		sleep 0.02
	done
	UPEER_PORT=$(<"$portfile")
}

start_udp_peer() {
	start_udp_peer_at "$1" "$2" 0 "${3:-}"
}

free_udp_port() {
	python3 -c '
import socket, sys
a = sys.argv[1]
s = socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_DGRAM)
s.bind((a, 0))
print(s.getsockname()[1])' "${1:-127.0.0.1}"
}

bg_nc() {
	local out=$1 err=$2 in=$3
	shift 3
	(
		PATH=$NC_BIN_DIR:$PATH
		exec timeout --foreground -k 1 30 nc "$@"
	) <"$in" >"$out" 2>"$err" &
	BG_PID=$!
	UBG_PIDS+=("$BG_PID")
}

make_netns() {
	[[ $(id -u) == 0 ]] || skip "needs root for a network namespace"
	command -v ip >/dev/null || skip "ip (iproute2) not installed"
	command -v nft >/dev/null || skip "nft (nftables) not installed"
	NS=nc-udp-$$-$BATS_TEST_NUMBER
	ip netns add "$NS" || skip "cannot create a network namespace"
	ip -n "$NS" link set lo up
}

ns_rules() {
	local rules
	rules=$(printf '\t\t%s\n' "$@")
	ip netns exec "$NS" nft -f - <<-EOF
	table inet filter {
		chain input {
			type filter hook input priority 0; policy accept;
	$rules
		}
	}
	EOF
}
