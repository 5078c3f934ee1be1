#!/usr/bin/env bash
# Two builds of our nc side by side in one run: the tree before a change and
# after it, so that a refactor shows what it costs before it lands.
#
#   bench/compare.sh [--runs N] [--size MiB] [--budget SECS] OLD_NC NEW_NC
#
# The cases (build both in release mode: meson setup --buildtype=release):
#   probe  nc -z 127.0.0.1 PORT, one listening port: per round 100 runs of
#          each build in turn; the median wall time and the mean CPU time
#          (user + system, exact) of a run, next to /bin/true's
#   full   nc -z 127.0.0.1 1-65535 with 3 listeners               (netns)
#   drop   nc -z -w 1 127.0.0.2 30000-30999, ports nftables drops  (netns)
#   tcp    a file of --size MiB (default 1024) into nc -N, over loopback TCP
#          to nc -l, its output into /dev/null; CPU of both ends
#   unix   the same over a Unix stream socket (-U)
# (netns): in a private network namespace, which needs root; without root
# these two are skipped with a note (a scan of the machine's own loopback
# would hit other people's listeners). The probe runs there too when it can.
#
# The builds take turns: each of the N rounds (default 10) runs every case
# for both, the one that goes first alternating from round to round, so that
# a change in the load of a shared machine hits both alike. Each ratio is
# taken within a round; printed are its median and range over the rounds.
# Every ratio is NEW/OLD of a time (wall or CPU; for tcp and unix the
# inverse of the MiB/s ratio): below 1, NEW is faster.
# First both builds are checked: the scan finds the 3 listeners, no dropped
# port is reported open, 64 MiB cross TCP and Unix intact. A failed check is
# reported and makes the exit status 1. No round starts once the run would
# pass --budget seconds (default 300): about 2 minutes at the defaults.
set -euo pipefail
export LC_ALL=C

RUNS=10
SIZE=1024
BUDGET=300
PROBE_RUNS=100
args=()
while (($#)); do
	case $1 in
	--runs) RUNS=$2; shift 2 ;;
	--size) SIZE=$2; shift 2 ;;
	--budget) BUDGET=$2; shift 2 ;;
	-h | --help) sed -n '2,/^# pass --budget/p' "$0"; exit 0 ;;
	-*) echo "compare.sh: unknown option: $1" >&2; exit 2 ;;
	*) args+=("$1"); shift ;;
	esac
done
if ((${#args[@]} != 2)); then
	echo "usage: bench/compare.sh [--runs N] [--size MiB] [--budget SECS] OLD_NC NEW_NC" >&2
	exit 2
fi
for b in "${args[@]}"; do
	[[ -x $b && -f $b ]] || { echo "compare.sh: $b: not an executable (build it first)" >&2; exit 1; }
done
OLD=$(realpath "${args[0]}")
NEW=$(realpath "${args[1]}")

# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
BENCH_TMP=$(mktemp -d)
BENCH_SIZE=$SIZE
cleanup() {
	bench_stop_all
	bench_ns_down
	rm -rf "$BENCH_TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
T=$BENCH_TMP

# Links named nc, so that both print "nc:" and start alike.
declare -A BIN=([old]=$T/old/nc [new]=$T/new/nc)
mkdir "$T/old" "$T/new"
ln -s "$OLD" "${BIN[old]}"
ln -s "$NEW" "${BIN[new]}"

netns=0 note=
if [[ $(id -u) == 0 ]] && command -v nft >/dev/null && command -v ip >/dev/null; then
	bench_ns_up "nccmp.$$"
	netns=1
	OPEN_PORTS=(20001 20003 40000)
	for p in "${OPEN_PORTS[@]}"; do bench_listen "$p"; done
	PORT=${OPEN_PORTS[0]}
else
	note="note: not root (or no ip, nft): full and drop skipped, the probe on this machine's loopback"
	bench_listen 0
	PORT=$BENCH_PORT
fi
bench_timer_py "$T/timer.py"
bench_bulk_data
head -c $((64 << 20)) "$T/data" >"$T/check"

failed=0
check() { # check WHAT OK: notes a failed check
	if [[ $2 != 1 ]]; then
		echo "CHECK FAILED: $1"
		failed=1
	fi
}

bench_header
[[ -z $note ]] || echo "$note"
echo "OLD $OLD"
echo "NEW $NEW"
echo "checks (untimed, warm-up):"
for b in old new; do
	nc=${BIN[$b]}
	if ((netns)); then
		st=0
		bnx timeout 60 "$nc" -zv 127.0.0.1 1-65535 >"$T/v" 2>&1 || st=$?
		n=$(grep -c succeeded "$T/v" || true)
		check "$b: 1-65535 found $n open ports, not ${#OPEN_PORTS[@]} (exit $st)" \
			"$((n == ${#OPEN_PORTS[@]} && st == 0))"
		st=0
		bnx timeout 60 "$nc" -zv -w 1 127.0.0.2 30000-30999 >"$T/v" 2>&1 || st=$?
		n=$(grep -c succeeded "$T/v" || true)
		check "$b: 1000 dropped ports: $n reported open (exit $st, not 1)" "$((n == 0 && st == 1))"
	fi
	for tr in tcp unix; do
		if [[ $tr == tcp ]]; then
			srv="$nc -l 127.0.0.1 @P@ >'$T/out'" cli="$nc -N 127.0.0.1 @P@ <'$T/check'"
		else
			srv="$nc -lU @P@ >'$T/out'" cli="$nc -NU @P@ <'$T/check'"
		fi
		rm -f "$T/out"
		bench_bulk_one "$tr" "$srv" "$cli" 60 >"$T/one"
		ok=0
		cmp -s "$T/check" "$T/out" && ok=1
		check "$b: 64 MiB over $tr did not arrive intact" "$ok"
	done
done
echo "checks done: $([[ $failed == 0 ]] && echo all passed || echo SOME FAILED)"

declare -A V # "case/build" -> the rounds' values, one per line
add() { V[$1]+="$2"$'\n'; }
scanned() { # scanned CASE BUILD "WALL_MS CPU_MS STATUS" WANT_STATUS
	local w c st
	read -r w c st <<<"$3"
	[[ $st == "$4" ]] || check "$2: $1 exited $st, not $4" 0
	add "$1/$2" "$(awk -v v="$w" 'BEGIN { printf "%.4f", v / 1000 }')"
	add "$1-cpu/$2" "$(awk -v v="$c" 'BEGIN { printf "%.4f", v / 1000 }')"
}

start=$SECONDS
last=0
done_rounds=0
for ((r = 1; r <= RUNS; r++)); do
	if ((SECONDS - start + last > BUDGET)); then
		echo "note: budget of $BUDGET s reached, $done_rounds of $RUNS rounds run"
		break
	fi
	t0=$SECONDS
	if ((r % 2)); then order=(old new); else order=(new old); fi
	read -ra v < <(bnx python3 "$T/timer.py" "$PROBE_RUNS" 30 \
		"${BIN[${order[0]}]} -z 127.0.0.1 $PORT" "${BIN[${order[1]}]} -z 127.0.0.1 $PORT" /bin/true)
	add "probe/${order[0]}" "${v[0]}"
	add "probe-cpu/${order[0]}" "${v[1]}"
	add "probe/${order[1]}" "${v[3]}"
	add "probe-cpu/${order[1]}" "${v[4]}"
	add true/old "${v[6]}"
	add true-cpu/old "${v[7]}"
	[[ ${v[2]} == 0 && ${v[5]} == 0 ]] || check "probe: ${order[0]} exited ${v[2]}, ${order[1]} ${v[5]}" 0
	if ((netns)); then
		for b in "${order[@]}"; do
			scanned full "$b" "$(bnx python3 "$T/timer.py" 1 60 "${BIN[$b]} -z 127.0.0.1 1-65535")" 0
		done
		for b in "${order[@]}"; do
			scanned drop "$b" "$(bnx python3 "$T/timer.py" 1 60 "${BIN[$b]} -z -w 1 127.0.0.2 30000-30999")" 1
		done
	fi
	for tr in tcp unix; do
		for b in "${order[@]}"; do
			nc=${BIN[$b]}
			if [[ $tr == tcp ]]; then
				bench_bulk_one tcp "$nc -l 127.0.0.1 @P@" "$nc -N 127.0.0.1 @P@ <'$T/data'" >"$T/one"
			else
				bench_bulk_one unix "$nc -lU @P@" "$nc -NU @P@ <'$T/data'" >"$T/one"
			fi
			read -r rate cpu <"$T/one"
			[[ $rate != fail ]] || check "$b: a $tr transfer failed" 0
			add "$tr/$b" "$rate"
			add "$tr-cpu/$b" "$cpu"
		done
	done
	last=$((SECONDS - t0))
	done_rounds=$r
	echo "round $r of $RUNS done in ${last} s, load $(cut -d' ' -f1 /proc/loadavg)" >&2
done

# line LABEL KEY [inverse]: both medians, and NEW/OLD within each round
# (inverse: OLD/NEW, for a rate, so that the ratio is one of times).
line() {
	local o=${V[$2/old]-} n=${V[$2/new]-} rs
	if [[ -z $o || -z $n || $o$n == *fail* ]]; then
		printf '%-40s %10s %10s %9s\n' "$1" "$(median <<<"$o")" "$(median <<<"$n")" "n/a"
		return
	fi
	if [[ ${3-} == inverse ]]; then rs=$(ratios "$o" "$n"); else rs=$(ratios "$n" "$o"); fi
	printf '%-40s %10s %10s %8sx %s\n' "$1" "$(median <<<"$o")" "$(median <<<"$n")" \
		"$(median <<<"$rs")" "$(range <<<"$rs")"
}
echo
echo "$done_rounds rounds; NEW/OLD of times, within each round: below 1, NEW is faster"
printf '%-40s %10s %10s %9s %s\n' case OLD NEW NEW/OLD "range"
line "probe -z 1 port: wall ms (median)" probe
line "probe -z 1 port: CPU ms (mean)" probe-cpu
if ((netns)); then
	line "1-65535, 3 listeners: wall s" full
	line "1-65535, 3 listeners: CPU s" full-cpu
	line "1000 dropped ports, -w 1: wall s" drop
	line "1000 dropped ports, -w 1: CPU s" drop-cpu
fi
line "TCP ${SIZE} MiB: MiB/s (ratio: time)" tcp inverse
line "TCP ${SIZE} MiB: CPU s, both ends" tcp-cpu
line "Unix ${SIZE} MiB: MiB/s (ratio: time)" unix inverse
line "Unix ${SIZE} MiB: CPU s, both ends" unix-cpu
echo "starting any process (/bin/true, in the probe's rounds): wall $(median <<<"${V[true/old]-}") ms," \
	"CPU $(median <<<"${V[true-cpu/old]-}") ms"
echo "load at the end $(bench_load)"
exit "$failed"
