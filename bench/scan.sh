#!/usr/bin/env bash
# Scan speed: our nc against nc.openbsd and nmap, side by side, in one run.
#
#   bench/scan.sh [--install] [--runs N] [path/to/nc]   (root: it makes a network namespace)
#
# Inside a private namespace: three listeners on 127.0.0.1, and nftables
# dropping SYNs to 127.0.0.2 ports 30000-30999 (a firewall that drops).
#   1. 1000 dropped ports with -w 1. nc.openbsd waits out each port in turn,
#      so it is timed on a sample and extrapolated.
#   2. 1-65535 on 127.0.0.1 (three open).
#   3. one port, nc -z 127.0.0.1 PORT: wall and CPU time of a run (next to
#      /bin/true's, the cost of starting any process), and peak RSS.
# The tools take turns, so that a change in the load of a shared machine
# hits all of them alike: each of the N rounds (default 3) runs every tool
# once on cases 1 and 2; case 3 has 10 rounds of 100 runs of each (ours,
# nc.openbsd, /bin/true, ours, ...). Prints the median and range over the
# rounds, and ratios taken within each round (ours / theirs: below 1 means
# ours is faster). About 35 s per round, most of it nmap's.
# --install: apt-get install nmap (and netcat-openbsd) first.
set -euo pipefail
export LC_ALL=C

RUNS=3       # rounds
SAMPLE=5     # dropped ports nc.openbsd is timed on
ONE_ROUNDS=10 # rounds of case 3
ONE_RUNS=100 # single-port runs of each tool per round of case 3
while (($#)); do
	case $1 in
	--install)
		apt-get install -y --no-install-recommends nmap netcat-openbsd >/dev/null
		shift ;;
	--runs) RUNS=$2; shift 2 ;;
	-h | --help) sed -n '2,/^# --install/p' "$0"; exit 0 ;;
	*) break ;;
	esac
done
NC=$(realpath "${1:-$(dirname "$0")/../build/nc}")
OBSD=/bin/nc.openbsd

if [[ $(id -u) != 0 ]]; then
	echo "bench/scan.sh: needs root (ip netns, nftables)" >&2
	exit 1
fi
[[ -x $NC ]] || { echo "bench/scan.sh: no nc at $NC (build first)" >&2; exit 1; }
have_obsd=0; [[ -x $OBSD ]] && have_obsd=1
have_nmap=0; command -v nmap >/dev/null && have_nmap=1

# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
BENCH_TMP=$(mktemp -d)
WORK=$BENCH_TMP
cleanup() {
	bench_stop_all
	bench_ns_down
	rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
bench_ns_up "ncbench.$$"
inns() { bnx "$@"; }

# Links named nc, so both print "nc:" and run the same way.
mkdir -p "$WORK/ours" "$WORK/obsd"
ln -s "$NC" "$WORK/ours/nc"
[[ $have_obsd == 1 ]] && ln -s "$OBSD" "$WORK/obsd/nc"

OPEN_PORTS=(20001 20003 40000)
for p in "${OPEN_PORTS[@]}"; do bench_listen "$p"; done

# secs CMD...: wall seconds of one run (output discarded), to the millisecond.
secs() {
	local t0=$EPOCHREALTIME
	inns "$@" >/dev/null 2>&1 || true
	local t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
row() { printf '%-46s %10s %16s %s\n' "$1" "$2" "$3" "${4-}"; }
# report NAME VALUES [THEIRS_VALUES OURS_VALUES]: median, range, and the
# median and range of the per-round ratio ours / theirs.
report() {
	local r=
	if [[ -n ${3-} ]]; then
		local rs
		rs=$(ratios "$4" "$3")
		r="ours/theirs $(median <<<"$rs")x ($(range <<<"$rs"))"
	fi
	row "$1" "$(printf '%s' "$2" | median)" "$(printf '%s' "$2" | range)" "$r"
}

bench_header
echo "nc: $NC; $RUNS rounds"
echo
row "case" "median" "range (rounds)" ""

echo "== 1000 dropped ports, -w 1 (127.0.0.2:30000-30999), seconds"
drop_ours= drop_obsd= drop_nmap=
for ((r = 1; r <= RUNS; r++)); do
	drop_ours+=$(secs "$WORK/ours/nc" -z -w 1 127.0.0.2 30000-30999)$'\n'
	if [[ $have_obsd == 1 ]]; then
		s=$(secs "$WORK/obsd/nc" -z -w 1 127.0.0.2 30000-3000$((SAMPLE - 1)))
		drop_obsd+=$(awk -v s="$s" -v n="$SAMPLE" 'BEGIN { printf "%.1f", s / n * 1000 }')$'\n'
	fi
	if [[ $have_nmap == 1 ]]; then
		drop_nmap+=$(secs nmap -n -Pn -sT -T5 --max-retries 0 -p 30000-30999 127.0.0.2)$'\n'
	fi
done
report "ours" "$drop_ours"
[[ $have_obsd == 1 ]] && report "nc.openbsd ($SAMPLE ports timed, x1000/$SAMPLE)" "$drop_obsd" "$drop_obsd" "$drop_ours"
[[ $have_nmap == 1 ]] && report "nmap -sT -T5 --max-retries 0" "$drop_nmap" "$drop_nmap" "$drop_ours"

echo "== 1-65535 on 127.0.0.1, 3 listeners, seconds"
full_ours= full_obsd= full_nmap=
for ((r = 1; r <= RUNS; r++)); do
	full_ours+=$(secs "$WORK/ours/nc" -z 127.0.0.1 1-65535)$'\n'
	[[ $have_obsd == 1 ]] && full_obsd+=$(secs "$WORK/obsd/nc" -z 127.0.0.1 1-65535)$'\n'
	[[ $have_nmap == 1 ]] && full_nmap+=$(secs nmap -n -Pn -sT -T5 -p 1-65535 127.0.0.1)$'\n'
done
report "ours" "$full_ours"
[[ $have_obsd == 1 ]] && report "nc.openbsd" "$full_obsd" "$full_obsd" "$full_ours"
[[ $have_nmap == 1 ]] && report "nmap -sT -T5" "$full_nmap" "$full_nmap" "$full_ours"
found=$(inns "$WORK/ours/nc" -zv 127.0.0.1 1-65535 2>&1 | grep -c succeeded || true)
row "ours: open ports found (want ${#OPEN_PORTS[@]})" "$found" ""
if [[ $have_obsd == 1 ]]; then
	found=$(inns "$WORK/obsd/nc" -zv 127.0.0.1 1-65535 2>&1 | grep -c succeeded || true)
	row "nc.openbsd: open ports found (phantoms = extra)" "$found" ""
fi

echo "== one port: nc -z 127.0.0.1 ${OPEN_PORTS[0]}, per run ($ONE_ROUNDS rounds of $ONE_RUNS runs each, interleaved)"
# One round inside the namespace, so that entering it is not timed (see
# bench_timer_py), for ours, nc.openbsd and /bin/true.
bench_timer_py "$WORK/timer.py"
one_cmds=("$WORK/ours/nc -z 127.0.0.1 ${OPEN_PORTS[0]}")
[[ $have_obsd == 1 ]] && one_cmds+=("$WORK/obsd/nc -z 127.0.0.1 ${OPEN_PORTS[0]}")
one_cmds+=(/bin/true)
ow= oc= bw= bc= tw= tc=
for ((r = 1; r <= ONE_ROUNDS; r++)); do
	v=($(inns python3 "$WORK/timer.py" "$ONE_RUNS" 30 "${one_cmds[@]}"))
	ow+=${v[0]}$'\n' oc+=${v[1]}$'\n'
	if [[ $have_obsd == 1 ]]; then
		bw+=${v[3]}$'\n' bc+=${v[4]}$'\n' tw+=${v[6]}$'\n' tc+=${v[7]}$'\n'
	else
		tw+=${v[3]}$'\n' tc+=${v[4]}$'\n'
	fi
done
report "ours: wall ms" "$ow"
[[ $have_obsd == 1 ]] && report "nc.openbsd: wall ms" "$bw" "$bw" "$ow"
report "/bin/true: wall ms (the cost of any process)" "$tw"
report "ours: CPU ms" "$oc"
[[ $have_obsd == 1 ]] && report "nc.openbsd: CPU ms" "$bc" "$bc" "$oc"
report "/bin/true: CPU ms" "$tc"
rss() {
	local i
	for i in 1 2 3; do
		inns /usr/bin/time -f %M "$1" -z 127.0.0.1 "${OPEN_PORTS[0]}" 2>&1 >/dev/null | tail -1
	done | median
}
row "ours peak RSS (KiB, median of 3)" "$(rss "$WORK/ours/nc")" ""
[[ $have_obsd == 1 ]] && row "nc.openbsd peak RSS (KiB, median of 3)" "$(rss "$WORK/obsd/nc")" ""
echo "load at the end $(bench_load)"
