#!/usr/bin/env bats
# Readiness checks (issue 13): HOST:PORT targets with -z and --wait, several
# at once and in parallel, --send / --expect / --http against real services
# started here (Python's http.server, a small HTTP server whose /health
# answers 503 until a file appears, redis-server, a UDP echo, a banner
# service, listeners whose backlog is full), services that come up late,
# never, or answer wrongly; the bad-input lines; -v and --json output.
#
# Servers are started by these tests on 127.0.0.0/8 with kernel-chosen
# ports, recorded by PID and killed by PID in teardown. A sleep before a
# server starts is the scenario (a service that comes up late), not a wait.

load helpers

READY_PIDS=()

teardown() {
	local pid
	for pid in "${READY_PIDS[@]}"; do
		kill -TERM "$pid" 2>/dev/null || true
	done
	for pid in "${READY_PIDS[@]}"; do
		wait_for_exit "$pid" 2 || { kill -KILL "$pid" 2>/dev/null || true; }
	done
	common_teardown
}

# The servers: python3 -c "$SERVER_PY" MODE PORTFILE [ARGS...]. Each binds
# its sockets (port 0, or the PORT=... given), then writes its ports,
# space-separated, to PORTFILE.
#   http ADDR FLAG DELAY N  N HTTP servers on ADDR: / 200, /moved 302,
#                           /health 503 until the file FLAG exists then 200,
#                           anything else 404; each answer DELAY s late.
#                           Every request head goes to PORTFILE.log.
#   uhttp PATH              one HTTP server on the Unix socket PATH.
#   banner ADDR TEXT        sends TEXT on accept and keeps the connection.
#   silent ADDR             accepts and never answers.
#   udpecho ADDR            answers each datagram with "echo:" + it.
#   connect ADDR            an HTTP CONNECT proxy: relays to what CONNECT
#                           names (502 when that fails); logs CONNECT lines.
#   full N                  N listeners on 127.0.0.2, 127.0.0.3, ... with a
#                           full backlog: SYNs go unanswered. Writes
#                           HOST:PORT operands.
SERVER_PY='
import os, socket, sys, threading, time
mode, out = sys.argv[1], sys.argv[2]
args = sys.argv[3:]
fixed = int(os.environ.get("PORT", "0"))
def publish(words):
    with open(out + ".tmp", "w") as f:
        f.write(" ".join(str(w) for w in words) + "\n")
    os.rename(out + ".tmp", out)
def listener(addr, port=0):
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(128)
    return s
def forever(fn, *a):
    threading.Thread(target=fn, args=a, daemon=True).start()
def http_conn(c, flag, delay):
    try:
        head = b""
        while b"\r\n\r\n" not in head:
            b = c.recv(4096)
            if not b:
                return
            head += b
        with open(out + ".log", "ab") as f:
            f.write(head)
        path = head.split(b" ")[1].decode()
        time.sleep(delay)
        if path == "/":
            st = "200 OK"
        elif path == "/moved":
            st = "302 Found"
        elif path == "/health":
            st = "200 OK" if os.path.exists(flag) else "503 Service Unavailable"
        else:
            st = "404 Not Found"
        c.sendall(("HTTP/1.1 %s\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok" % st).encode())
    except OSError:
        pass
    finally:
        c.close()
def accept_loop(s, handle, *a):
    while True:
        c, _ = s.accept()
        forever(handle, c, *a)
if mode == "http":
    addr, flag, delay, n = args[0], args[1], float(args[2]), int(args[3])
    socks = [listener(addr, fixed) for _ in range(n)]
    for s in socks:
        forever(accept_loop, s, http_conn, flag, delay)
    publish(s.getsockname()[1] for s in socks)
elif mode == "uhttp":
    s = socket.socket(socket.AF_UNIX)
    s.bind(args[0])
    s.listen(16)
    forever(accept_loop, s, http_conn, "/nonexistent", 0)
    publish([args[0]])
elif mode == "banner":
    s = listener(args[0], fixed)
    held = []
    def banner(c):
        held.append(c)
        c.sendall(args[1].encode())
    forever(accept_loop, s, banner)
    publish([s.getsockname()[1]])
elif mode == "silent":
    s = listener(args[0], fixed)
    held = []
    forever(accept_loop, s, held.append)
    publish([s.getsockname()[1]])
elif mode == "udpecho":
    s = socket.socket(socket.AF_INET6 if ":" in args[0] else socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((args[0], fixed))
    def echo():
        while True:
            d, a = s.recvfrom(65536)
            s.sendto(b"echo:" + d, a)
    forever(echo)
    publish([s.getsockname()[1]])
elif mode == "connect":
    s = listener(args[0], fixed)
    def pump(a, b):
        try:
            while True:
                d = a.recv(65536)
                if not d:
                    break
                b.sendall(d)
        except OSError:
            pass
        finally:
            try:
                b.shutdown(socket.SHUT_WR)
            except OSError:
                pass
    def proxy(c):
        head = b""
        while b"\r\n\r\n" not in head:
            d = c.recv(4096)
            if not d:
                c.close()
                return
            head += d
        with open(out + ".log", "ab") as f:
            f.write(head.split(b"\r\n")[0] + b"\n")
        host, port = head.split(b" ")[1].decode().rsplit(":", 1)
        try:
            u = socket.create_connection((host, int(port)), timeout=2)
        except OSError:
            c.sendall(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
            c.close()
            return
        c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        forever(pump, u, c)
        pump(c, u)
    forever(accept_loop, s, proxy)
    publish([s.getsockname()[1]])
elif mode == "full":
    keep, ops = [], []
    for i in range(int(args[0])):
        host = "127.0.0.%d" % (2 + i)
        s = socket.socket()
        s.bind((host, 0))
        s.listen(0)
        port = s.getsockname()[1]
        for _ in range(3):
            c = socket.socket()
            c.setblocking(False)
            try:
                c.connect((host, port))
            except BlockingIOError:
                pass
            keep.append(c)
        keep.append(s)
        ops.append("%s:%d" % (host, port))
    time.sleep(0.3)  # the backlog fills as the handshakes complete
    publish(ops)
time.sleep(120)
'

# start_server MODE ARGS...: sets PORTS (array) and SLOG (the request log).
start_server() {
	local mode=$1 file
	shift
	file=$BATS_TEST_TMPDIR/server.$RANDOM
	python3 -c "$SERVER_PY" "$mode" "$file" "$@" </dev/null >/dev/null 2>"$file.err" 3>&- 8>&- &
	READY_PIDS+=($!)
	wait_for_file "$file" 5 || {
		cat "$file.err" >&2
		return 1
	}
	read -r -a PORTS <"$file"
	SLOG=$file.log
}

# start_server_late DELAY PORT MODE ARGS...: the same server on PORT, DELAY s from now.
start_server_late() {
	local delay=$1 port=$2 mode=$3 file
	shift 3
	file=$BATS_TEST_TMPDIR/late.$RANDOM
	(
		sleep "$delay"
		PORT=$port exec python3 -c "$SERVER_PY" "$mode" "$file" "$@"
	) </dev/null >/dev/null 2>&1 3>&- 8>&- &
	READY_PIDS+=($!)
}

# A TCP or UDP port on 127.0.0.1 that nobody uses now.
closed_port() {
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' "${1:-tcp}"
}

# start_redis [DELAY]: redis-server on a free port (REDIS_PORT), DELAY s from
# now (default at once), or the test is skipped.
start_redis() {
	command -v redis-server >/dev/null || skip "needs redis-server"
	REDIS_PORT=$(closed_port)
	(
		sleep "${1:-0}"
		exec redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no \
			--dir "$BATS_TEST_TMPDIR"
	) </dev/null >"$BATS_TEST_TMPDIR/redis.log" 2>&1 3>&- 8>&- &
	READY_PIDS+=($!)
}

# Fields of each JSON object on stdin, one line per object.
json_fields() {
	python3 -c '
import json, sys
keys = sys.argv[1:]
for line in sys.stdin:
    o = json.loads(line)
    print(" ".join(str(o.get(k)) for k in keys))' "$@"
}

ROUND_RE='still down: .*; next try in [0-9.]+ s$'

# --- HOST:PORT targets ----------------------------------------------------------

@test "HOST:PORT targets: all up is exit 0 and quiet; -v says each came up" {
	start_server http 127.0.0.1 /nonexistent 0 2
	run --separate-stderr nc --wait 5 "127.0.0.1:${PORTS[0]}" "localhost:${PORTS[1]}"
	assert_success
	[[ -z $output && -z $stderr ]]
	run nc -z -v "127.0.0.1:${PORTS[0]}" "127.0.0.1:${PORTS[1]}"
	assert_success
	assert_line "Connection to 127.0.0.1 ${PORTS[0]} port [tcp/*] succeeded!"
	assert_line "Connection to 127.0.0.1 ${PORTS[1]} port [tcp/*] succeeded!"
	# A range is a target per port.
	run nc -z "127.0.0.1:${PORTS[0]}-${PORTS[0]}"
	assert_success
}

@test "HOST:PORT targets: one down is exit 1, with a line for it, even without -v" {
	start_server http 127.0.0.1 /nonexistent 0 1
	closed=$(closed_port)
	run nc -z "127.0.0.1:${PORTS[0]}" "127.0.0.1:$closed"
	assert_failure 1
	assert_output "nc: 127.0.0.1 port $closed (tcp) not up: Connection refused"
	run nc --wait 0.4 "127.0.0.1:$closed" "127.0.0.1:${PORTS[0]}"
	assert_failure 1
	assert_output "nc: 127.0.0.1 port $closed (tcp) not up after 0.4 s: Connection refused"
	# netcat's form keeps netcat's rule: one port open is success.
	run nc -z 127.0.0.1 "${PORTS[0]}" "$closed"
	assert_success
}

@test "HOST:PORT targets: [v6]:PORT, and operands that keep netcat's meaning" {
	start_server http 127.0.0.1 /nonexistent 0 1
	if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
		start_server http ::1 /nonexistent 0 1
		v6=${PORTS[0]}
		run nc -z -v "[::1]:$v6"
		assert_success
		assert_output "Connection to ::1 $v6 port [tcp/*] succeeded!"
	fi
	# Two or more colons without brackets: an IPv6 host, as netcat has it.
	run nc -z -v ::1 "$(closed_port)"
	assert_failure 1
	assert_output --regexp '^nc: connect to ::1 port [0-9]+ \(tcp\) failed: Connection refused$'
}

@test "--wait: targets that come up late, one line each when it does" {
	late1=$(closed_port)
	late2=$(closed_port)
	start_server_late 0.5 "$late1" http 127.0.0.1 /nonexistent 0 1
	start_server_late 1.0 "$late2" http 127.0.0.1 /nonexistent 0 1
	t0=$(now_ms)
	run nc -v --wait 8 "127.0.0.1:$late1" "127.0.0.1:$late2"
	t=$(elapsed_ms "$t0")
	assert_success
	((t >= 900 && t < 8000))
	assert_line "Connection to 127.0.0.1 $late1 port [tcp/*] succeeded!"
	assert_line --index -1 "Connection to 127.0.0.1 $late2 port [tcp/*] succeeded!"
	assert_line --index 0 --regexp "^nc: 127.0.0.1 port $late1 \\(tcp\\) still down: Connection refused; next try in 0.1 s$"
	# Every other line is a round line.
	[[ $(grep -Evc "succeeded!$|$ROUND_RE" <<<"$output") -eq 0 ]]
}

@test "--wait: a target that never comes up ends it at the deadline, in operand order" {
	c1=$(closed_port)
	c2=$(closed_port)
	t0=$(now_ms)
	run --separate-stderr nc --wait 1 "127.0.0.1:$c1" "127.0.0.1:$c2"
	t=$(elapsed_ms "$t0")
	assert_failure 1
	((t >= 900 && t < 6000))
	assert_equal "$stderr" "nc: 127.0.0.1 port $c1 (tcp) not up after 1 s: Connection refused
nc: 127.0.0.1 port $c2 (tcp) not up after 1 s: Connection refused"
}

# --- HTTP ---------------------------------------------------------------------

@test "--http against python3 -m http.server: 200 is up, 404 is not" {
	file=$BATS_TEST_TMPDIR/httpd.out
	(cd "$BATS_TEST_TMPDIR" && exec python3 -u -m http.server 0 --bind 127.0.0.1) \
		</dev/null >"$file" 2>&1 3>&- 8>&- &
	READY_PIDS+=($!)
	wait_for_match "$file" 'port [0-9]+' 5
	port=$(grep -oE 'port [0-9]+' "$file" | head -1 | cut -d' ' -f2)
	touch "$BATS_TEST_TMPDIR/ready.txt"
	run nc -v --wait 5 --http "127.0.0.1:$port"
	assert_success
	assert_output "Connection to 127.0.0.1 $port port [tcp/*] succeeded: HTTP 200 OK"
	run nc -z --http=/ready.txt 127.0.0.1 "$port"
	assert_success
	run nc -z --http=/missing "127.0.0.1:$port"
	assert_failure 1
	assert_output "nc: 127.0.0.1 port $port (tcp) not up: HTTP 404 File not found"
}

@test "--http: a 503 until a file appears; -v names each try's status" {
	flag=$BATS_TEST_TMPDIR/healthy
	start_server http 127.0.0.1 "$flag" 0 1
	port=${PORTS[0]}
	(sleep 0.7 && touch "$flag") &
	READY_PIDS+=($!)
	run nc -v --wait 8 --http=/health "127.0.0.1:$port"
	assert_success
	assert_line --index 0 "nc: 127.0.0.1 port $port (tcp) still down: HTTP 503 Service Unavailable; next try in 0.1 s"
	assert_line --index -1 "Connection to 127.0.0.1 $port port [tcp/*] succeeded: HTTP 200 OK"
	# The request: one GET per try, with Host and Connection: close.
	run grep -c '^GET /health HTTP/1.1' "$SLOG"
	(($(grep -c '^GET /health HTTP/1.1' "$SLOG") >= 2))
	grep -q "^Host: 127.0.0.1:$port"$'\r'"$" "$SLOG"
	grep -q "^Connection: close"$'\r'"$" "$SLOG"
	grep -q "^User-Agent: nc/" "$SLOG"
}

@test "--http: 3xx is up; --expect decides instead of the status" {
	start_server http 127.0.0.1 /nonexistent 0 1
	port=${PORTS[0]}
	run nc -z --http=/moved "127.0.0.1:$port"
	assert_success
	run nc -z --http=/health --expect '^HTTP/1\.1 503' "127.0.0.1:$port"
	assert_success
	run nc -z -w 1 --http=/ --expect '^HTTP/1\.1 503' "127.0.0.1:$port"
	assert_failure 1
	assert_output "nc: 127.0.0.1 port $port (tcp) not up: no match for '^HTTP/1\\.1 503' in 59 bytes"
}

@test "--http on a service that answers something else: not an HTTP response" {
	start_server banner 127.0.0.1 $'SSH-2.0-OpenSSH_9.6\r\n'
	run nc -z --http "127.0.0.1:${PORTS[0]}"
	assert_failure 1
	assert_output "nc: 127.0.0.1 port ${PORTS[0]} (tcp) not up: not an HTTP response"
	# The same banner is what --expect can ask for.
	run nc -z --expect '^SSH-2\.0-' "127.0.0.1:${PORTS[0]}"
	assert_success
}

@test "a check uses the connection the prober made: one connection per try" {
	start_server http 127.0.0.1 /nonexistent 0 1
	run nc -z --http "127.0.0.1:${PORTS[0]}"
	assert_success
	assert_equal "$(grep -c '^GET / HTTP/1.1' "$SLOG")" 1
}

@test "a silent service: the try ends at -w with why" {
	start_server silent 127.0.0.1
	t0=$(now_ms)
	run nc -z -w 0.5 --send 'PING\r\n' "127.0.0.1:${PORTS[0]}"
	t=$(elapsed_ms "$t0")
	assert_failure 1
	assert_output "nc: 127.0.0.1 port ${PORTS[0]} (tcp) not up: timed out after 0.5 s waiting for a reply"
	((t >= 400 && t < 5000))
	# --wait bounds the whole wait, whatever -w says.
	t0=$(now_ms)
	run nc --wait 0.6 -w 5 --http "127.0.0.1:${PORTS[0]}"
	t=$(elapsed_ms "$t0")
	assert_failure 1
	((t >= 500 && t < 4000))
	assert_output --regexp "^nc: 127.0.0.1 port ${PORTS[0]} \\(tcp\\) not up after 0.6 s: timed out after 0.[56] s waiting for a reply$"
}

# --- redis-server ---------------------------------------------------------------

@test "redis-server: --send 'PING\\r\\n' --expect '^\\+PONG', also when it starts late" {
	start_redis 0.5
	run nc -v --wait 8 --send 'PING\r\n' --expect '^\+PONG' "127.0.0.1:$REDIS_PORT"
	assert_success
	assert_line --index 0 "nc: 127.0.0.1 port $REDIS_PORT (tcp) still down: Connection refused; next try in 0.1 s"
	assert_line --index -1 "Connection to 127.0.0.1 $REDIS_PORT port [tcp/*] succeeded: matched '^\\+PONG'"
	# A wrong expectation: redis keeps the connection, so -w ends the try.
	run nc -z -w 0.5 --send 'PING\r\n' --expect '^\+PANG' "127.0.0.1:$REDIS_PORT"
	assert_failure 1
	assert_output "nc: 127.0.0.1 port $REDIS_PORT (tcp) not up: timed out after 0.5 s: no match for '^\\+PANG' in 7 bytes"
}

# --- UDP ------------------------------------------------------------------------

@test "-u: the --send datagram is the request, the reply is matched" {
	start_server udpecho 127.0.0.1
	port=${PORTS[0]}
	run nc -uv --wait 5 --send 'hello\n' --expect '^echo:hello' "127.0.0.1:$port"
	assert_success
	assert_output "Connection to 127.0.0.1 $port port [udp/*] succeeded: matched '^echo:hello'"
	run nc -u -z -w 0.3 --send 'hello\n' --expect '^nope' "127.0.0.1:$port"
	assert_failure 1
	assert_output "nc: 127.0.0.1 port $port (udp) not up: no match for '^nope' in 11 bytes"
	closed=$(closed_port udp)
	run nc -u -z -w 0.3 --send x "127.0.0.1:$closed"
	assert_failure 1
	assert_output "nc: 127.0.0.1 port $closed (udp) not up: Connection refused"
	# Without --send the prober's datagram asks, and any reply is up.
	run nc -u -z --expect '^echo:' "127.0.0.1:$port"
	assert_success
}

@test "-u: targets on several hosts, with and without a check" {
	start_server udpecho 127.0.0.1
	p1=${PORTS[0]}
	start_server udpecho 127.0.0.2
	p2=${PORTS[0]}
	closed=$(closed_port udp)
	run nc -uv --wait 5 "127.0.0.1:$p1" "127.0.0.2:$p2"
	assert_success
	assert_line "Connection to 127.0.0.1 $p1 port [udp/*] succeeded!"
	assert_line "Connection to 127.0.0.2 $p2 port [udp/*] succeeded!"
	run nc -u -z --send x "127.0.0.2:$p2" "127.0.0.1:$closed" "127.0.0.1:$p1"
	assert_failure 1
	assert_output "nc: 127.0.0.1 port $closed (udp) not up: Connection refused"
	# Silence is not up for a target, as for --wait.
	run nc -u -z -w 0.3 "127.0.0.2:$p1"
	assert_failure 1
	assert_output --regexp "^nc: 127.0.0.2 port $p1 \\(udp\\) not up: (No reply|Connection refused.*)$"
}

@test "-u --wait: a UDP echo that starts late" {
	port=$(closed_port udp)
	start_server_late 0.5 "$port" udpecho 127.0.0.1
	run nc -u --wait 8 --send 'ping' --expect 'ping' "127.0.0.1:$port"
	assert_success
	assert_output ""
}

# --- Unix-domain sockets ----------------------------------------------------------

@test "-U: --http over a Unix socket (Host: localhost), and several paths at once" {
	sock=$BATS_TEST_TMPDIR/app.sock
	start_server uhttp "$sock"
	run nc -vU --wait 5 --http "$sock"
	assert_success
	assert_output "Connection to $sock succeeded: HTTP 200 OK"
	grep -q "^Host: localhost"$'\r'"$" "$SLOG"
	run nc -U --wait 0.3 "$sock" "$BATS_TEST_TMPDIR/none.sock"
	assert_failure 1
	assert_output "nc: $BATS_TEST_TMPDIR/none.sock (stream) not up after 0.3 s: No such file or directory"
	run nc -U --wait 1 "$sock" "$sock"
	assert_success
	# Without --wait or a check a second operand is still netcat's port error, -z or not.
	run nc -zU "$sock" "$sock"
	assert_failure 1
	assert_output "nc: cannot use port with -U"
}

# --- parallelism -----------------------------------------------------------------

@test "parallel: 20 HTTP targets that each answer after 300 ms take about 300 ms, not 6 s" {
	start_server http 127.0.0.1 /nonexistent 0.3 20
	targets=()
	for p in "${PORTS[@]}"; do
		targets+=("127.0.0.1:$p")
	done
	t0=$(now_ms)
	run nc --wait 10 --http "${targets[@]}"
	t=$(elapsed_ms "$t0")
	assert_success
	((t >= 250 && t < 3000)) || fail "took $t ms"
}

@test "parallel: connects to 10 hosts whose SYNs go unanswered end together at -w" {
	start_server full 10
	t0=$(now_ms)
	run nc -z -w 1 "${PORTS[@]}"
	t=$(elapsed_ms "$t0")
	assert_failure 1
	((t >= 900 && t < 5000)) || fail "took $t ms"
	assert_equal "${#lines[@]}" 10
	assert_line --index 0 "nc: ${PORTS[0]%:*} port ${PORTS[0]#*:} (tcp) not up: Connection timed out"
}

# --- JSON -----------------------------------------------------------------------

@test "--json: one object per target with state, reason, check, tries; -vv one per try" {
	flag=$BATS_TEST_TMPDIR/healthy
	start_server http 127.0.0.1 "$flag" 0 1
	port=${PORTS[0]}
	closed=$(closed_port)
	run --separate-stderr nc --json --wait 0.5 --http=/health "127.0.0.1:$port" "127.0.0.1:$closed"
	assert_failure 1
	[[ -z $stderr ]]
	run json_fields port state reason check http_status up <<<"$output"
	assert_line --index 0 "$port unready HTTP 503 Service Unavailable http 503 False"
	assert_line --index 1 "$closed closed Connection refused http None False"
	[[ ${#lines[@]} -eq 2 ]]
	touch "$flag"
	run --separate-stderr nc --json -vv --wait 5 --http=/health "127.0.0.1:$port"
	assert_success
	run json_fields event try state up tries <<<"$output"
	assert_output "try 1 open True 1
None None open True 1"
	# The wait's fields only with HOST:PORT operands or a check.
	run --separate-stderr nc --json --wait 1 127.0.0.1 "$port"
	assert_success
	run json_fields tries up <<<"$output"
	assert_output "None None"
}

# --- bad input ------------------------------------------------------------------

@test "bad input: one line each, exit 1" {
	local -a cases=(
		"--wait 1 db:|nc: missing port number: db:"
		"--wait 1 :80|nc: missing host name: :80"
		"-z [::1|nc: invalid destination: [::1"
		"-z [::1]x80|nc: invalid destination: [::1]x80"
		"-z db:1 ::1:80|nc: IPv6 address needs brackets before a port: ::1:80"
		"--wait 1 db:5432 80|nc: HOST:PORT operands and a port list cannot be mixed: 80"
		"-z db:x|nc: port number invalid: x"
		"-z --send abc\\ h:1|nc: --send: unterminated escape at the end"
		"-z --send \\xZZ h:1|nc: --send: \\x without hex digits"
		"-z --send \\q h:1|nc: --send: unknown escape \\q"
		"-z --send \\400 h:1|nc: --send: escape out of range: \\400"
		"-z --expect ( h:1|nc: --expect: Unmatched ( or \\("
		"-z --http=health h:1|nc: --http: invalid path: health"
		"--http /health h:1|nc: --http takes its path as --http=PATH: /health"
		"--send x --http h:1|nc: cannot use --send and --http"
		"--http -u h:1|nc: cannot use --http and -u"
		"--wait 1 -uU --http /tmp/x.sock|nc: cannot use --http and -u"
		"--expect x -uU /tmp/x.sock|nc: cannot use --expect with -uU"
		"--send x -l 1234|nc: cannot use --send and -l"
		"--http -l 1234|nc: cannot use --http and -l"
	)
	local c args want
	for c in "${cases[@]}"; do
		args=${c%%|*}
		want=${c#*|}
		# shellcheck disable=SC2086 # the words of the case
		run --separate-stderr nc $args </dev/null
		[[ $status -eq 1 ]] || fail "nc $args: exit $status"
		[[ -z $output ]] || fail "nc $args: stdout $output"
		[[ $stderr == "$want" ]] || fail "nc $args: got '$stderr', want '$want'"
	done
	# Without -z or --wait, HOST:PORT is still netcat's "missing port number".
	run nc db:80 </dev/null
	assert_failure 1
	assert_output "nc: missing port number"
}

@test "-h lists --send, --expect and --http" {
	run --separate-stderr nc -h
	assert_success
	[[ $stderr == *$'\t\t--send string\t'* ]]
	[[ $stderr == *$'\t\t--expect regex\t'* ]]
	[[ $stderr == *$'\t\t--http[=path]\t'* ]]
}

# --- proxies (-x) -----------------------------------------------------------------

@test "-x: a check through an HTTP CONNECT proxy, Host naming the target, not the proxy" {
	start_server http 127.0.0.1 /nonexistent 0 1
	web=${PORTS[0]}
	weblog=$SLOG
	start_server connect 127.0.0.1
	proxy=${PORTS[0]}
	closed=$(closed_port)
	run nc -v -X connect -x "127.0.0.1:$proxy" --wait 5 --http "127.0.0.1:$web"
	assert_success
	assert_output "Connection to 127.0.0.1 $web port [tcp/*] succeeded: HTTP 200 OK"
	grep -q "^CONNECT 127.0.0.1:$web HTTP/1" "$SLOG"
	grep -q "^Host: 127.0.0.1:$web"$'\r'"$" "$weblog"
	# The proxy's refusal is the reason.
	run nc -X connect -x "127.0.0.1:$proxy" -z --http "127.0.0.1:$closed" "127.0.0.1:$web"
	assert_failure 1
	assert_output --regexp "^nc: 127.0.0.1 port $closed \\(tcp\\) not up: .*502 Bad Gateway.*$"
}
