/* -z through a proxy: one port after another, each a dial and a close. */
#include "probe/probe_dial.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/util_time.h"

enum probe_state
probe_state_for_answer(const struct dial_answer *a)
{
	const struct proxy_result *r = &a->proxy;

	if (a->kind != ANSWER_PROXY)
		return PROBE_ERROR;
	switch (r->status) {
	case PROXY_SOCKS4_FAILED:
		return r->code == 91 ? PROBE_CLOSED : PROBE_ERROR;
	case PROXY_SOCKS5_FAILED:
		switch (r->code) {
		case 5:
			return PROBE_CLOSED;
		case 2: /* not allowed by the proxy's rules */
		case 3:
		case 4:
			return PROBE_FILTERED;
		case 6:
			return PROBE_TIMEOUT;
		default:
			return PROBE_ERROR;
		}
	case PROXY_HTTP_FAILED:
		if (r->code == 504)
			return PROBE_TIMEOUT;
		if (r->code == 403)
			return PROBE_FILTERED;
		return r->code >= 500 && r->code <= 599 ? PROBE_CLOSED : PROBE_ERROR;
	case PROXY_READ_FAILED:
	case PROXY_HTTP_READ_FAILED:
	case PROXY_WRITE_FAILED:
		return r->err == ETIMEDOUT ? PROBE_TIMEOUT : PROBE_ERROR;
	default:
		return PROBE_ERROR;
	}
}

/* The tries of the port being probed; only the last max are kept (the last decides). */
struct collect {
	struct probe_attempt *att;
	unsigned n, max;
	long long start_us;
};

static void
collect_try(const struct dial_try *t, void *arg)
{
	struct collect *c = arg;
	struct probe_attempt *a;

	/* A notice for the terminal (the dialer's notice hears it): not an outcome. */
	if (t->status == DIAL_TRY_AUTH_AGAIN)
		return;
	if (c->n == c->max) {
		memmove(c->att, c->att + 1, (c->max - 1) * sizeof(*c->att));
		c->n--;
	}
	a = &c->att[c->n++];
	memset(a, 0, sizeof(*a));
	a->ai = t->ai;
	a->via_proxy = true;
	a->icmp_type = a->icmp_code = -1;
	a->time_us = now_us() - c->start_us;
	switch (t->status) {
	case DIAL_TRY_CONNECTED:
		a->state = PROBE_OPEN;
		break;
	case DIAL_TRY_FAILED:
	case DIAL_TRY_TIMED_OUT:
		/* The proxy is out of reach: nothing is known of the port. */
		a->state = t->status == DIAL_TRY_TIMED_OUT ? PROBE_TIMEOUT : PROBE_ERROR;
		a->timer = t->status == DIAL_TRY_TIMED_OUT;
		a->err = t->status == DIAL_TRY_TIMED_OUT ? ETIMEDOUT : t->err;
		a->proxy_host = t->host;
		a->proxy_port = t->port_text;
		break;
	default:
		a->answer = t->answer;
		a->state = probe_state_for_answer(t->answer);
		break;
	}
}

bool
dial_scan(const struct scan_plan *p, probe_sink sink, void *ctx, struct sock_result *fatal)
{
	unsigned naddrs = destination_count(p->d);
	struct collect c = {.max = naddrs > 0 ? naddrs : 1};
	bool ok = true, stop = false;

	if ((c.att = calloc(c.max, sizeof(*c.att))) == NULL) {
		*fatal = (struct sock_result){.status = SOCK_FATAL_ERRNO, .err = ENOMEM};
		return false;
	}
	p->dialer->cap = p->cap_ms;
	for (size_t i = 0; i < p->count && ok && !stop; i++) {
		struct conn *conn = NULL;
		if (i > 0 && p->interval_ms > 0)
			sleep_ms(p->interval_ms);
		c.n = 0;
		c.start_us = now_us();
		switch (dial_port(p->dialer, p->ports[i], collect_try, &c, &conn, fatal)) {
		case DIAL_CONNECTED:
			/* -z: the whole handshake is done, then the tunnel is closed (or checked). */
			if (p->keep != NULL && c.n > 0)
				p->keep(i, conn, &c.att[c.n - 1], ctx);
			else
				conn_close(conn);
			break;
		case DIAL_FAILED:
			break;
		case DIAL_STOP:
			stop = true;
			break;
		case DIAL_FATAL:
			ok = false;
			break;
		}
		struct port_probe pp = {
		    .port = p->ports[i], .nattempts = c.n, .attempts = c.att, .complete = ok};
		sink(i, &pp, ctx);
		if (p->idle != NULL)
			p->idle(ctx);
	}
	free(c.att);
	return ok;
}
