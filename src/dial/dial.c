/* The dialer: direct connections, one address after another. */
#include "dial/dial.h"

#include <errno.h>
#include <unistd.h>

#include "net/net_tcp.h"
#include "net/net_udp.h"

int
dialer_open(struct dialer *d, const char *host, unsigned first_port, const struct transport *t,
	    const struct nc_options *o)
{
	d->t = t;
	d->o = o;
	return destination_lookup(&d->dest, host, first_port, &o->sock, t->socktype);
}

void
dialer_close(struct dialer *d)
{
	destination_free(&d->dest);
}

enum dial_status
dial_port(struct dialer *d, unsigned port, dial_notify_fn notify, void *ctx, struct conn **conn,
	  struct sock_result *fatal)
{
	char addr[ADDR_TEXT_MAX];

	for (struct addrinfo *ai = d->dest.addrs; ai != NULL; ai = ai->ai_next) {
		sa_set_port(ai->ai_addr, port);
		addr_numeric(ai->ai_addr, ai->ai_addrlen, addr, sizeof(addr), NULL);
		struct sock_result r = d->t->datagram ? dgram_connect(ai, &d->o->sock) : stream_connect(ai, &d->o->sock);
		struct dial_try t = {.host = d->dest.host,
				     .addr = addr,
				     .port = port,
				     .proto = d->t->proto,
				     .status = r.status,
				     .err = r.err};
		switch (r.status) {
		case SOCK_OK:
			if ((*conn = conn_fd_new(r.fd, d->t->datagram)) == NULL) {
				close(r.fd);
				*fatal = (struct sock_result){
				    .status = SOCK_FATAL_ERRNO, .what = "malloc", .err = ENOMEM, .fd = -1};
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
