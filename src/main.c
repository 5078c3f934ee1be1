/* nc: parse the command line, pick the transport and the mode, run it. */
#include <bsd/stdlib.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli_options.h"
#include "cli/cli_ports.h"
#include "mode/mode_connect.h"
#include "mode/mode_listen.h"
#include "mode/mode_scan.h"
#include "net/net_resolve.h"
#include "net/net_transport.h"
#include "report/report.h"
#include "report/report_json.h"

static void
shuffle(struct port_list *ports)
{
	for (size_t i = ports->count; i > 1; i--) {
		size_t j = arc4random_uniform((uint32_t)i);
		unsigned short t = ports->ports[i - 1];
		ports->ports[i - 1] = ports->ports[j];
		ports->ports[j] = t;
	}
}

/*
 * Started with fd 0, 1 or 2 closed, the first socket would take that number
 * and be read as stdin or written as stdout. Each closed one gets /dev/null
 * instead, opened so that it still acts closed where it matters: stdin reads
 * end of file at once, and stdout is opened read-only, so that every write to
 * it fails with EBADF (nc: write: Bad file descriptor), as on a closed fd.
 */
static void
occupy_closed_fds(void)
{
	static const int mode[3] = {O_RDONLY, O_RDONLY, O_WRONLY};

	for (int fd = 0; fd < 3; fd++) {
		/* open(2) takes the lowest free number: fd, every lower one being open by now. */
		if (fcntl(fd, F_GETFD) < 0)
			open("/dev/null", mode[fd]);
	}
}

int
main(int argc, char *argv[])
{
	struct nc_options o;
	struct opt_error oerr;
	struct port_list ports;
	struct port_error perr;
	int status;

	occupy_closed_fds();
	report_init(argv[0], 0);
	switch (options_parse(argc, argv, &o, &oerr)) {
	case OPT_OK:
		break;
	case OPT_HELP:
		report_help();
		return 0;
	case OPT_VERSION:
		report_version();
		return 0;
	default:
		report_option_error(&oerr);
		return 1;
	}
	report_init(argv[0], o.verbose);
	report_json_enable(o.json);
	/* A peer that goes away is an error to report, not a signal to die of. */
	signal(SIGPIPE, SIG_IGN);

	const struct transport *t = transport_pick(o.unix_socket, o.udp, o.seqpacket);
	if (o.listen)
		return listen_run(t, &o);
	if (t->unix_domain)
		return o.scan.zero_io ? scan_unix(&o, t->socktype) : client_run(t, &o, NULL);

	if (ports_parse_all(o.ports, o.nports, service_port, (void *)t->proto, &ports, &perr) != PORT_OK) {
		report_port_error(&perr);
		return 1;
	}
	if (o.scan.random_ports)
		shuffle(&ports);
	status = o.scan.zero_io ? scan_run(&o, &ports) : client_run(t, &o, &ports);
	ports_free(&ports);
	return status;
}
