/*
 * Readiness: --wait, the checks (--send, --expect, --http) and HOST:PORT
 * targets, for TCP, UDP and Unix-domain sockets.
 */
#ifndef NC_MODE_READY_H
#define NC_MODE_READY_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli_options.h"
#include "cli/cli_ports.h"
#include "net/net_transport.h"

/* A host and its ports, or (ports NULL) a Unix-domain path. */
struct ready_group {
	const char *host;
	const struct port_list *ports;
};

/*
 * Tries every (host, port) of the n groups, all at once, until each is up
 * (once without --wait), and reports. targets: the operands were HOST:PORT
 * (JSON objects then carry the wait's fields, as with a check). Returns
 * the exit status: 0 when every target is up.
 */
int ready_run(const struct transport *t, const struct nc_options *o, const struct ready_group *g,
    size_t n, bool targets);

#endif
