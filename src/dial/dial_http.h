/*
 * HTTP CONNECT as netcat-openbsd sends it (`CONNECT host:port HTTP/1.0`),
 * with Basic proxy authentication once a 407 has asked for it, and a reader
 * for the proxy's answer that is fed bytes as they come.
 */
#ifndef NC_DIAL_HTTP_H
#define NC_DIAL_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dial/dial_proxy.h"

struct proxy_auth;

/* netcat-openbsd's bounds: a request line of 1023 bytes, 63 header lines in the answer. */
#define HTTP_REQUEST_LINE_MAX 1023
#define HTTP_HEADERS_MAX      63
/* user ":" password, so that its Base64 fits 1024 bytes. */
#define HTTP_CREDS_MAX   768
#define HTTP_REQUEST_MAX (HTTP_REQUEST_LINE_MAX + 64 + HTTP_CREDS_MAX / 3 * 4)

enum http_build {
	HTTP_BUILD_OK,
	HTTP_BUILD_BAD_HOST,       /* a space, tab, CR, LF, "[" or "]" in the host */
	HTTP_BUILD_HOST_TOO_LONG,  /* the request line would pass HTTP_REQUEST_LINE_MAX */
	HTTP_BUILD_CREDS_TOO_LONG, /* user:password over HTTP_CREDS_MAX */
};

/*
 * The request into out (NUL-terminated, *len bytes): an IPv6 literal (any
 * host with a colon) in brackets; with a password, the Proxy-Authorization
 * header. user/password NULL: none. port in host order.
 */
enum http_build http_request(char out[HTTP_REQUEST_MAX], size_t *len, const char *host,
    uint16_t port, const char *user, const char *password);

enum http_parse {
	HTTP_PARSE_OK, /* a 200 and its header block, blank line included */
	HTTP_PARSE_NEED_MORE,
	HTTP_PARSE_REFUSED,          /* an HTTP status line other than 200 (code) */
	HTTP_PARSE_GARBAGE,          /* a first line that is no HTTP status line */
	HTTP_PARSE_LINE_TOO_LONG,    /* a line over HTTP_LINE_MAX - 1 bytes */
	HTTP_PARSE_TOO_MANY_HEADERS, /* more than HTTP_HEADERS_MAX */
};

/*
 * The proxy's answer, read as it comes: the status line, and after a 200
 * the header lines up to the blank one. Lines end at LF; CRs are dropped
 * wherever they are, as netcat-openbsd does.
 */
struct http_reader {
	enum http_parse state;
	char status[HTTP_LINE_MAX]; /* the status line, NUL-terminated */
	size_t status_len;
	bool status_done;
	int code;         /* the status code; 0 when the line is not HTTP */
	size_t line_len;  /* of the header line being read */
	unsigned headers; /* header lines so far */
};

void http_reader_init(struct http_reader *h);

/*
 * Takes buf[0..len) and says where the answer stands; *used: the bytes it
 * took, all of len for NEED_MORE, up to the end of the answer otherwise
 * (the rest belongs to the tunnel). Once not NEED_MORE, it stays so.
 */
enum http_parse http_reader_feed(struct http_reader *h, const char *buf, size_t len, size_t *used);

/* A 407 that netcat-openbsd answers with a password: "HTTP/1.0 407" or "HTTP/1.1 407". */
bool http_reader_wants_auth(const struct http_reader *h);

/*
 * The whole exchange on c. auth: NULL without -P; with a user but no
 * password yet, a 407 gives PROXY_AUTH_REQUIRED. The answer is read a byte
 * at a time so that what follows it stays in the socket for the relay.
 */
enum proxy_status http_negotiate(struct conn *c, const char *host, uint16_t port,
    const struct proxy_auth *auth, long long deadline, struct proxy_result *r);

#endif
