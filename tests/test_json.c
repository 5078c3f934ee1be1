/* Unit tests of the JSON string escaper and the probe state words. */
#include <errno.h>

#include "check.h"
#include "probe/probe.h"
#include "report/report_json.h"

/* Escapes s (n bytes) into a roomy buffer and compares with want. */
static void
escapes_to(const char *s, size_t n, const char *want)
{
	char buf[256];
	size_t need = json_escape(buf, sizeof(buf), s, n);
	CHECK(need == strlen(want));
	CHECK(strcmp(buf, want) == 0);
	if (strcmp(buf, want) != 0)
		fprintf(stderr, "  got \"%s\", want \"%s\"\n", buf, want);
}

#define ESC(lit, want) escapes_to(lit, sizeof(lit) - 1, want)

static void
test_plain(void)
{
	ESC("", "");
	ESC("localhost", "localhost");
	ESC("::1", "::1");
	ESC("a/b", "a/b");
	ESC("\x7f", "\x7f");
}

static void
test_specials(void)
{
	ESC("\"", "\\\"");
	ESC("\\", "\\\\");
	ESC("a\nb\rc\td", "a\\nb\\rc\\td");
	ESC("\b\f", "\\b\\f");
	ESC("\x01", "\\u0001");
	ESC("\x1f", "\\u001f");
	escapes_to("a\0b", 3, "a\\u0000b");
}

static void
test_utf8(void)
{
	ESC("caf\xc3\xa9", "caf\xc3\xa9");               /* é passes through */
	ESC("\xe2\x82\xac", "\xe2\x82\xac");             /* € */
	ESC("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80");     /* an emoji */
	ESC("\xff", "\\ufffd");                          /* never valid */
	ESC("\xc3", "\\ufffd");                          /* cut short */
	ESC("\xc0\xaf", "\\ufffd\\ufffd");               /* overlong '/' */
	ESC("\xed\xa0\x80", "\\ufffd\\ufffd\\ufffd");    /* a surrogate */
	ESC("\xf4\x90\x80\x80", "\\ufffd\\ufffd\\ufffd\\ufffd"); /* past U+10FFFF */
	ESC("\x80x", "\\ufffdx");                        /* lone continuation byte */
}

static void
test_truncation(void)
{
	char buf[6];

	/* Like snprintf: the full length comes back, the buffer holds what fits. */
	CHECK(json_escape(buf, sizeof(buf), "abcdefgh", 8) == 8);
	CHECK(strcmp(buf, "abcde") == 0);
	/* An escape that does not fit whole is left out, not cut in half. */
	CHECK(json_escape(buf, sizeof(buf), "abcd\"", 5) == 6);
	CHECK(strcmp(buf, "abcd") == 0);
	CHECK(json_escape(buf, sizeof(buf), "a\x01", 2) == 7);
	CHECK(strcmp(buf, "a") == 0);
	CHECK(json_escape(buf, 1, "abc", 3) == 3);
	CHECK(buf[0] == '\0');
	CHECK(json_escape(NULL, 0, "abc", 3) == 3);
}

static void
test_states(void)
{
	CHECK(strcmp(json_state_name(PROBE_OPEN), "open") == 0);
	CHECK(strcmp(json_state_name(PROBE_CLOSED), "closed") == 0);
	CHECK(strcmp(json_state_name(PROBE_FILTERED), "filtered") == 0);
	CHECK(strcmp(json_state_name(PROBE_OPEN_FILTERED), "open|filtered") == 0);
	CHECK(strcmp(json_state_name(PROBE_TIMEOUT), "timeout") == 0);
	CHECK(strcmp(json_state_name(PROBE_ERROR), "error") == 0);
	CHECK(probe_state_for_errno(0) == PROBE_OPEN);
	CHECK(probe_state_for_errno(ECONNREFUSED) == PROBE_CLOSED);
	CHECK(probe_state_for_errno(ETIMEDOUT) == PROBE_TIMEOUT);
	CHECK(probe_state_for_errno(EHOSTUNREACH) == PROBE_FILTERED);
	CHECK(probe_state_for_errno(ENETUNREACH) == PROBE_FILTERED);
	CHECK(probe_state_for_errno(EADDRNOTAVAIL) == PROBE_ERROR);
}

int
main(void)
{
	test_plain();
	test_specials();
	test_utf8();
	test_truncation();
	test_states();
	return check_summary("json");
}
