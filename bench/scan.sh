#!/usr/bin/env bash
# Scan speed: our nc against nc.openbsd and nmap, side by side, in one run.
#
#   bench/scan.sh [--install] [path/to/nc]      (root: it makes a network namespace)
#
# Inside a private namespace: three listeners on 127.0.0.1, and nftables
# dropping SYNs to 127.0.0.2 ports 30000-30999 (a firewall that drops).
#   1. 1000 dropped ports with -w 1. nc.openbsd waits out each port in turn,
#      so it is timed on a sample and extrapolated.
#   2. 1-65535 on 127.0.0.1 (three open), best of three runs.
#   3. one port, nc -z 127.0.0.1 PORT: mean wall time of many runs, peak RSS.
# Prints times and ratios (ours / theirs: below 1 means ours is faster).
# --install: apt-get install nmap (and netcat-openbsd) first.
set -euo pipefail
export LC_ALL=C

if [[ ${1-} == --install ]]; then
	shift
	apt-get install -y --no-install-recommends nmap netcat-openbsd >/dev/null
fi
NC=$(realpath "${1:-$(dirname "$0")/../build/nc}")
OBSD=/bin/nc.openbsd
SAMPLE=5     # dropped ports nc.openbsd is timed on
RUNS=3       # full-range runs; the best counts
ONE_RUNS=200 # single-port runs

if [[ $(id -u) != 0 ]]; then
	echo "bench/scan.sh: needs root (ip netns, nftables)" >&2
	exit 1
fi
[[ -x $NC ]] || { echo "bench/scan.sh: no nc at $NC (build first)" >&2; exit 1; }
have_obsd=0; [[ -x $OBSD ]] && have_obsd=1
have_nmap=0; command -v nmap >/dev/null && have_nmap=1

NS=ncbench.$$
WORK=$(mktemp -d)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	ip netns del "$NS" 2>/dev/null || true
	rm -rf "$WORK"
}
trap cleanup EXIT
ip netns add "$NS"
inns() { ip netns exec "$NS" "$@"; }
inns ip link set lo up
inns nft -f - <<NFT
table inet ncbench {
	chain input {
		type filter hook input priority 0;
		ip daddr 127.0.0.2 tcp dport 30000-30999 drop
	}
}
NFT

# Links named nc, so both print "nc:" and run the same way.
mkdir -p "$WORK/ours" "$WORK/obsd"
ln -s "$NC" "$WORK/ours/nc"
[[ $have_obsd == 1 ]] && ln -s "$OBSD" "$WORK/obsd/nc"

OPEN_PORTS=(20001 20003 40000)
for p in "${OPEN_PORTS[@]}"; do
	inns python3 -c "
import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $p))
s.listen(4096)
while True:
    c, _ = s.accept()
    c.close()
" &
	PIDS+=($!)
done
for p in "${OPEN_PORTS[@]}"; do
	for _ in $(seq 50); do
		inns "$NC" -z 127.0.0.1 "$p" && break
		sleep 0.1
	done
done

# secs CMD...: wall seconds of one run (output discarded), to the millisecond.
secs() {
	local t0=$EPOCHREALTIME
	inns "$@" >/dev/null 2>&1 || true
	local t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
best() {
	local b= t
	for _ in $(seq "$RUNS"); do
		t=$(secs "$@")
		if [[ -z $b ]] || awk -v x="$t" -v y="$b" 'BEGIN { exit !(x < y) }'; then b=$t; fi
	done
	echo "$b"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3gx", a / b; else print "-" }'; }
row() { printf '%-44s %12s %12s\n' "$1" "$2" "${3-}"; }

echo "machine: $(nproc) cores, $(uname -r); nc: $NC"
echo
row "case" "seconds" "ours/theirs"

echo "== 1000 dropped ports, -w 1 (127.0.0.2:30000-30999)"
ours_drop=$(secs "$WORK/ours/nc" -z -w 1 127.0.0.2 30000-30999)
row "ours" "$ours_drop"
if [[ $have_obsd == 1 ]]; then
	s=$(secs "$WORK/obsd/nc" -z -w 1 127.0.0.2 30000-3000$((SAMPLE - 1)))
	obsd_drop=$(awk -v s="$s" -v n="$SAMPLE" 'BEGIN { printf "%.1f", s / n * 1000 }')
	row "nc.openbsd ($SAMPLE ports timed, x1000/$SAMPLE)" "$obsd_drop" "$(ratio "$ours_drop" "$obsd_drop")"
fi
if [[ $have_nmap == 1 ]]; then
	t=$(secs nmap -n -Pn -sT -T5 --max-retries 0 -p 30000-30999 127.0.0.2)
	row "nmap -sT -T5 --max-retries 0" "$t" "$(ratio "$ours_drop" "$t")"
fi

echo "== 1-65535 on 127.0.0.1, 3 listeners (best of $RUNS)"
ours_full=$(best "$WORK/ours/nc" -z 127.0.0.1 1-65535)
row "ours" "$ours_full"
if [[ $have_obsd == 1 ]]; then
	t=$(best "$WORK/obsd/nc" -z 127.0.0.1 1-65535)
	row "nc.openbsd" "$t" "$(ratio "$ours_full" "$t")"
fi
if [[ $have_nmap == 1 ]]; then
	t=$(best nmap -n -Pn -sT -T5 -p 1-65535 127.0.0.1)
	row "nmap -sT -T5" "$t" "$(ratio "$ours_full" "$t")"
fi
found=$(inns "$WORK/ours/nc" -zv 127.0.0.1 1-65535 2>&1 | grep -c succeeded || true)
row "ours: open ports found (want ${#OPEN_PORTS[@]})" "$found"
if [[ $have_obsd == 1 ]]; then
	found=$(inns "$WORK/obsd/nc" -zv 127.0.0.1 1-65535 2>&1 | grep -c succeeded || true)
	row "nc.openbsd: open ports found (phantoms = extra)" "$found"
fi

echo "== one port: nc -z 127.0.0.1 ${OPEN_PORTS[0]} (mean of $ONE_RUNS, peak RSS)"
one() {
	local t0=$EPOCHREALTIME
	for _ in $(seq "$ONE_RUNS"); do inns "$1" -z 127.0.0.1 "${OPEN_PORTS[0]}"; done
	local t1=$EPOCHREALTIME
	local base0=$EPOCHREALTIME
	for _ in $(seq "$ONE_RUNS"); do inns true; done
	local base1=$EPOCHREALTIME
	# Minus the cost of entering the namespace and starting any process.
	awk -v a="$t0" -v b="$t1" -v c="$base0" -v d="$base1" -v n="$ONE_RUNS" \
	    'BEGIN { printf "%.2f", ((b - a) - (d - c)) / n * 1000 }'
}
rss() { inns /usr/bin/time -f %M "$1" -z 127.0.0.1 "${OPEN_PORTS[0]}" 2>&1 >/dev/null | tail -1; }
ours_one=$(one "$WORK/ours/nc")
row "ours (ms over /bin/true)" "$ours_one"
row "ours peak RSS (KiB)" "$(rss "$WORK/ours/nc")"
if [[ $have_obsd == 1 ]]; then
	t=$(one "$WORK/obsd/nc")
	row "nc.openbsd (ms over /bin/true)" "$t" "$(ratio "$ours_one" "$t")"
	row "nc.openbsd peak RSS (KiB)" "$(rss "$WORK/obsd/nc")"
fi
