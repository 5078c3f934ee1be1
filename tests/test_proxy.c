/*
 * Unit tests of the proxy protocol pieces over memory: the request bytes
 * (checked against what netcat-openbsd was seen to send), the reply parsers
 * on truncated, oversized and garbage input, Base64 and the messages.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>

#include "check.h"
#include "dial/dial_auth.h"
#include "dial/dial_http.h"
#include "dial/dial_socks4.h"
#include "dial/dial_socks5.h"
#include "report/report_proxy.h"

/* A copy in a buffer of exactly len bytes, so that a sanitizer sees any read past it. */
static uint8_t *
exact(const void *p, size_t len)
{
	uint8_t *b = malloc(len > 0 ? len : 1);
	memcpy(b, p, len);
	return b;
}

static bool
bytes_are(const uint8_t *got, size_t n, const char *want, size_t wn)
{
	return n == wn && memcmp(got, want, n) == 0;
}

#define BYTES_ARE(got, n, lit) bytes_are(got, n, lit, sizeof(lit) - 1)

static void
test_base64(void)
{
	static const char *const vec[][2] = {
	    {"", ""},
	    {"f", "Zg=="},
	    {"fo", "Zm8="},
	    {"foo", "Zm9v"},
	    {"foob", "Zm9vYg=="},
	    {"fooba", "Zm9vYmE="},
	    {"foobar", "Zm9vYmFy"},
	    {"bob:pw1", "Ym9iOnB3MQ=="},
	};
	char out[64];

	for (size_t i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		size_t n = base64_encode(out, sizeof(out), vec[i][0], strlen(vec[i][0]));
		CHECK(n == strlen(vec[i][1]));
		CHECK(strcmp(out, vec[i][1]) == 0);
	}
	CHECK(base64_encode(out, sizeof(out), "\xff\xfe\x00", 3) == 4);
	CHECK(strcmp(out, "//4A") == 0);
	/* As snprintf: the full length, and no more than fits. */
	CHECK(base64_encode(out, 5, "foobar", 6) == 8);
	CHECK(strcmp(out, "Zm9v") == 0);
	CHECK(base64_encode(NULL, 0, "foobar", 6) == 8);
}

static void
test_socks4(void)
{
	uint8_t req[SOCKS4_REQUEST_LEN];
	struct in_addr a;
	size_t need;
	int code;

	inet_pton(AF_INET, "127.0.0.1", &a);
	CHECK(socks4_request(req, a, 5000) == 9);
	CHECK(BYTES_ARE(req, 9, "\x04\x01\x13\x88\x7f\x00\x00\x01\x00"));

	static const uint8_t ok[] = {0, 90, 0, 0, 0, 0, 0, 0};
	for (size_t n = 0; n < sizeof(ok); n++) {
		uint8_t *b = exact(ok, n);
		CHECK(socks4_parse_reply(b, n, &need, &code) == SOCKS_PARSE_NEED_MORE);
		CHECK(need == 8);
		free(b);
	}
	uint8_t *b = exact(ok, 8);
	CHECK(socks4_parse_reply(b, 8, &need, &code) == SOCKS_PARSE_OK && code == 90);
	free(b);
	/* Oversized: the rest is not looked at. */
	static const uint8_t more[] = {4, 90, 1, 2, 3, 4, 5, 6, 'x', 'y'};
	CHECK(socks4_parse_reply(more, sizeof(more), &need, &code) == SOCKS_PARSE_OK);
	for (int cd = 91; cd <= 93; cd++) {
		uint8_t rej[8] = {0, (uint8_t)cd};
		CHECK(socks4_parse_reply(rej, 8, &need, &code) == SOCKS_PARSE_REFUSED);
		CHECK(code == cd);
	}
	uint8_t odd[8] = {0, 94};
	CHECK(socks4_parse_reply(odd, 8, &need, &code) == SOCKS_PARSE_GARBAGE && code == -1);
	/* Garbage shows from its first byte. */
	CHECK(socks4_parse_reply((const uint8_t *)"g", 1, &need, &code) == SOCKS_PARSE_GARBAGE);
	CHECK(socks4_parse_reply((const uint8_t *)"garbage\n", 8, &need, &code) ==
	    SOCKS_PARSE_GARBAGE);
}

static void
test_socks5_requests(void)
{
	uint8_t buf[SOCKS5_AUTH_MAX];
	char name[300];
	size_t n;

	CHECK(socks5_greeting(buf, false) == 3 && BYTES_ARE(buf, 3, "\x05\x01\x00"));
	CHECK(socks5_greeting(buf, true) == 4 && BYTES_ARE(buf, 4, "\x05\x02\x00\x02"));

	n = socks5_auth_request(buf, "bob", "pw");
	CHECK(BYTES_ARE(buf, n,
	    "\x01\x03"
	    "bob"
	    "\x02"
	    "pw"));
	memset(name, 'u', 255);
	name[255] = '\0';
	CHECK(socks5_auth_request(buf, name, name) == 3 + 255 + 255);
	name[255] = 'u';
	name[256] = '\0';
	CHECK(socks5_auth_request(buf, name, "pw") == 0);
	CHECK(socks5_auth_request(buf, "bob", name) == 0);
	CHECK(socks5_auth_request(buf, "bob", "") == 0);

	/* The forms netcat-openbsd was seen sending. */
	n = socks5_connect_request(buf, "127.0.0.1", 5000);
	CHECK(BYTES_ARE(buf, n, "\x05\x01\x00\x01\x7f\x00\x00\x01\x13\x88"));
	n = socks5_connect_request(buf, "127.1", 5000);
	CHECK(BYTES_ARE(buf, n, "\x05\x01\x00\x01\x7f\x00\x00\x01\x13\x88"));
	n = socks5_connect_request(buf, "1.2.3.4", 22);
	CHECK(BYTES_ARE(buf, n, "\x05\x01\x00\x01\x01\x02\x03\x04\x00\x16"));
	n = socks5_connect_request(buf, "::1", 5000);
	CHECK(BYTES_ARE(buf, n,
	    "\x05\x01\x00\x04"
	    "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01"
	    "\x13\x88"));
	n = socks5_connect_request(buf, "fe80::1%lo", 5000);
	CHECK(BYTES_ARE(buf, n,
	    "\x05\x01\x00\x04"
	    "\xfe\x80\0\0\0\0\0\0\0\0\0\0\0\0\0\x01"
	    "\x13\x88"));
	n = socks5_connect_request(buf, "a b", 5000);
	CHECK(BYTES_ARE(buf, n,
	    "\x05\x01\x00\x03\x03"
	    "a b"
	    "\x13\x88"));
	n = socks5_connect_request(buf, "target.pxy.test", 65535);
	CHECK(BYTES_ARE(buf, n,
	    "\x05\x01\x00\x03\x0f"
	    "target.pxy.test"
	    "\xff\xff"));
	memset(name, 'a', 255);
	name[255] = '\0';
	n = socks5_connect_request(buf, name, 1);
	CHECK(n == 5 + 255 + 2 && buf[3] == 3 && buf[4] == 255 && buf[n - 1] == 1);
	name[255] = 'a';
	name[256] = '\0';
	CHECK(socks5_connect_request(buf, name, 1) == 0);
}

static void
test_socks5_method_auth(void)
{
	int m, st;

	CHECK(socks5_parse_method((const uint8_t *)"", 0, false, &m) == SOCKS_PARSE_NEED_MORE);
	CHECK(socks5_parse_method((const uint8_t *)"\x05", 1, false, &m) == SOCKS_PARSE_NEED_MORE);
	CHECK(socks5_parse_method((const uint8_t *)"\x05\x00", 2, false, &m) == SOCKS_PARSE_OK);
	CHECK(m == 0);
	CHECK(socks5_parse_method((const uint8_t *)"\x05\x02", 2, true, &m) == SOCKS_PARSE_OK);
	CHECK(m == 2);
	CHECK(
	    socks5_parse_method((const uint8_t *)"\x05\x02", 2, false, &m) == SOCKS_PARSE_REFUSED);
	CHECK(socks5_parse_method((const uint8_t *)"\x05\xff", 2, true, &m) == SOCKS_PARSE_REFUSED);
	CHECK(m == 0xff);
	CHECK(socks5_parse_method((const uint8_t *)"\x05\x01", 2, true, &m) == SOCKS_PARSE_REFUSED);
	CHECK(socks5_parse_method((const uint8_t *)"g", 1, false, &m) == SOCKS_PARSE_GARBAGE);
	CHECK(
	    socks5_parse_method((const uint8_t *)"\x04\x00", 2, false, &m) == SOCKS_PARSE_GARBAGE);

	CHECK(socks5_parse_auth((const uint8_t *)"\x01", 1, &st) == SOCKS_PARSE_NEED_MORE);
	CHECK(socks5_parse_auth((const uint8_t *)"\x01\x00", 2, &st) == SOCKS_PARSE_OK);
	CHECK(socks5_parse_auth((const uint8_t *)"\x05\x00", 2, &st) == SOCKS_PARSE_OK);
	CHECK(socks5_parse_auth((const uint8_t *)"\x01\x01", 2, &st) == SOCKS_PARSE_REFUSED);
	CHECK(st == 1);
	CHECK(socks5_parse_auth((const uint8_t *)"HTTP", 4, &st) == SOCKS_PARSE_GARBAGE);
}

/* Every proper prefix of reply is NEED_MORE asking for at most the reply; the whole is want. */
static void
reply_prefixes(const uint8_t *reply, size_t len, enum socks_parse want)
{
	struct socks5_bound bound;
	size_t need;
	int rep;

	for (size_t n = 0; n < len; n++) {
		uint8_t *b = exact(reply, n);
		enum socks_parse st = socks5_parse_reply(b, n, &need, &rep, &bound);
		CHECK(st == SOCKS_PARSE_NEED_MORE);
		CHECK(need > n && need <= len);
		free(b);
	}
	uint8_t *b = exact(reply, len);
	CHECK(socks5_parse_reply(b, len, &need, &rep, &bound) == want);
	free(b);
}

static void
test_socks5_reply(void)
{
	static const uint8_t v4[] = {5, 0, 0, 1, 10, 0, 0, 1, 0x04, 0x38};
	static const uint8_t v6[] = {
	    5, 0, 0, 4, 0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 0, 80};
	static const uint8_t dn[] = {
	    5, 0, 0, 3, 9, 'l', 'o', 'c', 'a', 'l', 'h', 'o', 's', 't', 0, 1};
	struct socks5_bound bound;
	size_t need;
	int rep;

	reply_prefixes(v4, sizeof(v4), SOCKS_PARSE_OK);
	reply_prefixes(v6, sizeof(v6), SOCKS_PARSE_OK);
	reply_prefixes(dn, sizeof(dn), SOCKS_PARSE_OK);

	CHECK(socks5_parse_reply(v4, sizeof(v4), &need, &rep, &bound) == SOCKS_PARSE_OK);
	CHECK(need == 10 && rep == 0 && bound.atyp == 1 && bound.port == 1080);
	CHECK(memcmp(bound.addr, "\x0a\x00\x00\x01", 4) == 0);
	CHECK(socks5_parse_reply(v6, sizeof(v6), &need, &rep, &bound) == SOCKS_PARSE_OK);
	CHECK(need == 22 && bound.atyp == 4 && bound.port == 80 && bound.addr[15] == 7);
	/* A bound name: netcat-openbsd refuses it; RFC 1928 allows it. */
	CHECK(socks5_parse_reply(dn, sizeof(dn), &need, &rep, &bound) == SOCKS_PARSE_OK);
	CHECK(need == 16 && bound.atyp == 3 && strcmp(bound.name, "localhost") == 0);
	CHECK(bound.port == 1);
	/* The length known so far: 4, then 5 for a name, then all. */
	CHECK(socks5_parse_reply(dn, 4, &need, &rep, &bound) == SOCKS_PARSE_NEED_MORE && need == 5);
	CHECK(
	    socks5_parse_reply(dn, 5, &need, &rep, &bound) == SOCKS_PARSE_NEED_MORE && need == 16);
	/* Oversized: data after the reply is the tunnel's. */
	uint8_t big[64];
	memcpy(big, v4, sizeof(v4));
	memset(big + sizeof(v4), 'd', sizeof(big) - sizeof(v4));
	CHECK(socks5_parse_reply(big, sizeof(big), &need, &rep, &bound) == SOCKS_PARSE_OK);
	CHECK(need == 10);
	/* An empty name. */
	CHECK(socks5_parse_reply((const uint8_t *)"\x05\x00\x00\x03\x00\x00\x50", 7, &need, &rep,
	          &bound) == SOCKS_PARSE_OK);
	CHECK(bound.name[0] == '\0' && bound.port == 80);

	/* Refusals are known from four bytes, whatever the address type. */
	for (int code = 1; code <= 255; code++) {
		uint8_t r[4] = {5, (uint8_t)code, 0, 9};
		CHECK(socks5_parse_reply(r, 4, &need, &rep, &bound) == SOCKS_PARSE_REFUSED);
		CHECK(rep == code);
	}
	CHECK(socks5_parse_reply((const uint8_t *)"\x05\x00\x00\x09", 4, &need, &rep, &bound) ==
	    SOCKS_PARSE_BAD_ATYP);
	CHECK(rep == 9);
	CHECK(socks5_parse_reply((const uint8_t *)"\x05\x00\x00\x00", 4, &need, &rep, &bound) ==
	    SOCKS_PARSE_BAD_ATYP);
	CHECK(socks5_parse_reply((const uint8_t *)"g", 1, &need, &rep, &bound) ==
	    SOCKS_PARSE_GARBAGE);
	CHECK(socks5_parse_reply((const uint8_t *)"garbage\n", 8, &need, &rep, &bound) ==
	    SOCKS_PARSE_GARBAGE);
	CHECK(rep == -1);
}

static void
request_is(const char *host, uint16_t port, const char *user, const char *pass, const char *want)
{
	char out[HTTP_REQUEST_MAX];
	size_t len;

	CHECK(http_request(out, &len, host, port, user, pass) == HTTP_BUILD_OK);
	CHECK(len == strlen(want) && strcmp(out, want) == 0);
	if (strcmp(out, want) != 0)
		fprintf(stderr, "  got \"%s\"\n", out);
}

static void
test_http_request(void)
{
	char host[1100], creds[800], out[HTTP_REQUEST_MAX];
	size_t len;

	request_is("127.0.0.1", 5000, NULL, NULL, "CONNECT 127.0.0.1:5000 HTTP/1.0\r\n\r\n");
	request_is("::1", 5000, NULL, NULL, "CONNECT [::1]:5000 HTTP/1.0\r\n\r\n");
	request_is("fe80::1%lo", 5000, NULL, NULL, "CONNECT [fe80::1%lo]:5000 HTTP/1.0\r\n\r\n");
	request_is("localhost", 22, NULL, NULL, "CONNECT localhost:22 HTTP/1.0\r\n\r\n");
	/* A user alone (before any 407) sends no credentials. */
	request_is("localhost", 22, "bob", NULL, "CONNECT localhost:22 HTTP/1.0\r\n\r\n");
	request_is("127.0.0.1", 5000, "bob", "pw1",
	    "CONNECT 127.0.0.1:5000 HTTP/1.0\r\n"
	    "Proxy-Authorization: Basic Ym9iOnB3MQ==\r\n\r\n");

	static const char *const bad[] = {"a b", "a\tb", "a\rb", "a\nb", "[::1]", "a]", "["};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(http_request(out, &len, bad[i], 80, NULL, NULL) == HTTP_BUILD_BAD_HOST);

	/* netcat-openbsd's bound: "CONNECT " host ":" port " HTTP/1.0\r\n" in 1023 bytes. */
	memset(host, 'a', 999);
	host[999] = '\0';
	CHECK(http_request(out, &len, host, 5000, NULL, NULL) == HTTP_BUILD_OK && len == 1025);
	CHECK(http_request(out, &len, host, 65535, NULL, NULL) == HTTP_BUILD_HOST_TOO_LONG);
	host[999] = 'a';
	host[1000] = '\0';
	CHECK(http_request(out, &len, host, 5000, NULL, NULL) == HTTP_BUILD_HOST_TOO_LONG);

	/* The longest credentials, with the longest request line, still fit. */
	memset(creds, 'p', HTTP_CREDS_MAX - 4);
	creds[HTTP_CREDS_MAX - 4] = '\0';
	host[999] = '\0';
	CHECK(http_request(out, &len, host, 5000, "bob", creds) == HTTP_BUILD_OK);
	CHECK(len == 1023 + strlen("Proxy-Authorization: Basic \r\n") + 1024 + 2);
	CHECK(strlen(out) == len);
	creds[HTTP_CREDS_MAX - 4] = 'p';
	creds[HTTP_CREDS_MAX - 3] = '\0';
	CHECK(http_request(out, &len, "h", 1, "bob", creds) == HTTP_BUILD_CREDS_TOO_LONG);
}

/* Feeds reply whole, then split at every point: the same verdict and count each way. */
static void
reply_gives(const char *reply, size_t len, enum http_parse want, size_t want_used)
{
	struct http_reader h;
	size_t used, u2;
	uint8_t *b = exact(reply, len);

	http_reader_init(&h);
	CHECK(http_reader_feed(&h, (const char *)b, len, &used) == want);
	CHECK(used == want_used);
	if (used != want_used)
		fprintf(stderr, "  used %zu, want %zu\n", used, want_used);
	for (size_t cut = 0; cut <= len; cut++) {
		http_reader_init(&h);
		enum http_parse st = http_reader_feed(&h, (const char *)b, cut, &used);
		if (st == HTTP_PARSE_NEED_MORE) {
			st = http_reader_feed(&h, (const char *)b + cut, len - cut, &u2);
			used += u2;
		}
		CHECK(st == want && used == want_used);
	}
	free(b);
}

#define GIVES(lit, want, used) reply_gives(lit, sizeof(lit) - 1, want, used)

static void
test_http_reader(void)
{
	struct http_reader h;
	size_t used;

	GIVES("HTTP/1.1 200 OK\r\n\r\nhello", HTTP_PARSE_OK, 19);
	GIVES("HTTP/1.0 200 Connection established\r\nVia: x\r\n\r\n", HTTP_PARSE_OK, 47);
	GIVES("HTTP/1.0 200 OK\n\n", HTTP_PARSE_OK, 17);
	GIVES("HTTP/1.1 200 OK\n\r\r\nx", HTTP_PARSE_OK, 19);
	/* netcat-openbsd looks at twelve bytes only. */
	GIVES("HTTP/1.1 200\r\n\r\n", HTTP_PARSE_OK, 16);
	GIVES("HTTP/1.1 2000\r\n\r\n", HTTP_PARSE_OK, 17);
	/* Truncated. */
	GIVES("", HTTP_PARSE_NEED_MORE, 0);
	GIVES("HTTP/1.1 200 OK", HTTP_PARSE_NEED_MORE, 15);
	GIVES("HTTP/1.1 200 OK\r\nA: b\r\n", HTTP_PARSE_NEED_MORE, 23);
	GIVES("HTTP/1.1 200 OK\n \n", HTTP_PARSE_NEED_MORE, 18);
	GIVES("garbage", HTTP_PARSE_NEED_MORE, 7);
	/* Refusals end at their status line: the headers are not waited for. */
	GIVES("HTTP/1.1 502 Bad Gateway\r\nX: y\r\n", HTTP_PARSE_REFUSED, 26);
	GIVES("HTTP/1.2 200 OK\n", HTTP_PARSE_REFUSED, 16);
	GIVES("HTTP/1.1 201 Created\n\n", HTTP_PARSE_REFUSED, 21);
	GIVES("garbage\n", HTTP_PARSE_GARBAGE, 8);
	GIVES("http/1.1 200 OK\n", HTTP_PARSE_GARBAGE, 16);
	GIVES("HTTP/1.1 20\n", HTTP_PARSE_GARBAGE, 12);
	GIVES("\n", HTTP_PARSE_GARBAGE, 1);

	http_reader_init(&h);
	CHECK(http_reader_feed(&h, "HTTP/1.1 502 A\rB\r\nmore", 22, &used) == HTTP_PARSE_REFUSED);
	CHECK(used == 18 && h.code == 502 && strcmp(h.status, "HTTP/1.1 502 AB") == 0);
	CHECK(!http_reader_wants_auth(&h));
	/* Once decided, it stays so and takes nothing more. */
	CHECK(http_reader_feed(&h, "x\n", 2, &used) == HTTP_PARSE_REFUSED && used == 0);

	static const char *const auth[] = {
	    "HTTP/1.0 407 Proxy Authentication Required\r\n", "HTTP/1.1 407\n", "HTTP/1.1 4070\n"};
	for (size_t i = 0; i < 3; i++) {
		http_reader_init(&h);
		CHECK(http_reader_feed(&h, auth[i], strlen(auth[i]), &used) == HTTP_PARSE_REFUSED);
		CHECK(http_reader_wants_auth(&h));
	}
	http_reader_init(&h);
	CHECK(http_reader_feed(&h, "HTTP/1.1 401 No\n", 16, &used) == HTTP_PARSE_REFUSED);
	CHECK(h.code == 401 && !http_reader_wants_auth(&h));
}

static void
test_http_bounds(void)
{
	static char buf[80000];
	struct http_reader h;
	size_t used, n;

	/* A status line of 1023 bytes is whole; the 1024th byte is one too many. */
	n = (size_t)snprintf(buf, sizeof(buf), "HTTP/1.1 502 ");
	memset(buf + n, 'x', 1023 - n);
	memcpy(buf + 1023, "\r\n", 2);
	reply_gives(buf, 1025, HTTP_PARSE_REFUSED, 1025);
	buf[1023] = 'x';
	reply_gives(buf, 1025, HTTP_PARSE_LINE_TOO_LONG, 1024);
	/* Oversized garbage: it stops at the bound, never looking further. */
	memset(buf, 'g', sizeof(buf));
	http_reader_init(&h);
	CHECK(http_reader_feed(&h, buf, sizeof(buf), &used) == HTTP_PARSE_LINE_TOO_LONG);
	CHECK(used == 1024);
	/* CRs are not counted. */
	n = (size_t)snprintf(buf, sizeof(buf), "HTTP/1.1 502 ");
	for (size_t i = 0; i < 1010; i++) {
		buf[n++] = 'x';
		buf[n++] = '\r';
	}
	buf[n++] = '\n';
	http_reader_init(&h);
	CHECK(http_reader_feed(&h, buf, n, &used) == HTTP_PARSE_REFUSED && used == n);
	CHECK(strlen(h.status) == 1023);

	/* 63 header lines pass; the 64th fails before any blank line. */
	for (int count = 63; count <= 64; count++) {
		n = (size_t)snprintf(buf, sizeof(buf), "HTTP/1.1 200 OK\r\n");
		for (int i = 0; i < count; i++)
			n += (size_t)snprintf(buf + n, sizeof(buf) - n, "H%d: v\r\n", i);
		size_t head = n;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\r\n");
		if (count == 63)
			reply_gives(buf, n, HTTP_PARSE_OK, n);
		else
			reply_gives(buf, head, HTTP_PARSE_TOO_MANY_HEADERS, head);
	}
	/* A header line has the status line's bound. */
	for (size_t len = 1023; len <= 1024; len++) {
		n = (size_t)snprintf(buf, sizeof(buf), "HTTP/1.1 200 OK\r\n");
		memset(buf + n, 'h', len);
		n += len;
		n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\r\n\r\n");
		http_reader_init(&h);
		CHECK(http_reader_feed(&h, buf, n, &used) ==
		    (len == 1023 ? HTTP_PARSE_OK : HTTP_PARSE_LINE_TOO_LONG));
	}
}

static void
text_is(const struct proxy_result *r, const char *want)
{
	char buf[5000];
	size_t n = report_proxy_text(r, buf, sizeof(buf));

	CHECK(n == strlen(want) && strcmp(buf, want) == 0);
	if (strcmp(buf, want) != 0)
		fprintf(stderr, "  got \"%s\", want \"%s\"\n", buf, want);
}

static struct proxy_result
result(enum proxy_status st, int code)
{
	struct proxy_result r;

	proxy_result_init(&r);
	r.status = st;
	r.code = code;
	return r;
}

static void
test_texts(void)
{
	struct proxy_result r;
	char prompt[PROXY_PROMPT_MAX];

	r = result(PROXY_SOCKS5_FAILED, 5);
	text_is(&r, "connection failed, SOCKSv5 error: Connection refused");
	static const char *const s5[] = {"Succeeded", "General SOCKS server failure",
	    "Connection not allowed by ruleset", "Network unreachable", "Host unreachable",
	    "Connection refused", "TTL expired", "Command not supported",
	    "Address type not supported", "Unknown error"};
	for (int i = 0; i <= 9; i++) {
		char want[128];
		r = result(PROXY_SOCKS5_FAILED, i);
		snprintf(want, sizeof(want), "connection failed, SOCKSv5 error: %s", s5[i]);
		text_is(&r, want);
	}
	r = result(PROXY_SOCKS5_FAILED, -1);
	text_is(&r, "connection failed, SOCKSv5 error: Unknown error");
	r = result(PROXY_SOCKS4_FAILED, 91);
	text_is(&r, "connection failed, SOCKSv4 error: Request rejected or failed");
	r = result(PROXY_SOCKS4_FAILED, 92);
	text_is(&r,
	    "connection failed, SOCKSv4 error: SOCKS server cannot connect to identd on "
	    "the client");
	r = result(PROXY_SOCKS4_FAILED, 93);
	text_is(&r,
	    "connection failed, SOCKSv4 error: Client program and identd report different "
	    "user-ids");
	r = result(PROXY_SOCKS4_FAILED, -1);
	text_is(&r, "connection failed, SOCKSv4 error: Unknown error");
	r = result(PROXY_SOCKS5_NO_METHOD, 0xff);
	text_is(&r, "authentication method negotiation failed");
	r = result(PROXY_SOCKS5_BAD_ATYP, 9);
	text_is(&r, "connection failed, unsupported address type");
	r = result(PROXY_SOCKS5_HOST_TOO_LONG, 0);
	text_is(&r, "host name too long for SOCKS5");

	r = result(PROXY_READ_FAILED, 0);
	r.err = EPIPE;
	r.want = 8;
	r.step = PROXY_STEP_SOCKS4_REPLY;
	text_is(&r, "read failed (0/8): Broken pipe");
	r.step = PROXY_STEP_SOCKS5_METHOD;
	r.done = 1;
	r.want = 2;
	text_is(&r, "read failed (1/3): Broken pipe");
	r.step = PROXY_STEP_SOCKS5_REPLY;
	r.done = 2;
	r.want = 4;
	text_is(&r, "read failed (2/4): Broken pipe");
	r.err = ETIMEDOUT;
	text_is(&r, "read failed (2/4): Connection timed out");
	r = result(PROXY_WRITE_FAILED, 0);
	r.err = EPIPE;
	r.want = 35;
	text_is(&r, "write failed (0/35): Broken pipe");

	r = result(PROXY_HTTP_FAILED, 502);
	strcpy(r.line, "HTTP/1.1 502 Bad Gateway");
	text_is(&r, "Proxy error: \"HTTP/1.1 502 Bad Gateway\"");
	r = result(PROXY_HTTP_FAILED, 0);
	strcpy(r.line, "garbage");
	text_is(&r, "Proxy error: \"garbage\"");
	strcpy(r.line, "HTTP/1.1 502 \x1b[31mBad\\\x01");
	/* The one escaping rule of the reporter: controls as octal, the backslash kept. */
	text_is(&r, "Proxy error: \"HTTP/1.1 502 \\033[31mBad\\\\001\"");
	memset(r.line, 0xff, HTTP_LINE_MAX - 1);
	r.line[HTTP_LINE_MAX - 1] = '\0';
	char big[5000];
	CHECK(report_proxy_text(&r, big, sizeof(big)) == 14 + 4 * 1023 + 1);
	r = result(PROXY_HTTP_READ_FAILED, 0);
	r.err = EPIPE;
	text_is(&r, "proxy read: Broken pipe");
	r = result(PROXY_HTTP_LINE_TOO_LONG, 0);
	text_is(&r, "proxy read too long");
	r = result(PROXY_HTTP_TOO_MANY_HEADERS, 0);
	text_is(&r, "Too many proxy headers received");
	r = result(PROXY_HTTP_BAD_HOST, 0);
	text_is(&r, "Invalid hostname");
	r = result(PROXY_HTTP_HOST_TOO_LONG, 0);
	text_is(&r, "hostname too long");
	r = result(PROXY_CREDS_TOO_LONG, 0);
	text_is(&r, "Proxy username/password too long");
	r = result(PROXY_OK, 0);
	text_is(&r, "");

	report_proxy_prompt(prompt, sizeof(prompt), "pxuser", "127.0.0.1");
	CHECK(strcmp(prompt, "Proxy password for pxuser@127.0.0.1: ") == 0);
}

int
main(void)
{
	test_base64();
	test_socks4();
	test_socks5_requests();
	test_socks5_method_auth();
	test_socks5_reply();
	test_http_request();
	test_http_reader();
	test_http_bounds();
	test_texts();
	return check_summary("proxy");
}
