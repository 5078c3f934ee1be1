/*
 * The -u -z driver. Ports are probed a chunk at a time, so that a long range
 * is reported as it goes while each chunk still runs concurrently.
 */
#include "udpscan.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "client.h"
#include "report.h"
#include "resolve.h"
#include "udpprobe.h"

#define CHUNK 4096

static void
report_fatal(const struct sock_result *r)
{
	if (r->status == SOCK_FATAL_GAI)
		report_gai(r->gai);
	else if (r->status == SOCK_FATAL_SOCKOPT)
		report_sockopt(r->what, r->err);
	else
		report_errno(r->what, r->err);
}

static void
report_one(const struct destination *d, unsigned port, const struct udp_probe_result *r,
	   const struct nc_options *o)
{
	char addr[ADDR_TEXT_MAX];

	if (!report_verbose())
		return;
	addr_numeric(r->ai->ai_addr, r->ai->ai_addrlen, addr, sizeof(addr), NULL);
	struct target t = {.host = d->host, .addr = addr, .port = port, .proto = "udp"};
	bool named = !o->numeric && udp_state_success(r->state);
	report_udp_probe(&t, named ? service_name(port, "udp") : "*", r);
}

int
udp_scan_run(const struct nc_options *o, const struct port_list *ports)
{
	struct destination d;
	size_t naddrs = 0, chunk = ports->count < CHUNK ? ports->count : CHUNK;
	int status = 1;

	if (!destination_resolve(&d, o, SOCK_DGRAM, ports->ports[0]))
		return 1;
	for (const struct addrinfo *ai = d.addrs; ai != NULL; ai = ai->ai_next)
		naddrs++;
	/* Keep /etc/services open: one service name per port reported. */
	setservent(1);
	struct udp_probe_result *matrix = reallocarray(NULL, naddrs * chunk, sizeof(*matrix));
	size_t *tried = reallocarray(NULL, chunk, sizeof(*tried));
	if (matrix == NULL || tried == NULL) {
		report_errno("malloc", ENOMEM);
		goto out;
	}
	for (size_t base = 0; base < ports->count; base += chunk) {
		size_t m = ports->count - base < chunk ? ports->count - base : chunk;
		struct sock_result res = udp_probe_ports_all(&d, ports->ports + base, m, o, matrix,
							     tried);
		if (res.status != SOCK_OK) {
			report_fatal(&res);
			status = 1;
			break;
		}
		for (size_t i = 0; i < m; i++) {
			for (size_t k = 0; k < tried[i]; k++)
				report_one(&d, ports->ports[base + i], &matrix[k * m + i], o);
			if (tried[i] > 0 && udp_state_success(matrix[(tried[i] - 1) * m + i].state))
				status = 0;
		}
	}
out:
	endservent();
	free(matrix);
	free(tried);
	destination_free(&d);
	return status;
}
