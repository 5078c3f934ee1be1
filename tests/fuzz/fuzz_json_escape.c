/*
 * json_escape (report_json.c): peer- and user-supplied text (host names,
 * paths, reasons) inside a --json string. The first input byte sizes a
 * short buffer, the rest is the text. The escaped text is valid JSON string
 * content and decodes to the input, with each byte that is not part of
 * valid UTF-8 replaced by U+FFFD; the return value is the length needed; a
 * short buffer gets a NUL-terminated prefix that stops only between escapes
 * and uses the room it has.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "report/report_json.h"

/*
 * The UTF-8 sequence at s (n bytes): its code point in *cp and its length,
 * or 0 if it is not valid (overlong, surrogate, past U+10FFFF, cut short).
 * Written from the definition, not from the table report_json.c uses.
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	static const unsigned long min[] = {0, 0, 0x80, 0x800, 0x10000};
	size_t len;
	unsigned long c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0)
		len = 2, c = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		len = 3, c = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static size_t
utf8_encode(unsigned long cp, unsigned char *out)
{
	if (cp < 0x80) {
		out[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (unsigned char)(0xc0 | cp >> 6);
		out[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (unsigned char)(0xe0 | cp >> 12);
		out[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (unsigned char)(0xf0 | cp >> 18);
	out[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* What the input should decode to: valid UTF-8 kept, every other byte U+FFFD. */
static size_t
expected(const unsigned char *s, size_t n, unsigned char *out, bool *valid)
{
	size_t i = 0, o = 0;
	unsigned long cp;

	*valid = true;
	while (i < n) {
		size_t len = utf8_decode(s + i, n - i, &cp);
		if (len == 0) {
			*valid = false;
			o += utf8_encode(0xfffd, out + o);
			i++;
		} else {
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
		}
	}
	return o;
}

static int
hex(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decodes JSON string content (RFC 8259, without the quotes) into out;
 * aborts if it is not valid: a raw control character, quote or lone
 * backslash, a bad escape, a lone surrogate, or invalid UTF-8.
 */
static size_t
json_decode(const unsigned char *s, size_t n, unsigned char *out)
{
	size_t i = 0, o = 0;

	while (i < n) {
		unsigned long cp;
		if (s[i] != '\\') {
			FUZZ_CHECK(s[i] >= 0x20 && s[i] != '"');
			size_t len = utf8_decode(s + i, n - i, &cp);
			FUZZ_CHECK(len != 0);
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
			continue;
		}
		FUZZ_CHECK(i + 1 < n);
		const char *simple = strchr("\"\\/bfnrt", s[i + 1]);
		if (s[i + 1] != '\0' && simple != NULL) {
			out[o++] = (unsigned char)"\"\\/\b\f\n\r\t"[simple - "\"\\/bfnrt"];
			i += 2;
			continue;
		}
		FUZZ_CHECK(s[i + 1] == 'u' && i + 6 <= n);
		cp = 0;
		for (size_t k = 2; k < 6; k++) {
			int h = hex(s[i + k]);
			FUZZ_CHECK(h >= 0);
			cp = cp << 4 | (unsigned long)h;
		}
		/* json_escape writes \u only for control characters and U+FFFD: never a surrogate. */
		FUZZ_CHECK(cp < 0xd800 || cp > 0xdfff);
		o += utf8_encode(cp, out + o);
		i += 6;
	}
	return o;
}

/* The length of the escape or UTF-8 character that starts escaped text at s. */
static size_t
piece_len(const char *s)
{
	unsigned long cp;

	if (s[0] == '\\')
		return s[1] == 'u' ? 6 : 2;
	return utf8_decode((const unsigned char *)s, strlen(s), &cp);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t shortlen = (size_t)fuzz_take(&data, &size, 1);
	const char *src = (const char *)data;

	/* Sizing call, then the whole text in exactly the room it asked for. */
	size_t need = json_escape(NULL, 0, src, size);
	FUZZ_CHECK(need >= size && need <= size * 6);
	char *full = fuzz_malloc(need + 1);
	FUZZ_CHECK(json_escape(full, need + 1, src, size) == need);
	FUZZ_CHECK(strlen(full) == need);

	unsigned char *want = fuzz_malloc(size * 3);
	unsigned char *got = fuzz_malloc(need);
	bool valid;
	size_t wantlen = expected(data, size, want, &valid);
	size_t gotlen = json_decode((const unsigned char *)full, need, got);
	FUZZ_CHECK(gotlen == wantlen && memcmp(got, want, gotlen) == 0);
	FUZZ_CHECK(!valid || (gotlen == size && memcmp(got, data, size) == 0));

	/* A short buffer: same return, a prefix cut between pieces, as long as fits. */
	char *part = fuzz_malloc(shortlen);
	memset(part, 'X', shortlen);
	FUZZ_CHECK(json_escape(part, shortlen, src, size) == need);
	if (shortlen > 0) {
		size_t k = strnlen(part, shortlen);
		FUZZ_CHECK(k < shortlen);
		FUZZ_CHECK(memcmp(part, full, k) == 0);
		json_decode((const unsigned char *)part, k, got);
		if (k < need)
			FUZZ_CHECK(k + piece_len(full + k) >= shortlen);
	}
	free(part);
	free(got);
	free(want);
	free(full);
	return 0;
}
