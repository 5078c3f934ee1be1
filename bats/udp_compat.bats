#!/usr/bin/env bats
# Differential tests: the same UDP commands through netcat-openbsd and ours,
# both invoked as "nc". The first group must match; the second documents
# where ours differs on purpose (README.md, "Differences from netcat-openbsd").

load helpers

setup() {
	common_setup
	need_ref
}

# ---- where we match ----

@test "compat udp: -zv on a port that answers" {
	start_peer echo --udp
	same -uzv -w 1 127.0.0.1 "$PEER_PORT"
	assert_equal "$OURS_ERR" "Connection to 127.0.0.1 $PEER_PORT port [udp/*] succeeded!"
	all_same
}

@test "compat udp: -zv on a silent port" {
	start_peer silent --udp
	same -uzv -w 1 127.0.0.1 "$PEER_PORT"
	assert_equal "$OURS_RC" 0
	all_same
}

@test "compat udp: -z without -v on an open port" {
	start_peer echo --udp
	same -uz -w 1 127.0.0.1 "$PEER_PORT"
	all_same
}

@test "compat udp: option and port errors" {
	same -u -x 127.0.0.1:1080 127.0.0.1 53
	same -uzv 127.0.0.1 70000
	same -uzv 127.0.0.1 0
	same -uzv -4 ::1 53
	same -uzv -6 127.0.0.1 53
	same -uzv -s 10.9.9.9 127.0.0.1 53
	all_same
}

@test "compat udp: -w 1 request and response" {
	start_peer echo --udp
	echo hi >"$BATS_TEST_TMPDIR/in"
	CAPTURE_STDIN=$BATS_TEST_TMPDIR/in same -u -w 1 127.0.0.1 "$PEER_PORT"
	assert_equal "$OURS_OUT" "reply:hi"
	all_same
}

# listen_lines WHO ARGS...: runs WHO's nc -l ARGS, sends it one datagram, prints its stderr
# with the port numbers replaced by P (they differ between runs).
listen_lines() {
	local who=$1 dir
	shift
	[[ $who == ours ]] && dir=$NC_BIN_DIR || dir=$REF_BIN_DIR
	NC_BIN_DIR=$dir bg_nc "$BATS_TEST_TMPDIR/$who.lout" "$BATS_TEST_TMPDIR/$who.lerr" /dev/null \
		"$@" 127.0.0.1 0
	local pid=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/$who.lerr" '^Bound on' 5 "$pid"
	local port
	port=$(awk '/^Bound on/ {print $4}' "$BATS_TEST_TMPDIR/$who.lerr")
	nc -u -q 0 127.0.0.1 "$port" <<<"one" >/dev/null
	wait_for_match "$BATS_TEST_TMPDIR/$who.lout" '^one$' 5
	wait_for_exit "$pid" 5 || { kill "$pid"; wait_for_exit "$pid" 5; }
	sed -E 's/ [0-9]+$/ P/' "$BATS_TEST_TMPDIR/$who.lerr"
	cat "$BATS_TEST_TMPDIR/$who.lout"
}

@test "compat udp: -luv prints Bound on and Connection received" {
	ours=$(listen_lines ours -luv -W 1)
	theirs=$(listen_lines theirs -luv -W 1)
	assert_equal "$ours" "$theirs"
	assert_equal "$ours" $'Bound on localhost P\nConnection received on localhost P\none'
}

@test "compat udp: -lkuv prints no per-sender lines" {
	ours=$(listen_lines ours -lkuv)
	theirs=$(listen_lines theirs -lkuv)
	assert_equal "$ours" "$theirs"
	assert_equal "$ours" $'Bound on localhost P\none'
}

# ---- where we differ on purpose ----

@test "differs: -zv on a closed port says why (netcat-openbsd prints nothing); both exit 1" {
	port=$(closed_port -u)
	both -uzv -w 1 127.0.0.1 "$port"
	assert_equal "$REF_ERR" ""
	assert_equal "$OURS_ERR" "nc: connect to 127.0.0.1 port $port (udp) failed: Connection refused"
	assert_equal "$REF_RC" 1
	assert_equal "$OURS_RC" 1
}

@test "differs: -z without -v on a closed port fails (netcat-openbsd sends nothing, exits 0)" {
	port=$(closed_port -u)
	both -uz -w 1 127.0.0.1 "$port"
	assert_equal "$REF_RC" 0
	assert_equal "$OURS_RC" 1
	assert_equal "$OURS_ERR" ""
}

@test "differs: -u -q keeps the reply that arrives after stdin EOF (netcat-openbsd drops it)" {
	start_peer echo --udp
	echo q >"$BATS_TEST_TMPDIR/in"
	CAPTURE_STDIN=$BATS_TEST_TMPDIR/in both -u -q 1 127.0.0.1 "$PEER_PORT"
	assert_equal "$REF_OUT" ""
	assert_equal "$OURS_OUT" "reply:q"
	assert_equal "$OURS_RC" 0
}

@test "differs: -uv sends only the user's data (netcat-openbsd adds X probes)" {
	start_peer echo --udp
	printf 'data' >"$BATS_TEST_TMPDIR/in"
	OURS_RC=0
	nc -uv -w 1 127.0.0.1 "$PEER_PORT" <"$BATS_TEST_TMPDIR/in" >/dev/null 2>&1 || OURS_RC=$?
	ours_log=$(cut -d' ' -f2 "$PEER_LOG" | tr '\n' ' ')
	: >"$PEER_LOG"
	ref_nc -uv -w 1 127.0.0.1 "$PEER_PORT" <"$BATS_TEST_TMPDIR/in" >/dev/null 2>&1 || true
	theirs_log=$(cut -d' ' -f2 "$PEER_LOG" | tr '\n' ' ')
	assert_equal "$ours_log" "64617461 "
	[[ $theirs_log == *58* ]] # "X"
	assert_equal "$OURS_RC" 0
}

@test "differs: data refused by a closed port is an error (netcat-openbsd exits 0 silently)" {
	port=$(closed_port -u)
	echo hi >"$BATS_TEST_TMPDIR/in"
	CAPTURE_STDIN=$BATS_TEST_TMPDIR/in both -u -w 1 127.0.0.1 "$port"
	assert_equal "$REF_ERR" ""
	assert_equal "$REF_RC" 0
	assert_equal "$OURS_RC" 1
	[[ $OURS_ERR =~ ^nc:\ (read|write):\ Connection\ refused$ ]]
}

@test "compat udp: -luv -q0 writes the first datagram, then exits 0" {
	ours=$(listen_lines ours -luv -q0)
	theirs=$(listen_lines theirs -luv -q0)
	assert_equal "$ours" "$theirs"
	assert_equal "$ours" $'Bound on localhost P\nConnection received on localhost P\none'
}
