/*
 * The prober for -z through a proxy (-x): each port in turn through the
 * dialer, so that the state is the proxy's answer for the destination, which
 * only the proxy can reach or even name.
 */
#ifndef NC_PROBE_DIAL_H
#define NC_PROBE_DIAL_H

#include <stdbool.h>

#include "dial/dial.h"
#include "net/net_error.h"
#include "probe/probe.h"

/*
 * Probes plan->ports in order through plan->dialer, as tcp_scan does
 * directly. A failure that would fail every port alike (the proxy broken or
 * silent, no password) ends the scan after that port's outcome: the ports
 * after it are not released. False after a fatal error (*fatal).
 */
bool dial_scan(const struct scan_plan *plan, probe_sink sink, void *ctx, struct sock_result *fatal);

/* The state a proxy's answer stands for: a refusal is closed, unreachable filtered, ... */
enum probe_state probe_state_for_answer(const struct dial_answer *a);

#endif
