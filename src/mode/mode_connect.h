/* Connect mode: reach host on each port in turn; relay on each (or just probe with -z). */
#ifndef NC_MODE_CONNECT_H
#define NC_MODE_CONNECT_H

#include <netdb.h>
#include <stdbool.h>

#include "cli/cli_options.h"
#include "cli/cli_ports.h"
#include "net/net_resolve.h"

/*
 * Looks host up; on failure reports it (naming first_port) and returns false.
 */
bool destination_resolve(struct destination *d, const struct nc_options *o, int socktype,
			 unsigned first_port);

enum attempt { ATTEMPT_CONNECTED, ATTEMPT_FAILED, ATTEMPT_FATAL };

/*
 * Connects to port on each of d's addresses in order until one answers,
 * reporting each failure (-v) and the success (-v). *fd is the socket.
 */
enum attempt client_connect_port(const struct destination *d, unsigned port,
				 const struct nc_options *o, int *fd);

/* Connect mode without -z. Returns the exit status. */
int client_run(const struct nc_options *o, const struct port_list *ports);

#endif
