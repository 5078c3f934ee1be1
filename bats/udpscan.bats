#!/usr/bin/env bats
# -u -z through the scan engine: --json, --wait, and parallel output equal to
# a one-port-at-a-time (-i 0) scan.

load helpers

# Checks JSON Lines from stdin against the documented -z schema for UDP;
# prints "port state reason" per line.
JSON_CHECK='
import json, sys
KEYS = ["host", "address", "family", "proto", "port", "service", "state", "reason", "time_ms"]
STATES = {"open", "closed", "filtered", "open|filtered", "error"}
n = 0
for line in sys.stdin:
    o = json.loads(line)
    assert list(o) == KEYS, "keys %r" % list(o)
    assert isinstance(o["host"], str)
    assert isinstance(o["address"], str)
    assert o["family"] in ("ipv4", "ipv6")
    assert o["proto"] == "udp", o["proto"]
    assert isinstance(o["port"], int) and 0 < o["port"] <= 65535
    assert o["service"] is None or isinstance(o["service"], str)
    assert o["state"] in STATES, o["state"]
    assert o["reason"] is None or isinstance(o["reason"], str)
    assert (o["reason"] is None) == (o["state"] == "open")
    assert isinstance(o["time_ms"], (int, float)) and o["time_ms"] >= 0
    print(o["port"], o["state"], o["reason"])
    n += 1
assert n > 0, "no objects"
'

json_check() {
	python3 -c "$JSON_CHECK"
}

# start_late_echo PORT DELAY: an echo peer on 127.0.0.1 PORT that starts
# DELAY seconds later; it logs to $LATE_LOG.
start_late_echo() {
	LATE_LOG=$BATS_TEST_TMPDIR/late.log
	: >"$LATE_LOG"
	spawn -d "$2" /dev/null /dev/null /dev/null \
		python3 "$PEER_PY" echo --udp --port "$1" --log "$LATE_LOG"
}

@test "udp --json: open and closed ports, one object each on stdout, in order" {
	start_peer echo --udp
	open=$PEER_PORT
	closed=$(closed_port -u)
	run --separate-stderr nc -uz --json 127.0.0.1 "$closed" "$open"
	assert_success
	[[ -z $stderr ]]
	run json_check <<<"$output"
	assert_success
	assert_line --index 0 "$closed closed Connection refused (ICMP type 3 code 3)"
	assert_line --index 1 "$open open None"
	[[ ${#lines[@]} -eq 2 ]]
}

@test "udp --json: a silent port is open|filtered, reason No reply" {
	start_peer silent --udp
	run --separate-stderr nc -uz --json -w 0.3 127.0.0.1 "$PEER_PORT"
	assert_success
	run json_check <<<"$output"
	assert_success
	assert_output "$PEER_PORT open|filtered No reply"
}

@test "udp --json: the time_ms of a silent port is the probe wait" {
	start_peer silent --udp
	run --separate-stderr nc -uz --json -w 0.3 127.0.0.1 "$PEER_PORT"
	assert_success
	run python3 -c 'import json, sys; print(json.loads(sys.stdin.read())["time_ms"])' <<<"$output"
	assert_output "300.0"
}

@test "udp --json (netns): admin-prohibited is filtered with its ICMP type and code" {
	new_netns --nft
	ns_rules "udp dport 30002 reject with icmpx type admin-prohibited" \
		"udp dport 30003 drop"
	start_peer echo --udp --port 30004
	run --separate-stderr nc -uz --json -n -w 0.3 127.0.0.1 30001-30004
	assert_success
	run json_check <<<"$output"
	assert_success
	assert_line --index 0 "30001 closed Connection refused (ICMP type 3 code 3)"
	assert_line --index 1 "30002 filtered Communication administratively prohibited (ICMP type 3 code 13)"
	assert_line --index 2 "30003 open|filtered No reply"
	assert_line --index 3 "30004 open None"
}

@test "udp --json (netns): ICMPv6 admin-prohibited over IPv6" {
	new_netns --nft
	ns_rules "udp dport 30002 reject with icmpx type admin-prohibited"
	start_peer echo --udp --addr ::1 --port 30003 || skip "no IPv6 in the namespace"
	run --separate-stderr nc -uz --json -n -w 0.3 ::1 30001-30003
	assert_success
	run json_check <<<"$output"
	assert_success
	assert_line --index 0 "30001 closed Connection refused (ICMPv6 type 1 code 4)"
	assert_line --index 1 "30002 filtered Communication administratively prohibited (ICMPv6 type 1 code 1)"
	assert_line --index 2 "30003 open None"
}

@test "udp -z: parallel output and status equal a one-at-a-time (-i 0) scan" {
	start_peer echo --udp
	open=$PEER_PORT
	start_peer silent --udp
	silent=$PEER_PORT
	c1=$(closed_port -u)
	c2=$(closed_port -u)
	list=("$c1" "$open" "$silent" "$c2" "$open" "$c1")
	run nc -uzv -w 0.3 127.0.0.1 "${list[@]}"
	assert_success
	par=$output
	[[ ${#lines[@]} -eq 6 ]]
	run nc -uzv -w 0.3 -i 0 127.0.0.1 "${list[@]}"
	assert_success
	[[ $output == "$par" ]]
	# Closed ports only: both fail the same way.
	run nc -uzv 127.0.0.1 "$c1" "$c2"
	assert_failure 1
	par=$output
	run nc -uzv -i 0 127.0.0.1 "$c1" "$c2"
	assert_failure 1
	[[ $output == "$par" ]]
}

@test "udp -z -i 0: one port at a time, so silent ports add up" {
	ports=()
	for i in 1 2 3; do
		start_peer silent --udp
		ports+=("$PEER_PORT")
	done
	t0=$(now_ms)
	run nc -uz -w 0.5 127.0.0.1 "${ports[@]}"
	assert_success
	t=$(($(now_ms) - t0))
	run nc -uz -w 0.5 -i 0 127.0.0.1 "${ports[@]}"
	assert_success
	ti=$(($(now_ms) - t0 - t))
	((t < 1400 && ti >= 1500))
}

@test "udp --wait: succeeds once a late responder appears, exit 0, silent" {
	port=$(closed_port -u)
	start_late_echo "$port" 0.8
	t0=$(now_ms)
	run nc -u --wait 8 127.0.0.1 "$port"
	t=$(($(now_ms) - t0))
	assert_success
	assert_output ""
	((t >= 700 && t < 8000))
	[[ -s $LATE_LOG ]] # the responder really answered a probe
}

@test "udp --wait -v: the late responder's success line only" {
	port=$(closed_port -u)
	start_late_echo "$port" 0.5
	run nc -uv --wait 8 127.0.0.1 "$port"
	assert_success
	# After the rounds' "still down" lines (see wait.bats).
	assert_line --index -1 "Connection to 127.0.0.1 $port port [udp/*] succeeded!"
	[[ $(grep -vc 'still down' <<<"$output") -eq 1 ]]
}

@test "udp --wait: silence is not up; at the deadline exit 1 with each failure line" {
	start_peer echo --udp
	open=$PEER_PORT
	start_peer silent --udp
	silent=$PEER_PORT
	closed=$(closed_port -u)
	t0=$(now_ms)
	run nc -u --wait 1 -w 0.3 127.0.0.1 "$open" "$silent" "$closed"
	t=$(($(now_ms) - t0))
	assert_failure 1
	assert_line --index 0 "nc: 127.0.0.1 port $silent (udp) not up after 1 s: No reply"
	assert_line --index 1 "nc: 127.0.0.1 port $closed (udp) not up after 1 s: Connection refused (ICMP type 3 code 3)"
	[[ ${#lines[@]} -eq 2 ]]
	((t >= 900 && t < 5000))
	# With -v the open port succeeds, and the silent one is still a failure.
	run nc -uv --wait 0.5 -w 0.2 127.0.0.1 "$open" "$silent"
	assert_failure 1
	assert_line --index 0 "Connection to 127.0.0.1 $open port [udp/*] succeeded!"
	assert_line --index -1 "nc: 127.0.0.1 port $silent (udp) not up after 0.5 s: No reply"
	[[ $(grep -vc 'still down' <<<"$output") -eq 2 ]]
}

@test "udp --wait: each probe is bounded by the time left, not the full -w" {
	start_peer silent --udp
	t0=$(now_ms)
	run nc -u --wait 0.5 -w 5 127.0.0.1 "$PEER_PORT"
	t=$(($(now_ms) - t0))
	assert_failure 1
	assert_output "nc: 127.0.0.1 port $PEER_PORT (udp) not up after 0.5 s: No reply"
	((t >= 400 && t < 3000))
}

@test "udp --wait --json: the last round's state of every port" {
	start_peer echo --udp
	open=$PEER_PORT
	start_peer silent --udp
	silent=$PEER_PORT
	closed=$(closed_port -u)
	run --separate-stderr nc -u --wait 0.6 -w 0.2 --json 127.0.0.1 "$open" "$silent" "$closed"
	assert_failure 1
	[[ -z $stderr ]]
	run json_check <<<"$output"
	assert_success
	assert_line --index 0 "$open open None"
	assert_line --index 1 "$silent open|filtered No reply"
	assert_line --index 2 "$closed closed Connection refused (ICMP type 3 code 3)"
}
