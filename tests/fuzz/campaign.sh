#!/bin/sh
# A long fuzzing campaign, before a release:
#   tests/fuzz/campaign.sh [LIMIT [NAME...]]
# LIMIT is executions per harness (default 10000000) or seconds ("600s");
# NAME picks harnesses (default: all). Builds build-fuzz with clang if it is
# not there ($BUILD names another), runs the harnesses one after another
# and prints executions and executions per second for each. New corpus
# entries stay in $BUILD/tests/fuzz/campaign/NAME/corpus. Exits 1 if any
# harness found a crash (its input is printed).
set -u
cd "$(dirname "$0")/../.." || exit 1
limit=${1:-10000000}
[ $# -gt 0 ] && shift
build=${BUILD:-build-fuzz}

if [ ! -f "$build/build.ninja" ]; then
	CC=${CC:-clang} meson setup "$build" -Dfuzz=enabled || exit 1
fi
meson compile -C "$build" || exit 1

if [ $# -eq 0 ]; then
	for exe in "$build"/tests/fuzz/fuzz_*; do
		[ -x "$exe" ] && [ -f "$exe" ] && set -- "$@" "${exe##*/fuzz_}"
	done
fi
[ $# -gt 0 ] || { echo "campaign: no fuzz harnesses in $build" >&2; exit 1; }

failed=0
results=
for name in "$@"; do
	work=$build/tests/fuzz/campaign/$name
	mkdir -p "$work" || exit 1
	start=$(date +%s.%N)
	if tests/fuzz/run.sh "$build/tests/fuzz/fuzz_$name" "$name" "$limit" \
		tests/fuzz/corpus/"$name" "$work" >"$work.out" 2>&1; then
		verdict=ok
	else
		verdict=CRASH
		failed=1
		cat "$work.out"
	fi
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/last.log")
	line=$(awk -v n="$name" -v runs="${runs:-0}" -v t0="$start" -v t1="$(date +%s.%N)" \
		-v v="$verdict" 'BEGIN { t = t1 - t0; if (t <= 0) t = 0.001
		printf "%-14s %12d %10d %7.1f  %s", n, runs, runs / t, t, v }')
	echo "$line"
	results="$results$line
"
done
echo
printf '%-14s %12s %10s %7s  %s\n' harness executions 'exec/s' seconds result
printf '%s' "$results"
exit $failed
