#!/usr/bin/env bats
# The -z scanner: parallel probes whose output equals a one-at-a-time scan,
# -r, -i, self-connections, --json and --wait. Fixed ports are used only
# inside a private namespace; on the shared loopback the kernel picks them.

load helpers

# A full scan of 65535 ports on a loaded machine may take more than 10 s.
NC_RUN_LIMIT=30

# Checks JSON Lines from stdin against the documented -z schema; prints
# "port state" per line.
JSON_CHECK='
import json, sys
KEYS = ["host", "address", "family", "proto", "port", "service", "state", "reason", "time_ms"]
STATES = {"open", "closed", "filtered", "open|filtered", "timeout", "error"}
n = 0
for line in sys.stdin:
    o = json.loads(line)
    assert list(o) == KEYS, "keys %r" % list(o)
    assert isinstance(o["host"], str)
    assert o["address"] is None or isinstance(o["address"], str)
    assert o["family"] in ("ipv4", "ipv6", "unix", None)
    assert o["proto"] in ("tcp", "udp")
    assert isinstance(o["port"], int) and 0 <= o["port"] <= 65535
    assert o["service"] is None or isinstance(o["service"], str)
    assert o["state"] in STATES
    assert o["reason"] is None or isinstance(o["reason"], str)
    assert (o["reason"] is None) == (o["state"] == "open")
    assert isinstance(o["time_ms"], (int, float)) and o["time_ms"] >= 0
    print(o["port"], o["state"])
    n += 1
assert n > 0, "no objects"
'

@test "parallel -z output is byte-identical to a one-at-a-time (-i 0) scan" {
	new_netns
	start_peer accept 20003 20004 20010 20200
	run nc -zv 127.0.0.1 20000-20300
	assert_success
	local par=$output
	run nc -zv -i 0 127.0.0.1 20000-20300
	assert_success
	[ "$output" == "$par" ]
	[ "$(grep -c succeeded <<<"$par")" -eq 4 ]
	[ "$(grep -c 'failed: Connection refused' <<<"$par")" -eq 297 ]
	# In port order.
	[ "$(sed -n 4p <<<"$par")" == "Connection to 127.0.0.1 20003 port [tcp/*] succeeded!" ]
	[ "$(sed -n 301p <<<"$par")" == "nc: connect to 127.0.0.1 port 20300 (tcp) failed: Connection refused" ]
}

@test "parallel -z output and status equal nc.openbsd's" {
	need_ref
	new_netns
	start_peer accept 20001 20003
	run nc -zv 127.0.0.1 20000-20100 20003 19999
	local o_status=$status o_out=$output
	run ref_nc -zv 127.0.0.1 20000-20100 20003 19999
	[ "$status" -eq "$o_status" ]
	[ "$output" == "$o_out" ]
	run nc -z 127.0.0.1 20004-20100
	assert_failure
	assert_output ""
}

@test "a host with two addresses: each failed address's line comes before the port's result" {
	need_ref
	new_netns
	start_peer accept 20001 20003
	run nc -zv localhost 20000-20004
	assert_success
	local o_out=$output
	assert_line --index 0 "nc: connect to localhost (::1) port 20000 (tcp) failed: Connection refused"
	assert_line --index 1 "nc: connect to localhost (127.0.0.1) port 20000 (tcp) failed: Connection refused"
	assert_line --index 2 "nc: connect to localhost (::1) port 20001 (tcp) failed: Connection refused"
	assert_line --index 3 "Connection to localhost (127.0.0.1) 20001 port [tcp/*] succeeded!"
	run ref_nc -zv localhost 20000-20004
	[ "$output" == "$o_out" ]
}

@test "-r probes every port once, in a random order" {
	new_netns
	start_peer accept 20005
	run nc -zv -i 0 127.0.0.1 20000-20039
	local sorted_seq
	sorted_seq=$(sort <<<"$output")
	local orders=() k
	for k in 1 2 3; do
		run nc -zvr 127.0.0.1 20000-20039
		assert_success
		[ "$(sort <<<"$output")" == "$sorted_seq" ]
		orders+=("$output")
	done
	# 40! orders: three runs all in ascending order would be a broken -r.
	[ "${orders[0]}" != "${orders[1]}" ] || [ "${orders[1]}" != "${orders[2]}" ]
}

@test "-i probes one port at a time with the delay between them" {
	local p1 p2 p3 t0 t1
	p1=$(closed_port)
	start_peer accept 0
	p2=${PEER_PORTS[0]}
	p3=$(closed_port)
	t0=$(now_ms)
	run nc -zv -i 0.4 127.0.0.1 "$p1" "$p2" "$p3"
	t1=$(now_ms)
	assert_success
	assert_line --index 0 "nc: connect to 127.0.0.1 port $p1 (tcp) failed: Connection refused"
	assert_line --index 1 "Connection to 127.0.0.1 $p2 port [tcp/*] succeeded!"
	assert_line --index 2 "nc: connect to 127.0.0.1 port $p3 (tcp) failed: Connection refused"
	# Two pauses of 0.4 s.
	[ $((t1 - t0)) -ge 800 ]
}

@test "a connection to itself (source port = scanned port) is reported closed" {
	new_netns
	# -p makes the kernel's simultaneous open certain: the socket reaches itself.
	run nc -zv -p 40001 127.0.0.1 40001
	assert_failure
	assert_output "nc: connect to 127.0.0.1 port 40001 (tcp) failed: Connection refused"
	run nc -zv -p 40011 127.0.0.1 40009-40013
	assert_failure
	assert_line --index 2 "nc: connect to 127.0.0.1 port 40011 (tcp) failed: Connection refused"
	refute_output --partial succeeded
	run nc -zv -i 0 -p 40021 127.0.0.1 40019-40023
	assert_failure
	refute_output --partial succeeded
}

@test "a full scan of 127.0.0.1 finds exactly the listeners" {
	new_netns
	start_peer accept --limit 60 20001 33333 45678
	run nc -zv 127.0.0.1 1-65535
	assert_success
	[ "${#lines[@]}" -eq 65535 ]
	run grep succeeded <<<"$output"
	assert_output "Connection to 127.0.0.1 20001 port [tcp/*] succeeded!
Connection to 127.0.0.1 33333 port [tcp/*] succeeded!
Connection to 127.0.0.1 45678 port [tcp/*] succeeded!"
}

@test "dropped ports with -w 1 are probed side by side: about one timeout in all" {
	new_netns --nft
	ns_rules "ip daddr 127.0.0.2 tcp dport 30000-30199 drop"
	local t0 t1
	t0=$(now_ms)
	run nc -zv -w 1 127.0.0.2 29999-30200
	t1=$(now_ms)
	assert_failure
	[ "${#lines[@]}" -eq 202 ]
	assert_line --index 0 "nc: connect to 127.0.0.2 port 29999 (tcp) failed: Connection refused"
	assert_line --index 1 "nc: connect to 127.0.0.2 port 30000 (tcp) timed out: Operation now in progress"
	assert_line --index 200 "nc: connect to 127.0.0.2 port 30199 (tcp) timed out: Operation now in progress"
	[ "$(grep -c 'timed out' <<<"$output")" -eq 200 ]
	# One at a time this is 200 s; generous bound for a loaded machine.
	[ $((t1 - t0)) -lt 10000 ]
	run nc -z --json -w 0.5 127.0.0.2 30000-30002
	assert_failure
	run python3 -c "$JSON_CHECK" <<<"$output"
	assert_success
	assert_output "30000 timeout
30001 timeout
30002 timeout"
}

@test "--json: one object per port on stdout, in order, with the documented fields" {
	local closed
	start_peer accept 0
	closed=$(closed_port)
	run --separate-stderr nc -z --json 127.0.0.1 "${PEER_PORTS[0]}" "$closed"
	assert_success
	[ -z "$stderr" ]
	run python3 -c "$JSON_CHECK" <<<"$output"
	assert_success
	assert_output "${PEER_PORTS[0]} open
$closed closed"
	run --separate-stderr nc -z --json 127.0.0.1 "$closed"
	assert_failure
	[ "$output" == "{\"host\":\"127.0.0.1\",\"address\":\"127.0.0.1\",\"family\":\"ipv4\",\"proto\":\"tcp\",\"port\":$closed,\"service\":null,\"state\":\"closed\",\"reason\":\"Connection refused\",$(sed 's/.*,"time_ms"/"time_ms"/' <<<"$output")" ]
}

@test "--json: service names, and none with -n" {
	new_netns
	start_peer accept 22125 80
	run nc -z --json 127.0.0.1 80
	run python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["service"])' <<<"$output"
	assert_output "http"
	run nc -zn --json 127.0.0.1 80
	run python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["service"])' <<<"$output"
	assert_output "None"
}

@test "--json: a name that does not resolve gives an error object per port, and the usual line" {
	run --separate-stderr nc -zn --json 'bad"host' 80 81
	assert_failure
	[ "$stderr" == 'nc: getaddrinfo for host "bad"host" port 80: Name or service not known' ]
	run python3 -c '
import json, sys
for line in sys.stdin:
    o = json.loads(line)
    print(o["host"], o["address"], o["family"], o["port"], o["state"], o["reason"])' <<<"$output"
	assert_output 'bad"host None None 80 error Name or service not known
bad"host None None 81 error Name or service not known'
}

@test "--json outside -z: connection events on stderr in place of the human lines" {
	local closed
	closed=$(closed_port)
	run --separate-stderr nc --json 127.0.0.1 "$closed"
	assert_failure
	run python3 -c '
import json, sys
o = json.loads(sys.stdin.read())
print(o["event"], o["address"], o["port"], o["state"], o["reason"])' <<<"$stderr"
	assert_output "connect_failed 127.0.0.1 $closed closed Connection refused"

	start_peer accept 0
	run --separate-stderr nc --json -d 127.0.0.1 "${PEER_PORTS[0]}" </dev/null
	run python3 -c '
import json, sys
o = json.loads(sys.stdin.readline())
print(o["event"], o["family"], o["port"])' <<<"$stderr"
	assert_output "connected ipv4 ${PEER_PORTS[0]}"
}

@test "--json -l: the listening event carries the kernel's port" {
	bg_nc /dev/null "$BATS_TEST_TMPDIR/l.err" /dev/null --json -l 127.0.0.1 0
	wait_for_match "$BATS_TEST_TMPDIR/l.err" . 5 "$BG_PID"
	run python3 -c '
import json, sys
o = json.loads(open(sys.argv[1]).readline())
assert o["event"] == "listening" and o["address"] == "127.0.0.1" and o["port"] > 0
print("ok")' "$BATS_TEST_TMPDIR/l.err"
	assert_output ok
}

@test "--wait: succeeds once a late listener appears" {
	local port t0 t1
	port=$(closed_port)
	# The listener shows up about a second later.
	spawn -d 1 /dev/null /dev/null /dev/null python3 "$PEER_PY" accept --port "$port"
	t0=$(now_ms)
	run nc --wait 15 127.0.0.1 "$port"
	t1=$(now_ms)
	assert_success
	assert_output ""
	[ $((t1 - t0)) -ge 800 ]
	[ $((t1 - t0)) -lt 10000 ]
}

@test "--wait: at the deadline, exit 1 with a line for each port not up, even without -v" {
	local closed t0 t1
	start_peer accept 0
	closed=$(closed_port)
	t0=$(now_ms)
	run nc --wait 1.5 127.0.0.1 "${PEER_PORTS[0]}" "$closed"
	t1=$(now_ms)
	assert_failure 1
	assert_output "nc: 127.0.0.1 port $closed (tcp) not up after 1.5 s: Connection refused"
	[ $((t1 - t0)) -ge 1400 ]
	[ $((t1 - t0)) -lt 8000 ]
	# With -v, the open port's line when it comes up, the rounds (see wait.bats), the verdict.
	run nc --wait 0.5 -v 127.0.0.1 "${PEER_PORTS[0]}" "$closed"
	assert_failure 1
	assert_line --index 0 "Connection to 127.0.0.1 ${PEER_PORTS[0]} port [tcp/*] succeeded!"
	assert_line --index -1 "nc: 127.0.0.1 port $closed (tcp) not up after 0.5 s: Connection refused"
	run --separate-stderr nc --wait 0.5 --json 127.0.0.1 "${PEER_PORTS[0]}" "$closed"
	assert_failure
	run python3 -c "$JSON_CHECK" <<<"$output"
	assert_output "${PEER_PORTS[0]} open
$closed closed"
}

@test "--wait: all open at once exits 0 at once; bad values and -l are refused" {
	start_peer accept 0 0
	run nc --wait 30 127.0.0.1 "${PEER_PORTS[0]}" "${PEER_PORTS[1]}"
	assert_success
	run nc --wait abc 127.0.0.1 80
	assert_failure
	assert_output "nc: wait time invalid: abc"
	run nc --wait 1 -l 1234
	assert_failure
	assert_output "nc: cannot use --wait and -l"
}

@test "--wait with dropped SYNs: each try is bounded by the time left" {
	new_netns --nft
	ns_rules "ip daddr 127.0.0.2 tcp dport 30000 drop"
	local t0 t1
	t0=$(now_ms)
	run nc --wait 1 127.0.0.2 30000
	t1=$(now_ms)
	assert_failure
	assert_output "nc: 127.0.0.2 port 30000 (tcp) not up after 1 s: Connection timed out"
	[ $((t1 - t0)) -lt 6000 ]
}
