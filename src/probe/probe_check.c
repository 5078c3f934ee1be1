/* Readiness checks over a connection: send a request, judge the reply. */
#include "probe/probe_check.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util_time.h"

/* ---- HTTP ------------------------------------------------------------------ */

static bool
digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A reason phrase byte: HTAB, SP, VCHAR, obs-text (RFC 9112). */
static bool
reason_byte(unsigned char c)
{
	return c == '\t' || (c >= 0x20 && c != 0x7f);
}

enum http_parse
http_parse_status(const char *buf, size_t len, struct http_status *st)
{
	static const char prefix[] = "HTTP/";
	size_t i;

	/* "HTTP/" D: each byte that is there must fit, so garbage shows at once. */
	for (i = 0; i < sizeof(prefix) - 1; i++) {
		if (i == len)
			return HTTP_PARSE_NEED_MORE;
		if (buf[i] != prefix[i])
			return HTTP_PARSE_GARBAGE;
	}
	if (i == len)
		return HTTP_PARSE_NEED_MORE;
	if (!digit(buf[i]))
		return HTTP_PARSE_GARBAGE;
	st->major = buf[i++] - '0';
	st->minor = -1;
	if (i == len)
		return HTTP_PARSE_NEED_MORE;
	if (buf[i] == '.') {
		if (++i == len)
			return HTTP_PARSE_NEED_MORE;
		if (!digit(buf[i]))
			return HTTP_PARSE_GARBAGE;
		st->minor = buf[i++] - '0';
		if (i == len)
			return HTTP_PARSE_NEED_MORE;
	}
	if (buf[i++] != ' ')
		return HTTP_PARSE_GARBAGE;

	st->code = 0;
	for (int k = 0; k < 3; k++, i++) {
		if (i == len)
			return HTTP_PARSE_NEED_MORE;
		if (!digit(buf[i]) || (k == 0 && buf[i] == '0'))
			return HTTP_PARSE_GARBAGE;
		st->code = st->code * 10 + (buf[i] - '0');
	}
	if (i == len)
		return HTTP_PARSE_NEED_MORE;
	if (buf[i] == ' ')
		i++;
	else if (buf[i] != '\r' && buf[i] != '\n')
		return HTTP_PARSE_GARBAGE;

	/*
	 * The line, CRLF included, has HTTP_STATUS_MAX bytes at most: its LF
	 * lies before buf[HTTP_STATUS_MAX], so any prefix that reaches that far
	 * without one gives the same verdict as the whole reply.
	 */
	size_t start = i;
	for (; i < len && i < HTTP_STATUS_MAX && reason_byte((unsigned char)buf[i]); i++)
		;
	if (i == HTTP_STATUS_MAX)
		return HTTP_PARSE_GARBAGE;
	if (i == len)
		return HTTP_PARSE_NEED_MORE;
	st->reason = buf + start;
	st->reason_len = i - start;
	if (buf[i] == '\r') {
		if (++i == HTTP_STATUS_MAX)
			return HTTP_PARSE_GARBAGE;
		if (i == len)
			return HTTP_PARSE_NEED_MORE;
		if (buf[i] != '\n')
			return HTTP_PARSE_GARBAGE;
	} else if (buf[i] != '\n') {
		return HTTP_PARSE_GARBAGE; /* a control byte in the reason */
	}
	st->line_len = i + 1;
	return HTTP_PARSE_OK;
}

bool
check_http_path_valid(const char *path)
{
	if (path[0] != '/')
		return false;
	for (const unsigned char *p = (const unsigned char *)path; *p != '\0'; p++)
		if (*p <= 0x20 || *p == 0x7f)
			return false;
	return true;
}

char *
check_http_request(const char *host, unsigned port, bool tls, const char *path, size_t *len)
{
	const char *zone = strchr(host, '%');
	int hostlen = zone != NULL ? (int)(zone - host) : (int)strlen(host);
	bool v6 = memchr(host, ':', (size_t)hostlen) != NULL;
	char portpart[8] = "";
	char *req;

	if (port != (tls ? 443u : 80u))
		snprintf(portpart, sizeof(portpart), ":%u", port);
	int n = asprintf(&req,
	    "GET %s HTTP/1.1\r\n"
	    "Host: %s%.*s%s%s\r\n"
	    "User-Agent: nc/%s\r\n"
	    "Connection: close\r\n"
	    "\r\n",
	    path, v6 ? "[" : "", hostlen, host, v6 ? "]" : "", portpart, NC_VERSION);
	if (n < 0)
		return NULL;
	*len = (size_t)n;
	return req;
}

int
check_compile_expect(const char *pattern, regex_t *re, char *errbuf, size_t errlen)
{
	int rc = regcomp(re, pattern, REG_EXTENDED | REG_NOSUB);
	if (rc != 0 && errlen > 0)
		regerror(rc, re, errbuf, errlen);
	return rc;
}

/* ---- The state machine ------------------------------------------------------ */

void
check_start(struct check *c, const struct check_spec *spec, struct conn *conn, long long deadline)
{
	*c = (struct check){.spec = spec, .conn = conn, .deadline = deadline, .start_us = now_us()};
	int fl = fcntl(conn->fd, F_GETFL);
	if (fl >= 0 && !(fl & O_NONBLOCK))
		fcntl(conn->fd, F_SETFL, fl | O_NONBLOCK);
}

static short
finish(struct check *c, bool up, enum check_why why, int err)
{
	c->done = true;
	c->result.up = up;
	c->result.why = why;
	c->result.err = err;
	c->result.bytes = c->len;
	c->result.time_us = now_us() - c->start_us;
	c->result.budget_ms = c->deadline < 0 ? -1 : c->deadline - c->start_us / 1000;
	return 0;
}

static size_t
reply_cap(const struct check *c)
{
	return c->spec->max_reply > 0 ? c->spec->max_reply : CHECK_MAX_REPLY;
}

static bool
matches(const struct check *c)
{
#ifdef REG_STARTEND
	/* Bounds instead of the NUL, so a binary reply is matched past its NULs. */
	regmatch_t m = {.rm_so = 0, .rm_eo = (regoff_t)c->len};
	return regexec(c->spec->expect, c->buf != NULL ? c->buf : "", 1, &m, REG_STARTEND) == 0;
#else
	return regexec(c->spec->expect, c->buf != NULL ? c->buf : "", 0, NULL, 0) == 0;
#endif
}

static void
keep_status(struct check *c, const struct http_status *st)
{
	size_t n = 0;

	c->result.http_code = st->code;
	for (size_t i = 0; i < st->reason_len && n + 1 < sizeof(c->result.http_reason); i++) {
		unsigned char b = (unsigned char)st->reason[i];
		c->result.http_reason[n++] = b >= 0x20 && b < 0x7f ? (char)b : '?';
	}
	c->result.http_reason[n] = '\0';
}

/*
 * Where the header block that starts at buf[from] ends (after its empty
 * line), or 0 when that is not in yet.
 */
static size_t
headers_end(const char *buf, size_t len, size_t from)
{
	for (size_t i = from; i + 1 < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (buf[i + 1] == '\n')
			return i + 2;
		if (buf[i + 1] == '\r' && i + 2 < len && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/*
 * The final response's status line: interim 1xx responses (103 Early
 * Hints, 100 Continue) come first, each with its own header block, and
 * are skipped as HTTP/1.1 clients must. 101 would be final, but nobody
 * asked to switch protocols.
 */
static enum http_parse
final_status(const char *buf, size_t len, struct http_status *st)
{
	size_t at = 0;

	for (;;) {
		enum http_parse hp = http_parse_status(buf + at, len - at, st);
		if (hp != HTTP_PARSE_OK || st->code >= 200 || st->code == 101)
			return hp;
		size_t end = headers_end(buf, len, at + st->line_len - 1);
		if (end == 0)
			return HTTP_PARSE_NEED_MORE;
		at = end;
		if (at == len)
			return HTTP_PARSE_NEED_MORE;
	}
}

static bool
decided(struct check *c, bool up, enum check_why why)
{
	finish(c, up, why, 0);
	return true;
}

/*
 * Judges the reply so far. last: no more is coming (EOF, the one datagram,
 * the size cap). Returns true once decided.
 */
static bool
judge(struct check *c, bool last, bool eof)
{
	const struct check_spec *s = c->spec;
	struct http_status st;
	enum http_parse hp = HTTP_PARSE_NEED_MORE;

	/* The status also names what came back when --expect decides. */
	if (s->http && c->len > 0) {
		hp = final_status(c->buf, c->len, &st);
		if (hp == HTTP_PARSE_OK)
			keep_status(c, &st);
	}
	if (s->expect != NULL) {
		if ((c->len > 0 || c->conn->datagram) && matches(c))
			return decided(c, true, CHECK_MATCHED);
		if (!last)
			return false;
		return decided(c, false, eof && c->len == 0 ? CHECK_CLOSED : CHECK_NO_MATCH);
	}
	if (s->http) {
		if (hp == HTTP_PARSE_OK) {
			bool up = st.code >= 200 && st.code < 400;
			return decided(c, up, up ? CHECK_HTTP_OK : CHECK_HTTP_STATUS);
		}
		if (hp == HTTP_PARSE_GARBAGE)
			return decided(c, false, CHECK_NOT_HTTP);
		if (!last)
			return false;
		return decided(c, false, eof ? CHECK_CLOSED : CHECK_NOT_HTTP);
	}
	/* Any reply: a byte, or a datagram even if empty. */
	if (c->len > 0 || (last && !eof))
		return decided(c, true, CHECK_REPLIED);
	if (last)
		return decided(c, false, CHECK_CLOSED);
	return false;
}

static bool
again(int err)
{
	return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

static bool
past_deadline(const struct check *c)
{
	return c->deadline >= 0 && now_ms() >= c->deadline;
}

/* Makes room for more reply; false when out of memory. */
static bool
grow(struct check *c)
{
	size_t cap = reply_cap(c);

	if (c->len < c->cap)
		return true;
	size_t want = c->conn->datagram ? cap : (c->cap == 0 ? 1024 : c->cap * 2);

	if (want > cap)
		want = cap;
	if (want <= c->cap)
		return true;
	char *b = realloc(c->buf, want + 1); /* + 1: regexec's NUL */
	if (b == NULL)
		return false;
	c->buf = b;
	c->cap = want;
	return true;
}

/* Writes the request. Returns true when all of it is out (or the check is done). */
static bool
send_request(struct check *c)
{
	const struct check_spec *s = c->spec;

	if (c->conn->datagram) {
		/* One datagram, even an empty one: it is what asks for the reply. */
		ssize_t n = conn_write(c->conn, s->request, s->request_len);
		if (n >= 0)
			return true;
		if (!again(errno))
			finish(c, false, CHECK_IO_ERROR, errno);
		return c->done;
	}
	while (c->sent < s->request_len) {
		ssize_t n = conn_write(c->conn, s->request + c->sent, s->request_len - c->sent);
		if (n > 0) {
			c->sent += (size_t)n;
			continue;
		}
		/* A peer gone before it read the request closed before a reply. */
		if (n == 0 || errno == EPIPE)
			finish(c, false, CHECK_CLOSED, 0);
		else if (!again(errno))
			finish(c, false, CHECK_IO_ERROR, errno);
		return c->done;
	}
	return true;
}

/* Reads what is there. Returns true when the check is done. */
static bool
read_reply(struct check *c)
{
	for (;;) {
		int err = 0;
		if (!grow(c))
			err = ENOMEM;
		ssize_t n = err == 0 ? conn_read(c->conn, c->buf + c->len, c->cap - c->len) : -1;
		if (n < 0 && err == 0) {
			if (again(errno))
				return false;
			err = errno;
		}
		if (err != 0) {
			finish(c, false, CHECK_IO_ERROR, err);
			return true;
		}
		c->len += (size_t)n;
		c->buf[c->len] = '\0';
		bool eof = n == 0 && !c->conn->datagram;
		bool last = eof || c->conn->datagram || c->len >= reply_cap(c);
		if (judge(c, last, eof))
			return true;
	}
}

short
check_step(struct check *c, short revents)
{
	const struct check_spec *s = c->spec;

	(void)revents; /* the I/O itself says what happened */
	if (c->done)
		return 0;
	if (!c->reading) {
		if (!c->conn->datagram && s->request_len == 0 && s->expect == NULL && !s->http)
			return finish(c, true, CHECK_CONNECTED, 0);
		if (!send_request(c)) {
			if (past_deadline(c))
				return finish(c, false, CHECK_TIMED_OUT, 0);
			return conn_events(c->conn, POLLOUT);
		}
		if (c->done)
			return 0;
		c->reading = true;
	}
	if (read_reply(c))
		return 0;
	if (past_deadline(c))
		return finish(c, false, CHECK_TIMED_OUT, 0);
	return conn_events(c->conn, POLLIN);
}

void
check_end(struct check *c)
{
	free(c->buf);
	c->buf = NULL;
	c->len = c->cap = 0;
}

int
check_run(struct check *checks, size_t n)
{
	struct pollfd *p = calloc(n > 0 ? n : 1, sizeof(*p));
	size_t left = 0;

	if (p == NULL)
		return ENOMEM;
	for (size_t i = 0; i < n; i++) {
		p[i].fd = -1;
		if ((p[i].events = check_step(&checks[i], 0)) != 0) {
			p[i].fd = checks[i].conn->fd;
			left++;
		}
	}
	while (left > 0) {
		long long deadline = -1;
		for (size_t i = 0; i < n; i++) {
			long long d = checks[i].deadline;
			if (p[i].fd >= 0 && d >= 0 && (deadline < 0 || d < deadline))
				deadline = d;
		}
		int k = poll(p, n, poll_timeout(deadline));
		if (k < 0 && errno != EINTR) {
			int err = errno;
			free(p);
			return err;
		}
		for (size_t i = 0; i < n; i++) {
			if (p[i].fd < 0 || (p[i].revents == 0 && !past_deadline(&checks[i])))
				continue;
			if ((p[i].events = check_step(&checks[i], p[i].revents)) == 0) {
				p[i].fd = -1;
				left--;
			}
			p[i].revents = 0;
		}
	}
	free(p);
	return 0;
}

int
check_once(struct conn *conn, const struct check_spec *spec, long long deadline,
    struct check_result *result)
{
	struct check c;

	check_start(&c, spec, conn, deadline);
	int err = check_run(&c, 1);
	*result = c.result;
	check_end(&c);
	return err;
}
