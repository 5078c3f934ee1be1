/* A relay session as every mode runs one. */
#include "mode/mode_session.h"

#include "conn/conn_telnet.h"
#include "report/report.h"

void
session_config(struct relay_config *rc, struct conn *net, const struct nc_options *o)
{
	relay_config_from(rc, net, &o->relay, o->sock.timeout_ms);
	/*
	 * A listener's peer ending its side ends the session (netcat-openbsd);
	 * a datagram socket has no end of file (an empty datagram is not one).
	 */
	rc->net_eof_ends = o->listen && !net->datagram;
}

struct conn *
session_layers(struct conn *c, const struct nc_options *o)
{
	struct conn *t;

	if (c == NULL || !o->relay.telnet || c->datagram)
		return c;
	if ((t = conn_telnet_new(c)) == NULL)
		conn_close(c);
	return t;
}

int
session_run(const struct relay_config *rc)
{
	struct relay_result r = relay_run(rc);

	if (r.status == RELAY_ERROR) {
		report_errno(r.op, r.err);
		return 1;
	}
	return 0;
}
