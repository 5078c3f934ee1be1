#!/usr/bin/env bats
# Bulk transfers arrive intact, byte for byte, through the relay's fast path
# (splice/sendfile) and its read/write fallback, and the relay's session
# rules (-N, -q, -d, -w, network EOF) hold on that path.

load helpers

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

# 64 MiB each way on a loaded machine: the background limit is doubled.
NC_BG_LIMIT=60

setup() {
	common_setup
	# The shell commands below (bash -c, socat EXEC) find the nc under test.
	PATH=$NC_BIN_DIR:$PATH
	OUT=$BATS_TEST_TMPDIR/out
}

# has_all FILE: FILE holds as many bytes as $DATA.
has_all() {
	[[ $(stat -c %s "$1") -eq $((64 * 1024 * 1024)) ]]
}

# send CMD: runs the sending side in the foreground (bounded).
send() {
	timeout -k 2 "$NC_BG_LIMIT" bash -c "$1" 2>"$BATS_TEST_TMPDIR/send.err"
}

# finish: waits for the listener, checks its exit status and the bytes.
finish() {
	wait_for_exit "$LPID" 30 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(sha256_of "${1:-$OUT}")" "$SUM"
}

@test "tcp: stdin a file, stdout a file" {
	start_listener_raw --sh srv "nc -lv 127.0.0.1 0 >'$OUT'"
	send "nc -N 127.0.0.1 $LPORT <'$DATA'"
	finish
}

@test "tcp: stdin a pipe, stdout a pipe" {
	start_listener_raw --sh srv "nc -lv 127.0.0.1 0 | cat >'$OUT'"
	send "cat '$DATA' | nc -N 127.0.0.1 $LPORT"
	finish
}

@test "tcp: stdin a socket, stdout a socket (socketpairs from socat)" {
	start_listener_raw --sh srv "socat -u EXEC:'nc -lv 127.0.0.1 0' CREATE:'$OUT'"
	send "socat -u OPEN:'$DATA' EXEC:'nc -N 127.0.0.1 $LPORT'"
	finish
}

@test "tcp: stdout a file opened for appending (splice refused, read/write fallback)" {
	printf 'head' >"$OUT"
	start_listener_raw --sh srv "nc -lv 127.0.0.1 0 >>'$OUT'"
	send "nc -N 127.0.0.1 $LPORT <'$DATA'"
	wait_for_exit "$LPID" 30 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(head -c 4 "$OUT")" head
	assert_equal "$(tail -c +5 "$OUT" | sha256sum | cut -d' ' -f1)" "$SUM"
}

@test "tcp: a slow reader behind the receiver" {
	start_listener_raw --sh srv "nc -lv 127.0.0.1 0 | python3 '$SLOW' >'$OUT'"
	send "nc -N 127.0.0.1 $LPORT <'$DATA'"
	finish
}

@test "tcp: the listener sends, the client reads with -d into a pipe" {
	start_listener_raw --sh srv "nc -lvN 127.0.0.1 0 <'$DATA'"
	send "nc -d 127.0.0.1 $LPORT | cat >'$OUT'"
	assert_equal "$(sha256_of "$OUT")" "$SUM"
	wait_for_exit "$LPID" 10 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
}

@test "tcp: -q 0 quits at stdin EOF with everything sent" {
	start_listener_raw --sh srv "nc -lv 127.0.0.1 0 >'$OUT'"
	send "nc -q 0 127.0.0.1 $LPORT <'$DATA'"
	finish
}

@test "tcp: -q 1 with a pipe as stdin" {
	start_listener_raw --sh srv "nc -lv 127.0.0.1 0 >'$OUT'"
	send "cat '$DATA' | nc -q 1 127.0.0.1 $LPORT"
	finish
}

# The peer sends while it receives, and half-closes only after our EOF: a
# relay that ends at network EOF has then nothing left unsent.
@test "tcp: both directions at once, our client" {
	local back=$BATS_TEST_TMPDIR/back
	start_peer duplex --limit 60 --in "$DATA" --out "$OUT"
	LPID=$PEER_PID
	send "nc -N 127.0.0.1 $PEER_PORT <'$DATA' >'$back'"
	assert_equal "$(sha256_of "$back")" "$SUM"
	finish
}

@test "tcp: both directions at once, our listener, pipes" {
	local back=$BATS_TEST_TMPDIR/back
	start_listener_raw --sh srv "cat '$DATA' | nc -lvN 127.0.0.1 0 | cat >'$OUT'"
	send "python3 '$PEER_PY' duplex --limit 60 --connect --port $LPORT --in '$DATA' --out '$back'"
	finish
	assert_equal "$(sha256_of "$back")" "$SUM"
}

@test "tcp: writing to a full device fails with ENOSPC" {
	start_listener_raw --sh srv "nc -lv 127.0.0.1 0 >/dev/full"
	send "nc -N 127.0.0.1 $LPORT <'$DATA'" || true
	wait_for_exit "$LPID" 30 || fail "listener still running"
	assert_equal "$EXIT_RC" 1
	run grep -x 'nc: write: No space left on device' "$BATS_TEST_TMPDIR/srv.err"
	assert_success
}

@test "fast path: without -N, stdin EOF does not end the session; network EOF does" {
	start_listener_raw --sh srv "nc -lv 127.0.0.1 0 >'$OUT'"
	bg_nc "$BATS_TEST_TMPDIR/cli.out" "$BATS_TEST_TMPDIR/cli.err" "$DATA" 127.0.0.1 "$LPORT"
	local cli=$BG_PID
	wait_until 20 has_all "$OUT" || fail "data did not arrive"
	# Both sides keep the session although the client's stdin is at EOF.
	! wait_for_exit "$cli" 1 || fail "client ended at stdin EOF without -N"
	proc_alive "$LPID" || fail "listener ended early"
	# The listener going away is network EOF for the client.
	kill -TERM "$LPID"
	wait_for_exit "$cli" 10 || fail "client did not end at network EOF"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(sha256_of "$OUT")" "$SUM"
}

@test "fast path: network EOF is a half-close; stdin's EOF then ends the session" {
	hold_stdin
	LISTEN_STDIN=$DATA start_listener -N 127.0.0.1
	bg_nc "$OUT" "$BATS_TEST_TMPDIR/cli.err" "$STDIN_FIFO" 127.0.0.1 "$LPORT"
	local cli=$BG_PID
	wait_until 20 has_all "$OUT" || fail "data did not arrive"
	! wait_for_exit "$cli" 1 || fail "client ended at network EOF with stdin open"
	# stdin still goes out after the network's EOF.
	echo late >&8
	exec 8>&-
	wait_for_exit "$cli" 10 || fail "client did not end at stdin EOF"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(sha256_of "$OUT")" "$SUM"
	wait_for_exit "$LPID" 10 || fail "listener still running"
	assert_equal "$(cat "$LOUT")" late
}

@test "fast path: -w ends an idle session" {
	hold_stdin
	LISTEN_STDIN=$STDIN_FIFO start_listener 127.0.0.1
	local t0
	t0=$(now_ms)
	bg_nc "$BATS_TEST_TMPDIR/cli.out" "$BATS_TEST_TMPDIR/cli.err" "$STDIN_FIFO" -w 1 127.0.0.1 "$LPORT"
	wait_for_exit "$BG_PID" 10 || fail "client not ended by -w 1"
	assert_equal "$EXIT_RC" 0
	(($(now_ms) - t0 >= 900)) || fail "ended before the idle time"
}

@test "fast path: -d reads nothing from stdin" {
	start_listener_raw --sh srv "nc -lv 127.0.0.1 0 >'$OUT'"
	bg_nc "$BATS_TEST_TMPDIR/cli.out" "$BATS_TEST_TMPDIR/cli.err" "$DATA" -d 127.0.0.1 "$LPORT"
	local cli=$BG_PID
	! wait_for_exit "$cli" 1 || fail "client ended by itself"
	kill -TERM "$LPID"
	wait_for_exit "$cli" 10 || fail "client did not end at network EOF"
	assert_equal "$(stat -c %s "$OUT")" 0
}

@test "unix: our client, stdin a file, into socat" {
	SOCK=$SOCK_DIR/s.sock
	spawn "$BATS_TEST_TMPDIR/srv.out" "$BATS_TEST_TMPDIR/srv.err" /dev/null \
		socat -u "UNIX-LISTEN:$SOCK" "CREATE:$OUT"
	LPID=$BG_PID
	wait_for_listen "$SOCK" 10 || fail "no socket at $SOCK"
	send "nc -NU '$SOCK' <'$DATA'"
	finish
}

@test "unix: our listener, stdout a pipe, from socat" {
	SOCK=$SOCK_DIR/s.sock
	spawn "$BATS_TEST_TMPDIR/srv.out" "$BATS_TEST_TMPDIR/srv.err" /dev/null bash -c "nc -lU '$SOCK' | cat >'$OUT'"
	LPID=$BG_PID
	wait_for_listen "$SOCK" 10 || fail "no socket at $SOCK"
	send "socat -u OPEN:'$DATA' UNIX-CONNECT:'$SOCK'"
	finish
}

@test "unix: both directions at once, stdin a pipe" {
	SOCK=$SOCK_DIR/s.sock
	local back=$BATS_TEST_TMPDIR/back
	start_peer duplex --limit 60 --unix "$SOCK" --in "$DATA" --out "$OUT"
	LPID=$PEER_PID
	send "cat '$DATA' | nc -NU '$SOCK' >'$back'"
	assert_equal "$(sha256_of "$back")" "$SUM"
	finish
}
