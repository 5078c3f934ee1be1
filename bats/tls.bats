#!/usr/bin/env bats
# TLS (-c) end to end, against real peers: openssl s_server and s_client,
# python's ssl module for peers that misbehave on purpose (tls_peer.py), and
# our own nc. Certificates come from tests/tls_certs.sh, made once for the
# file: a CA, server and client certificates, another CA, a wrong name, an
# expired one, one that ends in 5 days.
#
# There is no OpenBSD nc here: where OpenBSD's nc has a text, the expected
# string below is the one recorded in
# ../shared/compat/proxies-fdpass-telnet-tls.md (sections 4 to 6), byte for
# byte; where ours says something else on purpose, README's Differences
# table has the row.

load helpers

setup_file() {
	export CERTS=$BATS_FILE_TMPDIR/certs
	if command -v openssl >/dev/null; then
		sh "$BATS_TEST_DIRNAME/../tests/tls_certs.sh" "$CERTS"
	fi
	export BIG=$BATS_FILE_TMPDIR/big
	export BIG_SUM=
}

tls_built_in() {
	! "$NC" -h 2>&1 | grep -q 'no libtls'
}

setup() {
	common_setup
	TLS_PEER=$BATS_TEST_DIRNAME/tls_peer.py
	[[ $BATS_TEST_DESCRIPTION == *"without libtls"* ]] && return
	tls_built_in || skip "this nc was built without libtls (meson option tls)"
	command -v openssl >/dev/null || skip "needs openssl(1)"
}

assert_one_error() {
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "$1"
}

# s_server CERT [ARGS...]: openssl s_server -quiet for one client on a free
# port, certificate and key $CERTS/CERT.pem and .key. Its stdin is the file
# $S_IN, or a FIFO that stays open (what it sends ends only with the test);
# its stdout (what it received) is $SOUT. Sets SPORT, SPID.
s_server() {
	local name=$1
	shift
	SPORT=$(closed_port)
	SOUT=$BATS_TEST_TMPDIR/s_server.$SPORT.out
	if [[ -z ${S_IN:-} ]]; then
		[[ -n ${STDIN_FIFO:-} ]] || hold_stdin
	fi
	openssl s_server -quiet -naccept 1 -accept "127.0.0.1:$SPORT" \
		-cert "$CERTS/$name.pem" -key "$CERTS/$name.key" "$@" \
		<"${S_IN:-$STDIN_FIFO}" >"$SOUT" 2>"$SOUT.err" 3>&- 8>&- &
	SPID=$!
	BG_PIDS+=("$SPID")
	wait_for_listen "$SPORT" 10 || fail "s_server did not start: $(cat "$SOUT.err")"
}

# tls_peer MODE ARGS...: a server mode of tls_peer.py; sets TPORT, TPID.
tls_peer() {
	local f=$BATS_TEST_TMPDIR/tls_peer.$((PEER_SEQ++))
	python3 "$TLS_PEER" "$@" >"$f.port" 2>"$f.err" 3>&- 8>&- &
	TPID=$!
	BG_PIDS+=("$TPID")
	wait_for_match "$f.port" '^PORT [0-9]+$' 10 "$TPID" || fail "tls_peer $1: $(cat "$f.err")"
	TPORT=$(sed -n 's/^PORT //p' "$f.port")
}

# tls_listener ARGS...: our TLS server, -v, on a kernel-chosen port, with
# the server certificate and key; stdin $LISTEN_STDIN.
tls_listener() {
	start_listener -c --tls-cert "$CERTS/server.pem" -K "$CERTS/server.key" "$@" 127.0.0.1
}

# The dates and hash of a certificate as OpenBSD's -v report and --json show them.
cert_hash() {
	openssl x509 -in "$1" -outform der | sha256sum | cut -d' ' -f1
}
cert_date() { # FILE start|end FORMAT
	local d
	d=$(openssl x509 -in "$1" -noout "-${2}date")
	date -u -d "${d#*=}" "+$3"
}

# The file of random data the transfers move, made once for the file.
big_data() {
	NC_RUN_LIMIT=60
	if [[ ! -s $BIG ]]; then
		head -c $((256 * 1024 * 1024)) /dev/urandom >"$BIG"
	fi
	BIG_SUM=$(sha256sum <"$BIG" | cut -d' ' -f1)
}

sum_of() {
	sha256sum <"$1" | cut -d' ' -f1
}

# --- options ---------------------------------------------------------------

@test "option rules: OpenBSD's texts, naming --tls-cert and --tls-peer-cert where OpenBSD names -C and -Z" {
	local -a cases=(
		"-T noverify|you must specify -c to use TLS options"
		"-T protocols=tlsv1.3|you must specify -c to use TLS options"
		"--tls-cert c|you must specify -c to use --tls-cert"
		"-K k|you must specify -c to use -K"
		"--tls-peer-cert f|you must specify -c to use --tls-peer-cert"
		"-R ca|you must specify -c to use -R"
		"-H SHA256:00|you must specify -c to use -H"
		"-e name|you must specify -c to use -e"
		"--tls-alpn h2|you must specify -c to use --tls-alpn"
		"--tls-min-days 5|you must specify -c to use --tls-min-days"
		"--ssl-cert c|you must specify -c to use --tls-cert"
		"-c -o staple|you must specify --tls-cert to use -o"
		"-c -H SHA256:00 -T noverify|-H and -T noverify may not be used together"
		"-c -T clientcert|clientcert is only valid with -l"
		"-c -T protocols=tlsv9|invalid TLS protocols \`tlsv9'"
		"-c -T protocols|invalid tls value \`protocols'"
		"-c -T noverify=1|invalid tls value \`noverify=1'"
		"-c -T tlsfoo|illegal tos/tls value tlsfoo"
		"-c -T bogus=1|illegal tos/tls value bogus=1"
		"-c -u|cannot use -c and -u"
		"-c -F|cannot use -c and -F"
		"-c --tls-min-days x|--tls-min-days invalid: x"
	)
	local c args want
	for c in "${cases[@]}"; do
		args=${c%%|*}
		want=${c#*|}
		# shellcheck disable=SC2086 # the options are words
		run --separate-stderr nc $args 127.0.0.1 1 </dev/null
		assert_one_error "nc: $want"
	done
	run --separate-stderr nc -c -U /tmp/nc-tls-none.sock </dev/null
	assert_one_error "nc: cannot use -c and -U"
}

@test "-T: TLS keywords first, TOS as before; a bad TOS word keeps Debian's text" {
	run --separate-stderr nc -T bogus 127.0.0.1 1 </dev/null
	assert_one_error "nc: illegal tos value bogus"
	run --separate-stderr nc -c -T lowdelay -T noname -w 1 -z 127.0.0.1 "$(closed_port)" </dev/null
	assert_failure 1
	assert_equal "$stderr" ""
	# A server without a certificate: libtls' words, as OpenBSD's nc shows them.
	run --separate-stderr nc -l -c -T clientcert 127.0.0.1 0 </dev/null
	assert_one_error "nc: tls configuration failed (private/public key mismatch)"
}

@test "a build without libtls: a TLS option is one line" {
	tls_built_in && skip "this nc has libtls"
	local a
	for a in -c "-e x" "--tls-cert x" "-T noverify" --ssl; do
		# shellcheck disable=SC2086
		run --separate-stderr nc $a 127.0.0.1 1 </dev/null
		assert_one_error "nc: TLS is not supported: this nc was built without libtls"
	done
}

# --- client ----------------------------------------------------------------

@test "client: verified against -R, data both ways; -v prints OpenBSD's report" {
	s_server server
	run --separate-stderr nc -v -c -R "$CERTS/ca.pem" -N 127.0.0.1 "$SPORT" <<<"hello s_server"
	assert_success
	wait_for_match "$SOUT" 'hello s_server' 5 || fail "s_server got: $(cat "$SOUT")"
	local want
	want="Connection to 127.0.0.1 $SPORT port [tcp/*] succeeded!
TLS handshake negotiated TLSv1.3/TLS_AES_256_GCM_SHA384 with host 127.0.0.1
Peer name: 127.0.0.1
Subject: /O=nc-test/OU=server/CN=localhost
Issuer: /O=nc-test/OU=ca/CN=root
Valid From: $(cert_date "$CERTS/server.pem" start '%a %b %e %H:%M:%S %Y')
Valid Until: $(cert_date "$CERTS/server.pem" end '%a %b %e %H:%M:%S %Y')
Cert Hash: SHA256:$(cert_hash "$CERTS/server.pem")"
	assert_equal "$stderr" "$want"
}

@test "client: what s_server sends reaches stdout; -e names SNI and the name checked" {
	# After the handshake s_server now and then waits in a blocking read for
	# the client to speak first, and it does not always close at the end of
	# its stdin: say a line, and watch the output.
	S_IN=$BATS_TEST_TMPDIR/greeting
	echo "greeting from s_server" >"$S_IN"
	echo "hi" >"$BATS_TEST_TMPDIR/hi"
	s_server server
	start_nc "$BATS_TEST_TMPDIR/hi" -c -R "$CERTS/ca.pem" -e localhost -v 127.0.0.1 "$SPORT"
	wait_for_match "$NC_OUT" '^greeting from s_server$' 10 "$NC_PID" || fail "$(cat "$NC_ERR")"
	grep -qx "Peer name: localhost" "$NC_ERR" || fail "$(cat "$NC_ERR")"
}

@test "client: verification failures give libtls' words inside OpenBSD's line, exit 1" {
	s_server server
	run --separate-stderr nc -c -R "$CERTS/wrongca.pem" 127.0.0.1 "$SPORT" </dev/null
	assert_one_error "nc: tls handshake failed (certificate verification failed: unable to get local issuer certificate)"
	s_server server
	# Without -R: the system bundle, which does not know our CA.
	run --separate-stderr nc -c 127.0.0.1 "$SPORT" </dev/null
	assert_one_error "nc: tls handshake failed (certificate verification failed: unable to get local issuer certificate)"
	s_server ca
	run --separate-stderr nc -c -R "$CERTS/wrongca.pem" 127.0.0.1 "$SPORT" </dev/null
	assert_one_error "nc: tls handshake failed (certificate verification failed: self-signed certificate)"
	s_server wrongname
	run --separate-stderr nc -c -R "$CERTS/ca.pem" 127.0.0.1 "$SPORT" </dev/null
	assert_one_error "nc: tls handshake failed (name \`127.0.0.1' not present in server certificate)"
	s_server expired
	run --separate-stderr nc -c -R "$CERTS/ca.pem" 127.0.0.1 "$SPORT" </dev/null
	assert_one_error "nc: tls handshake failed (certificate verification failed: certificate has expired)"
	s_server server
	run --separate-stderr nc -c -R "$CERTS/ca.pem" -e other.example 127.0.0.1 "$SPORT" </dev/null
	assert_one_error "nc: tls handshake failed (name \`other.example' not present in server certificate)"
}

@test "client: -T noname and -T noverify relax the checks" {
	s_server wrongname
	run --separate-stderr nc -z -c -R "$CERTS/ca.pem" -T noname 127.0.0.1 "$SPORT" </dev/null
	assert_success
	s_server wrongca-server
	run --separate-stderr nc -z -c -T noverify 127.0.0.1 "$SPORT" </dev/null
	assert_success
}

@test "client: -H pins the certificate: OpenBSD's line for another one" {
	s_server server
	run --separate-stderr nc -z -c -R "$CERTS/ca.pem" -H "SHA256:$(cert_hash "$CERTS/server.pem")" \
		127.0.0.1 "$SPORT" </dev/null
	assert_success
	local other
	other="SHA256:$(cert_hash "$CERTS/client.pem")"
	s_server server
	run --separate-stderr nc -c -R "$CERTS/ca.pem" -H "$other" 127.0.0.1 "$SPORT" </dev/null
	assert_one_error "nc: peer certificate is not $other"
}

@test "client: a CA file that cannot be read is libtls' configuration text" {
	run --separate-stderr nc -c -R /nonexistent 127.0.0.1 1 </dev/null
	assert_one_error "nc: failed to open CA file '/nonexistent': No such file or directory"
}

@test "client: --tls-cert and -K send a client certificate that s_server verifies" {
	s_server server -Verify 1 -CAfile "$CERTS/ca.pem"
	run --separate-stderr nc -c -R "$CERTS/ca.pem" --tls-cert "$CERTS/client.pem" -K "$CERTS/client.key" \
		-N 127.0.0.1 "$SPORT" <<<"with a client cert"
	assert_success
	wait_for_match "$SOUT" 'with a client cert' 5 || fail "s_server got: $(cat "$SOUT")"
}

@test "client: --tls-alpn offers protocols; --json names the one chosen" {
	s_server server -alpn h2,http/1.1
	run --separate-stderr nc -z --json -c -R "$CERTS/ca.pem" --tls-alpn http/1.1 127.0.0.1 "$SPORT" </dev/null
	assert_success
	assert_output --partial '"alpn":"http/1.1"'
}

@test "client: --tls-peer-cert saves the chain; its failures are OpenBSD's lines" {
	s_server server
	run --separate-stderr nc -z -c -R "$CERTS/ca.pem" --tls-peer-cert "$BATS_TEST_TMPDIR/peer.pem" \
		127.0.0.1 "$SPORT" </dev/null
	assert_success
	assert_equal "$(cert_hash "$BATS_TEST_TMPDIR/peer.pem")" "$(cert_hash "$CERTS/server.pem")"
	s_server server
	run --separate-stderr nc -z -c -R "$CERTS/ca.pem" --tls-peer-cert /nonexistent/peer.pem \
		127.0.0.1 "$SPORT" </dev/null
	assert_one_error "nc: can't open /nonexistent/peer.pem"
	s_server server
	run --separate-stderr nc -z -c -R "$CERTS/ca.pem" --tls-peer-cert /dev/full 127.0.0.1 "$SPORT" </dev/null
	assert_one_error "nc: unable to save peer cert"
}

@test "client: ncat's --ssl names are aliases, and verify by default (ncat --ssl does not)" {
	s_server server
	run --separate-stderr nc --ssl --ssl-trustfile "$CERTS/ca.pem" --ssl-servername localhost -z \
		127.0.0.1 "$SPORT" </dev/null
	assert_success
	s_server server
	run --separate-stderr nc --ssl 127.0.0.1 "$SPORT" </dev/null
	assert_one_error "nc: tls handshake failed (certificate verification failed: unable to get local issuer certificate)"
	command -v ncat >/dev/null || return 0
	s_server server
	run timeout 10 ncat --ssl 127.0.0.1 "$SPORT" </dev/null
	assert_success # the difference README names: ncat accepts the unknown CA
}

@test "client: a server that ends without close_notify is end of input, not an error" {
	local data=$BATS_TEST_TMPDIR/data
	head -c 300000 /dev/urandom >"$data"
	tls_peer bare --cert "$CERTS/server.pem" --key "$CERTS/server.key" --data "$data"
	nc -c -R "$CERTS/ca.pem" 127.0.0.1 "$TPORT" </dev/null >"$BATS_TEST_TMPDIR/got" 2>"$BATS_TEST_TMPDIR/err"
	assert_equal "$?" 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/err")" ""
	assert_equal "$(sum_of "$BATS_TEST_TMPDIR/got")" "$(sum_of "$data")"
}

@test "client: a record that does not decrypt: tls read failed (...), exit 1" {
	tls_peer garbage --cert "$CERTS/server.pem" --key "$CERTS/server.key"
	run --separate-stderr nc -c -R "$CERTS/ca.pem" 127.0.0.1 "$TPORT" </dev/null
	assert_failure 1
	assert_regex "$stderr" '^nc: tls read failed \(read failed: error:[0-9A-F]+:SSL routines::[a-z ]+\)$'
}

@test "client: -w bounds the handshake: a server that never answers" {
	start_peer silent --hold 20
	local t0
	t0=$(now_ms)
	run --separate-stderr nc -c -w 1 -R "$CERTS/ca.pem" 127.0.0.1 "$PEER_PORT" </dev/null
	assert_one_error "nc: tls handshake failed (Connection timed out)"
	(($(elapsed_ms "$t0") < 8000)) || fail "took $(elapsed_ms "$t0") ms"
}

@test "client: -w bounds the closing exchange with a peer that never answers close_notify" {
	tls_peer hold --cert "$CERTS/server.pem" --key "$CERTS/server.key" --limit 30
	local t0
	t0=$(now_ms)
	# -q 0 ends the session at stdin's end; the close then waits for the peer, -w long.
	run --separate-stderr nc -c -q 0 -w 1 -R "$CERTS/ca.pem" 127.0.0.1 "$TPORT" <<<"bye"
	assert_success
	assert_equal "$stderr" ""
	(($(elapsed_ms "$t0") < 8000)) || fail "took $(elapsed_ms "$t0") ms"
}

@test "client: TLS through real proxies (-c -x): tinyproxy's HTTP CONNECT, microsocks' SOCKS5" {
	start_tinyproxy
	s_server server
	run --separate-stderr nc -c -R "$CERTS/ca.pem" -X connect -x "127.0.0.1:$TP_PORT" -N \
		127.0.0.1 "$SPORT" <<<"through tinyproxy"
	assert_success
	wait_for_match "$SOUT" 'through tinyproxy' 5 || fail "s_server got: $(cat "$SOUT")"
	start_microsocks
	s_server server
	run --separate-stderr nc -c -R "$CERTS/ca.pem" -x "127.0.0.1:$MS_PORT" -N 127.0.0.1 "$SPORT" \
		<<<"through microsocks"
	assert_success
	wait_for_match "$SOUT" 'through microsocks' 5 || fail "s_server got: $(cat "$SOUT")"
	# The certificate check through the proxy: the name checked is the destination's.
	s_server wrongname
	local bad=$SPORT
	s_server server
	run --separate-stderr nc -z --json -c -R "$CERTS/ca.pem" -x "127.0.0.1:$MS_PORT" \
		127.0.0.1 "$SPORT" "$bad" </dev/null
	assert_failure 1
	assert_line --index 0 --regexp "\"port\":$SPORT,.*\"state\":\"open\".*\"verified\":true"
	assert_line --index 1 --regexp "\"port\":$bad,.*\"state\":\"error\",\"reason\":\"tls handshake failed \(name \`127.0.0.1' not present in server certificate\)\""
}

# --- server ----------------------------------------------------------------

@test "server: s_client with a client certificate; -v reports it as OpenBSD does" {
	hold_stdin
	LISTEN_STDIN=$STDIN_FIFO tls_listener -R "$CERTS/ca.pem"
	echo "from s_client" | timeout 10 openssl s_client -quiet -no_ign_eof -CAfile "$CERTS/ca.pem" \
		-cert "$CERTS/client.pem" -key "$CERTS/client.key" -connect "127.0.0.1:$LPORT" \
		>/dev/null 2>&1 8>&-
	wait_for_exit "$LPID" 10 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cat "$LOUT")" "from s_client"
	grep -qx "TLS handshake negotiated TLSv1.3/TLS_AES_256_GCM_SHA384 with host 127.0.0.1" "$LERR" ||
		fail "$(cat "$LERR")"
	grep -qx "Subject: /O=nc-test/OU=client/CN=client" "$LERR" || fail "$(cat "$LERR")"
	grep -qx "Cert Hash: SHA256:$(cert_hash "$CERTS/client.pem")" "$LERR" || fail "$(cat "$LERR")"
}

@test "server: no -v report for a client without a certificate; its data arrives" {
	tls_listener
	echo "anonymous" | timeout 10 openssl s_client -quiet -no_ign_eof -CAfile "$CERTS/ca.pem" \
		-connect "127.0.0.1:$LPORT" >/dev/null 2>&1
	wait_for_exit "$LPID" 10 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cat "$LOUT")" "anonymous"
	! grep -q 'TLS handshake' "$LERR" || fail "$(cat "$LERR")"
}

@test "server: -T clientcert, -e and -H check the client's certificate with OpenBSD's words" {
	local client=(-quiet -no_ign_eof -CAfile "$CERTS/ca.pem" -connect)
	tls_listener -T clientcert
	timeout 10 openssl s_client "${client[@]}" "127.0.0.1:$LPORT" </dev/null >/dev/null 2>&1
	wait_for_exit "$LPID" 10 || fail "listener still running"
	assert_equal "$EXIT_RC" 1
	assert_equal "$(grep -v -e '^Listening' -e '^Connection received' "$LERR")" "nc: No client certificate provided"

	tls_listener -R "$CERTS/ca.pem" -e someone.else
	timeout 10 openssl s_client "${client[@]}" "127.0.0.1:$LPORT" -cert "$CERTS/client.pem" \
		-key "$CERTS/client.key" </dev/null >/dev/null 2>&1
	wait_for_exit "$LPID" 10 || fail "listener still running"
	assert_equal "$EXIT_RC" 1
	assert_equal "$(grep '^nc:' "$LERR")" "nc: name (someone.else) not found in client cert"

	tls_listener -R "$CERTS/ca.pem" -H "SHA256:$(cert_hash "$CERTS/server.pem")"
	timeout 10 openssl s_client "${client[@]}" "127.0.0.1:$LPORT" -cert "$CERTS/client.pem" \
		-key "$CERTS/client.key" </dev/null >/dev/null 2>&1
	wait_for_exit "$LPID" 10 || fail "listener still running"
	assert_equal "$(grep '^nc:' "$LERR")" "nc: peer certificate is not SHA256:$(cert_hash "$CERTS/server.pem")"

	# --tls-peer-cert saves the client's chain ("Can't get peer certificate"
	# is libtls failing to give a chain it has: tests/test_tls_options.c).
	tls_listener -R "$CERTS/ca.pem" --tls-peer-cert "$BATS_TEST_TMPDIR/client-chain.pem"
	timeout 10 openssl s_client "${client[@]}" "127.0.0.1:$LPORT" -cert "$CERTS/client.pem" \
		-key "$CERTS/client.key" </dev/null >/dev/null 2>&1
	wait_for_exit "$LPID" 10 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(cert_hash "$BATS_TEST_TMPDIR/client-chain.pem")" "$(cert_hash "$CERTS/client.pem")"
}

@test "server: a client certificate from another CA fails the handshake: one line, exit 1" {
	tls_listener -R "$CERTS/ca.pem"
	timeout 10 openssl s_client -quiet -CAfile "$CERTS/ca.pem" -cert "$CERTS/wrongca-server.pem" \
		-key "$CERTS/wrongca-server.key" -connect "127.0.0.1:$LPORT" </dev/null >/dev/null 2>&1 || true
	wait_for_exit "$LPID" 10 || fail "listener still running"
	assert_equal "$EXIT_RC" 1
	assert_equal "$(grep '^nc:' "$LERR")" \
		"nc: tls handshake failed (handshake failed: error:0A000086:SSL routines::certificate verify failed)"
}

@test "server -k: clients that vanish mid-handshake, speak plain text or leave without close_notify; the next is served" {
	hold_stdin
	LISTEN_STDIN=$STDIN_FIFO tls_listener -k
	python3 "$TLS_PEER" vanish --port "$LPORT"
	printf 'GET / HTTP/1.0\r\n\r\n' | python3 "$PEER_PY" client --addr 127.0.0.1 --port "$LPORT" \
		--limit 10 >/dev/null 2>&1
	local data=$BATS_TEST_TMPDIR/data
	printf 'no close_notify\n' >"$data"
	python3 "$TLS_PEER" send --port "$LPORT" --ca "$CERTS/ca.pem" --data "$data"
	echo "next client" | timeout 10 openssl s_client -quiet -no_ign_eof -CAfile "$CERTS/ca.pem" \
		-connect "127.0.0.1:$LPORT" >/dev/null 2>&1 8>&-
	wait_for_match "$LOUT" '^next client$' 10 || fail "out: $(cat "$LOUT"); err: $(cat "$LERR")"
	proc_alive "$LPID" || fail "the -k server died: $(cat "$LERR")"
	assert_equal "$(cat "$LOUT")" "no close_notify
next client"
	local warnings
	warnings=$(grep '^nc:' "$LERR")
	assert_equal "$(wc -l <<<"$warnings")" 2
	assert_regex "$(sed -n 1p <<<"$warnings")" '^nc: tls handshake failed \(handshake failed: .*unexpected eof while reading\)$'
	assert_regex "$(sed -n 2p <<<"$warnings")" '^nc: tls handshake failed \(handshake failed: .*http request\)$'
	assert_equal "$(grep -c '^Connection received on' "$LERR")" 4
}

@test "server -k -w: a client that never speaks times out with one warning; the next is served" {
	hold_stdin
	LISTEN_STDIN=$STDIN_FIFO tls_listener -k -w 1
	python3 -c 'import socket,sys,time; s=socket.create_connection(("127.0.0.1", int(sys.argv[1]))); time.sleep(4)' "$LPORT" &
	BG_PIDS+=("$!")
	wait_for_match "$LERR" '^nc: tls handshake failed \(Connection timed out\)$' 10 ||
		fail "no timeout warning: $(cat "$LERR")"
	echo "after the silent one" | timeout 10 openssl s_client -quiet -no_ign_eof -CAfile "$CERTS/ca.pem" \
		-connect "127.0.0.1:$LPORT" >/dev/null 2>&1 8>&-
	wait_for_match "$LOUT" '^after the silent one$' 10 || fail "$(cat "$LERR")"
	proc_alive "$LPID" || fail "the -k server died"
}

# --- the certificate check: -z -c, --json, --tls-min-days, --wait ---------

@test "-z -c: the handshake is the probe; -v prints the connection line, then the report" {
	s_server server
	run --separate-stderr nc -zv -c -R "$CERTS/ca.pem" 127.0.0.1 "$SPORT" </dev/null
	assert_success
	assert_equal "$(sed -n 1p <<<"$stderr")" "Connection to 127.0.0.1 $SPORT port [tcp/*] succeeded!"
	assert_equal "$(sed -n 2p <<<"$stderr")" "TLS handshake negotiated TLSv1.3/TLS_AES_256_GCM_SHA384 with host 127.0.0.1"
	s_server wrongname
	run --separate-stderr nc -z -c -R "$CERTS/ca.pem" 127.0.0.1 "$SPORT" </dev/null
	assert_one_error "nc: tls handshake failed (name \`127.0.0.1' not present in server certificate)"
	# A plain TCP listener accepts, but it is no TLS server: the check fails.
	start_peer silent --hold 5
	run --separate-stderr nc -z -c -w 1 -R "$CERTS/ca.pem" 127.0.0.1 "$PEER_PORT" </dev/null
	assert_one_error "nc: tls handshake failed (Connection timed out)"
}

@test "-z -c --json: one object per port with the certificate's facts" {
	s_server server
	local good=$SPORT closed
	closed=$(closed_port)
	s_server wrongname
	run --separate-stderr nc -z --json -c -R "$CERTS/ca.pem" 127.0.0.1 "$good" "$SPORT" "$closed" </dev/null
	assert_failure 1
	local check
	local script
	script=$(
		cat <<'PY'
import json, os, sys
good, bad, closed, sha, end = sys.argv[1:]
rows = [json.loads(l) for l in os.environ["LINES"].splitlines()]
assert [r["port"] for r in rows] == [int(good), int(bad), int(closed)], rows
g, b, c = rows
assert g["state"] == "open" and g["reason"] is None, g
t = g["tls"]
assert t["protocol"] == "TLSv1.3" and t["cipher"] == "TLS_AES_256_GCM_SHA384", t
assert t["subject"] == "/O=nc-test/OU=server/CN=localhost", t
assert t["issuer"] == "/O=nc-test/OU=ca/CN=root", t
assert t["sha256"] == sha and t["not_after"] == end, t
assert t["days_left"] in (364, 365) and t["verified"] is True and t["error"] is None, t
assert t["alpn"] is None and t["not_before"].endswith("Z"), t
assert b["state"] == "error" and b["tls"]["verified"] is False, b
assert b["reason"] == "tls handshake failed (name `127.0.0.1' not present in server certificate)", b
assert b["tls"]["error"] == b["reason"], b
assert c["state"] == "closed" and c["tls"] is None and c["reason"] == "Connection refused", c
print("ok")
PY
	)
	check=$(LINES=$output python3 -c "$script" "$good" "$SPORT" "$closed" \
		"$(cert_hash "$CERTS/server.pem")" "$(cert_date "$CERTS/server.pem" end '%Y-%m-%dT%H:%M:%SZ')")
	assert_equal "$check" "ok"
	assert_equal "$stderr" ""
}

@test "--tls-min-days: a certificate that ends within N days fails, naming the date" {
	s_server soon
	run --separate-stderr nc -z -c -R "$CERTS/ca.pem" --tls-min-days 10 127.0.0.1 "$SPORT" </dev/null
	assert_one_error "nc: peer certificate expires on $(cert_date "$CERTS/soon.pem" end '%Y-%m-%d %H:%M:%S UTC'), within 10 days"
	s_server soon
	run --separate-stderr nc -z -c -R "$CERTS/ca.pem" --tls-min-days 3 127.0.0.1 "$SPORT" </dev/null
	assert_success
	s_server expired
	run --separate-stderr nc -z -c -R "$CERTS/ca.pem" -T noverify --tls-min-days 1 127.0.0.1 "$SPORT" </dev/null
	assert_one_error "nc: peer certificate expired on 2020-02-01 00:00:00 UTC"
	s_server soon
	run --separate-stderr nc -z --json -c -R "$CERTS/ca.pem" --tls-min-days 30 127.0.0.1 "$SPORT" </dev/null
	assert_failure 1
	assert_output --regexp '"state":"error","reason":"peer certificate expires on [0-9-]+ [0-9:]+ UTC, within 30 days".*"days_left":4,'
}

@test "-z -c with several ports: each checked in order, exit 0 only when all pass" {
	s_server server
	local a=$SPORT
	s_server server
	local b=$SPORT
	run --separate-stderr nc -zv -c -R "$CERTS/ca.pem" 127.0.0.1 "$a" "$b" </dev/null
	assert_success
	assert_equal "$(grep -c 'succeeded!$' <<<"$stderr")" 2
	assert_equal "$(grep -c '^TLS handshake negotiated' <<<"$stderr")" 2
	s_server server
	a=$SPORT
	s_server expired
	b=$SPORT
	run --separate-stderr nc -z -c -R "$CERTS/ca.pem" 127.0.0.1 "$a" "$b" </dev/null
	assert_one_error "nc: tls handshake failed (certificate verification failed: certificate has expired)"
}

@test "--wait -c: waits until the handshake succeeds" {
	local port
	port=$(closed_port)
	start_nc /dev/null -v --wait 20 -c -R "$CERTS/ca.pem" 127.0.0.1 "$port"
	wait_for_match "$NC_ERR" "still down: Connection refused; next try in" 10 "$NC_PID" ||
		fail "no round line: $(cat "$NC_ERR")"
	hold_stdin
	openssl s_server -quiet -naccept 1 -accept "127.0.0.1:$port" -cert "$CERTS/server.pem" \
		-key "$CERTS/server.key" <"$STDIN_FIFO" >/dev/null 2>&1 3>&- 8>&- &
	BG_PIDS+=("$!")
	wait_for_exit "$NC_PID" 25 || fail "--wait did not end: $(cat "$NC_ERR")"
	assert_equal "$EXIT_RC" 0
	grep -q "^Connection to 127.0.0.1 $port port \[tcp/\*\] succeeded!$" "$NC_ERR" || fail "$(cat "$NC_ERR")"
	grep -q '^TLS handshake negotiated TLSv1.3' "$NC_ERR" || fail "$(cat "$NC_ERR")"
}

@test "--wait -c on a port that never speaks TLS: the verdict names the handshake's failure" {
	start_peer silent --count 50 --hold 5
	run --separate-stderr nc --wait 1.5 -w 0.3 -c -R "$CERTS/ca.pem" 127.0.0.1 "$PEER_PORT" </dev/null
	assert_one_error "nc: 127.0.0.1 port $PEER_PORT (tcp) not up after 1.5 s: tls handshake failed (Connection timed out)"
	run --separate-stderr nc --wait 0.5 --json -c -R "$CERTS/ca.pem" 127.0.0.1 "$(closed_port)" </dev/null
	assert_failure 1
	assert_output --regexp '"state":"closed","reason":"Connection refused".*"tls":null\}$'
}

# --- nothing lost: 256 MiB each way, into a file ---------------------------

@test "256 MiB: ours to s_server and s_server to ours (into a file), every byte" {
	big_data
	s_server server
	nc -c -R "$CERTS/ca.pem" -N 127.0.0.1 "$SPORT" <"$BIG" 2>"$BATS_TEST_TMPDIR/err" >/dev/null ||
		fail "nc: $(cat "$BATS_TEST_TMPDIR/err")"
	wait_for_exit "$SPID" 30 || fail "s_server still running"
	assert_equal "$(sum_of "$SOUT")" "$BIG_SUM"

	# After the handshake s_server now and then waits in a blocking read for
	# the client to speak first (s_client hangs there as often): say a line.
	S_IN=$BIG s_server server
	local got=$BATS_TEST_TMPDIR/got
	nc -c -R "$CERTS/ca.pem" 127.0.0.1 "$SPORT" <<<"go" >"$got" 2>"$BATS_TEST_TMPDIR/err" ||
		fail "nc: $(cat "$BATS_TEST_TMPDIR/err")"
	assert_equal "$(sum_of "$got")" "$BIG_SUM"
}

# -nocommands: s_client takes a data line that starts with Q, R or K for
# its quit, renegotiate and key-update commands.
@test "256 MiB: s_client to ours (-l, into a file) and ours to s_client, every byte" {
	big_data
	tls_listener
	timeout 60 openssl s_client -quiet -nocommands -no_ign_eof -CAfile "$CERTS/ca.pem" \
		-connect "127.0.0.1:$LPORT" <"$BIG" >/dev/null 2>"$BATS_TEST_TMPDIR/s_client.err" ||
		fail "s_client: $(cat "$BATS_TEST_TMPDIR/s_client.err")"
	wait_for_exit "$LPID" 30 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(sum_of "$LOUT")" "$BIG_SUM"

	LISTEN_STDIN=$BIG tls_listener -N
	local got=$BATS_TEST_TMPDIR/got
	timeout 60 openssl s_client -quiet -nocommands -CAfile "$CERTS/ca.pem" -connect "127.0.0.1:$LPORT" \
		</dev/null >"$got" 2>"$BATS_TEST_TMPDIR/s_client.err"
	wait_for_exit "$LPID" 30 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(sum_of "$got")" "$BIG_SUM"
}

@test "256 MiB: ours to ours both ways, into a file, every byte" {
	big_data
	tls_listener
	nc -c -R "$CERTS/ca.pem" -N 127.0.0.1 "$LPORT" <"$BIG" >/dev/null 2>"$BATS_TEST_TMPDIR/err" ||
		fail "nc: $(cat "$BATS_TEST_TMPDIR/err")"
	wait_for_exit "$LPID" 30 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(sum_of "$LOUT")" "$BIG_SUM"

	LISTEN_STDIN=$BIG tls_listener -N
	local got=$BATS_TEST_TMPDIR/got
	nc -c -R "$CERTS/ca.pem" 127.0.0.1 "$LPORT" </dev/null >"$got" 2>"$BATS_TEST_TMPDIR/err" ||
		fail "nc: $(cat "$BATS_TEST_TMPDIR/err")"
	wait_for_exit "$LPID" 30 || fail "listener still running"
	assert_equal "$EXIT_RC" 0
	assert_equal "$(sum_of "$got")" "$BIG_SUM"
}

# www_server CERT: openssl s_server -WWW on a free port, serving files from
# its own directory (ok.txt), for as many clients as come; sets WPORT.
www_server() {
	local dir=$BATS_TEST_TMPDIR/www$((PEER_SEQ++))
	mkdir -p "$dir"
	echo "all good" >"$dir/ok.txt"
	WPORT=$(closed_port)
	(cd "$dir" && spawn "$dir/out" "$dir/err" /dev/null openssl s_server -quiet -WWW \
		-accept "127.0.0.1:$WPORT" -cert "$CERTS/$1.pem" -key "$CERTS/$1.key")
	wait_for_listen "$WPORT" 10 || fail "s_server -WWW did not start: $(cat "$dir/err")"
}

@test "readiness over TLS: --http and --expect through -c against s_server -WWW; HOST:PORT targets" {
	www_server server
	run nc -c -R "$CERTS/ca.pem" -w 5 --http=/ok.txt "127.0.0.1:$WPORT"
	assert_success
	run nc -v -c -R "$CERTS/ca.pem" -w 2 --http=/ok.txt --expect 'not in the page' "127.0.0.1:$WPORT"
	assert_failure 1
	assert_output --partial "no match for 'not in the page'"
	# --send and --expect speak through the layer too.
	run nc -c -R "$CERTS/ca.pem" -w 5 --send 'GET /ok.txt HTTP/1.0\r\n\r\n' --expect 'all good' \
		127.0.0.1 "$WPORT"
	assert_success
	# Bare HOST:PORT targets with -c: the handshake is the check (s_server serves
	# one client at a time, so each target has its own).
	local first=$WPORT
	www_server server
	run nc -z -c -R "$CERTS/ca.pem" -w 5 "127.0.0.1:$first" "localhost:$WPORT"
	assert_success
}

@test "readiness over TLS: a failed handshake is the reason, and --wait keeps trying" {
	www_server server
	# Not our CA: verification fails, and the verdict says why in libtls' words.
	run nc -c -w 3 --http "127.0.0.1:$WPORT"
	assert_failure 1
	assert_output --regexp "^nc: 127\.0\.0\.1 port $WPORT \(tcp\) not up: .*(certificate|verify)"
	run nc --wait 1 -c -R "$CERTS/ca.pem" -w 1 --http=/ok.txt "127.0.0.1:$(closed_port)"
	assert_failure 1
	assert_output --partial "not up after 1 s"
}

@test "TLS data after session tickets and close_notify right behind it: delivered, and the session ends" {
	www_server server
	# s_server -WWW answers and sends close_notify at once: both must be read without waiting.
	run bash -c "printf 'GET /ok.txt HTTP/1.0\r\n\r\n' | timeout 10 \"\$0\" -c -R \"\$1\" 127.0.0.1 \"\$2\"" \
		"$NC_BIN_DIR/nc" "$CERTS/ca.pem" "$WPORT"
	assert_success
	assert_output --partial "all good"
}
