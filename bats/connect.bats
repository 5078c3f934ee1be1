#!/usr/bin/env bats
# Connecting and probing (-z): the success and failure lines, port lists and
# ranges, -r, service names, -n, -4/-6, -p, -s, -w, -i.

load helpers

ok_line() { # ok_line HOST PORT [SERVICE]
	echo "Connection to $1 $2 port [tcp/${3:-*}] succeeded!"
}

refused_line() { # refused_line HOST PORT
	echo "nc: connect to $1 port $2 (tcp) failed: Connection refused"
}

@test "-zv to a listener: success line, rc 0, nothing on stdout" {
	start_peer silent
	run --separate-stderr nc -zv 127.0.0.1 "$PEER_PORT" </dev/null
	assert_success
	assert_equal "$output" ""
	assert_equal "$stderr" "$(ok_line 127.0.0.1 "$PEER_PORT")"
	wait_for_match "$PEER_LOG" '^ACCEPT 127\.0\.0\.1 ' 5
}

@test "-z to a listener without -v: silent, rc 0" {
	start_peer silent
	run --separate-stderr nc -z 127.0.0.1 "$PEER_PORT" </dev/null
	assert_success
	assert_equal "$output" ""
	assert_equal "$stderr" ""
	wait_for_match "$PEER_LOG" '^ACCEPT ' 5
}

@test "-zv to a closed port: refused line, rc 1" {
	local port
	port=$(closed_port)
	run --separate-stderr nc -zv 127.0.0.1 "$port" </dev/null
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "$(refused_line 127.0.0.1 "$port")"
}

@test "-z to a closed port without -v: silent, rc 1" {
	local port
	port=$(closed_port)
	run --separate-stderr nc -z 127.0.0.1 "$port" </dev/null
	assert_failure 1
	assert_equal "$stderr" ""
}

@test "connect (no -z) to a closed port: silent without -v, refused line with -v, rc 1" {
	local port
	port=$(closed_port)
	run --separate-stderr nc 127.0.0.1 "$port" </dev/null
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" ""
	run --separate-stderr nc -v 127.0.0.1 "$port" </dev/null
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "$(refused_line 127.0.0.1 "$port")"
}

@test "-zv ::1 to an IPv6 listener" {
	start_peer silent --addr ::1
	run --separate-stderr nc -zv ::1 "$PEER_PORT" </dev/null
	assert_success
	assert_equal "$stderr" "$(ok_line ::1 "$PEER_PORT")"
}

@test "-zv ::1 to a closed IPv6 port" {
	local port
	port=$(closed_port ::1)
	run --separate-stderr nc -zv ::1 "$port" </dev/null
	assert_failure 1
	assert_equal "$stderr" "$(refused_line ::1 "$port")"
}

@test "-zv -4 127.0.0.1 and -zv -6 ::1" {
	start_peer silent
	run --separate-stderr nc -zv -4 127.0.0.1 "$PEER_PORT" </dev/null
	assert_success
	assert_equal "$stderr" "$(ok_line 127.0.0.1 "$PEER_PORT")"
	start_peer silent --addr ::1
	run --separate-stderr nc -zv -6 ::1 "$PEER_PORT" </dev/null
	assert_success
	assert_equal "$stderr" "$(ok_line ::1 "$PEER_PORT")"
}

@test "-zv -4 localhost: only 127.0.0.1 is tried, shown as (127.0.0.1)" {
	localhost_has_v4 || skip "localhost does not resolve to 127.0.0.1 here"
	start_peer silent
	run --separate-stderr nc -zv -4 localhost "$PEER_PORT" </dev/null
	assert_success
	assert_equal "$stderr" "$(ok_line "localhost (127.0.0.1)" "$PEER_PORT")"
}

@test "-zv -6 localhost: only ::1 is tried" {
	localhost_has_v6 || skip "localhost does not resolve to ::1 here"
	start_peer silent --addr ::1
	run --separate-stderr nc -zv -6 localhost "$PEER_PORT" </dev/null
	assert_success
	assert_equal "$stderr" "$(ok_line "localhost (::1)" "$PEER_PORT")"
}

# The addresses of localhost in the order getaddrinfo gives them.
localhost_addrs() {
	getent ahosts localhost | awk '$2 == "STREAM" && !seen[$1]++ { print $1 }'
}

@test "-zv localhost with a listener on 127.0.0.1 only: each address in turn until one connects" {
	localhost_has_v4 || skip "localhost does not resolve to 127.0.0.1 here"
	start_peer silent
	local expected="" addr
	for addr in $(localhost_addrs); do
		if [[ $addr == 127.0.0.1 ]]; then
			expected+="$(ok_line "localhost ($addr)" "$PEER_PORT")"
			break
		fi
		expected+="$(refused_line "localhost ($addr)" "$PEER_PORT")"$'\n'
	done
	run --separate-stderr nc -zv localhost "$PEER_PORT" </dev/null
	assert_success
	assert_equal "$stderr" "$expected"
}

@test "-zv localhost on a port closed for every address: one refused line per address, rc 1" {
	local port expected="" addr
	port=$(closed_port)
	for addr in $(localhost_addrs); do
		expected+="$(refused_line "localhost ($addr)" "$port")"$'\n'
	done
	run --separate-stderr nc -zv localhost "$port" </dev/null
	assert_failure 1
	assert_equal "$stderr" "${expected%$'\n'}"
}

@test "-zv range: one line per port in ascending order, rc 0 when some connect" {
	start_peer scan --pattern xoxox
	local b=$PEER_PORT
	run --separate-stderr nc -zv 127.0.0.1 "$b-$((b + 4))" </dev/null
	assert_success
	assert_equal "$stderr" "$(refused_line 127.0.0.1 "$b")
$(ok_line 127.0.0.1 $((b + 1)))
$(refused_line 127.0.0.1 $((b + 2)))
$(ok_line 127.0.0.1 $((b + 3)))
$(refused_line 127.0.0.1 $((b + 4)))"
}

@test "-zv descending range is probed in ascending order" {
	start_peer scan --pattern oxo
	local b=$PEER_PORT
	run --separate-stderr nc -zv 127.0.0.1 "$((b + 2))-$b" </dev/null
	assert_success
	assert_equal "$stderr" "$(ok_line 127.0.0.1 "$b")
$(refused_line 127.0.0.1 $((b + 1)))
$(ok_line 127.0.0.1 $((b + 2)))"
}

@test "-zv range with every port closed: rc 1" {
	start_peer scan --pattern oxxx
	local b=$PEER_PORT
	run --separate-stderr nc -zv 127.0.0.1 "$((b + 1))-$((b + 3))" </dev/null
	assert_failure 1
	assert_equal "${#stderr_lines[@]}" 3
	refute_output --regexp 'succeeded'
	refute_regex "$stderr" 'succeeded'
}

@test "several port arguments: probed in the given order, rc 0 if any connected" {
	start_peer scan --pattern ox
	local b=$PEER_PORT
	run --separate-stderr nc -zv 127.0.0.1 $((b + 1)) "$b" </dev/null
	assert_success
	assert_equal "$stderr" "$(refused_line 127.0.0.1 $((b + 1)))
$(ok_line 127.0.0.1 "$b")"
	# Success first, failure last: still rc 0.
	run --separate-stderr nc -zv 127.0.0.1 "$b" $((b + 1)) </dev/null
	assert_success
	assert_equal "$stderr" "$(ok_line 127.0.0.1 "$b")
$(refused_line 127.0.0.1 $((b + 1)))"
}

@test "several port arguments mixing single ports and ranges" {
	start_peer scan --pattern oxoxo
	local b=$PEER_PORT
	run --separate-stderr nc -zv 127.0.0.1 $((b + 4)) "$b-$((b + 1))" </dev/null
	assert_success
	assert_equal "$stderr" "$(ok_line 127.0.0.1 $((b + 4)))
$(ok_line 127.0.0.1 "$b")
$(refused_line 127.0.0.1 $((b + 1)))"
}

@test "-zvr: the same lines as without -r, not in ascending order" {
	start_peer scan --pattern oxoxoxoxoxox
	local b=$PEER_PORT hi=$((PEER_PORT + 11))
	run --separate-stderr nc -zv 127.0.0.1 "$b-$hi" </dev/null
	assert_success
	local ordered=$stderr
	run --separate-stderr nc -zvr 127.0.0.1 "$b-$hi" </dev/null
	assert_success
	assert_equal "${#stderr_lines[@]}" 12
	# Same set of lines ...
	assert_equal "$(sort <<<"$stderr")" "$(sort <<<"$ordered")"
	# ... in another order (12! orders: equal by chance with p ~ 2e-9).
	assert_not_equal "$stderr" "$ordered"
}

@test "service name: http is port 80" {
	run --separate-stderr nc -zv 127.0.0.1 http </dev/null
	# Whether something listens on port 80 here is not ours to know.
	assert_regex "$stderr" '^(nc: connect to 127\.0\.0\.1 port 80 \(tcp\) failed: Connection refused|Connection to 127\.0\.0\.1 80 port \[tcp/http\] succeeded!)$'
}

@test "a listening port with a service name shows [tcp/NAME]; -n shows [tcp/*]" {
	grep -Eq '^dcap[[:space:]]+22125/tcp' /etc/services || skip "no dcap 22125/tcp in /etc/services"
	# A fixed port, the only one in this suite: /etc/services names it.
	start_peer silent --port 22125 --count 3 || skip "port 22125 is busy"
	run --separate-stderr nc -zv 127.0.0.1 22125 </dev/null
	assert_success
	assert_equal "$stderr" "$(ok_line 127.0.0.1 22125 dcap)"
	run --separate-stderr nc -zv 127.0.0.1 dcap </dev/null
	assert_success
	assert_equal "$stderr" "$(ok_line 127.0.0.1 22125 dcap)"
	run --separate-stderr nc -zvn 127.0.0.1 22125 </dev/null
	assert_success
	assert_equal "$stderr" "$(ok_line 127.0.0.1 22125)"
}

@test "-p: the connection comes from the given source port" {
	start_peer silent
	local sport
	sport=$(closed_port)
	run --separate-stderr nc -z -p "$sport" 127.0.0.1 "$PEER_PORT" </dev/null
	assert_success
	wait_for_match "$PEER_LOG" "^ACCEPT 127\.0\.0\.1 $sport\$" 5 ||
		fail "peer saw: $(cat "$PEER_LOG")"
}

@test "-s: the connection comes from the given source address" {
	python3 -c 'import socket; socket.socket().bind(("127.0.0.2", 0))' 2>/dev/null ||
		skip "127.0.0.2 cannot be bound here"
	start_peer silent
	run --separate-stderr nc -zv -s 127.0.0.2 127.0.0.1 "$PEER_PORT" </dev/null
	assert_success
	assert_equal "$stderr" "$(ok_line 127.0.0.1 "$PEER_PORT")"
	wait_for_match "$PEER_LOG" '^ACCEPT 127\.0\.0\.2 [0-9]+$' 5 ||
		fail "peer saw: $(cat "$PEER_LOG")"
}

@test "-s and -p together" {
	start_peer silent
	local sport
	sport=$(closed_port)
	run --separate-stderr nc -z -s 127.0.0.1 -p "$sport" 127.0.0.1 "$PEER_PORT" </dev/null
	assert_success
	wait_for_match "$PEER_LOG" "^ACCEPT 127\.0\.0\.1 $sport\$" 5 ||
		fail "peer saw: $(cat "$PEER_LOG")"
}

@test "-w 1: a connection that gets no answer times out after about 1 s" {
	start_peer full
	local t0
	t0=$(now_ms)
	run --separate-stderr nc -zv -w 1 127.0.0.1 "$PEER_PORT" </dev/null
	local took
	took=$(elapsed_ms "$t0")
	assert_failure 1
	assert_equal "$stderr" "nc: connect to 127.0.0.1 port $PEER_PORT (tcp) timed out: Operation now in progress"
	((took >= 900 && took < 3000)) || fail "took $took ms"
}

@test "-w 0.25: fractional connect timeout (ours)" {
	start_peer full
	local t0
	t0=$(now_ms)
	run --separate-stderr nc -zv -w 0.25 127.0.0.1 "$PEER_PORT" </dev/null
	local took
	took=$(elapsed_ms "$t0")
	assert_failure 1
	assert_equal "$stderr" "nc: connect to 127.0.0.1 port $PEER_PORT (tcp) timed out: Operation now in progress"
	((took >= 200 && took < 900)) || fail "took $took ms"
}

@test "-w 1 does not slow down a connection that succeeds" {
	start_peer silent
	local t0
	t0=$(now_ms)
	run --separate-stderr nc -zv -w 1 127.0.0.1 "$PEER_PORT" </dev/null
	local took
	took=$(elapsed_ms "$t0")
	assert_success
	((took < 900)) || fail "took $took ms"
}

@test "-z without -i: ports are probed without delay" {
	start_peer scan --pattern ooo
	local t0
	t0=$(now_ms)
	run --separate-stderr nc -zv 127.0.0.1 "$PEER_PORT-$((PEER_PORT + 2))" </dev/null
	local took
	took=$(elapsed_ms "$t0")
	assert_success
	assert_equal "${#stderr_lines[@]}" 3
	((took < 900)) || fail "took $took ms"
}

@test "-z -i 1: the interval is applied between ports (ours)" {
	start_peer scan --pattern oo
	local t0
	t0=$(now_ms)
	run --separate-stderr nc -zv -i 1 127.0.0.1 "$PEER_PORT-$((PEER_PORT + 1))" </dev/null
	local took
	took=$(elapsed_ms "$t0")
	assert_success
	assert_equal "$stderr" "$(ok_line 127.0.0.1 "$PEER_PORT")
$(ok_line 127.0.0.1 $((PEER_PORT + 1)))"
	((took >= 900 && took < 4000)) || fail "took $took ms"
}
