/*
 * What a -z probe found, as every prober (TCP now, UDP later) hands it to the
 * reporter: one struct port_probe per port, released in the order a
 * one-at-a-time scan would have finished them.
 */
#ifndef NC_PROBE_H
#define NC_PROBE_H

#include <netdb.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli/cli_options.h"
#include "net/net_resolve.h"

enum probe_state {
	PROBE_OPEN,
	PROBE_CLOSED,
	PROBE_FILTERED,
	PROBE_OPEN_FILTERED, /* UDP: no answer, which netcat counts as success */
	PROBE_TIMEOUT,
	PROBE_ERROR,
};

struct dial_answer;
struct dialer;

/* One try of one address of a port. */
struct probe_attempt {
	/*
	 * The address tried; its port field is not meaningful, except through
	 * a proxy, where this is the proxy's address and port.
	 */
	const struct addrinfo *ai;
	enum probe_state state;
	int err;     /* errno that decided it; 0 when open */
	bool timer;  /* our -w (or --wait) deadline ended it, not the kernel */
	short icmp_type, icmp_code; /* -1 unless an ICMP message decided it */
	long long time_us;          /* from the start of this try to its end */
	/* UDP only: the evidence -vv shows. */
	bool icmp6;       /* icmp_type and icmp_code are ICMPv6 values */
	int probes;       /* datagrams sent */
	size_t reply_len; /* open: the reply's size */
	/* Through a proxy (-x, probe_dial): */
	bool via_proxy;
	const char *proxy_host; /* a try that did not reach the proxy: the proxy as given */
	const char *proxy_port; /* and its port as given */
	const struct dial_answer *answer; /* the proxy gave no tunnel: why (the dialer keeps it) */
};

/* One port's outcome: the addresses tried in order; the last one decided. */
struct port_probe {
	unsigned port;
	unsigned nattempts;
	const struct probe_attempt *attempts;
	bool complete; /* false: a fatal error cut the port short */
};

/* Receives each port's outcome, in the order of the port list. */
typedef void (*probe_sink)(size_t index, const struct port_probe *p, void *ctx);

struct conn;

/*
 * Takes the connection of the port at index, which a try found open: from
 * now on c is the caller's (a readiness check runs on it), not closed by
 * the prober. a is that try.
 */
typedef void (*probe_keep_fn)(size_t index, struct conn *c, const struct probe_attempt *a,
    void *ctx);

/* What a prober is asked to do. */
struct scan_plan {
	const struct destination *d; /* where every port is, unless dests says */
	/* NULL, or count entries: the destination of each port (several hosts at once). */
	const struct destination *const *dests;
	const unsigned short *ports;
	size_t count;
	const struct sock_options *sock; /* how sockets are made; -w in timeout_ms */
	long long interval_ms;            /* -i: pause between ports of a one-at-a-time scan */
	bool one_at_a_time;               /* -i given, even -i 0 */
	long long cap_ms; /* now_ms() time that no try may run past (--wait); -1: none */
	bool parallel;    /* false: one port after another, with -i between them */
	/* Called when the engine is about to block, so that released output streams. */
	void (*idle)(void *ctx);
	/* NULL: an open port's connection is closed at once. TCP (also through -x). */
	probe_keep_fn keep;
	/* -x: every try goes through this dialer (probe_dial); d is the proxy's addresses. */
	struct dialer *dialer;
};

/* The destination of the port at index i. */
static inline const struct destination *
plan_dest(const struct scan_plan *p, size_t i)
{
	return p->dests != NULL ? p->dests[i] : p->d;
}

/* The most addresses any port of the plan has. */
unsigned plan_max_addrs(const struct scan_plan *p);

/*
 * Hands the connected socket fd of the try a (port index i, found open) to
 * p->keep as a connection; without memory for one, a fails with ENOMEM.
 */
void plan_keep(const struct scan_plan *p, size_t i, int fd, struct probe_attempt *a, void *ctx);

/*
 * Raises the soft RLIMIT_NOFILE toward the hard one and returns how many
 * sockets may be in flight at once. Every prober keeps under it.
 */
size_t probe_fd_budget(void);

/* The state a connect(2) error stands for (0: open). */
enum probe_state probe_state_for_errno(int err);

static inline bool
probe_is_open(enum probe_state s)
{
	return s == PROBE_OPEN || s == PROBE_OPEN_FILTERED;
}

#endif
