/*
 * http_reader_feed (dial_http.c): an HTTP proxy's answer to CONNECT, fed as
 * it comes. The first input byte sets the size of the pieces the rest is
 * fed in. Fed in pieces, byte by byte or whole, the reader ends in the same
 * state with the same status line, code and count of bytes taken: where the
 * segments of a TCP stream fall changes nothing. It takes every byte while
 * it waits and stops at the end of the answer; once decided it stays so.
 * The status line is at most 1023 bytes, without CR or LF, NUL-terminated;
 * the code is set exactly for an "HTTP/d.d ddd" line (but 000), as its number; success is only a
 * 200 from HTTP/1.0 or 1.1, after which what was taken ends with the blank
 * line.
 */
#include <stdbool.h>

#include "fuzz.h"
#include "dial/dial_http.h"

/* Feeds buf in pieces of step bytes; the total taken. */
static size_t
feed(struct http_reader *h, const char *buf, size_t size, size_t step)
{
	size_t taken = 0;

	http_reader_init(h);
	for (size_t i = 0; i < size; i += step) {
		size_t n = size - i < step ? size - i : step, used;
		enum http_parse before = h->state;
		enum http_parse st = http_reader_feed(h, buf + i, n, &used);
		FUZZ_CHECK(used <= n && st == h->state);
		if (before != HTTP_PARSE_NEED_MORE)
			FUZZ_CHECK(st == before && used == 0);
		else if (st == HTTP_PARSE_NEED_MORE)
			FUZZ_CHECK(used == n);
		taken += used;
	}
	return taken;
}

static bool
digit(char c)
{
	return c >= '0' && c <= '9';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t step = (size_t)fuzz_take(&data, &size, 1) % 16 + 1;
	char *buf = fuzz_malloc(size);
	struct http_reader a, b, c;

	memcpy(buf, data, size);
	size_t ta = feed(&a, buf, size, step);
	size_t tb = feed(&b, buf, size, 1);
	size_t tc = feed(&c, buf, size, size == 0 ? 1 : size);
	FUZZ_CHECK(ta == tb && tb == tc);
	FUZZ_CHECK(a.state == b.state && b.state == c.state);
	FUZZ_CHECK(a.code == b.code && b.code == c.code);
	FUZZ_CHECK(strcmp(a.status, b.status) == 0 && strcmp(b.status, c.status) == 0);

	/* A NUL the proxy sent ends the line as messages show it; the bytes are all kept. */
	const char *s = a.status;
	size_t len = strnlen(s, sizeof(a.status));
	FUZZ_CHECK(a.status_len < sizeof(a.status) && s[a.status_len] == '\0' && len <= a.status_len);
	FUZZ_CHECK(memchr(s, '\r', a.status_len) == NULL && memchr(s, '\n', a.status_len) == NULL);
	bool shaped = len >= 12 && strncmp(s, "HTTP/", 5) == 0 && digit(s[5]) && s[6] == '.' &&
	    digit(s[7]) && s[8] == ' ' && digit(s[9]) && digit(s[10]) && digit(s[11]);
	/* "000" is shaped but no status: the code's 0 says "not HTTP" then too. */
	if (a.status_done)
		FUZZ_CHECK((a.code != 0) == (shaped && strncmp(s + 9, "000", 3) != 0));
	if (a.code != 0)
		FUZZ_CHECK(a.code == (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0'));
	if (a.state == HTTP_PARSE_NEED_MORE)
		FUZZ_CHECK(ta == size);
	if (a.state == HTTP_PARSE_OK) {
		FUZZ_CHECK(strncmp(s, "HTTP/1.0 200", 12) == 0 || strncmp(s, "HTTP/1.1 200", 12) == 0);
		FUZZ_CHECK(a.headers <= HTTP_HEADERS_MAX);
		/* The blank line ends it: the last LF taken follows another LF, CRs aside. */
		size_t i = ta;
		FUZZ_CHECK(i > 0 && buf[i - 1] == '\n');
		for (i--; i > 0 && buf[i - 1] == '\r'; i--)
			;
		FUZZ_CHECK(i > 0 && buf[i - 1] == '\n');
	}
	bool ok200 = strncmp(s, "HTTP/1.0 200", 12) == 0 || strncmp(s, "HTTP/1.1 200", 12) == 0;
	if (a.state == HTTP_PARSE_REFUSED)
		FUZZ_CHECK(a.code != 0 && !ok200);
	if (a.state == HTTP_PARSE_GARBAGE)
		FUZZ_CHECK(a.code == 0 && !ok200);
	free(buf);
	return 0;
}
