/*
 * A connection: what the relay, the dialer and the probers read from and
 * write to. A plain socket is the bottom layer (conn_fd.c); layers that look
 * at the bytes (TLS, telnet) wrap another connection and override the
 * operations they change, as curl's connection filters do. Nothing here
 * prints.
 */
#ifndef NC_CONN_H
#define NC_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct conn;

struct conn_ops {
	const char *name; /* "fd", "tls", "telnet": for tests and -vv */
	/* As read(2)/write(2): -1 with errno (EAGAIN: poll for conn_events). */
	ssize_t (*read)(struct conn *c, void *buf, size_t len);
	ssize_t (*write)(struct conn *c, const void *buf, size_t len);
	/* Ends our sending direction (TLS: close_notify; sockets: SHUT_WR). */
	int (*shutdown_write)(struct conn *c);
	/*
	 * The poll(2) events on c->fd that let the caller go on when it wants
	 * to read (POLLIN) and/or write (POLLOUT): a TLS layer may need to
	 * write in order to read. A plain socket answers what it was asked.
	 */
	short (*events)(struct conn *c, short wanted);
	/* Bytes the layer holds that a read returns without waiting on fd. */
	size_t (*pending)(struct conn *c);
	/* Frees the layer and everything below it, closing the socket. */
	void (*close)(struct conn *c);
};

struct conn {
	const struct conn_ops *ops;
	int fd;             /* the socket that poll(2) watches */
	bool datagram;      /* one read is one message: keep boundaries */
	struct conn *below; /* the connection this layer wraps; NULL at the bottom */
};

/* A plain socket as a connection; NULL (errno ENOMEM) on failure. Takes fd. */
struct conn *conn_fd_new(int fd, bool datagram);

/*
 * An unconnected datagram socket that hears every sender and answers the
 * latest one (-k -u -l); NULL (errno ENOMEM) on failure. Takes fd.
 */
struct conn *conn_dgram_any_new(int fd);

/* False while c is such a socket and nobody has spoken to it yet. */
bool conn_has_peer(const struct conn *c);

/* True for a plain socket, whose bytes the kernel may move (splice). */
bool conn_is_plain(const struct conn *c);

static inline ssize_t
conn_read(struct conn *c, void *buf, size_t len)
{
	return c->ops->read(c, buf, len);
}

static inline ssize_t
conn_write(struct conn *c, const void *buf, size_t len)
{
	return c->ops->write(c, buf, len);
}

static inline int
conn_shutdown_write(struct conn *c)
{
	return c->ops->shutdown_write(c);
}

static inline short
conn_events(struct conn *c, short wanted)
{
	return c->ops->events(c, wanted);
}

static inline size_t
conn_pending(struct conn *c)
{
	return c->ops->pending(c);
}

/* Closes c and what it wraps; NULL is fine. */
void conn_close(struct conn *c);

/*
 * Deadline I/O for handshakes (proxies, TLS, --send/--expect): the
 * connection's socket is nonblocking; these poll until done, EOF, an error or
 * deadline (a now_ms() time; < 0 none), when they fail with ETIMEDOUT.
 */

/* Polls fd for events until one comes or deadline: 0, ETIMEDOUT or an errno value. */
int conn_poll_fd(int fd, short events, long long deadline);

/* Writes all len bytes. Returns 0 or an errno value. */
int conn_write_all(struct conn *c, const void *buf, size_t len, long long deadline);

/*
 * Reads what is there, at most len bytes, waiting for at least one.
 * Returns the count, 0 at EOF, or -errno.
 */
ssize_t conn_read_some(struct conn *c, void *buf, size_t len, long long deadline);

/* Reads exactly len bytes. Returns 0, EPIPE for an early EOF, or an errno value. */
int conn_read_full(struct conn *c, void *buf, size_t len, long long deadline);

#endif
