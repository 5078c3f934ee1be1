/* A relay session as every mode runs one. */
#include "mode/mode_session.h"

#include <errno.h>
#include <string.h>

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

int
session_run(const struct relay_config *rc)
{
	struct relay_result r = relay_run(rc);

	if (r.status == RELAY_ERROR) {
		/* A TLS error (EIO) has libtls' words; the layer remembers them. */
		const char *tls = r.err == EIO ? conn_tls_error(rc->net) : NULL;
		if (tls != NULL)
			report_tls_io_failed(strcmp(r.op, "write") == 0, tls);
		else
			report_errno(r.op, r.err);
		return 1;
	}
	return 0;
}
