/* A relay session as every mode runs one. */
#include "mode/mode_session.h"

#include <errno.h>
#include <string.h>

#include "conn/conn_telnet.h"
#include "conn/conn_tls.h"
#include "report/report.h"
#include "report/report_tls.h"

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

/* libtls' words for the last failure of the TLS layer in c's stack (under -t's), or NULL. */
static const char *
tls_words(const struct conn *c)
{
	for (; c != NULL; c = c->below)
		if (conn_is_tls(c))
			return conn_tls_error(c);
	return NULL;
}

int
session_run(const struct relay_config *rc)
{
	struct relay_result r = relay_run(rc);

	if (r.status == RELAY_ERROR) {
		/* A TLS error (EIO) has libtls' words; the layer remembers them. */
		const char *tls = r.err == EIO ? tls_words(rc->net) : NULL;
		if (tls != NULL)
			report_tls_io_failed(strcmp(r.op, "write") == 0, tls);
		else
			report_errno(r.op, r.err);
		return 1;
	}
	return 0;
}

int
session_serve(struct conn *c, const struct nc_options *o, bool receive_only, bool keep_going)
{
	struct relay_config rc;
	int status;

	if ((c = session_layers(c, o)) == NULL) {
		report_errno("malloc", ENOMEM);
		return 1;
	}
	session_config(&rc, c, o);
	if (receive_only)
		rc.no_stdin = true;
	if (keep_going)
		rc.idle_ms = -1;
	status = session_run(&rc);
	conn_close(c);
	return status;
}
