#!/usr/bin/env bats
# Unix-domain sockets: -U (stream), -uU (datagram), --seqpacket; abstract
# names; -k; -z; the listener's safety rules; the datagram client's
# temporary directory.

load unix_helpers

setup() {
	ux_setup
}

teardown() {
	ux_teardown
}

# --- stream ---------------------------------------------------------------

@test "stream: -lvU relays both ways, prints netcat-openbsd's lines, leaves the socket file" {
	S=$UX_DIR/s.sock
	echo from-server >"$BATS_TEST_TMPDIR/reply"
	ux_start "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" "$BATS_TEST_TMPDIR/reply" -lvU "$S"
	L=$UX_PID
	ux_wait_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$L"
	run --separate-stderr ux_nc -NU "$S" <<<"from-client"
	assert_success
	assert_output "from-server"
	ux_wait_exit "$L" 5
	[ "$UX_RC" -eq 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/l.out")" = "from-client" ]
	[ "$(cat "$BATS_TEST_TMPDIR/l.err")" = "Bound on $S
Listening on $S
Connection received on $S" ]
	[ -S "$S" ]
}

@test "stream: -lkU serves clients one after another" {
	S=$UX_DIR/k.sock
	ux_start "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" /dev/null -lkvU "$S"
	L=$UX_PID
	ux_wait_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$L"
	ux_nc -NU "$S" <<<"first"
	ux_nc -NU "$S" <<<"second"
	ux_wait_match "$BATS_TEST_TMPDIR/l.out" '^second$' 5 "$L"
	[ "$(cat "$BATS_TEST_TMPDIR/l.out")" = "first
second" ]
	[ "$(grep -c '^Connection received on ' "$BATS_TEST_TMPDIR/l.err")" -eq 2 ]
	ux_alive "$L"
}

# --- -z --------------------------------------------------------------------

@test "-zU: 0 against a listener; -v prints the success line, quiet without -v" {
	S=$UX_DIR/z.sock
	ux_start /dev/null "$BATS_TEST_TMPDIR/l.err" /dev/null -lkvU "$S"
	ux_wait_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$UX_PID"
	run ux_nc -zvU "$S"
	assert_success
	assert_output "Connection to $S succeeded!"
	run ux_nc -zU "$S"
	assert_success
	assert_output ""
}

@test "-zU: missing file, stale socket, abstract name with nobody: netcat-openbsd's messages, exit 1" {
	run ux_nc -zvU "$UX_DIR/nosuch.sock"
	assert_failure 1
	assert_output "nc: $UX_DIR/nosuch.sock: No such file or directory"
	ux_py -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$UX_DIR/stale.sock"
	run ux_nc -zvU "$UX_DIR/stale.sock"
	assert_failure 1
	assert_output "nc: $UX_DIR/stale.sock: Connection refused"
	run ux_nc -zvU "@nc-bats-none-$$-$RANDOM"
	assert_failure 1
	assert_output --regexp '^nc: @nc-bats-none-[0-9]+-[0-9]+: Connection refused$'
}

@test "-zU: a socket the user may not write to: Permission denied" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to drop to another user"
	command -v setpriv >/dev/null || skip "no setpriv"
	chmod 755 "$UX_DIR"
	S=$UX_DIR/p.sock
	ux_start /dev/null "$BATS_TEST_TMPDIR/l.err" /dev/null -lkvU "$S"
	ux_wait_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$UX_PID"
	chmod 700 "$S"
	run setpriv --reuid=65534 --regid=65534 --clear-groups "$UX_BIN/nc" -zvU "$S"
	assert_failure 1
	assert_output "nc: $S: Permission denied"
}

@test "-zuU and -z --seqpacket probe their own kinds; the wrong kind fails" {
	D=$UX_DIR/d.sock P=$UX_DIR/p.sock
	ux_start /dev/null "$BATS_TEST_TMPDIR/d.err" /dev/null -lkuvU "$D"
	ux_wait_match "$BATS_TEST_TMPDIR/d.err" '^Bound on ' 5 "$UX_PID"
	ux_start /dev/null "$BATS_TEST_TMPDIR/p.err" /dev/null -lkv --seqpacket "$P"
	ux_wait_match "$BATS_TEST_TMPDIR/p.err" '^Listening on ' 5 "$UX_PID"
	run ux_nc -zuvU "$D"
	assert_success
	assert_output "Connection to $D succeeded!"
	run ux_nc -zv --seqpacket "$P"
	assert_success
	assert_output "Connection to $P succeeded!"
	run ux_nc -zU "$P"
	assert_failure 1
	assert_output "nc: $P: Protocol wrong type for socket"
	run ux_nc -z --seqpacket "$D"
	assert_failure 1
	# -z of a datagram socket needs no address of its own: nothing left behind.
	[ -z "$(ls -A "$UX_TMP")" ]
}

@test "-zU -w: a listener whose backlog stays full times out" {
	cat >"$BATS_TEST_TMPDIR/full.py" <<'EOF'
import socket, subprocess, sys
path, nc = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX)
s.bind(path)
s.listen(0)
held = []
while True:
    c = socket.socket(socket.AF_UNIX)
    c.setblocking(False)
    try:
        c.connect(path)
    except BlockingIOError:
        break
    held.append(c)
r = subprocess.run([nc, "-zvU", "-w", "0.5", path], capture_output=True, text=True, timeout=8)
print(r.returncode, r.stderr.strip())
EOF
	run ux_py "$BATS_TEST_TMPDIR/full.py" "$UX_DIR/full.sock" "$UX_BIN/nc"
	assert_success
	assert_output "1 nc: $UX_DIR/full.sock: Connection timed out"
}

# --- abstract names ----------------------------------------------------------

@test "abstract @name: listen, connect and -z; shown as @name" {
	A="@nc-bats-$$-$RANDOM"
	ux_start "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" /dev/null -lkvU "$A"
	L=$UX_PID
	ux_wait_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$L"
	run ux_nc -zvU "$A"
	assert_success
	assert_output "Connection to $A succeeded!"
	ux_nc -NU "$A" <<<"abstract data"
	ux_wait_match "$BATS_TEST_TMPDIR/l.out" '^abstract data$' 5 "$L"
	run grep -c "^Connection received on $A\$" "$BATS_TEST_TMPDIR/l.err"
	assert_output 2
	run head -2 "$BATS_TEST_TMPDIR/l.err"
	assert_output "Bound on $A
Listening on $A"
	# Nothing appears in the file system, and a second listener is refused.
	[ ! -e "$A" ]
	run ux_nc -lU "$A"
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
	ux_start "$BATS_TEST_TMPDIR/d.out" "$BATS_TEST_TMPDIR/d.err" /dev/null -lkuvU "$A"
	ux_wait_match "$BATS_TEST_TMPDIR/d.err" "^Bound on $A\$" 5 "$UX_PID"
	ux_start "$BATS_TEST_TMPDIR/p.out" "$BATS_TEST_TMPDIR/p.err" /dev/null -lv --seqpacket "$Q"
	P=$UX_PID
	ux_wait_match "$BATS_TEST_TMPDIR/p.err" "^Listening on $Q\$" 5 "$P"
	ux_nc -uU -q 0 "$A" <<<"dg-abstract"
	ux_wait_match "$BATS_TEST_TMPDIR/d.out" '^dg-abstract$' 5
	ux_nc -N --seqpacket "$Q" <<<"sp-abstract"
	ux_wait_exit "$P" 5
	[ "$(cat "$BATS_TEST_TMPDIR/p.out")" = "sp-abstract" ]
}

# --- datagram -------------------------------------------------------------

@test "datagram: -luU answers the first sender; the client binds a 0700 temp socket and removes it" {
	D=$UX_DIR/dg.sock
	echo pong >"$BATS_TEST_TMPDIR/reply"
	ux_start "$BATS_TEST_TMPDIR/s.out" "$BATS_TEST_TMPDIR/s.err" "$BATS_TEST_TMPDIR/reply" -luvU "$D"
	S=$UX_PID
	ux_wait_match "$BATS_TEST_TMPDIR/s.err" '^Bound on ' 5 "$S"
	ux_hold_stdin
	ux_start "$BATS_TEST_TMPDIR/c.out" "$BATS_TEST_TMPDIR/c.err" "$UX_FIFO" -uvU "$D"
	C=$UX_PID
	ux_wait_match "$BATS_TEST_TMPDIR/c.err" '^Bound on ' 5 "$C"
	run cat "$BATS_TEST_TMPDIR/c.err"
	assert_output --regexp "^Bound on $UX_TMP/nc-[A-Za-z0-9]{6}/recv.sock\$"
	dir=$(sed -n 's|^Bound on \(.*\)/recv.sock$|\1|p' "$BATS_TEST_TMPDIR/c.err")
	[ "$(stat -c %a "$dir")" = 700 ]
	[ -S "$dir/recv.sock" ]
	echo ping >&7
	ux_wait_match "$BATS_TEST_TMPDIR/s.out" '^ping$' 5 "$S"
	ux_wait_match "$BATS_TEST_TMPDIR/c.out" '^pong$' 5 "$C"
	[ "$(cat "$BATS_TEST_TMPDIR/s.err")" = "Bound on $D
Connection received on $D" ]
	# Closing stdin with -q: the normal exit path.
	exec 7>&-
	ux_wait_exit "$C" 5 || true
	# Without -q, stdin EOF does not end a datagram session: end it with SIGTERM.
	if ux_alive "$C"; then
		kill -TERM "$C"
		ux_wait_exit "$C" 5
	fi
	[ ! -e "$dir" ]
	[ -z "$(ls -A "$UX_TMP")" ]
}

@test "datagram: the temp directory is gone after a normal exit (-w), SIGTERM and SIGINT" {
	D=$UX_DIR/dg.sock
	ux_start "$BATS_TEST_TMPDIR/s.out" "$BATS_TEST_TMPDIR/s.err" /dev/null -lkuvU "$D"
	ux_wait_match "$BATS_TEST_TMPDIR/s.err" '^Bound on ' 5 "$UX_PID"

	run ux_nc -uU -w 1 "$D" <<<"normal"
	assert_success
	[ -z "$(ls -A "$UX_TMP")" ]

	run ux_nc -uU "$UX_DIR/nosuch.sock" </dev/null
	assert_failure 1
	assert_output "nc: $UX_DIR/nosuch.sock: No such file or directory"
	[ -z "$(ls -A "$UX_TMP")" ]

	for sig in TERM INT; do
		ux_hold_stdin
		ux_start /dev/null "$BATS_TEST_TMPDIR/c.err" "$UX_FIFO" -uvU "$D"
		C=$UX_PID
		ux_wait_match "$BATS_TEST_TMPDIR/c.err" '^Bound on ' 5 "$C"
		[ -n "$(ls -A "$UX_TMP")" ]
		kill -"$sig" "$C"
		ux_wait_exit "$C" 5
		# Died of the signal, as the shell sees it.
		[ "$UX_RC" -eq $((128 + $(kill -l "$sig"))) ]
		[ -z "$(ls -A "$UX_TMP")" ]
		exec 7>&-
		rm -f "$UX_FIFO"
	done
	ux_wait_match "$BATS_TEST_TMPDIR/s.out" '^normal$' 5
}

@test "datagram: -s PATH names the client's own socket, which stays" {
	D=$UX_DIR/dg.sock M=$UX_DIR/me.sock
	echo pong >"$BATS_TEST_TMPDIR/reply"
	ux_start "$BATS_TEST_TMPDIR/s.out" "$BATS_TEST_TMPDIR/s.err" "$BATS_TEST_TMPDIR/reply" -luvU "$D"
	ux_wait_match "$BATS_TEST_TMPDIR/s.err" '^Bound on ' 5 "$UX_PID"
	run --separate-stderr ux_nc -uvU -w 2 -s "$M" "$D" <<<"ping"
	assert_success
	assert_output "pong"
	[ "$stderr" = "Bound on $M" ]
	[ -S "$M" ]
	[ -z "$(ls -A "$UX_TMP")" ]
}

@test "datagram: -lkuU takes datagrams from every sender, unconnected" {
	D=$UX_DIR/dgk.sock
	ux_start "$BATS_TEST_TMPDIR/s.out" "$BATS_TEST_TMPDIR/s.err" /dev/null -lkuvU "$D"
	S=$UX_PID
	ux_wait_match "$BATS_TEST_TMPDIR/s.err" '^Bound on ' 5 "$S"
	ux_nc -uU -q 0 "$D" <<<"one"
	ux_nc -uU -q 0 "$D" <<<"two"
	ux_py -c 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b"three\n", sys.argv[1])' "$D"
	ux_wait_match "$BATS_TEST_TMPDIR/s.out" '^three$' 5 "$S"
	[ "$(cat "$BATS_TEST_TMPDIR/s.out")" = "one
two
three" ]
	[ "$(cat "$BATS_TEST_TMPDIR/s.err")" = "Bound on $D" ]
	ux_alive "$S"
}

@test "datagram: -luU takes a sender that has no address (receive only)" {
	D=$UX_DIR/dg.sock
	ux_start "$BATS_TEST_TMPDIR/s.out" "$BATS_TEST_TMPDIR/s.err" /dev/null -luvU "$D"
	S=$UX_PID
	ux_wait_match "$BATS_TEST_TMPDIR/s.err" '^Bound on ' 5 "$S"
	ux_py -c 'import socket,sys; s=socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.sendto(b"anon\n", sys.argv[1])' "$D"
	ux_wait_match "$BATS_TEST_TMPDIR/s.out" '^anon$' 5 "$S"
	ux_wait_match "$BATS_TEST_TMPDIR/s.err" '^Connection received on ' 5 "$S"
}

@test "datagram: each read from stdin is one datagram" {
	D=$UX_DIR/dg.sock
	ux_hold_stdin
	cat >"$BATS_TEST_TMPDIR/recv.py" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(8)
print("ready", flush=True)
for _ in range(2):
    print(repr(s.recv(65536)), flush=True)
EOF
	timeout -k 1 10 python3 "$BATS_TEST_TMPDIR/recv.py" "$D" >"$BATS_TEST_TMPDIR/py.out" &
	UX_PIDS+=($!)
	ux_wait_match "$BATS_TEST_TMPDIR/py.out" '^ready$' 5
	ux_start /dev/null "$BATS_TEST_TMPDIR/c.err" "$UX_FIFO" -uvU "$D"
	ux_wait_match "$BATS_TEST_TMPDIR/c.err" '^Bound on ' 5 "$UX_PID"
	printf 'first' >&7
	ux_wait_match "$BATS_TEST_TMPDIR/py.out" "^b'first'\$" 5
	# One write (cat's), so nc sees it in one read: bash's printf writes line by line.
	printf 'second\nline' >"$BATS_TEST_TMPDIR/two-lines"
	cat "$BATS_TEST_TMPDIR/two-lines" >&7
	ux_wait_match "$BATS_TEST_TMPDIR/py.out" "^b'second" 5
	[ "$(cat "$BATS_TEST_TMPDIR/py.out")" = "ready
b'first'
b'second\\nline'" ]
}

# --- seqpacket --------------------------------------------------------------

@test "seqpacket: --seqpacket -lv relays and ends when the client closes" {
	S=$UX_DIR/sp.sock
	echo from-server >"$BATS_TEST_TMPDIR/reply"
	ux_start "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" "$BATS_TEST_TMPDIR/reply" -lv --seqpacket "$S"
	L=$UX_PID
	ux_wait_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$L"
	run --separate-stderr ux_nc -N -U --seqpacket "$S" <<<"from-client"
	assert_success
	assert_output "from-server"
	ux_wait_exit "$L" 5
	[ "$UX_RC" -eq 0 ]
	[ "$(cat "$BATS_TEST_TMPDIR/l.out")" = "from-client" ]
	[ "$(cat "$BATS_TEST_TMPDIR/l.err")" = "Bound on $S
Listening on $S
Connection received on $S" ]
}

@test "seqpacket: message boundaries are kept: one read, one message" {
	S=$UX_DIR/sp.sock
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
	run ux_py "$BATS_TEST_TMPDIR/sp.py" "$S" "$UX_BIN/nc"
	assert_success
	assert_output "[b'one', b'two\\nthree'] b'xy' 0"
}

# --- the listener's safety rules ----------------------------------------------

@test "listener: refuses to replace a file that is not a socket" {
	F=$UX_DIR/regular.txt
	echo precious >"$F"
	run ux_nc -lU "$F"
	assert_failure 1
	assert_output "nc: $F: exists and is not a socket; not replacing it"
	[ "$(cat "$F")" = precious ]
	mkdir "$UX_DIR/adir"
	run ux_nc -luU "$UX_DIR/adir"
	assert_failure 1
	assert_output "nc: $UX_DIR/adir: exists and is not a socket; not replacing it"
	[ -d "$UX_DIR/adir" ]
	ln -s "$UX_DIR/regular.txt" "$UX_DIR/link.sock"
	run ux_nc -l --seqpacket "$UX_DIR/link.sock"
	assert_failure 1
	[ -L "$UX_DIR/link.sock" ]
	[ "$(cat "$F")" = precious ]
}

@test "listener: replaces a stale socket, refuses one with a live listener" {
	S=$UX_DIR/stale.sock
	ux_py -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$S"
	[ -S "$S" ]
	ux_start "$BATS_TEST_TMPDIR/l.out" "$BATS_TEST_TMPDIR/l.err" /dev/null -lkvU "$S"
	L=$UX_PID
	ux_wait_match "$BATS_TEST_TMPDIR/l.err" '^Listening on ' 5 "$L"
	run ux_nc -lU "$S"
	assert_failure 1
	assert_output "nc: Address already in use"
	run ux_nc -luU "$S"
	assert_failure 1
	assert_output "nc: Address already in use"
	# The live listener still answers.
	run ux_nc -zU "$S"
	assert_success
	ux_alive "$L"
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
	ux_start "$out" "$err" "$UX_FIFO" $flags "$path"
	local L=$UX_PID
	ux_wait_match "$err" "$ready" 5 "$L"
	for second in -lU -luU "-l --seqpacket"; do
		# shellcheck disable=SC2086
		run ux_nc $second "$path" </dev/null
		assert_failure 1
		assert_output "nc: Address already in use"
	done
	ux_alive "$L"
	run grep -c '^Connection received' "$err"
	assert_output 0
	[ -S "$path" ]
	# In the background: a datagram listener answers its client, which must still be there.
	echo "to the $kind listener" >"$BATS_TEST_TMPDIR/$kind.msg"
	ux_start /dev/null /dev/null "$BATS_TEST_TMPDIR/$kind.msg" "${client[@]}" -q 5 "$path"
	ux_wait_match "$out" "^to the $kind listener\$" 5
	run grep -c '^Connection received' "$err"
	assert_output 1
}

@test "listener: a live one-shot listener is refused without a connection to it, then serves" {
	ux_hold_stdin
	one_shot_survives stream "$UX_DIR/stream.sock"
	one_shot_survives seqpacket "$UX_DIR/seqpacket.sock"
	one_shot_survives dgram "$UX_DIR/dgram.sock"
}

@test "listener: a socket file whose listener is gone is replaced, also after it served a client" {
	ux_hold_stdin
	S=$UX_DIR/gone.sock
	# A one-shot listener that served its client and exited leaves its file behind.
	ux_start "$BATS_TEST_TMPDIR/1.out" "$BATS_TEST_TMPDIR/1.err" /dev/null -lvU "$S"
	ux_wait_match "$BATS_TEST_TMPDIR/1.err" '^Listening on ' 5 "$UX_PID"
	ux_nc -NU "$S" <<<"first"
	ux_wait_exit "$UX_PID" 5
	[ -S "$S" ]
	ux_start "$BATS_TEST_TMPDIR/2.out" "$BATS_TEST_TMPDIR/2.err" "$UX_FIFO" -lvU "$S"
	ux_wait_match "$BATS_TEST_TMPDIR/2.err" '^Listening on ' 5 "$UX_PID"
	ux_nc -U -q 0 "$S" <<<"second"
	ux_wait_match "$BATS_TEST_TMPDIR/2.out" '^second$' 5
}

@test "datagram client -s refuses a path that is not a socket" {
	echo keep >"$UX_DIR/file"
	run ux_nc -uU -s "$UX_DIR/file" "$UX_DIR/x.sock" </dev/null
	assert_failure 1
	assert_output "nc: $UX_DIR/file: exists and is not a socket; not replacing it"
	[ "$(cat "$UX_DIR/file")" = keep ]
}

# --- errors -----------------------------------------------------------------

@test "errors: path too long, empty path, port, -x, -F, --seqpacket with -u" {
	long=$UX_DIR/$(printf 'a%.0s' {1..110})
	for args in "-zU" "-lU" "-luU" "-z --seqpacket"; do
		# shellcheck disable=SC2086
		run ux_nc $args "$long"
		assert_failure 1
		assert_output "nc: $long: File name too long"
		# shellcheck disable=SC2086
		run ux_nc $args ""
		assert_failure 1
		assert_output "nc: : Invalid argument"
	done
	[ ! -e "$long" ]
	run ux_nc -zvU "$UX_DIR/s.sock" 80
	assert_failure 1
	assert_output "nc: cannot use port with -U"
	run ux_nc -U -x 127.0.0.1:1080 "$UX_DIR/s.sock"
	assert_failure 1
	assert_output "nc: no proxy support for unix sockets"
	run ux_nc -U -F "$UX_DIR/s.sock"
	assert_failure 1
	assert_output "nc: cannot use -F and -U"
	run ux_nc -u --seqpacket "$UX_DIR/s.sock"
	assert_failure 1
	assert_output "nc: cannot use --seqpacket with -u"
	run ux_nc -lU
	assert_failure 1
	assert_output "nc: missing socket pathname"
	TMPDIR=$UX_DIR/nonexistent run ux_nc -uU "$UX_DIR/s.sock"
	assert_failure 1
	assert_output --regexp "^nc: $UX_DIR/nonexistent/nc-X{6}: No such file or directory\$"
}

@test "differential: -U errors match nc.openbsd (stderr and exit code)" {
	[ -x /bin/nc.openbsd ] || skip "no nc.openbsd"
	mkdir -p "$BATS_TEST_TMPDIR/ref"
	ln -sfn /bin/nc.openbsd "$BATS_TEST_TMPDIR/ref/nc"
	ux_py -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$UX_DIR/stale.sock"
	long=$UX_DIR/$(printf 'b%.0s' {1..110})
	cases=(
		"-zvU $UX_DIR/nosuch.sock"
		"-zvU $UX_DIR/stale.sock"
		"-zvU @nc-bats-diff-none-$$"
		"-zvU $long"
		"-zvU $UX_DIR/s.sock 80"
		"-zvU"
		"-lU"
		"-U -x 127.0.0.1:1080 $UX_DIR/s.sock"
		"-U -F $UX_DIR/s.sock"
		"-U -s $UX_DIR/me.sock $UX_DIR/s.sock"
		"-uU -p 1 $UX_DIR/s.sock"
	)
	for c in "${cases[@]}"; do
		# shellcheck disable=SC2086
		ours=$(ux_nc $c 2>&1 </dev/null; echo "rc=$?")
		# shellcheck disable=SC2086
		theirs=$(PATH=$BATS_TEST_TMPDIR/ref:$PATH timeout -k 1 10 nc $c 2>&1 </dev/null; echo "rc=$?")
		if [ "$ours" != "$theirs" ]; then
			echo "case: nc $c"
			echo "ours:   $ours"
			echo "theirs: $theirs"
			false
		fi
	done
	run ux_nc -zvU ""
	ours=$output
	run env PATH="$BATS_TEST_TMPDIR/ref:$PATH" nc -zvU ""
	[ "$ours" = "$output" ]
}
