/*
 * What a proxy handshake (SOCKS4, SOCKS5, HTTP CONNECT) ends with, shared by
 * the three negotiators so that the reporter formats every outcome in one
 * place (report/report_proxy.c). Nothing here prints.
 */
#ifndef NC_DIAL_PROXY_H
#define NC_DIAL_PROXY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conn;

/* A line of an HTTP reply: netcat-openbsd's bound, 1023 bytes (CRs not counted) + NUL. */
#define HTTP_LINE_MAX 1024

enum proxy_status {
	PROXY_OK,
	PROXY_WRITE_FAILED, /* err; done of want bytes written */
	PROXY_READ_FAILED,  /* SOCKS: err (EPIPE at EOF, ETIMEDOUT at the deadline); done of want */
	PROXY_SOCKS4_FAILED,        /* code: the CD byte; -1 for a reply that is not SOCKS4 */
	PROXY_SOCKS5_FAILED,        /* code: the REP byte; -1 for a reply that is not SOCKS5 */
	PROXY_SOCKS5_NO_METHOD,     /* the proxy accepts none of the methods offered */
	PROXY_SOCKS5_BAD_ATYP,      /* code: the reply's address type */
	PROXY_SOCKS5_HOST_TOO_LONG, /* a name over 255 bytes */
	PROXY_HTTP_BAD_HOST,        /* the host has a space, tab, CR, LF or bracket */
	PROXY_HTTP_HOST_TOO_LONG,   /* the request line would pass 1023 bytes */
	PROXY_HTTP_FAILED,          /* line: the status line, not a 200 (or not HTTP at all) */
	PROXY_HTTP_READ_FAILED,     /* err (EPIPE at EOF, ETIMEDOUT at the deadline) */
	PROXY_HTTP_LINE_TOO_LONG,   /* a reply line over 1023 bytes */
	PROXY_HTTP_TOO_MANY_HEADERS,
	PROXY_CREDS_TOO_LONG, /* the user name or password does not fit the request */
	/*
	 * The proxy wants a password we have not got (HTTP 407 with -P, SOCKS5
	 * choosing username/password): get one (dial_auth_next) and dial again.
	 */
	PROXY_AUTH_REQUIRED,
	/* The proxy refused the password we sent: ask again or give up (dial_auth_next). */
	PROXY_AUTH_REJECTED,
};

/* What a look at the bytes of a SOCKS reply found. */
enum socks_parse {
	SOCKS_PARSE_OK,
	SOCKS_PARSE_NEED_MORE, /* *need: the reply's length, so far as it is known */
	SOCKS_PARSE_REFUSED,   /* a well-formed reply saying no (*code) */
	SOCKS_PARSE_GARBAGE,   /* not a reply of this protocol */
	SOCKS_PARSE_BAD_ATYP,  /* SOCKS5: an address type it does not define */
};

/* Which read a SOCKS PROXY_READ_FAILED happened in (the messages count differently). */
enum proxy_step {
	PROXY_STEP_NONE,
	PROXY_STEP_SOCKS4_REPLY,
	PROXY_STEP_SOCKS5_METHOD,
	PROXY_STEP_SOCKS5_AUTH,
	PROXY_STEP_SOCKS5_REPLY,
};

/* The address a SOCKS5 proxy says it bound for us (BND.ADDR, BND.PORT). */
struct socks5_bound {
	int atyp; /* 1 IPv4, 3 name, 4 IPv6 */
	uint8_t addr[16];
	char name[256]; /* atyp 3, NUL-terminated (a NUL inside cuts it short) */
	uint16_t port;
};

struct proxy_result {
	enum proxy_status status;
	enum proxy_step step;
	int err;     /* errno value */
	int code;    /* SOCKS reply code, HTTP status code (0 when the line is not HTTP) */
	size_t done; /* bytes moved of want, for read/write failures */
	size_t want;
	char line[HTTP_LINE_MAX]; /* HTTP: the status line, CRs dropped */
	struct socks5_bound bound;
};

/* Clears r to PROXY_OK. */
void proxy_result_init(struct proxy_result *r);

/*
 * Writes all of buf before deadline; false (r says why: PROXY_WRITE_FAILED)
 * when that fails.
 */
bool proxy_send(
    struct conn *c, const void *buf, size_t len, long long deadline, struct proxy_result *r);

/*
 * Reads exactly len bytes into buf; false (r: PROXY_READ_FAILED at step,
 * with the count read) on EOF, error or deadline.
 */
bool proxy_recv(struct conn *c, void *buf, size_t len, long long deadline, enum proxy_step step,
    struct proxy_result *r);

#endif
