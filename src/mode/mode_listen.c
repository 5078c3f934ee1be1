/* Listen mode: bind, accept one client (or, with -k, one after another) and relay. */
#include "mode/mode_listen.h"

#include <bsd/stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net_udp.h"
#include "cli/cli_ports.h"
#include "relay/relay.h"
#include "report/report.h"
#include "net/net_resolve.h"
#include "net/net_tcp.h"

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

static void
announce_listening(int fd, const struct nc_options *o)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char name[ADDR_TEXT_MAX];
	unsigned port;
	int gai;

	/* --json reports events whatever the verbosity, with numeric addresses. */
	if ((!report_verbose() && !o->json) || getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		return;
	addr_numeric((struct sockaddr *)&ss, len, name, sizeof(name), &port);
	gai = addr_name((struct sockaddr *)&ss, len, o->sock.numeric || o->json, name, sizeof(name));
	if (gai != 0)
		report_getnameinfo(gai);
	else
		report_listening(name, port);
}

static void
announce_peer(const struct sockaddr_storage *ss, socklen_t len, const struct nc_options *o)
{
	char name[ADDR_TEXT_MAX];
	unsigned port;
	int gai;

	if (!report_verbose() && !o->json)
		return;
	addr_numeric((const struct sockaddr *)ss, len, name, sizeof(name), &port);
	gai = addr_name((const struct sockaddr *)ss, len, o->sock.numeric || o->json, name, sizeof(name));
	if (gai != 0) {
		report_getnameinfo(gai);
		addr_numeric((const struct sockaddr *)ss, len, name, sizeof(name), NULL);
	}
	report_received(name, port);
}

int
server_run(const struct nc_options *o)
{
	const char *port = o->ports[0];
	int status = 0;

	if (!listen_port_ok(port))
		return 1;
	if (o->udp)
		return dgram_server_run(o, port);
	struct sock_result l = stream_listen(o->host, port, &o->sock);
	if (l.status != SOCK_OK) {
		report_sock_failure(&l);
		return 1;
	}
	do {
		struct sockaddr_storage peer;
		socklen_t len = sizeof(peer);
		int fd;

		announce_listening(l.fd, o);
		while ((fd = accept4(l.fd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC)) < 0) {
			if (errno != EINTR && errno != ECONNABORTED) {
				report_errno("accept", errno);
				close(l.fd);
				return 1;
			}
			len = sizeof(peer);
		}
		announce_peer(&peer, len, o);
		struct relay_config rc;
		relay_config_from(&rc, fd, o);
		if (relay_session(&rc) != 0)
			status = 1;
		close(fd);
	} while (o->keep_listening);
	close(l.fd);
	return status;
}
