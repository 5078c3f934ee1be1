/*
 * The inside of a readiness run (mode_ready.c), shared with the round's
 * mechanics (mode_ready_round.c): the targets, their hosts and tries.
 */
#ifndef NC_MODE_READY_ROUND_H
#define NC_MODE_READY_ROUND_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli/cli_options.h"
#include "conn/conn.h"
#include "conn/conn_tls.h"
#include "dial/dial.h"
#include "net/net_resolve.h"
#include "net/net_transport.h"
#include "probe/probe.h"
#include "probe/probe_check.h"

/* A try's limit while waiting or checking when -w does not say (UDP: its probe wait). */
#define READY_TRY_MS 5000

/* What one try of a target found. */
struct ready_try {
	unsigned natt; /* TCP, UDP: addresses tried (in the target's att) */
	int gai;       /* natt 0: why the name did not resolve */
	int err;       /* -U: connect(2)'s errno */
	long long time_us;
	bool checked; /* a check ran: its verdict decides */
	struct check_result check;
	bool cut;   /* the deadline ended it */
	bool tried; /* a prober reported it (not so when a proxy failure stopped the round) */
};

struct rtarget {
	const char *host;
	unsigned port;
	size_t dest;
	bool up;
	unsigned tries;
	long long elapsed_ms;
	unsigned naddrs;             /* room in att for one try */
	struct probe_attempt *att;   /* 2 * naddrs: the shown try's, then this round's */
	struct ready_try shown, cur; /* the try the verdict names; this round's */
	struct check_spec spec;
	char *request; /* malloc'd when per target (--http's Host, UDP's probe) */
	/* This round. */
	bool in_round;
	struct conn *conn;             /* connected, for the check */
	long long conn_start_us;       /* when the try that connected began */
	const struct addrinfo *udp_ai; /* UDP check: the address being tried */
};

/* A host the targets are on, and how it is reached. */
struct rdest {
	const char *host;
	unsigned first_port;
	/* Looks host up, or with -x the proxy (dl.dest is then the proxy's addresses). */
	struct dialer dl;
	bool opened; /* dialer_open was called: dialer_close is due */
	bool resolved;
	int gai;
};

struct ready {
	const struct transport *t;
	struct nc_options o; /* a copy, with the try limit as -w */
	bool extended, check, via_dialer;
	struct conn_tls_config *tls; /* -c: every connection gets TLS before its check */
	const char *check_kind;
	struct rtarget *v;
	size_t n;
	struct rdest *dests;
	size_t ndests;
	char *send;
	size_t send_len;
	regex_t re;
	bool have_re;
	long long start_ms, try_ms;
	int bound_fd; /* -uU -s */
	struct sock_result fatal;
	bool failed;       /* fatal holds why */
	size_t unix_fatal; /* + 1: the path whose error no retry mends */
	size_t *todo;
	unsigned short *ports;
	const struct destination **pdests;
};

/* Closes the dialers. */
void ready_close_dests(struct ready *r);

/* Looks up every host not resolved yet: a service still starting may not be in DNS yet. */
void ready_resolve(struct ready *r);

/*
 * Connects to every target of the round (in_round), all at once where the
 * transport allows; with a check, keeps the connections for it. False on an
 * error that ends the run (r->fatal, or r->unix_fatal).
 */
bool ready_connect_round(struct ready *r, long long deadline);

/* Runs the round's checks together; with UDP, address after address. False: r->fatal. */
bool ready_checks_round(struct ready *r, long long deadline);

#endif
