/* The bottom layer: a socket, read and written with the system calls. */
#include "conn/conn.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

static ssize_t
fd_read(struct conn *c, void *buf, size_t len)
{
	return read(c->fd, buf, len);
}

static ssize_t
fd_write(struct conn *c, const void *buf, size_t len)
{
	return write(c->fd, buf, len);
}

static int
fd_shutdown_write(struct conn *c)
{
	/* A datagram socket has no half-close; its peer never learns of our EOF. */
	if (c->datagram)
		return 0;
	return shutdown(c->fd, SHUT_WR);
}

static short
fd_events(struct conn *c, short wanted)
{
	(void)c;
	return wanted;
}

static size_t
fd_pending(struct conn *c)
{
	(void)c;
	return 0;
}

static void
fd_close(struct conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c);
}

static const struct conn_ops fd_ops = {
    .name = "fd",
    .read = fd_read,
    .write = fd_write,
    .shutdown_write = fd_shutdown_write,
    .events = fd_events,
    .pending = fd_pending,
    .close = fd_close,
};

struct conn *
conn_fd_new(int fd, bool datagram)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->ops = &fd_ops;
	c->fd = fd;
	c->datagram = datagram;
	return c;
}

bool
conn_is_plain(const struct conn *c)
{
	return c->ops == &fd_ops;
}

void
conn_close(struct conn *c)
{
	if (c != NULL)
		c->ops->close(c);
}
