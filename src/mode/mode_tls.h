/* TLS for the modes: libtls set up once per run, a handshake per connection. */
#ifndef NC_MODE_TLS_H
#define NC_MODE_TLS_H

#include <stdbool.h>

#include "cli/cli_options.h"
#include "conn/conn.h"
#include "conn/conn_tls.h"

/*
 * The run's TLS configuration into *cfg (a listener's with -l), NULL when
 * -c is off. False after reporting why it could not be made (exit 1).
 * Free it with conn_tls_config_free() after the last connection.
 */
bool tls_setup(const struct nc_options *o, struct conn_tls_config **cfg);

/*
 * c with TLS on top (client or server, as cfg), after a handshake that -w
 * bounds from now or from deadline, whichever ends first (deadline < 0:
 * none). host: the destination as the user gave it, or the listen address.
 * NULL after a failure, c closed. The -v report and any failure line are
 * printed unless quiet; *r (may be NULL) gets the result either way.
 */
struct conn *tls_start(struct conn_tls_config *cfg, struct conn *c, const char *host,
    const struct nc_options *o, long long deadline, bool quiet, struct conn_tls_result *r);

#endif
