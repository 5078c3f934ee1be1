/* The data path every connector shares: stdin -> socket, socket -> stdout. */
#ifndef NC_RELAY_H
#define NC_RELAY_H

#include <stdbool.h>

#include "cli/cli_options.h"

struct relay_config {
	int net_fd;
	int in_fd;  /* usually 0 */
	int out_fd; /* usually 1 */
	bool no_stdin;        /* -d */
	bool shutdown_on_eof; /* -N (and -q >= 0) */
	long long quit_ms;    /* -q: quit this long after stdin EOF; < 0 never */
	long long idle_ms;    /* -w: end the session after this long idle; < 0 never */
	long long recv_limit; /* -W: stop after this many network reads; 0 none */
	bool crlf;            /* -C */
	long long line_interval_ms; /* -i: pause before each line sent */
	bool datagram;        /* keep message boundaries: one read, one send; no half-close */
	/*
	 * Listen mode: the peer's EOF ends the session once stdout has it all,
	 * whatever stdin does (netcat-openbsd). Otherwise it is a half-close.
	 */
	bool net_eof_ends;
};

enum relay_status { RELAY_DONE, RELAY_ERROR };

struct relay_result {
	enum relay_status status;
	const char *op; /* "read" or "write" */
	int err;
};

/* Fills a relay_config from the options, for net_fd and stdin/stdout. */
void relay_config_from(struct relay_config *c, int net_fd, const struct nc_options *o);

/*
 * Moves data until the session ends. Whatever was read from one side has been
 * written to the other when this returns RELAY_DONE.
 */
struct relay_result relay_run(const struct relay_config *c);

/* relay_run, with a failure reported; returns the exit status (0 or 1). */
int relay_session(const struct relay_config *c);

/*
 * The poll(2) timeout for a deadline (< 0: none) and the -w idle limit
 * (< 0: none); *idle says whether a timeout means "idle for too long".
 */
int relay_poll_timeout(long long deadline, long long idle_ms, bool *idle);

#endif
