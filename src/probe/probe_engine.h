/*
 * The TCP prober behind -z: many nonblocking connects in flight, results
 * released in port-list order. It prints nothing; the sink reports.
 */
#ifndef NC_PROBE_ENGINE_H
#define NC_PROBE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "net/net_resolve.h"
#include "cli/cli_options.h"
#include "probe/probe.h"
#include "net/net_tcp.h"

/*
 * Probes plan->ports in order, handing each port's outcome to sink in that
 * order. Returns true, or false after a fatal error (described in *fatal):
 * then every port before the one that failed has been released, and that
 * port's earlier tries are released with complete == false.
 */
bool tcp_scan(const struct scan_plan *plan, probe_sink sink, void *ctx, struct sock_result *fatal);

#endif
