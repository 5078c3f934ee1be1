/*
 * Connect mode: dial each port in turn (directly or through -x) and relay on
 * each that answers; with -F hand the first connection to stdout's socket
 * instead.
 */
#include "mode/mode_connect.h"

#include <errno.h>
#include <unistd.h>

#include "conn/conn_telnet.h"
#include "dial/dial.h"
#include "net/net_fdpass.h"
#include "relay/relay.h"
#include "report/report.h"
#include "report/report_dial.h"
#include "report/report_proxy.h"

/* The -v lines for each address tried, and whatever a proxy answers. */
static void
notify(const struct dial_try *dt, void *arg)
{
	const struct nc_options *o = arg;

	report_dial_try(dt, o->sock.numeric);
}

/* What goes with the password prompt, whoever collects the tries. */
static void
notice(const struct dial_try *dt, void *arg)
{
	(void)arg;
	report_dial_try(dt, true);
}

/* -F: the connection goes to whoever holds the other end of stdout; 0 or 1. */
static int
pass_connection(const struct conn *c)
{
	int err;

	if (isatty(STDOUT_FILENO)) {
		report_fdpass_tty();
		return 1;
	}
	if ((err = fdpass_send(STDOUT_FILENO, c->fd)) != 0) {
		report_errno("sendmsg", err);
		return 1;
	}
	return 0;
}

/* One connection's session: -t answers telnet negotiation on it. Takes c. */
static int
session(struct conn *c, const struct nc_options *o)
{
	struct relay_config rc;
	int status;

	if (o->relay.telnet) {
		struct conn *t = conn_telnet_new(c);
		if (t == NULL) {
			conn_close(c);
			report_errno("malloc", ENOMEM);
			return 1;
		}
		c = t;
	}
	/* The relay still reads c->fd, past the telnet layer: -t waits for it to take c. */
	relay_config_from(&rc, c->fd, o);
	status = relay_session(&rc);
	conn_close(c);
	return status;
}

void
connect_dialer_prompt(struct dialer *d, const struct nc_options *o)
{
	report_proxy_prompt(d->prompt, sizeof(d->prompt), o->proxy.user, o->proxy.host);
	d->notice = notice;
}

int
connect_dialer_open(struct dialer *d, const char *host, unsigned first_port,
    const struct transport *t, const struct nc_options *o)
{
	int gai = dialer_open(d, host, first_port, t, o);

	if (gai != 0)
		report_dial_lookup_failed(d, gai);
	else if (o->proxy.user != NULL)
		connect_dialer_prompt(d, o);
	return gai;
}

int
client_run(const struct transport *t, const struct nc_options *o, const struct port_list *ports)
{
	struct dialer d;
	struct sock_result fatal;
	int status = 1, gai;

	if ((gai = connect_dialer_open(&d, o->host, ports->ports[0], t, o)) != 0) {
		dialer_close(&d);
		return 1;
	}
	for (size_t i = 0; i < ports->count; i++) {
		struct conn *c;
		enum dial_status ds = dial_port(&d, ports->ports[i], notify, (void *)o, &c, &fatal);
		if (ds == DIAL_FATAL)
			report_sock_failure(&fatal);
		if (ds == DIAL_FATAL || ds == DIAL_STOP) {
			status = 1;
			break;
		}
		if (ds != DIAL_CONNECTED)
			continue;
		if (o->pass_fd) {
			status = pass_connection(c);
			conn_close(c);
			break;
		}
		if ((status = session(c, o)) != 0)
			break;
	}
	dialer_close(&d);
	return status;
}
