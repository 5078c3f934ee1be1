/* nc: parse the command line, then hand over to the connector for the mode. */
#include <bsd/stdlib.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "client.h"
#include "options.h"
#include "ports.h"
#include "report.h"
#include "report_json.h"
#include "resolve.h"
#include "scan.h"
#include "server.h"
#include "unixsock.h"

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

	if (o.unix_socket)
		return unix_run(&o);
	if (o.listen)
		return server_run(&o);

	if (ports_parse_all(o.ports, o.nports, service_port, o.udp ? "udp" : "tcp", &ports,
			    &perr) != PORT_OK) {
		report_port_error(&perr);
		return 1;
	}
	if (o.random_ports)
		shuffle(&ports);
	status = o.zero_io ? scan_run(&o, &ports) : client_run(&o, &ports);
	ports_free(&ports);
	return status;
}
