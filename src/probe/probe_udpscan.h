/*
 * The UDP prober behind -u -z, as the scan engine calls it: the same
 * signature and ordering contract as tcp_scan(). It prints nothing.
 */
#ifndef NC_PROBE_UDPSCAN_H
#define NC_PROBE_UDPSCAN_H

#include <stdbool.h>

#include "probe/probe.h"
#include "probe/probe_engine.h"
#include "net/net_tcp.h"

/*
 * Probes plan->ports with the UDP prober and hands each port's tries, as
 * probe attempts, to sink in list order. Ports run concurrently a chunk at
 * a time; one after another (with -i between them) when plan->parallel is
 * false or -i is given. No probe waits past plan->cap_ms. Returns true, or
 * false after a fatal error (in *fatal): the ports of earlier chunks have
 * been released, none of the failing chunk's.
 */
bool udp_scan(const struct scan_plan *plan, probe_sink sink, void *ctx, struct sock_result *fatal);

#endif
