/*
 * Connect mode: dial each port in turn (directly or through -x) and relay on
 * each that answers; with -F hand the first connection to stdout's socket
 * instead.
 */
#include "mode/mode_connect.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "dial/dial.h"
#include "mode/mode_session.h"
#include "mode/mode_tls.h"
#include "net/net_fdpass.h"
#include "net/net_unix.h"
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

/*
 * A Unix-domain path. A datagram client needs an address of its own for
 * replies to come back to: -s, or a private temporary one.
 */
static int
connect_path(const struct transport *t, const struct nc_options *o)
{
	char temp[PATH_MAX];
	struct sock_result r;
	int fd = -1;

	if (t->datagram) {
		const char *local = o->sock.source_addr;
		if (local == NULL) {
			const char *what;
			int e = unix_tempsock(temp, sizeof(temp), &what);
			if (e != 0) {
				report_errno(what, e);
				return 1;
			}
			local = temp;
		}
		r = unix_bind(local, t->socktype, &o->sock);
		if (r.status != SOCK_OK) {
			report_sock_failure(&r);
			return 1;
		}
		report_bound(&(struct endpoint){.name = local});
		fd = r.fd;
	}
	r = unix_connect(o->host, t->socktype, fd, &o->sock);
	if (r.status != SOCK_OK) {
		report_sock_failure(&r);
		return 1;
	}
	struct conn *c = conn_fd_new(r.fd, t->datagram);
	if (c == NULL) {
		close(r.fd);
		report_errno("malloc", ENOMEM);
		return 1;
	}
	return session_serve(c, o, false, false);
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
	int gai = dialer_open(d, host, first_port, t, &o->sock, &o->proxy);

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
	struct conn_tls_config *tls;
	int status = 1;

	if (t->unix_domain)
		return connect_path(t, o);
	if (!tls_setup(o, &tls))
		return 1;
	if (connect_dialer_open(&d, o->host, ports->ports[0], t, o) != 0) {
		dialer_close(&d);
		conn_tls_config_free(tls);
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
		/* TLS sits on whatever the dialer connected: a socket, or a proxy's tunnel. */
		if (tls != NULL && (c = tls_start(tls, c, o->host, o, -1, false, NULL)) == NULL) {
			status = 1;
			break;
		}
		if ((status = session_serve(c, o, false, false)) != 0)
			break;
	}
	dialer_close(&d);
	conn_tls_config_free(tls);
	return status;
}
