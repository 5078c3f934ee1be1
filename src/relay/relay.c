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
#include <limits.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "report/report.h"
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
relay_config_from(struct relay_config *c, int net_fd, const struct nc_options *o)
{
	memset(c, 0, sizeof(*c));
	c->net_fd = net_fd;
	c->in_fd = STDIN_FILENO;
	c->out_fd = STDOUT_FILENO;
	c->no_stdin = o->relay.no_stdin;
	c->shutdown_on_eof = o->relay.shutdown_on_eof;
	c->quit_ms = o->relay.quit_ms;
	c->idle_ms = o->sock.timeout_ms;
	c->recv_limit = o->relay.recv_limit;
	c->crlf = o->relay.crlf;
	c->line_interval_ms = o->relay.interval_ms;
	c->datagram = o->udp;
	/* Every listener but a datagram one, which has no EOF. */
	c->net_eof_ends = o->listen && !o->udp;
}

/* Reads at most cap bytes from fd into the free end of b, expanding LF to CRLF if asked. */
static ssize_t
fill(int fd, struct buffer *b, bool crlf, size_t cap)
{
	if (b->len == 0)
		b->start = 0;
	size_t room = BUF_SIZE - b->start - b->len;
	if (room > cap)
		room = cap;
	if (crlf)
		room /= 2;
	ssize_t n = read(fd, b->data + b->start + b->len, room);
	if (n <= 0)
		return n;
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
		b->len += (size_t)n + lf;
		return n;
	}
	b->len += (size_t)n;
	return n;
}

/* Writes at most limit bytes of b to fd; returns bytes written or -1. */
static ssize_t
drain(int fd, struct buffer *b, size_t limit)
{
	size_t want = b->len < limit ? b->len : limit;
	ssize_t n = write(fd, b->data + b->start, want);
	if (n > 0) {
		b->start += (size_t)n;
		b->len -= (size_t)n;
	}
	return n;
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

	/* Nothing looks at the bytes: let the kernel move them (src/splice.c). */
	if (relay_fast_eligible(c))
		return relay_fast(c);

	to_net.data = malloc(BUF_SIZE);
	to_out.data = malloc(BUF_SIZE);
	if (to_net.data == NULL || to_out.data == NULL) {
		result = failure("malloc", ENOMEM);
		goto out;
	}
	fcntl(c->net_fd, F_SETFL, fcntl(c->net_fd, F_GETFL) | O_NONBLOCK);
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
			/* UDP has no half-close; replies may still come (-q). */
			if (c->shutdown_on_eof && !c->datagram)
				shutdown(c->net_fd, SHUT_WR);
			if (c->quit_ms >= 0)
				quit_at = now_ms() + c->quit_ms;
		}
		/*
		 * Time is up: what the network already gave goes out first (for
		 * UDP that includes datagrams still queued: nc -ul -q 0).
		 */
		if (quit_at >= 0 && now_ms() >= quit_at && to_out.len == 0 &&
		    (!c->datagram || !readable_now(c->net_fd)))
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
		    {.fd = -1}, {.fd = c->net_fd}, {.fd = -1},
		};
		size_t in_room = BUF_SIZE - to_net.len;
		if (in_open && in_room >= (c->crlf ? 2u : 1u) && to_net.len == 0)
			pfd[0] = (struct pollfd){.fd = c->in_fd, .events = POLLIN};
		if (net_in_open && to_out.len == 0)
			pfd[1].events |= POLLIN;
		if (to_net.len > 0 && !line_wait)
			pfd[1].events |= POLLOUT;
		if (to_out.len > 0)
			pfd[2] = (struct pollfd){.fd = c->out_fd, .events = POLLOUT};

		long long deadline = -1;
		if (quit_at >= 0)
			deadline = quit_at;
		if (line_wait && (deadline < 0 || next_line_at < deadline))
			deadline = next_line_at;
		bool idle_applies;
		int timeout = relay_poll_timeout(deadline, c->idle_ms, &idle_applies);

		int n = poll(pfd, 3, timeout);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			result = failure("poll", errno);
			break;
		}
		if (n == 0) {
			if (idle_applies)
				break; /* -w: idle for too long */
			continue;
		}

		if (pfd[1].revents & POLLOUT || (pfd[1].revents & (POLLERR | POLLHUP) &&
						 pfd[1].events & POLLOUT)) {
			ssize_t w = drain(c->net_fd, &to_net, send_limit);
			if (w < 0 && !transient(errno)) {
				result = failure("write", errno);
				break;
			}
			if (w > 0 && c->line_interval_ms > 0 && (size_t)w == send_limit &&
			    to_net.data[to_net.start - 1] == '\n')
				next_line_at = now_ms() + c->line_interval_ms;
		}
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR) && pfd[1].events & POLLIN) {
			ssize_t r = fill(c->net_fd, &to_out, false, BUF_SIZE);
			if (r == 0) {
				net_in_open = false;
			} else if (r < 0 && !transient(errno)) {
				result = failure("read", errno);
				break;
			} else if (r > 0 && c->recv_limit > 0 && ++reads >= c->recv_limit) {
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
			ssize_t r = fill(c->in_fd, &to_net, c->crlf,
					/* a datagram must fit one UDP packet */
					c->datagram ? DGRAM_READ_MAX : BUF_SIZE);
			if (r == 0)
				in_open = false;
			else if (r < 0 && !transient(errno)) {
				result = failure("read", errno);
				break;
			}
		}
		if (pfd[2].revents & (POLLOUT | POLLERR | POLLHUP)) {
			ssize_t w = drain(c->out_fd, &to_out, to_out.len);
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

int
relay_session(const struct relay_config *c)
{
	struct relay_result r = relay_run(c);

	if (r.status == RELAY_ERROR) {
		report_errno(r.op, r.err);
		return 1;
	}
	return 0;
}

int
relay_poll_timeout(long long deadline, long long idle_ms, bool *idle)
{
	int timeout = poll_timeout(deadline);

	*idle = idle_ms >= 0 && (timeout < 0 || idle_ms < timeout);
	if (*idle)
		timeout = idle_ms > INT_MAX ? INT_MAX : (int)idle_ms;
	return timeout;
}
