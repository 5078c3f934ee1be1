/*
 * Listen mode (-l) for every transport. Stream kinds (TCP, Unix stream and
 * seqpacket) accept one client, or with -k one after another on the same
 * socket. Datagram kinds (UDP, Unix datagram) have no clients to accept: the
 * first sender becomes the peer, or with -k every sender is heard.
 */
#include "mode/mode_listen.h"

#include <bsd/stdlib.h>
#include <errno.h>
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
#include "conn/conn.h"
#include "mode/mode_session.h"
#include "mode/mode_tls.h"
#include "report/report.h"

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

/*
 * Stream clients one after another (-k). With TLS each gets a handshake of
 * its own; a failed one is a warning line, and -k goes on to the next.
 */
static int
serve_stream(int fd, const struct transport *t, const struct nc_options *o,
	     struct conn_tls_config *tls)
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
		struct conn *conn = conn_fd_new(c, false);
		if (conn == NULL)
			close(c);
		else if (tls != NULL &&
			 (conn = tls_start(tls, conn, o->host, o, -1, false, NULL)) == NULL) {
			status = 1;
			continue;
		}
		if (session_serve(conn, o, false, false) != 0)
			status = 1;
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

	/* The session's connection shares the listening socket, which the caller closes. */
	int sfd = dup(fd);
	if (sfd < 0) {
		report_errno("dup", errno);
		return 1;
	}
	if (o->keep_listening) {
		/* Unix-domain senders are mostly unnamed: there is nobody to answer. */
		if (t->unix_domain)
			return session_serve(conn_fd_new(sfd, true), o, true, false);
		return session_serve(conn_dgram_any_new(sfd), o, false, true);
	}
	if ((e = first_sender(fd, &peer, &len)) != 0) {
		close(sfd);
		report_errno("recvfrom", e);
		return 1;
	}
	announce(A_RECEIVED, &peer, len, t, o);
	/* From here on only that sender is heard, and replies need no address. */
	bool named = !t->unix_domain || len > offsetof(struct sockaddr_un, sun_path);
	if (named && connect(fd, (struct sockaddr *)&peer, len) < 0) {
		e = errno;
		close(sfd);
		report_errno("connect", e);
		return 1;
	}
	return session_serve(conn_fd_new(sfd, true), o, !named, false);
}

int
listen_run(const struct transport *t, const struct nc_options *o)
{
	struct conn_tls_config *tls;
	int status;

	if (!t->unix_domain && !listen_port_ok(o->ports[0]))
		return 1;
	if (!tls_setup(o, &tls))
		return 1;
	struct sock_result l = open_listener(t, o);
	if (l.status != SOCK_OK) {
		report_sock_failure(&l);
		conn_tls_config_free(tls);
		return 1;
	}
	if (t->unix_domain || t->datagram)
		announce_local(A_BOUND, l.fd, t, o);
	status = t->datagram ? serve_datagram(l.fd, t, o) : serve_stream(l.fd, t, o, tls);
	/* Like netcat-openbsd, a socket file stays: the next listener replaces it. */
	close(l.fd);
	conn_tls_config_free(tls);
	return status;
}
