/* The TLS layer put on what the dialer or accept(2) gave: one place for every mode. */
#include "mode/mode_tls.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>

#include "report/report.h"
#include "report/report_tls.h"
#include "util/util_time.h"

bool
tls_setup(const struct nc_options *o, struct conn_tls_config **cfg)
{
	struct conn_tls_result r;

	*cfg = NULL;
	if (!o->tls.enabled)
		return true;
	*cfg = conn_tls_config_new(&o->tls, o->listen, o->sock.timeout_ms, &r);
	if (*cfg == NULL) {
		report_tls_failure(&r);
		return false;
	}
	return true;
}

struct conn *
tls_start(struct conn_tls_config *cfg, struct conn *c, const char *host,
    const struct nc_options *o, long long deadline, bool quiet, struct conn_tls_result *r)
{
	struct conn_tls_result *res = r != NULL ? r : malloc(sizeof(*res));
	struct conn *tc = NULL;

	if (res == NULL) {
		report_errno("malloc", ENOMEM);
		conn_close(c);
		return NULL;
	}
	/* The handshake waits in poll(2) for -w; the relay wants it so too. */
	fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
	if (o->sock.timeout_ms >= 0) {
		long long w = now_ms() + o->sock.timeout_ms;
		if (deadline < 0 || w < deadline)
			deadline = w;
	}
	tc = o->listen ? conn_tls_server(cfg, c, res)
		       : conn_tls_client(cfg, c, o->tls.name != NULL ? o->tls.name : host, res);
	if (tc == NULL)
		conn_close(c);
	else if (conn_tls_handshake(tc, deadline, res) != CONN_TLS_OK) {
		conn_close(tc);
		tc = NULL;
	}
	if (!quiet)
		report_tls_handshake(res, host, o->tls.name);
	if (res != r)
		free(res);
	return tc;
}
