/*
 * parse_seconds (cli_options.c), the reader of -w, -i, -q and --wait. The
 * first input byte picks the limit, the rest is the text. An accepted value
 * lies in 0..limit and survives being printed and read again; a decimal
 * fraction is worth exactly what an independent reading says it is.
 */
#include <limits.h>
#include <stdbool.h>

#include "cli/cli_options.h"
#include "fuzz.h"

/* The limits options_parse passes, and a few small ones to make "too large" easy to reach. */
static const long long limits[] = {
    (long long)(INT_MAX / 1000) * 1000, /* -w, --wait */
    (long long)INT_MAX * 1000,          /* -q */
    (long long)UINT_MAX * 1000,         /* -i */
    0,
    999,
    1000,
    1500,
    60000,
};

/*
 * The reference for "digits.digits": a whole part of at least one digit
 * (".5" is refused, as the unit tests say), 1 to 9 decimals, rounded half up
 * to the millisecond. -1: not of that form; LLONG_MAX: larger than any limit.
 */
static long long
reference_ms(const char *s)
{
	const char *dot = strchr(s, '.');
	long long whole = 0;

	if (dot == NULL || dot == s || strlen(dot + 1) < 1 || strlen(dot + 1) > 9)
		return -1;
	for (const char *p = s; *p != '\0'; p++)
		if (p != dot && (*p < '0' || *p > '9'))
			return -1;
	for (const char *p = s; p < dot; p++) {
		whole = whole * 10 + (*p - '0');
		if (whole > (long long)UINT_MAX * 1000)
			return LLONG_MAX;
	}
	/* The decimals as a 9-digit integer: nanoseconds. */
	long long ns = 0;
	size_t decimals = strlen(dot + 1);
	for (size_t i = 0; i < 9; i++)
		ns = ns * 10 + (i < decimals ? dot[1 + i] - '0' : 0);
	return whole * 1000 + (ns + 500000) / 1000000;
}

static void
check_errstr(const char *errstr)
{
	FUZZ_CHECK(errstr != NULL);
	FUZZ_CHECK(strcmp(errstr, "invalid") == 0 || strcmp(errstr, "too large") == 0 ||
	    strcmp(errstr, "too small") == 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long long max = limits[fuzz_take(&data, &size, 1) % (sizeof(limits) / sizeof(limits[0]))];
	char *s = fuzz_cstr(data, size);
	const char *errstr = "unset";
	long long ms = -12345;
	bool ok = parse_seconds(s, max, &ms, &errstr);
	long long want = reference_ms(s);

	if (want >= 0) {
		FUZZ_CHECK(ok == (want <= max));
		if (ok)
			FUZZ_CHECK(ms == want);
		else
			FUZZ_CHECK(strcmp(errstr, "too large") == 0);
	} else if (strchr(s, '.') != NULL) {
		FUZZ_CHECK(!ok && strcmp(errstr, "invalid") == 0);
	}
	if (!ok) {
		check_errstr(errstr);
		free(s);
		return 0;
	}
	FUZZ_CHECK(errstr == NULL);
	FUZZ_CHECK(ms >= 0 && ms <= max);

	/* Round trip: the value printed back as seconds reads as the same value. */
	char text[64];
	long long again = -1;
	snprintf(text, sizeof(text), "%lld.%03lld", ms / 1000, ms % 1000);
	FUZZ_CHECK(parse_seconds(text, max, &again, &errstr) && errstr == NULL && again == ms);
	if (ms % 1000 == 0) {
		snprintf(text, sizeof(text), "%lld", ms / 1000);
		again = -1;
		FUZZ_CHECK(parse_seconds(text, max, &again, &errstr) && again == ms);
	}
	free(s);
	return 0;
}
