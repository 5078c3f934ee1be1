#!/usr/bin/env bats
# Command-line parsing: the usage block, -h, invalid options, invalid
# option values, conflicting options.  Nothing here opens a connection
# (the ports named are closed ports on 127.0.0.1 in case one is tried).

load helpers

# assert_usage_error: rc 1, nothing on stdout, stderr is the usage block,
# optionally preceded by the line $1.
assert_usage_error() {
	assert_failure 1
	assert_equal "$output" ""
	if [[ $# -gt 0 ]]; then
		assert_equal "$stderr" "$1
$USAGE_BLOCK"
	else
		assert_equal "$stderr" "$USAGE_BLOCK"
	fi
}

# assert_one_error MSG: rc 1, nothing on stdout, stderr is exactly MSG.
assert_one_error() {
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "$1"
}

@test "no arguments: usage block, rc 1" {
	run --separate-stderr nc </dev/null
	assert_usage_error
}

@test "-h: help on stderr with the usage block and Command Summary, rc 0" {
	run --separate-stderr nc -h </dev/null
	assert_success
	assert_equal "$output" ""
	# The usage block appears whole, right after the first (name) line.
	local rest=${stderr#*$'\n'}
	[[ $rest == "$USAGE_BLOCK"$'\n'* ]] || fail "usage block not after line 1: $stderr"
	local summary=${rest#"$USAGE_BLOCK"$'\n'}
	[[ $summary =~ ^[[:space:]]*Command\ Summary:$'\n' ]] ||
		fail "no 'Command Summary:' line after the usage block: $stderr"
	local opt
	for opt in -4 -6 -C -d -h -i -k -l -N -n -p -q -r -s -v -W -w -z; do
		grep -Eq -- "^[[:space:]]+$opt([[:space:]]|$)" <<<"$summary" ||
			fail "Command Summary has no line for $opt"
	done
}

@test "-h with other options still prints help, rc 0" {
	run --separate-stderr nc -h -z 127.0.0.1 1 </dev/null
	assert_success
	assert_regex "$stderr" 'Command Summary:'
}

@test "invalid option -Y: message and usage block, rc 1" {
	run --separate-stderr nc -Y 127.0.0.1 1 </dev/null
	assert_usage_error "nc: invalid option -- 'Y'"
}

@test "netcat-traditional's -e and -c are OpenBSD's TLS options: one line, nothing run" {
	run --separate-stderr nc -e /bin/sh 127.0.0.1 1 </dev/null
	if [[ $stderr == *"built without libtls"* ]]; then
		assert_one_error "nc: TLS is not supported: this nc was built without libtls"
		return
	fi
	assert_one_error "nc: you must specify -c to use -e"
	run --separate-stderr nc -c true 127.0.0.1 1 </dev/null
	assert_one_error "nc: port number invalid: 127.0.0.1"
}

@test "a port like -5 is taken for an option" {
	run --separate-stderr nc -zv 127.0.0.1 -5 </dev/null
	assert_usage_error "nc: invalid option -- '5'"
}

@test "option missing its argument: message and usage block" {
	run --separate-stderr nc -z 127.0.0.1 1 -w </dev/null
	assert_usage_error "nc: option requires an argument -- 'w'"
}

@test "-w abc: timeout invalid" {
	run --separate-stderr nc -w abc 127.0.0.1 1 </dev/null
	assert_one_error "nc: timeout invalid: abc"
}

@test "-w -1: timeout too small" {
	run --separate-stderr nc -w -1 127.0.0.1 1 </dev/null
	assert_one_error "nc: timeout too small: -1"
}

@test "-q abc: quit timer invalid" {
	run --separate-stderr nc -q abc 127.0.0.1 1 </dev/null
	assert_one_error "nc: quit timer invalid: abc"
}

@test "-i abc: interval invalid" {
	run --separate-stderr nc -i abc 127.0.0.1 1 </dev/null
	assert_one_error "nc: interval invalid: abc"
}

@test "-i -1: interval too small" {
	run --separate-stderr nc -i -1 127.0.0.1 1 </dev/null
	assert_one_error "nc: interval too small: -1"
}

@test "-T bogus: illegal tos value" {
	run --separate-stderr nc -T bogus 127.0.0.1 1 </dev/null
	assert_one_error "nc: illegal tos value bogus"
}

@test "-M 300: ttl is too large" {
	run --separate-stderr nc -M 300 127.0.0.1 1 </dev/null
	assert_one_error "nc: ttl is too large"
}

@test "-M abc: ttl is invalid" {
	run --separate-stderr nc -M abc 127.0.0.1 1 </dev/null
	assert_one_error "nc: ttl is invalid"
}

@test "-m 300: minttl is too large" {
	run --separate-stderr nc -m 300 127.0.0.1 1 </dev/null
	assert_one_error "nc: minttl is too large"
}

@test "-W 0: receive limit too small" {
	run --separate-stderr nc -W 0 127.0.0.1 1 </dev/null
	assert_one_error "nc: receive limit too small: 0"
}

@test "-W abc: receive limit invalid" {
	run --separate-stderr nc -W abc 127.0.0.1 1 </dev/null
	assert_one_error "nc: receive limit invalid: abc"
}

@test "-I 0 / -O abc: TCP window sizes" {
	run --separate-stderr nc -I 0 127.0.0.1 1 </dev/null
	assert_one_error "nc: TCP receive window too small: 0"
	run --separate-stderr nc -O abc 127.0.0.1 1 </dev/null
	assert_one_error "nc: TCP send window invalid: abc"
}

@test "-V 1: no alternate routing table support" {
	run --separate-stderr nc -V 1 127.0.0.1 1 </dev/null
	assert_one_error "nc: no alternate routing table support available"
}

@test "-l -z and -lz: cannot use -z and -l" {
	run --separate-stderr nc -l -z 12345 </dev/null
	assert_one_error "nc: cannot use -z and -l"
	run --separate-stderr nc -lz 12345 </dev/null
	assert_one_error "nc: cannot use -z and -l"
}

@test "-k without -l: must use -l with -k" {
	run --separate-stderr nc -k 127.0.0.1 1 </dev/null
	assert_one_error "nc: must use -l with -k"
}

@test "-l with -p and a port argument: usage block only" {
	run --separate-stderr nc -l -p 12345 -s 127.0.0.1 12346 </dev/null
	assert_usage_error
}

@test "-l with an address and two ports: usage block only" {
	run --separate-stderr nc -l 127.0.0.1 12345 12346 </dev/null
	assert_usage_error
}

@test "-l without a port: missing port number" {
	run --separate-stderr nc -l </dev/null
	assert_one_error "nc: missing port number"
}

@test "host without a port: missing port number" {
	run --separate-stderr nc -zv 127.0.0.1 </dev/null
	assert_one_error "nc: missing port number"
}

@test "host:port in one argument: missing port number (outside -z and --wait)" {
	run --separate-stderr nc -v 127.0.0.1:12345 </dev/null
	assert_one_error "nc: missing port number"
}

@test "port 70000: port number too large" {
	run --separate-stderr nc -zv 127.0.0.1 70000 </dev/null
	assert_one_error "nc: port number too large: 70000"
}

@test "port 65536: port number too large" {
	run --separate-stderr nc -zv 127.0.0.1 65536 </dev/null
	assert_one_error "nc: port number too large: 65536"
}

@test "port 0: port number too small" {
	run --separate-stderr nc -zv 127.0.0.1 0 </dev/null
	assert_one_error "nc: port number too small: 0"
}

@test "port abc: port number invalid" {
	run --separate-stderr nc -zv 127.0.0.1 abc </dev/null
	assert_one_error "nc: port number invalid: abc"
}

@test "unknown service name: port number invalid" {
	run --separate-stderr nc -zv 127.0.0.1 no-such-service-name </dev/null
	assert_one_error "nc: port number invalid: no-such-service-name"
}

@test "open range 12345-: port number invalid with an empty value" {
	# bats trims trailing blanks from $stderr: compare the bytes.
	local out=$BATS_TEST_TMPDIR/out err=$BATS_TEST_TMPDIR/err rc=0
	nc -zv 127.0.0.1 12345- </dev/null >"$out" 2>"$err" || rc=$?
	assert_equal "$rc" 1
	assert_equal "$(cat "$out")" ""
	printf 'nc: port number invalid: \n' | cmp - "$err"
}

@test "range ending past 65535: port number too large" {
	run --separate-stderr nc -zv 127.0.0.1 12345-70000 </dev/null
	assert_one_error "nc: port number too large: 70000"
}

@test "range 1-0: port number too small" {
	run --separate-stderr nc -zv 127.0.0.1 1-0 </dev/null
	assert_one_error "nc: port number too small: 0"
}

@test "comma list: port number invalid" {
	run --separate-stderr nc -zv 127.0.0.1 12345,12346 </dev/null
	assert_one_error "nc: port number invalid: 12345,12346"
}

@test "-n: a host name is not resolved" {
	run --separate-stderr nc -zvn localhost 12345 </dev/null
	assert_one_error 'nc: getaddrinfo for host "localhost" port 12345: Name or service not known'
}

@test "-4 with an IPv6 literal: address family not supported" {
	run --separate-stderr nc -zv -4 ::1 12345 </dev/null
	assert_one_error 'nc: getaddrinfo for host "::1" port 12345: Address family for hostname not supported'
}

@test "-6 with an IPv4 literal: address family not supported" {
	run --separate-stderr nc -zv -6 127.0.0.1 12345 </dev/null
	assert_one_error 'nc: getaddrinfo for host "127.0.0.1" port 12345: Address family for hostname not supported'
}

@test "bracketed IPv6 literal is not an address" {
	run --separate-stderr nc -vn '[::1]' 12345 </dev/null
	assert_one_error 'nc: getaddrinfo for host "[::1]" port 12345: Name or service not known'
	# With -z, [::1] is the start of a HOST:PORT target (see ready.bats).
	run --separate-stderr nc -zvn '[::1]' 12345 </dev/null
	assert_one_error 'nc: HOST:PORT operands and a port list cannot be mixed: 12345'
}

@test "-s with an address not on this host: bind failed" {
	local port
	port=$(closed_port)
	run --separate-stderr nc -zv -s 198.51.100.7 127.0.0.1 "$port" </dev/null
	assert_one_error "nc: bind failed: Cannot assign requested address"
}

# --- long options (issue 9, item 3) ---

@test "--json=1, --help=x, --version=x, --seqpacket=1: doesn't allow an argument, usage, rc 1" {
	local opt
	for opt in json help version seqpacket; do
		run --separate-stderr nc "--$opt=1" -z 127.0.0.1 1 </dev/null
		assert_usage_error "nc: option '--$opt' doesn't allow an argument"
	done
	run --separate-stderr nc --json= -z 127.0.0.1 1 </dev/null
	assert_usage_error "nc: option '--json' doesn't allow an argument"
}

@test "--wait without its value: the message names --wait" {
	run --separate-stderr nc -z 127.0.0.1 1 --wait </dev/null
	assert_usage_error "nc: option '--wait' requires an argument"
}

@test "an unknown long option names itself" {
	run --separate-stderr nc --sctp 127.0.0.1 1 </dev/null
	assert_usage_error "nc: unrecognized option '--sctp'"
	run --separate-stderr nc --ssl-verify=yes 127.0.0.1 1 </dev/null
	assert_usage_error "nc: unrecognized option '--ssl-verify=yes'"
}

@test "another netcat's long option: the message names ours" {
	local -A ours=(
		[listen]=-l [udp]=-u [verbose]=-v [keep-open]=-k [source-port]=-p [source]=-s
		[idle-timeout]=-w [nodns]=-n [unixsock]=-U [zero]=-z [crlf]=-C [recv-only]=-d
		[send-only]='-q 0' [ipv4]=-4 [ipv6]=-6 [usage]=-h [local-port]=-p
		[dont-resolve]=-n [interval]=-i [delay]=-i [randomize]=-r [close]=-N
		[telnet]=-t [proxy]=-x [proxy-type]=-X
	)
	local name
	for name in "${!ours[@]}"; do
		run --separate-stderr nc "--$name" 127.0.0.1 1 </dev/null
		assert_usage_error "nc: unrecognized option '--$name' (use ${ours[$name]})"
	done
	run --separate-stderr nc --source-port=4000 127.0.0.1 1 </dev/null
	assert_usage_error "nc: unrecognized option '--source-port=4000' (use -p)"
}

@test "an abbreviated long option is refused, naming the option when only one fits" {
	run --separate-stderr nc --wai 5 -z 127.0.0.1 1 </dev/null
	assert_usage_error "nc: unrecognized option '--wai' (use --wait)"
	run --separate-stderr nc --js -z 127.0.0.1 1 </dev/null
	assert_usage_error "nc: unrecognized option '--js' (use --json)"
	run --separate-stderr nc --vers </dev/null
	assert_usage_error "nc: unrecognized option '--vers' (use --version)"
	# --ver could be --version or ncat's --verbose.
	run --separate-stderr nc --ver </dev/null
	assert_usage_error "nc: unrecognized option '--ver'"
}

@test "long options still work: --wait=S and --wait S, after the operands too" {
	local port
	port=$(closed_port)
	run --separate-stderr nc --json -z 127.0.0.1 "$port" </dev/null
	assert_failure 1
	assert_regex "$output" '"state":"closed"'
	run --separate-stderr nc -z 127.0.0.1 "$port" --wait=0.2 </dev/null
	assert_failure 1
	assert_regex "$stderr" "port $port \(tcp\)"
	run --separate-stderr nc -z --wait 0.2 127.0.0.1 "$port" </dev/null
	assert_failure 1
	assert_regex "$stderr" "port $port \(tcp\)"
}

@test "long-option messages start with argv[0], as the short-option ones do" {
	run --separate-stderr "$NC" --sctp </dev/null
	assert_failure 1
	assert_equal "${stderr%%$'\n'*}" "$NC: unrecognized option '--sctp'"
	run --separate-stderr "$NC" -Y </dev/null
	assert_equal "${stderr%%$'\n'*}" "$NC: invalid option -- 'Y'"
}

@test "-: and -? are invalid options, not a missing argument" {
	run --separate-stderr nc -: 127.0.0.1 1 </dev/null
	assert_usage_error "nc: invalid option -- ':'"
	run --separate-stderr nc -? </dev/null
	assert_usage_error "nc: invalid option -- '?'"
}

# --- text from the user or the network is escaped (issue 9, item 5) ---

@test "control characters in a host name: escaped, the message stays one line" {
	run --separate-stderr nc -zvn $'bad\nhost\e[31m' 1 </dev/null
	assert_one_error 'nc: getaddrinfo for host "bad\nhost\033[31m" port 1: Name or service not known'
}

@test "control characters in a port operand and an option value are escaped" {
	run --separate-stderr nc -zv 127.0.0.1 $'80\r' </dev/null
	assert_one_error 'nc: port number invalid: 80\r'
	run --separate-stderr nc -w $'1\t2' 127.0.0.1 1 </dev/null
	assert_one_error 'nc: timeout invalid: 1\t2'
	run --separate-stderr nc -T $'\x7f' 127.0.0.1 1 </dev/null
	assert_one_error 'nc: illegal tos value \177'
}

@test "control characters in option words and argv[0] are escaped" {
	run --separate-stderr nc $'-\x01' </dev/null
	assert_usage_error "nc: invalid option -- '\\001'"
	run --separate-stderr nc $'--a\nb' </dev/null
	assert_usage_error "nc: unrecognized option '--a\\nb'"
	local dir=$BATS_TEST_TMPDIR/$'odd\nname'
	make_nc_link "$dir" "$NC"
	run --separate-stderr "$dir/nc" -Y </dev/null
	assert_equal "${stderr%%$'\n'*}" "$BATS_TEST_TMPDIR/odd\\nname/nc: invalid option -- 'Y'"
}

@test "a Unix socket path: control characters escaped, UTF-8 and backslashes kept" {
	run --separate-stderr nc -zvU "$BATS_TEST_TMPDIR/"$'a\nb\\c\xc3\xa9\xff' </dev/null
	assert_one_error "nc: $BATS_TEST_TMPDIR/a\\nb\\c"$'\xc3\xa9'"\\377: No such file or directory"
}

@test "-v lines escape the path too: Listening on, Connection received on, Connection to" {
	local path=$BATS_TEST_TMPDIR/$'l\ni\x1bst.sock' shown="$BATS_TEST_TMPDIR/l\\ni\\033st.sock"
	start_nc /dev/null -lvU "$path"
	wait_for_match "$NC_ERR" '^Listening on ' 5 "$NC_PID" || fail "no Listening line: $(cat "$NC_ERR")"
	run --separate-stderr nc -zvU "$path" </dev/null
	assert_success
	assert_equal "$stderr" "Connection to $shown succeeded!"
	wait_for_match "$NC_ERR" '^Connection received on ' 5 || fail "no received line: $(cat "$NC_ERR")"
	assert_equal "$(cat "$NC_ERR")" "Bound on $shown
Listening on $shown
Connection received on $shown"
}

# --- empty ports (issue 9, item 6) ---

# assert_empty_port_error: rc 1, nothing on stdout, stderr exactly
# "nc: port number invalid: " (bats trims the trailing blank from $stderr).
assert_empty_port_error() {
	local out=$BATS_TEST_TMPDIR/out err=$BATS_TEST_TMPDIR/err rc=0
	nc "$@" </dev/null >"$out" 2>"$err" || rc=$?
	assert_equal "$rc" 1
	assert_equal "$(cat "$out")" ""
	printf 'nc: port number invalid: \n' | cmp - "$err" || fail "nc $*: $(cat "$err")"
}

@test "an empty port operand: port number invalid, as netcat-openbsd" {
	assert_empty_port_error -zv 127.0.0.1 ''
	assert_empty_port_error 127.0.0.1 ''
	assert_empty_port_error -zvu 127.0.0.1 ''
}

@test "an empty listen port is an error, not a port the kernel picks" {
	assert_empty_port_error -lv ''
	assert_empty_port_error -lv 127.0.0.1 ''
	assert_empty_port_error -lv -p ''
	assert_empty_port_error -luv ''
}

@test "-p '' is an error, not a source port the kernel picks" {
	start_peer sink
	assert_empty_port_error -v -p '' 127.0.0.1 "$PEER_PORT"
	assert_empty_port_error -zv -p '' 127.0.0.1 "$PEER_PORT"
	[[ ! -s $PEER_LOG ]] || fail "nc connected: $(cat "$PEER_LOG")"
}

# --- -h (issue 9, item 8) ---

@test "-h lists the long options" {
	run --separate-stderr nc -h </dev/null
	assert_success
	local opt
	for opt in --help --json --seqpacket --version '--wait secs'; do
		grep -Eq -- "^"$'\t\t'"$opt"$'\t' <<<"$stderr" || fail "-h has no line for $opt: $stderr"
	done
}

@test "-h marks no option as not implemented: every netcat-openbsd option works" {
	run --separate-stderr nc -h </dev/null
	assert_success
	assert_equal "$(grep -c '(not implemented yet)$' <<<"$stderr")" 0
}

@test "nc.1: the SYNOPSIS has --json and --wait with -U; each long option of -h has an entry" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	local page text synopsis opt
	page=$BATS_TEST_DIRNAME/../nc.1
	text=$(mandoc -Tascii "$page" | col -b)
	synopsis=$(sed -n '/^SYNOPSIS/,/^DESCRIPTION/p' <<<"$text" | tr -s ' \t\n' ' ')
	[[ $synopsis =~ \[--json\]\ \[--wait\ seconds\]\ -U\ path ]] ||
		fail "the -U form lacks --json or --wait: $synopsis"
	run --separate-stderr nc -h </dev/null
	for opt in $(grep -oE $'^\t\t--[a-z-]+' <<<"$stderr"); do
		grep -Eq -- "^ +(-[a-zA-Z], )?$opt( |,|$)" <<<"$text" || fail "nc.1 has no entry for $opt"
		[[ $synopsis == *"$opt"* ]] || fail "the SYNOPSIS lacks $opt"
	done
}

@test "-F with a lone HOST:PORT or with --wait and the checks: one line, never a crash" {
	run nc -F -z 127.0.0.1:1 </dev/null
	assert_failure 1
	assert_output "nc: missing port number"
	run nc -F --http 127.0.0.1:1 </dev/null
	assert_failure 1
	assert_output "nc: missing port number"
	run nc -F --http 127.0.0.1 1 </dev/null
	assert_failure 1
	assert_output "nc: cannot use -F with --wait, --send, --expect or --http"
	run nc -F --wait 1 127.0.0.1 1 </dev/null
	assert_failure 1
	assert_output "nc: cannot use -F with --wait, --send, --expect or --http"
}
