/* The certificate check: -z -c and --wait -c. */
#ifndef NC_MODE_TLS_CHECK_H
#define NC_MODE_TLS_CHECK_H

#include "cli/cli_options.h"
#include "cli/cli_ports.h"

/*
 * Connects to each port in turn and makes a TLS handshake, the probe
 * (through a proxy when -x says so); with --wait again and again until
 * every port passes or the time is up. Returns the exit status: 0 only when
 * every port's handshake and checks passed.
 */
int tls_check_run(const struct nc_options *o, const struct port_list *ports);

#endif
