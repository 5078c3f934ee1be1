#!/usr/bin/env bats
# What --wait says while it waits and when it gives up, for TCP, UDP and
# Unix-domain sockets: with -v a line per round naming what is still down
# and why, at the deadline a line that says the wait ran out (exit 1), and
# the same reason in the --json object.

load helpers

setup() {
	common_setup
	WDIR=$(mktemp -d /tmp/ncwait.XXXXXX)
}

teardown() {
	common_teardown
	rm -rf "$WDIR"
}

free_tcp_port() {
	python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

ROUND_RE='^nc: .* still down: .*; next try in [0-9.]+ s$'

# Every line but the last N is a round line; prints how many there are.
rounds_before_last() {
	local keep=$1 i
	for ((i = 0; i < ${#lines[@]} - keep; i++)); do
		[[ ${lines[i]} =~ $ROUND_RE ]] || {
			echo "not a round line: ${lines[i]}" >&2
			return 1
		}
	done
	echo $((${#lines[@]} - keep))
}

# The "reason" of the first JSON object on stdin.
json_reason() {
	python3 -c 'import json, sys; print(json.loads(sys.stdin.readline())["reason"])'
}

# Runs "nc ARGS..." and "nc --json ARGS..." (a --wait that runs out) and
# checks that the deadline lines give, port by port, the reasons of the
# JSON objects (left in $json), and that --json prints nothing on stderr,
# even with -v.
same_reasons_as_json() {
	local human
	run --separate-stderr nc "$@"
	assert_failure 1
	human=$(sed -n 's/^nc: .* not up after [0-9.]* s: //p' <<<"$stderr")
	[[ -n $human ]]
	run --separate-stderr nc -v --json "$@"
	assert_failure 1
	[[ -z $stderr ]]
	json=$(python3 -c 'import json, sys; [print(json.loads(l)["reason"]) for l in sys.stdin]' <<<"$output")
	assert_equal "$human" "$json"
}

# --- TCP ---------------------------------------------------------------------

@test "tcp --wait -v: a line per round with the reason and the backoff, then the deadline line" {
	port=$(free_tcp_port)
	run --separate-stderr nc -v --wait 3 127.0.0.1 "$port"
	assert_failure 1
	[[ -z $output ]]
	lines=("${stderr_lines[@]}")
	# 0.1 s doubling up to 1 s; the last pause is what is left of the wait.
	local down="nc: 127.0.0.1 port $port (tcp) still down: Connection refused; next try in"
	[[ ${lines[0]} == "$down 0.1 s" ]]
	[[ ${lines[1]} == "$down 0.2 s" ]]
	[[ ${lines[2]} == "$down 0.4 s" ]]
	[[ ${lines[3]} == "$down 0.8 s" ]]
	[[ ${lines[4]} =~ ^"$down "(1|0\.[0-9]+)" s"$ ]]
	n=$(rounds_before_last 1)
	((n >= 5 && n <= 7))
	assert_equal "${lines[-1]}" "nc: 127.0.0.1 port $port (tcp) not up after 3 s: Connection refused"
	# Without -v only the deadline line.
	run nc --wait 0.3 127.0.0.1 "$port"
	assert_failure 1
	assert_output "nc: 127.0.0.1 port $port (tcp) not up after 0.3 s: Connection refused"
}

@test "tcp --wait -v: a late listener ends the rounds with netcat's success line" {
	port=$(free_tcp_port)
	(
		sleep 0.6
		exec python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(16)
time.sleep(20)' "$port"
	) </dev/null >/dev/null 2>&1 &
	BG_PIDS+=($!)
	run nc -v --wait 8 127.0.0.1 "$port"
	assert_success
	assert_line --index -1 "Connection to 127.0.0.1 $port port [tcp/*] succeeded!"
	n=$(rounds_before_last 1)
	((n >= 1))
}

@test "tcp --wait --json: the object's reason is the deadline line's; no round lines" {
	port=$(free_tcp_port)
	same_reasons_as_json --wait 0.5 127.0.0.1 "$port"
	assert_output --partial '"reason":"Connection refused"'
}

@test "tcp --wait: a name that does not resolve is down for the resolver's reason" {
	run --separate-stderr nc --json --wait 0.3 nc-wait-test.invalid 80
	assert_failure 1
	why=$(json_reason <<<"$output")
	[[ -n $why && $why != None ]]
	run nc -v --wait 0.3 nc-wait-test.invalid 80
	assert_failure 1
	assert_line --index 0 "nc: nc-wait-test.invalid port 80 (tcp) still down: $why; next try in 0.1 s"
	assert_line --index -1 "nc: nc-wait-test.invalid port 80 (tcp) not up after 0.3 s: $why"
	rounds_before_last 1
}

@test "tcp --wait: dropped SYNs end in 'Connection timed out', in the line and the JSON" {
	new_netns --nft
	ns_rules 'ip daddr 127.0.0.1 tcp dport 30000 drop'
	run --separate-stderr nc -v --wait 1 127.0.0.1 30000
	assert_failure 1
	# One round that the deadline ends: no pause, so no round line.
	assert_equal "$stderr" "nc: 127.0.0.1 port 30000 (tcp) not up after 1 s: Connection timed out"
	run nc --json --wait 0.5 127.0.0.1 30000
	assert_failure 1
	run json_reason <<<"$output"
	assert_output "Connection timed out"
}

@test "tcp --wait: a last try the deadline cut short keeps the earlier answer as the reason" {
	new_netns --nft
	# Every other SYN is dropped: the first try is refused only after the
	# kernel's 1 s retransmission; the next try, at 1.1 s, loses its SYN
	# and the deadline ends it 0.4 s later, too soon for a retransmission.
	ns_rules 'tcp dport 30000 tcp flags syn numgen inc mod 2 == 0 drop'
	run nc -v --wait 1.5 127.0.0.1 30000
	assert_failure 1
	assert_line --index -1 "nc: 127.0.0.1 port 30000 (tcp) not up after 1.5 s: Connection refused"
	rounds_before_last 1
	run nc --json --wait 1.5 127.0.0.1 30000
	assert_failure 1
	run json_reason <<<"$output"
	assert_output "Connection refused"
}

# --- UDP ---------------------------------------------------------------------

@test "udp --wait -v: rounds and the deadline name the ICMP refusal or the silence" {
	closed=$(closed_port -u)
	run nc -uv --wait 0.5 127.0.0.1 "$closed"
	assert_failure 1
	local why="Connection refused (ICMP type 3 code 3)"
	assert_line --index 0 "nc: 127.0.0.1 port $closed (udp) still down: $why; next try in 0.1 s"
	assert_line --index -1 "nc: 127.0.0.1 port $closed (udp) not up after 0.5 s: $why"
	rounds_before_last 1
	start_peer silent --udp --addr 127.0.0.1
	run nc -uv --wait 0.5 -w 0.1 127.0.0.1 "$PEER_PORT"
	assert_failure 1
	assert_line --index 0 "nc: 127.0.0.1 port $PEER_PORT (udp) still down: No reply; next try in 0.1 s"
	assert_line --index -1 "nc: 127.0.0.1 port $PEER_PORT (udp) not up after 0.5 s: No reply"
	rounds_before_last 1
}

@test "udp --wait --json: the same reasons as the deadline lines, and no round lines" {
	closed=$(closed_port -u)
	start_peer silent --udp --addr 127.0.0.1
	same_reasons_as_json -u --wait 0.4 -w 0.1 127.0.0.1 "$closed" "$PEER_PORT"
	assert_equal "$json" "Connection refused (ICMP type 3 code 3)
No reply"
}

# --- Unix-domain sockets ------------------------------------------------------

@test "unix --wait -v: rounds name the path, its kind and why; then the deadline line" {
	S=$WDIR/none.sock
	run nc -vU --wait 0.5 "$S"
	assert_failure 1
	assert_line --index 0 "nc: $S (stream) still down: No such file or directory; next try in 0.1 s"
	assert_line --index 1 "nc: $S (stream) still down: No such file or directory; next try in 0.2 s"
	assert_line --index -1 "nc: $S (stream) not up after 0.5 s: No such file or directory"
	rounds_before_last 1
	# A socket file nobody listens on.
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$S"
	for kind in "-U stream" "-uU dgram" "--seqpacket seqpacket"; do
		# shellcheck disable=SC2086
		set -- $kind
		run nc -v "$1" --wait 0.3 "$S"
		assert_failure 1
		assert_line --index 0 "nc: $S ($2) still down: Connection refused; next try in 0.1 s"
		assert_line --index -1 "nc: $S ($2) not up after 0.3 s: Connection refused"
		rounds_before_last 1
	done
}

@test "unix --wait --json: the reason of the deadline line, and no round lines" {
	S=$WDIR/none.sock
	same_reasons_as_json -U --wait 0.3 "$S"
	assert_equal "$json" "No such file or directory"
	python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$S"
	same_reasons_as_json --seqpacket --wait 0.3 "$S"
	assert_equal "$json" "Connection refused"
}
