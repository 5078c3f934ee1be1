# The one helper library of the nc integration tests, for every transport.
# Every .bats file starts with
#
#     load helpers
#
# and loads nothing else.  The binary under test is $NC (default: build/nc
# next to this directory); netcat-openbsd, the reference, is $NC_REF
# (default /bin/nc.openbsd).  Tests never run either by path: `nc` and
# `ref_nc` run them through a symlink named "nc" in a per-test directory,
# so that the program-name prefix of their messages is "nc:" whatever the
# real file name is (nc.openbsd prints argv[0]).
#
# The default setup/teardown are common_setup/common_teardown; a file that
# needs more defines its own setup() and calls common_setup first (its own
# teardown(), if any, calls common_teardown).  The helpers that start
# processes or set variables must be called directly in the test body, not
# through `run`.
#
# Running nc (bounded: killed after $NC_RUN_LIMIT seconds, default 10, so a
# hang fails instead of blocking; inside the test's namespace if it made
# one, see new_netns):
#   nc ARGS...                 the nc under test, in the foreground.
#   ref_nc ARGS...             netcat-openbsd the same way (after need_ref).
#   nc_from DIR ARGS...        the "nc" found in DIR.
#
# Background processes: each is recorded, killed by PID in teardown (never
# by name), stops by itself after $NC_BG_LIMIT seconds (default 30), runs
# in the test's namespace if any, with stdin, stdout and stderr as given
# and without the test shell's held FIFO (hold_stdin) or bats' fd 3.
#   spawn [-d SECS] [-t SECS] OUT ERR IN CMD ARGS...
#                              the one starter: CMD (found with the nc under
#                              test first on PATH) after a delay of SECS
#                              (-d: the late start IS the scenario), at most
#                              -t SECS (0: no limit).  ERR "-": with OUT;
#                              OUT or ERR "&-": closed.  Sets BG_PID (the
#                              PID to signal and wait for).
#   bg_nc OUT ERR IN ARGS...   spawn OUT ERR IN nc ARGS...
#   start_nc IN ARGS...        bg_nc to fresh files; sets NC_PID, NC_OUT,
#                              NC_ERR.
#   start_listener ARGS...     nc -lv ARGS... 0 in the background; waits for
#                              "Listening on ADDR PORT" on its stderr; sets
#                              LPID, LPORT, LADDR, LOUT, LERR.  Its stdin is
#                              $LISTEN_STDIN (default /dev/null).
#   start_listener_raw ARGS... the same with ARGS as given (no -lv, no 0).
#   start_listener_raw --sh NAME CMD
#                              the same for the shell command CMD (bash -c),
#                              whose stdout and stderr are
#                              $BATS_TEST_TMPDIR/NAME.out and NAME.err.
#
# The python peer (peer.py: its docstring lists the modes, for TCP, UDP
# and Unix sockets):
#   start_peer MODE ARGS...    a peer server in the background; waits until
#                              it can be reached; sets PEER_PID, PEER_PORT
#                              (for --unix: the path), PEER_PORTS (all the
#                              ports of mode accept), PEER_DATA (what a sink
#                              received), PEER_EOF (created when a sink saw
#                              EOF), PEER_LOG (ACCEPT lines; for datagram
#                              peers "SOURCE HEX" per datagram, SOURCE the
#                              port, or the path for --unix).
#   peer MODE ARGS...          a one-shot peer in the foreground (closed,
#                              client, send), bounded.
#   closed_port [-u] [ADDR]    prints a TCP (-u: UDP) port on ADDR (default
#                              127.0.0.1) that nobody uses.
#   stale_socket PATH          leaves a Unix socket file nobody listens on.
#   py_client ADDR PORT        connects, sends stdin, shuts down its write
#                              side, prints what it receives; its source
#                              port goes to $BATS_TEST_TMPDIR/client.port.
#   py ARGS...                 python3 ARGS..., bounded like nc.
#
# Bounded polling waits (they never sleep blindly; SECS may be fractional):
#   wait_for_exit PID SECS     until PID has exited (then reaps it, sets
#                              EXIT_RC, returns 0) or SECS pass (returns 1;
#                              the process keeps running).
#   still_running PID SECS     PID has not exited after SECS.
#   wait_for_match [-n COUNT] FILE ERE SECS [PID]
#                              until a line (COUNT lines) of FILE matches
#                              ERE (returns 0), or SECS pass, or PID exits
#                              without the line.
#   wait_until SECS CMD ARGS...
#                              until CMD succeeds.
#   wait_for_file PATH SECS    until PATH exists.
#   wait_for_listen PORT|PATH SECS
#                              until a TCP socket listens on PORT (any
#                              address), or a Unix socket on PATH or @name:
#                              for a listener that prints nothing.
#   proc_alive PID             PID exists and is not a zombie.
#   now_ms / elapsed_ms T0     wall clock in milliseconds.
#
# Namespaces (root only; the test is skipped otherwise), the reference, and
# the rest:
#   new_netns [--nft]          a private network namespace $NS with lo up and
#                              an /etc/hosts mapping localhost to 127.0.0.1
#                              and ::1; from then on nc, ref_nc, spawn, the
#                              peers and py run inside it.  --nft: skip
#                              unless nftables is installed.
#   ns_rules RULES...          nftables input rules inside $NS.
#   need_ref                   skips the test without netcat-openbsd; links
#                              it as $REF_BIN_DIR/nc for ref_nc.
#   same ARGS... / both ARGS... / all_same
#                              differential runs: both runs ARGS under ours
#                              and the reference (stdin $CAPTURE_STDIN,
#                              default /dev/null; stderr through $NORMALIZE,
#                              default cat) and sets OURS_OUT, OURS_ERR,
#                              OURS_RC, REF_OUT, REF_ERR, REF_RC; same also
#                              records any difference; all_same fails
#                              listing every difference recorded (teardown
#                              does too, for a test that forgot all_same).
#   hold_stdin [FD]            a FIFO $STDIN_FIFO whose write end the test
#                              shell keeps open on FD (default 8): a process
#                              reading it sees no EOF until `exec 8>&-`.
#   $SOCK_DIR                  a short per-test directory for Unix sockets
#                              (sun_path holds 108 bytes).
#   $NC_TMPDIR                 the per-test $TMPDIR (nc's temporary files
#                              land there, to be counted).
#   sha256_of FILE, reverse_name ADDR, localhost_has_v4, localhost_has_v6,
#   make_nc_link DIR TARGET, $USAGE_BLOCK.

load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

bats_require_minimum_version 1.5.0

export LC_ALL=C
unset LANG LANGUAGE

: "${NC:=$BATS_TEST_DIRNAME/../build/nc}"
if [[ $NC != /* ]]; then
	NC=$PWD/$NC
fi
: "${NC_REF:=/bin/nc.openbsd}"
NC_RUN_LIMIT=${NC_RUN_LIMIT:-10}
NC_BG_LIMIT=${NC_BG_LIMIT:-30}
PEER_PY=$BATS_TEST_DIRNAME/peer.py

# The usage block printed on every usage error.
USAGE_BLOCK="usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]
	  [-m minttl] [-O length] [-P proxy_username] [-p source_port]
	  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]
	  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]
	  [destination] [port]"

# make_nc_link DIR TARGET: DIR/nc -> TARGET (absolute), checked.
make_nc_link() {
	local dir=$1 target=$2
	if [[ ! -x $target ]]; then
		echo "nc under test not found or not executable: $target" >&2
		return 1
	fi
	mkdir -p "$dir"
	ln -sfn "$target" "$dir/nc"
}

common_setup() {
	BG_PIDS=()
	HELD_FDS=()
	NS=
	IN_NS=()
	PEER_SEQ=0
	LISTENER_SEQ=0
	NC_SEQ=0
	CMP_SEQ=0
	COMPARED=0
	MISMATCHES=""
	CAPTURE_STDIN=/dev/null
	NORMALIZE=cat
	NC_BIN_DIR=$BATS_TEST_TMPDIR/ours
	REF_BIN_DIR=$BATS_TEST_TMPDIR/ref
	make_nc_link "$NC_BIN_DIR" "$NC" || return 1
	# Short, so socket paths stay well inside sun_path.
	SOCK_DIR=$(mktemp -d /tmp/ncbats.XXXXXX) || return 1
	NC_TMPDIR=$BATS_TEST_TMPDIR/tmpdir
	mkdir -p "$NC_TMPDIR"
	export TMPDIR=$NC_TMPDIR
}

common_teardown() {
	local fd pid
	for fd in "${HELD_FDS[@]}"; do
		exec {fd}>&-
	done
	HELD_FDS=()
	for pid in "${BG_PIDS[@]}"; do
		if proc_alive "$pid"; then
			kill -TERM "$pid" 2>/dev/null || true
		fi
	done
	for pid in "${BG_PIDS[@]}"; do
		if ! wait_for_exit "$pid" 3; then
			kill -KILL "$pid" 2>/dev/null || true
			wait_for_exit "$pid" 2 || true
		fi
	done
	BG_PIDS=()
	if [[ -n $NS ]]; then
		ip netns del "$NS" 2>/dev/null || true
		rm -rf "/etc/netns/$NS"
	fi
	[[ -z ${SOCK_DIR:-} ]] || rm -rf "$SOCK_DIR"
	# A difference `same` recorded fails the test even without all_same.
	if [[ -n ${MISMATCHES:-} ]]; then
		fail "$MISMATCHES"
	fi
}

setup() {
	common_setup
}

teardown() {
	common_teardown
}

# ---- running nc ----

# nc_from DIR ARGS...: the "nc" in DIR, bounded, in the namespace if any.
nc_from() {
	local dir=$1
	shift
	(
		PATH=$dir:$PATH
		exec timeout --foreground -k 1 "$NC_RUN_LIMIT" "${IN_NS[@]}" nc "$@"
	)
}

# nc ARGS...: the binary under test, invoked by the name "nc".
nc() {
	nc_from "$NC_BIN_DIR" "$@"
}

# ref_nc ARGS...: netcat-openbsd, invoked by the name "nc".
ref_nc() {
	nc_from "$REF_BIN_DIR" "$@"
}

# need_ref: skip without netcat-openbsd.
need_ref() {
	[[ -x $NC_REF ]] || skip "netcat-openbsd ($NC_REF) is not installed"
	make_nc_link "$REF_BIN_DIR" "$NC_REF"
}

# ---- background processes ----

# spawn [-d SECS] [-t SECS] OUT ERR IN CMD ARGS...
spawn() {
	local delay="" limit=$NC_BG_LIMIT
	while [[ $1 == -[dt] ]]; do
		[[ $1 == -d ]] && delay=$2 || limit=$2
		shift 2
	done
	local out=$1 err=$2 in=$3 fd
	shift 3
	# Created here, before the fork, so no one can read stale content.
	[[ $out == '&-' ]] || : >"$out"
	[[ $err == - || $err == '&-' ]] || : >"$err"
	(
		# Not the FIFOs the test shell holds open (hold_stdin; tests that
		# open fd 7 or 8 themselves), nor bats' fd 3.
		exec 7>&- 8>&-
		for fd in "${HELD_FDS[@]}"; do
			exec {fd}>&-
		done
		# A FIFO without a writer blocks here, in the child.
		exec <"$in"
		if [[ $out == '&-' ]]; then
			exec >&-
		else
			exec >"$out"
		fi
		case $err in
		-) exec 2>&1 ;;
		'&-') exec 2>&- ;;
		*) exec 2>"$err" ;;
		esac
		[[ -z $delay ]] || sleep "$delay"
		PATH=$NC_BIN_DIR:$PATH
		# Not --foreground: timeout's own process group, so a signal to
		# BG_PID reaches a whole pipeline (bash -c "nc ... | cat").
		exec timeout -k 1 "$limit" "${IN_NS[@]}" "$@"
	) 3>&- &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
}

# bg_nc OUT ERR IN ARGS...: nc ARGS... in the background; sets BG_PID.
bg_nc() {
	local out=$1 err=$2 in=$3
	shift 3
	spawn "$out" "$err" "$in" nc "$@"
}

# start_nc IN ARGS...: nc ARGS... in the background, stdin from IN.
start_nc() {
	local in=$1 n=$((NC_SEQ++))
	shift
	NC_OUT=$BATS_TEST_TMPDIR/nc$n.$BASHPID.out
	NC_ERR=$BATS_TEST_TMPDIR/nc$n.$BASHPID.err
	bg_nc "$NC_OUT" "$NC_ERR" "$in" "$@"
	NC_PID=$BG_PID
}

# start_listener ARGS...: nc -lv ARGS... 0 (the kernel chooses the port).
start_listener() {
	start_listener_raw -lv "$@" 0
}

# start_listener_raw ARGS... | --sh NAME CMD: must print "Listening on".
start_listener_raw() {
	local n=$((LISTENER_SEQ++)) what
	if [[ $1 == --sh ]]; then
		LOUT=$BATS_TEST_TMPDIR/$2.out
		LERR=$BATS_TEST_TMPDIR/$2.err
		what=$3
		spawn "$LOUT" "$LERR" "${LISTEN_STDIN:-/dev/null}" bash -c "$3"
	else
		LOUT=$BATS_TEST_TMPDIR/listener$n.$BASHPID.out
		LERR=$BATS_TEST_TMPDIR/listener$n.$BASHPID.err
		what="nc $*"
		bg_nc "$LOUT" "$LERR" "${LISTEN_STDIN:-/dev/null}" "$@"
	fi
	LPID=$BG_PID
	if ! wait_for_match "$LERR" '^Listening on .* [0-9]+$' 10 "$LPID"; then
		echo "listener ($what) did not report its port; stderr:" >&2
		cat "$LERR" >&2
		return 1
	fi
	local line
	line=$(grep -E -m1 '^Listening on .* [0-9]+$' "$LERR")
	LPORT=${line##* }
	line=${line#Listening on }
	LADDR=${line% *}
	[[ $LPORT =~ ^[0-9]+$ ]] && ((LPORT > 0))
}

# ---- the python peer ----

# py ARGS...: python3, bounded, in the namespace if any.
py() {
	timeout -k 1 "$NC_RUN_LIMIT" "${IN_NS[@]}" python3 "$@" 3>&-
}

# peer MODE ARGS...: a one-shot peer.py mode in the foreground.
peer() {
	py "$PEER_PY" "$@"
}

# start_peer MODE ARGS...: see peer.py.
start_peer() {
	local mode=$1 n=$((PEER_SEQ++))
	shift
	local base=$BATS_TEST_TMPDIR/peer$n.$BASHPID
	PEER_DATA=$base.data
	PEER_EOF=$base.data.eof
	PEER_LOG=$base.log
	: >"$PEER_LOG"
	# No limit of spawn's: the peer has its own (--limit).
	spawn -t 0 "$base.port" "$base.err" /dev/null \
		python3 "$PEER_PY" "$mode" --out "$PEER_DATA" --log "$PEER_LOG" "$@"
	PEER_PID=$BG_PID
	if ! wait_for_match "$base.port" '^PORT ' 10 "$PEER_PID"; then
		echo "peer $mode $* did not start:" >&2
		cat "$base.err" >&2
		return 1
	fi
	local line
	line=$(sed -n 's/^PORT //p' "$base.port")
	read -ra PEER_PORTS <<<"$line"
	PEER_PORT=${PEER_PORTS[0]}
}

# closed_port [-u] [ADDR]
closed_port() {
	local udp=()
	if [[ ${1:-} == -u ]]; then
		udp=(--udp)
		shift
	fi
	peer closed "${udp[@]}" --addr "${1:-127.0.0.1}" --limit 5
}

# stale_socket PATH
stale_socket() {
	peer closed --unix "$1" --limit 5
}

# py_client ADDR PORT: stdin -> server, server -> stdout.
py_client() {
	peer client --addr "$1" --port "$2" --limit 10 2>"$BATS_TEST_TMPDIR/client.err"
	local rc=$?
	sed -n 's/^SRCPORT //p' "$BATS_TEST_TMPDIR/client.err" >"$BATS_TEST_TMPDIR/client.port"
	return $rc
}

# ---- bounded waits ----

# proc_alive PID: true while PID exists and is not a zombie.
proc_alive() {
	local stat
	[[ -r /proc/$1/stat ]] || return 1
	read -r stat <"/proc/$1/stat" 2>/dev/null || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

elapsed_ms() {
	echo $(($(now_ms) - $1))
}

# deadline_ms SECS: now + SECS (which may be fractional) in milliseconds.
deadline_ms() {
	local secs=$1 ms
	ms=$((${secs%.*} * 1000))
	if [[ $secs == *.* ]]; then
		local frac=${secs#*.}000
		ms=$((ms + 10#${frac:0:3}))
	fi
	echo $(($(now_ms) + ms))
}

# wait_for_exit PID SECS
wait_for_exit() {
	local pid=$1 end
	end=$(deadline_ms "$2")
	while proc_alive "$pid"; do
		if (($(now_ms) >= end)); then
			return 1
		fi
		sleep 0.02
	done
	EXIT_RC=0
	wait "$pid" 2>/dev/null || EXIT_RC=$?
	return 0
}

# still_running PID SECS: PID has not exited within SECS seconds.
still_running() {
	! wait_for_exit "$1" "$2"
}

# file_matches FILE ERE COUNT: at least COUNT lines of FILE match ERE.
file_matches() {
	[[ -f $1 ]] || return 1
	if (($3 == 1)); then
		grep -Eq -- "$2" "$1"
	else
		(($(grep -Ec -- "$2" "$1") >= $3))
	fi
}

# wait_for_match [-n COUNT] FILE ERE SECS [PID]
wait_for_match() {
	local count=1
	if [[ $1 == -n ]]; then
		count=$2
		shift 2
	fi
	local file=$1 re=$2 pid=${4:-} end
	end=$(deadline_ms "$3")
	until file_matches "$file" "$re" "$count"; do
		if [[ -n $pid ]] && ! proc_alive "$pid"; then
			# One last look: the line may have been written just before exit.
			file_matches "$file" "$re" "$count"
			return
		fi
		if (($(now_ms) >= end)); then
			return 1
		fi
		sleep 0.02
	done
}

# wait_until SECS CMD ARGS...: until CMD succeeds (returns 0) or SECS pass.
wait_until() {
	local end
	end=$(deadline_ms "$1")
	shift
	until "$@"; do
		if (($(now_ms) >= end)); then
			return 1
		fi
		sleep 0.02
	done
}

# wait_for_file PATH SECS: PATH exists.
wait_for_file() {
	wait_until "$2" test -e "$1"
}

# listening PORT|PATH: a TCP socket listens on PORT, or a Unix socket on
# PATH (a socket file exists from bind on, but accepts only from listen on).
listening() {
	if [[ $1 == [/@]* ]]; then
		# Flags 00010000: __SO_ACCEPTCON, a listening socket.
		"${IN_NS[@]}" awk -v p="$1" '$4 == "00010000" && $NF == p { f = 1 } END { exit !f }' \
			/proc/net/unix 2>/dev/null
		return
	fi
	local hex
	printf -v hex '%04X' "$1"
	"${IN_NS[@]}" awk -v p=":$hex" 'substr($2, length($2) - 4) == p && $4 == "0A" { f = 1 } END { exit !f }' \
		/proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# wait_for_listen PORT|PATH SECS
wait_for_listen() {
	wait_until "$2" listening "$1"
}

# ---- namespaces ----

# new_netns [--nft]
new_netns() {
	[[ $(id -u) == 0 ]] || skip "needs root for a network namespace"
	command -v ip >/dev/null || skip "needs iproute2"
	if [[ ${1:-} == --nft ]]; then
		command -v nft >/dev/null || skip "needs nftables"
	fi
	NS=nc-bats-$$-$BATS_TEST_NUMBER
	# ip netns exec mounts /etc/netns/NAME/hosts over /etc/hosts.
	mkdir -p "/etc/netns/$NS"
	printf '127.0.0.1 localhost\n::1 localhost\n' >"/etc/netns/$NS/hosts"
	ip netns add "$NS" || skip "cannot make a network namespace"
	ip -n "$NS" link set lo up
	IN_NS=(ip netns exec "$NS")
}

# ns_rules RULES...: an nftables input chain in $NS with these rules.
ns_rules() {
	local rules
	rules=$(printf '\t\t%s\n' "$@")
	ip netns exec "$NS" nft -f - <<-EOF
	table inet filter {
		chain input {
			type filter hook input priority 0; policy accept;
	$rules
		}
	}
	EOF
}

# ---- differential runs against netcat-openbsd ----

# capture DIR TAG ARGS...: TAG.out, TAG.err (normalised), TAG.rc
capture() {
	local dir=$1 tag=$2 rc=0
	shift 2
	local base=$BATS_TEST_TMPDIR/$tag
	nc_from "$dir" "$@" <"$CAPTURE_STDIN" >"$base.out" 2>"$base.raw" || rc=$?
	$NORMALIZE <"$base.raw" >"$base.err"
	echo "$rc" >"$base.rc"
}

# both ARGS...: run ARGS under ours and the reference.
both() {
	local n=$((CMP_SEQ++))
	CMP_OURS=$BATS_TEST_TMPDIR/ours$n
	CMP_REF=$BATS_TEST_TMPDIR/ref$n
	capture "$NC_BIN_DIR" "ours$n" "$@"
	capture "$REF_BIN_DIR" "ref$n" "$@"
	OURS_OUT=$(<"$CMP_OURS.out")
	OURS_ERR=$(<"$CMP_OURS.err")
	OURS_RC=$(<"$CMP_OURS.rc")
	REF_OUT=$(<"$CMP_REF.out")
	REF_ERR=$(<"$CMP_REF.err")
	REF_RC=$(<"$CMP_REF.rc")
}

# same ARGS...: run ARGS under both; record any difference.
same() {
	both "$@"
	COMPARED=$((COMPARED + 1))
	local o=$CMP_OURS r=$CMP_REF what=""
	cmp -s "$o.rc" "$r.rc" || what+=" rc"
	cmp -s "$o.err" "$r.err" || what+=" stderr"
	cmp -s "$o.out" "$r.out" || what+=" stdout"
	if [[ -n $what ]]; then
		MISMATCHES+="
== nc $* : differs in$what
-- ours (rc $(cat "$o.rc")):
$(cat "$o.err")
-- netcat-openbsd (rc $(cat "$r.rc")):
$(cat "$r.err")
"
		if [[ $what == *stdout* ]]; then
			MISMATCHES+="-- stdout ours: $(head -c 200 "$o.out" | od -c | head -5)
-- stdout netcat-openbsd: $(head -c 200 "$r.out" | od -c | head -5)
"
		fi
	fi
}

# all_same: fail listing every difference found.
all_same() {
	local m=$MISMATCHES
	((COMPARED > 0)) || fail "nothing compared"
	# Reported once: teardown looks at MISMATCHES too.
	MISMATCHES=""
	[[ -z $m ]] || fail "$m"
}

# ---- the rest ----

# hold_stdin [FD]: $STDIN_FIFO never reaches EOF while FD (default 8) is open.
hold_stdin() {
	local fd=${1:-8}
	STDIN_FIFO=$BATS_TEST_TMPDIR/stdin.fifo
	rm -f "$STDIN_FIFO"
	mkfifo "$STDIN_FIFO"
	eval "exec $fd<>\"\$STDIN_FIFO\""
	HELD_FDS+=("$fd")
}

# sha256_of FILE
sha256_of() {
	sha256sum <"$1" | cut -d' ' -f1
}

# localhost_has_v6: localhost resolves to ::1 as well as to 127.0.0.1.
localhost_has_v6() {
	getent ahosts localhost 2>/dev/null | grep -q '^::1 '
}

# localhost_has_v4
localhost_has_v4() {
	getent ahosts localhost 2>/dev/null | grep -q '^127\.0\.0\.1 '
}

# reverse_name ADDR: the name getnameinfo gives ADDR here, or ADDR itself.
reverse_name() {
	local name
	name=$(getent hosts "$1" | awk 'NR == 1 { print $2 }')
	echo "${name:-$1}"
}

# ---- proxies ----

# Real proxies for the proxy tests, started by the test on 127.0.0.1 and
# killed by PID in teardown (spawn records them).
#
#   start_microsocks [USER PASS]   microsocks (SOCKS5; RFC 1929 with USER
#                                  and PASS); sets MS_PORT.
#   start_dante none|username      danted (SOCKS4 and SOCKS5; "username":
#                                  RFC 1929 against the system user
#                                  $PX_USER, see need_px_user); DANTE_PORT.
#   start_tinyproxy [USER PASS]    tinyproxy (HTTP CONNECT; BasicAuth with
#                                  USER and PASS); sets TP_PORT.
#   start_fake ARGS...             bats/fake_proxy.py ARGS...; FAKE_PORT,
#                                  FAKE_LOG (what the client sent, hex).
#   need_px_user                   skips unless root; creates the system
#                                  user $PX_USER (password $PX_PASS) for
#                                  dante, once per file (removed by
#                                  remove_px_user in teardown_file).
#   need TOOL...                   skips when a tool is not installed.
#
# The proxies that cannot be given port 0 get a port that was free a moment
# ago (closed_port); a start is retried on another port if it lost the race.

PX_USER=ncpxtest
PX_PASS=px-pass-7
FAKE_PY=$BATS_TEST_DIRNAME/fake_proxy.py

need() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || skip "$t is not installed"
	done
}

# start_on NAME CMD...: CMD with @PORT@ replaced by a free port, up to three
# tries; sets STARTED_PORT.
start_on() {
	local name=$1 try port pid
	shift
	for try in 1 2 3; do
		port=$(closed_port)
		local args=("${@//@PORT@/$port}")
		spawn "$BATS_TEST_TMPDIR/$name.out" "$BATS_TEST_TMPDIR/$name.err" /dev/null "${args[@]}"
		pid=$BG_PID
		if wait_for_listen "$port" 5 && proc_alive "$pid"; then
			STARTED_PORT=$port
			return 0
		fi
		kill -TERM "$pid" 2>/dev/null || true
		wait_for_exit "$pid" 2 || true
	done
	echo "$name did not start:" >&2
	cat "$BATS_TEST_TMPDIR/$name.err" >&2
	return 1
}

start_microsocks() {
	need microsocks
	local auth=()
	(($# == 2)) && auth=(-u "$1" -P "$2")
	start_on microsocks microsocks -i 127.0.0.1 -p @PORT@ "${auth[@]}" || return 1
	MS_PORT=$STARTED_PORT
}

need_px_user() {
	((EUID == 0)) || skip "dante's username method needs a system user: run as root"
	need useradd chpasswd
	if ! id "$PX_USER" >/dev/null 2>&1; then
		useradd -M -s /usr/sbin/nologin "$PX_USER" || skip "cannot create $PX_USER"
		echo "$PX_USER:$PX_PASS" | chpasswd
		: >"$BATS_FILE_TMPDIR/px_user.created"
	fi
}

remove_px_user() {
	if [[ -e $BATS_FILE_TMPDIR/px_user.created ]]; then
		userdel "$PX_USER" 2>/dev/null || true
	fi
}

start_dante() {
	need danted
	local method=$1 conf=$BATS_TEST_TMPDIR/danted.conf users=""
	[[ $method == username ]] && need_px_user
	# As root it must be told whom to run as; otherwise it runs as the caller.
	((EUID == 0)) && users=$'user.privileged: root\nuser.unprivileged: nobody'
	cat >"$conf" <<-EOF
		logoutput: $BATS_TEST_TMPDIR/danted.log
		internal: 127.0.0.1 port = __PORT__
		external: lo
		socksmethod: $method
		clientmethod: none
		$users
		client pass { from: 0/0 to: 0/0 }
		socks pass { from: 0/0 to: 0/0 socksmethod: $method }
	EOF
	start_on danted sh -c 'sed "s/__PORT__/$1/" "$2" >"$2.$1" && exec danted -N 1 -f "$2.$1" -p "$2.$1.pid"' \
		sh @PORT@ "$conf" || return 1
	DANTE_PORT=$STARTED_PORT
}

start_tinyproxy() {
	need tinyproxy
	local conf=$BATS_TEST_TMPDIR/tinyproxy.conf auth=""
	(($# == 2)) && auth="BasicAuth $1 $2"
	cat >"$conf" <<-EOF
		Port __PORT__
		Listen 127.0.0.1
		Timeout 10
		MaxClients 20
		Allow 127.0.0.1
		LogLevel Error
		$auth
	EOF
	start_on tinyproxy sh -c 'sed "s/__PORT__/$1/" "$2" >"$2.$1" && exec tinyproxy -d -c "$2.$1"' \
		sh @PORT@ "$conf" || return 1
	TP_PORT=$STARTED_PORT
}

start_fake() {
	local n=$((PEER_SEQ++))
	local base=$BATS_TEST_TMPDIR/fake$n
	FAKE_LOG=$base.log
	: >"$FAKE_LOG"
	spawn "$base.port" "$base.err" /dev/null python3 "$FAKE_PY" --log "$FAKE_LOG" "$@"
	if ! wait_for_match "$base.port" '^PORT [0-9]+$' 5 "$BG_PID"; then
		echo "fake proxy did not start:" >&2
		cat "$base.err" >&2
		return 1
	fi
	FAKE_PORT=$(sed -n 's/^PORT //p' "$base.port")
}
