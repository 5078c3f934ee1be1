/*
 * One readiness round: connect to every target at once (the TCP and UDP
 * probers take several hosts in one plan; Unix paths and the dialer go one
 * after another), then run the checks on the connections made, together.
 */
#include "mode/mode_ready_round.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net_udp.h"
#include "mode/mode_connect.h"
#include "mode/mode_tls.h"
#include "probe/probe_dial.h"
#include "probe/probe_engine.h"
#include "probe/probe_tcp.h"
#include "probe/probe_udp.h"
#include "report/report_tls.h"
#include "probe/probe_udpscan.h"
#include "probe/probe_unix.h"
#include "report/report_scan.h"
#include "util/util_time.h"

static const struct addrinfo *
dest_addrs(const struct ready *r, const struct rtarget *t)
{
	return r->dests[t->dest].dl.dest.addrs;
}

void
ready_resolve(struct ready *r)
{
	for (size_t k = 0; k < r->ndests; k++) {
		struct rdest *d = &r->dests[k];
		if (d->resolved)
			continue;
		if (d->opened)
			dialer_close(&d->dl);
		d->gai = dialer_open(&d->dl, d->host, d->first_port, r->t, &r->o.sock, &r->o.proxy);
		d->opened = true;
		d->resolved = d->gai == 0;
		if (d->resolved && r->o.proxy.user != NULL)
			connect_dialer_prompt(&d->dl, &r->o);
	}
	for (size_t i = 0; i < r->n; i++) {
		struct rtarget *t = &r->v[i];
		if (t->att != NULL || !r->dests[t->dest].resolved)
			continue;
		t->naddrs = 0;
		for (const struct addrinfo *ai = dest_addrs(r, t); ai != NULL; ai = ai->ai_next)
			t->naddrs++;
		t->att = calloc(2 * (size_t)(t->naddrs ? t->naddrs : 1), sizeof(*t->att));
	}
}

/*
 * Makes a connected socket ready for its check: the one place where a
 * connection gets its layers. TLS (-c) wraps c here, before any byte of the
 * check, so that --send, --expect and --http speak through it.
 */
static struct conn *
conn_prepare(struct ready *r, struct rtarget *t, struct conn *c)
{
	struct conn_tls_result res;

	if (r->tls == NULL)
		return c;
	/* The handshake is bounded by the try's limit (-w, or the default while waiting). */
	struct conn *tc = tls_start(r->tls, c, t->host, &r->o, -1, true, &res);
	if (tc == NULL) {
		t->cur.checked = true;
		t->cur.check = (struct check_result){.why = CHECK_LAYER, .budget_ms = -1};
		report_tls_failure_text(t->cur.check.detail, sizeof(t->cur.check.detail), &res);
	}
	return tc;
}

void
ready_close_dests(struct ready *r)
{
	for (size_t k = 0; r->dests != NULL && k < r->ndests; k++)
		if (r->dests[k].opened)
			dialer_close(&r->dests[k].dl);
}

/* Takes a connected socket for t's check; a conn that cannot be made is the try's error. */
static void
take_conn(struct ready *r, struct rtarget *t, int fd, bool datagram, long long start_us)
{
	struct conn *c = conn_fd_new(fd, datagram);

	t->conn_start_us = start_us;
	if (c == NULL) {
		close(fd);
		t->cur.checked = true;
		t->cur.check = (struct check_result){.why = CHECK_IO_ERROR, .err = ENOMEM};
		return;
	}
	t->conn = conn_prepare(r, t, c);
}

static void
engine_sink(size_t index, const struct port_probe *p, void *arg)
{
	struct ready *r = arg;
	struct rtarget *t = &r->v[r->todo[index]];
	unsigned n = p->nattempts < t->naddrs ? p->nattempts : t->naddrs;

	memcpy(&t->att[t->naddrs], p->attempts, n * sizeof(*p->attempts));
	t->cur.tried = true;
	t->cur.natt = n;
	for (unsigned k = 0; k < n; k++)
		t->cur.time_us += p->attempts[k].time_us;
	t->cur.cut = n > 0 && p->attempts[n - 1].timer;
}

static void
engine_keep(size_t index, struct conn *c, const struct probe_attempt *a, void *arg)
{
	struct ready *r = arg;
	struct rtarget *t = &r->v[r->todo[index]];

	t->conn_start_us = now_us() - a->time_us;
	t->conn = conn_prepare(r, t, c);
}

static void
engine_idle(void *arg)
{
	(void)arg;
	report_scan_flush();
}

/* TCP or UDP without a check: every target of the round in one plan. */
static bool
probe_round(struct ready *r, long long deadline)
{
	size_t m = 0;

	for (size_t i = 0; i < r->n; i++) {
		if (!r->v[i].in_round)
			continue;
		r->todo[m] = i;
		r->ports[m] = (unsigned short)r->v[i].port;
		r->pdests[m++] = &r->dests[r->v[i].dest].dl.dest;
	}
	struct scan_plan plan = {.d = r->pdests[0],
	    .dests = r->pdests,
	    .ports = r->ports,
	    .count = m,
	    .sock = &r->o.sock,
	    .interval_ms = r->o.relay.interval_ms,
	    .one_at_a_time = r->o.scan.interval_given,
	    .cap_ms = deadline,
	    .parallel = true,
	    .idle = engine_idle,
	    .keep = r->check && !r->t->datagram ? engine_keep : NULL};
	if (m == 0)
		return true;
	return (r->t->datagram ? udp_scan : tcp_scan)(&plan, engine_sink, r, &r->fatal);
}

/*
 * Through a proxy (-x): each host's targets through its dialer, one after
 * another, as the proxy prober (probe_dial) takes them; a proxy that fails
 * every port alike stops that host's round.
 */
static bool
dial_round(struct ready *r, long long deadline)
{
	for (size_t k = 0; k < r->ndests; k++) {
		struct rdest *d = &r->dests[k];
		size_t m = 0;
		for (size_t i = 0; i < r->n; i++) {
			if (!r->v[i].in_round || r->v[i].dest != k)
				continue;
			r->todo[m] = i;
			r->ports[m++] = (unsigned short)r->v[i].port;
		}
		struct scan_plan plan = {.d = &d->dl.dest,
		    .dialer = &d->dl,
		    .ports = r->ports,
		    .count = m,
		    .sock = &r->o.sock,
		    .interval_ms = r->o.relay.interval_ms,
		    .cap_ms = deadline,
		    .idle = engine_idle,
		    .keep = r->check ? engine_keep : NULL};
		if (m > 0 && !dial_scan(&plan, engine_sink, r, &r->fatal))
			return false;
	}
	return true;
}

/* -U: each path in turn (local connects answer at once, a full backlog within -w). */
static bool
unix_round(struct ready *r, long long deadline)
{
	for (size_t i = 0; i < r->n; i++) {
		struct rtarget *t = &r->v[i];
		struct unix_probe p = {.path = t->host,
		    .sock = &r->o.sock,
		    .type = r->t->socktype,
		    .bound_fd = r->bound_fd,
		    .keep = r->check};
		if (!t->in_round)
			continue;
		long long start = now_us();
		enum wait_step s = unix_try(deadline, &p);
		if (!p.tried) {
			r->fatal = p.fatal;
			return false;
		}
		t->cur.tried = true;
		t->cur.err = p.err;
		t->cur.time_us = p.time_us;
		t->cur.cut = p.err == ETIMEDOUT;
		if (s == WAIT_FATAL) {
			r->unix_fatal = i + 1;
			return false;
		}
		if (p.fd >= 0)
			take_conn(r, t, p.fd, false, start);
	}
	return true;
}

/* UDP check: a connected socket to the address t is at; nothing is sent yet. */
static void
udp_open(struct ready *r, struct rtarget *t)
{
	struct sockaddr_storage ss;
	struct addrinfo a = *t->udp_ai;

	t->cur.tried = true;
	memcpy(&ss, a.ai_addr, a.ai_addrlen);
	sa_set_port((struct sockaddr *)&ss, t->port);
	a.ai_addr = (struct sockaddr *)&ss;
	a.ai_next = NULL;
	long long start = now_us();
	struct sock_result s = dgram_connect(&a, &r->o.sock);
	if (s.status == SOCK_OK) {
		take_conn(r, t, s.fd, true, start);
		return;
	}
	struct probe_attempt *at = &t->att[t->naddrs + t->cur.natt++];
	attempt_set(at, s.err, false, start);
	at->ai = t->udp_ai;
	t->udp_ai = t->udp_ai->ai_next;
}

/* Runs the checks of every target that has a connection, all at once. */
static int
check_pass(struct ready *r, long long deadline)
{
	struct check *cs = calloc(r->n ? r->n : 1, sizeof(*cs));
	size_t m = 0;
	int err;

	if (cs == NULL)
		return ENOMEM;
	for (size_t i = 0; i < r->n; i++) {
		struct rtarget *t = &r->v[i];
		if (t->conn == NULL)
			continue;
		long long limit = r->t->datagram ? udp_probe_wait(&r->o.sock) : r->try_ms;
		long long end = t->conn_start_us / 1000 + limit;
		if (deadline >= 0 && deadline < end)
			end = deadline;
		r->todo[m] = i;
		check_start(&cs[m++], &t->spec, t->conn, end);
	}
	err = check_run(cs, m);
	for (size_t k = 0; k < m && err == 0; k++) {
		struct rtarget *t = &r->v[r->todo[k]];
		t->cur.checked = true;
		t->cur.check = cs[k].result;
		/* "timed out after" names the try's limit (-w), the connect's time included. */
		if (cs[k].deadline >= 0)
			t->cur.check.budget_ms = cs[k].deadline - t->conn_start_us / 1000;
		t->cur.time_us += cs[k].result.time_us;
		t->cur.cut =
		    cs[k].result.why == CHECK_TIMED_OUT && deadline >= 0 && now_ms() >= deadline;
		if (t->udp_ai != NULL) {
			/* The datagram went to this address; an error there moves on to the next. */
			struct probe_attempt *a = &t->att[t->naddrs + t->cur.natt++];
			int e = cs[k].result.why == CHECK_IO_ERROR ? cs[k].result.err : 0;
			attempt_set(a, e, false, t->conn_start_us);
			a->ai = t->udp_ai;
			t->udp_ai = e != 0 && t->cur.natt < t->naddrs ? t->udp_ai->ai_next : NULL;
		}
	}
	for (size_t k = 0; k < m; k++) {
		check_end(&cs[k]);
		conn_close(r->v[r->todo[k]].conn);
		r->v[r->todo[k]].conn = NULL;
	}
	free(cs);
	return err;
}

bool
ready_checks_round(struct ready *r, long long deadline)
{
	bool udp = r->t->datagram && !r->t->unix_domain;

	for (size_t i = 0; udp && i < r->n; i++)
		r->v[i].udp_ai = r->v[i].in_round ? dest_addrs(r, &r->v[i]) : NULL;
	for (;;) {
		bool any = false;
		for (size_t i = 0; udp && i < r->n; i++) {
			struct rtarget *t = &r->v[i];
			while (t->udp_ai != NULL && t->conn == NULL)
				udp_open(r, t);
			any |= t->conn != NULL;
		}
		int err = check_pass(r, deadline);
		if (err != 0) {
			r->fatal = (struct sock_result){
			    .status = SOCK_FATAL_ERRNO, .what = "poll", .err = err};
			return false;
		}
		if (!udp || !any)
			return true;
	}
}

bool
ready_connect_round(struct ready *r, long long deadline)
{
	if (r->t->unix_domain)
		return unix_round(r, deadline);
	if (r->via_dialer)
		return dial_round(r, deadline);
	/* A UDP check sends its own datagram: it connects in ready_checks_round. */
	if (r->check && r->t->datagram)
		return true;
	return probe_round(r, deadline);
}
