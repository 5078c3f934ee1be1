/*
 * An unconnected datagram socket as a connection (-k with -u -l): every
 * sender is heard, and what we send goes to whoever sent last. Until
 * somebody has spoken there is nobody to send to.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn/conn.h"

struct dgram_conn {
	struct conn c;
	struct sockaddr_storage last;
	socklen_t last_len; /* 0: nobody has spoken yet */
};

static ssize_t
any_read(struct conn *c, void *buf, size_t len)
{
	struct dgram_conn *d = (struct dgram_conn *)c;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	ssize_t n = recvfrom(c->fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&ss, &sl);

	if (n >= 0) {
		d->last = ss;
		d->last_len = sl;
	} else if (errno == ECONNREFUSED) {
		/* An ICMP error about an earlier reply: no reason to stop hearing the others. */
		errno = EAGAIN;
	}
	return n;
}

static ssize_t
any_write(struct conn *c, const void *buf, size_t len)
{
	struct dgram_conn *d = (struct dgram_conn *)c;

	if (d->last_len == 0) {
		errno = EDESTADDRREQ;
		return -1;
	}
	return sendto(c->fd, buf, len, 0, (struct sockaddr *)&d->last, d->last_len);
}

static int
any_shutdown_write(struct conn *c)
{
	(void)c;
	return 0;
}

static short
any_events(struct conn *c, short wanted)
{
	struct dgram_conn *d = (struct dgram_conn *)c;

	/* Nobody to write to yet: only a datagram arriving can change that. */
	if (d->last_len == 0 && (wanted & POLLOUT))
		return (short)((wanted & ~POLLOUT) | POLLIN);
	return wanted;
}

static size_t
any_pending(struct conn *c)
{
	(void)c;
	return 0;
}

static void
any_close(struct conn *c)
{
	close(c->fd);
	free(c);
}

static const struct conn_ops any_ops = {
    .name = "dgram-any",
    .read = any_read,
    .write = any_write,
    .shutdown_write = any_shutdown_write,
    .events = any_events,
    .pending = any_pending,
    .close = any_close,
};

struct conn *
conn_dgram_any_new(int fd)
{
	struct dgram_conn *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->c.ops = &any_ops;
	d->c.fd = fd;
	d->c.datagram = true;
	return &d->c;
}

bool
conn_has_peer(const struct conn *c)
{
	return c->ops != &any_ops || ((const struct dgram_conn *)c)->last_len > 0;
}
