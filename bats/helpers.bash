# Common setup for the nc integration tests.  Load it from a .bats file with
#
#     load helpers
#
# The binary under test is $NC (default: build/nc next to this directory).
# Tests never run "$NC" directly: they call the shell function `nc`, which
# runs it through a symlink named "nc" in a per-test directory, so that the
# program-name prefix of its messages is "nc:" whatever the real file name
# is (nc.openbsd prints argv[0]: "/bin/nc.openbsd: ..." when run by path).
#
# Contract of the helpers (all of them must be called directly in the test
# body, not through `run`, because they set variables and start background
# processes of the test shell):
#
#   nc ARGS...                 run nc in the foreground, stdin/stdout/stderr
#                              as given; killed after $NC_RUN_LIMIT seconds
#                              (default 10: a hang fails instead of blocking).
#   start_listener ARGS...     nc -lv ARGS... 0 in the background; waits (up
#                              to 5 s, polling) for "Listening on ADDR PORT"
#                              on its stderr; sets LPID, LPORT, LADDR, LOUT,
#                              LERR.  Its stdin is $LISTEN_STDIN (default
#                              /dev/null).
#   start_listener_raw ARGS... the same with ARGS as given (no -lv, no 0).
#   start_nc IN ARGS...        nc ARGS... in the background with stdin from
#                              file IN; sets NC_PID, NC_OUT, NC_ERR.
#   start_peer MODE ARGS...    python peer (see peer.py) in the background;
#                              sets PEER_PID, PEER_PORT, PEER_DATA (what a
#                              sink received), PEER_EOF (created when a sink
#                              saw EOF), PEER_LOG ("ACCEPT addr port" lines).
#   closed_port [ADDR]         prints a port on ADDR (default 127.0.0.1) that
#                              nobody listens on.
#   py_client ADDR PORT        connects, sends stdin, shuts down its write
#                              side, prints what it receives; its source
#                              port goes to $BATS_TEST_TMPDIR/client.port.
#   wait_for_exit PID SECS     polls until PID has exited (then reaps it and
#                              sets EXIT_RC, returns 0) or SECS pass (returns
#                              1, the process keeps running).
#   wait_for_match FILE ERE SECS [PID]
#                              polls until a line of FILE matches ERE
#                              (returns 0) or SECS pass or PID has exited
#                              without the line appearing (returns 1).
#   still_running PID SECS     returns 0 if PID is still running after SECS
#                              seconds (a bounded wait_for_exit that is
#                              expected to time out).
#   hold_stdin                 creates a FIFO $STDIN_FIFO whose write end the
#                              test shell keeps open on fd 8: a process
#                              reading it sees no EOF until `exec 8>&-`.
#   now_ms / elapsed_ms T0     wall clock in milliseconds.
#
# Every background process is recorded and killed by PID in teardown; none
# is ever killed by name.  Nothing here sleeps as a way of waiting: all waits
# are bounded polling loops.

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
NC_BG_LIMIT=${NC_BG_LIMIT:-30}
PEER_PY=$BATS_TEST_DIRNAME/peer.py

# The usage block printed on every usage error.
USAGE_BLOCK="usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]
	  [-m minttl] [-O length] [-P proxy_username] [-p source_port]
	  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]
	  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]
	  [destination] [port]"

# make_nc_link DIR TARGET: DIR/nc -> TARGET (absolute), checked.
make_nc_link() {
	local dir=$1 target=$2
	if [[ ! -x $target ]]; then
		echo "nc under test not found or not executable: $target" >&2
		return 1
	fi
	mkdir -p "$dir"
	ln -sfn "$target" "$dir/nc"
}

common_setup() {
	BG_PIDS=()
	PEER_SEQ=0
	LISTENER_SEQ=0
	NC_SEQ=0
	NC_BIN_DIR=$BATS_TEST_TMPDIR/ours
	make_nc_link "$NC_BIN_DIR" "$NC" || return 1
}

common_teardown() {
	exec 8>&- 2>/dev/null || true
	local pid
	for pid in "${BG_PIDS[@]}"; do
		if proc_alive "$pid"; then
			kill -TERM "$pid" 2>/dev/null || true
		fi
	done
	for pid in "${BG_PIDS[@]}"; do
		if ! wait_for_exit "$pid" 2; then
			kill -KILL "$pid" 2>/dev/null || true
			wait_for_exit "$pid" 2 || true
		fi
	done
	BG_PIDS=()
}

setup() {
	common_setup
}

teardown() {
	common_teardown
}

# nc ARGS...: the binary under test, invoked by the name "nc".
nc() {
	(
		PATH=$NC_BIN_DIR:$PATH
		exec timeout --foreground -k 1 "$NC_RUN_LIMIT" nc "$@"
	)
}

# run_nc_from DIR ARGS...: like nc, but the "nc" found in DIR.
run_nc_from() {
	local dir=$1
	shift
	(
		PATH=$dir:$PATH
		exec timeout --foreground -k 1 "$NC_RUN_LIMIT" nc "$@"
	)
}

# proc_alive PID: true while PID exists and is not a zombie.
proc_alive() {
	local stat
	[[ -r /proc/$1/stat ]] || return 1
	read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

elapsed_ms() {
	echo $(($(now_ms) - $1))
}

# wait_for_exit PID SECS
wait_for_exit() {
	local pid=$1 secs=$2 end
	end=$(($(now_ms) + ${secs%.*} * 1000))
	if [[ $secs == *.* ]]; then
		local frac=${secs#*.}000
		end=$((end + 10#${frac:0:3}))
	fi
	while proc_alive "$pid"; do
		if (($(now_ms) >= end)); then
			return 1
		fi
		sleep 0.02
	done
	EXIT_RC=0
	wait "$pid" 2>/dev/null || EXIT_RC=$?
	return 0
}

# still_running PID SECS: PID has not exited within SECS seconds.
still_running() {
	! wait_for_exit "$1" "$2"
}

# wait_for_match FILE ERE SECS [PID]
wait_for_match() {
	local file=$1 re=$2 secs=$3 pid=${4:-} end
	end=$(($(now_ms) + secs * 1000))
	while :; do
		if [[ -f $file ]] && grep -Eq -- "$re" "$file"; then
			return 0
		fi
		if [[ -n $pid ]] && ! proc_alive "$pid"; then
			# One last look: the line may have been written just before exit.
			[[ -f $file ]] && grep -Eq -- "$re" "$file" && return 0
			return 1
		fi
		if (($(now_ms) >= end)); then
			return 1
		fi
		sleep 0.02
	done
}

# bg_nc OUT ERR IN ARGS...: nc ARGS... in the background; sets BG_PID.
bg_nc() {
	local out=$1 err=$2 in=$3
	shift 3
	# Created here, before the fork, so no one can read stale content.
	: >"$out"
	: >"$err"
	(
		PATH=$NC_BIN_DIR:$PATH
		exec timeout --foreground -k 1 "$NC_BG_LIMIT" nc "$@"
	) <"$in" >"$out" 2>"$err" 3>&- 8>&- &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

# start_listener ARGS...: nc -lv ARGS... 0 (the kernel chooses the port).
start_listener() {
	start_listener_raw -lv "$@" 0
}

# start_listener_raw ARGS...: nc ARGS... (must include -l and -v).
start_listener_raw() {
	local n=$((LISTENER_SEQ++))
	LOUT=$BATS_TEST_TMPDIR/listener$n.$BASHPID.out
	LERR=$BATS_TEST_TMPDIR/listener$n.$BASHPID.err
	bg_nc "$LOUT" "$LERR" "${LISTEN_STDIN:-/dev/null}" "$@"
	LPID=$BG_PID
	if ! wait_for_match "$LERR" '^Listening on .* [0-9]+$' 5 "$LPID"; then
		echo "listener (nc $*) did not report its port; stderr:" >&2
		cat "$LERR" >&2
		return 1
	fi
	local line
	line=$(grep -E -m1 '^Listening on .* [0-9]+$' "$LERR")
	LPORT=${line##* }
	line=${line#Listening on }
	LADDR=${line% *}
	[[ $LPORT =~ ^[0-9]+$ ]] && ((LPORT > 0))
}

# start_nc IN ARGS...: nc ARGS... in the background, stdin from IN.
start_nc() {
	local in=$1 n=$((NC_SEQ++))
	shift
	NC_OUT=$BATS_TEST_TMPDIR/nc$n.$BASHPID.out
	NC_ERR=$BATS_TEST_TMPDIR/nc$n.$BASHPID.err
	bg_nc "$NC_OUT" "$NC_ERR" "$in" "$@"
	NC_PID=$BG_PID
}

# start_peer MODE ARGS...: see peer.py.
start_peer() {
	local mode=$1 n=$((PEER_SEQ++))
	shift
	local base=$BATS_TEST_TMPDIR/peer$n.$BASHPID
	PEER_DATA=$base.data
	PEER_EOF=$base.data.eof
	PEER_LOG=$base.log
	: >"$PEER_LOG"
	: >"$base.port"
	python3 "$PEER_PY" "$mode" --out "$PEER_DATA" --log "$PEER_LOG" "$@" \
		</dev/null >"$base.port" 2>"$base.err" 3>&- 8>&- &
	PEER_PID=$!
	BG_PIDS+=("$PEER_PID")
	if ! wait_for_match "$base.port" '^PORT [0-9]+$' 5 "$PEER_PID"; then
		echo "peer $mode did not start:" >&2
		cat "$base.err" >&2
		return 1
	fi
	PEER_PORT=$(sed -n 's/^PORT //p' "$base.port")
}

# closed_port [ADDR]
closed_port() {
	python3 "$PEER_PY" closed --addr "${1:-127.0.0.1}" --limit 5 3>&- 8>&-
}

# py_client ADDR PORT: stdin -> server, server -> stdout.
py_client() {
	python3 "$PEER_PY" client --addr "$1" --port "$2" --limit 10 \
		2>"$BATS_TEST_TMPDIR/client.err" 3>&- 8>&-
	local rc=$?
	sed -n 's/^SRCPORT //p' "$BATS_TEST_TMPDIR/client.err" >"$BATS_TEST_TMPDIR/client.port"
	return $rc
}

# hold_stdin: $STDIN_FIFO never reaches EOF while fd 8 is open.
hold_stdin() {
	STDIN_FIFO=$BATS_TEST_TMPDIR/stdin.fifo
	rm -f "$STDIN_FIFO"
	mkfifo "$STDIN_FIFO"
	exec 8<>"$STDIN_FIFO"
}

# localhost_has_v6: localhost resolves to ::1 as well as to 127.0.0.1.
localhost_has_v6() {
	getent ahosts localhost 2>/dev/null | grep -q '^::1 '
}

# localhost_has_v4
localhost_has_v4() {
	getent ahosts localhost 2>/dev/null | grep -q '^127\.0\.0\.1 '
}

# wait_for_listen PORT SECS: some socket listens on TCP PORT (any address).
# For a listener started without -v, which does not print its port.
wait_for_listen() {
	local hex end
	printf -v hex '%04X' "$1"
	end=$(($(now_ms) + $2 * 1000))
	while :; do
		if awk -v p=":$hex" 'substr($2, length($2) - 4) == p && $4 == "0A" { f = 1 } END { exit !f }' \
			/proc/net/tcp /proc/net/tcp6 2>/dev/null; then
			return 0
		fi
		if (($(now_ms) >= end)); then
			return 1
		fi
		sleep 0.02
	done
}

# reverse_name ADDR: the name getnameinfo gives ADDR here, or ADDR itself.
reverse_name() {
	local name
	name=$(getent hosts "$1" | awk 'NR == 1 { print $2 }')
	echo "${name:-$1}"
}

# wait_for_file PATH SECS: PATH exists.
wait_for_file() {
	local end=$(($(now_ms) + $2 * 1000))
	while [[ ! -e $1 ]]; do
		if (($(now_ms) >= end)); then
			return 1
		fi
		sleep 0.02
	done
}
