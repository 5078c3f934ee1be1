#!/usr/bin/env bats
# Listen mode: the "Listening on" and "Connection received on" lines, the
# address forms (-l addr port, -l -p port -s addr, -6), -k, errors.

load helpers

# connect_client ADDR PORT DATA: py_client, sets CLIENT_PORT, CLIENT_OUT.
connect_client() {
	CLIENT_OUT=$(printf '%s' "$3" | py_client "$1" "$2") || fail "client could not connect to $1 $2"
	CLIENT_PORT=$(cat "$BATS_TEST_TMPDIR/client.port")
}

@test "-lv PORT 0: Listening on 0.0.0.0 with the kernel's port; Connection received on the peer's name and port" {
	start_listener
	assert_equal "$LADDR" "0.0.0.0"
	assert_equal "$(head -n1 "$LERR")" "Listening on 0.0.0.0 $LPORT"
	connect_client 127.0.0.1 "$LPORT" $'hello listener\n'
	wait_for_exit "$LPID" 5 || fail "listener still running after the client closed"
	assert_equal "$EXIT_RC" 0
	local name
	name=$(reverse_name 127.0.0.1)
	assert_equal "$(cat "$LERR")" "Listening on 0.0.0.0 $LPORT
Connection received on $name $CLIENT_PORT"
	assert_equal "$(cat "$LOUT")" "hello listener"
}

@test "-lvn: numeric Connection received line" {
	start_listener -n
	assert_equal "$(head -n1 "$LERR")" "Listening on 0.0.0.0 $LPORT"
	connect_client 127.0.0.1 "$LPORT" $'x\n'
	wait_for_exit "$LPID" 5 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cat "$LERR")" "Listening on 0.0.0.0 $LPORT
Connection received on 127.0.0.1 $CLIENT_PORT"
}

@test "the listener sends its stdin to the client and prints what the client sends" {
	printf 'from listener\n' >"$BATS_TEST_TMPDIR/lin"
	LISTEN_STDIN=$BATS_TEST_TMPDIR/lin start_listener -n
	connect_client 127.0.0.1 "$LPORT" $'from client\n'
	wait_for_exit "$LPID" 5 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$CLIENT_OUT" "from listener"
	assert_equal "$(cat "$LOUT")" "from client"
}

@test "-l without -v prints nothing" {
	local port
	port=$(closed_port)
	start_nc /dev/null -l 127.0.0.1 "$port"
	wait_for_listen "$port" 5 || fail "nothing listens on $port: $(cat "$NC_ERR")"
	connect_client 127.0.0.1 "$port" $'quiet\n'
	wait_for_exit "$NC_PID" 5 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cat "$NC_ERR")" ""
	assert_equal "$(cat "$NC_OUT")" "quiet"
}

@test "-lv 127.0.0.1 0: Listening on the reverse-resolved name" {
	start_listener 127.0.0.1
	assert_equal "$(head -n1 "$LERR")" "Listening on $(reverse_name 127.0.0.1) $LPORT"
	connect_client 127.0.0.1 "$LPORT" ""
	wait_for_exit "$LPID" 5 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
}

@test "-lvn 127.0.0.1 0: Listening on 127.0.0.1" {
	start_listener -n 127.0.0.1
	assert_equal "$(head -n1 "$LERR")" "Listening on 127.0.0.1 $LPORT"
	connect_client 127.0.0.1 "$LPORT" $'addr form\n'
	wait_for_exit "$LPID" 5 || fail "listener still running"
	assert_equal "$(cat "$LOUT")" "addr form"
}

@test "-l -p 0 -s 127.0.0.1: the same as -l 127.0.0.1 0" {
	start_listener_raw -lvn -p 0 -s 127.0.0.1
	assert_equal "$(head -n1 "$LERR")" "Listening on 127.0.0.1 $LPORT"
	connect_client 127.0.0.1 "$LPORT" $'p and s\n'
	wait_for_exit "$LPID" 5 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cat "$LOUT")" "p and s"
	assert_equal "$(sed -n 2p "$LERR")" "Connection received on 127.0.0.1 $CLIENT_PORT"
}

@test "-l -p 0 without -s: Listening on 0.0.0.0" {
	start_listener_raw -lvn -p 0
	assert_equal "$(head -n1 "$LERR")" "Listening on 0.0.0.0 $LPORT"
}

@test "-lvn -6: Listening on :: and accepts from ::1" {
	start_listener -n -6
	assert_equal "$(head -n1 "$LERR")" "Listening on :: $LPORT"
	connect_client ::1 "$LPORT" $'over v6\n'
	wait_for_exit "$LPID" 5 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cat "$LERR")" "Listening on :: $LPORT
Connection received on ::1 $CLIENT_PORT"
	assert_equal "$(cat "$LOUT")" "over v6"
}

@test "-lvn ::1 0: Listening on ::1" {
	start_listener -n ::1
	assert_equal "$(head -n1 "$LERR")" "Listening on ::1 $LPORT"
	connect_client ::1 "$LPORT" $'v6 literal\n'
	wait_for_exit "$LPID" 5 || fail "listener still running"
	assert_equal "$(cat "$LOUT")" "v6 literal"
}

@test "-lk: serves two clients one after the other and keeps listening" {
	start_listener -n -k
	connect_client 127.0.0.1 "$LPORT" $'first\n'
	local c1=$CLIENT_PORT
	wait_for_match "$LOUT" '^first$' 5 "$LPID" || fail "first client's data missing"
	connect_client 127.0.0.1 "$LPORT" $'second\n'
	local c2=$CLIENT_PORT
	wait_for_match "$LOUT" '^second$' 5 "$LPID" || fail "second client's data missing"
	assert_equal "$(cat "$LOUT")" "first
second"
	wait_for_match "$LERR" "^Connection received on 127\.0\.0\.1 $c2\$" 5 "$LPID"
	grep -qx "Connection received on 127.0.0.1 $c1" "$LERR"
	still_running "$LPID" 0.3 || fail "-k listener exited"
}

@test "-lkv: Listening on is printed again before each accept (ours)" {
	start_listener -n -k
	connect_client 127.0.0.1 "$LPORT" $'one\n'
	local c1=$CLIENT_PORT
	wait_for_match "$LOUT" '^one$' 5 "$LPID" || fail "first client's data missing"
	connect_client 127.0.0.1 "$LPORT" $'two\n'
	local c2=$CLIENT_PORT
	wait_for_match "$LOUT" '^two$' 5 "$LPID" || fail "second client's data missing"
	# After the second client, the listener announces itself a third time.
	wait_for_match -n 3 "$LERR" '^Listening on ' 5 "$LPID" || true
	assert_equal "$(cat "$LERR")" "Listening on 0.0.0.0 $LPORT
Connection received on 127.0.0.1 $c1
Listening on 0.0.0.0 $LPORT
Connection received on 127.0.0.1 $c2
Listening on 0.0.0.0 $LPORT"
}

@test "port already in use: nc: Address already in use, rc 1" {
	# The port is held by a plain socket (no SO_REUSEPORT).
	start_peer silent --addr 0.0.0.0
	run --separate-stderr nc -l "$PEER_PORT" </dev/null
	assert_failure 1
	assert_equal "$stderr" "nc: Address already in use"
	run --separate-stderr nc -lv "$PEER_PORT" </dev/null
	assert_failure 1
	assert_equal "$stderr" "nc: Address already in use"
}

@test "-l on an address not on this host: Cannot assign requested address" {
	run --separate-stderr nc -lv 198.51.100.7 12345 </dev/null
	assert_failure 1
	assert_equal "$stderr" "nc: Cannot assign requested address"
}

@test "-l 70000: port number too large, rc 1 (ours)" {
	start_nc /dev/null -l 70000
	wait_for_exit "$NC_PID" 3 || fail "nc -l 70000 is still running (listening somewhere)"
	assert_equal "$EXIT_RC" 1
	assert_equal "$(cat "$NC_ERR")" "nc: port number too large: 70000"
}

@test "-l without a port: nc: missing port number, rc 1" {
	run --separate-stderr nc -l </dev/null
	assert_failure 1
	assert_equal "$stderr" "nc: missing port number"
}

@test "-lz: cannot use -z and -l" {
	run --separate-stderr nc -lz 0 </dev/null
	assert_failure 1
	assert_equal "$stderr" "nc: cannot use -z and -l"
}
