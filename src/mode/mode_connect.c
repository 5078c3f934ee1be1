/* Connect mode: the stream connector driven port by port, address by address. */
#include "mode/mode_connect.h"

#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "net/net_udp.h"
#include "relay/relay.h"
#include "report/report.h"
#include "net/net_resolve.h"
#include "net/net_tcp.h"

bool
destination_resolve(struct destination *d, const struct nc_options *o, int socktype,
		    unsigned first_port)
{
	int gai = destination_lookup(d, o->host, first_port, o, socktype);
	char port[8];

	if (gai == 0)
		return true;
	snprintf(port, sizeof(port), "%u", first_port);
	report_resolve_failed(o->host, port, gai);
	return false;
}

enum attempt
client_connect_port(const struct destination *d, unsigned port, const struct nc_options *o,
		    int *fd)
{
	char addr[ADDR_TEXT_MAX];

	for (struct addrinfo *ai = d->addrs; ai != NULL; ai = ai->ai_next) {
		sa_set_port(ai->ai_addr, port);
		addr_numeric(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr), NULL);
		struct target t = {.host = d->host, .addr = addr, .port = port, .proto = d->proto};
		struct sock_result r = o->udp ? dgram_connect(ai, o) : stream_connect(ai, o);
		switch (r.status) {
		case SOCK_OK:
			report_connected(&t, o->numeric ? "*" : service_name(port, d->proto));
			*fd = r.fd;
			return ATTEMPT_CONNECTED;
		case SOCK_FAILED:
			report_connect_failed(&t, r.err);
			break;
		case SOCK_TIMED_OUT:
			report_connect_timed_out(&t);
			break;
		default:
			report_sock_failure(&r);
			return ATTEMPT_FATAL;
		}
	}
	return ATTEMPT_FAILED;
}

int
client_run(const struct nc_options *o, const struct port_list *ports)
{
	struct destination d;
	int status = 1;

	if (!destination_resolve(&d, o, o->udp ? SOCK_DGRAM : SOCK_STREAM, ports->ports[0]))
		return 1;
	for (size_t i = 0; i < ports->count; i++) {
		int fd;
		enum attempt a = client_connect_port(&d, ports->ports[i], o, &fd);
		if (a == ATTEMPT_FATAL) {
			status = 1;
			break;
		}
		if (a != ATTEMPT_CONNECTED)
			continue;
		struct relay_config rc;
		relay_config_from(&rc, fd, o);
		status = relay_session(&rc);
		close(fd);
		if (status != 0)
			break;
	}
	destination_free(&d);
	return status;
}
