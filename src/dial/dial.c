/* The dialer: the lookup, and direct connections one address after another. */
#include "dial/dial.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "net/net_tcp.h"
#include "net/net_udp.h"
#include "util/util_time.h"

int
dialer_open(struct dialer *d, const char *host, unsigned first_port, const struct transport *t,
    const struct sock_options *sock, const struct proxy_options *proxy)
{
	int gai;

	memset(d, 0, sizeof(*d));
	d->t = t;
	d->host = host;
	d->sock = sock;
	d->proxy = proxy;
	d->cap = -1;
	dial_auth_init(&d->auth, proxy->user);
	if (proxy->addr == NULL) {
		d->lookup_host = host;
		snprintf(d->lookup_port, sizeof(d->lookup_port), "%u", first_port);
		return destination_lookup(&d->dest, host, first_port, sock, t->socktype);
	}
	d->lookup_host = proxy->host;
	snprintf(d->lookup_port, sizeof(d->lookup_port), "%s", proxy->port);
	d->dest.host = proxy->host;
	d->dest.proto = "tcp";
	gai = resolve(proxy->host, proxy->port, sock, SOCK_STREAM, false, &d->dest.addrs);
	if (gai != 0)
		d->dest.addrs = NULL;
	return gai;
}

struct dial_answer_node {
	struct dial_answer a;
	struct dial_answer_node *next;
};

void
dialer_close(struct dialer *d)
{
	destination_free(&d->dest);
	dial_auth_clear(&d->auth);
	while (d->answers != NULL) {
		struct dial_answer_node *n = d->answers->next;
		free(d->answers);
		d->answers = n;
	}
}

const struct dial_answer *
dial_answer_keep(struct dialer *d, const struct dial_answer *a)
{
	struct dial_answer_node *n;

	for (n = d->answers; n != NULL; n = n->next)
		if (memcmp(&n->a, a, sizeof(*a)) == 0)
			return &n->a;
	if ((n = malloc(sizeof(*n))) == NULL)
		return NULL;
	memcpy(&n->a, a, sizeof(*a));
	n->next = d->answers;
	d->answers = n;
	return &n->a;
}

struct sock_options
dial_sock_options(const struct dialer *d)
{
	struct sock_options s = *d->sock;

	if (d->cap >= 0) {
		long long left = d->cap - now_ms();
		if (left < 1)
			left = 1;
		if (s.timeout_ms < 0 || left < s.timeout_ms)
			s.timeout_ms = left;
	}
	return s;
}

static enum dial_try_status
try_status(enum sock_status s)
{
	return s == SOCK_OK     ? DIAL_TRY_CONNECTED :
	    s == SOCK_TIMED_OUT ? DIAL_TRY_TIMED_OUT :
	                          DIAL_TRY_FAILED;
}

enum dial_status
dial_port(struct dialer *d, unsigned port, dial_notify_fn notify, void *ctx, struct conn **conn,
    struct sock_result *fatal)
{
	char addr[ADDR_TEXT_MAX];

	if (d->proxy->addr != NULL)
		return dial_via_proxy(d, port, notify, ctx, conn, fatal);
	for (struct addrinfo *ai = d->dest.addrs; ai != NULL; ai = ai->ai_next) {
		struct sock_options sock = dial_sock_options(d);
		sa_set_port(ai->ai_addr, port);
		addr_numeric(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr), NULL);
		struct sock_result r =
		    d->t->datagram ? dgram_connect(ai, &sock) : stream_connect(ai, &sock);
		struct dial_try t = {.host = d->dest.host,
		    .addr = addr,
		    .ai = ai,
		    .port = port,
		    .proto = d->t->proto,
		    .status = try_status(r.status),
		    .err = r.err};
		switch (r.status) {
		case SOCK_OK:
			if ((*conn = conn_fd_new(r.fd, d->t->datagram)) == NULL) {
				close(r.fd);
				*fatal = (struct sock_result){.status = SOCK_FATAL_ERRNO,
				    .what = "malloc",
				    .err = ENOMEM,
				    .fd = -1};
				return DIAL_FATAL;
			}
			notify(&t, ctx);
			return DIAL_CONNECTED;
		case SOCK_FAILED:
		case SOCK_TIMED_OUT:
			notify(&t, ctx);
			break;
		default:
			*fatal = r;
			return DIAL_FATAL;
		}
	}
	return DIAL_FAILED;
}
