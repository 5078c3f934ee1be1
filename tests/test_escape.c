/* Unit tests of --send's escape decoder. */
#include <stdlib.h>

#include "check.h"
#include "cli/cli_escape.h"

/* Decodes in and compares with want (want_len bytes). */
static void
ok(const char *in, const char *want, size_t want_len)
{
	char *out = malloc(strlen(in) + 1);
	size_t n = 12345;
	struct escape_error e;

	CHECK(escape_decode(in, out, &n, &e) == ESCAPE_OK);
	CHECK(e.status == ESCAPE_OK);
	CHECK(n == want_len);
	CHECK(n == want_len && memcmp(out, want, want_len) == 0);
	CHECK(out[n] == '\0');
	free(out);
}

static void
bad(const char *in, enum escape_status want, size_t offset, const char *text)
{
	char *out = malloc(strlen(in) + 1);
	size_t n;
	struct escape_error e = {0};

	CHECK(escape_decode(in, out, &n, &e) == want);
	CHECK(e.status == want);
	CHECK(e.offset == offset);
	CHECK(e.text == in + offset);
	CHECK(e.text_len == (int)strlen(text));
	CHECK(strncmp(e.text, text, strlen(text)) == 0);
	free(out);
}

static void
test_plain(void)
{
	ok("", "", 0);
	ok("PING", "PING", 4);
	ok("a b%s\"'", "a b%s\"'", 7);
}

static void
test_letters(void)
{
	ok("PING\\r\\n", "PING\r\n", 6);
	ok("\\a\\b\\e\\f\\n\\r\\t\\v", "\a\b\x1b\f\n\r\t\v", 8);
	ok("\\\\", "\\", 1);
	ok("\\\"\\'", "\"'", 2);
	ok("a\\\\nb", "a\\nb", 4);
}

static void
test_numbers(void)
{
	ok("\\0", "\0", 1);
	ok("a\\0b", "a\0b", 3);
	ok("\\x00\\x00", "\0\0", 2);
	ok("\\x41\\x4a\\x4A", "AJJ", 3);
	ok("\\x4", "\x04", 1);
	ok("\\x41B", "AB", 2); /* two digits at most, as printf(1) */
	ok("\\xffz", "\xffz", 2);
	ok("\\101", "A", 1);
	ok("\\12", "\n", 1);
	ok("\\0123", "\n3", 2); /* three digits at most */
	ok("\\377", "\xff", 1);
}

static void
test_errors(void)
{
	bad("abc\\", ESCAPE_UNTERMINATED, 3, "\\");
	bad("\\", ESCAPE_UNTERMINATED, 0, "\\");
	bad("a\\x", ESCAPE_NO_HEX, 1, "\\x");
	bad("\\xg1", ESCAPE_NO_HEX, 0, "\\x");
	bad("ok\\q", ESCAPE_UNKNOWN, 2, "\\q");
	bad("\\8", ESCAPE_UNKNOWN, 0, "\\8");
	bad("\\c", ESCAPE_UNKNOWN, 0, "\\c");
	bad("\\u0041", ESCAPE_UNKNOWN, 0, "\\u");
	bad("x\\\xc3\xa9y", ESCAPE_UNKNOWN, 1, "\\\xc3\xa9"); /* a whole UTF-8 character */
	bad("\\400", ESCAPE_OCTAL_RANGE, 0, "\\400");
	bad("ab\\777c", ESCAPE_OCTAL_RANGE, 2, "\\777");
	/* The first error wins. */
	bad("\\q\\", ESCAPE_UNKNOWN, 0, "\\q");
}

int
main(void)
{
	test_plain();
	test_letters();
	test_numbers();
	test_errors();
	return check_summary("escape");
}
