/*
 * Listen mode (-l) for every transport. Stream kinds (TCP, Unix stream and
 * seqpacket) accept one client, or with -k one after another on the same
 * socket. Datagram kinds (UDP, Unix datagram) have no clients to accept: the
 * first sender becomes the peer, or with -k every sender is heard.
 */
#include "mode/mode_listen.h"

#include <bsd/stdlib.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli/cli_ports.h"
#include "net/net_resolve.h"
#include "net/net_tcp.h"
#include "net/net_udp.h"
#include "net/net_unix.h"
#include "relay/relay.h"
#include "report/report.h"
#include "util/util_time.h"

/*
 * A listen port: a number from 0 (the kernel picks) to 65535, or a service
 * name, which getaddrinfo resolves later.
 */
static bool
listen_port_ok(const char *port)
{
	const char *errstr;
	struct port_error err = {.value = port, .value_len = (int)strlen(port)};

	if (port[0] < '0' || port[0] > '9')
		return true;
	strtonum(port, 0, 65535, &errstr);
	if (errstr == NULL)
		return true;
	err.status = strcmp(errstr, "too large") == 0 ? PORT_TOO_LARGE : PORT_INVALID;
	report_port_error(&err);
	return false;
}

/* The largest UDP payload over IPv4; one stdin read becomes at most one such datagram. */
#define DGRAM_MAX 65507

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
dgram_keep_receiving(int fd, const struct nc_options *o)
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

enum announce { A_BOUND, A_LISTENING, A_RECEIVED };

/*
 * Tells a listener event. An IP address is named (numerically with -n or
 * --json); Unix-domain sockets are named by the listener's own path, as
 * netcat does: their clients are mostly unnamed.
 */
static void
announce(enum announce what, const struct sockaddr_storage *ss, socklen_t len,
	 const struct transport *t, const struct nc_options *o)
{
	char name[ADDR_TEXT_MAX];
	struct endpoint e = {.name = o->host};
	int gai;

	if (!report_verbose() && !o->json)
		return;
	if (!t->unix_domain) {
		addr_numeric((const struct sockaddr *)ss, len, name, sizeof(name), &e.port);
		gai = addr_name((const struct sockaddr *)ss, len, o->sock.numeric || o->json, name,
				sizeof(name));
		if (gai != 0) {
			report_getnameinfo(gai);
			/* Our own address unnamed is no line at all; a peer's falls back to its number. */
			if (what != A_RECEIVED)
				return;
			addr_numeric((const struct sockaddr *)ss, len, name, sizeof(name), NULL);
		}
		e.name = name;
		e.has_port = true;
	}
	if (what == A_BOUND)
		report_bound(&e);
	else if (what == A_LISTENING)
		report_listening(&e);
	else
		report_received(&e);
}

/* The same for a socket's own address. */
static void
announce_local(enum announce what, int fd, const struct transport *t, const struct nc_options *o)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (t->unix_domain || getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
		announce(what, &ss, len, t, o);
}

/* The bound (and, for stream kinds, listening) socket. */
static struct sock_result
open_listener(const struct transport *t, const struct nc_options *o)
{
	struct sock_result r;

	if (!t->unix_domain)
		return t->datagram ? dgram_bind(o->host, o->ports[0], &o->sock)
				   : stream_listen(o->host, o->ports[0], &o->sock);
	r = unix_bind(o->host, t->socktype, &o->sock);
	if (r.status != SOCK_OK || t->datagram)
		return r;
	if (listen(r.fd, SOMAXCONN) < 0) {
		int e = errno;
		close(r.fd);
		return (struct sock_result){.status = SOCK_FATAL_ERRNO, .what = "listen", .err = e, .fd = -1};
	}
	return r;
}

/* Relays on fd; receive_only when there is nobody to send stdin to. */
static int
relay(int fd, const struct transport *t, bool receive_only, const struct nc_options *o)
{
	struct relay_config rc;

	relay_config_from(&rc, fd, o);
	rc.datagram = t->datagram;
	if (receive_only)
		rc.no_stdin = true;
	return relay_session(&rc);
}

static int
serve_stream(int fd, const struct transport *t, const struct nc_options *o)
{
	int status = 0;

	do {
		struct sockaddr_storage peer;
		socklen_t len = sizeof(peer);
		int c;

		announce_local(A_LISTENING, fd, t, o);
		while ((c = accept4(fd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC)) < 0) {
			if (errno != EINTR && errno != ECONNABORTED) {
				report_errno("accept", errno);
				return 1;
			}
			len = sizeof(peer);
		}
		announce(A_RECEIVED, &peer, len, t, o);
		if (relay(c, t, false, o) != 0)
			status = 1;
		close(c);
	} while (o->keep_listening);
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

static int
serve_datagram(int fd, const struct transport *t, const struct nc_options *o)
{
	struct sockaddr_storage peer;
	socklen_t len;
	int e;

	if (o->keep_listening) {
		/* Unix-domain senders are mostly unnamed: there is nobody to answer. */
		if (t->unix_domain)
			return relay(fd, t, true, o);
		return dgram_keep_receiving(fd, o);
	}
	if ((e = first_sender(fd, &peer, &len)) != 0) {
		report_errno("recvfrom", e);
		return 1;
	}
	announce(A_RECEIVED, &peer, len, t, o);
	/* From here on only that sender is heard, and replies need no address. */
	bool named = !t->unix_domain || len > offsetof(struct sockaddr_un, sun_path);
	if (named && connect(fd, (struct sockaddr *)&peer, len) < 0) {
		report_errno("connect", errno);
		return 1;
	}
	return relay(fd, t, !named, o);
}

int
listen_run(const struct transport *t, const struct nc_options *o)
{
	int status;

	if (!t->unix_domain && !listen_port_ok(o->ports[0]))
		return 1;
	struct sock_result l = open_listener(t, o);
	if (l.status != SOCK_OK) {
		report_sock_failure(&l);
		return 1;
	}
	if (t->unix_domain || t->datagram)
		announce_local(A_BOUND, l.fd, t, o);
	status = t->datagram ? serve_datagram(l.fd, t, o) : serve_stream(l.fd, t, o);
	/* Like netcat-openbsd, a socket file stays: the next listener replaces it. */
	close(l.fd);
	return status;
}
