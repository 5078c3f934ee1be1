#!/usr/bin/env bats
# Differential tests: the same command under our nc and under netcat-openbsd
# ($NC_REF, default /bin/nc.openbsd), compared on stdout, stderr and exit
# status.  Both binaries are run through a symlink named "nc" (in two temp
# directories), so both messages start with "nc:".  The peers, and so the
# port numbers, are the same for both runs; where a port is chosen by the
# program under test (listeners), it is replaced by <port> before comparing.
#
# Left out on purpose (the "Deliberate differences" of the compatibility
# notes): nc -l 70000, -i with -z, fractional -w, the first line of -h,
# "Listening on" repeated with -k, and errors writing stdout.
#
# Every test is skipped when netcat-openbsd is not installed.

load helpers

setup() {
	common_setup
	need_ref
}

@test "usage errors and conflicting options" {
	same
	same -Y 127.0.0.1 1
	# -c and -e are OpenBSD's TLS options here (tls.bats checks what they say).
	same -z 127.0.0.1 1 -w
	same -l -p 12345 -s 127.0.0.1 12346
	same -l 127.0.0.1 12345 12346
	same -l
	same -lz 12345
	same -l -z 12345
	same -k 127.0.0.1 1
	same -k -z 127.0.0.1 1
	same -zv 127.0.0.1
	same -v 127.0.0.1:12345 # with -z a HOST:PORT target (ready.bats)
	all_same
}

@test "invalid option values" {
	local port
	port=$(closed_port)
	local opt
	for opt in "-w abc" "-w -1" "-q abc" "-i abc" "-i -1" "-T bogus" "-T 300" \
		"-M 300" "-M abc" "-m 300" "-W 0" "-W abc" "-I 0" "-I abc" "-O 0" "-O abc" "-V 1"; do
		# shellcheck disable=SC2086 # split "-w abc" into two words
		same $opt -z 127.0.0.1 "$port"
	done
	all_same
}

@test "invalid port arguments" {
	local p
	for p in 70000 65536 0 abc no-such-service-name 12345- 12345-70000 1-0 12345,12346 -5; do
		same -zv 127.0.0.1 "$p"
	done
	all_same
}

@test "getaddrinfo and bind errors" {
	local port
	port=$(closed_port)
	same -zv -4 ::1 "$port"
	same -zv -6 127.0.0.1 "$port"
	# Without -z: with -z, [::1] and HOST:PORT start a target list (ready.bats).
	same -v '[::1]' "$port"
	same -vn '[::1]' "$port"
	same -zvn localhost "$port"
	same -v "127.0.0.1:$port" "$port"
	same -zv -s 198.51.100.7 127.0.0.1 "$port"
	all_same
}

@test "-z to open and closed ports, single and several" {
	start_peer scan --pattern oxoxo
	local b=$PEER_PORT
	same -zv 127.0.0.1 "$b"
	same -z 127.0.0.1 "$b"
	same -zv 127.0.0.1 $((b + 1))
	same -z 127.0.0.1 $((b + 1))
	same -zvn 127.0.0.1 "$b"
	same -zv -4 127.0.0.1 "$b"
	same -zv 127.0.0.1 $((b + 1)) "$b"
	same -zv 127.0.0.1 "$b" $((b + 1))
	same -zv 127.0.0.1 $((b + 1)) $((b + 3))
	same -zv 127.0.0.1 $((b + 4)) "$b-$((b + 1))"
	all_same
}

@test "-z ranges" {
	start_peer scan --pattern oxoxo
	local b=$PEER_PORT
	same -zv 127.0.0.1 "$b-$((b + 4))"
	same -zv 127.0.0.1 "$((b + 4))-$b"
	same -zvn 127.0.0.1 "$b-$((b + 4))"
	same -zv 127.0.0.1 "$((b + 1))-$((b + 1))"
	same -z 127.0.0.1 "$b-$((b + 4))"
	all_same
}

@test "-zr: the same lines in some order" {
	start_peer scan --pattern oxoxoxox
	local b=$PEER_PORT
	NORMALIZE='sort'
	same -zvr 127.0.0.1 "$b-$((b + 7))"
	all_same
}

@test "-z over IPv6 and by host name" {
	start_peer silent --addr ::1 --count 4
	local v6=$PEER_PORT
	start_peer silent --count 8
	local v4=$PEER_PORT closed
	closed=$(closed_port)
	same -zv ::1 "$v6"
	same -zv -6 ::1 "$v6"
	same -zv localhost "$v4"
	same -zv -4 localhost "$v4"
	same -zv localhost "$closed"
	same -zv 127.0.0.1 http
	all_same
}

@test "connect without -z to a closed port" {
	local port
	port=$(closed_port)
	same 127.0.0.1 "$port"
	same -v 127.0.0.1 "$port"
	same -v ::1 "$(closed_port ::1)"
	all_same
}

@test "-w 1 connect timeout" {
	start_peer full
	same -zv -w 1 127.0.0.1 "$PEER_PORT"
	all_same
}

@test "data mode with -v: banner and success line" {
	start_peer banner --shut --hold 5 --count 2
	CAPTURE_STDIN=$BATS_TEST_TMPDIR/hi
	echo hi >"$CAPTURE_STDIN"
	same -v -N 127.0.0.1 "$PEER_PORT"
	all_same
}

@test "data mode: echo with -N and -C" {
	start_peer echo --count 4
	CAPTURE_STDIN=$BATS_TEST_TMPDIR/lines
	printf 'one\ntwo\n' >"$CAPTURE_STDIN"
	same -N 127.0.0.1 "$PEER_PORT"
	same -C -N 127.0.0.1 "$PEER_PORT"
	all_same
}

# listen_lines DIR RESULT ARGS...: run a listener, connect once, write its
# exit status, stderr (port numbers replaced) and stdout to RESULT.
listen_lines() {
	local dir=$1 result=$2
	shift 2
	: >"$result"
	if ! NC_BIN_DIR=$dir start_listener_raw "$@" 2>>"$result"; then
		echo "(failed) no Listening line" >>"$result"
		return 0
	fi
	if ! printf 'x\n' | py_client 127.0.0.1 "$LPORT" >/dev/null &&
		! printf 'x\n' | py_client ::1 "$LPORT" >/dev/null; then
		echo "(failed) client could not connect: $(cat "$BATS_TEST_TMPDIR/client.err")" >>"$result"
		return 0
	fi
	if ! wait_for_exit "$LPID" 5; then
		echo "(failed) listener still running" >>"$result"
		return 0
	fi
	{
		echo "rc $EXIT_RC"
		sed -E 's/ [0-9]+$/ <port>/' "$LERR"
		cat "$LOUT"
	} >>"$result"
}

@test "listener messages" {
	local args ours=$BATS_TEST_TMPDIR/listen.ours ref=$BATS_TEST_TMPDIR/listen.ref
	for args in "-lv 0" "-lvn 0" "-lvn -6 0" "-lv 127.0.0.1 0" "-lvn -p 0 -s 127.0.0.1" \
		"-lvn ::1 0" "-lvn -4 0"; do
		# shellcheck disable=SC2086
		listen_lines "$NC_BIN_DIR" "$ours" $args
		# shellcheck disable=SC2086
		listen_lines "$REF_BIN_DIR" "$ref" $args
		COMPARED=$((COMPARED + 1))
		if ! cmp -s "$ours" "$ref"; then
			MISMATCHES+="
== nc $args
-- ours:
$(cat "$ours")
-- netcat-openbsd:
$(cat "$ref")
"
		fi
	done
	all_same
}

@test "listening on a busy port" {
	start_peer silent --addr 0.0.0.0
	same -l "$PEER_PORT"
	same -lv "$PEER_PORT"
	same -lv 198.51.100.7 12345
	all_same
}

@test "port operands after --, odd option letters, backslashes and UTF-8 in messages" {
	local p
	for p in -5 -0 -70000 5a-6a 5a-6 5a-70000 5aaaaaaaaaaaaaaaaaaaa-5 '' 'a\b' $'caf\xc3\xa9'; do
		same -zv 127.0.0.1 -- "$p"
	done
	same -zvn 'a\b'$'\xc3\xa9' 1
	same -: 127.0.0.1 1
	same '-?'
	all_same
}

# help_body: -h without its first line, our long options, OpenBSD's TLS
# letters (and the lines a long name pushes its text to) and our marks.
help_body() {
	sed -e 1d -e '/^\t\t--/d' -e '/^\t\t\t\t/d' -e '/^\t\t-[ceHKRo][\t ]/d' \
		-e 's/ (not implemented yet)$//' -e 's/ (not available on Linux)$//'
}

@test "-h: netcat-openbsd's usage block and Command Summary, with our marks and long options" {
	NORMALIZE=help_body
	same -h
	all_same
}
