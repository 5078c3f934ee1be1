/* Connect mode: dial each port in turn and relay on the first that answers. */
#include "mode/mode_connect.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include "dial/dial.h"
#include "net/net_unix.h"
#include "mode/mode_session.h"
#include "mode/mode_tls.h"
#include "report/report.h"

void
connect_notify(const struct dial_try *dt, void *arg)
{
	const struct nc_options *o = arg;
	struct target t = {.host = dt->host, .addr = dt->addr, .port = dt->port, .proto = dt->proto};

	switch (dt->status) {
	case SOCK_OK:
		report_connected(&t, o->sock.numeric ? "*" : service_name(dt->port, dt->proto));
		break;
	case SOCK_TIMED_OUT:
		report_connect_timed_out(&t);
		break;
	default:
		report_connect_failed(&t, dt->err);
		break;
	}
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
	struct relay_config rc;
	session_config(&rc, c, o);
	int status = session_run(&rc);
	conn_close(c);
	return status;
}

int
client_run(const struct transport *t, const struct nc_options *o, const struct port_list *ports)
{
	struct dialer d;
	struct sock_result fatal;
	struct conn_tls_config *tls;
	char first[8];
	int status = 1, gai;

	if (t->unix_domain)
		return connect_path(t, o);
	if (!tls_setup(o, &tls))
		return 1;
	if ((gai = dialer_open(&d, o->host, ports->ports[0], t, o)) != 0) {
		snprintf(first, sizeof(first), "%u", ports->ports[0]);
		report_resolve_failed(o->host, first, gai);
		conn_tls_config_free(tls);
		return 1;
	}
	for (size_t i = 0; i < ports->count; i++) {
		struct conn *c;
		enum dial_status ds = dial_port(&d, ports->ports[i], connect_notify, (void *)o, &c, &fatal);
		if (ds == DIAL_FATAL) {
			report_sock_failure(&fatal);
			status = 1;
			break;
		}
		if (ds != DIAL_CONNECTED)
			continue;
		/* TLS sits on whatever the dialer connected: a socket, or a proxy's tunnel. */
		if (tls != NULL && (c = tls_start(tls, c, o->host, o, -1, false, NULL)) == NULL) {
			status = 1;
			break;
		}
		struct relay_config rc;
		session_config(&rc, c, o);
		status = session_run(&rc);
		conn_close(c);
		if (status != 0)
			break;
	}
	dialer_close(&d);
	conn_tls_config_free(tls);
	return status;
}
