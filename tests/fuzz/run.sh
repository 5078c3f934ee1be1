#!/bin/sh
# Runs one fuzz harness: run.sh HARNESS NAME LIMIT SEEDS WORKDIR, LIMIT being
# seconds ("10s") or executions ("10000000"); run.sh --skip REASON exits 77
# for a build without fuzzers. meson test and campaign.sh both call it.
# New inputs go to WORKDIR/corpus, never to the seeds in the repository; the
# whole output is in WORKDIR/last.log. A crash fails the run and prints the
# input's path, its bytes and a command that replays it.
if [ "$1" = --skip ]; then
	echo "SKIP: $2"
	exit 77
fi
exe=$1 name=$2 limit=$3 seeds=$4 work=$5
case $exe in /*) ;; *) exe=$PWD/$exe ;; esac
case $work in /*) ;; *) work=$PWD/$work ;; esac
case $limit in
*s) limit=-max_total_time=${limit%s} ;;
*) limit=-runs=$limit ;;
esac
mkdir -p "$work/corpus" || exit 1
log=$work/last.log
set -- "$work/corpus"
[ -d "$seeds" ] && set -- "$@" "$seeds"

# libFuzzer's own failure status is 77, which meson would count as a skip.
"$exe" "$limit" -timeout=10 -print_final_stats=1 -error_exitcode=1 -timeout_exitcode=1 \
	-artifact_prefix="$work/" "$@" >"$log" 2>&1
rc=$?
# The line per new input is left out here, not from the log.
grep -Ev '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)' "$log"
[ "$rc" -eq 0 ] && exit 0

echo "FAIL: fuzz_$name exited with status $rc (full log: $log)"
sed -n 's/.*Test unit written to //p' "$log" | while read -r unit; do
	[ -f "$unit" ] || continue
	echo "crashing input: $unit ($(wc -c <"$unit") bytes)"
	od -A d -t x1z -v "$unit" | head -n 64
	echo "base64: $(base64 -w 0 "$unit")"
	echo "replay: $exe $unit"
done
exit 1
