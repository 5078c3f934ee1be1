# Helpers for unix.bats (Unix-domain sockets). Names start with ux_ so they
# cannot clash with the shared helpers.
#
#   ux_nc ARGS...            runs nc (through a symlink named "nc", so messages
#                            start "nc:") in the foreground, killed after 10 s.
#   ux_start OUT ERR IN ARGS...
#                            nc ARGS... in the background with SIGINT/SIGTERM
#                            at their defaults (a background job of a script
#                            starts with SIGINT ignored); sets UX_PID, the PID
#                            of nc itself. Killed by PID in teardown.
#   ux_wait_match FILE ERE SECS [PID]
#                            polls until a line of FILE matches ERE, or SECS
#                            pass, or PID exits without it.
#   ux_wait_exit PID SECS    polls until PID exits (sets UX_RC) or SECS pass.
#   ux_wait_sock PATH SECS   polls until PATH is a socket file.
#   ux_hold_stdin            $UX_FIFO: a FIFO the test shell keeps open for
#                            writing on fd 7, so a reader sees no EOF.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

bats_require_minimum_version 1.5.0

export LC_ALL=C
unset LANG LANGUAGE

: "${NC:=$BATS_TEST_DIRNAME/../build/nc}"
[[ $NC == /* ]] || NC=$PWD/$NC

ux_setup() {
	UX_PIDS=()
	UX_BIN=$BATS_TEST_TMPDIR/bin
	mkdir -p "$UX_BIN"
	ln -sfn "$NC" "$UX_BIN/nc"
	# Short, so socket paths stay well inside sun_path's 108 bytes.
	UX_DIR=$(mktemp -d /tmp/ncux.XXXXXX)
	# The datagram client's temporary directories go here, to be counted.
	UX_TMP=$BATS_TEST_TMPDIR/tmpdir
	mkdir -p "$UX_TMP"
	export TMPDIR=$UX_TMP
}

ux_teardown() {
	exec 7>&- 2>/dev/null || true
	local pid
	for pid in "${UX_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${UX_PIDS[@]}"; do
		ux_wait_exit "$pid" 3 || kill -KILL "$pid" 2>/dev/null || true
	done
	rm -rf "$UX_DIR"
}

ux_nc() {
	(
		PATH=$UX_BIN:$PATH
		exec timeout --foreground -k 1 10 nc "$@"
	)
}

ux_start() {
	local out=$1 err=$2 in=$3
	shift 3
	env --default-signal=INT,TERM "$UX_BIN/nc" "$@" <"$in" >"$out" 2>"$err" 7>&- &
	UX_PID=$!
	UX_PIDS+=("$UX_PID")
}

ux_alive() {
	local stat
	read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

ux_now() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

ux_wait_exit() {
	local pid=$1 end=$(($(ux_now) + $2 * 1000))
	while ux_alive "$pid"; do
		(($(ux_now) < end)) || return 1
		sleep 0.02
	done
	UX_RC=0
	wait "$pid" 2>/dev/null || UX_RC=$?
	return 0
}

ux_wait_match() {
	local file=$1 re=$2 end=$(($(ux_now) + $3 * 1000)) pid=${4:-}
	while :; do
		[[ -f $file ]] && grep -Eq -- "$re" "$file" && return 0
		if [[ -n $pid ]] && ! ux_alive "$pid"; then
			[[ -f $file ]] && grep -Eq -- "$re" "$file" && return 0
			return 1
		fi
		(($(ux_now) < end)) || return 1
		sleep 0.02
	done
}

ux_wait_sock() {
	local end=$(($(ux_now) + $2 * 1000))
	until [[ -S $1 ]]; do
		(($(ux_now) < end)) || return 1
		sleep 0.02
	done
}

ux_hold_stdin() {
	UX_FIFO=$BATS_TEST_TMPDIR/stdin.fifo
	mkfifo "$UX_FIFO"
	exec 7<>"$UX_FIFO"
}

# ux_py SCRIPT ARGS...: python3 with a bounded run time.
ux_py() {
	timeout -k 1 10 python3 "$@"
}
