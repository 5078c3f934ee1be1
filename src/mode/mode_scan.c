/*
 * Zero-I/O mode (-z): hands the port list to the prober for the protocol and
 * the outcomes, in list order, to the reporter. --wait repeats the probe in
 * rounds until every port is open or its deadline passes.
 */
#include "mode/mode_scan.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dial/dial.h"
#include "mode/mode_connect.h"
#include "report/report.h"
#include "report/report_dial.h"
#include "report/report_json.h"
#include "report/report_scan.h"
#include "net/net_resolve.h"
#include "probe/probe_dial.h"
#include "probe/probe_engine.h"
#include "util/util_time.h"
#include "net/net_unix.h"
#include "probe/probe_udpscan.h"
#include "probe/probe_unix.h"
#include "probe/probe_wait.h"

typedef bool (*prober_fn)(const struct scan_plan *, probe_sink, void *, struct sock_result *);

/* The prober for the protocol; through a proxy (-x), the dialer's. */
static prober_fn
prober_for(const struct nc_options *o)
{
	if (o->proxy.addr != NULL)
		return dial_scan;
	return o->udp ? udp_scan : tcp_scan;
}

/*
 * Whether --wait counts a port as up. For UDP only a reply does: silence
 * (open|filtered) looks the same as a probe dropped on the way, or a
 * service that has not bound its port yet.
 */
static bool
port_up(const struct nc_options *o, enum probe_state s)
{
	return o->udp ? s == PROBE_OPEN : probe_is_open(s);
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
				   .json = o->json,
				   .waited_ms = -1};
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

static int wait_run(const struct nc_options *o, const struct port_list *ports);

int
scan_run(const struct nc_options *o, struct port_list *ports)
{
	struct scan_ctx c = {.any_open = false};
	struct dialer d;
	struct sock_result fatal;
	int gai;

	if (o->scan.wait_ms >= 0)
		return wait_run(o, ports);
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

/* --wait: what each port's latest round found. */
struct wait_state {
	const struct nc_options *o;
	long long deadline;
	size_t count, naddrs;
	bool *open;
	struct probe_attempt *att; /* naddrs per port */
	unsigned *natt;
	size_t *orig; /* this round's index -> port list index */
};

static void
wait_sink(size_t index, const struct port_probe *p, void *arg)
{
	struct wait_state *w = arg;
	size_t i = w->orig[index];
	unsigned n = p->nattempts < w->naddrs ? p->nattempts : (unsigned)w->naddrs;

	if (!p->complete)
		return;
	/*
	 * The deadline cut this try shorter than an earlier round's answer took
	 * to come (the last try, at the deadline, has next to no time): it
	 * could not have heard that answer, which stays the reason.
	 */
	if (n > 0 && w->natt[i] > 0 && p->attempts[n - 1].timer && now_ms() >= w->deadline &&
	    p->attempts[n - 1].time_us < w->att[i * w->naddrs + w->natt[i] - 1].time_us)
		return;
	memcpy(&w->att[i * w->naddrs], p->attempts, n * sizeof(*p->attempts));
	w->natt[i] = n;
	w->open[i] = n > 0 && port_up(w->o, p->attempts[n - 1].state);
}

/* Probes the ports that are not open yet, once. False on a fatal error. */
static bool
wait_round(struct wait_state *w, struct dialer *d, const struct port_list *ports,
	   const struct nc_options *o, long long deadline, struct sock_result *fatal)
{
	unsigned short *todo = malloc(w->count * sizeof(*todo));
	size_t n = 0;

	if (todo == NULL) {
		*fatal = (struct sock_result){.status = SOCK_FATAL_ERRNO, .err = ENOMEM};
		return false;
	}
	for (size_t i = 0; i < w->count; i++) {
		if (!w->open[i]) {
			w->orig[n] = i;
			todo[n++] = ports->ports[i];
		}
	}
	struct scan_plan plan = {
	    .d = &d->dest,
	    .dialer = d,
	    .ports = todo,
	    .count = n,
	    .sock = &o->sock,
	    .interval_ms = o->relay.interval_ms,
	    .one_at_a_time = o->scan.interval_given,
	    .cap_ms = deadline,
	    .parallel = true};
	bool ok = prober_for(o)(&plan, wait_sink, w, fatal);
	free(todo);
	return ok;
}

static bool
all_open(const struct wait_state *w)
{
	for (size_t i = 0; i < w->count; i++)
		if (!w->open[i])
			return false;
	return true;
}

/* One --wait round over TCP or UDP ports, and what it leaves for the verdict. */
struct wait_run_ctx {
	const struct nc_options *o;
	const struct port_list *ports;
	struct probe_target t;
	struct wait_state w;
	struct dialer d;
	struct sock_result fatal;
	int gai;
};

static enum wait_step
wait_step_ports(long long deadline, void *arg)
{
	struct wait_run_ctx *c = arg;
	struct wait_state *w = &c->w;

	/* A name that does not resolve yet (a service still starting) is retried too. */
	if (c->d.dest.addrs == NULL &&
	    (c->gai = dialer_open(&c->d, c->o->host, c->ports->ports[0], transport_for(c->o),
		 &c->o->sock, &c->o->proxy)) == 0) {
		if (c->o->proxy.user != NULL)
			connect_dialer_prompt(&c->d, c->o);
		w->naddrs = destination_count(&c->d.dest);
		w->open = calloc(w->count, sizeof(*w->open));
		w->att = calloc(w->count * w->naddrs, sizeof(*w->att));
		w->natt = calloc(w->count, sizeof(*w->natt));
		w->orig = calloc(w->count, sizeof(*w->orig));
		if (w->open == NULL || w->att == NULL || w->natt == NULL || w->orig == NULL) {
			c->fatal = (struct sock_result){.status = SOCK_FATAL_ERRNO, .err = ENOMEM};
			return WAIT_FATAL;
		}
	}
	if (c->d.dest.addrs == NULL)
		return WAIT_NOT_YET;
	if (!wait_round(w, &c->d, c->ports, c->o, deadline, &c->fatal))
		return WAIT_FATAL;
	return all_open(w) ? WAIT_UP : WAIT_NOT_YET;
}

/* A port's latest round, as the reporter takes it. */
static struct port_probe
wait_probe(const struct wait_state *w, const struct port_list *ports, size_t i)
{
	return (struct port_probe){.port = ports->ports[i],
				   .nattempts = w->natt[i],
				   .attempts = &w->att[i * w->naddrs],
				   .complete = true};
}

/* Between rounds: what is still down, and when the next try comes. */
static void
wait_note_ports(long long next_ms, void *arg)
{
	struct wait_run_ctx *c = arg;

	for (size_t i = 0; i < c->w.count; i++) {
		if (c->d.dest.addrs == NULL) {
			report_wait_unresolved(&c->t, c->ports->ports[i], c->gai, next_ms);
		} else if (!c->w.open[i]) {
			struct port_probe p = wait_probe(&c->w, c->ports, i);
			report_wait_round(&c->t, &p, next_ms);
		}
	}
	report_scan_flush();
}

static int
wait_run(const struct nc_options *o, const struct port_list *ports)
{
	long long deadline = now_ms() + o->scan.wait_ms;
	struct wait_run_ctx c = {
	    .o = o, .ports = ports, .w = {.o = o, .deadline = deadline, .count = ports->count}};
	struct wait_state *w = &c.w;
	int status = 1;

	target_for(&c.t, o);
	c.t.waited_ms = o->scan.wait_ms;
	if (wait_until(deadline, wait_step_ports, wait_note_ports, &c) == WAIT_FATAL) {
		report_sock_failure(&c.fatal);
	} else if (c.d.dest.addrs == NULL) {
		for (size_t i = 0; i < ports->count; i++)
			report_wait_unresolved(&c.t, ports->ports[i], c.gai, -1);
		report_scan_end();
	} else {
		report_scan_begin(w->count);
		for (size_t i = 0; i < w->count; i++) {
			struct port_probe p = wait_probe(w, ports, i);
			report_probe(&c.t, &p);
		}
		report_scan_end();
		status = all_open(w) ? 0 : 1;
	}
	dialer_close(&c.d);
	free(w->open);
	free(w->att);
	free(w->natt);
	free(w->orig);
	return status;
}

/* Between tries: why the path is still down, and when the next try comes. */
static void
unix_note(long long next_ms, void *arg)
{
	struct unix_probe *p = arg;

	report_unix_wait_round(p->path, p->type, report_json_enabled(), p->err, next_ms);
}

int
scan_unix(const struct nc_options *o, int type)
{
	struct unix_probe p = {.path = o->host, .sock = &o->sock, .type = type, .bound_fd = -1};
	enum wait_step r;

	/* -s gives the datagram probe an address; nothing comes back to it in -z. */
	if (type == SOCK_DGRAM && o->sock.source_addr != NULL) {
		struct sock_result b = unix_bind(o->sock.source_addr, type, &o->sock);
		if (b.status != SOCK_OK) {
			report_sock_failure(&b);
			return 1;
		}
		report_bound(&(struct endpoint){.name = o->sock.source_addr});
		p.bound_fd = b.fd;
	}
	if (o->scan.wait_ms >= 0)
		r = wait_until(now_ms() + o->scan.wait_ms, unix_try, unix_note, &p);
	else
		r = unix_try(-1, &p);
	if (p.bound_fd >= 0)
		close(p.bound_fd);
	if (!p.tried) {
		report_sock_failure(&p.fatal);
		return 1;
	}
	/* Only a wait that ran out says so; an error no retry mends is shown as it is. */
	report_unix_probe(o->host, type, o->json, p.err, p.time_us,
			  o->scan.wait_ms >= 0 && r == WAIT_NOT_YET ? o->scan.wait_ms : -1);
	return r == WAIT_UP ? 0 : 1;
}
