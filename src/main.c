/* nc: parse the command line, then hand over to the connector for the mode. */
#include <bsd/stdlib.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "mode/mode_connect.h"
#include "cli/cli_options.h"
#include "cli/cli_ports.h"
#include "report/report.h"
#include "report/report_json.h"
#include "net/net_resolve.h"
#include "net/net_transport.h"
#include "mode/mode_scan.h"
#include "mode/mode_listen.h"
#include "net/net_unix.h"
#include "util/util_secret.h"

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
 * -Z: DCCP, which current kernels no longer have; said in one line rather
 * than as netcat-openbsd's silent exit.
 */
static bool
dccp_ready(const struct nc_options *o)
{
	int err = transport_available(transport_pick(false, false, false, true));

	if (err != 0) {
		report_dccp_unavailable(err);
		return false;
	}
	/* Only connect mode dials DCCP: the listener and the probers are TCP's and UDP's. */
	if (o->listen || o->scan.zero_io || o->udp || o->unix_socket) {
		report_dccp_mode();
		return false;
	}
	return true;
}

/* -S: the key from the terminal, or NC_MD5SIG_PASSWORD without one. */
static bool
md5sig_key(struct nc_options *o, char *key, size_t len)
{
	char prompt[64];

	report_md5sig_prompt(prompt, sizeof(prompt));
	if (secret_read(prompt, MD5SIG_PASSWORD_ENV, key, len) == SECRET_NONE) {
		report_md5sig_unavailable();
		return false;
	}
	o->sock.md5sig_key = key;
	return true;
}

int
main(int argc, char *argv[])
{
	struct nc_options o;
	struct opt_error oerr;
	struct port_list ports;
	struct port_error perr;
	/* TCP_MD5SIG_MAXKEYLEN (80) bytes and the NUL: a longer key is cut, as netcat-openbsd. */
	char md5key[81];
	int status;

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

	if (o.dccp && !dccp_ready(&o))
		return 1;
	if (o.sock.md5sig && !md5sig_key(&o, md5key, sizeof(md5key)))
		return 1;
	if (o.unix_socket)
		return unix_run(&o);
	if (o.listen)
		return server_run(&o);

	if (ports_parse_all(o.ports, o.nports, service_port, o.udp ? "udp" : "tcp", &ports,
			    &perr) != PORT_OK) {
		report_port_error(&perr);
		return 1;
	}
	if (o.scan.random_ports)
		shuffle(&ports);
	/* -F passes the connection even with -z, as netcat-openbsd. */
	if (o.scan.zero_io && !o.pass_fd)
		status = scan_run(&o, &ports);
	else
		status = client_run(transport_pick(false, o.udp, false, o.dccp), &o, &ports);
	ports_free(&ports);
	explicit_bzero(md5key, sizeof(md5key));
	return status;
}
