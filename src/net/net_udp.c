/*
 * The UDP connector and listener. UDP has no handshake: "connecting" only
 * fixes the peer address, and a listener learns its peer from the first
 * datagram that arrives.
 */
#include "net/net_udp.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "relay/relay.h"
#include "report/report.h"
#include "net/net_resolve.h"
#include "net/net_sockopt.h"
#include "util/util_time.h"

/* The largest UDP payload over IPv4; one stdin read becomes at most one such datagram. */
#define DGRAM_MAX 65507

struct sock_result
dgram_connect(const struct addrinfo *ai, const struct sock_options *sock)
{
	struct sock_result r = socket_for(ai, sock);
	int e;

	if (r.status != SOCK_OK)
		return r;
	if (connect(r.fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		e = errno;
		close(r.fd);
		return (struct sock_result){.status = SOCK_FAILED, .err = e, .fd = -1};
	}
	return r;
}

struct sock_result
dgram_bind(const char *host, const char *port, const struct sock_options *sock)
{
	return bind_local(host, port, SOCK_DGRAM, sock);
}

/* "Bound on ADDR PORT" for the listener, and "Connection received on" for a sender. */
static void
announce(const struct sockaddr_storage *ss, socklen_t len, const struct nc_options *o, bool bound)
{
	char name[ADDR_TEXT_MAX];
	unsigned port;
	int gai;

	if (!report_verbose())
		return;
	addr_numeric((const struct sockaddr *)ss, len, name, sizeof(name), &port);
	gai = addr_name((const struct sockaddr *)ss, len, o->sock.numeric, name, sizeof(name));
	if (gai != 0) {
		report_getnameinfo(gai);
		if (bound)
			return;
		addr_numeric((const struct sockaddr *)ss, len, name, sizeof(name), NULL);
	}
	if (bound)
		report_bound(name, port);
	else
		report_received(name, port);
}

static bool
write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return false;
		}
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* stdin data with LF turned into CRLF (-C); out has room for twice len. */
static size_t
expand_crlf(const char *in, size_t len, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (in[i] == '\n')
			out[o++] = '\r';
		out[o++] = in[i];
	}
	return o;
}

/*
 * -k -u -l: the socket stays unconnected so that every sender is heard; what
 * stdin says goes to whoever sent last. Runs until -W datagrams have arrived,
 * or -q after stdin EOF, or forever (-w does not end it: -k means keep going).
 */
static int
keep_receiving(int fd, const struct nc_options *o)
{
	struct sockaddr_storage last;
	socklen_t last_len = 0;
	char *buf = malloc(DGRAM_MAX + 1), *line = malloc(2 * DGRAM_MAX);
	bool in_open = !o->relay.no_stdin;
	long long reads = 0, quit_at = -1;
	int status = 0;

	if (buf == NULL || line == NULL) {
		report_errno("malloc", ENOMEM);
		status = 1;
		goto out;
	}
	for (;;) {
		struct pollfd pfd[2] = {{.fd = fd, .events = POLLIN}, {.fd = -1}};
		/* Nobody to send stdin to until someone has spoken. */
		if (in_open && last_len > 0)
			pfd[1] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
		int n = poll(pfd, 2, poll_timeout(quit_at));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			report_errno("poll", errno);
			status = 1;
			break;
		}
		if (n == 0)
			break; /* the -q time after stdin EOF is over */
		if (pfd[0].revents & (POLLIN | POLLERR)) {
			struct sockaddr_storage ss;
			socklen_t len = sizeof(ss);
			ssize_t got = recvfrom(fd, buf, DGRAM_MAX + 1, MSG_DONTWAIT,
					       (struct sockaddr *)&ss, &len);
			if (got >= 0) {
				last = ss;
				last_len = len;
				if (!write_all(STDOUT_FILENO, buf, (size_t)got)) {
					report_errno("write", errno);
					status = 1;
					break;
				}
				if (o->relay.recv_limit > 0 && ++reads >= o->relay.recv_limit)
					break;
			} else if (errno != EAGAIN && errno != EINTR && errno != ECONNREFUSED) {
				report_errno("read", errno);
				status = 1;
				break;
			}
		}
		if (pfd[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t got = read(STDIN_FILENO, buf, o->relay.crlf ? DGRAM_MAX / 2 : DGRAM_MAX);
			if (got == 0) {
				in_open = false;
				if (o->relay.quit_ms == 0)
					break;
				if (o->relay.quit_ms > 0)
					quit_at = now_ms() + o->relay.quit_ms;
			} else if (got < 0 && errno != EINTR && errno != EAGAIN) {
				report_errno("read", errno);
				status = 1;
				break;
			} else if (got > 0) {
				const char *p = buf;
				size_t len = (size_t)got;
				if (o->relay.crlf) {
					len = expand_crlf(buf, len, line);
					p = line;
				}
				if (sendto(fd, p, len, 0, (struct sockaddr *)&last, last_len) < 0) {
					report_errno("write", errno);
					status = 1;
					break;
				}
			}
		}
	}
out:
	free(buf);
	free(line);
	return status;
}

/* Waits for the first datagram, leaving it queued for the relay; fills in its sender. */
static int
first_sender(int fd, struct sockaddr_storage *ss, socklen_t *len)
{
	char byte;

	for (;;) {
		*len = sizeof(*ss);
		if (recvfrom(fd, &byte, 1, MSG_PEEK, (struct sockaddr *)ss, len) >= 0)
			return 0;
		if (errno != EINTR && errno != ECONNREFUSED)
			return errno;
	}
}

int
dgram_server_run(const struct nc_options *o, const char *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int status = 0, e;

	struct sock_result l = dgram_bind(o->host, port, &o->sock);
	if (l.status != SOCK_OK) {
		if (l.status == SOCK_FATAL_GAI)
			report_gai(l.gai);
		else if (l.status == SOCK_FATAL_SOCKOPT)
			report_sockopt(l.what, l.err);
		else
			report_errno(l.what, l.err);
		return 1;
	}
	if (getsockname(l.fd, (struct sockaddr *)&ss, &len) == 0)
		announce(&ss, len, o, true);
	if (o->keep_listening) {
		status = keep_receiving(l.fd, o);
		close(l.fd);
		return status;
	}
	if ((e = first_sender(l.fd, &ss, &len)) != 0) {
		report_errno("recvfrom", e);
		close(l.fd);
		return 1;
	}
	/* From here on only that sender is heard, and replies need no address. */
	if (connect(l.fd, (struct sockaddr *)&ss, len) < 0) {
		report_errno("connect", errno);
		close(l.fd);
		return 1;
	}
	announce(&ss, len, o, false);
	struct relay_config rc;
	relay_config_from(&rc, l.fd, o);
	status = relay_session(&rc);
	close(l.fd);
	return status;
}
