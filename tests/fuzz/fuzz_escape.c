/*
 * --send STRING's escapes (cli_escape.c). The first byte picks a mode.
 *
 * Raw: the input as the string, out with exactly the room the header asks
 * for (strlen + 1). The output is never longer than the input; a string
 * without backslashes comes out as it went in; an error points at a
 * backslash inside the input, its text lies inside the input and is the
 * escape its status names, and everything before it decodes.
 *
 * Round trip: the input's bytes, each written as the following byte says
 * (itself, \xHH, \NNN or its one-letter escape), decode to those bytes.
 */
#include <stdbool.h>

#include "cli/cli_escape.h"
#include "fuzz.h"

static bool
is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool
is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* Decodes s in an exact-size copy; out needs strlen(s) + 1. */
static enum escape_status
decode(const char *s, size_t n, char *out, size_t *outlen, struct escape_error *e)
{
	char *in = fuzz_malloc(n + 1);
	memcpy(in, s, n);
	in[n] = '\0';
	*outlen = 0xdead;
	memset(e, 0, sizeof(*e));
	enum escape_status st = escape_decode(in, out, outlen, e);
	/* Pointers into the copy, as offsets. */
	if (st != ESCAPE_OK) {
		FUZZ_CHECK(e->text == in + e->offset);
		e->text = s + e->offset;
	}
	free(in);
	return st;
}

static size_t
count_backslashes(const char *s)
{
	size_t n = 0;
	for (; *s != '\0'; s++)
		n += *s == '\\';
	return n;
}

static void
raw(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	size_t n = strlen(s), outlen;
	char *out = fuzz_malloc(n + 1);
	struct escape_error e;

	enum escape_status st = decode(s, n, out, &outlen, &e);
	FUZZ_CHECK(e.status == st);
	if (st == ESCAPE_OK) {
		FUZZ_CHECK(outlen <= n && out[outlen] == '\0');
		if (strchr(s, '\\') == NULL)
			FUZZ_CHECK(outlen == n && memcmp(out, s, n) == 0);
		/* Only an escape makes a byte from more than one: as many escapes as bytes saved. */
		FUZZ_CHECK(n - outlen <= 3 * count_backslashes(s));
		goto out;
	}
	FUZZ_CHECK(outlen == 0);
	FUZZ_CHECK(e.offset < n && s[e.offset] == '\\');
	FUZZ_CHECK(e.text_len >= 1 && e.offset + (size_t)e.text_len <= n);
	const char *x = s + e.offset + 1; /* what follows the backslash */
	switch (st) {
	case ESCAPE_UNTERMINATED:
		FUZZ_CHECK(e.offset == n - 1 && e.text_len == 1);
		break;
	case ESCAPE_NO_HEX:
		FUZZ_CHECK(x[0] == 'x' && !is_hex(x[1]) && e.text_len == 2);
		break;
	case ESCAPE_OCTAL_RANGE:
		FUZZ_CHECK(e.text_len == 4 && x[0] >= '4' && x[0] <= '7' && is_octal(x[1]) &&
		    is_octal(x[2]));
		break;
	case ESCAPE_UNKNOWN:
		FUZZ_CHECK(x[0] != '\0' && strchr("\\\"'abefnrtvx01234567", x[0]) == NULL);
		FUZZ_CHECK(e.text_len >= 2);
		break;
	default:
		FUZZ_CHECK(!"a status the header does not name");
	}
	/* The first bad escape: what comes before it decodes. */
	size_t before;
	struct escape_error e2;
	FUZZ_CHECK(decode(s, e.offset, out, &before, &e2) == ESCAPE_OK);
out:
	free(out);
	free(s);
}

static const struct {
	char letter;
	uint8_t byte;
} letters[] = {
    {'\\', '\\'},
    {'"', '"'},
    {'\'', '\''},
    {'a', 7},
    {'b', 8},
    {'e', 0x1b},
    {'f', 12},
    {'n', 10},
    {'r', 13},
    {'t', 9},
    {'v', 11},
};

static void
round_trip(const uint8_t *data, size_t size)
{
	size_t m = size / 2;
	uint8_t *want = fuzz_malloc(m);
	char *s = fuzz_malloc(4 * m + 1), *out;
	size_t n = 0, outlen;
	struct escape_error e;

	for (size_t i = 0; i < m; i++) {
		uint8_t b = data[2 * i], how = data[2 * i + 1] % 4;
		want[i] = b;
		char letter = 0;
		for (size_t k = 0; k < sizeof(letters) / sizeof(letters[0]); k++)
			if (letters[k].byte == b)
				letter = letters[k].letter;
		if (how == 0 && b != '\\' && b != '\0') {
			s[n++] = (char)b;
		} else if (how == 1 && letter != 0) {
			s[n++] = '\\';
			s[n++] = letter;
		} else if (how == 2) {
			n += (size_t)sprintf(s + n, "\\x%02x", b);
		} else {
			n += (size_t)sprintf(s + n, "\\%03o", b);
		}
	}
	out = fuzz_malloc(n + 1);
	FUZZ_CHECK(decode(s, n, out, &outlen, &e) == ESCAPE_OK);
	FUZZ_CHECK(outlen == m && memcmp(out, want, m) == 0 && out[m] == '\0');
	free(out);
	free(s);
	free(want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fuzz_take(&data, &size, 1) & 1)
		round_trip(data, size);
	else
		raw(data, size);
	return 0;
}
