/*
 * report_escape (report_text.c), which every line nc prints goes through,
 * with hosts, paths and proxy answers from the user or the network in it.
 * The input is the text, in an exact-size copy; out has exactly the room
 * the header asks for, 4n + 1. The output is NUL-terminated at the length
 * returned and holds no NUL before it, no control byte (C0, DEL, and no
 * C1, line separator or bidi control as UTF-8) and only well-formed UTF-8;
 * text that is already printable comes out unchanged; and escaping works
 * piece by piece: cut after a printable ASCII byte, the two halves escape
 * to the two halves of the output.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "report/report_text.h"

/*
 * The length of the UTF-8 character at s if it is printable text, else 0:
 * well-formed, shortest form, no surrogates, nothing past U+10FFFF, and
 * none of what a terminal acts on: C1, U+200E/F, U+2028..202E, U+2066..2069.
 */
static size_t
text_char(const uint8_t *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (s[0] >= 0x20 && s[0] < 0x7f)
		return 1;
	if (s[0] >= 0xc0 && s[0] < 0xe0) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] < 0xf0) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] < 0xf8) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
	if (cp < least[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp < 0xa0 || cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return len;
}

static bool
all_text(const uint8_t *s, size_t n)
{
	for (size_t i = 0, k; i < n; i += k)
		if ((k = text_char(s + i, n - i)) == 0)
			return false;
	return true;
}

/* Escapes n bytes of data, checking the output; returns it (free it). */
static char *
escape(const uint8_t *data, size_t n, size_t *len)
{
	char *s = (char *)fuzz_dup(data, n), *out = fuzz_malloc(4 * n + 1);

	*len = report_escape(out, s, n);
	FUZZ_CHECK(*len <= 4 * n && out[*len] == '\0' && strlen(out) == *len);
	FUZZ_CHECK(all_text((const uint8_t *)out, *len));
	free(s);
	return out;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n, a, b;
	char *out = escape(data, size, &n);

	if (all_text(data, size))
		FUZZ_CHECK(n == size && memcmp(out, data, size) == 0);

	/* Cut after a printable ASCII byte: the first such at or after a point the input picks. */
	size_t from = size > 0 ? data[0] % size : 0;
	for (size_t k = from; k < size; k++) {
		if (data[k] < 0x20 || data[k] >= 0x7f)
			continue;
		char *x = escape(data, k + 1, &a), *y = escape(data + k + 1, size - k - 1, &b);
		FUZZ_CHECK(a + b == n && memcmp(out, x, a) == 0 && memcmp(out + a, y, b) == 0);
		free(x);
		free(y);
		break;
	}
	free(out);
	return 0;
}
