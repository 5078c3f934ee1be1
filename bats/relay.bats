#!/usr/bin/env bats
# Moving data between stdin/stdout and a TCP connection: both directions,
# end of input (-N, -q), -d, end of the network stream, -w idle timeout,
# -W, -C, -i, and output errors.

load helpers

# input TEXT: a file holding TEXT (printf format), path on stdout.
input() {
	local f=$BATS_TEST_TMPDIR/in.$((IN_SEQ++))
	# shellcheck disable=SC2059 # TEXT is a printf format on purpose
	printf "$1" >"$f"
	echo "$f"
}
IN_SEQ=0

@test "stdin goes to the peer, the peer's data to stdout (echo, -N)" {
	start_peer echo
	run --separate-stderr nc -N 127.0.0.1 "$PEER_PORT" <"$(input 'ping\npong\n')"
	assert_success
	assert_equal "$output" "ping
pong"
	assert_equal "$stderr" ""
}

@test "a peer's banner reaches stdout; the session ends when the peer closes" {
	start_peer banner
	run --separate-stderr nc 127.0.0.1 "$PEER_PORT" </dev/null
	assert_success
	assert_equal "$output" "HELLO banner"
}

@test "-v in data mode: the success line on stderr, data on stdout" {
	# --hold: the peer reads what nc sends instead of resetting the connection.
	start_peer banner --shut --hold 5
	run --separate-stderr nc -v -N 127.0.0.1 "$PEER_PORT" <"$(input 'hi\n')"
	assert_success
	assert_equal "$output" "HELLO banner"
	assert_equal "$stderr" "Connection to 127.0.0.1 $PEER_PORT port [tcp/*] succeeded!"
}

@test "binary data round trip: 256 KiB through an echo peer, byte for byte" {
	start_peer echo
	local in=$BATS_TEST_TMPDIR/blob.in out=$BATS_TEST_TMPDIR/blob.out
	head -c 262144 /dev/urandom >"$in"
	nc -N 127.0.0.1 "$PEER_PORT" <"$in" >"$out"
	cmp "$in" "$out"
}

@test "the bytes the peer receives are exactly stdin (sink)" {
	start_peer sink
	local in
	in=$(input 'a\nb\r\n\000\377end')
	run nc -N 127.0.0.1 "$PEER_PORT" <"$in"
	assert_success
	wait_for_file "$PEER_EOF" 5 || fail "sink saw no EOF"
	cmp "$in" "$PEER_DATA"
}

@test "without -N, EOF on stdin does not end the session nor shut down the connection" {
	start_peer sink --hold 5
	start_nc "$(input 'hi\n')" 127.0.0.1 "$PEER_PORT"
	wait_for_match "$PEER_DATA" '^hi$' 5 "$NC_PID" || fail "peer did not get the data: $(cat "$NC_ERR")"
	still_running "$NC_PID" 0.5 || fail "nc exited (rc $EXIT_RC) at stdin EOF"
	[[ ! -e $PEER_EOF ]] || fail "nc shut down its write side without -N"
}

@test "-N: EOF on stdin shuts down the write side" {
	start_peer sink --hold 5
	start_nc "$(input 'hi\n')" -N 127.0.0.1 "$PEER_PORT"
	wait_for_file "$PEER_EOF" 5 || fail "peer saw no EOF"
	assert_equal "$(cat "$PEER_DATA")" "hi"
}

@test "-N with a peer that closes at EOF: nc exits 0 once the reply is out" {
	start_peer echo
	start_nc "$(input 'reply\n')" -N 127.0.0.1 "$PEER_PORT"
	wait_for_exit "$NC_PID" 5 || fail "nc still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cat "$NC_OUT")" "reply"
}

@test "-q 0 with a peer that closes at EOF: quits at once, the data sent" {
	start_peer sink
	local t0
	t0=$(now_ms)
	start_nc "$(input 'hi\n')" -q 0 127.0.0.1 "$PEER_PORT"
	wait_for_exit "$NC_PID" 3 || fail "nc -q 0 still running"
	local took
	took=$(elapsed_ms "$t0")
	assert_equal "$EXIT_RC" 0
	((took < 900)) || fail "took $took ms"
	wait_for_file "$PEER_EOF" 3 || fail "peer saw no EOF"
	assert_equal "$(cat "$PEER_DATA")" "hi"
}

@test "-q 1 with a peer that closes at EOF: shuts down the write side, prints the reply, rc 0" {
	start_peer echo
	start_nc "$(input 'hi\n')" -q 1 127.0.0.1 "$PEER_PORT"
	wait_for_exit "$NC_PID" 3 || fail "nc -q 1 still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cat "$NC_OUT")" "hi"
}

@test "-q 0 with a peer that keeps the connection open: quits at stdin EOF (ours)" {
	start_peer sink --hold 5
	local t0
	t0=$(now_ms)
	start_nc "$(input 'hi\n')" -q 0 127.0.0.1 "$PEER_PORT"
	wait_for_exit "$NC_PID" 3 || fail "nc -q 0 still running"
	local took
	took=$(elapsed_ms "$t0")
	assert_equal "$EXIT_RC" 0
	((took < 900)) || fail "took $took ms"
	wait_for_match "$PEER_DATA" '^hi$' 3 || fail "peer did not get the data"
}

@test "-q 1 with a peer that keeps the connection open: quits 1 s after stdin EOF (ours)" {
	start_peer sink --hold 5
	local t0
	t0=$(now_ms)
	start_nc "$(input 'hi\n')" -q 1 127.0.0.1 "$PEER_PORT"
	still_running "$NC_PID" 0.5 || fail "nc -q 1 exited early (rc $EXIT_RC)"
	wait_for_exit "$NC_PID" 3 || fail "nc -q 1 still running after 3.5 s"
	local took
	took=$(elapsed_ms "$t0")
	assert_equal "$EXIT_RC" 0
	((took >= 900)) || fail "took $took ms"
	assert_equal "$(cat "$PEER_DATA")" "hi"
	[[ -e $PEER_EOF ]] || fail "peer saw no EOF: -q did not shut down the write side"
}

@test "-d: stdin is never read" {
	start_peer sink --close-after 0.5
	start_nc "$(input 'secret\n')" -d 127.0.0.1 "$PEER_PORT"
	wait_for_exit "$NC_PID" 5 || fail "nc -d still running after the peer closed"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cat "$PEER_DATA")" ""
}

@test "-d: the peer's data still reaches stdout" {
	start_peer banner
	start_nc "$(input 'secret\n')" -d 127.0.0.1 "$PEER_PORT"
	wait_for_exit "$NC_PID" 5 || fail "nc -d still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cat "$NC_OUT")" "HELLO banner"
}

@test "EOF from the network, stdin at EOF: the session ends" {
	# The peer shuts down its side but keeps the connection open.
	start_peer banner --shut --hold 5
	start_nc /dev/null 127.0.0.1 "$PEER_PORT"
	wait_for_exit "$NC_PID" 3 || fail "nc still running after the peer's EOF"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cat "$NC_OUT")" "HELLO banner"
}

@test "EOF from the network: everything received is written before exit (1 MiB)" {
	start_peer blob --size 1048576
	start_nc /dev/null 127.0.0.1 "$PEER_PORT"
	wait_for_exit "$NC_PID" 5 || fail "nc still running"
	assert_equal "$EXIT_RC" 0
	python3 -c 'import sys; sys.stdout.buffer.write(bytes(i % 251 for i in range(1 << 20)))' \
		>"$BATS_TEST_TMPDIR/blob.expected"
	cmp "$BATS_TEST_TMPDIR/blob.expected" "$NC_OUT"
}

@test "EOF from the network while stdin is open: stdin is still sent until its EOF (half close)" {
	start_peer banner --shut --hold 5
	hold_stdin
	start_nc "$STDIN_FIFO" 127.0.0.1 "$PEER_PORT"
	wait_for_match "$NC_OUT" '^HELLO banner$' 5 "$NC_PID" || fail "no banner"
	still_running "$NC_PID" 0.3 || fail "nc exited (rc $EXIT_RC) with stdin still open"
	echo late >&8
	exec 8>&-
	wait_for_exit "$NC_PID" 3 || fail "nc still running after stdin EOF"
	assert_equal "$EXIT_RC" 0
	wait_for_file "$PEER_EOF" 3 || fail "peer saw no EOF"
	assert_equal "$(cat "$PEER_DATA")" "late"
}

@test "-w 1: the session ends after 1 s without traffic, rc 0" {
	start_peer echo --hold 5
	local t0
	t0=$(now_ms)
	start_nc "$(input 'hi\n')" -w 1 127.0.0.1 "$PEER_PORT"
	still_running "$NC_PID" 0.5 || fail "nc -w 1 exited early (rc $EXIT_RC)"
	wait_for_exit "$NC_PID" 3 || fail "nc -w 1 still running after 3.5 s"
	local took
	took=$(elapsed_ms "$t0")
	assert_equal "$EXIT_RC" 0
	((took >= 900)) || fail "took $took ms"
	assert_equal "$(cat "$NC_OUT")" "hi"
}

@test "-W 1: stops after one read from the network" {
	start_peer banner --hold 5
	start_nc /dev/null -W 1 127.0.0.1 "$PEER_PORT"
	wait_for_exit "$NC_PID" 3 || fail "nc -W 1 still running after the first packet"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cat "$NC_OUT")" "HELLO banner"
}

@test "without -W the same session keeps going" {
	start_peer banner --hold 5
	start_nc /dev/null 127.0.0.1 "$PEER_PORT"
	wait_for_match "$NC_OUT" '^HELLO banner$' 5 "$NC_PID"
	still_running "$NC_PID" 0.5 || fail "nc exited (rc $EXIT_RC) with the connection open"
}

@test "-C: each LF is sent as CRLF" {
	start_peer sink
	run nc -C -N 127.0.0.1 "$PEER_PORT" <"$(input 'a\nb\n')"
	assert_success
	wait_for_file "$PEER_EOF" 5 || fail "sink saw no EOF"
	printf 'a\r\nb\r\n' | cmp - "$PEER_DATA"
}

@test "without -C, LF is sent as it is" {
	start_peer sink
	run nc -N 127.0.0.1 "$PEER_PORT" <"$(input 'a\nb\n')"
	assert_success
	wait_for_file "$PEER_EOF" 5 || fail "sink saw no EOF"
	printf 'a\nb\n' | cmp - "$PEER_DATA"
}

@test "-i 1: a pause between lines sent" {
	start_peer sink
	local t0
	t0=$(now_ms)
	run nc -i 1 -N 127.0.0.1 "$PEER_PORT" <"$(input 'a\nb\n')"
	local took
	took=$(elapsed_ms "$t0")
	assert_success
	((took >= 900 && took < 4000)) || fail "took $took ms"
	wait_for_file "$PEER_EOF" 5 || fail "sink saw no EOF"
	printf 'a\nb\n' | cmp - "$PEER_DATA"
}

# run_with_broken_stdout ARGS...: nc ARGS... with stdout a pipe nobody reads,
# SIGPIPE at its default action; sets status and stderr like `run`.
run_with_broken_stdout() {
	local errf=$BATS_TEST_TMPDIR/broken.err
	status=0
	python3 - "$NC_BIN_DIR" "$@" 2>"$errf" <<'EOF' || status=$?
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
env = dict(os.environ, PATH=sys.argv[1] + ":" + os.environ["PATH"])
# restore_signals (the default) gives the child SIGPIPE's default action.
p = subprocess.run(["nc"] + sys.argv[2:], stdin=subprocess.DEVNULL, stdout=w,
                   stderr=subprocess.PIPE, env=env, timeout=10)
sys.stderr.buffer.write(p.stderr)
sys.exit(128 - p.returncode if p.returncode < 0 else p.returncode)
EOF
	stderr=$(cat "$errf")
}

@test "stdout is a pipe nobody reads: an error message, not a silent death (ours)" {
	start_peer banner --hold 2
	run_with_broken_stdout 127.0.0.1 "$PEER_PORT"
	((status != 0)) || fail "rc 0"
	[[ $stderr == "nc: "* ]] || fail "rc $status, stderr: '$stderr'"
}

@test "stdout is full (/dev/full): an error message and a non-zero rc (ours)" {
	[[ -w /dev/full ]] || skip "no /dev/full"
	start_peer banner --hold 2
	local rc=0
	nc 127.0.0.1 "$PEER_PORT" </dev/null >/dev/full 2>"$BATS_TEST_TMPDIR/full.err" || rc=$?
	((rc != 0)) || fail "rc 0"
	[[ $(cat "$BATS_TEST_TMPDIR/full.err") == "nc: "* ]] ||
		fail "rc $rc, stderr: '$(cat "$BATS_TEST_TMPDIR/full.err")'"
}
