/* What the certificate check (-z -c, --wait -c) shows: per port, as -z does. */
#ifndef NC_REPORT_TLS_CHECK_H
#define NC_REPORT_TLS_CHECK_H

#include <stdbool.h>

#include "conn/conn_tls.h"
#include "report/report_scan.h"
#include "report/report_target.h"

/* One port's latest try. */
struct tls_check {
	unsigned port;
	bool tried;        /* an address was tried: addr, err, timer, time_us say how */
	char addr[64];     /* the numeric address that decided it */
	bool connected;    /* TCP connected, so the handshake ran: res */
	int err;           /* the connect's errno when not connected */
	bool timer;        /* -w (or the --wait deadline) ended the connect */
	long long time_us; /* connect and handshake */
	struct conn_tls_result res;
};

/* True when the check passed: a handshake, verified, every check after it good. */
bool tls_check_ok(const struct tls_check *c);

/* The reason a port failed, as --json's reason and --wait's lines give it. */
void tls_check_reason(const struct tls_check *c, char *buf, size_t len);

/*
 * A port's outcome when it is known (the human lines come as it goes:
 * report_tls_handshake): with --json its object, the -z object with "tls".
 */
void report_tls_check_json(const struct probe_target *t, const struct tls_check *c);

/*
 * --wait: a port's verdict at the end (waited_ms, next_ms < 0) or a
 * round's line (-v) for a port still down. A port that is up gets the -v
 * lines of a connection (name: -e) and its TLS report.
 */
void report_tls_check_wait(const struct probe_target *t, const struct tls_check *c,
			   const char *name, long long next_ms);

#endif
