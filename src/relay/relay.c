/*
 * The relay loop, driven by poll(2). netcat-openbsd's rules: stdin EOF alone
 * does not end a session; -N half-closes the socket at stdin EOF; -q ends it a
 * while after stdin EOF. Network EOF, once everything read from the network
 * has reached stdout, ends a listener's session at once (what stdin still had
 * to send is dropped); in connect mode it is a half-close, and the session
 * ends at stdin's EOF too.
 */
#include "relay/relay.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn/conn.h"
#include "relay/relay_splice.h"
#include "util/util_time.h"

#define BUF_SIZE (128 * 1024)
/* The largest UDP payload over IPv4. */
#define DGRAM_READ_MAX 65507

struct buffer {
	char *data;
	size_t start, len;
};

static struct relay_result
failure(const char *op, int err)
{
	return (struct relay_result){.status = RELAY_ERROR, .op = op, .err = err};
}

void
relay_config_from(struct relay_config *c, struct conn *net, const struct relay_options *r,
		  long long idle_ms)
{
	memset(c, 0, sizeof(*c));
	c->net = net;
	c->in_fd = STDIN_FILENO;
	c->out_fd = STDOUT_FILENO;
	c->no_stdin = r->no_stdin;
	c->shutdown_on_eof = r->shutdown_on_eof;
	c->quit_ms = r->quit_ms;
	c->idle_ms = idle_ms;
	c->recv_limit = r->recv_limit;
	c->crlf = r->crlf;
	c->line_interval_ms = r->interval_ms;
}

/* Where the next read into b goes, and how much of it: at most cap, half with CRLF. */
static size_t
room(struct buffer *b, bool crlf, size_t cap)
{
	if (b->len == 0)
		b->start = 0;
	size_t n = BUF_SIZE - b->start - b->len;
	if (n > cap)
		n = cap;
	return crlf ? n / 2 : n;
}

/* Takes n bytes just read into the free end of b, expanding LF to CRLF if asked. */
static void
commit(struct buffer *b, ssize_t n, bool crlf)
{
	if (n <= 0)
		return;
	if (crlf) {
		char *src = b->data + b->start + b->len;
		size_t lf = 0;
		for (ssize_t i = 0; i < n; i++)
			lf += src[i] == '\n';
		/* Expand in place from the back. */
		char *dst = src + n + lf;
		for (ssize_t i = n - 1; i >= 0; i--) {
			*--dst = src[i];
			if (src[i] == '\n')
				*--dst = '\r';
		}
		b->len += lf;
	}
	b->len += (size_t)n;
}

/* Reads stdin into b. */
static ssize_t
fill_fd(int fd, struct buffer *b, bool crlf, size_t cap)
{
	ssize_t n = read(fd, b->data + b->start + b->len, room(b, crlf, cap));

	commit(b, n, crlf);
	return n;
}

/* Reads the connection into b. */
static ssize_t
fill_conn(struct conn *c, struct buffer *b)
{
	ssize_t n = conn_read(c, b->data + b->start + b->len, room(b, false, BUF_SIZE));

	commit(b, n, false);
	return n;
}

/* Takes n bytes written from the front of b. */
static ssize_t
consumed(struct buffer *b, ssize_t n)
{
	if (n > 0) {
		b->start += (size_t)n;
		b->len -= (size_t)n;
	}
	return n;
}

static ssize_t
drain_fd(int fd, struct buffer *b, size_t limit)
{
	return consumed(b, write(fd, b->data + b->start, b->len < limit ? b->len : limit));
}

static ssize_t
drain_conn(struct conn *c, struct buffer *b, size_t limit)
{
	return consumed(b, conn_write(c, b->data + b->start, b->len < limit ? b->len : limit));
}

static bool
readable_now(int fd)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};

	return poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

static bool
transient(int err)
{
	return err == EINTR || err == EAGAIN || err == EWOULDBLOCK;
}

struct relay_result
relay_run(const struct relay_config *c)
{
	struct buffer to_net = {0}, to_out = {0};
	bool in_open = !c->no_stdin, net_in_open = true, write_shut = false, limit_hit = false;
	long long reads = 0, quit_at = -1, next_line_at = -1;
	struct relay_result result = {.status = RELAY_DONE};

	/* Nothing looks at the bytes: let the kernel move them (relay_splice.c). */
	if (relay_fast_eligible(c))
		return relay_fast(c);

	to_net.data = malloc(BUF_SIZE);
	to_out.data = malloc(BUF_SIZE);
	if (to_net.data == NULL || to_out.data == NULL) {
		result = failure("malloc", ENOMEM);
		goto out;
	}
	fcntl(c->net->fd, F_SETFL, fcntl(c->net->fd, F_GETFL) | O_NONBLOCK);
	if (c->line_interval_ms > 0)
		next_line_at = now_ms() + c->line_interval_ms;

	for (;;) {
		/*
		 * The -W limit ends the session once stdout has it all, and so
		 * does a listener's network EOF. Otherwise network EOF is only a
		 * half-close: stdin still goes out until its own EOF.
		 */
		if (!net_in_open && to_out.len == 0 &&
		    (limit_hit || c->no_stdin || c->net_eof_ends || (!in_open && to_net.len == 0)))
			break;
		/* stdin EOF, all of it sent: half-close, and maybe start the quit timer. */
		if (!in_open && !c->no_stdin && to_net.len == 0 && !write_shut) {
			write_shut = true;
			/* A datagram socket has no half-close (the conn knows); replies may still come (-q). */
			if (c->shutdown_on_eof)
				conn_shutdown_write(c->net);
			if (c->quit_ms >= 0)
				quit_at = now_ms() + c->quit_ms;
		}
		/*
		 * Time is up: what the network already gave goes out first (for
		 * UDP that includes datagrams still queued: nc -ul -q 0).
		 */
		if (quit_at >= 0 && now_ms() >= quit_at && to_out.len == 0 &&
		    (!c->net->datagram || !readable_now(c->net->fd)))
			break;

		/* With -i, send one line at a time, each after its pause. */
		size_t send_limit = to_net.len;
		bool line_wait = false;
		if (c->line_interval_ms > 0 && to_net.len > 0) {
			char *nl = memchr(to_net.data + to_net.start, '\n', to_net.len);
			if (nl != NULL)
				send_limit = (size_t)(nl - (to_net.data + to_net.start)) + 1;
			if (now_ms() < next_line_at)
				line_wait = true;
		}

		struct pollfd pfd[3] = {
		    {.fd = -1}, {.fd = c->net->fd}, {.fd = -1},
		};
		size_t in_room = BUF_SIZE - to_net.len;
		/* An unconnected datagram socket has nobody to send to until somebody spoke. */
		if (in_open && in_room >= (c->crlf ? 2u : 1u) && to_net.len == 0 &&
		    conn_has_peer(c->net))
			pfd[0] = (struct pollfd){.fd = c->in_fd, .events = POLLIN};
		short want = 0;
		if (net_in_open && to_out.len == 0)
			want |= POLLIN;
		if (to_net.len > 0 && !line_wait)
			want |= POLLOUT;
		/* A layer may need other events than the caller's wish (TLS reads to write). */
		pfd[1].events = want != 0 ? conn_events(c->net, want) : 0;
		if (to_out.len > 0)
			pfd[2] = (struct pollfd){.fd = c->out_fd, .events = POLLOUT};
		/* Bytes a layer already holds are readable without waiting. */
		bool held = (want & POLLIN) && conn_pending(c->net) > 0;

		long long deadline = -1;
		if (quit_at >= 0)
			deadline = quit_at;
		if (line_wait && (deadline < 0 || next_line_at < deadline))
			deadline = next_line_at;
		bool idle_applies;
		int timeout = held ? 0 : relay_poll_timeout(deadline, c->idle_ms, &idle_applies);

		int n = poll(pfd, 3, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			result = failure("poll", errno);
			break;
		}
		if (n == 0 && !held) {
			if (idle_applies)
				break; /* -w: idle for too long */
			continue;
		}

		/* The layer decides whether it can go on: ask it whenever its socket stirred. */
		bool net_stirred = pfd[1].revents != 0;
		if ((want & POLLOUT) && net_stirred) {
			ssize_t w = drain_conn(c->net, &to_net, send_limit);
			if (w < 0 && !transient(errno)) {
				result = failure("write", errno);
				break;
			}
			if (w > 0 && c->line_interval_ms > 0 && (size_t)w == send_limit &&
			    to_net.data[to_net.start - 1] == '\n')
				next_line_at = now_ms() + c->line_interval_ms;
		}
		if ((want & POLLIN) && (net_stirred || held)) {
			ssize_t r = fill_conn(c->net, &to_out);
			/* On a datagram socket 0 is an empty datagram, not the end. */
			bool got = r > 0 || (r == 0 && c->net->datagram);
			if (r == 0 && !got) {
				net_in_open = false;
			} else if (r < 0 && !transient(errno)) {
				result = failure("read", errno);
				break;
			} else if (got && c->recv_limit > 0 && ++reads >= c->recv_limit) {
				net_in_open = false;
				limit_hit = true;
			}
		}
		/*
		 * A session that just ended reads no more of stdin: a background
		 * job (nc -l ... &) that read its terminal would be stopped.
		 */
		if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR) &&
		    (net_in_open || !c->net_eof_ends)) {
			ssize_t r = fill_fd(c->in_fd, &to_net, c->crlf,
					    /* a datagram must fit one UDP packet */
					    c->net->datagram ? DGRAM_READ_MAX : BUF_SIZE);
			if (r == 0)
				in_open = false;
			else if (r < 0 && !transient(errno)) {
				result = failure("read", errno);
				break;
			}
		}
		if (pfd[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
			ssize_t w = drain_fd(c->out_fd, &to_out, to_out.len);
			if (w < 0 && !transient(errno)) {
				result = failure("write", errno);
				break;
			}
		}
	}
out:
	free(to_net.data);
	free(to_out.data);
	return result;
}
