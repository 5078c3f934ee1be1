/*
 * --http's status line (probe_check.c http_parse_status), which any server
 * writes. The check parses the reply so far each time more arrives, so a
 * prefix must never decide otherwise than the whole: every prefix says
 * "need more" or the same thing, and once a line is complete, what follows
 * it changes nothing. An accepted line is "HTTP/" D ["." D] SP code, with
 * the code in 100..999 as written, a reason of reason bytes inside the
 * line, and a length of at most HTTP_STATUS_MAX, CRLF included; the
 * buffer is an exact-size copy, so a read past len is an ASan report.
 *
 * The first byte picks a mode. 0: the input as it is. 1: a long line,
 * made of the input's front, a run of one byte as long as two input bytes
 * say, and the input's rest, so that the 4096-byte bound is reached.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "probe/probe_check.h"

static enum http_parse
parse(const char *data, size_t len, struct http_status *st)
{
	char *buf = (char *)fuzz_dup((const uint8_t *)data, len);

	memset(st, 0xa5, sizeof(*st));
	enum http_parse r = http_parse_status(buf, len, st);
	/* reason points into buf: as an offset, so that it compares after the free. */
	if (r == HTTP_PARSE_OK) {
		FUZZ_CHECK(st->reason >= buf && st->reason + st->reason_len <= buf + st->line_len);
		st->reason = data + (st->reason - buf);
	}
	free(buf);
	return r;
}

static bool
digit(char c)
{
	return c >= '0' && c <= '9';
}

static void
check_ok(const char *s, size_t len, const struct http_status *st)
{
	size_t l = st->line_len;

	FUZZ_CHECK(l >= 11 && l <= len && l <= HTTP_STATUS_MAX && s[l - 1] == '\n');
	FUZZ_CHECK(memcmp(s, "HTTP/", 5) == 0 && digit(s[5]) && st->major == s[5] - '0');
	size_t at = 6;
	if (s[6] == '.') {
		FUZZ_CHECK(digit(s[7]) && st->minor == s[7] - '0');
		at = 8;
	} else {
		FUZZ_CHECK(st->minor == -1);
	}
	FUZZ_CHECK(s[at] == ' ' && digit(s[at + 1]) && digit(s[at + 2]) && digit(s[at + 3]));
	FUZZ_CHECK(st->code >= 100 && st->code <= 999);
	FUZZ_CHECK(
	    st->code == (s[at + 1] - '0') * 100 + (s[at + 2] - '0') * 10 + (s[at + 3] - '0'));
	/* The reason: after the code and an optional space, up to CRLF or LF, no controls. */
	size_t r = (size_t)(st->reason - s);
	FUZZ_CHECK(r == at + 4 || (r == at + 5 && s[at + 4] == ' '));
	size_t end = r + st->reason_len;
	FUZZ_CHECK(end == l - 1 || (end == l - 2 && s[l - 2] == '\r'));
	for (size_t i = r; i < end; i++) {
		unsigned char c = (unsigned char)s[i];
		FUZZ_CHECK(c == '\t' || (c >= 0x20 && c != 0x7f));
	}
}

static bool
same(const struct http_status *x, const struct http_status *y)
{
	return x->major == y->major && x->minor == y->minor && x->code == y->code &&
	    x->reason == y->reason && x->reason_len == y->reason_len && x->line_len == y->line_len;
}

/* A prefix of k bytes says "need more" or what the whole says. */
static void
check_prefix(const char *s, size_t k, enum http_parse r, const struct http_status *whole)
{
	struct http_status part;
	enum http_parse p = parse(s, k, &part);

	if (p == HTTP_PARSE_NEED_MORE)
		FUZZ_CHECK(r != HTTP_PARSE_OK || k < whole->line_len);
	else
		FUZZ_CHECK(p == r && (p != HTTP_PARSE_OK || same(&part, whole)));
}

static void
check(const char *s, size_t len)
{
	struct http_status whole;
	enum http_parse r = parse(s, len, &whole);

	FUZZ_CHECK(r == HTTP_PARSE_OK || r == HTTP_PARSE_NEED_MORE || r == HTTP_PARSE_GARBAGE);
	if (r == HTTP_PARSE_OK)
		check_ok(s, len, &whole);
	if (r == HTTP_PARSE_NEED_MORE)
		FUZZ_CHECK(len < HTTP_STATUS_MAX);

	/* Prefixes: all the short ones, then those around where the verdict can change. */
	for (size_t k = 0; k < len && k < 64; k++)
		check_prefix(s, k, r, &whole);
	size_t ks[] = {len / 2, len - 1, HTTP_STATUS_MAX - 2, HTTP_STATUS_MAX - 1, HTTP_STATUS_MAX,
	    HTTP_STATUS_MAX + 1, r == HTTP_PARSE_OK ? whole.line_len - 1 : 0,
	    r == HTTP_PARSE_OK ? whole.line_len : 0};
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++)
		if (ks[i] >= 64 && ks[i] < len)
			check_prefix(s, ks[i], r, &whole);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!(fuzz_take(&data, &size, 1) & 1)) {
		check((const char *)data, size);
		return 0;
	}
	size_t front = fuzz_take(&data, &size, 1), run = fuzz_take(&data, &size, 2);
	uint8_t fill = (uint8_t)fuzz_take(&data, &size, 1);
	if (front > size)
		front = size;
	size_t len = size + run;
	char *s = fuzz_malloc(len);
	memcpy(s, data, front);
	memset(s + front, fill, run);
	memcpy(s + front + run, data + front, size - front);
	check(s, len);
	free(s);
	return 0;
}
