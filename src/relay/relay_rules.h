/*
 * The session rules that both relay paths follow (relay.c through a
 * buffer, relay_splice.c inside the kernel): what ends a session, and what
 * came of it.
 */
#ifndef NC_RELAY_RULES_H
#define NC_RELAY_RULES_H

#include <stdbool.h>

#include "conn/conn.h"

struct relay_config {
	struct conn *net; /* the connection; its datagram flag keeps message boundaries */
	int in_fd;        /* usually 0 */
	int out_fd;       /* usually 1 */
	bool no_stdin;        /* -d, or nobody to send to */
	bool shutdown_on_eof; /* -N (and -q >= 0) */
	long long quit_ms;    /* -q: quit this long after stdin EOF; < 0 never */
	long long idle_ms;    /* -w: end the session after this long idle; < 0 never */
	long long recv_limit; /* -W: stop after this many network reads; 0 none */
	bool crlf;            /* -C */
	long long line_interval_ms; /* -i: pause before each line sent */
	/*
	 * Listen mode: the peer's EOF ends the session once stdout has it all,
	 * whatever stdin does (netcat-openbsd). Otherwise it is a half-close.
	 */
	bool net_eof_ends;
};

enum relay_status { RELAY_DONE, RELAY_ERROR };

struct relay_result {
	enum relay_status status;
	const char *op; /* "read", "write", "poll", "malloc" */
	int err;
};

/*
 * The poll(2) timeout for a deadline (< 0: none) and the -w idle limit
 * (< 0: none); *idle says whether a timeout means "idle for too long".
 */
int relay_poll_timeout(long long deadline, long long idle_ms, bool *idle);

#endif
