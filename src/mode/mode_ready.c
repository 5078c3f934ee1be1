/*
 * Readiness: is every target up? A target is one host and port (a Unix
 * path with -U). Each round tries every target that is not up yet, all at
 * once: the probers connect to all of them in parallel (several hosts in
 * one plan), and when a check is asked for, the socket a prober connected
 * is handed to the check, and the checks run together (check_run). So 100
 * targets that are up cost about one round trip for the connects and one
 * for the checks, not 100. --wait repeats rounds with probe_wait.c's
 * backoff until all are up or the deadline passes.
 */
#include "mode/mode_ready.h"

#include "mode/mode_ready_round.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "cli/cli_escape.h"
#include "mode/mode_tls.h"
#include "net/net_unix.h"
#include "probe/probe_udp.h"
#include "probe/probe_wait.h"
#include "report/report.h"
#include "report/report_ready.h"
#include "report/report_scan.h"
#include "util/util_time.h"

/* A view of t's shown try (or of this round's, cur) for the reporter. */
static struct ready_view
view(const struct ready *r, const struct rtarget *t, bool cur)
{
	const struct ready_try *y = cur ? &t->cur : &t->shown;

	return (struct ready_view){
	    .host = t->host,
	    .port = t->port,
	    .proto = r->t->unix_domain ? NULL : r->t->proto,
	    .unix_type = r->t->socktype,
	    .numeric = r->o.sock.numeric,
	    .extended = r->extended,
	    .att = t->att != NULL ? &t->att[cur ? t->naddrs : 0] : NULL,
	    .natt = y->natt,
	    .gai = y->gai,
	    .err = y->err,
	    .time_us = y->time_us,
	    .check = y->checked ? &y->check : NULL,
	    .spec = &t->spec,
	    .check_kind = r->check_kind,
	    .up = t->up,
	    .tries = t->tries,
	    .elapsed_ms = t->up ? t->elapsed_ms : now_ms() - r->start_ms,
	};
}

/* Whether this round's try found t up. */
static bool
try_up(const struct ready *r, const struct rtarget *t)
{
	const struct ready_try *y = &t->cur;

	if (y->checked)
		return y->check.up;
	if (r->t->unix_domain)
		return y->err == 0;
	if (y->natt == 0)
		return false;
	enum probe_state s = t->att[t->naddrs + y->natt - 1].state;
	/* For UDP only a reply is up: silence is also what a lost probe looks like. */
	return r->t->datagram ? s == PROBE_OPEN : probe_is_open(s);
}

/*
 * This round's try becomes the one the verdict names, unless the deadline
 * cut it shorter than an earlier try's answer took to come (the last try,
 * at the deadline, has next to no time): it could not have heard that
 * answer, which stays the reason.
 */
static void
keep_try(struct rtarget *t)
{
	if (t->cur.cut && t->tries > 1 && t->cur.time_us < t->shown.time_us)
		return;
	t->shown = t->cur;
	if (t->att != NULL)
		memcpy(t->att, &t->att[t->naddrs], t->cur.natt * sizeof(*t->att));
}

static enum wait_step
ready_step(long long deadline, void *arg)
{
	struct ready *r = arg;
	bool ok = true, all = true;

	if (!r->t->unix_domain)
		ready_resolve(r);
	for (size_t i = 0; i < r->n; i++) {
		struct rtarget *t = &r->v[i];
		t->cur = (struct ready_try){0};
		t->in_round = !t->up && (r->t->unix_domain || r->dests[t->dest].resolved);
		if (!t->up && !t->in_round)
			t->cur.gai = r->dests[t->dest].gai;
	}
	ok = ready_connect_round(r, deadline);
	if (ok && r->check)
		ok = ready_checks_round(r, deadline);
	for (size_t i = 0; i < r->n; i++) {
		struct rtarget *t = &r->v[i];
		/* Not tried: a proxy that failed for every port stopped the round first. */
		if (t->up || (t->in_round && !t->cur.tried)) {
			all &= t->up;
			continue;
		}
		t->tries++;
		if (try_up(r, t)) {
			t->up = true;
			t->elapsed_ms = now_ms() - r->start_ms;
		}
		struct ready_view cv = view(r, t, true);
		report_ready_try(&cv);
		keep_try(t);
		if (t->up) {
			struct ready_view sv = view(r, t, false);
			report_ready_up(&sv);
		}
		all &= t->up;
	}
	report_scan_flush();
	if (!ok) {
		/* Connections kept for checks that will not run now. */
		for (size_t i = 0; i < r->n; i++) {
			conn_close(r->v[i].conn);
			r->v[i].conn = NULL;
		}
		r->failed = r->unix_fatal == 0;
		return WAIT_FATAL;
	}
	return all ? WAIT_UP : WAIT_NOT_YET;
}

/* Between rounds: what is still down, and when the next try comes. */
static void
ready_note(long long next_ms, void *arg)
{
	struct ready *r = arg;

	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].up)
			continue;
		struct ready_view sv = view(r, &r->v[i], false);
		report_ready_round(&sv, next_ms);
	}
	report_scan_flush();
}

/* What every target's check sends and expects; false after reporting bad input. */
static bool
check_setup(struct ready *r)
{
	const struct scan_options *s = &r->o.scan;
	char msg[256];

	if (s->send != NULL) {
		struct escape_error ee;
		if ((r->send = malloc(strlen(s->send) + 1)) == NULL) {
			report_errno(NULL, ENOMEM);
			return false;
		}
		if (escape_decode(s->send, r->send, &r->send_len, &ee) != ESCAPE_OK) {
			report_escape_error(&ee);
			return false;
		}
	}
	if (s->expect != NULL) {
		if (check_compile_expect(s->expect, &r->re, msg, sizeof(msg)) != 0) {
			report_expect_error(msg);
			return false;
		}
		r->have_re = true;
	}
	if (s->http_path != NULL && !check_http_path_valid(s->http_path)) {
		report_http_path_error(s->http_path, false);
		return false;
	}
	r->check_kind = s->http_path != NULL ? "http"
	    : s->expect != NULL             ? "expect"
	    : s->send != NULL               ? "reply"
	                                    : "tls";
	return true;
}

/* t's request: the GET with t's Host, --send's bytes, or UDP's probe for the port. */
static bool
spec_for(struct ready *r, struct rtarget *t)
{
	const struct scan_options *s = &r->o.scan;
	size_t len = 0;

	t->spec = (struct check_spec){.request = r->send,
	    .request_len = r->send_len,
	    .expect = r->have_re ? &r->re : NULL,
	    .expect_text = s->expect,
	    .http = s->http_path != NULL};
	if (s->http_path != NULL) {
		/* A Unix socket has no host name: "localhost", as curl --unix-socket sends. */
		bool path = r->t->unix_domain;
		t->request = check_http_request(
		    path ? "localhost" : t->host, path ? 80 : t->port, r->tls != NULL, s->http_path, &len);
	} else if (r->send == NULL && r->t->datagram) {
		/* --expect alone over UDP: the datagram the prober would send asks for the reply. */
		if ((t->request = malloc(UDP_PROBE_PAYLOAD_MAX)) != NULL)
			len = udp_probe_payload(
			    t->port, (unsigned char *)t->request, UDP_PROBE_PAYLOAD_MAX);
	} else {
		return true;
	}
	t->spec.request = t->request;
	t->spec.request_len = len;
	return t->request != NULL;
}

/* The targets, in operand order, and the distinct hosts they are on. */
static bool
targets_setup(struct ready *r, const struct ready_group *g, size_t ng)
{
	size_t n = 0;

	for (size_t k = 0; k < ng; k++)
		n += g[k].ports != NULL ? g[k].ports->count : 1;
	r->v = calloc(n ? n : 1, sizeof(*r->v));
	r->dests = calloc(ng ? ng : 1, sizeof(*r->dests));
	r->todo = calloc(n ? n : 1, sizeof(*r->todo));
	r->ports = calloc(n ? n : 1, sizeof(*r->ports));
	r->pdests = calloc(n ? n : 1, sizeof(*r->pdests));
	if (r->v == NULL || r->dests == NULL || r->todo == NULL || r->ports == NULL ||
	    r->pdests == NULL)
		return false;
	for (size_t k = 0; k < ng; k++) {
		size_t d = 0;
		while (d < r->ndests && strcmp(r->dests[d].host, g[k].host) != 0)
			d++;
		if (d == r->ndests && g[k].ports != NULL) {
			r->dests[d].host = g[k].host;
			r->dests[d].first_port = g[k].ports->count ? g[k].ports->ports[0] : 0;
			r->ndests++;
		}
		size_t count = g[k].ports != NULL ? g[k].ports->count : 1;
		for (size_t j = 0; j < count; j++) {
			struct rtarget *t = &r->v[r->n++];
			t->host = g[k].host;
			t->port = g[k].ports != NULL ? g[k].ports->ports[j] : 0;
			t->dest = d;
			if (r->check && !spec_for(r, t))
				return false;
		}
	}
	return true;
}

static void
ready_free(struct ready *r)
{
	for (size_t i = 0; r->v != NULL && i < r->n; i++) {
		free(r->v[i].att);
		free(r->v[i].request);
	}
	ready_close_dests(r);
	if (r->tls != NULL)
		conn_tls_config_free(r->tls);
	if (r->have_re)
		regfree(&r->re);
	if (r->bound_fd >= 0)
		close(r->bound_fd);
	free(r->send);
	free(r->v);
	free(r->dests);
	free(r->todo);
	free(r->ports);
	free(r->pdests);
}

/* -uU -s: the datagram socket the probes come from, bound once. */
static bool
bind_source(struct ready *r)
{
	const char *src = r->o.sock.source_addr;

	if (!r->t->unix_domain || !r->t->datagram || src == NULL)
		return true;
	struct sock_result b = unix_bind(src, SOCK_DGRAM, &r->o.sock);
	if (b.status != SOCK_OK) {
		report_sock_failure(&b);
		return false;
	}
	report_bound(&(struct endpoint){.name = src});
	r->bound_fd = b.fd;
	return true;
}

int
ready_run(const struct transport *t, const struct nc_options *o, const struct ready_group *g,
    size_t n, bool targets)
{
	struct ready r = {.t = t, .o = *o, .bound_fd = -1, .check = options_check(o)};
	int status = 1;

	r.extended = targets || r.check;
	r.via_dialer = o->proxy.addr != NULL;
	r.try_ms = o->sock.timeout_ms >= 0 ? o->sock.timeout_ms :
	    t->datagram && !t->unix_domain ? udp_probe_wait(&o->sock) :
	                                     READY_TRY_MS;
	/* UDP keeps its probe wait (-w or 1 s); the others get a bound on every try. */
	if (!t->datagram || t->unix_domain)
		r.o.sock.timeout_ms = r.try_ms;
	/* -c: the handshake is part of every try, before the check if there is one. */
	if (o->tls.enabled) {
		if (!tls_setup(o, &r.tls))
			return 1;
		r.check = true;
	}
	bool ready = !r.check || check_setup(&r);
	if (ready && !targets_setup(&r, g, n)) {
		report_errno(NULL, ENOMEM);
		ready = false;
	}
	if (!ready || !bind_source(&r)) {
		ready_free(&r);
		return 1;
	}
	report_ready_begin(r.n);
	r.start_ms = now_ms();
	long long wait = o->scan.wait_ms;
	enum wait_step s = wait >= 0 ? wait_until(r.start_ms + wait, ready_step, ready_note, &r) :
	                               ready_step(-1, &r);
	if (r.failed) {
		report_sock_failure(&r.fatal);
	} else if (r.unix_fatal > 0) {
		struct ready_view sv = view(&r, &r.v[r.unix_fatal - 1], false);
		report_ready_verdict(&sv, -1);
	} else {
		for (size_t i = 0; i < r.n; i++) {
			struct ready_view sv = view(&r, &r.v[i], false);
			report_ready_verdict(&sv, wait);
		}
		status = s == WAIT_UP ? 0 : 1;
	}
	report_ready_end();
	ready_free(&r);
	return status;
}
