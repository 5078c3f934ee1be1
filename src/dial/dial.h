/*
 * The dialer: from a destination (host and port) to a connected connection,
 * directly (address by address, as netcat does) or through a proxy (-x):
 * then the proxy's address is what gets resolved and connected to, and the
 * destination goes to the proxy by name (SOCKS4: as an IPv4 address looked
 * up here, which is all that protocol carries). The relay, the reporter and
 * -F only ever see the connection it returns. It prints nothing: every try
 * is told to the caller's notify function, which reports it.
 */
#ifndef NC_DIAL_H
#define NC_DIAL_H

#include <stdbool.h>

#include "cli/cli_options.h"
#include "conn/conn.h"
#include "dial/dial_auth.h"
#include "dial/dial_proxy.h"
#include "net/net_error.h"
#include "net/net_resolve.h"
#include "net/net_transport.h"

#define DIAL_HANDSHAKE_GRACE_MS 100

enum dial_try_status {
	DIAL_TRY_CONNECTED,  /* up: directly, or through the proxy's tunnel */
	DIAL_TRY_FAILED,     /* connect(2) to this address failed: err */
	DIAL_TRY_TIMED_OUT,  /* -w (or the cap) passed before connect(2) finished */
	DIAL_TRY_PROXY,      /* the handshake with the proxy ended without a tunnel: answer */
	DIAL_TRY_AUTH_AGAIN, /* the proxy refused the password typed on the terminal: asking again */
};

enum dial_answer_kind {
	ANSWER_PROXY,      /* the proxy's reply, or how the exchange failed: proxy */
	ANSWER_UNRESOLVED, /* SOCKS4: the destination has no IPv4 address here: gai */
	ANSWER_AUTH,       /* a password was wanted and there is none to try: auth */
};

/*
 * How a handshake through the proxy ended when it gave no tunnel. The
 * dialer keeps each distinct one until dialer_close, so that results which
 * outlive a try (the -z and --wait reports) can point to it.
 */
struct dial_answer {
	enum dial_answer_kind kind;
	/*
	 * The proxy said no to this destination port (SOCKS refusal codes,
	 * an HTTP status): the next port may do. Anything else (a broken or
	 * silent proxy, a password problem) would fail every port alike.
	 */
	bool port_refused;
	int gai;
	enum auth_next auth;
	struct proxy_result proxy;
};

/* One try: a connect to one address and, through a proxy, the handshake after it. */
struct dial_try {
	/*
	 * What the try went to, as the user wrote it: the destination, or for
	 * a connect to the proxy (FAILED, TIMED_OUT through -x) the proxy.
	 */
	const char *host;
	/* The numeric address tried; NULL through a proxy, whose messages name only the host. */
	const char *addr;
	const struct addrinfo *ai; /* the address connected to (the proxy's, through one) */
	unsigned port;             /* the destination's port, or the proxy's with host */
	const char *port_text;     /* the proxy's port as written (-x host:socks); NULL otherwise */
	const char *proto;
	enum dial_try_status status;
	int err;                          /* FAILED, TIMED_OUT */
	const struct dial_answer *answer; /* PROXY */
	bool via_proxy;                   /* -x is in use */
};

typedef void (*dial_notify_fn)(const struct dial_try *t, void *ctx);

struct dial_answer_node;

struct dialer {
	const struct transport *t;
	const char *host; /* the destination as the user wrote it */
	const struct sock_options *sock;
	const struct proxy_options *proxy; /* proxy->addr NULL: direct */
	struct destination dest; /* what is connected to: the destination, or the proxy */
	/* What dialer_open looked up, for the message when that fails. */
	const char *lookup_host;
	char lookup_port[NI_MAXSERV];
	/*
	 * now_ms() time no try may run past (--wait); -1: none. The caller's.
	 * A proxy handshake that starts at the cap still gets
	 * DIAL_HANDSHAKE_GRACE_MS to hear the answer, so that --wait's last
	 * round reports what the proxy says rather than its own deadline.
	 */
	long long cap;
	/* The terminal's prompt for a proxy password: the caller words it after dialer_open. */
	char prompt[PROXY_PROMPT_MAX];
	/*
	 * Who hears DIAL_TRY_AUTH_AGAIN, a notice for the terminal that goes
	 * with the prompt, whichever dial_port caller collects the tries;
	 * NULL: the notify of dial_port. The caller's, as the prompt.
	 */
	dial_notify_fn notice;
	struct proxy_auth auth; /* -P: the password, once fetched, serves every later port */
	struct dial_answer_node *answers;
};

/*
 * Looks up what the dialer connects to: the destination (first_port goes
 * into the query, as netcat's messages name that port when it fails), or
 * with -x the proxy. Returns 0 or a getaddrinfo error (lookup_host and
 * lookup_port say what failed; dialer_close is still due).
 */
int dialer_open(struct dialer *d, const char *host, unsigned first_port, const struct transport *t,
    const struct sock_options *sock, const struct proxy_options *proxy);
void dialer_close(struct dialer *d);

enum dial_status {
	DIAL_CONNECTED, /* *conn is the connection */
	DIAL_FAILED,    /* this port failed (every try told); the next port may do */
	DIAL_FATAL,     /* give up the whole run: *fatal says why (not told) */
	DIAL_STOP,      /* give up the whole run: the last try told why */
};

/* Connects to port, trying each address in turn. */
enum dial_status dial_port(struct dialer *d, unsigned port, dial_notify_fn notify, void *ctx,
    struct conn **conn, struct sock_result *fatal);

/* Between dial.c and dial_via.c, the way through a proxy. */

/* dial_port with -x: connect to the proxy, then the handshake for port. */
enum dial_status dial_via_proxy(struct dialer *d, unsigned port, dial_notify_fn notify, void *ctx,
    struct conn **conn, struct sock_result *fatal);

/*
 * A copy of a that lives until dialer_close; one per distinct answer, since
 * a proxy says the same few things over and over. NULL when out of memory.
 */
const struct dial_answer *dial_answer_keep(struct dialer *d, const struct dial_answer *a);

/* The socket options for one try: -w, shortened so that no try passes the cap. */
struct sock_options dial_sock_options(const struct dialer *d);

#endif
