#!/bin/sh
# UDP probe accuracy and wall time: our nc, nc.openbsd, ncat and nmap -sU on
# the same ports, side by side. Runs inside a network namespace it creates
# (root, iproute2, nftables), with three ports of each kind:
#
#   answering  a UDP responder replies            right answer: open
#   closed     nothing bound: ICMP port unreach.  right answer: closed
#   dropped    nftables "drop"                    right answer: open|filtered
#   prohibited nftables "reject with icmpx type admin-prohibited"
#                                                 right answer: filtered
#
# A peer that cannot tell two states apart gets the credit for the state it
# names (nc.openbsd and ncat only say succeeded/failed: "succeeded" is right
# for open and open|filtered, "failed" for closed and filtered).
#
# usage: bench/udp_accuracy.sh [--install] [-w SECS] [path/to/nc]
#   --install  apt-get install -y ncat nmap first (otherwise missing peers
#              are skipped with a note)
#   -w SECS    the probe wait given to every netcat (default 1)
set -u

INSTALL=0
WAIT=1
while [ $# -gt 0 ]; do
	case $1 in
	--install) INSTALL=1; shift ;;
	-w) WAIT=$2; shift 2 ;;
	-h|--help) sed -n '2,22p' "$0"; exit 0 ;;
	*) break ;;
	esac
done
HERE=$(cd "$(dirname "$0")" && pwd)
NC=${1:-$HERE/../build/nc}

if [ "$(id -u)" != 0 ] || ! command -v ip >/dev/null || ! command -v nft >/dev/null; then
	echo "udp_accuracy: needs root, ip and nft (it works in its own network namespace)" >&2
	exit 1
fi
[ -x "$NC" ] || { echo "udp_accuracy: $NC: not built" >&2; exit 1; }
if [ $INSTALL = 1 ]; then
	apt-get install -y ncat nmap >/dev/null || echo "note: apt-get install failed" >&2
fi

NS=nc-udpbench-$$
TMP=$(mktemp -d)
PEER_PID=
cleanup() {
	# $PEER_PID is a subshell's (inns is a function); what runs in our
	# namespace is ours to end.
	for p in $PEER_PID $(ip netns pids "$NS" 2>/dev/null); do kill "$p" 2>/dev/null; done
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

ip netns add "$NS" || exit 1
ip -n "$NS" link set lo up
inns() { ip netns exec "$NS" "$@"; }

# Ports 41001-41012: answering, closed, dropped, prohibited, three of each, interleaved.
PORTS="41001 41002 41003 41004 41005 41006 41007 41008 41009 41010 41011 41012"
kind() {
	case $(( ($1 - 41001) % 4 )) in
	0) echo answering ;; 1) echo closed ;; 2) echo dropped ;; 3) echo prohibited ;;
	esac
}
truth() {
	case $(kind "$1") in
	answering) echo open ;; closed) echo closed ;; dropped) echo "open|filtered" ;;
	prohibited) echo filtered ;;
	esac
}
inns nft -f - <<NFT || exit 1
table inet filter {
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport { 41003, 41007, 41011 } drop
		udp dport { 41004, 41008, 41012 } reject with icmpx type admin-prohibited
	}
}
NFT

# One responder answering on the three "answering" ports.
cat >"$TMP/resp.py" <<'PY'
import select, socket, sys
socks = []
for p in (41001, 41005, 41009):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", p))
    socks.append(s)
print("ready", flush=True)
while True:
    for s in select.select(socks, [], [])[0]:
        d, a = s.recvfrom(65536)
        s.sendto(b"reply\n", a)
PY
inns python3 "$TMP/resp.py" >"$TMP/resp.out" 2>&1 &
PEER_PID=$!
i=0
until grep -q ready "$TMP/resp.out" 2>/dev/null; do
	i=$((i + 1)); [ $i -gt 250 ] && { echo "responder did not start" >&2; exit 1; }
	sleep 0.02
done

now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{printf "%.2f", $2 - $1}'; }

# Each runner leaves "PORT STATE" lines in $TMP/<tool>.res and the wall time in $TMP/<tool>.time.
run_ours() {
	t0=$(now)
	inns "$NC" -uzvv -n -w "$WAIT" 127.0.0.1 $PORTS 2>"$TMP/ours.err" >/dev/null
	t1=$(now)
	sed -nE 's/^nc: 127\.0\.0\.1 port ([0-9]+) \(udp\) ([a-z|]+):.*/\1 \2/p' "$TMP/ours.err" >"$TMP/ours.res"
	secs "$t0" "$t1" >"$TMP/ours.time"
}

# netcat-openbsd: one run over all ports; a port with a success line succeeded.
run_openbsd() {
	command -v nc.openbsd >/dev/null || return 1
	ln -sf "$(command -v nc.openbsd)" "$TMP/nc"
	t0=$(now)
	inns "$TMP/nc" -uzv -n -w "$WAIT" 127.0.0.1 $PORTS 2>"$TMP/openbsd.err" >/dev/null
	t1=$(now)
	: >"$TMP/openbsd.res"
	for p in $PORTS; do
		if grep -q "^Connection to 127.0.0.1 $p port" "$TMP/openbsd.err"; then
			echo "$p succeeded"
		else
			echo "$p failed"
		fi >>"$TMP/openbsd.res"
	done
	secs "$t0" "$t1" >"$TMP/openbsd.time"
}

# ncat: one port per run (it takes one); exit status 0 is success.
run_ncat() {
	command -v ncat >/dev/null || return 1
	: >"$TMP/ncat.res"
	t0=$(now)
	for p in $PORTS; do
		if inns ncat -u -z -w "$WAIT" 127.0.0.1 "$p" </dev/null >/dev/null 2>&1; then
			echo "$p succeeded"
		else
			echo "$p failed"
		fi >>"$TMP/ncat.res"
	done
	t1=$(now)
	secs "$t0" "$t1" >"$TMP/ncat.time"
}

run_nmap() {
	command -v nmap >/dev/null || return 1
	ports=$(echo $PORTS | tr ' ' ',')
	t0=$(now)
	inns nmap -sU -n -Pn -p "$ports" 127.0.0.1 >"$TMP/nmap.out" 2>&1
	t1=$(now)
	sed -nE 's|^([0-9]+)/udp +([a-z|]+) .*|\1 \2|p' "$TMP/nmap.out" >"$TMP/nmap.res"
	secs "$t0" "$t1" >"$TMP/nmap.time"
}

TOOLS=
for t in ours openbsd ncat nmap; do
	if "run_$t"; then
		TOOLS="$TOOLS $t"
	else
		echo "note: $t not installed, skipped (--install installs ncat and nmap)" >&2
	fi
done

# Right if it is the truth, or, for a peer that only says succeeded/failed, the side the truth is on.
right() {
	case $2 in
	succeeded) [ "$1" = open ] || [ "$1" = "open|filtered" ] ;;
	failed) [ "$1" = closed ] || [ "$1" = filtered ] ;;
	*) [ "$1" = "$2" ] ;;
	esac
}

: >"$TMP/right"
printf '%-6s %-11s %-14s' port kind truth
for t in $TOOLS; do printf ' %-15s' "$t"; done
echo
for p in $PORTS; do
	want=$(truth "$p")
	printf '%-6s %-11s %-14s' "$p" "$(kind "$p")" "$want"
	for t in $TOOLS; do
		got=$(awk -v p="$p" '$1 == p {print $2}' "$TMP/$t.res")
		[ -z "$got" ] && got=missing
		if right "$want" "$got"; then
			printf ' %-15s' "$got"
			echo "$t" >>"$TMP/right"
		else
			printf ' %-15s' "$got*"
		fi
	done
	echo
done
n=$(echo $PORTS | wc -w)
printf '%-33s' "right (of $n; * marks a wrong one)"
for t in $TOOLS; do printf ' %-15s' "$(grep -cx "$t" "$TMP/right")"; done
echo
printf '%-33s' "distinct states it can name"
for t in $TOOLS; do printf ' %-15s' "$(cut -d' ' -f2 "$TMP/$t.res" | sort -u | wc -l)"; done
echo
printf '%-33s' "wall time (s)"
for t in $TOOLS; do printf ' %-15s' "$(cat "$TMP/$t.time")"; done
echo
if echo "$TOOLS" | grep -q nmap; then
	printf '%-33s' "time / nmap's"
	for t in $TOOLS; do
		printf ' %-15s' "$(awk -v a="$(cat "$TMP/$t.time")" -v b="$(cat "$TMP/nmap.time")" \
			'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
	done
	echo
fi
