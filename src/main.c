/* nc: parse the command line, pick the transport and the mode, run it. */
#include <bsd/stdlib.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_operands.h"
#include "cli/cli_options.h"
#include "cli/cli_ports.h"
#include "mode/mode_connect.h"
#include "mode/mode_listen.h"
#include "mode/mode_ready.h"
#include "mode/mode_scan.h"
#include "mode/mode_tls_check.h"
#include "net/net_resolve.h"
#include "net/net_transport.h"
#include "report/report.h"
#include "report/report_json.h"
#include "report/report_ready.h"
#include "report/report_tls.h"
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

/* Connect mode: host and ports, netcat's way. */
static int
connect_ports(const struct transport *t, const struct nc_options *o)
{
	struct port_list ports;
	struct port_error perr;

	if (ports_parse_all(o->ports, o->nports, service_port, (void *)t->proto, &ports, &perr) !=
	    PORT_OK) {
		report_port_error(&perr);
		return 1;
	}
	int status = client_run(t, o, &ports);
	ports_free(&ports);
	return status;
}

/* -U -z, --wait, a check: every operand is a path. */
static int
ready_paths(const struct transport *t, const struct nc_options *o)
{
	size_t n = (size_t)o->nports + 1;
	struct ready_group *g = calloc(n, sizeof(*g));

	if (g == NULL) {
		report_errno(NULL, ENOMEM);
		return 1;
	}
	g[0].host = o->host;
	for (size_t i = 1; i < n; i++)
		g[i].host = o->ports[i - 1];
	int status = ready_run(t, o, g, n, false);
	free(g);
	return status;
}

/*
 * -z and what implies it: netcat's "host port..." (a plain -z scan keeps
 * netcat's rules) or HOST:PORT targets, which like --wait and the checks
 * are readiness: every target must be up.
 */
static int
probe_operands(const struct transport *t, const struct nc_options *o)
{
	enum operand_form form;
	struct operand_targets ts;
	struct operand_error oe;
	struct port_list ports;
	struct port_error perr;
	int status;

	/* "nc --http /health host:80": the path became the first operand. */
	if (o->scan.http_path != NULL && o->host[0] == '/') {
		report_http_path_error(o->host, true);
		return 1;
	}
	if (operands_parse(o->ports - 1, o->nports + 1, service_port, (void *)t->proto, &form, &ts,
			   &oe) != OPERAND_OK) {
		report_operand_error(&oe);
		return 1;
	}
	if (form == OPERANDS_TARGETS) {
		struct ready_group *g = calloc(ts.count, sizeof(*g));
		status = 1;
		if (g == NULL)
			report_errno(NULL, ENOMEM);
		for (size_t i = 0; g != NULL && i < ts.count; i++) {
			if (o->scan.random_ports)
				shuffle(&ts.v[i].ports);
			g[i] = (struct ready_group){.host = ts.v[i].host, .ports = &ts.v[i].ports};
		}
		if (g != NULL)
			status = ready_run(t, o, g, ts.count, true);
		free(g);
		operand_targets_free(&ts);
		return status;
	}
	if (ports_parse_all(o->ports, o->nports, service_port, (void *)t->proto, &ports, &perr) !=
	    PORT_OK) {
		report_port_error(&perr);
		return 1;
	}
	if (o->scan.random_ports)
		shuffle(&ports);
	/* -c: the TLS handshake is the probe, with or without --wait; a check comes after it. */
	if (o->tls.enabled && !options_check(o))
		status = tls_check_run(o, &ports);
	else if (o->scan.wait_ms >= 0 || options_check(o))
		status = ready_run(t, o, &(struct ready_group){.host = o->host, .ports = &ports}, 1,
				   false);
	else
		status = scan_run(o, &ports);
	ports_free(&ports);
	return status;
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
	/* TCP_MD5SIG_MAXKEYLEN (80) bytes and the NUL: a longer key is cut, as netcat-openbsd. */
	char md5key[81];
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

	if (o.dccp && !dccp_ready(&o))
		return 1;
	if (o.sock.md5sig && !md5sig_key(&o, md5key, sizeof(md5key)))
		return 1;
	const struct transport *t = transport_pick(o.unix_socket, o.udp, o.seqpacket, o.dccp);
	if (o.listen)
		return listen_run(t, &o);
	/* -F passes the connection even with -z, as netcat-openbsd. */
	if (!o.scan.zero_io || o.pass_fd)
		status = t->unix_domain ? client_run(t, &o, NULL) : connect_ports(t, &o);
	else if (t->unix_domain)
		status = ready_paths(t, &o);
	else
		status = probe_operands(t, &o);
	explicit_bzero(md5key, sizeof(md5key));
	return status;
}
