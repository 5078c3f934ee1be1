/* Connect mode (no -l, no -z): reach host on each port in turn and relay. */
#ifndef NC_MODE_CONNECT_H
#define NC_MODE_CONNECT_H

#include "cli/cli_options.h"
#include "cli/cli_ports.h"
#include "dial/dial.h"
#include "net/net_transport.h"

/* The -v lines (or --json events) for each address the dialer tries; arg: the nc_options. */
void connect_notify(const struct dial_try *dt, void *arg);

/* Host and ports, or a Unix-domain path (ports NULL). Returns the exit status. */
int client_run(const struct transport *t, const struct nc_options *o,
	       const struct port_list *ports);

#endif
