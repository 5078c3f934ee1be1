/*
 * HTTP CONNECT (dial_http.c): the proxy's answer, which a hostile proxy
 * writes, through http_reader_feed, and the request http_request builds
 * from the user's host, port, user name and password. The first byte
 * picks which.
 *
 * The reader must come to the same outcome (state, bytes taken, status
 * line, code, header count) however the answer is split across calls,
 * take nothing once decided, and keep to netcat-openbsd's bounds: 1023
 * bytes a line, 63 header lines. Its verdict is checked against the lines
 * it took. The request must hold no CR or LF but its own line ends, put a
 * host with a colon in brackets, and read back to its host, port and
 * credentials; hosts it refuses are refused for the documented reasons.
 */
#include <stdbool.h>

#include "dial/dial_auth.h"
#include "dial/dial_http.h"
#include "fuzz.h"

/* ---- The reader ------------------------------------------------------------ */

struct outcome {
	struct http_reader h;
	size_t used;
};

/* Feeds data in pieces: the lengths of cuts[0..ncuts), then the rest. */
static void
feed(struct outcome *o, const char *data, size_t size, const size_t *cuts, size_t ncuts)
{
	size_t at = 0;

	http_reader_init(&o->h);
	o->used = 0;
	for (size_t i = 0; i <= ncuts; i++) {
		size_t len = i < ncuts ? cuts[i] : size - at, used = 0xdead;
		if (len > size - at)
			len = size - at;
		char *piece = (char *)fuzz_dup((const uint8_t *)data + at, len);
		enum http_parse before = o->h.state;
		enum http_parse st = http_reader_feed(&o->h, piece, len, &used);
		free(piece);
		FUZZ_CHECK(st == o->h.state && used <= len);
		if (before != HTTP_PARSE_NEED_MORE)
			FUZZ_CHECK(st == before && used == 0); /* decided: it stays so */
		else if (st == HTTP_PARSE_NEED_MORE)
			FUZZ_CHECK(used == len);
		else
			FUZZ_CHECK(used >= 1);
		o->used += used;
		at += len;
	}
}

static bool
same(const struct outcome *x, const struct outcome *y)
{
	const struct http_reader *a = &x->h, *b = &y->h;

	return x->used == y->used && a->state == b->state && a->status_len == b->status_len &&
	    memcmp(a->status, b->status, sizeof(a->status)) == 0 &&
	    a->status_done == b->status_done && a->code == b->code && a->line_len == b->line_len &&
	    a->headers == b->headers;
}

static bool
is_200(const char *line, size_t len)
{
	return len >= 12 &&
	    (memcmp(line, "HTTP/1.0 200", 12) == 0 || memcmp(line, "HTTP/1.1 200", 12) == 0);
}

static bool
looks_http(const char *s, size_t len)
{
	return len >= 12 && memcmp(s, "HTTP/", 5) == 0 && s[5] >= '0' && s[5] <= '9' &&
	    s[6] == '.' && s[7] >= '0' && s[7] <= '9' && s[8] == ' ' && s[9] >= '0' &&
	    s[9] <= '9' && s[10] >= '0' && s[10] <= '9' && s[11] >= '0' && s[11] <= '9';
}

/* The verdict, against the bytes taken, read as lines with the CRs left out. */
static void
check_verdict(const struct outcome *o, const char *data, size_t size)
{
	const struct http_reader *h = &o->h;
	char *c = fuzz_malloc(o->used);
	size_t n = 0, lfs = 0, longest = 0, cur = 0, first_len = 0;

	FUZZ_CHECK(o->used <= size);
	for (size_t i = 0; i < o->used; i++) {
		if (data[i] == '\r')
			continue;
		c[n++] = data[i];
		if (data[i] == '\n') {
			if (lfs++ == 0)
				first_len = cur;
			cur = 0;
		} else if (++cur > longest) {
			longest = cur;
		}
	}
	FUZZ_CHECK(h->status_len <= HTTP_LINE_MAX - 1 && h->status[h->status_len] == '\0');
	FUZZ_CHECK(h->line_len <= HTTP_LINE_MAX - 1 && h->headers <= HTTP_HEADERS_MAX + 1);
	FUZZ_CHECK(h->status_done == (lfs > 0));
	if (lfs > 0)
		FUZZ_CHECK(h->status_len == first_len && memcmp(h->status, c, first_len) == 0);
	FUZZ_CHECK(h->code ==
	    (h->status_done && looks_http(h->status, h->status_len) ? (h->status[9] - '0') * 100 +
	                (h->status[10] - '0') * 10 + (h->status[11] - '0') :
	                                                              0));

	switch (h->state) {
	case HTTP_PARSE_NEED_MORE:
		FUZZ_CHECK(o->used == size && longest <= HTTP_LINE_MAX - 1);
		FUZZ_CHECK(lfs <= 1 + HTTP_HEADERS_MAX && (lfs == 0 || is_200(c, first_len)));
		FUZZ_CHECK(h->headers == (lfs > 0 ? lfs - 1 : 0));
		break;
	case HTTP_PARSE_OK:
		/* A 200, at most 63 header lines, a blank line, and not a byte further. */
		FUZZ_CHECK(lfs >= 2 && lfs <= 2 + HTTP_HEADERS_MAX && is_200(c, first_len));
		FUZZ_CHECK(c[n - 1] == '\n' && c[n - 2] == '\n' && data[o->used - 1] == '\n');
		FUZZ_CHECK(h->headers == lfs - 2 && longest <= HTTP_LINE_MAX - 1);
		break;
	case HTTP_PARSE_REFUSED:
	case HTTP_PARSE_GARBAGE:
		/* The status line alone decides: taken up to its LF. */
		FUZZ_CHECK(lfs == 1 && data[o->used - 1] == '\n' && !is_200(c, first_len));
		FUZZ_CHECK(longest <= HTTP_LINE_MAX - 1);
		FUZZ_CHECK((h->state == HTTP_PARSE_REFUSED) == (h->code != 0));
		FUZZ_CHECK(h->code == 0 || (h->code >= 1 && h->code <= 999));
		break;
	case HTTP_PARSE_LINE_TOO_LONG:
		/* The byte taken last is the 1024th of a line. */
		FUZZ_CHECK(n > 0 && c[n - 1] != '\n' && cur == HTTP_LINE_MAX);
		FUZZ_CHECK(lfs == 0 || is_200(c, first_len));
		break;
	case HTTP_PARSE_TOO_MANY_HEADERS:
		/* Given up at the 64th header line's end, without waiting for a blank one. */
		FUZZ_CHECK(lfs == 1 + HTTP_HEADERS_MAX + 1 && is_200(c, first_len));
		FUZZ_CHECK(data[o->used - 1] == '\n' && h->headers == HTTP_HEADERS_MAX + 1);
		break;
	default:
		FUZZ_CHECK(!"a state the header does not name");
	}
	free(c);
}

static void
reader(const uint8_t *udata, size_t size)
{
	const char *data = (const char *)udata;
	struct outcome whole, split;
	size_t cut[2];

	feed(&whole, data, size, NULL, 0);
	check_verdict(&whole, data, size);

	/* One cut at every point (at 32 of them in a long answer: it is quadratic). */
	size_t step = size <= 128 ? 1 : size / 31 + 1;
	for (size_t k = 0; k <= size; k += step) {
		cut[0] = k;
		feed(&split, data, size, cut, 1);
		FUZZ_CHECK(same(&split, &whole));
	}
	if (size > 0) {
		cut[0] = size - 1;
		feed(&split, data, size, cut, 1);
		FUZZ_CHECK(same(&split, &whole));
	}
	/* A byte at a time, as http_negotiate reads it. */
	struct http_reader h;
	size_t used = 0, u;
	http_reader_init(&h);
	for (size_t i = 0; i < size; i++) {
		char *b = (char *)fuzz_dup(udata + i, 1);
		http_reader_feed(&h, b, 1, &u);
		free(b);
		used += u;
	}
	split.h = h;
	split.used = used;
	FUZZ_CHECK(same(&split, &whole));
	/* Two cuts, wherever the input's length says. */
	if (size > 2) {
		cut[0] = size / 3;
		cut[1] = size / 3 + (size_t)udata[0] % (size - size / 3);
		feed(&split, data, size, cut, 2);
		FUZZ_CHECK(same(&split, &whole));
	}
}

/* ---- The request ------------------------------------------------------------- */

static int
b64_value(char c)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c != '\0' ? strchr(alphabet, c) : NULL;
	return p != NULL ? (int)(p - alphabet) : -1;
}

/* Strict RFC 4648 with padding; the decoded length, or -1. */
static long
b64_decode(const char *s, size_t len, char *out)
{
	size_t n = 0;

	if (len % 4 != 0)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		int v[4];
		int pad = 0;
		for (int k = 0; k < 4; k++) {
			if (s[i + k] == '=' && i + 4 == len && k >= 2) {
				v[k] = 0;
				pad++;
			} else if (pad > 0 || (v[k] = b64_value(s[i + k])) < 0) {
				return -1;
			}
		}
		unsigned long w = (unsigned long)v[0] << 18 | (unsigned long)v[1] << 12 |
		    (unsigned long)v[2] << 6 | (unsigned long)v[3];
		out[n++] = (char)(w >> 16);
		if (pad < 2)
			out[n++] = (char)(w >> 8);
		if (pad < 1)
			out[n++] = (char)w;
	}
	return (long)n;
}

static void
request(const uint8_t *data, size_t size)
{
	uint16_t port = (uint16_t)fuzz_take(&data, &size, 2);
	int creds = (int)fuzz_take(&data, &size, 1) % 4; /* user and password, or not */
	char *s[3] = {NULL, NULL, NULL};
	int k = fuzz_split(data, size, s, 3);
	const char *host = k > 0 ? s[0] : "";
	const char *user = creds & 1 ? (k > 1 ? s[1] : "") : NULL;
	const char *password = creds & 2 ? (k > 2 ? s[2] : "") : NULL;
	char *out = (char *)fuzz_malloc(HTTP_REQUEST_MAX);
	size_t len = 0xdead;
	char portstr[8];

	memset(out, 'Z', HTTP_REQUEST_MAX);
	enum http_build st = http_request(out, &len, host, port, user, password);
	bool v6 = strchr(host, ':') != NULL;
	int plen = snprintf(portstr, sizeof(portstr), "%u", (unsigned)port);
	size_t line = strlen("CONNECT ") + (v6 ? 2 : 0) + strlen(host) + 1 + (size_t)plen +
	    strlen(" HTTP/1.0\r\n");
	bool with_creds = user != NULL && password != NULL;
	size_t clen = with_creds ? strlen(user) + 1 + strlen(password) : 0;

	if (strpbrk(host, " \t\r\n[]") != NULL) {
		FUZZ_CHECK(st == HTTP_BUILD_BAD_HOST && len == 0);
		goto out;
	}
	if (line > HTTP_REQUEST_LINE_MAX) {
		FUZZ_CHECK(st == HTTP_BUILD_HOST_TOO_LONG && len == 0);
		goto out;
	}
	if (clen > HTTP_CREDS_MAX) {
		FUZZ_CHECK(st == HTTP_BUILD_CREDS_TOO_LONG && len == 0);
		goto out;
	}
	FUZZ_CHECK(st == HTTP_BUILD_OK && len < HTTP_REQUEST_MAX && strlen(out) == len);

	/* No CR or LF but the line ends: CRLF each, the request line, maybe one header, a blank. */
	size_t crs = 0, lfs = 0;
	for (size_t i = 0; i < len; i++) {
		crs += out[i] == '\r';
		lfs += out[i] == '\n';
		if (out[i] == '\r')
			FUZZ_CHECK(out[i + 1] == '\n');
	}
	FUZZ_CHECK(crs == lfs && lfs == (with_creds ? 3u : 2u));

	/* Read back as a proxy would: CONNECT authority HTTP/1.0. */
	const char *p = out;
	FUZZ_CHECK(strncmp(p, "CONNECT ", 8) == 0);
	p += 8;
	if (v6) {
		const char *close = strchr(p, ']');
		FUZZ_CHECK(*p == '[' && close != NULL);
		FUZZ_CHECK((size_t)(close - p - 1) == strlen(host) &&
		    memcmp(p + 1, host, strlen(host)) == 0);
		p = close + 1;
	} else {
		/* No brackets, and the host's own text up to the port's colon. */
		FUZZ_CHECK(strncmp(p, host, strlen(host)) == 0);
		p += strlen(host);
	}
	FUZZ_CHECK(*p == ':');
	char *end;
	unsigned long back = strtoul(p + 1, &end, 10);
	FUZZ_CHECK(end == p + 1 + plen && back == port && strncmp(end, " HTTP/1.0\r\n", 11) == 0);
	p = end + 11;
	FUZZ_CHECK((size_t)(p - out) == line);
	if (with_creds) {
		static const char hdr[] = "Proxy-Authorization: Basic ";
		FUZZ_CHECK(strncmp(p, hdr, sizeof(hdr) - 1) == 0);
		p += sizeof(hdr) - 1;
		const char *eol = strstr(p, "\r\n");
		FUZZ_CHECK(eol != NULL);
		char dec[HTTP_CREDS_MAX + 4];
		FUZZ_CHECK((size_t)(eol - p) <= (HTTP_CREDS_MAX + 2) / 3 * 4);
		long d = b64_decode(p, (size_t)(eol - p), dec);
		FUZZ_CHECK(d >= 0 && (size_t)d == clen);
		FUZZ_CHECK(memcmp(dec, user, strlen(user)) == 0 && dec[strlen(user)] == ':');
		FUZZ_CHECK(memcmp(dec + strlen(user) + 1, password, strlen(password)) == 0);
		p = eol + 2;
	}
	FUZZ_CHECK(strcmp(p, "\r\n") == 0);
out:
	free(out);
	fuzz_free_strings(s, k);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fuzz_take(&data, &size, 1) & 1)
		request(data, size);
	else
		reader(data, size);
	return 0;
}
