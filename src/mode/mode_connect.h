/* Connect mode (no -l, no -z): reach host on each port in turn and relay. */
#ifndef NC_MODE_CONNECT_H
#define NC_MODE_CONNECT_H

#include "cli/cli_options.h"
#include "cli/cli_ports.h"
#include "net/net_transport.h"

struct dialer;

/*
 * dialer_open, and what the mode adds: the lookup's failure reported, the
 * prompt for a proxy password worded. Returns 0 or the getaddrinfo error;
 * dialer_close is due either way.
 */
int connect_dialer_open(struct dialer *d, const char *host, unsigned first_port,
    const struct transport *t, const struct nc_options *o);

/* The prompt for a proxy password (-P), and who hears the notices that go with it. */
void connect_dialer_prompt(struct dialer *d, const struct nc_options *o);

/* Host and ports, or a Unix-domain path (ports NULL). Returns the exit status. */
int client_run(const struct transport *t, const struct nc_options *o,
	       const struct port_list *ports);

#endif
