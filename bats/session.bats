#!/usr/bin/env bats
# How a session ends (issue 9, item 1) and nc started with fd 0, 1 or 2
# closed (item 4). Listeners here have a stdin that stays open (a FIFO the
# test holds, or a terminal), as a user's does: network EOF ends a
# listener's session whatever stdin does; in connect mode it stays a
# half-close. Where it applies, netcat-openbsd ($NC_REF) runs the same
# scenario and must end the same way.

load helpers

# random_file PATH KIB
random_file() {
	head -c $(($2 * 1024)) /dev/urandom >"$1"
}

# receive_file DIR [LISTENER OPTIONS...]: `nc -l > file` with the stdin held
# open, `nc -N < file` from the nc in DIR; both must exit 0 and the file
# arrive whole. The sender is always ours; the listener is DIR's.
receive_file() {
	local dir=$1
	shift
	local data=$BATS_TEST_TMPDIR/data
	random_file "$data" 2048
	hold_stdin
	local NC_BIN_DIR=$dir
	LISTEN_STDIN=$STDIN_FIFO start_listener "$@"
	NC_BIN_DIR=$BATS_TEST_TMPDIR/ours
	nc -N 127.0.0.1 "$LPORT" <"$data" || fail "sender: rc $?"
	wait_for_exit "$LPID" 10 || fail "listener (nc -l $*) still running after the sender closed"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(sha256sum <"$LOUT")" "$(sha256sum <"$data")"
}

@test "nc -l > file, nc -N < file: both exit, the file is whole, the listener's stdin still open" {
	receive_file "$NC_BIN_DIR"
}

@test "the same through the buffered relay (-C on the listener)" {
	receive_file "$NC_BIN_DIR" -C
}

@test "the same with -N, -d, -q 0, -q -1, -w 5 on the listener" {
	local opt
	for opt in -N -d "-q 0" "-q -1" "-w 5"; do
		# shellcheck disable=SC2086
		receive_file "$NC_BIN_DIR" $opt
	done
}

@test "differential: netcat-openbsd's listener ends the same way (exit 0, file whole)" {
	need_ref
	receive_file "$REF_BIN_DIR"
	receive_file "$REF_BIN_DIR" -N
}

# three_clients DIR: nc -lk from DIR, stdin held open, serves three of our
# clients in turn; each client exits, the listener stays.
three_clients() {
	local NC_BIN_DIR=$1 n
	hold_stdin
	LISTEN_STDIN=$STDIN_FIFO start_listener -k
	NC_BIN_DIR=$BATS_TEST_TMPDIR/ours
	for n in 1 2 3; do
		printf 'client %s\n' "$n" | nc -N 127.0.0.1 "$LPORT" ||
			fail "client $n: rc $? (the listener did not end the previous session?)"
		wait_for_match "$LOUT" "^client $n\$" 5 "$LPID" || fail "client $n's line did not arrive"
	done
	still_running "$LPID" 0.3 || fail "-k listener exited (rc $EXIT_RC)"
	assert_equal "$(cat "$LOUT")" "client 1
client 2
client 3"
}

@test "-lk serves three clients in turn while its stdin stays open" {
	three_clients "$NC_BIN_DIR"
}

@test "differential: netcat-openbsd -lk serves the three clients too" {
	need_ref
	three_clients "$REF_BIN_DIR"
}

@test "-q 5 on a listener: the peer's close ends the session at once; with -k the next client is served" {
	hold_stdin
	LISTEN_STDIN=$STDIN_FIFO start_listener -k -q 5
	local t0
	t0=$(now_ms)
	echo one | nc -N 127.0.0.1 "$LPORT" || fail "client 1: rc $?"
	echo two | nc -N 127.0.0.1 "$LPORT" || fail "client 2: rc $?"
	wait_for_match "$LOUT" '^two$' 5 "$LPID" || fail "client 2's line did not arrive"
	local took
	took=$(elapsed_ms "$t0")
	((took < 4000)) || fail "took $took ms: waited for the -q time"
	still_running "$LPID" 0.3 || fail "-k listener exited (rc $EXIT_RC)"
}

@test "the peer's close ends the session while the peer is still reading: the listener does not wait for stdin" {
	# A client that half-closes and then waits for the listener's EOF.
	hold_stdin
	LISTEN_STDIN=$STDIN_FIFO start_listener
	run py_client 127.0.0.1 "$LPORT" <<<"question"
	assert_success
	assert_output ""
	wait_for_exit "$LPID" 5 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cat "$LOUT")" "question"
}

# unix_listener_ends KIND_OPTS...: a Unix listener with stdin held open
# ends when our client closes.
unix_listener_ends() {
	local sock=$BATS_TEST_TMPDIR/s.sock
	hold_stdin
	bg_nc "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" "$STDIN_FIFO" -l "$@" "$sock"
	local lpid=$BG_PID
	wait_for_listen "$sock" 5 || fail "no socket at $sock"
	printf 'over unix\n' | nc -N "$@" "$sock" || fail "client: rc $?"
	wait_for_exit "$lpid" 5 || fail "Unix listener (nc -l $*) still running after the client closed"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/l.out")" "over unix"
}

@test "Unix stream listener (-lU) ends when the client closes, stdin still open" {
	unix_listener_ends -U
}

@test "seqpacket listener ends when the client closes, stdin still open" {
	unix_listener_ends --seqpacket
}

@test "Unix stream -lkU serves three clients in turn while its stdin stays open" {
	local sock=$BATS_TEST_TMPDIR/k.sock n
	hold_stdin
	bg_nc "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" "$STDIN_FIFO" -lkU "$sock"
	local lpid=$BG_PID
	wait_for_listen "$sock" 5 || fail "no socket at $sock"
	for n in 1 2 3; do
		printf 'u%s\n' "$n" | nc -NU "$sock" || fail "client $n: rc $?"
		wait_for_match "$BATS_TEST_TMPDIR/l.out" "^u$n\$" 5 "$lpid" || fail "client $n's line did not arrive"
	done
	still_running "$lpid" 0.3 || fail "-k listener exited"
}

@test "differential: netcat-openbsd's -lU listener also ends when the client closes" {
	need_ref
	local sock=$BATS_TEST_TMPDIR/r.sock
	hold_stdin
	local NC_BIN_DIR=$REF_BIN_DIR
	bg_nc "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" "$STDIN_FIFO" -lU "$sock"
	local lpid=$BG_PID
	NC_BIN_DIR=$BATS_TEST_TMPDIR/ours
	wait_for_listen "$sock" 5 || fail "no socket at $sock"
	printf 'over unix\n' | nc -NU "$sock" || fail "client: rc $?"
	wait_for_exit "$lpid" 5 || fail "netcat-openbsd's listener still running"
	assert_equal "$EXIT_RC" 0
}

# connect_half_close EXPECTED [CLIENT OPTIONS...]: our listener sends a
# banner and half-closes (-N); our client, stdin held open, still sends
# stdin ("late") after the network's EOF, and ends at its own stdin EOF.
# EXPECTED is what the listener receives.
connect_half_close() {
	local expected=$1
	shift
	printf 'banner\n' >"$BATS_TEST_TMPDIR/banner"
	LISTEN_STDIN=$BATS_TEST_TMPDIR/banner start_listener -N
	hold_stdin
	start_nc "$STDIN_FIFO" "$@" 127.0.0.1 "$LPORT"
	wait_for_match "$NC_OUT" '^banner$' 5 "$NC_PID" || fail "no banner"
	still_running "$NC_PID" 0.5 || fail "client ended at network EOF with stdin open (rc $EXIT_RC)"
	echo late >&8
	exec 8>&-
	wait_for_exit "$NC_PID" 5 || fail "client still running after its stdin EOF"
	assert_equal "$EXIT_RC" 0
	wait_for_exit "$LPID" 5 || fail "listener still running"
	assert_equal "$(cat "$LOUT")" "$expected"
}

@test "connect mode: network EOF is still a half-close (stdin goes out after it)" {
	connect_half_close late
}

@test "connect mode: the same through the buffered relay (-C)" {
	connect_half_close $'late\r' -C
}

# pty_demo DIR: the README demo typed into an interactive bash in a pseudo-
# terminal (script(1)), with the nc from DIR; then a line typed at the
# prompt. The background listener must be gone, never stopped.
pty_demo() {
	command -v script >/dev/null || skip "script(1) is not installed"
	local nc=$1/nc port log=$BATS_TEST_TMPDIR/pty.log
	port=$(closed_port)
	hold_stdin
	# PS1 set inside: script(1) starts the command through a non-interactive
	# shell, which drops PS1 from the environment.
	TERM=dumb spawn "$log" - "$STDIN_FIFO" \
		script -qfec "exec env PS1='\$ ' bash --norc --noprofile -i" /dev/null
	local spid=$BG_PID
	wait_for_match "$log" '\$ ' 5 "$spid" || fail "no prompt: $(cat "$log")"
	# The README's command; a longer sleep, so a loaded machine starts the listener in time.
	echo "{ $nc -l 127.0.0.1 $port & sleep 2; $nc -vz 127.0.0.1 $port; }" >&8
	wait_for_match "$log" 'succeeded!' 10 "$spid" || fail "no probe result: $(cat "$log")"
	local job
	job=$(sed -n 's/^\[1\] \([0-9]*\).*/\1/p' "$log" | head -n1)
	[[ -n $job ]] || fail "no job line: $(cat "$log")"
	wait_for_exit "$job" 5 || fail "the background listener is still there: $(cat /proc/"$job"/stat)"
	echo "echo typed" >&8
	echo "jobs -l; echo END-\$((6*7))" >&8
	wait_for_match "$log" '^END-42' 10 "$spid" || fail "shell did not answer: $(cat "$log")"
	echo "exit" >&8
	exec 8>&-
	wait_for_exit "$spid" 5 || true
	run cat "$log"
	refute_output --partial "Stopped"
	refute_output --partial "Running"
}

@test "README demo in a pseudo-terminal: no stopped or leftover job" {
	pty_demo "$NC_BIN_DIR"
}

@test "differential: the README demo with netcat-openbsd leaves no job either" {
	need_ref
	pty_demo "$REF_BIN_DIR"
}

# --- fd 0, 1 or 2 closed at startup (item 4) ---

@test "nc host port <&-: a closed stdin is end of input, the server's data is not sent back" {
	start_peer banner --shut --hold 5
	local out=$BATS_TEST_TMPDIR/out rc=0
	nc 127.0.0.1 "$PEER_PORT" <&- >"$out" || rc=$?
	assert_equal "$rc" 0
	assert_equal "$(cat "$out")" "HELLO banner"
	wait_for_file "$PEER_EOF" 5 || fail "peer saw no EOF"
	assert_equal "$(cat "$PEER_DATA")" ""
}

@test "nc -N host port <&-: shuts down at once, sends nothing, ends at the server's close" {
	# The peer sends its banner and waits for our EOF before it closes.
	start_peer banner --hold 5
	local out=$BATS_TEST_TMPDIR/out rc=0
	nc -N 127.0.0.1 "$PEER_PORT" <&- >"$out" || rc=$?
	assert_equal "$rc" 0
	assert_equal "$(cat "$out")" "HELLO banner"
	wait_for_file "$PEER_EOF" 5 || fail "peer saw no EOF"
	assert_equal "$(cat "$PEER_DATA")" ""
}

# closed_stdout_listener [OPTIONS...]: nc -l with stdout closed receives data.
closed_stdout_listener() {
	hold_stdin
	local err=$BATS_TEST_TMPDIR/l.err
	spawn '&-' "$err" "$STDIN_FIFO" nc -lv "$@" 127.0.0.1 0
	local lpid=$BG_PID line
	wait_for_match "$err" '^Listening on .* [0-9]+$' 5 "$lpid" || fail "listener: $(cat "$err")"
	line=$(grep -E -m1 '^Listening on' "$err")
	echo data | nc -N 127.0.0.1 "${line##* }" || true
	wait_for_exit "$lpid" 5 || fail "listener with stdout closed still running"
	assert_equal "$EXIT_RC" 1
	run grep -cx 'nc: write: Bad file descriptor' "$err"
	assert_output 1
}

@test "nc -l >&-: data arriving is nc: write: Bad file descriptor, exit 1" {
	closed_stdout_listener
}

@test "nc -l >&- through the buffered relay (-C): the same" {
	closed_stdout_listener -C
}

@test "nc host port >&-: nc: write: Bad file descriptor, exit 1, nothing echoed to the server" {
	start_peer banner --shut --hold 5
	local err=$BATS_TEST_TMPDIR/err rc=0
	nc 127.0.0.1 "$PEER_PORT" </dev/null >&- 2>"$err" || rc=$?
	assert_equal "$rc" 1
	assert_equal "$(cat "$err")" "nc: write: Bad file descriptor"
	wait_for_file "$PEER_EOF" 5 || fail "peer saw no EOF"
	assert_equal "$(cat "$PEER_DATA")" ""
}

@test "nc -v host port 2>&-: messages never reach the socket" {
	start_peer sink --hold 5
	local rc=0
	nc -v -N 127.0.0.1 "$PEER_PORT" </dev/null 2>&- || rc=$?
	assert_equal "$rc" 0
	wait_for_file "$PEER_EOF" 5 || fail "peer saw no EOF"
	assert_equal "$(cat "$PEER_DATA")" ""
}
