/* HTTP CONNECT through a proxy (RFC 9110 9.3.6), in netcat-openbsd's dialect. */
#include "dial/dial_http.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "conn/conn.h"
#include "dial/dial_auth.h"

enum http_build
http_request(char out[HTTP_REQUEST_MAX], size_t *len, const char *host, uint16_t port,
    const char *user, const char *password)
{
	bool v6 = strchr(host, ':') != NULL;
	int n;

	*len = 0;
	if (strpbrk(host, " \t\r\n[]") != NULL)
		return HTTP_BUILD_BAD_HOST;
	n = snprintf(out, HTTP_REQUEST_LINE_MAX + 1, "CONNECT %s%s%s:%u HTTP/1.0\r\n",
	    v6 ? "[" : "", host, v6 ? "]" : "", (unsigned)port);
	if (n < 0 || n > HTTP_REQUEST_LINE_MAX)
		return HTTP_BUILD_HOST_TOO_LONG;
	if (user != NULL && password != NULL) {
		char creds[HTTP_CREDS_MAX + 1];
		int c = snprintf(creds, sizeof(creds), "%s:%s", user, password);
		if (c < 0 || (size_t)c > HTTP_CREDS_MAX) {
			explicit_bzero(creds, sizeof(creds));
			return HTTP_BUILD_CREDS_TOO_LONG;
		}
		n += snprintf(out + n, HTTP_REQUEST_MAX - (size_t)n, "Proxy-Authorization: Basic ");
		n += (int)base64_encode(out + n, HTTP_REQUEST_MAX - (size_t)n, creds, (size_t)c);
		n += snprintf(out + n, HTTP_REQUEST_MAX - (size_t)n, "\r\n");
		explicit_bzero(creds, sizeof(creds));
	}
	n += snprintf(out + n, HTTP_REQUEST_MAX - (size_t)n, "\r\n");
	*len = (size_t)n;
	return HTTP_BUILD_OK;
}

void
http_reader_init(struct http_reader *h)
{
	memset(h, 0, sizeof(*h));
	h->state = HTTP_PARSE_NEED_MORE;
}

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* netcat-openbsd's test: the first twelve bytes, no more ("HTTP/1.1 200" suffices). */
static bool
status_is(const struct http_reader *h, const char *code)
{
	char want[2][13];

	snprintf(want[0], sizeof(want[0]), "HTTP/1.0 %s", code);
	snprintf(want[1], sizeof(want[1]), "HTTP/1.1 %s", code);
	return strncmp(h->status, want[0], 12) == 0 || strncmp(h->status, want[1], 12) == 0;
}

bool
http_reader_wants_auth(const struct http_reader *h)
{
	return h->status_done && status_is(h, "407");
}

/* The status line is complete: a 200 goes on to the headers, anything else is the answer. */
static enum http_parse
status_line_end(struct http_reader *h)
{
	const char *s = h->status;

	h->status_done = true;
	/* "HTTP/" digit "." digit SP three digits: enough to call it a status line. */
	if (strncmp(s, "HTTP/", 5) == 0 && is_digit(s[5]) && s[6] == '.' && is_digit(s[7]) &&
	    s[8] == ' ' && is_digit(s[9]) && is_digit(s[10]) && is_digit(s[11]))
		h->code = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
	if (status_is(h, "200"))
		return HTTP_PARSE_NEED_MORE;
	return h->code != 0 ? HTTP_PARSE_REFUSED : HTTP_PARSE_GARBAGE;
}

static enum http_parse
reader_byte(struct http_reader *h, char b)
{
	if (b == '\r')
		return HTTP_PARSE_NEED_MORE;
	if (!h->status_done) {
		if (b == '\n')
			return status_line_end(h);
		if (h->status_len >= HTTP_LINE_MAX - 1)
			return HTTP_PARSE_LINE_TOO_LONG;
		h->status[h->status_len++] = b;
		return HTTP_PARSE_NEED_MORE;
	}
	if (b != '\n') {
		if (h->line_len >= HTTP_LINE_MAX - 1)
			return HTTP_PARSE_LINE_TOO_LONG;
		h->line_len++;
		return HTTP_PARSE_NEED_MORE;
	}
	if (h->line_len == 0)
		return HTTP_PARSE_OK;
	h->line_len = 0;
	/* netcat-openbsd gives up on the 64th header line without waiting for the blank one. */
	if (++h->headers > HTTP_HEADERS_MAX)
		return HTTP_PARSE_TOO_MANY_HEADERS;
	return HTTP_PARSE_NEED_MORE;
}

enum http_parse
http_reader_feed(struct http_reader *h, const char *buf, size_t len, size_t *used)
{
	size_t i = 0;

	while (h->state == HTTP_PARSE_NEED_MORE && i < len)
		h->state = reader_byte(h, buf[i++]);
	*used = i;
	return h->state;
}

enum proxy_status
http_negotiate(struct conn *c, const char *host, uint16_t port, const struct proxy_auth *auth,
    long long deadline, struct proxy_result *r)
{
	char req[HTTP_REQUEST_MAX];
	struct http_reader h;
	bool user = auth != NULL && auth->user != NULL;
	bool password = user && dial_auth_has_password(auth);
	size_t len, used;
	bool sent;

	proxy_result_init(r);
	switch (http_request(req, &len, host, port, password ? auth->user : NULL,
	    password ? auth->password : NULL)) {
	case HTTP_BUILD_OK:
		break;
	case HTTP_BUILD_BAD_HOST:
		r->status = PROXY_HTTP_BAD_HOST;
		return r->status;
	case HTTP_BUILD_HOST_TOO_LONG:
		r->status = PROXY_HTTP_HOST_TOO_LONG;
		return r->status;
	case HTTP_BUILD_CREDS_TOO_LONG:
		r->status = PROXY_CREDS_TOO_LONG;
		return r->status;
	}
	sent = proxy_send(c, req, len, deadline, r);
	explicit_bzero(req, sizeof(req));
	if (!sent)
		return r->status;
	http_reader_init(&h);
	while (h.state == HTTP_PARSE_NEED_MORE) {
		char b;
		ssize_t n = conn_read_some(c, &b, 1, deadline);
		if (n <= 0) {
			r->status = PROXY_HTTP_READ_FAILED;
			r->err = n == 0 ? EPIPE : (int)-n;
			return r->status;
		}
		http_reader_feed(&h, &b, 1, &used);
	}
	memcpy(r->line, h.status, sizeof(r->line));
	r->code = h.code;
	switch (h.state) {
	case HTTP_PARSE_OK:
		break;
	case HTTP_PARSE_LINE_TOO_LONG:
		r->status = PROXY_HTTP_LINE_TOO_LONG;
		break;
	case HTTP_PARSE_TOO_MANY_HEADERS:
		r->status = PROXY_HTTP_TOO_MANY_HEADERS;
		break;
	default:
		if (user && http_reader_wants_auth(&h))
			r->status = password ? PROXY_AUTH_REJECTED : PROXY_AUTH_REQUIRED;
		else
			r->status = PROXY_HTTP_FAILED;
		break;
	}
	return r->status;
}
