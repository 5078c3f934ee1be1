/*
 * Dialing through a proxy: connect to the proxy (each of its addresses in
 * turn, as a direct connection tries the destination's), then ask it for the
 * destination with SOCKS4, SOCKS5 or HTTP CONNECT, bounded by -w. When the
 * proxy wants a password, fetch one and dial again, as netcat-openbsd does.
 */
#include "dial/dial.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dial/dial_http.h"
#include "dial/dial_socks4.h"
#include "dial/dial_socks5.h"
#include "net/net_tcp.h"
#include "util/util_time.h"

/*
 * Whether the proxy refused this destination port rather than us: SOCKS
 * refusal codes, an HTTP status other than the authentication ones.
 */
static bool
port_refused(const struct proxy_result *r)
{
	switch (r->status) {
	case PROXY_SOCKS4_FAILED:
		return r->code == 91;
	case PROXY_SOCKS5_FAILED:
		/* 7 (command) and 8 (address type) would refuse every port alike. */
		return r->code >= 1 && r->code <= 6;
	case PROXY_HTTP_FAILED:
		return r->code != 0 && r->code != 401 && r->code != 407;
	default:
		return false;
	}
}

/* SOCKS4 carries an IPv4 address: the destination looked up here, -n or not (as netcat-openbsd). */
static int
socks4_address(const struct dialer *d, unsigned port, struct in_addr *a)
{
	struct sock_options v4 = *d->sock;
	struct addrinfo *res;
	char serv[8];
	int gai;

	v4.family = AF_INET;
	v4.numeric = false;
	snprintf(serv, sizeof(serv), "%u", port);
	if ((gai = resolve(d->host, serv, &v4, SOCK_STREAM, false, &res)) != 0)
		return gai;
	*a = ((const struct sockaddr_in *)res->ai_addr)->sin_addr;
	freeaddrinfo(res);
	return 0;
}

/* The exchange for port on c; a->kind and a->gai say when it never reached the proxy. */
static enum proxy_status
handshake(
    struct dialer *d, struct conn *c, unsigned port, long long deadline, struct dial_answer *a)
{
	struct in_addr v4;

	switch (d->proxy->proto) {
	case PROXY_SOCKS4:
		if ((a->gai = socks4_address(d, port, &v4)) != 0) {
			a->kind = ANSWER_UNRESOLVED;
			return PROXY_OK;
		}
		return socks4_negotiate(c, v4, (uint16_t)port, deadline, &a->proxy);
	case PROXY_HTTP:
		return http_negotiate(c, d->host, (uint16_t)port, &d->auth, deadline, &a->proxy);
	default:
		return socks5_negotiate(c, d->host, (uint16_t)port, &d->auth, deadline, &a->proxy);
	}
}

/* A connection to the first of the proxy's addresses that answers; NULL when none does. */
static struct conn *
proxy_connect(struct dialer *d, dial_notify_fn notify, void *ctx, const struct addrinfo **used,
    struct sock_result *fatal)
{
	for (const struct addrinfo *ai = d->dest.addrs; ai != NULL; ai = ai->ai_next) {
		struct sock_options sock = dial_sock_options(d);
		struct sock_result r = stream_connect(ai, &sock);
		struct conn *c;

		switch (r.status) {
		case SOCK_OK:
			if ((c = conn_fd_new(r.fd, false)) == NULL) {
				close(r.fd);
				*fatal = (struct sock_result){.status = SOCK_FATAL_ERRNO,
				    .what = "malloc",
				    .err = ENOMEM,
				    .fd = -1};
				return NULL;
			}
			*used = ai;
			return c;
		case SOCK_FAILED:
		case SOCK_TIMED_OUT:
			/* netcat-openbsd names the proxy as given, without the address. */
			notify(&(struct dial_try){.host = d->dest.host,
			           .ai = ai,
			           .port = sa_port(ai->ai_addr),
			           .port_text = d->proxy->port,
			           .proto = "tcp",
			           .status = r.status == SOCK_FAILED ? DIAL_TRY_FAILED :
			                                               DIAL_TRY_TIMED_OUT,
			           .err = r.err,
			           .via_proxy = true},
			    ctx);
			break;
		default:
			*fatal = r;
			return NULL;
		}
	}
	fatal->status = SOCK_OK;
	return NULL;
}

enum dial_status
dial_via_proxy(struct dialer *d, unsigned port, dial_notify_fn notify, void *ctx,
    struct conn **conn, struct sock_result *fatal)
{
	struct dial_answer a;
	const struct addrinfo *ai = NULL;

	/* One round per password: a proxy that asks for one is dialed again. */
	for (;;) {
		struct conn *c = proxy_connect(d, notify, ctx, &ai, fatal);
		if (c == NULL)
			return fatal->status == SOCK_OK ? DIAL_FAILED : DIAL_FATAL;

		long long deadline = d->sock->timeout_ms < 0 ? -1 : now_ms() + d->sock->timeout_ms;
		if (d->cap >= 0) {
			long long cap = d->cap;
			if (cap < now_ms() + DIAL_HANDSHAKE_GRACE_MS)
				cap = now_ms() + DIAL_HANDSHAKE_GRACE_MS;
			if (deadline < 0 || cap < deadline)
				deadline = cap;
		}
		memset(&a, 0, sizeof(a));
		proxy_result_init(&a.proxy);
		enum proxy_status st = handshake(d, c, port, deadline, &a);
		struct dial_try t = {.host = d->host,
		    .ai = ai,
		    .port = port,
		    .proto = "tcp",
		    .status = DIAL_TRY_PROXY,
		    .via_proxy = true};
		if (st == PROXY_OK && a.kind == ANSWER_PROXY) {
			t.status = DIAL_TRY_CONNECTED;
			notify(&t, ctx);
			*conn = c;
			return DIAL_CONNECTED;
		}
		conn_close(c);
		if (st == PROXY_AUTH_REQUIRED || st == PROXY_AUTH_REJECTED) {
			if (st == PROXY_AUTH_REJECTED && d->auth.source == AUTH_TTY) {
				struct dial_try again = t;
				again.status = DIAL_TRY_AUTH_AGAIN;
				if (d->notice != NULL)
					d->notice(&again, NULL);
				else
					notify(&again, ctx);
			}
			enum auth_next n = dial_auth_next(&d->auth, d->prompt);
			if (n == AUTH_READY)
				continue;
			memset(&a, 0, sizeof(a));
			a.kind = ANSWER_AUTH;
			a.auth = n;
		}
		a.port_refused = a.kind == ANSWER_PROXY && port_refused(&a.proxy);
		if ((t.answer = dial_answer_keep(d, &a)) == NULL) {
			*fatal = (struct sock_result){
			    .status = SOCK_FATAL_ERRNO, .what = "malloc", .err = ENOMEM, .fd = -1};
			return DIAL_FATAL;
		}
		notify(&t, ctx);
		return a.port_refused ? DIAL_FAILED : DIAL_STOP;
	}
}
