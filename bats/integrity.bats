#!/usr/bin/env bats
# Bulk transfers arrive intact, byte for byte, through the relay's fast path
# (splice/sendfile) and its read/write fallback, and the relay's session
# rules (-N, -q, -d, -w, network EOF) hold on that path.

load integrity_helpers

setup_file() {
	export DATA=$BATS_FILE_TMPDIR/data
	head -c $((64 * 1024 * 1024)) /dev/urandom >"$DATA"
	export SUM
	SUM=$(sha256sum <"$DATA" | cut -d' ' -f1)
	# Reads in small pieces with pauses: the sender meets a full socket often.
	export SLOW=$BATS_FILE_TMPDIR/slow.py
	cat >"$SLOW" <<'PY'
import os, sys, time
while True:
    b = os.read(0, 65536)
    if not b:
        break
    sys.stdout.buffer.write(b)
    time.sleep(0.0005)
PY
}

# peer_port: the port integrity_peer.py printed.
peer_port() {
	local end=$(($(ig_ms) + 5000)) f=$BATS_TEST_TMPDIR/peer.port
	until grep -q '^PORT ' "$f" 2>/dev/null; do
		(($(ig_ms) < end)) || fail "peer did not start: $(cat "$BATS_TEST_TMPDIR/peer.err")"
		sleep 0.02
	done
	IG_PORT=$(sed -n 's/^PORT //p' "$f")
}

setup() {
	PEER=$BATS_TEST_DIRNAME/integrity_peer.py
	ig_setup
	OUT=$BATS_TEST_TMPDIR/out
}

teardown() {
	ig_teardown
}

# send CMD: runs the sending side in the foreground (bounded).
send() {
	timeout -k 2 "$IG_LIMIT" bash -c "$1" 2>"$BATS_TEST_TMPDIR/send.err"
}

# finish: waits for the listener, checks its exit status and the bytes.
finish() {
	ig_wait "$LPID" 30 || fail "listener still running"
	assert_equal "$IG_RC" 0
	assert_equal "$(ig_sum "${1:-$OUT}")" "$SUM"
}

@test "tcp: stdin a file, stdout a file" {
	ig_listen srv "nc -lv 127.0.0.1 0 >'$OUT'"
	LPID=$IG_PID
	send "nc -N 127.0.0.1 $IG_PORT <'$DATA'"
	finish
}

@test "tcp: stdin a pipe, stdout a pipe" {
	ig_listen srv "nc -lv 127.0.0.1 0 | cat >'$OUT'"
	LPID=$IG_PID
	send "cat '$DATA' | nc -N 127.0.0.1 $IG_PORT"
	finish
}

@test "tcp: stdin a socket, stdout a socket (socketpairs from socat)" {
	ig_listen srv "socat -u EXEC:'nc -lv 127.0.0.1 0' CREATE:'$OUT'"
	LPID=$IG_PID
	send "socat -u OPEN:'$DATA' EXEC:'nc -N 127.0.0.1 $IG_PORT'"
	finish
}

@test "tcp: stdout a file opened for appending (splice refused, read/write fallback)" {
	printf 'head' >"$OUT"
	ig_listen srv "nc -lv 127.0.0.1 0 >>'$OUT'"
	LPID=$IG_PID
	send "nc -N 127.0.0.1 $IG_PORT <'$DATA'"
	ig_wait "$LPID" 30 || fail "listener still running"
	assert_equal "$IG_RC" 0
	assert_equal "$(head -c 4 "$OUT")" head
	assert_equal "$(tail -c +5 "$OUT" | sha256sum | cut -d' ' -f1)" "$SUM"
}

@test "tcp: a slow reader behind the receiver" {
	ig_listen srv "nc -lv 127.0.0.1 0 | python3 '$SLOW' >'$OUT'"
	LPID=$IG_PID
	send "nc -N 127.0.0.1 $IG_PORT <'$DATA'"
	finish
}

@test "tcp: the listener sends, the client reads with -d into a pipe" {
	ig_listen srv "nc -lvN 127.0.0.1 0 <'$DATA'"
	LPID=$IG_PID
	send "nc -d 127.0.0.1 $IG_PORT | cat >'$OUT'"
	assert_equal "$(ig_sum "$OUT")" "$SUM"
	ig_wait "$LPID" 10 || fail "listener still running"
	assert_equal "$IG_RC" 0
}

@test "tcp: -q 0 quits at stdin EOF with everything sent" {
	ig_listen srv "nc -lv 127.0.0.1 0 >'$OUT'"
	LPID=$IG_PID
	send "nc -q 0 127.0.0.1 $IG_PORT <'$DATA'"
	finish
}

@test "tcp: -q 1 with a pipe as stdin" {
	ig_listen srv "nc -lv 127.0.0.1 0 >'$OUT'"
	LPID=$IG_PID
	send "cat '$DATA' | nc -q 1 127.0.0.1 $IG_PORT"
	finish
}

# The peer sends while it receives, and half-closes only after our EOF: a
# relay that ends at network EOF has then nothing left unsent.
@test "tcp: both directions at once, our client" {
	local back=$BATS_TEST_TMPDIR/back
	ig_bg peer "python3 '$PEER' listen 127.0.0.1 0 '$DATA' '$OUT' >'$BATS_TEST_TMPDIR/peer.port'"
	LPID=$IG_PID
	peer_port
	send "nc -N 127.0.0.1 $IG_PORT <'$DATA' >'$back'"
	assert_equal "$(ig_sum "$back")" "$SUM"
	finish
}

@test "tcp: both directions at once, our listener, pipes" {
	local back=$BATS_TEST_TMPDIR/back
	ig_listen srv "cat '$DATA' | nc -lvN 127.0.0.1 0 | cat >'$OUT'"
	LPID=$IG_PID
	send "python3 '$PEER' connect 127.0.0.1 $IG_PORT '$DATA' '$back'"
	finish
	assert_equal "$(ig_sum "$back")" "$SUM"
}

@test "tcp: writing to a full device fails with ENOSPC" {
	ig_listen srv "nc -lv 127.0.0.1 0 >/dev/full"
	LPID=$IG_PID
	send "nc -N 127.0.0.1 $IG_PORT <'$DATA'" || true
	ig_wait "$LPID" 30 || fail "listener still running"
	assert_equal "$IG_RC" 1
	run grep -x 'nc: write: No space left on device' "$BATS_TEST_TMPDIR/srv.err"
	assert_success
}

@test "fast path: without -N, stdin EOF does not end the session; network EOF does" {
	ig_listen srv "nc -lv 127.0.0.1 0 >'$OUT'"
	LPID=$IG_PID
	ig_bg cli "nc 127.0.0.1 $IG_PORT <'$DATA'"
	local cli=$IG_PID end=$(($(ig_ms) + 20000))
	until [[ $(stat -c %s "$OUT") -eq $((64 * 1024 * 1024)) ]]; do
		(($(ig_ms) < end)) || fail "data did not arrive"
		sleep 0.05
	done
	# Both sides keep the session although the client's stdin is at EOF.
	! ig_wait "$cli" 1 || fail "client ended at stdin EOF without -N"
	ig_alive "$LPID" || fail "listener ended early"
	# The listener going away is network EOF for the client.
	kill -TERM "$LPID"
	ig_wait "$cli" 10 || fail "client did not end at network EOF"
	assert_equal "$IG_RC" 0
	assert_equal "$(ig_sum "$OUT")" "$SUM"
}

@test "fast path: network EOF is a half-close; stdin's EOF then ends the session" {
	local fifo=$BATS_TEST_TMPDIR/stdin
	mkfifo "$fifo"
	exec 8<>"$fifo"
	ig_listen srv "nc -lvN 127.0.0.1 0 <'$DATA' >'$BATS_TEST_TMPDIR/srv.out'"
	LPID=$IG_PID
	ig_bg cli "nc 127.0.0.1 $IG_PORT <'$fifo' >'$OUT'"
	local cli=$IG_PID end=$(($(ig_ms) + 20000))
	until [[ $(stat -c %s "$OUT") -eq $((64 * 1024 * 1024)) ]]; do
		(($(ig_ms) < end)) || fail "data did not arrive"
		sleep 0.05
	done
	! ig_wait "$cli" 1 || fail "client ended at network EOF with stdin open"
	# stdin still goes out after the network's EOF.
	echo late >&8
	exec 8>&-
	ig_wait "$cli" 10 || fail "client did not end at stdin EOF"
	assert_equal "$IG_RC" 0
	assert_equal "$(ig_sum "$OUT")" "$SUM"
	ig_wait "$LPID" 10 || fail "listener still running"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/srv.out")" late
}

@test "fast path: -w ends an idle session" {
	local fifo=$BATS_TEST_TMPDIR/stdin
	mkfifo "$fifo"
	exec 8<>"$fifo"
	ig_listen srv "nc -lv 127.0.0.1 0 <'$fifo'"
	LPID=$IG_PID
	local t0
	t0=$(ig_ms)
	ig_bg cli "nc -w 1 127.0.0.1 $IG_PORT <'$fifo'"
	ig_wait "$IG_PID" 10 || fail "client not ended by -w 1"
	assert_equal "$IG_RC" 0
	(($(ig_ms) - t0 >= 900)) || fail "ended before the idle time"
}

@test "fast path: -d reads nothing from stdin" {
	ig_listen srv "nc -lv 127.0.0.1 0 >'$OUT'"
	LPID=$IG_PID
	ig_bg cli "nc -d 127.0.0.1 $IG_PORT <'$DATA'"
	local cli=$IG_PID
	! ig_wait "$cli" 1 || fail "client ended by itself"
	kill -TERM "$LPID"
	ig_wait "$cli" 10 || fail "client did not end at network EOF"
	assert_equal "$(stat -c %s "$OUT")" 0
}

unix_or_skip() {
	ig_unix_supported || skip "our nc says -U is not supported yet (issue 4)"
	SOCK=$BATS_TEST_TMPDIR/s.sock
}

# wait_sock: polls for a listening Unix socket at $SOCK.
wait_sock() {
	local end=$(($(ig_ms) + 5000))
	# The file appears at bind(2), before listen(2): a peer that connects in
	# between is refused. ss(8) tells the states apart without connecting.
	until ss -Hxl | awk -v p="$SOCK" '$2 == "LISTEN" && $5 == p { f = 1 } END { exit !f }'; do
		(($(ig_ms) < end)) || fail "no socket at $SOCK"
		sleep 0.02
	done
}

@test "unix: our client, stdin a file, into socat" {
	unix_or_skip
	ig_bg srv "socat -u UNIX-LISTEN:'$SOCK' CREATE:'$OUT'"
	LPID=$IG_PID
	wait_sock
	send "nc -NU '$SOCK' <'$DATA'"
	finish
}

@test "unix: our listener, stdout a pipe, from socat" {
	unix_or_skip
	ig_bg srv "nc -lU '$SOCK' | cat >'$OUT'"
	LPID=$IG_PID
	wait_sock
	send "socat -u OPEN:'$DATA' UNIX-CONNECT:'$SOCK'"
	finish
}

@test "unix: both directions at once, stdin a pipe" {
	unix_or_skip
	local back=$BATS_TEST_TMPDIR/back
	ig_bg peer "python3 '$PEER' listen unix '$SOCK' '$DATA' '$OUT' >'$BATS_TEST_TMPDIR/peer.port'"
	LPID=$IG_PID
	peer_port
	send "cat '$DATA' | nc -NU '$SOCK' >'$back'"
	assert_equal "$(ig_sum "$back")" "$SUM"
	finish
}
