# shellcheck shell=bash
# Helpers the bash bench scripts share (source it; it runs nothing).
#
#   statistics   median, range, ratios: numbers one per line, one per round
#   namespace    bench_ns_up, bnx, bench_listen, bench_ns_down: a private
#                network namespace with a drop rule, and listeners in it
#   timer.py     bench_timer_py: runs commands in turn, exact CPU time
#   bulk         bench_bulk_data, bench_bulk_one: one loopback transfer
#
# Every process a helper starts is recorded in BENCH_PIDS; bench_stop_all
# ends them (by id) and bench_ns_down the namespace. BENCH_TMP is the
# caller's temporary directory, BENCH_SIZE the transfer size in MiB.
BENCH_PIDS=()
BENCH_NS=
BENCH_TMP=
BENCH_SIZE=1024
BENCH_PORT=

# The median of the numbers on stdin ("-" when there are none).
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "-") }'; }
range() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { print lo "-" hi }'; }
# ratios A B: A over B, line by line (one line per round), so that a change
# of the machine's load during the run cancels out within each round.
ratios() {
	paste <(printf '%s' "$1") <(printf '%s' "$2") |
		awk '{ printf "%.3g\n", ($2 > 0 ? $1 / $2 : 0) }'
}
bench_load() { cut -d' ' -f1-3 /proc/loadavg; }
bench_header() {
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, kernel $(uname -r), load $(bench_load)"
}

# bench_ns_up NAME: a network namespace with lo up, and nftables dropping
# SYNs to 127.0.0.2 ports 30000-30999 (a firewall that drops). Root only.
bench_ns_up() {
	BENCH_NS=$1
	ip netns add "$BENCH_NS" || return 1
	ip -n "$BENCH_NS" link set lo up || return 1
	ip netns exec "$BENCH_NS" nft -f - <<-NFT
		table inet ncbench {
			chain input {
				type filter hook input priority 0;
				ip daddr 127.0.0.2 tcp dport 30000-30999 drop
			}
		}
	NFT
}
# bnx CMD...: CMD in the namespace once there is one, else right here.
bnx() {
	if [[ -n $BENCH_NS ]]; then ip netns exec "$BENCH_NS" "$@"; else "$@"; fi
}
bench_ns_down() {
	local p
	[[ -n $BENCH_NS ]] || return 0
	# Whatever runs in our namespace is ours to end.
	for p in $(ip netns pids "$BENCH_NS" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
	ip netns del "$BENCH_NS" 2>/dev/null || true
	BENCH_NS=
}

# bench_listen PORT: a listener on 127.0.0.1:PORT (0: the kernel picks one)
# that accepts and closes, in the namespace if there is one. Sets BENCH_PORT
# once it listens (5 s at most; fails otherwise). Not in $(...): the caller
# must see BENCH_PIDS grow.
bench_listen() {
	local f i port pid
	f=$(mktemp "$BENCH_TMP/listen.XXXXXX")
	bnx python3 -c '
import os, socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(4096)
with open(sys.argv[2] + ".new", "w") as f:
    f.write("%d %d\n" % (s.getsockname()[1], os.getpid()))
os.rename(sys.argv[2] + ".new", sys.argv[2])
while True:
    c, _ = s.accept()
    c.close()
' "$1" "$f.ready" </dev/null >/dev/null 2>&1 &
	# $! is a subshell's when bnx is a function: python names its own pid.
	BENCH_PIDS+=("$!")
	for ((i = 0; i < 500; i++)); do
		if [[ -s $f.ready ]]; then
			read -r port pid <"$f.ready"
			BENCH_PIDS+=("$pid")
			BENCH_PORT=$port
			return 0
		fi
		sleep 0.01
	done
	echo "bench: a listener on port $1 did not start" >&2
	return 1
}

# bench_stop PID: a process we started, and its children (a server under
# /usr/bin/time is time's child).
bench_stop() {
	pkill -P "$1" 2>/dev/null || true
	kill "$1" 2>/dev/null || true
}
bench_stop_all() {
	local p
	for p in "${BENCH_PIDS[@]}"; do bench_stop "$p"; done
	BENCH_PIDS=()
}

# bench_timer_py FILE: writes timer.py, which runs each of its commands
# (strings, split as a shell would) N times in turn, A B C A B C ..., with
# stdio on /dev/null, each one killed after TIMEOUT seconds:
#   python3 FILE N TIMEOUT CMD...
# For each command it prints "WALL_MS CPU_MS STATUS": the median wall time
# of a run (start to reaped; the median, so a run that waited for a busy CPU
# does not count), the mean CPU time (user + system, from wait4, exact), and
# the exit status of the last run ("timeout" if any run was killed). Run it
# inside the namespace, so that entering it is not timed.
bench_timer_py() {
	cat >"$1" <<-'PY'
		import os, shlex, signal, statistics, sys, time
		n, limit = int(sys.argv[1]), float(sys.argv[2])
		cmds = [shlex.split(c) for c in sys.argv[3:]]
		wall = [[] for _ in cmds]
		cpu = [0.0] * len(cmds)
		status = ["-"] * len(cmds)
		null = os.open(os.devnull, os.O_RDWR)
		pidfd = -1
		def expire(*_):
		    # A pidfd never names a reused pid.
		    if pidfd >= 0:
		        signal.pidfd_send_signal(pidfd, signal.SIGKILL)
		signal.signal(signal.SIGALRM, expire)
		for _ in range(n):
		    for i, argv in enumerate(cmds):
		        t0 = time.perf_counter()
		        child = os.posix_spawn(argv[0], argv, os.environ,
		                               file_actions=[(os.POSIX_SPAWN_DUP2, null, 0),
		                                             (os.POSIX_SPAWN_DUP2, null, 1),
		                                             (os.POSIX_SPAWN_DUP2, null, 2)])
		        pidfd = os.pidfd_open(child)
		        signal.setitimer(signal.ITIMER_REAL, limit)
		        _, st, ru = os.wait4(child, 0)
		        signal.setitimer(signal.ITIMER_REAL, 0)
		        os.close(pidfd)
		        pidfd = -1
		        wall[i].append(time.perf_counter() - t0)
		        cpu[i] += ru.ru_utime + ru.ru_stime
		        if status[i] != "timeout":
		            killed = os.WIFSIGNALED(st) and os.WTERMSIG(st) == signal.SIGKILL
		            status[i] = "timeout" if killed else str(os.waitstatus_to_exitcode(st))
		print(" ".join("%.3f %.3f %s" % (statistics.median(wall[i]) * 1e3, cpu[i] / n * 1e3,
		                                 status[i]) for i in range(len(cmds))))
	PY
}

# bench_bulk_data: BENCH_SIZE MiB of random bytes in $BENCH_TMP/data, in the
# page cache, so that a transfer measures the network path.
bench_bulk_data() {
	head -c $((BENCH_SIZE * 1024 * 1024)) /dev/urandom >"$BENCH_TMP/data"
	cat "$BENCH_TMP/data" >/dev/null
}

bench_free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# bench_ready tcp PORT | unix PATH: polls (5 s at most) until a server
# listens, by the kernel's socket table (a Unix socket's file exists between
# bind and listen, when a connect is still refused).
bench_ready() {
	local i
	for ((i = 0; i < 500; i++)); do
		if [[ $1 == tcp ]]; then
			ss -Hltn "sport = :$2" 2>/dev/null | grep -q . && return 0
		else
			ss -Hlx 2>/dev/null | awk -v p="$2" '$5 == p { f = 1 } END { exit !f }' && return 0
		fi
		sleep 0.01
	done
	return 1
}

# bench_children_cpu FILE: CPU seconds (user + system) of the children this
# shell had reaped when bash's times (getrusage, to the millisecond) wrote
# FILE. Not times in $(...): a subshell has reaped nothing.
bench_children_cpu() {
	awk 'NR == 2 { gsub(/s/, ""); split($1, u, "m"); split($2, s, "m")
		printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$1"
}

# bench_bulk_one TRANSPORT SRV CLI [TIMEOUT]: one transfer; prints
# "MiB/s cpu_seconds" (CPU: user + system of both ends), or "fail fail" when
# the server did not start or an end ran out of time. SRV and CLI are bash
# commands where @P@ stands for the port or socket path. Each end is killed
# after TIMEOUT seconds (default 120). Not in $(...) or <(...): the caller
# must see BENCH_PIDS, to end the server if it is interrupted, and the CPU
# time is that of this shell's children.
bench_bulk_one() {
	local tr=$1 srv=$2 cli=$3 limit=${4:-120} where t0 t1 spid st=0 ok=1
	local tmp=$BENCH_TMP
	if [[ $tr == tcp ]]; then where=$(bench_free_port); else where=$tmp/s.sock; rm -f "$where"; fi
	srv=${srv//@P@/$where}
	cli=${cli//@P@/$where}
	timeout -s KILL "$limit" bash -c "exec $srv" </dev/null >/dev/null 2>"$tmp/srv.err" &
	spid=$!
	BENCH_PIDS+=("$spid")
	if ! bench_ready "$tr" "$where"; then
		bench_stop "$spid"
		wait "$spid" 2>/dev/null || true
		unset 'BENCH_PIDS[-1]'
		echo "fail fail"
		return
	fi
	# From here to the end, the only children reaped are the two ends
	# (the server's CPU counts when it is reaped, however early it began).
	times >"$tmp/cpu0"
	t0=${EPOCHREALTIME/./}
	timeout -s KILL "$limit" bash -c "exec $cli" >"$tmp/cli.out" 2>"$tmp/cli.err" || st=$?
	if [[ $st == 137 ]]; then ok=0; fi # timeout's status for KILL
	st=0
	wait "$spid" || st=$?
	if [[ $st == 137 ]]; then ok=0; fi
	t1=${EPOCHREALTIME/./}
	times >"$tmp/cpu1"
	unset 'BENCH_PIDS[-1]' # reaped: its pid may be reused
	if ((!ok)); then
		echo "fail fail"
		return
	fi
	local cpu rate
	cpu=$(awk -v a="$(bench_children_cpu "$tmp/cpu0")" -v b="$(bench_children_cpu "$tmp/cpu1")" \
		'BEGIN { printf "%.3f", b - a }')
	if [[ $srv == iperf3* ]]; then
		# iperf3 reports its own memory-to-memory rate (receiver side).
		rate=$(python3 -c 'import json,sys; print("%.1f" % (json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/8/1048576))' <"$tmp/cli.out")
	else
		rate=$(awk -v s="$BENCH_SIZE" -v us=$((t1 - t0)) 'BEGIN { printf "%.1f", s / (us / 1e6) }')
	fi
	echo "$rate $cpu"
}
