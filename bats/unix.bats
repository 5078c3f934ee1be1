#!/usr/bin/env bats
# Unix-domain sockets: -U (stream), -uU (datagram), --seqpacket; abstract
# names; -k; -z; the listener's safety rules; the datagram client's
# temporary directory.

load helpers

# --- stream ---------------------------------------------------------------

@test "stream: -lvU relays both ways, prints netcat-openbsd's lines, leaves the socket file" {
	S=$SOCK_DIR/s.sock
	echo from-server >"$BATS_TEST_TMPDIR/reply"
	bg_nc "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" "$BATS_TEST_TMPDIR/reply" -lvU "$S"
	L=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$L"
	run --separate-stderr nc -NU "$S" <<<"from-client"
	assert_success
	assert_output "from-server"
	wait_for_exit "$L" 5
	[ "$EXIT_RC" -eq 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/l.out")" = "from-client" ]
	[ "$(cat "$BATS_TEST_TMPDIR/l.err")" = "Bound on $S
Listening on $S
Connection received on $S" ]
	[ -S "$S" ]
}

@test "stream: -lkU serves clients one after another" {
	S=$SOCK_DIR/k.sock
	bg_nc "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" /dev/null -lkvU "$S"
	L=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$L"
	nc -NU "$S" <<<"first"
	nc -NU "$S" <<<"second"
	wait_for_match "$BATS_TEST_TMPDIR/l.out" '^second$' 5 "$L"
	[ "$(cat "$BATS_TEST_TMPDIR/l.out")" = "first
second" ]
	[ "$(grep -c '^Connection received on ' "$BATS_TEST_TMPDIR/l.err")" -eq 2 ]
	proc_alive "$L"
}

# --- -z --------------------------------------------------------------------

@test "-zU: 0 against a listener; -v prints the success line, quiet without -v" {
	S=$SOCK_DIR/z.sock
	bg_nc /dev/null "$BATS_TEST_TMPDIR/l.err" /dev/null -lkvU "$S"
	wait_for_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$BG_PID"
	run nc -zvU "$S"
	assert_success
	assert_output "Connection to $S succeeded!"
	run nc -zU "$S"
	assert_success
	assert_output ""
}

@test "-zU: missing file, stale socket, abstract name with nobody: netcat-openbsd's messages, exit 1" {
	run nc -zvU "$SOCK_DIR/nosuch.sock"
	assert_failure 1
	assert_output "nc: $SOCK_DIR/nosuch.sock: No such file or directory"
	stale_socket "$SOCK_DIR/stale.sock"
	run nc -zvU "$SOCK_DIR/stale.sock"
	assert_failure 1
	assert_output "nc: $SOCK_DIR/stale.sock: Connection refused"
	run nc -zvU "@nc-bats-none-$$-$RANDOM"
	assert_failure 1
	assert_output --regexp '^nc: @nc-bats-none-[0-9]+-[0-9]+: Connection refused$'
}

@test "-zU: a socket the user may not write to: Permission denied" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to drop to another user"
	command -v setpriv >/dev/null || skip "no setpriv"
	chmod 755 "$SOCK_DIR"
	S=$SOCK_DIR/p.sock
	bg_nc /dev/null "$BATS_TEST_TMPDIR/l.err" /dev/null -lkvU "$S"
	wait_for_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$BG_PID"
	chmod 700 "$S"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$NC_BIN_DIR/nc" -zvU "$S"
	assert_failure 1
	assert_output "nc: $S: Permission denied"
}

@test "-zuU and -z --seqpacket probe their own kinds; the wrong kind fails" {
	D=$SOCK_DIR/d.sock P=$SOCK_DIR/p.sock
	bg_nc /dev/null "$BATS_TEST_TMPDIR/d.err" /dev/null -lkuvU "$D"
	wait_for_match "$BATS_TEST_TMPDIR/d.err" '^Bound on ' 5 "$BG_PID"
	bg_nc /dev/null "$BATS_TEST_TMPDIR/p.err" /dev/null -lkv --seqpacket "$P"
	wait_for_match "$BATS_TEST_TMPDIR/p.err" '^Listening on ' 5 "$BG_PID"
	run nc -zuvU "$D"
	assert_success
	assert_output "Connection to $D succeeded!"
	run nc -zv --seqpacket "$P"
	assert_success
	assert_output "Connection to $P succeeded!"
	run nc -zU "$P"
	assert_failure 1
	assert_output "nc: $P: Protocol wrong type for socket"
	run nc -z --seqpacket "$D"
	assert_failure 1
	# -z of a datagram socket needs no address of its own: nothing left behind.
	[ -z "$(ls -A "$NC_TMPDIR")" ]
}

@test "-zU -w: a listener whose backlog stays full times out" {
	start_peer full --unix "$SOCK_DIR/full.sock"
	run --separate-stderr nc -zvU -w 0.5 "$SOCK_DIR/full.sock"
	assert_failure 1
	assert_equal "$stderr" "nc: $SOCK_DIR/full.sock: Connection timed out"
}

# --- abstract names ----------------------------------------------------------

@test "abstract @name: listen, connect and -z; shown as @name" {
	A="@nc-bats-$$-$RANDOM"
	bg_nc "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" /dev/null -lkvU "$A"
	L=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$L"
	run nc -zvU "$A"
	assert_success
	assert_output "Connection to $A succeeded!"
	nc -NU "$A" <<<"abstract data"
	wait_for_match "$BATS_TEST_TMPDIR/l.out" '^abstract data$' 5 "$L"
	run grep -c "^Connection received on $A\$" "$BATS_TEST_TMPDIR/l.err"
	assert_output 2
	run head -2 "$BATS_TEST_TMPDIR/l.err"
	assert_output "Bound on $A
Listening on $A"
	# Nothing appears in the file system, and a second listener is refused.
	[ ! -e "$A" ]
	run nc -lU "$A"
	assert_failure 1
	assert_output "nc: Address already in use"
	# In netcat-openbsd's words.
	if [ -x /bin/nc.openbsd ]; then
		mkdir -p "$BATS_TEST_TMPDIR/ref"
		ln -sfn /bin/nc.openbsd "$BATS_TEST_TMPDIR/ref/nc"
		run env PATH="$BATS_TEST_TMPDIR/ref:$PATH" timeout -k 1 10 nc -lU "$A" </dev/null
		assert_failure 1
		assert_output "nc: Address already in use"
	fi
}

@test "abstract @name over datagram and seqpacket" {
	A="@nc-bats-dg-$$-$RANDOM" Q="@nc-bats-sp-$$-$RANDOM"
	bg_nc "$BATS_TEST_TMPDIR/d.out" "$BATS_TEST_TMPDIR/d.err" /dev/null -lkuvU "$A"
	wait_for_match "$BATS_TEST_TMPDIR/d.err" "^Bound on $A\$" 5 "$BG_PID"
	bg_nc "$BATS_TEST_TMPDIR/p.out" "$BATS_TEST_TMPDIR/p.err" /dev/null -lv --seqpacket "$Q"
	P=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/p.err" "^Listening on $Q\$" 5 "$P"
	nc -uU -q 0 "$A" <<<"dg-abstract"
	wait_for_match "$BATS_TEST_TMPDIR/d.out" '^dg-abstract$' 5
	nc -N --seqpacket "$Q" <<<"sp-abstract"
	wait_for_exit "$P" 5
	[ "$(cat "$BATS_TEST_TMPDIR/p.out")" = "sp-abstract" ]
}

# --- datagram -------------------------------------------------------------

@test "datagram: -luU answers the first sender; the client binds a 0700 temp socket and removes it" {
	D=$SOCK_DIR/dg.sock
	echo pong >"$BATS_TEST_TMPDIR/reply"
	bg_nc "$BATS_TEST_TMPDIR/s.out" "$BATS_TEST_TMPDIR/s.err" "$BATS_TEST_TMPDIR/reply" -luvU "$D"
	S=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/s.err" '^Bound on ' 5 "$S"
	hold_stdin
	bg_nc "$BATS_TEST_TMPDIR/c.out" "$BATS_TEST_TMPDIR/c.err" "$STDIN_FIFO" -uvU "$D"
	C=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/c.err" '^Bound on ' 5 "$C"
	run cat "$BATS_TEST_TMPDIR/c.err"
	assert_output --regexp "^Bound on $NC_TMPDIR/nc-[A-Za-z0-9]{6}/recv.sock\$"
	dir=$(sed -n 's|^Bound on \(.*\)/recv.sock$|\1|p' "$BATS_TEST_TMPDIR/c.err")
	[ "$(stat -c %a "$dir")" = 700 ]
	[ -S "$dir/recv.sock" ]
	echo ping >&8
	wait_for_match "$BATS_TEST_TMPDIR/s.out" '^ping$' 5 "$S"
	wait_for_match "$BATS_TEST_TMPDIR/c.out" '^pong$' 5 "$C"
	[ "$(cat "$BATS_TEST_TMPDIR/s.err")" = "Bound on $D
Connection received on $D" ]
	# Closing stdin with -q: the normal exit path.
	exec 8>&-
	wait_for_exit "$C" 5 || true
	# Without -q, stdin EOF does not end a datagram session: end it with SIGTERM.
	if proc_alive "$C"; then
		kill -TERM "$C"
		wait_for_exit "$C" 5
	fi
	[ ! -e "$dir" ]
	[ -z "$(ls -A "$NC_TMPDIR")" ]
}

@test "datagram: the temp directory is gone after a normal exit (-w), SIGTERM and SIGINT" {
	D=$SOCK_DIR/dg.sock
	bg_nc "$BATS_TEST_TMPDIR/s.out" "$BATS_TEST_TMPDIR/s.err" /dev/null -lkuvU "$D"
	wait_for_match "$BATS_TEST_TMPDIR/s.err" '^Bound on ' 5 "$BG_PID"

	run nc -uU -w 1 "$D" <<<"normal"
	assert_success
	[ -z "$(ls -A "$NC_TMPDIR")" ]

	run nc -uU "$SOCK_DIR/nosuch.sock" </dev/null
	assert_failure 1
	assert_output "nc: $SOCK_DIR/nosuch.sock: No such file or directory"
	[ -z "$(ls -A "$NC_TMPDIR")" ]

	for sig in TERM INT; do
		hold_stdin
		bg_nc /dev/null "$BATS_TEST_TMPDIR/c.err" "$STDIN_FIFO" -uvU "$D"
		C=$BG_PID
		wait_for_match "$BATS_TEST_TMPDIR/c.err" '^Bound on ' 5 "$C"
		[ -n "$(ls -A "$NC_TMPDIR")" ]
		kill -"$sig" "$C"
		wait_for_exit "$C" 5
		# Died of the signal, as the shell sees it.
		[ "$EXIT_RC" -eq $((128 + $(kill -l "$sig"))) ]
		[ -z "$(ls -A "$NC_TMPDIR")" ]
		exec 8>&-
		rm -f "$STDIN_FIFO"
	done
	wait_for_match "$BATS_TEST_TMPDIR/s.out" '^normal$' 5
}

@test "datagram: -s PATH names the client's own socket, which stays" {
	D=$SOCK_DIR/dg.sock M=$SOCK_DIR/me.sock
	echo pong >"$BATS_TEST_TMPDIR/reply"
	bg_nc "$BATS_TEST_TMPDIR/s.out" "$BATS_TEST_TMPDIR/s.err" "$BATS_TEST_TMPDIR/reply" -luvU "$D"
	wait_for_match "$BATS_TEST_TMPDIR/s.err" '^Bound on ' 5 "$BG_PID"
	run --separate-stderr nc -uvU -w 2 -s "$M" "$D" <<<"ping"
	assert_success
	assert_output "pong"
	[ "$stderr" = "Bound on $M" ]
	[ -S "$M" ]
	[ -z "$(ls -A "$NC_TMPDIR")" ]
}

@test "datagram: -lkuU takes datagrams from every sender, unconnected" {
	D=$SOCK_DIR/dgk.sock
	bg_nc "$BATS_TEST_TMPDIR/s.out" "$BATS_TEST_TMPDIR/s.err" /dev/null -lkuvU "$D"
	S=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/s.err" '^Bound on ' 5 "$S"
	nc -uU -q 0 "$D" <<<"one"
	nc -uU -q 0 "$D" <<<"two"
	printf 'three\n' | peer send --udp --unix "$D"
	wait_for_match "$BATS_TEST_TMPDIR/s.out" '^three$' 5 "$S"
	[ "$(cat "$BATS_TEST_TMPDIR/s.out")" = "one
two
three" ]
	[ "$(cat "$BATS_TEST_TMPDIR/s.err")" = "Bound on $D" ]
	proc_alive "$S"
}

@test "datagram: -luU takes a sender that has no address (receive only)" {
	D=$SOCK_DIR/dg.sock
	bg_nc "$BATS_TEST_TMPDIR/s.out" "$BATS_TEST_TMPDIR/s.err" /dev/null -luvU "$D"
	S=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/s.err" '^Bound on ' 5 "$S"
	printf 'anon\n' | peer send --udp --unix "$D"
	wait_for_match "$BATS_TEST_TMPDIR/s.out" '^anon$' 5 "$S"
	wait_for_match "$BATS_TEST_TMPDIR/s.err" '^Connection received on ' 5 "$S"
}

@test "datagram: each read from stdin is one datagram" {
	D=$SOCK_DIR/dg.sock
	hold_stdin
	start_peer silent --udp --unix "$D"
	bg_nc /dev/null "$BATS_TEST_TMPDIR/c.err" "$STDIN_FIFO" -uvU "$D"
	wait_for_match "$BATS_TEST_TMPDIR/c.err" '^Bound on ' 5 "$BG_PID"
	printf 'first' >&8
	wait_for_match "$PEER_LOG" ' 6669727374$' 5
	# One write (cat's), so nc sees it in one read: bash's printf writes line by line.
	printf 'second\nline' >"$BATS_TEST_TMPDIR/two-lines"
	cat "$BATS_TEST_TMPDIR/two-lines" >&8
	wait_for_match "$PEER_LOG" ' 7365636f6e64' 5
	# The peer logs each datagram in hex: "first", then "second\nline".
	[ "$(cut -d' ' -f2 "$PEER_LOG")" = "6669727374
7365636f6e640a6c696e65" ]
}

# --- seqpacket --------------------------------------------------------------

@test "seqpacket: --seqpacket -lv relays and ends when the client closes" {
	S=$SOCK_DIR/sp.sock
	echo from-server >"$BATS_TEST_TMPDIR/reply"
	bg_nc "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" "$BATS_TEST_TMPDIR/reply" -lv --seqpacket "$S"
	L=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$L"
	run --separate-stderr nc -N -U --seqpacket "$S" <<<"from-client"
	assert_success
	assert_output "from-server"
	wait_for_exit "$L" 5
	[ "$EXIT_RC" -eq 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/l.out")" = "from-client" ]
	[ "$(cat "$BATS_TEST_TMPDIR/l.err")" = "Bound on $S
Listening on $S
Connection received on $S" ]
}

@test "seqpacket: message boundaries are kept: one read, one message" {
	S=$SOCK_DIR/sp.sock
	cat >"$BATS_TEST_TMPDIR/sp.py" <<'EOF'
import socket, subprocess, sys
path, nc = sys.argv[1], sys.argv[2]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
srv.bind(path)
srv.listen(1)
srv.settimeout(8)
p = subprocess.Popen([nc, "--seqpacket", path], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
c, _ = srv.accept()
c.settimeout(8)
got = []
for msg in (b"one", b"two\nthree"):
    p.stdin.write(msg)
    p.stdin.flush()
    got.append(c.recv(65536))
c.send(b"x")
c.send(b"y")
c.close()
p.stdin.close()
out = p.stdout.read()
print(got, out, p.wait())
EOF
	run py "$BATS_TEST_TMPDIR/sp.py" "$S" "$NC_BIN_DIR/nc"
	assert_success
	assert_output "[b'one', b'two\\nthree'] b'xy' 0"
}

# --- the listener's safety rules ----------------------------------------------

@test "listener: refuses to replace a file that is not a socket" {
	F=$SOCK_DIR/regular.txt
	echo precious >"$F"
	run nc -lU "$F"
	assert_failure 1
	assert_output "nc: $F: exists and is not a socket; not replacing it"
	[ "$(cat "$F")" = precious ]
	mkdir "$SOCK_DIR/adir"
	run nc -luU "$SOCK_DIR/adir"
	assert_failure 1
	assert_output "nc: $SOCK_DIR/adir: exists and is not a socket; not replacing it"
	[ -d "$SOCK_DIR/adir" ]
	ln -s "$SOCK_DIR/regular.txt" "$SOCK_DIR/link.sock"
	run nc -l --seqpacket "$SOCK_DIR/link.sock"
	assert_failure 1
	[ -L "$SOCK_DIR/link.sock" ]
	[ "$(cat "$F")" = precious ]
}

@test "listener: replaces a stale socket, refuses one with a live listener" {
	S=$SOCK_DIR/stale.sock
	stale_socket "$S"
	[ -S "$S" ]
	bg_nc "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" /dev/null -lkvU "$S"
	L=$BG_PID
	wait_for_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$L"
	run nc -lU "$S"
	assert_failure 1
	assert_output "nc: Address already in use"
	run nc -luU "$S"
	assert_failure 1
	assert_output "nc: Address already in use"
	# The live listener still answers.
	run nc -zU "$S"
	assert_success
	proc_alive "$L"
}

# Starts a one-shot listener (no -k) of KIND on PATH whose stdin stays open,
# refuses a second listener of every kind on PATH, then checks that the
# first was never connected to: it is alive, has received nobody, and then
# serves a real client whose data it prints.
one_shot_survives() {
	local kind=$1 path=$2 flags ready client
	case $kind in
	stream) flags=-lvU ready='^Listening on ' client=(-U) ;;
	seqpacket) flags="-lv --seqpacket" ready='^Listening on ' client=(--seqpacket) ;;
	dgram) flags=-lvuU ready='^Bound on ' client=(-uU) ;;
	esac
	local out=$BATS_TEST_TMPDIR/$kind.out err=$BATS_TEST_TMPDIR/$kind.err
	# shellcheck disable=SC2086
	bg_nc "$out" "$err" "$STDIN_FIFO" $flags "$path"
	local L=$BG_PID
	wait_for_match "$err" "$ready" 5 "$L"
	for second in -lU -luU "-l --seqpacket"; do
		# shellcheck disable=SC2086
		run nc $second "$path" </dev/null
		assert_failure 1
		assert_output "nc: Address already in use"
	done
	proc_alive "$L"
	run grep -c '^Connection received' "$err"
	assert_output 0
	[ -S "$path" ]
	# In the background: a datagram listener answers its client, which must still be there.
	echo "to the $kind listener" >"$BATS_TEST_TMPDIR/$kind.msg"
	bg_nc /dev/null /dev/null "$BATS_TEST_TMPDIR/$kind.msg" "${client[@]}" -q 5 "$path"
	wait_for_match "$out" "^to the $kind listener\$" 5
	run grep -c '^Connection received' "$err"
	assert_output 1
}

@test "listener: a live one-shot listener is refused without a connection to it, then serves" {
	hold_stdin 7
	one_shot_survives stream "$SOCK_DIR/stream.sock"
	one_shot_survives seqpacket "$SOCK_DIR/seqpacket.sock"
	one_shot_survives dgram "$SOCK_DIR/dgram.sock"
}

@test "listener: a socket file whose listener is gone is replaced, also after it served a client" {
	hold_stdin 7
	S=$SOCK_DIR/gone.sock
	# A one-shot listener that served its client and exited leaves its file behind.
	bg_nc "$BATS_TEST_TMPDIR/1.out" "$BATS_TEST_TMPDIR/1.err" /dev/null -lvU "$S"
	wait_for_match "$BATS_TEST_TMPDIR/1.err" '^Listening on ' 5 "$BG_PID"
	nc -NU "$S" <<<"first"
	wait_for_exit "$BG_PID" 5
	[ -S "$S" ]
	bg_nc "$BATS_TEST_TMPDIR/2.out" "$BATS_TEST_TMPDIR/2.err" "$STDIN_FIFO" -lvU "$S"
	wait_for_match "$BATS_TEST_TMPDIR/2.err" '^Listening on ' 5 "$BG_PID"
	nc -U -q 0 "$S" <<<"second"
	wait_for_match "$BATS_TEST_TMPDIR/2.out" '^second$' 5
}

@test "datagram client -s refuses a path that is not a socket" {
	echo keep >"$SOCK_DIR/file"
	run nc -uU -s "$SOCK_DIR/file" "$SOCK_DIR/x.sock" </dev/null
	assert_failure 1
	assert_output "nc: $SOCK_DIR/file: exists and is not a socket; not replacing it"
	[ "$(cat "$SOCK_DIR/file")" = keep ]
}

# --- errors -----------------------------------------------------------------

@test "errors: path too long, empty path, port, -x, -F, --seqpacket with -u" {
	long=$SOCK_DIR/$(printf 'a%.0s' {1..110})
	for args in "-zU" "-lU" "-luU" "-z --seqpacket"; do
		# shellcheck disable=SC2086
		run nc $args "$long"
		assert_failure 1
		assert_output "nc: $long: File name too long"
		# shellcheck disable=SC2086
		run nc $args ""
		assert_failure 1
		assert_output "nc: : Invalid argument"
	done
	[ ! -e "$long" ]
	run nc -zvU "$SOCK_DIR/s.sock" 80
	assert_failure 1
	assert_output "nc: cannot use port with -U"
	run nc -U -x 127.0.0.1:1080 "$SOCK_DIR/s.sock"
	assert_failure 1
	assert_output "nc: no proxy support for unix sockets"
	run nc -U -F "$SOCK_DIR/s.sock"
	assert_failure 1
	assert_output "nc: cannot use -F and -U"
	run nc -u --seqpacket "$SOCK_DIR/s.sock"
	assert_failure 1
	assert_output "nc: cannot use --seqpacket with -u"
	run nc -lU
	assert_failure 1
	assert_output "nc: missing socket pathname"
	TMPDIR=$SOCK_DIR/nonexistent run nc -uU "$SOCK_DIR/s.sock"
	assert_failure 1
	assert_output --regexp "^nc: $SOCK_DIR/nonexistent/nc-X{6}: No such file or directory\$"
}

@test "differential: -U errors match nc.openbsd (stderr and exit code)" {
	need_ref
	stale_socket "$SOCK_DIR/stale.sock"
	long=$SOCK_DIR/$(printf 'b%.0s' {1..110})
	cases=(
		"-zvU $SOCK_DIR/nosuch.sock"
		"-zvU $SOCK_DIR/stale.sock"
		"-zvU @nc-bats-diff-none-$$"
		"-zvU $long"
		"-zvU $SOCK_DIR/s.sock 80"
		"-zvU"
		"-lU"
		"-U -x 127.0.0.1:1080 $SOCK_DIR/s.sock"
		"-U -F $SOCK_DIR/s.sock"
		"-U -s $SOCK_DIR/me.sock $SOCK_DIR/s.sock"
		"-uU -p 1 $SOCK_DIR/s.sock"
	)
	for c in "${cases[@]}"; do
		# shellcheck disable=SC2086
		same $c
	done
	same -zvU ""
	all_same
}
