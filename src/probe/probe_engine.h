/*
 * The TCP prober behind -z: many nonblocking connects in flight, results
 * released in port-list order. It prints nothing; the sink reports.
 */
#ifndef NC_PROBE_ENGINE_H
#define NC_PROBE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "mode/mode_connect.h"
#include "cli/cli_options.h"
#include "probe/probe.h"
#include "net/net_tcp.h"

struct scan_plan {
	const struct destination *d;
	const unsigned short *ports;
	size_t count;
	const struct nc_options *o;
	long long cap_ms; /* now_ms() time that no try may run past (--wait); -1: none */
	bool parallel;    /* false: one port after another, with -i between them */
	/* Called when the engine is about to block, so that released output streams. */
	void (*idle)(void *ctx);
};

/*
 * Probes plan->ports in order, handing each port's outcome to sink in that
 * order. Returns true, or false after a fatal error (described in *fatal):
 * then every port before the one that failed has been released, and that
 * port's earlier tries are released with complete == false.
 */
bool tcp_scan(const struct scan_plan *plan, probe_sink sink, void *ctx, struct sock_result *fatal);

/*
 * Raises the soft RLIMIT_NOFILE toward the hard one and returns how many
 * sockets may be in flight at once.
 */
size_t scan_fd_budget(void);

#endif
