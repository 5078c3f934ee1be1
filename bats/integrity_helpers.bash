# Helpers for bats/integrity.bats: background processes started from shell
# command strings, killed by PID in teardown; bounded polling waits only.
#
#   ig_setup / ig_teardown   per test; "nc" on PATH is the binary under test.
#   ig_bg NAME CMD           bash -c CMD in the background (stderr to
#                            $BATS_TEST_TMPDIR/NAME.err); sets IG_PID.
#   ig_listen NAME CMD       ig_bg, then waits for "Listening on ADDR PORT"
#                            in NAME.err; sets IG_PORT.
#   ig_wait PID SECS         polls until PID exits (sets IG_RC) or fails.
#   ig_sum FILE              sha256 of FILE.
#   ig_unix_supported        true when our nc accepts -U.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

export LC_ALL=C
: "${NC:=$BATS_TEST_DIRNAME/../build/nc}"
[[ $NC == /* ]] || NC=$PWD/$NC
IG_LIMIT=${IG_LIMIT:-60}

ig_setup() {
	IG_PIDS=()
	local bin=$BATS_TEST_TMPDIR/bin
	mkdir -p "$bin"
	ln -sfn "$NC" "$bin/nc"
	PATH=$bin:$PATH
}

ig_alive() {
	local stat
	read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

ig_teardown() {
	local pid
	exec 8>&- 2>/dev/null || true
	for pid in "${IG_PIDS[@]}"; do
		ig_alive "$pid" && kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${IG_PIDS[@]}"; do
		ig_wait "$pid" 3 || { kill -KILL "$pid" 2>/dev/null; ig_wait "$pid" 3; }
	done
	return 0
}

ig_bg() {
	local name=$1 cmd=$2
	timeout -k 2 "$IG_LIMIT" bash -c "$cmd" 2>"$BATS_TEST_TMPDIR/$name.err" 8>&- &
	IG_PID=$!
	IG_PIDS+=("$IG_PID")
}

ig_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

ig_wait() {
	local pid=$1 end=$(($(ig_ms) + $2 * 1000))
	while ig_alive "$pid"; do
		(($(ig_ms) < end)) || return 1
		sleep 0.02
	done
	IG_RC=0
	wait "$pid" 2>/dev/null || IG_RC=$?
	return 0
}

ig_listen() {
	local name=$1 err=$BATS_TEST_TMPDIR/$1.err end line
	ig_bg "$@"
	end=$(($(ig_ms) + 5000))
	until line=$(grep -E -m1 '^Listening on ' "$err" 2>/dev/null); do
		if (($(ig_ms) > end)) || ! ig_alive "$IG_PID"; then
			echo "listener did not start: $(cat "$err")" >&2
			return 1
		fi
		sleep 0.02
	done
	IG_PORT=${line##* }
}

ig_sum() {
	sha256sum <"$1" | cut -d' ' -f1
}

ig_unix_supported() {
	! timeout 5 nc -U "$BATS_TEST_TMPDIR/none.sock" </dev/null 2>&1 | grep -q 'not supported yet'
}
