/*
 * Readiness checks: does a connected service answer? Over any struct conn
 * (plain socket, TLS, a proxy tunnel), a check writes a request (--send, or
 * the GET that --http builds), then reads until the reply decides: an
 * --expect regex matches, an HTTP status line is complete, or the peer
 * closes, the reply reaches its size cap or the deadline passes.
 *
 * A check is a small state machine so that many run at once: check_step()
 * does what I/O it can without blocking and says which poll(2) events it
 * waits for; check_run() drives a set of checks with poll(2) until all are
 * decided. Nothing here prints; report_check.c phrases a verdict for the
 * reporter.
 */
#ifndef NC_PROBE_CHECK_H
#define NC_PROBE_CHECK_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "conn/conn.h"

/* How much of a reply a check reads before it gives up looking. */
#define CHECK_MAX_REPLY (64 * 1024)

/* ---- The HTTP status line (pure) ---------------------------------------- */

enum http_parse {
	HTTP_PARSE_OK,        /* a whole status line: *st filled in */
	HTTP_PARSE_NEED_MORE, /* a valid beginning of one; read on */
	HTTP_PARSE_GARBAGE,   /* not an HTTP response */
};

struct http_status {
	int major, minor;   /* HTTP/1.1; minor -1 for "HTTP/2" */
	int code;           /* 100-999 */
	const char *reason; /* into the buffer, reason_len bytes; may be empty */
	size_t reason_len;
	size_t line_len; /* bytes of the line with its CRLF (or bare LF) */
};

/*
 * Parses the status line at the start of buf: "HTTP/" DIGIT ["." DIGIT] SP
 * 3DIGIT [SP reason] CRLF. A bare LF also ends it, and the space and reason
 * may be missing ("HTTP/1.1 200\r\n"), as servers in the wild write. A line
 * longer than HTTP_STATUS_MAX is garbage.
 */
#define HTTP_STATUS_MAX 4096
enum http_parse http_parse_status(const char *buf, size_t len, struct http_status *st);

/* ---- What to send and expect -------------------------------------------- */

/*
 * Compiles --expect's POSIX extended regex (REG_EXTENDED | REG_NOSUB). It
 * is matched against the whole reply so far as one string: ^ and $ are its
 * start and end, and a . also matches a newline. Returns 0, or regcomp's
 * error with regerror's text in errbuf (for "nc: --expect: TEXT").
 */
int check_compile_expect(const char *pattern, regex_t *re, char *errbuf, size_t errlen);

/*
 * Whether path can go into a request line: it starts with '/' and holds no
 * spaces or control characters.
 */
bool check_http_path_valid(const char *path);

/*
 * The request --http sends (malloc'd, *len bytes, NUL-terminated):
 *   GET PATH HTTP/1.1\r\nHost: HOST[:PORT]\r\nUser-Agent: nc/VERSION\r\n
 *   Connection: close\r\n\r\n
 * An IPv6 literal is bracketed in Host, without its %zone; PORT is left out
 * when it is the scheme's (80, or 443 with tls). NULL when out of memory.
 */
char *check_http_request(const char *host, unsigned port, bool tls, const char *path, size_t *len);

/* What every target's check sends and looks for. */
struct check_spec {
	const char *request; /* written once connected; may be empty */
	size_t request_len;
	const regex_t *expect;   /* NULL: none */
	const char *expect_text; /* the pattern as written, for the verdict */
	bool http;               /* judge the reply as an HTTP response */
	size_t max_reply;        /* 0: CHECK_MAX_REPLY */
};

/*
 * What decides "up":
 *   --expect given: the regex matches the reply (with --http too: then the
 *     status does not matter, so --expect '^HTTP/1.1 401' can ask for it);
 *   else --http: a 2xx or 3xx status line (interim 1xx responses such as
 *     103 Early Hints are skipped: the final one decides);
 *   else: any reply at all (a byte, or one datagram, even an empty one);
 *     on a stream with nothing to send, the connection alone.
 * On a datagram conn the request is one datagram (also when empty) and the
 * first datagram back is the whole reply.
 */
enum check_why {
	CHECK_CONNECTED,   /* up: nothing to send or expect */
	CHECK_MATCHED,     /* up: --expect matched */
	CHECK_HTTP_OK,     /* up: 2xx/3xx */
	CHECK_REPLIED,     /* up: a reply, none asked for in particular */
	CHECK_HTTP_STATUS, /* down: another status */
	CHECK_NOT_HTTP,  /* down: the reply is no HTTP response (or its status line is too long) */
	CHECK_NO_MATCH,  /* down: closed, capped or one datagram, without a match */
	CHECK_CLOSED,    /* down: the peer closed before the reply decided */
	CHECK_TIMED_OUT, /* down: the deadline passed first */
	CHECK_IO_ERROR,  /* down: a read or write failed with err (ECONNREFUSED for UDP) */
	CHECK_LAYER,     /* down: a layer under the check (TLS, -c) failed before it: detail */
};

struct check_result {
	bool up;
	enum check_why why;
	int err;              /* CHECK_IO_ERROR: the errno value */
	char detail[256];     /* CHECK_LAYER: the layer's words */
	size_t bytes;         /* reply bytes read */
	int http_code;        /* 0 unless a status line was read */
	char http_reason[64]; /* its reason phrase, printable ASCII only */
	long long time_us;    /* from check_start to the verdict */
	long long budget_ms;  /* deadline - start: what "timed out after" names; -1 none */
};

/* ---- Running checks ------------------------------------------------------ */

struct check {
	/* Read-only for callers. */
	const struct check_spec *spec;
	struct conn *conn;  /* not owned: the caller closes it */
	long long deadline; /* now_ms() time; < 0 none */
	bool done;
	struct check_result result; /* once done */
	/* Private. */
	long long start_us;
	size_t sent;
	char *buf;
	size_t len, cap;
	bool reading;
};

/*
 * Starts a check of a connected conn (its socket is made nonblocking).
 * Does no I/O: call check_step(c, 0) next.
 */
void check_start(
    struct check *c, const struct check_spec *spec, struct conn *conn, long long deadline);

/*
 * Does what I/O can be done now. Call it once after check_start, then
 * whenever poll(2) reports anything on c->conn->fd or c->deadline passes
 * (revents is only a hint; 0 is fine). Returns the events to poll for on
 * c->conn->fd (conn_events applied, so a TLS layer may ask to write while
 * reading), or 0 when the check is done and c->result holds the verdict.
 */
short check_step(struct check *c, short revents);

/* Frees what the check holds (not the conn). */
void check_end(struct check *c);

/*
 * Runs n started checks to their verdicts at once, with poll(2): about
 * one round trip for all. Returns 0, or an errno value if poll failed or
 * memory ran out (the unfinished checks are then not done).
 */
int check_run(struct check *checks, size_t n);

/* Blocking, for one conn: start, run, end. Returns check_run's value. */
int check_once(struct conn *conn, const struct check_spec *spec, long long deadline,
    struct check_result *result);

#endif
