/* What the certificate check (-z -c, --wait -c) shows: per port, as -z does. */
#ifndef NC_REPORT_TLS_CHECK_H
#define NC_REPORT_TLS_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "conn/conn_tls.h"
#include "dial/dial.h"

/* The destination and how results are shown. */
struct tls_check_target {
	const char *host; /* as the user wrote it */
	const char *name; /* -e, or NULL */
	bool numeric;     /* -n: no service names */
	bool json;        /* --json */
	long long waited_ms; /* --wait's length, for the verdict; -1: no --wait */
};

/* One port's latest try. */
struct tls_check {
	unsigned port;
	int gai;           /* the name did not resolve (nothing tried): getaddrinfo's error */
	bool tried;        /* an address was tried: the fields below say how */
	char addr[64];     /* the numeric address that decided it; "" through a proxy */
	enum dial_try_status status;
	int err;                          /* FAILED, TIMED_OUT: connect(2)'s errno */
	const struct dial_answer *answer; /* PROXY: the proxy's answer (the dialer keeps it) */
	bool connected;                   /* the handshake ran: res */
	long long time_us;                /* connect and handshake */
	struct conn_tls_result res;
};

/* True when the check passed: a handshake, verified, every check after it good. */
bool tls_check_ok(const struct tls_check *c);

/* The reason a port failed, as --json's reason and --wait's lines give it. */
void tls_check_reason(
    const struct tls_check_target *t, const struct tls_check *c, char *buf, size_t len);

/* --json: the -z object of a port with its "tls" member. */
void report_tls_check_json(const struct tls_check_target *t, const struct tls_check *c);

/*
 * --wait: a round's line (-v, next_ms >= 0) for a port still down, or at
 * the end the port's verdict (next_ms < 0): its JSON object; its
 * connection line (-v) and TLS report when it passed; else, always, that
 * the wait ran out and why.
 */
void report_tls_check_wait(
    const struct tls_check_target *t, const struct tls_check *c, long long next_ms);

#endif
