/*
 * Zero-I/O mode (-z): hands the port list to the prober for the protocol and
 * the outcomes, in list order, to the reporter. --wait, checks and HOST:PORT
 * targets are mode_ready.c's.
 */
#include "mode/mode_scan.h"

#include <stdio.h>
#include <sys/socket.h>

#include "dial/dial.h"
#include "mode/mode_connect.h"
#include "net/net_resolve.h"
#include "probe/probe_dial.h"
#include "probe/probe_engine.h"
#include "probe/probe_udpscan.h"
#include "report/report.h"
#include "report/report_scan.h"

typedef bool (*prober_fn)(const struct scan_plan *, probe_sink, void *, struct sock_result *);

/* The prober for the protocol; through a proxy (-x), the dialer's. */
static prober_fn
prober_for(const struct nc_options *o)
{
	if (o->proxy.addr != NULL)
		return dial_scan;
	return o->udp ? udp_scan : tcp_scan;
}

static const struct transport *
transport_for(const struct nc_options *o)
{
	return transport_pick(false, o->udp, false, false);
}

static void
target_for(struct probe_target *t, const struct nc_options *o)
{
	*t = (struct probe_target){.host = o->host,
				   .proto = o->udp ? "udp" : "tcp",
				   .numeric = o->sock.numeric,
				   .json = o->json};
}


/* getaddrinfo failed: the human line, and with --json an object per port. */
static void
report_unresolved(const struct probe_target *t, const struct port_list *ports, int gai)
{
	if (!t->json)
		return;
	for (size_t i = 0; i < ports->count; i++)
		report_probe_unresolved(t, ports->ports[i], gai);
	report_scan_end();
}

struct scan_ctx {
	struct probe_target t;
	bool any_open;
};

static void
scan_sink(size_t index, const struct port_probe *p, void *arg)
{
	struct scan_ctx *c = arg;

	(void)index;
	report_probe(&c->t, p);
	if (p->complete && p->nattempts > 0 && probe_is_open(p->attempts[p->nattempts - 1].state))
		c->any_open = true;
}

static void
scan_idle(void *arg)
{
	(void)arg;
	report_scan_flush();
}

int
scan_run(const struct nc_options *o, struct port_list *ports)
{
	struct scan_ctx c = {.any_open = false};
	struct dialer d;
	struct sock_result fatal;
	int gai;

	target_for(&c.t, o);
	if ((gai = connect_dialer_open(&d, o->host, ports->ports[0], transport_for(o), o)) != 0) {
		report_unresolved(&c.t, ports, gai);
		dialer_close(&d);
		return 1;
	}
	struct scan_plan plan = {.d = &d.dest,
				 .dialer = &d,
				 .ports = ports->ports,
				 .count = ports->count,
				 .sock = &o->sock,
				 .interval_ms = o->relay.interval_ms,
				 .one_at_a_time = o->scan.interval_given,
				 .cap_ms = -1,
				 .parallel = true,
				 .idle = scan_idle};
	report_scan_begin(ports->count);
	bool ok = prober_for(o)(&plan, scan_sink, &c, &fatal);
	report_scan_end();
	dialer_close(&d);
	if (!ok) {
		report_sock_failure(&fatal);
		return 1;
	}
	return c.any_open ? 0 : 1;
}
