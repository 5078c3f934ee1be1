/*
 * The certificate check. A TLS handshake is the probe: a port passes when
 * it accepts, the handshake verifies, and the checks after it (-H, -e,
 * --tls-min-days) hold. Ports are checked one after another through the
 * dialer, so a proxy (-x) is used as in connect mode; -w bounds each
 * connect and each handshake.
 */
#include "mode/mode_tls_check.h"

#include <bsd/string.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dial/dial.h"
#include "mode/mode_connect.h"
#include "mode/mode_tls.h"
#include "net/net_transport.h"
#include "probe/probe_wait.h"
#include "report/report.h"
#include "report/report_scan.h"
#include "report/report_tls_check.h"
#include "util/util_time.h"

struct check_run {
	const struct nc_options *o;
	struct nc_options tries; /* o with -w cut to what --wait has left */
	const struct port_list *ports;
	struct conn_tls_config *cfg;
	struct probe_target t;
	struct dialer d;
	bool resolved;
	int gai;
	struct tls_check *c;   /* one per port: its latest try */
	struct tls_check *cur; /* the port being tried */
	bool live;             /* -z: lines as they come; --wait: verdicts at the end */
	struct sock_result fatal;
};

/* Each address tried: its outcome, and with -z the -v lines of connect mode. */
static void
notify(const struct dial_try *dt, void *arg)
{
	struct check_run *r = arg;
	struct tls_check *c = r->cur;

	c->tried = true;
	strlcpy(c->addr, dt->addr, sizeof(c->addr));
	c->err = dt->err;
	c->timer = dt->status == SOCK_TIMED_OUT;
	if (r->live && !r->o->json)
		connect_notify(dt, (void *)r->o);
}

/* One try of port i, which must end by deadline (< 0: none). False: a fatal error. */
static bool
check_port(struct check_run *r, size_t i, long long deadline)
{
	struct tls_check *c = &r->c[i];
	long long start = now_us();
	struct conn *conn;

	memset(c, 0, sizeof(*c));
	c->port = r->ports->ports[i];
	r->cur = c;
	if (deadline >= 0) {
		long long left = deadline - now_ms();
		if (left < 0)
			left = 0;
		if (r->o->sock.timeout_ms < 0 || left < r->o->sock.timeout_ms)
			r->tries.sock.timeout_ms = left;
	}
	enum dial_status ds = dial_port(&r->d, c->port, notify, r, &conn, &r->fatal);
	if (ds == DIAL_FATAL)
		return false;
	if (ds == DIAL_CONNECTED) {
		c->connected = true;
		bool quiet = !r->live || r->o->json;
		conn = tls_start(r->cfg, conn, r->o->host, &r->tries, deadline, quiet, &c->res);
		conn_close(conn);
	}
	c->time_us = now_us() - start;
	return true;
}

static bool
all_ok(const struct check_run *r)
{
	for (size_t i = 0; i < r->ports->count; i++)
		if (!tls_check_ok(&r->c[i]))
			return false;
	return true;
}

static bool
lookup(struct check_run *r)
{
	const struct transport *tcp = transport_pick(false, false, false);

	if (!r->resolved)
		r->resolved = (r->gai = dialer_open(&r->d, r->o->host, r->ports->ports[0], tcp,
				   &r->tries)) == 0;
	return r->resolved;
}

/* -z -c: every port once, each reported when done. */
static int
check_once(struct check_run *r)
{
	char first[8];

	if (!lookup(r)) {
		snprintf(first, sizeof(first), "%u", r->ports->ports[0]);
		report_resolve_failed(r->o->host, first, r->gai);
		for (size_t i = 0; r->o->json && i < r->ports->count; i++)
			report_probe_unresolved(&r->t, r->ports->ports[i], r->gai);
		return 1;
	}
	for (size_t i = 0; i < r->ports->count; i++) {
		if (!check_port(r, i, -1)) {
			report_sock_failure(&r->fatal);
			return 1;
		}
		if (r->o->json)
			report_tls_check_json(&r->t, &r->c[i]);
		report_scan_flush();
	}
	return all_ok(r) ? 0 : 1;
}

static enum wait_step
wait_step(long long deadline, void *arg)
{
	struct check_run *r = arg;

	/* A name that does not resolve yet (a service still starting) is retried too. */
	if (!lookup(r))
		return WAIT_NOT_YET;
	for (size_t i = 0; i < r->ports->count; i++)
		if (!tls_check_ok(&r->c[i]) && !check_port(r, i, deadline))
			return WAIT_FATAL;
	return all_ok(r) ? WAIT_UP : WAIT_NOT_YET;
}

/* Between rounds (-v): what is still down, and when the next try comes. */
static void
wait_note(long long next_ms, void *arg)
{
	struct check_run *r = arg;

	for (size_t i = 0; i < r->ports->count; i++) {
		if (!r->resolved)
			report_wait_unresolved(&r->t, r->ports->ports[i], r->gai, next_ms);
		else if (!tls_check_ok(&r->c[i]))
			report_tls_check_wait(&r->t, &r->c[i], r->o->tls.name, next_ms);
	}
	report_scan_flush();
}

/* --wait -c: rounds until every port passes; then each port's verdict in order. */
static int
check_wait(struct check_run *r)
{
	enum wait_step st = wait_until(now_ms() + r->o->scan.wait_ms, wait_step, wait_note, r);

	if (st == WAIT_FATAL) {
		report_sock_failure(&r->fatal);
		return 1;
	}
	for (size_t i = 0; i < r->ports->count; i++) {
		if (!r->resolved)
			report_wait_unresolved(&r->t, r->ports->ports[i], r->gai, -1);
		else
			report_tls_check_wait(&r->t, &r->c[i], r->o->tls.name, -1);
	}
	return st == WAIT_UP ? 0 : 1;
}

int
tls_check_run(const struct nc_options *o, const struct port_list *ports)
{
	struct check_run r = {.o = o, .tries = *o, .ports = ports, .live = o->scan.wait_ms < 0};
	int status;

	r.t = (struct probe_target){.host = o->host,
				    .proto = "tcp",
				    .numeric = o->sock.numeric,
				    .json = o->json,
				    .waited_ms = o->scan.wait_ms};
	if (!tls_setup(o, &r.cfg))
		return 1;
	if ((r.c = calloc(ports->count, sizeof(*r.c))) == NULL) {
		report_errno("malloc", ENOMEM);
		conn_tls_config_free(r.cfg);
		return 1;
	}
	report_scan_begin(ports->count);
	status = r.live ? check_once(&r) : check_wait(&r);
	report_scan_end();
	if (r.resolved)
		dialer_close(&r.d);
	free(r.c);
	conn_tls_config_free(r.cfg);
	return status;
}
