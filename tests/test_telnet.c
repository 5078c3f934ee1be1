/*
 * Unit tests of -t: the answers netcat-openbsd gives (compat table), the
 * same answers for a sequence split anywhere, and the connection layer
 * over a socket pair.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "conn/conn_telnet.h"
#include "util/util_time.h"

#define IAC  "\xff"
#define DO   "\xfd"
#define DONT "\xfe"
#define WILL "\xfb"
#define WONT "\xfc"
#define SB   "\xfa"
#define SE   "\xf0"
#define NOP  "\xf1"

/* The answer to in fed at once, and fed in two pieces cut at every point. */
static void
answers(const char *in, size_t len, const char *want, size_t wlen)
{
	struct telnet_state t;
	uint8_t out[256];
	size_t n;

	telnet_init(&t);
	n = telnet_feed(&t, (const uint8_t *)in, len, out);
	CHECK(n == wlen && memcmp(out, want, n) == 0);
	for (size_t cut = 0; cut <= len; cut++) {
		telnet_init(&t);
		n = telnet_feed(&t, (const uint8_t *)in, cut, out);
		CHECK(n <= cut + 2);
		size_t m = telnet_feed(&t, (const uint8_t *)in + cut, len - cut, out + n);
		CHECK(m <= len - cut + 2);
		CHECK(n + m == wlen && memcmp(out, want, wlen) == 0);
	}
}

#define ANSWERS(in, want) answers(in, sizeof(in) - 1, want, sizeof(want) - 1)

static void
test_compat_rows(void)
{
	ANSWERS(IAC DO "\x01", IAC WONT "\x01");
	ANSWERS(IAC WILL "\x03", IAC DONT "\x03");
	ANSWERS(IAC DONT "\x05", IAC WONT "\x05");
	ANSWERS(IAC WONT "\x06", IAC DONT "\x06");
	ANSWERS(IAC DO "\x18" IAC WILL "\x01" IAC DO "\x1f",
	    IAC WONT "\x18" IAC DONT "\x01" IAC WONT "\x1f");
	ANSWERS("login: " IAC DO "\x18", IAC WONT "\x18");
	ANSWERS(IAC SB "\x18\x01" IAC SE, "");
	ANSWERS(IAC IAC "xyz", "");
	ANSWERS(IAC NOP "abc", "");
	ANSWERS("abc" IAC DO, "");
	/* netcat-openbsd loses this one; state kept across reads answers it. */
	ANSWERS(IAC DO "\x01q", IAC WONT "\x01");
	/* The option byte may be anything, IAC included. */
	ANSWERS(IAC WILL IAC, IAC DONT IAC);
	ANSWERS("plain text, no commands\r\n", "");
}

static void
test_subnegotiation(void)
{
	/* Inside SB, verbs are data; IAC IAC is a data byte; IAC SE ends it. */
	ANSWERS(
	    IAC SB "\x18" DO WILL "\x01" IAC IAC DO "\x01" IAC SE IAC DO "\x02", IAC WONT "\x02");
	/* A subnegotiation left open does not hide the next command. */
	ANSWERS(IAC SB "\x18\x01" IAC DO "\x03", IAC WONT "\x03");
	ANSWERS(IAC SB IAC SE IAC IAC IAC WILL "\x07", IAC DONT "\x07");
	/* SE and other commands out of place answer nothing. */
	ANSWERS(IAC SE IAC "\xf4" IAC "\xf6"
	                   "x",
	    "");
}

/* A nonblocking socket pair: [0] under the layer, [1] the peer. */
static void
pair(int sv[2])
{
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(fcntl(sv[0], F_SETFL, O_NONBLOCK) == 0);
}

static size_t
peer_read(int fd, void *buf, size_t len)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	ssize_t n;

	if (poll(&p, 1, 5000) != 1)
		return 0;
	n = read(fd, buf, len);
	return n < 0 ? 0 : (size_t)n;
}

static void
test_layer(void)
{
	int sv[2];
	char buf[64];
	struct conn *c;
	ssize_t n;

	pair(sv);
	c = conn_telnet_new(conn_fd_new(sv[0], false));
	CHECK(c != NULL && !conn_is_plain(c) && strcmp(c->ops->name, "telnet") == 0);
	CHECK(c->fd == sv[0] && conn_pending(c) == 0);

	/* Data unchanged, the answer sent. */
	CHECK(write(sv[1], "abc" IAC DO "\x01", 6) == 6);
	n = conn_read_some(c, buf, sizeof(buf), -1);
	CHECK(n == 6 && memcmp(buf, "abc" IAC DO "\x01", 6) == 0);
	CHECK(peer_read(sv[1], buf, sizeof(buf)) == 3 && memcmp(buf, IAC WONT "\x01", 3) == 0);

	/* A sequence split over two reads. */
	CHECK(write(sv[1], "x" IAC, 2) == 2);
	CHECK(conn_read_some(c, buf, sizeof(buf), -1) == 2);
	CHECK(write(sv[1], WILL "\x05y", 3) == 3);
	CHECK(conn_read_some(c, buf, sizeof(buf), -1) == 3 && memcmp(buf, WILL "\x05y", 3) == 0);
	CHECK(peer_read(sv[1], buf, sizeof(buf)) == 3 && memcmp(buf, IAC DONT "\x05", 3) == 0);

	/* Our data passes unchanged, IAC bytes and all. */
	CHECK(conn_write_all(c, "out" IAC DO "\x01", 6, -1) == 0);
	CHECK(peer_read(sv[1], buf, sizeof(buf)) == 6 && memcmp(buf, "out" IAC DO "\x01", 6) == 0);

	/* EOF passes through. */
	CHECK(shutdown(sv[1], SHUT_WR) == 0);
	CHECK(conn_read_some(c, buf, sizeof(buf), -1) == 0);
	conn_close(c);
	close(sv[1]);
}

/* Answers the socket cannot take yet wait, ask for POLLOUT, and go before the next write. */
static void
test_layer_backlog(void)
{
	static char fill[1 << 16];
	char buf[1 << 16];
	int sv[2];
	size_t filled = 0, got = 0;
	struct conn *c;
	ssize_t n;

	pair(sv);
	c = conn_telnet_new(conn_fd_new(sv[0], false));
	memset(fill, 'f', sizeof(fill));
	while ((n = write(sv[0], fill, sizeof(fill))) > 0)
		filled += (size_t)n;
	CHECK(errno == EAGAIN && filled > 0);

	CHECK(write(sv[1], IAC DO "\x01", 3) == 3);
	CHECK(conn_read_some(c, buf, sizeof(buf), -1) == 3);
	CHECK((conn_events(c, POLLIN) & POLLOUT) != 0);
	CHECK(conn_write(c, "D", 1) < 0 && errno == EAGAIN);

	/* The peer drains the filler; then the answer, then our data. */
	while (got < filled) {
		size_t k =
		    peer_read(sv[1], buf, sizeof(buf) < filled - got ? sizeof(buf) : filled - got);
		if (k == 0)
			break;
		got += k;
	}
	CHECK(got == filled);
	CHECK(conn_write_all(c, "D", 1, now_ms() + 5000) == 0);
	CHECK(peer_read(sv[1], buf, 4) == 4 &&
	    memcmp(buf,
	        IAC WONT "\x01"
	                 "D",
	        4) == 0);
	CHECK(conn_events(c, POLLIN) == POLLIN);
	conn_close(c);
	close(sv[1]);
}

int
main(void)
{
	test_compat_rows();
	test_subnegotiation();
	test_layer();
	test_layer_backlog();
	return check_summary("telnet");
}
