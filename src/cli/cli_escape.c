/* --send STRING: C escapes into bytes. */
#include "cli/cli_escape.h"

#include <stdbool.h>

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* The byte a one-letter escape stands for, or -1. */
static int
simple_escape(char c)
{
	switch (c) {
	case '\\':
	case '"':
	case '\'':
		return c;
	case 'a':
		return '\a';
	case 'b':
		return '\b';
	case 'e':
		return 0x1b;
	case 'f':
		return '\f';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case 'v':
		return '\v';
	default:
		return -1;
	}
}

static enum escape_status
fail(struct escape_error *err, enum escape_status st, const char *in, const char *bs, size_t len)
{
	err->status = st;
	err->offset = (size_t)(bs - in);
	err->text = bs;
	err->text_len = (int)len;
	return st;
}

enum escape_status
escape_decode(const char *in, char *out, size_t *outlen, struct escape_error *err)
{
	const char *p = in;
	size_t n = 0;

	*outlen = 0;
	out[0] = '\0';
	while (*p != '\0') {
		if (*p != '\\') {
			out[n++] = *p++;
			continue;
		}
		const char *bs = p++;
		int v;
		if (*p == '\0')
			return fail(err, ESCAPE_UNTERMINATED, in, bs, 1);
		if ((v = simple_escape(*p)) >= 0) {
			out[n++] = (char)v;
			p++;
		} else if (*p == 'x') {
			p++;
			if (hex_value(*p) < 0)
				return fail(err, ESCAPE_NO_HEX, in, bs, 2);
			v = hex_value(*p++);
			if (hex_value(*p) >= 0)
				v = v * 16 + hex_value(*p++);
			out[n++] = (char)v;
		} else if (is_octal(*p)) {
			v = 0;
			for (int i = 0; i < 3 && is_octal(*p); i++)
				v = v * 8 + (*p++ - '0');
			if (v > 0377)
				return fail(err, ESCAPE_OCTAL_RANGE, in, bs, (size_t)(p - bs));
			out[n++] = (char)v;
		} else {
			/* The whole UTF-8 character after the backslash, for the message. */
			size_t len = 2;
			if ((unsigned char)*p >= 0xc0)
				while ((p[len - 1] & 0xc0) == 0x80)
					len++;
			return fail(err, ESCAPE_UNKNOWN, in, bs, len);
		}
	}
	out[n] = '\0';
	*outlen = n;
	err->status = ESCAPE_OK;
	return ESCAPE_OK;
}
