#!/usr/bin/env bats
# Proxies (-x -X -P), fd passing (-F), TCP MD5 (-S), DCCP (-Z) and telnet
# (-t), against real proxies (microsocks, dante, tinyproxy) and a scripted
# one (fake_proxy.py) for the replies no real proxy sends, all started here
# on 127.0.0.1.  Where ours behaves as netcat-openbsd, the two are compared
# (same, all_same in helpers.bash); where ours deliberately differs (README,
# "Differences"), ours is checked alone.

load helpers

setup() {
	common_setup
	HAVE_REF=1
	[[ -x ${NC_REF:-/bin/nc.openbsd} ]] || HAVE_REF=0
	if ((HAVE_REF)); then
		need_ref
	fi
}

teardown() {
	common_teardown
}

teardown_file() {
	remove_px_user
}

# compare: all_same when netcat-openbsd is there to compare with.
compare() {
	((HAVE_REF)) || return 0
	all_same
}

# same_or_ours ARGS...: same, or just a run of ours when there is no reference.
same_or_ours() {
	if ((HAVE_REF)); then
		same "$@"
	fi
}

# hex TEXT: TEXT (printf %b escapes) as hex, for fake_proxy.py.
hex() {
	printf '%b' "$1" | od -An -v -tx1 | tr -d ' \n'
}

# nc_notty ARGS...: nc without a controlling terminal, stdin from /dev/null.
nc_notty() {
	(
		PATH=$NC_BIN_DIR:$PATH
		exec setsid -w timeout -k 1 "$NC_RUN_LIMIT" nc "$@"
	) </dev/null
}

# --- SOCKS5, SOCKS4 and HTTP CONNECT that work ---

@test "SOCKS5 is the default: data both ways through microsocks, as netcat-openbsd" {
	start_microsocks
	start_peer banner --shut --count 7
	run --separate-stderr nc -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$PEER_PORT" </dev/null
	assert_success
	assert_output "HELLO banner"
	[[ -z $stderr ]] || fail "stderr: $stderr"
	same -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$PEER_PORT"
	same -X 5 -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$PEER_PORT"
	same -v -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$PEER_PORT"
	compare
	start_peer sink
	echo "hello through" | nc -N -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$PEER_PORT"
	wait_for_file "$PEER_EOF" 5 || fail "the peer saw no EOF"
	assert_equal "$(cat "$PEER_DATA")" "hello through"
}

@test "-zv through SOCKS5, SOCKS4 and HTTP CONNECT: the success line has no address, as netcat-openbsd" {
	start_microsocks
	start_dante none
	start_tinyproxy
	start_peer scan --pattern ox
	local b=$PEER_PORT
	run --separate-stderr nc -zv -x "127.0.0.1:$MS_PORT" localhost "$b"
	assert_success
	assert_equal "$stderr" "Connection to localhost $b port [tcp/*] succeeded!"
	for x in "-x 127.0.0.1:$MS_PORT" "-X 4 -x 127.0.0.1:$DANTE_PORT" \
		"-X 5 -x 127.0.0.1:$DANTE_PORT" "-X connect -x 127.0.0.1:$TP_PORT" \
		"-X CONNECT -x 127.0.0.1:$TP_PORT"; do
		# shellcheck disable=SC2086 # $x is several words
		same -zv $x 127.0.0.1 "$b"
		# shellcheck disable=SC2086
		same -z $x 127.0.0.1 "$b"
		# shellcheck disable=SC2086
		same -zv $x localhost "$b"
		# shellcheck disable=SC2086
		same -zvn $x 127.0.0.1 "$b"
	done
	compare
}

@test "a destination refused through the proxy: the proxy's words, as netcat-openbsd" {
	start_microsocks
	start_dante none
	start_tinyproxy
	local port
	port=$(closed_port)
	run --separate-stderr nc -zv -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$port"
	assert_failure 1
	assert_equal "$stderr" "nc: connection failed, SOCKSv5 error: Connection refused"
	run --separate-stderr nc -z -X connect -x "127.0.0.1:$TP_PORT" 127.0.0.1 "$port"
	assert_failure 1
	assert_equal "$stderr" 'nc: Proxy error: "HTTP/1.0 500 Unable to connect"'
	same -zv -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$port"
	same -z -x "127.0.0.1:$DANTE_PORT" 127.0.0.1 "$port"
	same -zv -X 4 -x "127.0.0.1:$DANTE_PORT" 127.0.0.1 "$port"
	same -zv -X connect -x "127.0.0.1:$TP_PORT" 127.0.0.1 "$port"
	same -X 4 -x "127.0.0.1:$DANTE_PORT" 127.0.0.1 "$port"
	compare
}

@test "a port list through a proxy goes on past a closed port (netcat-openbsd stops there)" {
	start_microsocks
	start_tinyproxy
	start_peer scan --pattern xox
	local b=$PEER_PORT
	run --separate-stderr nc -zv -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$b-$((b + 2))"
	assert_success
	assert_equal "$stderr" "nc: connection failed, SOCKSv5 error: Connection refused
Connection to 127.0.0.1 $((b + 1)) port [tcp/*] succeeded!
nc: connection failed, SOCKSv5 error: Connection refused"
	run --separate-stderr nc -z -X connect -x "127.0.0.1:$TP_PORT" 127.0.0.1 "$b" "$((b + 1))"
	assert_success
	assert_equal "$stderr" 'nc: Proxy error: "HTTP/1.0 500 Unable to connect"'
	# Connect mode too: the next port is dialed after a refusal.
	run --separate-stderr nc -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$b" "$((b + 1))" </dev/null
	assert_success
	assert_equal "$stderr" "nc: connection failed, SOCKSv5 error: Connection refused"
}

@test "the bytes on the wire: SOCKS5 names unresolved, SOCKS4 the address looked up here, HTTP [v6]" {
	start_fake --count 4 --stage 0500 --stage 05000001000000000050
	nc -z -x "127.0.0.1:$FAKE_PORT" name.invalid 80
	nc -z -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 81
	nc -z -x "127.0.0.1:$FAKE_PORT" ::1 82
	nc_notty -z -P bob -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 83
	local log
	mapfile -t log <"$FAKE_LOG"
	assert_equal "${log[0]}" 050100
	assert_equal "${log[1]}" "050100030c$(hex name.invalid)0050"
	assert_equal "${log[3]}" 050100017f0000010051
	assert_equal "${log[5]}" 05010004000000000000000000000000000000010052
	# -P offers username/password (RFC 1929) besides no authentication.
	assert_equal "${log[6]}" 05020002
	assert_equal "${log[7]}" 050100017f0000010053

	start_fake --stage 005a000000000000
	nc -z -X 4 -x "127.0.0.1:$FAKE_PORT" localhost 80
	assert_equal "$(cat "$FAKE_LOG")" 040100507f00000100

	start_fake --count 3 --until 0d0a0d0a --stage "$(hex 'HTTP/1.0 200 OK\r\n\r\n')"
	nc -z -X connect -x "127.0.0.1:$FAKE_PORT" ::1 80
	nc -z -X connect -x "127.0.0.1:$FAKE_PORT" name.invalid 81
	nc -z -X connect -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 http
	mapfile -t log <"$FAKE_LOG"
	assert_equal "${log[0]}" "$(hex 'CONNECT [::1]:80 HTTP/1.0\r\n\r\n')"
	assert_equal "${log[1]}" "$(hex 'CONNECT name.invalid:81 HTTP/1.0\r\n\r\n')"
	assert_equal "${log[2]}" "$(hex 'CONNECT 127.0.0.1:80 HTTP/1.0\r\n\r\n')"
}

@test "SOCKS4 looks the destination up here, IPv4 only, as netcat-openbsd" {
	start_dante none
	start_peer scan --pattern o
	local p=$PEER_PORT
	# Without -n or with it: SOCKS4 has no way to send a name.
	same -zv -X 4 -x "127.0.0.1:$DANTE_PORT" localhost "$p"
	same -zvn -X 4 -x "127.0.0.1:$DANTE_PORT" localhost "$p"
	same -zv -X 4 -x "127.0.0.1:$DANTE_PORT" nosuchhost.invalid "$p"
	same -zv -X 4 -x "127.0.0.1:$DANTE_PORT" ::1 "$p"
	compare
	run --separate-stderr nc -zv -X 4 -x "127.0.0.1:$DANTE_PORT" ::1 "$p"
	assert_failure 1
	assert_equal "$stderr" "nc: getaddrinfo(\"::1\", \"$p\"): Address family for hostname not supported"
}

@test "SOCKS5 to an IPv6 destination and a proxy given as [::1]" {
	start_dante none
	start_peer scan --addr ::1 --pattern o
	local p=$PEER_PORT
	run --separate-stderr nc -zv -x "127.0.0.1:$DANTE_PORT" ::1 "$p"
	assert_success
	assert_equal "$stderr" "Connection to ::1 $p port [tcp/*] succeeded!"
	same -zv -x "127.0.0.1:$DANTE_PORT" ::1 "$p"
	start_on microsocks6 microsocks -i ::1 -p @PORT@
	local ms6=$STARTED_PORT
	start_peer scan --pattern o
	same -zv -x "[::1]:$ms6" 127.0.0.1 "$PEER_PORT"
	same -zv -6 -x "[::1]:$ms6" 127.0.0.1 "$PEER_PORT"
	same -zv -4 -x "[::1]:$ms6" 127.0.0.1 "$PEER_PORT"
	compare
	run nc -z -x "[::1]:$ms6" 127.0.0.1 "$PEER_PORT"
	assert_success
}

@test "the proxy down, unknown or mistyped, as netcat-openbsd" {
	local port
	port=$(closed_port)
	run --separate-stderr nc -v -x "127.0.0.1:$port" 127.0.0.1 1
	assert_failure 1
	assert_equal "$stderr" "nc: connect to 127.0.0.1 port $port (tcp) failed: Connection refused"
	run --separate-stderr nc -x "127.0.0.1:$port" 127.0.0.1 1
	assert_failure 1
	assert_equal "$stderr" ""
	same -v -x "127.0.0.1:$port" 127.0.0.1 1
	same -x "127.0.0.1:$port" 127.0.0.1 1
	same -zv -x "127.0.0.1:$port" 127.0.0.1 1-3
	same -zv -x "localhost:$port" 127.0.0.1 1
	same -zv -x nosuchhost.invalid 127.0.0.1 1
	same -zvn -x "localhost:$port" 127.0.0.1 1
	same -zv -4 -x "[::1]:$port" 127.0.0.1 1
	same -zv -x 127.0.0.1:no-such-service 127.0.0.1 1
	same -zv -x ::1 127.0.0.1 1
	same -zv -x "[::1]x" 127.0.0.1 1
	same -zv -x "[::1" 127.0.0.1 1
	same -zv -x ":$port" 127.0.0.1 1
	same -zv -x "[]:$port" 127.0.0.1 1
	compare
}

@test "the proxy's port as a service name is shown as written, as netcat-openbsd" {
	# Nobody is expected on 1080 here; skip if someone is.
	! wait_for_listen 1080 0 || skip "something listens on port 1080"
	same -v -x 127.0.0.1:socks 127.0.0.1 1
	same -zv -x 127.0.0.1:socks 127.0.0.1 1
	compare
	run --separate-stderr nc -v -x 127.0.0.1:socks 127.0.0.1 1
	assert_equal "$stderr" "nc: connect to 127.0.0.1 port socks (tcp) failed: Connection refused"
}

@test "an empty, zero or too large proxy port is refused (netcat-openbsd connects to port 0 or wraps)" {
	local err=$BATS_TEST_TMPDIR/err x rc
	# The message ends in a space: compared as bytes, which run would trim.
	for x in 127.0.0.1: '[::1]:'; do
		rc=0
		nc -zv -x "$x" 127.0.0.1 1 2>"$err" || rc=$?
		assert_equal "$rc" 1
		printf 'nc: port number invalid: \n' | cmp - "$err" || fail "-x $x: $(cat "$err")"
	done
	run --separate-stderr nc -zv -x 127.0.0.1:0 127.0.0.1 1
	assert_equal "$stderr" "nc: port number too small: 0"
	run --separate-stderr nc -zv -x 127.0.0.1:99999 127.0.0.1 1
	assert_equal "$stderr" "nc: port number too large: 99999"
}

@test "-x with -l, -u, -s, -U, a bad -X, and -P/-X alone, as netcat-openbsd" {
	local port
	port=$(closed_port)
	same -l -x 127.0.0.1:1080 12345
	same -x 127.0.0.1:1080 -u 127.0.0.1 "$port"
	same -x 127.0.0.1:1080 -s 127.0.0.1 127.0.0.1 "$port"
	same -x 127.0.0.1:1080 -U "$BATS_TEST_TMPDIR/s"
	same -X 6 -x 127.0.0.1 127.0.0.1 "$port"
	same -X socks -x 127.0.0.1 127.0.0.1 "$port"
	same -zv -P bob 127.0.0.1 "$port"
	same -zv -X 4 127.0.0.1 "$port"
	same -zv -X connect -P bob 127.0.0.1 "$port"
	same -lz -x '[::1' 12345
	compare
}

# --- passwords ---

@test "HTTP: 407 without -P, -P without a terminal, as netcat-openbsd; NC_PROXY_PASSWORD where there is no terminal" {
	start_tinyproxy pxuser pxpass
	start_peer scan --pattern o
	local p=$PEER_PORT
	same -zv -X connect -x "127.0.0.1:$TP_PORT" 127.0.0.1 "$p"
	if ((HAVE_REF)); then
		run --separate-stderr nc_from "$REF_BIN_DIR" -zv -X connect -P pxuser \
			-x "127.0.0.1:$TP_PORT" 127.0.0.1 "$p" < <(setsid -w true)
	fi
	compare
	run --separate-stderr nc_notty -zv -X connect -P pxuser -x "127.0.0.1:$TP_PORT" 127.0.0.1 "$p"
	assert_failure 1
	assert_equal "$stderr" "nc: Unable to read proxy passphrase"
	NC_PROXY_PASSWORD=pxpass run --separate-stderr nc_notty -zv -X connect -P pxuser \
		-x "127.0.0.1:$TP_PORT" 127.0.0.1 "$p"
	assert_success
	assert_equal "$stderr" "Connection to 127.0.0.1 $p port [tcp/*] succeeded!"
	# tinyproxy answers a wrong password with 401, not 407.
	NC_PROXY_PASSWORD=wrong run --separate-stderr nc_notty -zv -X connect -P pxuser \
		-x "127.0.0.1:$TP_PORT" 127.0.0.1 "$p"
	assert_failure 1
	assert_equal "$stderr" 'nc: Proxy error: "HTTP/1.0 401 Unauthorized"'
	# No 407, no password asked: a proxy without authentication with -P.
	start_tinyproxy
	run --separate-stderr nc_notty -zv -X connect -P pxuser -x "127.0.0.1:$TP_PORT" 127.0.0.1 "$p"
	assert_success
}

@test "HTTP: the password asked on the terminal, as netcat-openbsd" {
	need script
	start_tinyproxy pxuser pxpass
	start_peer scan --pattern o
	local p=$PEER_PORT cmd
	cmd="PATH=$NC_BIN_DIR:\$PATH timeout --foreground 10 nc -zv -X connect -P pxuser -x 127.0.0.1:$TP_PORT 127.0.0.1 $p; echo rc=\$?"
	run bash -c "(sleep 1; echo pxpass; sleep 2) | script -qec '$cmd' /dev/null"
	assert_output --partial "Proxy password for pxuser@127.0.0.1: "
	assert_output --partial "Connection to 127.0.0.1 $p port [tcp/*] succeeded!"
	assert_output --partial "rc=0"
}

@test "a proxy that keeps answering 407: three passwords from the terminal, as netcat-openbsd" {
	need script
	start_fake --count 12 --until 0d0a0d0a --stage "$(hex 'HTTP/1.0 407 Proxy Authentication Required\r\n\r\n')"
	local nc_dir want out
	want="Proxy password for bob@127.0.0.1: 
Proxy authentication failed
Proxy password for bob@127.0.0.1: 
Proxy authentication failed
Proxy password for bob@127.0.0.1: 
Proxy authentication failed
nc: Too many authentication failures
rc=1"
	for nc_dir in "$NC_BIN_DIR" ${HAVE_REF:+$([[ $HAVE_REF == 1 ]] && echo "$REF_BIN_DIR")}; do
		out=$(bash -c "(sleep 1; echo a; sleep 1; echo b; sleep 1; echo c; sleep 2) |
			script -qec 'PATH=$nc_dir:\$PATH timeout --foreground 10 nc -z -X connect -P bob -x 127.0.0.1:$FAKE_PORT 127.0.0.1 80; echo rc=\$?' /dev/null" | tr -d '\r')
		assert_equal "$out" "$want"
	done
}

@test "a password from NC_PROXY_PASSWORD that the proxy refuses is not tried again" {
	start_fake --count 3 --until 0d0a0d0a --stage "$(hex 'HTTP/1.0 407 Proxy Authentication Required\r\n\r\n')"
	NC_PROXY_PASSWORD=nope run --separate-stderr nc_notty -z -X connect -P bob \
		-x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	assert_failure 1
	assert_equal "$stderr" "nc: Proxy authentication failed (password from NC_PROXY_PASSWORD)"
	# One request without the password, one with it, and no third.
	assert_equal "$(wc -l <"$FAKE_LOG")" 2
	assert_equal "$(sed -n 2p "$FAKE_LOG")" \
		"$(hex 'CONNECT 127.0.0.1:80 HTTP/1.0\r\nProxy-Authorization: Basic Ym9iOm5vcGU=\r\n\r\n')"
}

@test "SOCKS5 username/password (RFC 1929) with microsocks (netcat-openbsd never offers it)" {
	start_microsocks pxuser pxpass
	start_peer banner --shut --count 3
	local p=$PEER_PORT
	same -zv -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$p"
	compare
	run --separate-stderr nc -zv -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$p"
	assert_failure 1
	assert_equal "$stderr" "nc: authentication method negotiation failed"
	NC_PROXY_PASSWORD=pxpass run --separate-stderr nc_notty -P pxuser -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$p"
	assert_success
	assert_output "HELLO banner"
	NC_PROXY_PASSWORD=wrong run --separate-stderr nc_notty -P pxuser -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$p"
	assert_failure 1
	assert_equal "$stderr" "nc: Proxy authentication failed (password from NC_PROXY_PASSWORD)"
	run --separate-stderr nc_notty -P pxuser -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$p"
	assert_failure 1
	assert_equal "$stderr" "nc: Unable to read proxy passphrase"
}

@test "dante with username authentication: SOCKS5 with -P, SOCKS4 refused, as netcat-openbsd where it can" {
	start_dante username
	start_peer scan --pattern o
	local p=$PEER_PORT
	same -zv -x "127.0.0.1:$DANTE_PORT" 127.0.0.1 "$p"
	same -zv -X 4 -x "127.0.0.1:$DANTE_PORT" 127.0.0.1 "$p"
	compare
	NC_PROXY_PASSWORD=$PX_PASS run --separate-stderr nc_notty -zv -P "$PX_USER" \
		-x "127.0.0.1:$DANTE_PORT" 127.0.0.1 "$p"
	assert_success
	assert_equal "$stderr" "Connection to 127.0.0.1 $p port [tcp/*] succeeded!"
	NC_PROXY_PASSWORD=wrong run --separate-stderr nc_notty -zv -P "$PX_USER" \
		-x "127.0.0.1:$DANTE_PORT" 127.0.0.1 "$p"
	assert_failure 1
	assert_equal "$stderr" "nc: Proxy authentication failed (password from NC_PROXY_PASSWORD)"
}

# --- what no real proxy sends ---

@test "broken replies: the same messages as netcat-openbsd" {
	start_fake --count 2 --stage 0500 --stage ffffffffffffffffffff
	same -zv -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	start_fake --count 2 --stage ffffffffffffffff
	same -zv -X 4 -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	start_fake --count 2 --stage "$(hex 'garbage\r\n\r\n')"
	same -zv -X connect -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	start_fake --count 2 --stage 0500 --stage 05000009000000000000
	same -zv -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	start_fake --count 2 --stage 05
	same -zv -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	start_fake --count 2 --stage 0500 --stage 05010001000000000000
	same -zv -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	start_fake --count 2 --stage 0500 --stage 05070001000000000000
	same -zv -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	start_fake --count 2 --stage 005c000000000000
	same -zv -X 4 -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	start_fake --count 2 --stage ""
	same -zv -X 4 -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	start_fake --count 2 --until 0d0a0d0a --stage ""
	same -zv -X connect -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	start_fake --count 2 --stage "$(hex "HTTP/1.0 200 $(printf 'x%.0s' {1..1100})\r\n")"
	same -zv -X connect -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	start_fake --count 2 --stage "$(hex "HTTP/1.0 200 OK\r\n$(printf 'X: y\\r\\n%.0s' {1..70})\r\n")"
	same -zv -X connect -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	compare
	start_fake --stage 0500 --stage ffffffffffffffffffff
	run --separate-stderr nc -zv -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	assert_failure 1
	assert_equal "$stderr" "nc: connection failed, SOCKSv5 error: Unknown error"
}

@test "what the proxy sends after its 200 goes to stdout, as netcat-openbsd" {
	start_fake --count 2 --until 0d0a0d0a --stage "$(hex 'HTTP/1.0 200 OK\r\nVia: x\r\n\r\nEXTRA\n')"
	run --separate-stderr nc -X connect -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80 </dev/null
	assert_success
	assert_output "EXTRA"
	start_fake --count 2 --until 0d0a0d0a --stage "$(hex 'HTTP/1.0 200 OK\r\nVia: x\r\n\r\nEXTRA\n')"
	same -X connect -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	compare
}

@test "-w bounds the whole handshake with a silent proxy (netcat-openbsd hangs)" {
	local x want t0
	for x in "5|read failed (0/3): Connection timed out" "4|read failed (0/8): Connection timed out" \
		"connect|proxy read: Connection timed out"; do
		start_fake --then hold --hold 15
		t0=$(now_ms)
		run --separate-stderr nc -zv -w 1 -X "${x%%|*}" -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
		assert_failure 1
		assert_equal "$stderr" "nc: ${x#*|}"
		(($(elapsed_ms "$t0") < 6000)) || fail "took $(elapsed_ms "$t0") ms"
	done
	# A status line that never ends.
	start_fake --until 0d0a0d0a --stage "$(hex 'HTTP/1.1 200 OK')" --then hold --hold 15
	run --separate-stderr nc -w 1 -X connect -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80 </dev/null
	assert_failure 1
	assert_equal "$stderr" "nc: proxy read: Connection timed out"
}

@test "a SOCKS5 reply whose bound address is a name is accepted (netcat-openbsd refuses it)" {
	start_peer banner --shut --count 2
	start_fake --stage 0500 --stage "0500000309$(hex localhost)0050" --then tunnel --tunnel-port "$PEER_PORT"
	run --separate-stderr nc -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80 </dev/null
	assert_success
	assert_output "HELLO banner"
	if ((HAVE_REF)); then
		start_fake --stage 0500 --stage "0500000309$(hex localhost)0050" --then tunnel --tunnel-port "$PEER_PORT"
		run --separate-stderr nc_from "$REF_BIN_DIR" -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80 </dev/null
		assert_equal "$stderr" "nc: connection failed, unsupported address type"
	fi
}

@test "a proxy's text with control characters is escaped" {
	start_fake --stage "$(hex 'HTTP/1.0 502 Bad\033[31m Gateway\r\n\r\n')"
	run --separate-stderr nc -z -X connect -x "127.0.0.1:$FAKE_PORT" 127.0.0.1 80
	assert_failure 1
	assert_equal "$stderr" 'nc: Proxy error: "HTTP/1.0 502 Bad\033[31m Gateway"'
}

# --- -z, --json and --wait through a proxy ---

@test "--json -z through a proxy: the proxy's answer is the state, the address null" {
	start_microsocks
	start_peer scan --pattern ox
	local b=$PEER_PORT
	run --separate-stderr nc -z --json -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$b" "$((b + 1))"
	assert_success
	assert_equal "${#lines[@]}" 2
	[[ ${lines[0]} == '{"host":"127.0.0.1","address":null,"family":null,"proto":"tcp","port":'$b',"service":'*',"state":"open","reason":null,"time_ms":'* ]] ||
		fail "line 1: ${lines[0]}"
	[[ ${lines[1]} == *'"port":'$((b + 1))','*'"state":"closed","reason":"connection failed, SOCKSv5 error: Connection refused"'* ]] ||
		fail "line 2: ${lines[1]}"
	local down
	down=$(closed_port)
	run --separate-stderr nc -z --json -x "127.0.0.1:$down" 127.0.0.1 "$b"
	assert_failure 1
	[[ $output == *'"state":"error","reason":"proxy 127.0.0.1 port '$down': Connection refused"'* ]] ||
		fail "$output"
}

@test "--wait through a proxy: waits until the proxy reaches the port" {
	start_microsocks
	local port
	port=$(closed_port)
	start_nc /dev/null --wait 20 -v -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$port"
	still_running "$NC_PID" 0.5 || fail "nc gave up: $(cat "$NC_ERR")"
	start_peer banner --port "$port"
	wait_for_exit "$NC_PID" 20 || fail "nc still waits: $(cat "$NC_ERR")"
	assert_equal "$EXIT_RC" 0
	# -v: each round names the proxy's answer; the last line is the success.
	assert_equal "$(tail -n 1 "$NC_ERR")" "Connection to 127.0.0.1 $port port [tcp/*] succeeded!"
	grep -q "^nc: 127.0.0.1 port $port (tcp) still down: connection failed, SOCKSv5 error: Connection refused; next try in " \
		"$NC_ERR" || fail "no round said why: $(cat "$NC_ERR")"
	# Never up: the proxy's last answer, whatever -v says.
	port=$(closed_port)
	run --separate-stderr nc --wait 0.5 -x "127.0.0.1:$MS_PORT" 127.0.0.1 "$port"
	assert_failure 1
	assert_equal "$stderr" \
		"nc: 127.0.0.1 port $port (tcp) not up after 0.5 s: connection failed, SOCKSv5 error: Connection refused"
}

# --- -F ---

@test "-F passes the connected socket on stdout, directly or through a proxy, as OpenSSH wants it" {
	start_microsocks
	start_tinyproxy
	start_peer echo --count 5
	local p=$PEER_PORT x
	for x in "" "-x 127.0.0.1:$MS_PORT" "-X connect -x 127.0.0.1:$TP_PORT" "-z" "-X 4 -x 127.0.0.1:$MS_PORT"; do
		[[ $x == *"-X 4"* ]] && continue # microsocks speaks SOCKS5 only
		# shellcheck disable=SC2086 # $x is several words
		run env PATH="$NC_BIN_DIR:$PATH" python3 "$BATS_TEST_DIRNAME/fdpass_recv.py" --send "ping $x" \
			nc -F $x 127.0.0.1 "$p"
		assert_success
		assert_output "payload 00
nonblock yes
ping $x
rc 0"
	done
}

@test "-F where stdout is no socket, with -U, and a refused port, as netcat-openbsd" {
	start_peer banner --count 5
	local closed
	closed=$(closed_port)
	same -F 127.0.0.1 "$PEER_PORT"
	same -Fv 127.0.0.1 "$PEER_PORT"
	same -F -U "$BATS_TEST_TMPDIR/s"
	same -Fv 127.0.0.1 "$closed"
	same -F 127.0.0.1 "$closed"
	compare
	run --separate-stderr nc -F 127.0.0.1 "$PEER_PORT"
	assert_failure 1
	assert_equal "$stderr" "nc: sendmsg: Socket operation on non-socket"
}

@test "-F where stdout is a terminal, as netcat-openbsd" {
	need script
	start_peer banner --count 2
	local dir out
	for dir in "$NC_BIN_DIR" ${REF_BIN_DIR:+"$REF_BIN_DIR"}; do
		out=$(script -qec "PATH=$dir:\$PATH timeout 10 nc -Fv 127.0.0.1 $PEER_PORT; echo rc=\$?" /dev/null </dev/null |
			tr -d '\r')
		assert_equal "$out" "Connection to 127.0.0.1 $PEER_PORT port [tcp/*] succeeded!
nc: Cannot pass file descriptor to tty
rc=1"
	done
}

# --- -S ---

# md5_listener KEY: a listener with -S and KEY from the environment, no terminal.
md5_listener() {
	NC_MD5SIG_PASSWORD=$1 LISTEN_STDIN=/dev/null start_listener_raw -S -lvn 127.0.0.1 0
}

@test "-S: two peers sharing a TCP MD5 key connect; without the key, or with another, nothing connects" {
	NOTTY_DIR=$BATS_TEST_TMPDIR/notty
	mkdir -p "$NOTTY_DIR"
	printf '#!/bin/sh\nexec setsid -w %q "$@"\n' "$NC_BIN_DIR/nc" >"$NOTTY_DIR/nc"
	chmod +x "$NOTTY_DIR/nc"
	local saved=$NC_BIN_DIR
	NC_BIN_DIR=$NOTTY_DIR
	md5_listener 'shared key'
	echo "signed" | NC_MD5SIG_PASSWORD='shared key' nc -S -N -w 5 127.0.0.1 "$LPORT"
	wait_for_exit "$LPID" 5 || fail "the listener still runs: $(cat "$LERR")"
	assert_equal "$(cat "$LOUT")" "signed"

	md5_listener 'shared key'
	run nc -z -w 1 127.0.0.1 "$LPORT"
	assert_failure 1
	NC_MD5SIG_PASSWORD='other key' run nc -z -S -w 1 127.0.0.1 "$LPORT"
	assert_failure 1
	still_running "$LPID" 0.2 || fail "the listener took a connection: $(cat "$LERR")"
	grep -q '^Connection received' "$LERR" && fail "a connection was received: $(cat "$LERR")"
	NC_MD5SIG_PASSWORD='shared key' run nc -z -S -w 5 127.0.0.1 "$LPORT"
	assert_success
	NC_BIN_DIR=$saved
}

@test "-S without a terminal and without NC_MD5SIG_PASSWORD, as netcat-openbsd" {
	local dir out
	for dir in "$NC_BIN_DIR" ${REF_BIN_DIR:+"$REF_BIN_DIR"}; do
		out=$(PATH=$dir:$PATH setsid -w nc -S -z 127.0.0.1 1 2>&1 </dev/null; echo "rc=$?")
		assert_equal "$out" "nc: Unable to read TCP MD5SIG password
rc=1"
	done
}

# --- -Z ---

@test "-Z where the kernel has no DCCP: one line and exit 1 (netcat-openbsd says nothing)" {
	if python3 -c 'import socket; socket.socket(socket.AF_INET, 6, 33)' 2>/dev/null; then
		skip "this kernel has DCCP"
	fi
	local args
	for args in "-Z -zv 127.0.0.1 1" "-Z 127.0.0.1 1" "-Z -l 12345"; do
		# shellcheck disable=SC2086
		run --separate-stderr nc $args </dev/null
		assert_failure 1
		[[ $stderr =~ ^nc:\ -Z:\ this\ system\ has\ no\ DCCP\ \(.+\)$ ]] || fail "nc $args: $stderr"
	done
	if [[ -n ${REF_BIN_DIR:-} ]]; then
		run --separate-stderr nc_from "$REF_BIN_DIR" -Z -zv 127.0.0.1 1
		assert_failure 1
		assert_equal "$stderr" ""
	fi
}

# --- -t ---

@test "-t answers telnet negotiation, a sequence split over two reads too" {
	run --separate-stderr nc -t 127.0.0.1 1 </dev/null
	[[ $stderr == *"not supported yet"* ]] && skip "-t waits for the relay to read through the telnet layer"
	local port_file=$BATS_TEST_TMPDIR/tport got=$BATS_TEST_TMPDIR/tgot
	python3 - "$port_file" "$got" <<-'PY' 3>&- &
		import socket, sys, time
		s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
		import os; open(sys.argv[1] + ".t", "w").write(str(s.getsockname()[1])); os.rename(sys.argv[1] + ".t", sys.argv[1])
		s.settimeout(10); c, _ = s.accept(); c.settimeout(5)
		c.sendall(b"\xff\xfd\x01"); a = c.recv(3)
		c.sendall(b"abc\xff\xfd"); time.sleep(0.3); c.sendall(b"\x18q"); b = c.recv(3)
		open(sys.argv[2], "w").write(a.hex() + " " + b.hex()); c.close()
	PY
	BG_PIDS+=("$!")
	wait_for_file "$port_file" 5
	run --separate-stderr nc -t 127.0.0.1 "$(cat "$port_file")" </dev/null
	assert_success
	wait_for_file "$got" 5
	assert_equal "$(cat "$got")" "fffc01 fffc18"
	assert_equal "$(printf '%s' "$output" | od -An -v -tx1 | tr -d ' \n')" fffd01616263fffd1871
}

@test "-t in listen mode answers the client's negotiation; data passes unchanged both ways" {
	hold_stdin
	LISTEN_STDIN=$STDIN_FIFO start_listener -t
	run python3 - "$LPORT" <<-'PY'
		import socket, sys
		c = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
		c.sendall(b"hi\xff\xfb\x03\xff\xfe\x05")
		got = b""
		while len(got) < 6: got += c.recv(64)
		print(got.hex())
	PY
	assert_success
	assert_output fffe03fffc05
	wait_for_exit "$LPID" 5 || fail "the listener still runs"
	assert_equal "$(od -An -v -tx1 "$LOUT" | tr -d ' \n')" 6869fffb03fffe05
}
