# Real proxies for the proxy tests, started by the test on 127.0.0.1 and
# killed by PID in teardown (they join BG_PIDS).  Load after helpers.
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
		"${args[@]}" </dev/null >"$BATS_TEST_TMPDIR/$name.out" 2>"$BATS_TEST_TMPDIR/$name.err" \
			3>&- 8>&- &
		pid=$!
		BG_PIDS+=("$pid")
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
	python3 "$FAKE_PY" --log "$FAKE_LOG" "$@" </dev/null >"$base.port" 2>"$base.err" 3>&- 8>&- &
	BG_PIDS+=("$!")
	if ! wait_for_match "$base.port" '^PORT [0-9]+$' 5 "$!"; then
		echo "fake proxy did not start:" >&2
		cat "$base.err" >&2
		return 1
	fi
	FAKE_PORT=$(sed -n 's/^PORT //p' "$base.port")
}
