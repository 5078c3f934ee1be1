/* How -z results are shown: the netcat lines on stderr, or JSON Lines on stdout. */
#ifndef NC_REPORT_SCAN_H
#define NC_REPORT_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "dial/dial_proxy.h"
#include "probe/probe.h"

struct probe_target {
	const char *host;    /* as the user wrote it */
	const char *proto;   /* "tcp", "udp" */
	bool numeric;        /* -n: no service names */
	bool json;           /* --json */
};

/* Output of a scan of nports is about to start / has reached a pause / is over. */
void report_scan_begin(size_t nports);
void report_scan_flush(void);
void report_scan_end(void);

/* One port's outcome: each try's line (-v), or one JSON object for the deciding try. */
void report_probe(const struct probe_target *t, const struct port_probe *p);

/* Room for any try's reason: a proxy's reply line, escaped, and some words. */
#define REPORT_REASON_MAX (HTTP_LINE_MAX * 4 + 64)

/*
 * Why a try did not open: the system's text or the ICMP message, or
 * through a proxy (-x) the proxy's answer for host and port, or the proxy
 * out of reach. False (buf untouched) when there is none: open.
 */
bool report_attempt_reason(const char *host, unsigned port, const struct probe_attempt *a,
    char *buf, size_t len);

/* The numeric text of ai's address (the last few are kept, so a long scan formats each once). */
const char *report_addr_text(const struct addrinfo *ai);

/* --json when the destination could not be looked up: an "error" object for port. */
void report_probe_unresolved(const struct probe_target *t, unsigned port, int gai_error);

#endif
