# Differential testing: the same command under our nc and under
# netcat-openbsd ($NC_REF, default /bin/nc.openbsd), compared on stdout,
# stderr and exit status.  Both binaries are run through a symlink named
# "nc" (in two temp directories), so both messages start with "nc:".
#
#   differential_setup        in setup(), after common_setup: skips the test
#                             when netcat-openbsd is not installed.
#   same ARGS...              runs ARGS under both and records any
#                             difference; CAPTURE_STDIN (default /dev/null)
#                             is their stdin, NORMALIZE (default cat) filters
#                             both stderrs before comparing.
#   all_same                  fails listing every difference recorded.

: "${NC_REF:=/bin/nc.openbsd}"

differential_setup() {
	[[ -x $NC_REF ]] || skip "netcat-openbsd ($NC_REF) is not installed"
	REF_BIN_DIR=$BATS_TEST_TMPDIR/ref
	make_nc_link "$REF_BIN_DIR" "$NC_REF"
	MISMATCHES=""
	COMPARED=0
	CMP_SEQ=0
	CAPTURE_STDIN=/dev/null
	NORMALIZE='cat'
}

# capture DIR TAG ARGS...: TAG.out, TAG.err (normalised), TAG.rc
capture() {
	local dir=$1 tag=$2 rc=0
	shift 2
	local base=$BATS_TEST_TMPDIR/$tag
	run_nc_from "$dir" "$@" <"$CAPTURE_STDIN" >"$base.out" 2>"$base.raw" || rc=$?
	$NORMALIZE <"$base.raw" >"$base.err"
	echo "$rc" >"$base.rc"
}

# same ARGS...: run ARGS under both; record any difference.
same() {
	local n=$((CMP_SEQ++))
	capture "$NC_BIN_DIR" "ours$n" "$@"
	capture "$REF_BIN_DIR" "ref$n" "$@"
	COMPARED=$((COMPARED + 1))
	local o=$BATS_TEST_TMPDIR/ours$n r=$BATS_TEST_TMPDIR/ref$n what=""
	cmp -s "$o.rc" "$r.rc" || what+=" rc"
	cmp -s "$o.err" "$r.err" || what+=" stderr"
	cmp -s "$o.out" "$r.out" || what+=" stdout"
	if [[ -n $what ]]; then
		MISMATCHES+="
== nc $* : differs in$what
-- ours (rc $(cat "$o.rc")):
$(cat "$o.err")
-- netcat-openbsd (rc $(cat "$r.rc")):
$(cat "$r.err")
"
		if [[ $what == *stdout* ]]; then
			MISMATCHES+="-- stdout ours: $(head -c 200 "$o.out" | od -c | head -5)
-- stdout netcat-openbsd: $(head -c 200 "$r.out" | od -c | head -5)
"
		fi
	fi
}

# all_same: fail listing every difference found.
all_same() {
	((COMPARED > 0)) || fail "nothing compared"
	[[ -z $MISMATCHES ]] || fail "$MISMATCHES"
}
