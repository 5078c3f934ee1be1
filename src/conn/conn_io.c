/*
 * Deadline I/O over any connection, for the exchanges that happen before the
 * relay starts: proxy handshakes, TLS, readiness checks.
 */
#include "conn/conn.h"

#include <errno.h>
#include <poll.h>

#include "util/util_time.h"

int
conn_poll_fd(int fd, short events, long long deadline)
{
	struct pollfd p = {.fd = fd, .events = events};

	for (;;) {
		int timeout = poll_timeout(deadline);
		if (deadline >= 0 && timeout == 0)
			return ETIMEDOUT;
		int n = poll(&p, 1, timeout);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return errno;
	}
}

/* Waits until c can go on with what it wants, or deadline: 0 or an errno value. */
static int
conn_wait(struct conn *c, short wanted, long long deadline)
{
	if ((wanted & POLLIN) && conn_pending(c) > 0)
		return 0;
	return conn_poll_fd(c->fd, conn_events(c, wanted), deadline);
}

static bool
again(int err)
{
	return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

int
conn_write_all(struct conn *c, const void *buf, size_t len, long long deadline)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = conn_write(c, p, len);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n == 0)
			return EPIPE;
		if (!again(errno))
			return errno;
		int err = conn_wait(c, POLLOUT, deadline);
		if (err != 0)
			return err;
	}
	return 0;
}

ssize_t
conn_read_some(struct conn *c, void *buf, size_t len, long long deadline)
{
	for (;;) {
		ssize_t n = conn_read(c, buf, len);
		if (n >= 0)
			return n;
		if (!again(errno))
			return -errno;
		int err = conn_wait(c, POLLIN, deadline);
		if (err != 0)
			return -err;
	}
}

int
conn_read_full(struct conn *c, void *buf, size_t len, long long deadline)
{
	char *p = buf;

	while (len > 0) {
		ssize_t n = conn_read_some(c, p, len, deadline);
		if (n < 0)
			return (int)-n;
		if (n == 0)
			return EPIPE;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
