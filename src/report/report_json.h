/* The reporter's JSON Lines output (--json). */
#ifndef NC_REPORT_JSON_H
#define NC_REPORT_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "probe/probe.h"
#include "report/report_target.h"

/*
 * Writes src (srclen bytes) as the inside of a JSON string into dst, always
 * NUL-terminated when dstlen > 0 and never cutting an escape in half.
 * Invalid UTF-8 becomes U+FFFD. Returns the length the whole text needs
 * (without the NUL), like snprintf. Pure.
 */
size_t json_escape(char *dst, size_t dstlen, const char *src, size_t srclen);

/* The "state" word for s. */
const char *json_state_name(enum probe_state s);

void report_json_enable(bool on);
bool report_json_enabled(void);

/* The service name of port for JSON (NULL: none); a table once many ports are asked. */
const char *json_service(unsigned port, const char *proto);

/* One -z result object, a line on out. a NULL: nothing was tried (reason says why). */
void report_json_probe(FILE *out, const char *host, const char *addr, int family,
		       const char *proto, unsigned port, const char *service,
		       enum probe_state state, const char *reason, long long time_us);

/*
 * A --wait or readiness object: the -z object's fields, and with extended
 * those of the check and the wait. With event ("try", -vv) it stands for
 * one try, numbered try_no.
 */
struct json_ready {
	const char *event;
	unsigned try_no;
	const char *host, *address;
	int family; /* AF_*, 0: null */
	const char *proto;
	int port; /* -1: null (a Unix path) */
	const char *service, *state, *reason;
	long long time_us;
	bool extended;
	const char *check; /* NULL, "reply", "expect", "http" */
	int http_status;   /* 0: null */
	unsigned tries;
	long long elapsed_ms;
	bool up;
	const char *tls; /* -c's facts: raw JSON for a "tls" member (an object, null); NULL: none */
};
void report_json_ready(FILE *out, const struct json_ready *r);

/* Connection events outside -z, on stderr in place of the human lines. */
void report_json_connect(const struct target *t, const char *service, int err, bool timer);
/* A connect that failed for a reason that is no errno value (a proxy's answer). */
void report_json_connect_refused(const struct target *t, enum probe_state state, const char *reason);
/* A listener event ("bound", "listening", "received"); port null for a Unix path. */
void report_json_event(const char *event, const struct endpoint *e);

#endif
