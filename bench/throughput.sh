#!/usr/bin/env bash
# Bulk-transfer throughput of our nc next to nc.openbsd, ncat, socat and
# iperf3, over loopback TCP and Unix stream sockets: a file into the client,
# the server's output into /dev/null.
#
#   bench/throughput.sh [--size MiB] [--runs N] [--nc PATH] [--install]
#
# The tools take turns: each of the N rounds runs every case once, so that
# a change in the load of a shared machine hits all of them alike, and each
# ratio is taken within a round. Prints, per tool, the median and range of
# MiB/s and the median CPU seconds (user+sys of both ends) per GiB; then our
# ratios (median and range over the rounds) to the targets of issue 6.
# --install apt-get installs the peers first; otherwise missing peers are
# skipped with a note. Measures, never fails on a number.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
NC=${NC:-$here/../build/nc}
size=1024
runs=3
install=false
while (($#)); do
	case $1 in
	--size) size=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--nc) NC=$2; shift 2 ;;
	--install) install=true; shift ;;
	-h | --help) sed -n '2,14p' "$0"; exit 0 ;;
	*) echo "throughput.sh: unknown argument: $1" >&2; exit 2 ;;
	esac
done
[[ $NC == /* ]] || NC=$PWD/$NC
if [[ ! -x $NC ]]; then
	echo "throughput.sh: no nc at $NC (build it: meson compile -C build)" >&2
	exit 1
fi
if $install; then
	apt-get install -y ncat socat iperf3 netcat-openbsd >/dev/null
fi

# shellcheck source=bench/lib.sh
. "$here/lib.sh"
BENCH_TMP=$(mktemp -d)
BENCH_SIZE=$size
cleanup() {
	bench_stop_all
	rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

data=$BENCH_TMP/data
bench_bulk_data

have() { command -v "$1" >/dev/null 2>&1; }

# The cases, in the order each round runs them: CASE TOOL SRV CLI TRANSPORT,
# joined by a tab (commands hold '|').
CASES=()
add() { CASES+=("$1"$'\t'"$2"$'\t'"$3"$'\t'"$4"$'\t'"${5:-tcp}"); }
skip() { printf '%-6s %-22s %s\n' "$1" "$2" "skipped: $3"; }

D="<'$data'"
# TCP: file into the client.
add tcp "nc (ours)" "$NC -l 127.0.0.1 @P@" "$NC -N 127.0.0.1 @P@ $D"
if have nc.openbsd; then
	add tcp nc.openbsd "nc.openbsd -l 127.0.0.1 @P@" "nc.openbsd -N 127.0.0.1 @P@ $D"
else skip tcp nc.openbsd "not installed"; fi
if have ncat; then
	add tcp ncat "ncat -l --recv-only 127.0.0.1 @P@" "ncat --send-only 127.0.0.1 @P@ $D"
else skip tcp ncat "not installed"; fi
if have socat; then
	add tcp socat "socat -u TCP-LISTEN:@P@,bind=127.0.0.1,reuseaddr STDOUT" "socat -u STDIN TCP:127.0.0.1:@P@ $D"
else skip tcp socat "not installed"; fi
if have iperf3; then
	add tcp "iperf3 (mem-to-mem)" "iperf3 -s -1 -B 127.0.0.1 -p @P@" "iperf3 -J -c 127.0.0.1 -p @P@ -n ${size}M"
else skip tcp iperf3 "not installed"; fi

# TCP with stdin a pipe.
add pipe "nc (ours)" "$NC -l 127.0.0.1 @P@" "cat '$data' | $NC -N 127.0.0.1 @P@"
if have nc.openbsd; then
	add pipe nc.openbsd "nc.openbsd -l 127.0.0.1 @P@" "cat '$data' | nc.openbsd -N 127.0.0.1 @P@"
fi

# Unix stream sockets.
add unix "nc (ours)" "$NC -lU @P@" "$NC -NU @P@ $D" unix
if have nc.openbsd; then
	add unix nc.openbsd "nc.openbsd -lU @P@" "nc.openbsd -NU @P@ $D" unix
fi
if have ncat; then
	add unix ncat "ncat -lU --recv-only @P@" "ncat -U --send-only @P@ $D" unix
fi
if have socat; then
	add unix socat "socat -u UNIX-LISTEN:@P@ STDOUT" "socat -u STDIN UNIX-CONNECT:@P@ $D" unix
fi

bench_header
echo "size ${size} MiB, $runs rounds, every case once per round"
declare -A RATES CPUS # "CASE/TOOL" -> the rounds' values, one per line
for ((round = 1; round <= runs; round++)); do
	for c in "${CASES[@]}"; do
		IFS=$'\t' read -r cs tool srv cli tr <<<"$c"
		bench_bulk_one "$tr" "$srv" "$cli" >"$BENCH_TMP/one"
		read -r r cpu <"$BENCH_TMP/one"
		RATES[$cs/$tool]+="$r"$'\n'
		CPUS[$cs/$tool]+="$cpu"$'\n'
	done
	echo "round $round of $runs done, load $(cut -d' ' -f1 /proc/loadavg)" >&2
done

echo
printf '%-6s %-22s %10s %16s %10s %12s\n' case tool 'MiB/s' 'range' 'CPU s/GiB' 'range'
pergib() { awk -v s="$size" '{ printf "%.2f\n", $1 / (s / 1024) }'; }
for c in "${CASES[@]}"; do
	IFS=$'\t' read -r cs tool _ <<<"$c"
	k=$cs/$tool
	r=$(printf '%s' "${RATES[$k]}" | median)
	rg=$(printf '%s' "${RATES[$k]}" | range)
	cpu=$(printf '%s' "${CPUS[$k]}" | pergib | median)
	cpurg=$(printf '%s' "${CPUS[$k]}" | pergib | range)
	printf '%-6s %-22s %10s %16s %10s %12s\n' "$cs" "$tool" "$r" "$rg" "$cpu" "$cpurg"
done

# ratio A B TARGET: A's rate over B's, round by round; median and range.
ratio() {
	local a=${RATES[$1]:-} b=${RATES[$2]:-} target=$3 rs
	if [[ -z $a || -z $b || $a == *fail* || $b == *fail* ]]; then
		printf '%-42s %s\n' "$1 / $2" "n/a"
		return
	fi
	rs=$(paste <(printf '%s' "$a") <(printf '%s' "$b") | awk '{ printf "%.2f\n", $1 / $2 }')
	printf '%-42s %5sx  (rounds: %s; target >= %.1fx)\n' "$1 / $2" \
		"$(median <<<"$rs")" "$(range <<<"$rs")" "$target"
}
echo
echo "ours / theirs, MiB/s within each round (above 1: ours is faster)"
ratio "tcp/nc (ours)" "tcp/nc.openbsd" 2.0
ratio "tcp/nc (ours)" "tcp/iperf3 (mem-to-mem)" 0.9
ratio "unix/nc (ours)" "unix/nc.openbsd" 2.0
ratio "pipe/nc (ours)" "pipe/nc.openbsd" 1.0
echo "load at the end $(bench_load)"
