#!/usr/bin/env bats
# UDP: -u connect mode, -u -l listen mode, and -u -z probing.

load helpers

# ---- probing (-u -z) ----

@test "udp -zv: a port that answers is reported open, exit 0" {
	start_peer echo --udp
	run nc -uzv 127.0.0.1 "$PEER_PORT"
	assert_success
	assert_output "Connection to 127.0.0.1 $PEER_PORT port [udp/*] succeeded!"
	# The default probe is one byte, sent once: the reply came at once.
	[[ $(wc -l <"$PEER_LOG") -eq 1 ]]
}

@test "udp -zv: a closed port says Connection refused, exit 1" {
	port=$(closed_port -u)
	run nc -uzv 127.0.0.1 "$port"
	assert_failure 1
	assert_output "nc: connect to 127.0.0.1 port $port (udp) failed: Connection refused"
}

@test "udp -z without -v still probes: closed exits 1, open exits 0, nothing printed" {
	port=$(closed_port -u)
	run nc -uz 127.0.0.1 "$port"
	assert_failure 1
	assert_output ""
	start_peer echo --udp
	run nc -uz 127.0.0.1 "$PEER_PORT"
	assert_success
	assert_output ""
	[[ -s $PEER_LOG ]] # a probe really went out
}

@test "udp -zvv: the exact state and reason" {
	start_peer echo --udp
	open=$PEER_PORT
	start_peer silent --udp
	silent=$PEER_PORT
	closed=$(closed_port -u)
	run nc -uzvv -w 0.3 127.0.0.1 "$open" "$closed" "$silent"
	assert_success
	assert_line --index 0 "Connection to 127.0.0.1 $open port [udp/*] succeeded!"
	assert_line --index 1 --regexp "^nc: 127.0.0.1 port $open \(udp\) open: reply of 7 bytes after [0-9]+ ms, 1 probe sent$"
	assert_line --index 2 "nc: connect to 127.0.0.1 port $closed (udp) failed: Connection refused"
	assert_line --index 3 --regexp "^nc: 127.0.0.1 port $closed \(udp\) closed: port unreachable \(ICMP type 3 code 3\) after [0-9]+ ms, 1 probe sent$"
	assert_line --index 4 "Connection to 127.0.0.1 $silent port [udp/*] succeeded!"
	assert_line --index 5 "nc: 127.0.0.1 port $silent (udp) open|filtered: no reply within 300 ms, 3 probes sent"
	[[ ${#lines[@]} -eq 6 ]]
}

@test "udp -zv: a silent port is open|filtered (success) after the probe wait, resent within it" {
	start_peer silent --udp
	t0=$(now_ms)
	run nc -uzv -w 0.5 127.0.0.1 "$PEER_PORT"
	t=$(($(now_ms) - t0))
	assert_success
	assert_output "Connection to 127.0.0.1 $PEER_PORT port [udp/*] succeeded!"
	((t >= 450 && t < 5000))
	# Three probes, so that one lost datagram does not decide the result.
	[[ $(wc -l <"$PEER_LOG") -eq 3 ]]
}

@test "udp -z: the probe is resent, so a server that misses the first still counts as open" {
	start_peer second --udp
	run nc -uzvv -w 0.6 127.0.0.1 "$PEER_PORT"
	assert_success
	assert_line --index 1 --regexp "open: reply of 7 bytes after [0-9]+ ms, 2 probes sent$"
}

@test "udp -z: several ports are probed at once and reported in the order given" {
	ports=()
	for i in 1 2 3 4 5 6; do
		start_peer silent --udp
		ports+=("$PEER_PORT")
	done
	start_peer echo --udp
	open=$PEER_PORT
	c1=$(closed_port -u)
	c2=$(closed_port -u)
	t0=$(now_ms)
	run nc -uzv -w 1 127.0.0.1 "$c1" "${ports[@]}" "$open" "$c2"
	t=$(($(now_ms) - t0))
	assert_success
	assert_line --index 0 "nc: connect to 127.0.0.1 port $c1 (udp) failed: Connection refused"
	for i in 0 1 2 3 4 5; do
		assert_line --index $((i + 1)) "Connection to 127.0.0.1 ${ports[i]} port [udp/*] succeeded!"
	done
	assert_line --index 7 "Connection to 127.0.0.1 $open port [udp/*] succeeded!"
	assert_line --index 8 "nc: connect to 127.0.0.1 port $c2 (udp) failed: Connection refused"
	# Six silent ports one after another would take six seconds.
	((t < 4000))
}

@test "udp -z -i: the probes start that far apart" {
	c1=$(closed_port -u)
	c2=$(closed_port -u)
	c3=$(closed_port -u)
	t0=$(now_ms)
	run nc -uzv -i 0.3 127.0.0.1 "$c1" "$c2" "$c3"
	t=$(($(now_ms) - t0))
	assert_failure 1
	assert_line --index 2 "nc: connect to 127.0.0.1 port $c3 (udp) failed: Connection refused"
	((t >= 550))
}

@test "udp -z: exit 1 when every port is closed, 0 when any is open" {
	c1=$(closed_port -u)
	c2=$(closed_port -u)
	run nc -uz 127.0.0.1 "$c1" "$c2"
	assert_failure 1
	start_peer echo --udp
	run nc -uz 127.0.0.1 "$c1" "$PEER_PORT" "$c2"
	assert_success
}

@test "udp -z: IPv6 open and closed" {
	start_peer echo --udp --addr ::1 || skip "no IPv6 loopback"
	closed=$(closed_port -u ::1)
	run nc -uzv ::1 "$PEER_PORT" "$closed"
	assert_success
	assert_line --index 0 "Connection to ::1 $PEER_PORT port [udp/*] succeeded!"
	assert_line --index 1 "nc: connect to ::1 port $closed (udp) failed: Connection refused"
	run nc -uzvv ::1 "$closed"
	assert_failure 1
	assert_line --index 1 --regexp "closed: port unreachable \(ICMPv6 type 1 code 4\)"
}

@test "udp -z: -4 and -6 restrict the family as for TCP" {
	run nc -uzv -4 ::1 53
	assert_failure 1
	assert_output 'nc: getaddrinfo for host "::1" port 53: Address family for hostname not supported'
	run nc -uzv -6 127.0.0.1 53
	assert_failure 1
	assert_output 'nc: getaddrinfo for host "127.0.0.1" port 53: Address family for hostname not supported'
}

@test "udp -z: -s and -p set the probe's source address and port" {
	start_peer echo --udp
	src=$(closed_port -u)
	run nc -uzv -s 127.0.0.1 -p "$src" 127.0.0.1 "$PEER_PORT"
	assert_success
	run cut -d' ' -f1 "$PEER_LOG"
	assert_output "$src"
	run nc -uzv -s 10.9.9.9 127.0.0.1 "$PEER_PORT"
	assert_failure 1
	assert_output "nc: bind failed: Cannot assign requested address"
}

@test "udp -z: -p with several ports probes them all from that one source port" {
	start_peer echo --udp
	a=$PEER_PORT
	loga=$PEER_LOG
	start_peer echo --udp
	b=$PEER_PORT
	src=$(closed_port -u)
	closed=$(closed_port -u)
	run nc -uzv -p "$src" 127.0.0.1 "$a" "$closed" "$b"
	assert_success
	assert_line --index 0 "Connection to 127.0.0.1 $a port [udp/*] succeeded!"
	assert_line --index 1 "nc: connect to 127.0.0.1 port $closed (udp) failed: Connection refused"
	assert_line --index 2 "Connection to 127.0.0.1 $b port [udp/*] succeeded!"
	run cut -d' ' -f1 "$loga"
	assert_output "$src"
}

@test "udp -z -b: broadcast needs -b" {
	port=$(closed_port -u)
	run nc -uzv -w 0.3 127.255.255.255 "$port"
	assert_failure 1
	assert_output "nc: connect to 127.255.255.255 port $port (udp) failed: Permission denied"
	run nc -uzv -b -w 0.3 127.255.255.255 "$port"
	assert_success
	assert_output "Connection to 127.255.255.255 $port port [udp/*] succeeded!"
}

@test "udp -z: service names are looked up as UDP services" {
	run nc -uzv -w 0.3 127.0.0.1 domain
	# Whatever listens there (or not), the port is 53 and the service udp/domain.
	assert_output --regexp "(Connection to 127.0.0.1 53 port \[udp/domain\] succeeded!|nc: connect to 127.0.0.1 port 53 \(udp\) failed: Connection refused)"
}

# ---- probing inside a network namespace: filtering and protocol payloads ----

@test "udp -z (netns): nft drop is open|filtered, admin-prohibited is filtered, IPv4" {
	new_netns --nft
	ns_rules "udp dport 30001 drop" \
		"udp dport 30002 reject with icmpx type admin-prohibited" \
		"udp dport 30003 reject with icmpx type host-unreachable"
	start_peer echo --udp --port 30004
	run nc -uzv -w 0.5 127.0.0.1 30000-30004
	assert_success
	assert_line --index 0 "nc: connect to 127.0.0.1 port 30000 (udp) failed: Connection refused"
	assert_line --index 1 "Connection to 127.0.0.1 30001 port [udp/*] succeeded!"
	assert_line --index 2 "nc: connect to 127.0.0.1 port 30002 (udp) failed: Communication administratively prohibited (ICMP type 3 code 13)"
	assert_line --index 3 "nc: connect to 127.0.0.1 port 30003 (udp) failed: Host unreachable (ICMP type 3 code 1)"
	assert_line --index 4 "Connection to 127.0.0.1 30004 port [udp/*] succeeded!"
	run nc -uzvv -w 0.5 127.0.0.1 30001 30002
	assert_line --index 1 "nc: 127.0.0.1 port 30001 (udp) open|filtered: no reply within 500 ms, 3 probes sent"
	assert_line --index 3 --regexp "^nc: 127.0.0.1 port 30002 \(udp\) filtered: communication administratively prohibited \(ICMP type 3 code 13\) after [0-9]+ ms, 1 probe sent$"
	# Filtered alone is a failure.
	run nc -uz -w 0.5 127.0.0.1 30002
	assert_failure 1
}

@test "udp -z (netns): nft drop and admin-prohibited over IPv6" {
	new_netns --nft
	ns_rules "udp dport 30001 drop" \
		"udp dport 30002 reject with icmpx type admin-prohibited"
	start_peer echo --udp --addr ::1 --port 30003 || skip "no IPv6 in the namespace"
	run nc -uzv -w 0.5 ::1 30000-30003
	assert_success
	assert_line --index 0 "nc: connect to ::1 port 30000 (udp) failed: Connection refused"
	assert_line --index 1 "Connection to ::1 30001 port [udp/*] succeeded!"
	assert_line --index 2 "nc: connect to ::1 port 30002 (udp) failed: Communication administratively prohibited (ICMPv6 type 1 code 1)"
	assert_line --index 3 "Connection to ::1 30003 port [udp/*] succeeded!"
}

@test "udp -z (netns): DNS, NTP and SNMP servers get a request they answer" {
	new_netns
	start_peer dns --udp --port 53
	start_peer ntp --udp --port 123
	start_peer snmp --udp --port 161
	run nc -uzvvn -w 0.5 127.0.0.1 53 123 161
	assert_success
	assert_line --index 1 --regexp "127.0.0.1 port 53 \(udp\) open: reply of 23 bytes"
	assert_line --index 3 --regexp "127.0.0.1 port 123 \(udp\) open: reply of 54 bytes"
	assert_line --index 5 --regexp "127.0.0.1 port 161 \(udp\) open: reply of 49 bytes"
	# The same peers ignore a one-byte probe: on another port they are open|filtered.
	start_peer dns --udp --port 5300
	run nc -uzvv -w 0.3 127.0.0.1 5300
	assert_line --index 1 --regexp "open\|filtered: no reply"
}

@test "udp -z (netns): each address of a name is tried until one is not closed" {
	new_netns
	# ip netns exec reads this file for every command.
	printf '::1 both\n127.0.0.1 both\n' >"/etc/netns/$NS/hosts"
	start_peer echo --udp --port 30005
	run nc -uzv both 30005 30006
	assert_success
	assert_line --index 0 "nc: connect to both (::1) port 30005 (udp) failed: Connection refused"
	assert_line --index 1 "Connection to both (127.0.0.1) 30005 port [udp/*] succeeded!"
	assert_line --index 2 "nc: connect to both (::1) port 30006 (udp) failed: Connection refused"
	assert_line --index 3 "nc: connect to both (127.0.0.1) port 30006 (udp) failed: Connection refused"
}

# ---- connect mode (-u) ----

@test "udp: request and response with -q: the reply arrives after stdin EOF" {
	start_peer echo --udp
	run nc -u -q 1 127.0.0.1 "$PEER_PORT" <<<"question"
	assert_success
	assert_output "reply:question"
}

@test "udp -uv: only the user's data goes out, one datagram per read" {
	start_peer echo --udp
	printf 'abc' >"$BATS_TEST_TMPDIR/in"
	run nc -uv -q 0.5 127.0.0.1 "$PEER_PORT" <"$BATS_TEST_TMPDIR/in"
	assert_success
	assert_output --partial "Connection to 127.0.0.1 $PEER_PORT port [udp/*] succeeded!"
	run cut -d' ' -f2 "$PEER_LOG"
	assert_output "616263"
}

@test "udp: large input is split into datagrams that each fit, none lost" {
	start_peer silent --udp
	head -c 150000 /dev/zero | tr '\0' 'a' >"$BATS_TEST_TMPDIR/in"
	run nc -u -q 0.5 127.0.0.1 "$PEER_PORT" <"$BATS_TEST_TMPDIR/in"
	assert_success
	assert_output ""
	total=0
	while read -r _ hex; do
		len=$((${#hex} / 2))
		((len <= 65507))
		total=$((total + len))
	done <"$PEER_LOG"
	[[ $total -eq 150000 ]]
}

@test "udp: -w ends an idle session" {
	start_peer silent --udp
	t0=$(now_ms)
	run nc -u -w 0.5 127.0.0.1 "$PEER_PORT" </dev/null
	assert_success
	t=$(($(now_ms) - t0))
	((t >= 400 && t < 5000))
}

@test "udp: data to a closed port ends with Connection refused, exit 1" {
	port=$(closed_port -u)
	run nc -u -w 2 127.0.0.1 "$port" <<<"hello"
	assert_failure 1
	assert_output --regexp "^nc: (read|write): Connection refused$"
}

@test "udp: no proxy for UDP" {
	run nc -u -x 127.0.0.1:1080 127.0.0.1 53
	assert_failure 1
	assert_output "nc: no proxy support for UDP mode"
}

# ---- listen mode (-u -l) ----

@test "udp -l: Bound on, then the first sender; data both ways" {
	printf 'answer\n' >"$BATS_TEST_TMPDIR/lin"
	bg_nc "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" "$BATS_TEST_TMPDIR/lin" \
		-luv -q 1 127.0.0.1 0
	lpid=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/l.err" '^Bound on .* [0-9]+$' 5 "$lpid"
	port=$(awk '/^Bound on/ {print $4}' "$BATS_TEST_TMPDIR/l.err")
	run nc -u -w 1 127.0.0.1 "$port" <<<"hello"
	assert_success
	assert_output "answer"
	wait_for_exit "$lpid" 5
	[[ $EXIT_RC -eq 0 ]]
	run cat "$BATS_TEST_TMPDIR/l.out"
	assert_output "hello"
	run cat "$BATS_TEST_TMPDIR/l.err"
	assert_line --index 0 "Bound on localhost $port"
	assert_line --index 1 --regexp "^Connection received on localhost [0-9]+$"
}

@test "udp -l -q 0 with no stdin: the first datagram is written out, then exit 0" {
	bg_nc "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" /dev/null -luv -q 0 127.0.0.1 0
	lpid=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/l.err" '^Bound on' 5 "$lpid"
	port=$(awk '/^Bound on/ {print $4}' "$BATS_TEST_TMPDIR/l.err")
	nc -u -q 0 127.0.0.1 "$port" <<<"first"
	wait_for_exit "$lpid" 5
	[[ $EXIT_RC -eq 0 ]]
	run cat "$BATS_TEST_TMPDIR/l.out"
	assert_output "first"
}

@test "udp -l -n: numeric addresses, IPv6" {
	bg_nc "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" /dev/null -luvn -W 1 ::1 0
	lpid=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/l.err" '^Bound on' 5 "$lpid" || skip "no IPv6 loopback"
	port=$(awk '/^Bound on/ {print $4}' "$BATS_TEST_TMPDIR/l.err")
	run nc -u -q 0 ::1 "$port" <<<"six"
	wait_for_exit "$lpid" 5
	[[ $EXIT_RC -eq 0 ]]
	run cat "$BATS_TEST_TMPDIR/l.err"
	assert_line --index 0 "Bound on ::1 $port"
	assert_line --index 1 --regexp "^Connection received on ::1 [0-9]+$"
	run cat "$BATS_TEST_TMPDIR/l.out"
	assert_output "six"
}

@test "udp -l: only the first sender is heard" {
	bg_nc "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" /dev/null -luv -W 2 127.0.0.1 0
	lpid=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/l.err" '^Bound on' 5 "$lpid"
	port=$(awk '/^Bound on/ {print $4}' "$BATS_TEST_TMPDIR/l.err")
	mkfifo "$BATS_TEST_TMPDIR/first"
	bg_nc "$BATS_TEST_TMPDIR/c1.out" "$BATS_TEST_TMPDIR/c1.err" "$BATS_TEST_TMPDIR/first" \
		-u 127.0.0.1 "$port"
	exec 9>"$BATS_TEST_TMPDIR/first"
	echo one >&9
	wait_for_match "$BATS_TEST_TMPDIR/l.out" '^one$' 5
	run nc -u -q 0.2 127.0.0.1 "$port" <<<"intruder"
	echo two >&9
	wait_for_exit "$lpid" 5
	exec 9>&-
	run cat "$BATS_TEST_TMPDIR/l.out"
	assert_output $'one\ntwo'
}

@test "udp -k -l: every sender is heard, no per-sender lines, -W counts datagrams" {
	bg_nc "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" /dev/null -lkuv -W 3 127.0.0.1 0
	lpid=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/l.err" '^Bound on' 5 "$lpid"
	port=$(awk '/^Bound on/ {print $4}' "$BATS_TEST_TMPDIR/l.err")
	for w in alpha beta gamma; do
		nc -u -q 0 127.0.0.1 "$port" <<<"$w"
		wait_for_match "$BATS_TEST_TMPDIR/l.out" "^$w\$" 5
	done
	wait_for_exit "$lpid" 5
	[[ $EXIT_RC -eq 0 ]]
	run cat "$BATS_TEST_TMPDIR/l.out"
	assert_output $'alpha\nbeta\ngamma'
	run cat "$BATS_TEST_TMPDIR/l.err"
	assert_output "Bound on localhost $port"
}

@test "udp -k -l: stdin goes to the latest sender" {
	mkfifo "$BATS_TEST_TMPDIR/lin"
	bg_nc "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" "$BATS_TEST_TMPDIR/lin" \
		-lkuv 127.0.0.1 0
	lpid=$BG_PID
	exec 9>"$BATS_TEST_TMPDIR/lin"
	wait_for_match "$BATS_TEST_TMPDIR/l.err" '^Bound on' 5 "$lpid"
	port=$(awk '/^Bound on/ {print $4}' "$BATS_TEST_TMPDIR/l.err")
	mkfifo "$BATS_TEST_TMPDIR/cin"
	bg_nc "$BATS_TEST_TMPDIR/c.out" "$BATS_TEST_TMPDIR/c.err" "$BATS_TEST_TMPDIR/cin" \
		-u 127.0.0.1 "$port"
	exec 7>"$BATS_TEST_TMPDIR/cin"
	echo hi >&7
	wait_for_match "$BATS_TEST_TMPDIR/l.out" '^hi$' 5
	echo back >&9
	wait_for_match "$BATS_TEST_TMPDIR/c.out" '^back$' 5
	exec 7>&- 9>&-
}

@test "udp -l: a port out of range is refused" {
	run nc -luv 70000
	assert_failure 1
	assert_output "nc: port number too large: 70000"
}
