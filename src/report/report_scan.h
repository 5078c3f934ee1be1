/* How -z results are shown: the netcat lines on stderr, or JSON Lines on stdout. */
#ifndef NC_REPORT_SCAN_H
#define NC_REPORT_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "probe/probe.h"

struct probe_target {
	const char *host;    /* as the user wrote it */
	const char *proto;   /* "tcp", "udp" */
	bool numeric;        /* -n: no service names */
	bool json;           /* --json */
	long long waited_ms; /* --wait's verdict after waiting this long; -1: not one */
};

/* Output of a scan of nports is about to start / has reached a pause / is over. */
void report_scan_begin(size_t nports);
void report_scan_flush(void);
void report_scan_end(void);

/*
 * One port's outcome: each try's line (-v), or one JSON object for the
 * deciding try. As --wait's verdict, a port that is not up gets a line that
 * says the wait ran out, whatever -v says.
 */
void report_probe(const struct probe_target *t, const struct port_probe *p);

/*
 * --wait -v, after a round that left port p down: a line for each address
 * tried, naming why, and that the next try comes in next_ms. Nothing with
 * --json.
 */
void report_wait_round(const struct probe_target *t, const struct port_probe *p, long long next_ms);

/*
 * --wait when the host name did not resolve (gai_error): after a round as
 * report_wait_round() (next_ms >= 0), or as the verdict for port (next_ms < 0),
 * also as a JSON object.
 */
void report_wait_unresolved(const struct probe_target *t, unsigned port, int gai_error,
			    long long next_ms);

/* --json when the destination could not be looked up: an "error" object for port. */
void report_probe_unresolved(const struct probe_target *t, unsigned port, int gai_error);

/*
 * A Unix-domain probe's outcome (-U -z, --wait) for path, with a socket of
 * type: err 0 is success, shown with -v; a failure is always shown, as
 * netcat does, or one JSON object on stdout. waited_ms >= 0: --wait ran out
 * after that long, and the failure line says so.
 */
void report_unix_probe(const char *path, int type, bool json, int err, long long time_us,
		       long long waited_ms);

/* --wait -v on a Unix socket: path is still down (err), next try in next_ms. */
void report_unix_wait_round(const char *path, int type, bool json, int err, long long next_ms);

#endif
