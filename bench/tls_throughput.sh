#!/usr/bin/env bash
# Bulk transfer over TLS on loopback: our nc -c next to ncat --ssl, socat
# OPENSSL, openssl s_client -> s_server, plain TCP, and openssl speed's
# AES-256-GCM figure as the ceiling. Each tool moves the file both ways:
# "up" (client's stdin to the server's stdout) and "down" (server's stdin
# to the client's stdout); output goes to /dev/null. The cases take turns,
# round by round (--runs rounds). Prints MiB/s and CPU seconds of both ends
# per GiB, median (range) over the rounds, and our ratios to the peers,
# each taken within a round (issue 12's target: >= 1.15x ncat --ssl).
#
#   bench/tls_throughput.sh [--size MiB] [--runs N] [--nc PATH] [--install]
#
# Our nc is skipped, with a note, when it does not speak TLS (a build
# without libtls). Peers that are not installed are skipped too (--install
# apt-gets them). The first line shows what ours negotiates.
# Measures, never verifies content: the tests check integrity.
set -euo pipefail
export LC_ALL=C

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/lib.sh
. "$here/lib.sh"
NC=${NC:-$here/../build/nc}
size=1024
runs=1
install=false
while (($#)); do
	case $1 in
	--size) size=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--nc) NC=$2; shift 2 ;;
	--install) install=true; shift ;;
	-h | --help) sed -n '2,16p' "$0"; exit 0 ;;
	*) echo "tls_throughput.sh: unknown argument: $1" >&2; exit 2 ;;
	esac
done
[[ $NC == /* ]] || NC=$PWD/$NC
if $install; then
	apt-get install -y ncat socat openssl netcat-openbsd >/dev/null
fi
have() { command -v "$1" >/dev/null 2>&1; }
if ! have openssl; then
	echo "tls_throughput.sh: needs openssl(1) for the certificates" >&2
	exit 1
fi

tmp=$(mktemp -d)
pids=()
cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

sh "$here/../tests/tls_certs.sh" "$tmp/certs"
CA=$tmp/certs/ca.pem
CERT=$tmp/certs/server.pem
KEY=$tmp/certs/server.key

# Seconds a client may take: a run slower than 10 MiB/s has gone wrong.
limit=$((30 + size / 10))

data=$tmp/data
head -c $((size * 1024 * 1024)) /dev/urandom >"$data"
cat "$data" >/dev/null # into the page cache: we measure the network path

now() { echo "${EPOCHREALTIME/./}"; } # microseconds

# one SRV CLI: one transfer; prints "MiB/s cpu_seconds". SRV and CLI are
# bash commands where @P@ stands for the port.
one() {
	local srv=$1 cli=$2 port t0 t1 spid
	port=$(bench_free_port)
	srv=${srv//@P@/$port}
	cli=${cli//@P@/$port}
	/usr/bin/time -f '%U %S' -o "$tmp/srv.time" bash -c "exec $srv" >/dev/null 2>"$tmp/srv.err" &
	spid=$!
	pids+=("$spid")
	if ! bench_ready tcp "$port"; then
		kill "$spid" 2>/dev/null || true
		echo "fail fail"
		return
	fi
	t0=$(now)
	# A peer that hangs (s_server/s_client now and then, down) is a failed run.
	local rc=0
	/usr/bin/time -f '%U %S' -o "$tmp/cli.time" timeout "$limit" bash -c "exec $cli" \
		>/dev/null 2>"$tmp/cli.err" || rc=$?
	# A server that does not notice the end is stopped after 60 s: failed too.
	local i
	for ((i = 0; i < 6000; i++)); do
		kill -0 "$spid" 2>/dev/null || break
		sleep 0.01
	done
	kill "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	t1=$(now)
	if ((rc == 124 || i == 6000)); then
		echo "fail fail"
		return
	fi
	local cpu
	cpu=$(cat "$tmp/srv.time" "$tmp/cli.time" 2>/dev/null |
		awk 'NF == 2 && $1 ~ /^[0-9.]+$/ { s += $1 + $2 } END { printf "%.3f", s }')
	awk -v s="$size" -v us=$((t1 - t0)) -v c="$cpu" 'BEGIN { printf "%.1f %s\n", s / (us / 1e6), c }'
}


# The cases take turns: each round runs every case once, so that a change
# in the machine's load hits them alike, and each ratio is taken within a
# round. row only registers a case; the rounds run after the last one.
declare -A SRV CLI RATES CPUS
CASES=()
# row WAY TOOL SRV CLI
row() {
	CASES+=("$1/$2")
	SRV[$1/$2]=$3
	CLI[$1/$2]=$4
}
SKIPPED=()
skip() { SKIPPED+=("$(printf '%-5s %-24s %s' "$1" "$2" "skipped: $3")"); }

D="<'$data'"

# Ours, once it speaks TLS.
ours_tls=
if [[ ! -x $NC ]]; then
	ours_tls="no nc at $NC"
else
	says=$(timeout 5 "$NC" -c -z -w 1 127.0.0.1 1 </dev/null 2>&1 || true)
	case $says in
	*"invalid option"* | *"not supported"* | *"built without"*) ours_tls="this nc has no -c yet" ;;
	esac
fi
OURS_SRV="$NC -l -c --tls-cert '$CERT' -K '$KEY' 127.0.0.1 @P@"
OURS_CLI="$NC -c -R '$CA' 127.0.0.1 @P@"
# What ours negotiates with itself (the peers' defaults are the same: OpenSSL 3).
negotiated() {
	local port spid line
	port=$(bench_free_port)
	$NC -l -c --tls-cert "$CERT" -K "$KEY" 127.0.0.1 "$port" </dev/null >/dev/null 2>&1 &
	spid=$!
	pids+=("$spid")
	bench_ready tcp "$port" || return 0
	line=$(timeout 10 "$NC" -zv -c -R "$CA" 127.0.0.1 "$port" 2>&1 | grep '^TLS handshake negotiated' || true)
	kill "$spid" 2>/dev/null || true
	wait "$spid" 2>/dev/null || true
	echo "${line:-ours: no handshake}"
}
if [[ -z $ours_tls ]]; then
	NEGOTIATED=$(negotiated)
	row up "nc -c (ours)" "$OURS_SRV" "$OURS_CLI -N $D"
	row down "nc -c (ours)" "$OURS_SRV -N $D" "$OURS_CLI </dev/null"
else
	skip up "nc -c (ours)" "$ours_tls"
	skip down "nc -c (ours)" "$ours_tls"
fi

if have ncat; then
	NSRV="ncat -l --ssl --ssl-cert '$CERT' --ssl-key '$KEY' 127.0.0.1 @P@"
	# ncat as people run it: --ssl without --ssl-verify (it checks no IP SANs).
	NCLI="ncat --ssl 127.0.0.1 @P@"
	row up "ncat --ssl" "$NSRV --recv-only" "$NCLI --send-only $D"
	row down "ncat --ssl" "$NSRV --send-only $D" "$NCLI --recv-only"
else
	skip up "ncat --ssl" "not installed"
	skip down "ncat --ssl" "not installed"
fi

if have socat; then
	SSRV="OPENSSL-LISTEN:@P@,bind=127.0.0.1,reuseaddr,cert='$CERT',key='$KEY',verify=0"
	SCLI="OPENSSL:127.0.0.1:@P@,cafile='$CA'"
	row up "socat OPENSSL" "socat -u $SSRV STDOUT" "socat -u STDIN $SCLI $D"
	row down "socat OPENSSL" "socat -u STDIN $SSRV $D" "socat -u $SCLI STDOUT"
else
	skip up "socat OPENSSL" "not installed"
	skip down "socat OPENSSL" "not installed"
fi

# s_server ends the connection at the end of its stdin: up, it reads one
# that stays open (fd 3). -nocommands: data lines starting with R or K are
# no renegotiation or key update requests.
mkfifo "$tmp/hold"
exec 3<>"$tmp/hold"
OSRV="openssl s_server -quiet -naccept 1 -accept 127.0.0.1:@P@ -cert '$CERT' -key '$KEY'"
OCLI="openssl s_client -quiet -nocommands -verify_return_error -CAfile '$CA' -connect 127.0.0.1:@P@"
row up "openssl s_client/s_server" "$OSRV <&3" "$OCLI -no_ign_eof $D"
# After the handshake s_server now and then waits in a blocking read for
# the client to speak first: the client says a line (-quiet keeps it
# reading after its stdin ends).
row down "openssl s_client/s_server" "$OSRV $D" "$OCLI <<<go"

# Plain TCP, for scale.
if [[ -x $NC ]]; then
	row up "plain TCP (our nc)" "$NC -l 127.0.0.1 @P@" "$NC -N 127.0.0.1 @P@ $D"
fi
if have nc.openbsd; then
	row up "plain TCP (nc.openbsd)" "nc.openbsd -l 127.0.0.1 @P@" "nc.openbsd -N 127.0.0.1 @P@ $D"
fi

for ((round = 0; round < runs; round++)); do
	for c in "${CASES[@]}"; do
		read -r r cpu < <(one "${SRV[$c]}" "${CLI[$c]}")
		RATES[$c]+="$r "
		CPUS[$c]+="$cpu "
	done
done

# The median and range of the numbers among the words; "fail" when none is.
stats() {
	tr ' ' '\n' | grep -E '^[0-9.]+$' | sort -g |
		awk '{ v[NR] = $1 } END { if (!NR) print "fail"; else if (NR == 1) print v[1]; else printf "%s (%s-%s)\n", v[int((NR + 1) / 2)], v[1], v[NR] }'
}

echo "# ${NEGOTIATED:-ours not measured}"
printf '%-5s %-26s %-24s %s\n' way tool 'MiB/s (range)' 'CPU s/GiB'
for c in "${CASES[@]}"; do
	cpu=$(printf '%s\n' ${CPUS[$c]} | awk -v s="$size" '/^[0-9.]+$/ { printf "%.2f ", $1 / (s / 1024) }' | stats)
	printf '%-5s %-26s %-24s %s\n' "${c%%/*}" "${c#*/}" "$(stats <<<"${RATES[$c]}")" "$cpu"
done
for l in "${SKIPPED[@]}"; do
	echo "$l"
done

# The ceiling: one core's AES-256-GCM on 16 KiB records (k = 1000 bytes).
speed=$(openssl speed -evp aes-256-gcm -bytes 16384 -seconds 2 2>/dev/null |
	awk '$1 == "AES-256-GCM" || $1 == "aes-256-gcm" { v = $NF } END { sub(/k$/, "", v); if (v != "") printf "%.0f", v * 1000 / 1048576 }')
printf '%-5s %-24s %10s\n' "-" "openssl speed aes-256-gcm" "${speed:-n/a}"

# ratio A B [TARGET]: A / B within each round, median (range over the rounds).
ratio() {
	local -a a=(${RATES[$1]:-}) b=(${RATES[$2]:-})
	local target=${3:-} k list=
	for ((k = 0; k < ${#a[@]} && k < ${#b[@]}; k++)); do
		[[ ${a[k]} == fail || ${b[k]} == fail ]] && continue
		list+="$(awk -v x="${a[k]}" -v y="${b[k]}" 'BEGIN { printf "%.2f", x / y }') "
	done
	if [[ -z $list ]]; then
		printf '%-54s %s\n' "$1 / $2" "n/a"
		return
	fi
	local st med
	st=$(stats <<<"$list")
	med=${st%% *}
	if [[ -z $target ]]; then
		printf '%-54s %sx\n' "$1 / $2" "$st"
	else
		printf '%-54s %sx  (target >= %sx: %s)\n' "$1 / $2" "$st" "$target" \
			"$(awk -v r="$med" -v t="$target" 'BEGIN { print (r >= t ? "met" : "NOT met") }')"
	fi
}
echo
echo "size ${size} MiB each way, $runs round(s), $(nproc) CPUs, $(openssl version | cut -d' ' -f1-2), load $(cut -d' ' -f1-3 /proc/loadavg)"
for way in up down; do
	ratio "$way/nc -c (ours)" "$way/ncat --ssl" 1.15
	ratio "$way/nc -c (ours)" "$way/socat OPENSSL"
	ratio "$way/nc -c (ours)" "$way/openssl s_client/s_server"
done
ratio "up/ncat --ssl" "up/plain TCP (nc.openbsd)"
if [[ -n ${speed:-} ]]; then
	for ((k = 0; k < runs; k++)); do RATES[ceiling]+="$speed "; done
	ratio "up/nc -c (ours)" "ceiling"
	ratio "up/ncat --ssl" "ceiling"
fi
