/*
 * The certificate check. A TLS handshake is the probe: a port passes when
 * it accepts, the handshake verifies, and the checks after it (-H, -e,
 * --tls-min-days) hold. Ports are checked one after another through the
 * dialer, so a proxy (-x) is used as in connect mode; -w bounds each
 * connect and each handshake, and --wait's deadline every try.
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
#include "report/report_dial.h"
#include "report/report_scan.h"
#include "report/report_tls_check.h"
#include "util/util_time.h"

struct check_run {
	const struct nc_options *o;
	const struct port_list *ports;
	struct conn_tls_config *cfg;
	struct tls_check_target t;
	struct dialer d;
	bool opened, resolved, stopped;
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
	strlcpy(c->addr, dt->addr != NULL ? dt->addr : "", sizeof(c->addr));
	c->status = dt->status;
	c->err = dt->err;
	c->answer = dt->answer;
	if (r->live && !r->o->json)
		report_dial_try(dt, r->o->sock.numeric);
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
	r->d.cap = deadline;
	enum dial_status ds = dial_port(&r->d, c->port, notify, r, &conn, &r->fatal);
	c->time_us = now_us() - start;
	if (ds == DIAL_FATAL)
		return false;
	/* The proxy failed in a way every port would (it has been told). */
	if (ds == DIAL_STOP)
		r->stopped = true;
	if (ds != DIAL_CONNECTED)
		return true;
	c->connected = true;
	conn = tls_start(r->cfg, conn, r->o->host, r->o, deadline, !r->live || r->o->json, &c->res);
	conn_close(conn);
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

/* Looks the host (or with -x the proxy) up, unless that is done; quiet: --wait retries. */
static bool
lookup(struct check_run *r, bool quiet)
{
	const struct transport *tcp = transport_pick(false, false, false, false);

	if (r->resolved)
		return true;
	if (r->opened)
		dialer_close(&r->d);
	r->opened = true;
	if (!quiet)
		r->gai = connect_dialer_open(&r->d, r->o->host, r->ports->ports[0], tcp, r->o);
	else if ((r->gai = dialer_open(&r->d, r->o->host, r->ports->ports[0], tcp, &r->o->sock,
			&r->o->proxy)) == 0 &&
		 r->o->proxy.user != NULL)
		connect_dialer_prompt(&r->d, r->o);
	r->resolved = r->gai == 0;
	for (size_t i = 0; !r->resolved && i < r->ports->count; i++)
		r->c[i] = (struct tls_check){.port = r->ports->ports[i], .gai = r->gai};
	return r->resolved;
}

/* -z -c: every port once, each reported when done. */
static int
check_once(struct check_run *r)
{
	if (!lookup(r, false)) {
		for (size_t i = 0; r->o->json && i < r->ports->count; i++)
			report_tls_check_json(&r->t, &r->c[i]);
		return 1;
	}
	for (size_t i = 0; i < r->ports->count && !r->stopped; i++) {
		if (!check_port(r, i, -1)) {
			report_sock_failure(&r->fatal);
			return 1;
		}
		if (r->o->json && r->c[i].tried)
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
	if (!lookup(r, true))
		return WAIT_NOT_YET;
	for (size_t i = 0; i < r->ports->count && !r->stopped; i++)
		if (!tls_check_ok(&r->c[i]) && !check_port(r, i, deadline))
			return WAIT_FATAL;
	if (r->stopped)
		return WAIT_FATAL;
	return all_ok(r) ? WAIT_UP : WAIT_NOT_YET;
}

/* Between rounds (-v): what is still down, and when the next try comes. */
static void
wait_note(long long next_ms, void *arg)
{
	struct check_run *r = arg;

	for (size_t i = 0; i < r->ports->count; i++)
		if (!tls_check_ok(&r->c[i]))
			report_tls_check_wait(&r->t, &r->c[i], next_ms);
	report_scan_flush();
}

/* --wait -c: rounds until every port passes; then each port's verdict in order. */
static int
check_wait(struct check_run *r)
{
	enum wait_step st = wait_until(now_ms() + r->o->scan.wait_ms, wait_step, wait_note, r);

	if (st == WAIT_FATAL && !r->stopped) {
		report_sock_failure(&r->fatal);
		return 1;
	}
	for (size_t i = 0; i < r->ports->count; i++)
		report_tls_check_wait(&r->t, &r->c[i], -1);
	return st == WAIT_UP ? 0 : 1;
}

int
tls_check_run(const struct nc_options *o, const struct port_list *ports)
{
	struct check_run r = {.o = o, .ports = ports, .live = o->scan.wait_ms < 0};
	int status;

	r.t = (struct tls_check_target){.host = o->host,
	    .name = o->tls.name,
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
	if (r.opened)
		dialer_close(&r.d);
	free(r.c);
	conn_tls_config_free(r.cfg);
	return status;
}
