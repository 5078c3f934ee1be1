#!/usr/bin/env bats
# --wait and --json for Unix-domain sockets (-U, -uU, --seqpacket): waiting
# for a socket file to appear and accept, the failure lines at the deadline,
# and the -z JSON objects.

load helpers

setup() {
	common_setup
}

teardown() {
	common_teardown
}

# Starts "nc -lk ARGS... PATH" after DELAY seconds, in the background. The
# sleep is the scenario (a service that comes up late), not a wait.
start_late() {
	local delay=$1
	shift
	(
		sleep "$delay"
		exec env --default-signal=INT,TERM "$NC_BIN_DIR/nc" -lk "$@"
	) </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/late.err" &
	BG_PIDS+=("$!")
}

# With -v a wait that succeeds prints its rounds, then the success line.
assert_rounds_then() {
	assert_line --index -1 "$1"
	local i
	for ((i = 0; i < ${#lines[@]} - 1; i++)); do
		[[ ${lines[i]} =~ ^nc:\ .*\ still\ down:\ .*\;\ next\ try\ in\ [0-9.]+\ s$ ]]
	done
}

make_stale() {
	stale_socket "$1"
}

# Checks JSON Lines from stdin against the documented -z schema for Unix
# sockets; prints "path proto state reason" per line.
JSON_CHECK='
import json, sys
KEYS = ["host", "address", "family", "proto", "port", "service", "state", "reason", "time_ms"]
n = 0
for line in sys.stdin:
    o = json.loads(line)
    assert list(o) == KEYS, "keys %r" % list(o)
    assert isinstance(o["host"], str)
    assert o["address"] == o["host"]
    assert o["family"] == "unix"
    assert o["proto"] in ("stream", "dgram", "seqpacket"), o["proto"]
    assert o["port"] is None and o["service"] is None
    assert o["state"] in ("open", "closed", "timeout", "error"), o["state"]
    assert o["reason"] is None or isinstance(o["reason"], str)
    assert (o["reason"] is None) == (o["state"] == "open")
    assert isinstance(o["time_ms"], (int, float)) and o["time_ms"] >= 0
    print(o["host"], o["proto"], o["state"], o["reason"])
    n += 1
assert n > 0, "no objects"
'

json_check() {
	python3 -c "$JSON_CHECK"
}

# --- --wait ------------------------------------------------------------------

@test "--wait -U: succeeds once a late listener appears; -v prints netcat's success line" {
	S=$SOCK_DIR/late.sock
	start_late 0.6 -U "$S"
	run nc -vU --wait 8 "$S"
	assert_success
	assert_rounds_then "Connection to $S succeeded!"
	# Up already: at once, and quiet without -v.
	run nc -U --wait 8 "$S"
	assert_success
	assert_output ""
}

@test "--wait -U: the deadline passes with no file: exit 1 and the failure even without -v" {
	local start=$(now_ms)
	run nc -U --wait 0.6 "$SOCK_DIR/never.sock"
	assert_failure 1
	assert_output "nc: $SOCK_DIR/never.sock (stream) not up after 0.6 s: No such file or directory"
	# It kept trying until the deadline.
	(($(now_ms) - start >= 500))
}

@test "--wait -U: a stale socket file stays refused until the deadline" {
	make_stale "$SOCK_DIR/stale.sock"
	run nc -U --wait 0.5 "$SOCK_DIR/stale.sock"
	assert_failure 1
	assert_output "nc: $SOCK_DIR/stale.sock (stream) not up after 0.5 s: Connection refused"
	# A listener replacing the stale file is then found.
	start_late 0.3 -U "$SOCK_DIR/stale.sock"
	run nc -U --wait 8 "$SOCK_DIR/stale.sock"
	assert_success
}

@test "--wait --seqpacket and -uU: each waits for its own kind of socket" {
	P=$SOCK_DIR/p.sock D=$SOCK_DIR/d.sock
	start_late 0.4 --seqpacket "$P"
	run nc -v --seqpacket --wait 8 "$P"
	assert_success
	assert_rounds_then "Connection to $P succeeded!"
	start_late 0.4 -uU "$D"
	run nc -vuU --wait 8 "$D"
	assert_success
	assert_rounds_then "Connection to $D succeeded!"
	run nc -uU --wait 0.3 "$SOCK_DIR/nod.sock"
	assert_failure 1
	assert_output "nc: $SOCK_DIR/nod.sock (dgram) not up after 0.3 s: No such file or directory"
	# The datagram probe needs no address of its own: nothing left behind.
	[ -z "$(ls -A "$NC_TMPDIR")" ]
}

@test "--wait: errors no retry mends end the wait at once" {
	P=$SOCK_DIR/p.sock
	bg_nc /dev/null "$BATS_TEST_TMPDIR/p.err" /dev/null -lkv --seqpacket "$P"
	wait_for_match "$BATS_TEST_TMPDIR/p.err" '^Listening on ' 5 "$BG_PID"
	local start=$(now_ms)
	run nc -U --wait 30 "$P"
	assert_failure 1
	assert_output "nc: $P: Protocol wrong type for socket"
	long=/tmp/$(printf 'x%.0s' {1..120})
	run nc -U --wait 30 "$long"
	assert_failure 1
	assert_output "nc: $long: File name too long"
	# Well before the 30 s deadline (bounded loosely for a loaded machine).
	(($(now_ms) - start < 8000))
}

@test "--wait: an abstract @name that appears late" {
	A=@nc-bats-wait-$$-$RANDOM
	start_late 0.4 -U "$A"
	run nc -vU --wait 8 "$A"
	assert_success
	assert_rounds_then "Connection to $A succeeded!"
}

# --- --json ------------------------------------------------------------------

@test "-zU --json: open and missing paths, one object on stdout, no human lines" {
	S=$SOCK_DIR/j.sock
	bg_nc /dev/null "$BATS_TEST_TMPDIR/l.err" /dev/null -lkvU "$S"
	wait_for_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$BG_PID"
	run --separate-stderr nc -zvU --json "$S"
	assert_success
	[ -z "$stderr" ]
	run json_check <<<"$output"
	assert_success
	assert_output "$S stream open None"
	run --separate-stderr nc -zU --json "$SOCK_DIR/none.sock"
	assert_failure 1
	[ -z "$stderr" ]
	[ "$output" == "{\"host\":\"$SOCK_DIR/none.sock\",\"address\":\"$SOCK_DIR/none.sock\",\"family\":\"unix\",\"proto\":\"stream\",\"port\":null,\"service\":null,\"state\":\"closed\",\"reason\":\"No such file or directory\",$(sed 's/.*,"time_ms"/"time_ms"/' <<<"$output")" ]
	run json_check <<<"$output"
	assert_success
}

@test "-z --json: proto names the kind; refused is closed, anything else is error" {
	D=$SOCK_DIR/d.sock P=$SOCK_DIR/p.sock
	bg_nc /dev/null "$BATS_TEST_TMPDIR/d.err" /dev/null -lkuvU "$D"
	wait_for_match "$BATS_TEST_TMPDIR/d.err" '^Bound on ' 5 "$BG_PID"
	bg_nc /dev/null "$BATS_TEST_TMPDIR/p.err" /dev/null -lkv --seqpacket "$P"
	wait_for_match "$BATS_TEST_TMPDIR/p.err" '^Listening on ' 5 "$BG_PID"
	make_stale "$SOCK_DIR/stale.sock"
	run nc -zuU --json "$D"
	assert_success
	run json_check <<<"$output"
	assert_output "$D dgram open None"
	run nc -z --seqpacket --json "$P"
	run json_check <<<"$output"
	assert_output "$P seqpacket open None"
	run nc -zU --json "$SOCK_DIR/stale.sock"
	assert_failure 1
	run json_check <<<"$output"
	assert_output "$SOCK_DIR/stale.sock stream closed Connection refused"
	run nc -zU --json "$P"
	assert_failure 1
	run json_check <<<"$output"
	assert_output "$P stream error Protocol wrong type for socket"
}

@test "--wait --json: one object for the final outcome, open or closed" {
	S=$SOCK_DIR/w.sock
	start_late 0.4 -U "$S"
	run --separate-stderr nc -U --wait 8 --json "$S"
	assert_success
	[ -z "$stderr" ]
	run json_check <<<"$output"
	assert_output "$S stream open None"
	run --separate-stderr nc -U --wait 0.3 --json "$SOCK_DIR/gone.sock"
	assert_failure 1
	[ -z "$stderr" ]
	run json_check <<<"$output"
	assert_output "$SOCK_DIR/gone.sock stream closed No such file or directory"
}

@test "--wait: a backlog that stays full is tried within the time left, then times out" {
	cat >"$BATS_TEST_TMPDIR/full.py" <<'PY'
import json, socket, subprocess, sys, time
path, nc = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(0)
held = []
while True:
    c = socket.socket(socket.AF_UNIX)
    c.setblocking(False)
    try:
        c.connect(path)
    except BlockingIOError:
        break
    held.append(c)
# No -w: each try may only take what is left of the 1 s.
t = time.monotonic()
r = subprocess.run([nc, "-U", "--wait", "1", path], capture_output=True, text=True, timeout=8)
print(r.returncode, r.stderr.strip(), time.monotonic() - t < 6)
r = subprocess.run([nc, "-U", "--wait", "0.5", "--json", path], capture_output=True, text=True, timeout=8)
o = json.loads(r.stdout)
print(r.returncode, o["state"], o["reason"])
PY
	run py "$BATS_TEST_TMPDIR/full.py" "$SOCK_DIR/full.sock" "$NC_BIN_DIR/nc"
	assert_success
	assert_output "1 nc: $SOCK_DIR/full.sock (stream) not up after 1 s: Connection timed out True
1 timeout Connection timed out"
}
