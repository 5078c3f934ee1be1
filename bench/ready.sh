#!/usr/bin/env bash
# Readiness of 100 services that are up: our nc against the loops people
# write today, side by side, in one run.
#
#   bench/ready.sh [path/to/nc]
#
#   ours          nc --wait 10 127.0.0.1:P1 ... 127.0.0.1:P100 (one call, all at once)
#   nc.openbsd    for p in P1..P100; do nc.openbsd -z -w 1 127.0.0.1 $p; done
#   wait-for-it   for p in ...; do timeout 1 bash -c "</dev/tcp/127.0.0.1/$p"; done
#                 (what wait-for-it.sh does per host when nc is missing)
#
# Cases: 100 plain TCP listeners; the same 100 as HTTP servers (ours with
# --http; the loops with a GET through nc.openbsd or over /dev/tcp and a
# status check, as hand-written healthchecks do); 100 HTTP servers that
# answer 20 ms late (a slow health endpoint: one wait for ours, 100 in a
# row for a loop); and, as root where netem exists, the first two again in
# a network namespace whose loopback delays every packet by 5 ms (10 ms
# round trip), where "one round trip, not 100" shows. Prints the best of RUNS runs and
# the ratios (theirs / ours: how many times faster ours is). Every command
# is bounded by timeout(1); the whole run takes well under a minute.
set -euo pipefail
export LC_ALL=C

NC=$(realpath "${1:-$(dirname "$0")/../build/nc}")
OBSD=/bin/nc.openbsd
N=100
RUNS=3
[[ -x $NC ]] || { echo "bench/ready.sh: no nc at $NC (build first)" >&2; exit 1; }
have_obsd=0; [[ -x $OBSD ]] && have_obsd=1

WORK=$(mktemp -d)
PIDS=()
NS=
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	[[ -z $NS ]] || ip netns del "$NS" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
IN=()

# servers [DELAY]: N HTTP/1.1 servers on 127.0.0.1 (in the namespace, if any)
# that answer DELAY seconds after the request (default 0); their ports in PORTS.
servers() {
	local file=$WORK/ports.$RANDOM
	"${IN[@]}" python3 -c '
import os, socket, sys, threading, time
n, out, delay = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
socks = []
for _ in range(n):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen(1024)
    socks.append(s)
def conn(c):
    try:
        c.settimeout(5)
        head = b""
        while b"\r\n\r\n" not in head:
            b = c.recv(4096)
            if not b:
                return
            head += b
        time.sleep(delay)
        c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
    except OSError:
        pass
    finally:
        c.close()
def serve(s):
    while True:
        c, _ = s.accept()
        threading.Thread(target=conn, args=(c,), daemon=True).start()
for s in socks:
    threading.Thread(target=serve, args=(s,), daemon=True).start()
with open(out + ".tmp", "w") as f:
    f.write(" ".join(str(s.getsockname()[1]) for s in socks) + "\n")
os.rename(out + ".tmp", out)
threading.Event().wait()
' "$N" "$file" "${1:-0}" </dev/null >/dev/null 2>&1 &
	PIDS+=($!)
	for _ in $(seq 100); do [[ -s $file ]] && break; sleep 0.05; done
	read -r -a PORTS <"$file"
}

# secs CMD...: wall seconds of one run, to the millisecond; "fail" if it did not succeed.
secs() {
	local t0=$EPOCHREALTIME rc=0
	timeout 60 "${IN[@]}" "$@" >/dev/null 2>&1 || rc=$?
	local t1=$EPOCHREALTIME
	if ((rc != 0)); then echo fail; return; fi
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
best() {
	local b= t
	for _ in $(seq "$RUNS"); do
		t=$(secs "$@")
		[[ $t == fail ]] && { echo fail; return; }
		if [[ -z $b ]] || awk -v x="$t" -v y="$b" 'BEGIN { exit !(x < y) }'; then b=$t; fi
	done
	echo "$b"
}
ratio() {
	[[ $1 == fail || $2 == fail ]] && { echo -; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1fx", a / b; else print "-" }'
}
row() { printf '%-52s %10s %14s\n' "$1" "$2" "${3-}"; }

# The loops, as scripts, so that one timed command runs the whole loop.
cat >"$WORK/obsd_loop" <<EOF
#!/usr/bin/env bash
for p in "\$@"; do $OBSD -z -w 1 127.0.0.1 "\$p" || exit 1; done
EOF
cat >"$WORK/devtcp_loop" <<'EOF'
#!/usr/bin/env bash
for p in "$@"; do timeout 1 bash -c "</dev/tcp/127.0.0.1/$p" || exit 1; done
EOF
cat >"$WORK/devtcp_http_loop" <<'EOF'
#!/usr/bin/env bash
for p in "$@"; do
	timeout 1 bash -c 'exec 3<>/dev/tcp/127.0.0.1/$0
		printf "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n" >&3
		read -r _ code _ <&3; [[ $code == 2* ]]' "$p" || exit 1
done
EOF
cat >"$WORK/obsd_http_loop" <<EOF
#!/usr/bin/env bash
for p in "\$@"; do
	printf 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' |
		$OBSD -w 1 127.0.0.1 "\$p" | head -1 | grep -q ' 2[0-9][0-9] ' || exit 1
done
EOF
chmod +x "$WORK"/*_loop

cases() {
	local label=$1 targets=() p ours t
	for p in "${PORTS[@]}"; do targets+=("127.0.0.1:$p"); done
	echo "== $N listeners that are up$label"
	ours=$(best "$NC" --wait 10 "${targets[@]}")
	row "ours: nc --wait 10 HOST:PORT x$N" "$ours"
	if [[ $have_obsd == 1 ]]; then
		t=$(best "$WORK/obsd_loop" "${PORTS[@]}")
		row "shell loop of nc.openbsd -z -w 1" "$t" "$(ratio "$t" "$ours")"
	fi
	t=$(best "$WORK/devtcp_loop" "${PORTS[@]}")
	row "wait-for-it style loop (timeout 1 bash /dev/tcp)" "$t" "$(ratio "$t" "$ours")"

	echo "== the same $N answering HTTP 200$label"
	ours=$(best "$NC" --wait 10 --http "${targets[@]}")
	row "ours: nc --wait 10 --http HOST:PORT x$N" "$ours"
	if [[ $have_obsd == 1 ]]; then
		t=$(best "$WORK/obsd_http_loop" "${PORTS[@]}")
		row "shell loop of printf GET | nc.openbsd" "$t" "$(ratio "$t" "$ours")"
	fi
	t=$(best "$WORK/devtcp_http_loop" "${PORTS[@]}")
	row "hand-written GET over bash /dev/tcp" "$t" "$(ratio "$t" "$ours")"
}

echo "machine: $(nproc) cores, $(uname -r); nc: $NC; best of $RUNS"
row "case" "seconds" "theirs/ours"
servers
cases " on loopback"
echo "== the same $N, each answering HTTP 200 20 ms after the request (a slow health endpoint)"
servers 0.02
targets=()
for p in "${PORTS[@]}"; do targets+=("127.0.0.1:$p"); done
ours=$(best "$NC" --wait 10 --http "${targets[@]}")
row "ours: nc --wait 10 --http HOST:PORT x$N" "$ours"
if [[ $have_obsd == 1 ]]; then
	t=$(best "$WORK/obsd_http_loop" "${PORTS[@]}")
	row "shell loop of printf GET | nc.openbsd" "$t" "$(ratio "$t" "$ours")"
fi
t=$(best "$WORK/devtcp_http_loop" "${PORTS[@]}")
row "hand-written GET over bash /dev/tcp" "$t" "$(ratio "$t" "$ours")"

if [[ $(id -u) == 0 ]] && command -v tc >/dev/null && command -v ip >/dev/null; then
	NS=ncready.$$
	if ip netns add "$NS" 2>/dev/null; then
		ip netns exec "$NS" ip link set lo up
		if ip netns exec "$NS" tc qdisc add dev lo root netem delay 5ms 2>/dev/null; then
			IN=(ip netns exec "$NS")
			servers
			cases ", 10 ms round trip (netem)"
		else
			echo "== (no netem: the 10 ms round-trip case is skipped)"
		fi
	fi
else
	echo "== (not root, or no tc: the 10 ms round-trip case is skipped)"
fi
