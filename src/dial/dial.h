/*
 * The dialer: from a destination (host and port) to a connected connection.
 * Directly now, address by address as netcat does; through a proxy later,
 * where the proxy's address is what gets resolved and the destination goes
 * to it by name. The relay, the reporter and -F only ever see the
 * connection it returns. It prints nothing: every try is told to the
 * caller's notify function, which reports it.
 */
#ifndef NC_DIAL_H
#define NC_DIAL_H

#include <stdbool.h>

#include "cli/cli_options.h"
#include "conn/conn.h"
#include "net/net_error.h"
#include "net/net_resolve.h"
#include "net/net_transport.h"

/* One address tried for one port. */
struct dial_try {
	const char *host; /* as the user wrote it */
	const char *addr; /* the numeric address tried */
	unsigned port;
	const char *proto;
	enum sock_status status; /* SOCK_OK, SOCK_FAILED (err) or SOCK_TIMED_OUT */
	int err;
};

typedef void (*dial_notify_fn)(const struct dial_try *t, void *ctx);

struct dialer {
	const struct transport *t;
	const struct nc_options *o;
	struct destination dest;
};

/*
 * Looks host up for its first port (netcat names that port when the lookup
 * fails). Returns 0 or a getaddrinfo error.
 */
int dialer_open(struct dialer *d, const char *host, unsigned first_port, const struct transport *t,
		const struct nc_options *o);
void dialer_close(struct dialer *d);

enum dial_status {
	DIAL_CONNECTED, /* *conn is the connection */
	DIAL_FAILED,    /* no address answered on this port; the next port may */
	DIAL_FATAL,     /* give up the whole run: *fatal says why */
};

/* Connects to port, trying each address in turn. */
enum dial_status dial_port(struct dialer *d, unsigned port, dial_notify_fn notify, void *ctx,
			   struct conn **conn, struct sock_result *fatal);

#endif
