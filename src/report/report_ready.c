/* The lines and JSON objects of --wait, readiness checks and HOST:PORT targets. */
#include "report/report_ready.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "report/report.h"
#include "report/report_check.h"
#include "report/report_json.h"
#include "report/report_scan.h"
#include "report/report_text.h"

void
report_ready_begin(size_t n)
{
	report_scan_begin(n);
}

void
report_ready_end(void)
{
	report_scan_end();
}

void
report_seconds_text(long long ms, char *buf, size_t len)
{
	if (ms % 1000 == 0) {
		snprintf(buf, len, "%lld", ms / 1000);
		return;
	}
	snprintf(buf, len, "%lld.%03lld", ms / 1000, ms % 1000);
	char *end = buf + strlen(buf);
	while (end[-1] == '0')
		*--end = '\0';
}

/* The JSON "proto" of a Unix-domain socket type. */
static const char *
unix_proto(int type)
{
	return type == SOCK_DGRAM ? "dgram" : type == SOCK_SEQPACKET ? "seqpacket" : "stream";
}

/* A missing file and a socket nobody listens on are closed; a full backlog timed out. */
static enum probe_state
unix_state(int err)
{
	switch (err) {
	case 0:
		return PROBE_OPEN;
	case ENOENT:
	case ECONNREFUSED:
		return PROBE_CLOSED;
	case ETIMEDOUT:
		return PROBE_TIMEOUT;
	default:
		return PROBE_ERROR;
	}
}

static const struct probe_attempt *
last_attempt(const struct ready_view *v)
{
	return v->natt > 0 ? &v->att[v->natt - 1] : NULL;
}

/* Why address k of the try (the last one: the try) is down, or NULL when it is up. */
static const char *
why_down(const struct ready_view *v, unsigned k, char *buf, size_t len)
{
	bool last = v->proto == NULL || k + 1 >= v->natt;

	if (last && v->check != NULL) {
		if (v->check->up)
			return NULL;
		check_describe(v->check, v->spec, buf, len);
		return buf;
	}
	if (v->proto == NULL) {
		if (v->err == 0)
			return NULL;
		snprintf(buf, len, "%s", strerror(v->err));
		return buf;
	}
	if (v->natt == 0) {
		/* gai 0: a proxy that failed for every port ended the round before this one. */
		snprintf(buf, len, "%s", v->gai != 0 ? gai_strerror(v->gai) : "not tried");
		return buf;
	}
	const struct probe_attempt *a = &v->att[k];
	bool udp = strcmp(v->proto, "udp") == 0;
	/* For UDP only a reply is up: silence could be a probe lost on the way. */
	if (udp ? a->state == PROBE_OPEN : probe_is_open(a->state))
		return NULL;
	if (!report_attempt_reason(v->host, v->port, a, buf, len))
		snprintf(buf, len, "%s", json_state_name(a->state));
	return buf;
}

/* "HOST (ADDR) port P (tcp)", "PATH (stream)": what a line is about. */
static void
subject(const struct ready_view *v, unsigned k, char *buf, size_t len)
{
	char name[2048];

	if (v->proto == NULL) {
		snprintf(buf, len, "%s (%s)", v->host, unix_proto(v->unix_type));
		return;
	}
	if (v->natt == 0) {
		snprintf(buf, len, "%s port %u (%s)", v->host, v->port, v->proto);
		return;
	}
	/* Through a proxy the destination's address is the proxy's business: none. */
	struct target tg = {.host = v->host,
	    .addr = v->att[k].via_proxy ? NULL : report_addr_text(v->att[k].ai),
	    .port = v->port,
	    .proto = v->proto};
	report_target_name(&tg, name, sizeof(name));
	snprintf(buf, len, "%s port %u (%s)", name, v->port, v->proto);
}

/*
 * The lines about what is down: after a round (next_ms >= 0) the next
 * try's delay; else that the wait of waited_ms ran out, or, for a single
 * try (waited_ms < 0), that it is not up. One per address tried.
 */
static void
down_lines(const struct ready_view *v, long long next_ms, long long waited_ms)
{
	unsigned n = v->proto == NULL || v->natt == 0 ? 1 : v->natt;
	char subj[2200], why[REPORT_REASON_MAX], secs[32];

	for (unsigned k = 0; k < n; k++) {
		if (why_down(v, k, why, sizeof(why)) == NULL)
			continue;
		subject(v, k, subj, sizeof(subj));
		if (next_ms >= 0) {
			report_seconds_text(next_ms, secs, sizeof(secs));
			report_say("%s still down: %s; next try in %s s", subj, why, secs);
		} else if (waited_ms >= 0) {
			report_seconds_text(waited_ms, secs, sizeof(secs));
			report_say("%s not up after %s s: %s", subj, secs, why);
		} else {
			report_say("%s not up: %s", subj, why);
		}
	}
}

void
report_ready_up(const struct ready_view *v)
{
	const struct probe_attempt *a = last_attempt(v);
	char verdict[512], name[2048];

	if (report_json_enabled() || !report_verbose())
		return;
	if (v->check != NULL)
		check_describe(v->check, v->spec, verdict, sizeof(verdict));
	if (v->proto == NULL) {
		if (v->check == NULL)
			report_unix_connected(v->host);
		else
			report_line(NULL, "Connection to %s succeeded: %s", v->host, verdict);
		return;
	}
	struct target tg = {.host = v->host,
	    .addr = a->via_proxy ? NULL : report_addr_text(a->ai),
	    .port = v->port,
	    .proto = v->proto};
	const char *service = v->numeric ? "*" : service_name(v->port, v->proto);
	if (v->check != NULL) {
		report_target_name(&tg, name, sizeof(name));
		report_line(NULL, "Connection to %s %u port [%s/%s] succeeded: %s", name, v->port,
		    v->proto, service, verdict);
	} else if (strcmp(v->proto, "udp") == 0) {
		report_udp_probe(&tg, service, a, false);
	} else {
		report_connected(&tg, service);
	}
}

/* The JSON "state" of v's try. */
static const char *
json_state(const struct ready_view *v)
{
	const struct check_result *c = v->check;

	if (c != NULL && !c->up) {
		if (c->why == CHECK_IO_ERROR)
			return json_state_name(probe_state_for_errno(c->err));
		/* UDP: no datagram back is silence, as without a check. */
		if (c->why == CHECK_TIMED_OUT && c->bytes == 0 && v->proto != NULL &&
		    strcmp(v->proto, "udp") == 0)
			return json_state_name(PROBE_OPEN_FILTERED);
		return "unready"; /* connected, but it did not answer as asked */
	}
	if (v->proto == NULL)
		return json_state_name(unix_state(v->err));
	if (v->natt == 0)
		return json_state_name(PROBE_ERROR);
	return json_state_name(last_attempt(v)->state);
}

static void
json_object(const struct ready_view *v, const char *event)
{
	const struct probe_attempt *a = last_attempt(v);
	/* Through a proxy the destination's address is the proxy's business: null. */
	bool direct = a != NULL && !a->via_proxy;
	char why[REPORT_REASON_MAX];
	bool unix_path = v->proto == NULL;
	unsigned last = v->natt > 0 ? v->natt - 1 : 0;
	const char *reason = why_down(v, last, why, sizeof(why));
	struct json_ready j = {
	    .event = event,
	    .try_no = v->tries,
	    .host = v->host,
	    .address = unix_path ? v->host :
	        direct           ? report_addr_text(a->ai) :
	                           NULL,
	    .family = unix_path ? AF_UNIX :
	        direct          ? a->ai->ai_family :
	                          0,
	    .proto = unix_path ? unix_proto(v->unix_type) : v->proto,
	    .port = unix_path ? -1 : (int)v->port,
	    .service = unix_path || v->numeric ? NULL : json_service(v->port, v->proto),
	    .state = json_state(v),
	    .reason = reason,
	    .time_us = v->time_us,
	    .extended = v->extended,
	    .check = v->check_kind,
	    .http_status = v->check != NULL ? v->check->http_code : 0,
	    .tries = v->tries,
	    .elapsed_ms = v->elapsed_ms,
	    .up = v->up,
	};
	/* "up" decides the exit status: a silent UDP port is not up even though open|filtered. */
	if (v->up)
		j.reason = NULL;
	report_json_ready(stdout, &j);
}

void
report_ready_try(const struct ready_view *v)
{
	if (report_json_enabled() && report_verbosity() >= 2)
		json_object(v, "try");
}

void
report_ready_round(const struct ready_view *v, long long next_ms)
{
	if (report_json_enabled() || !report_verbose())
		return;
	down_lines(v, next_ms, -1);
}

void
report_ready_verdict(const struct ready_view *v, long long waited_ms)
{
	if (report_json_enabled()) {
		json_object(v, NULL);
		return;
	}
	if (v->up)
		return;
	/* netcat's own line for a Unix socket that a single -z try found down. */
	if (v->proto == NULL && waited_ms < 0 && v->check == NULL) {
		report_errno(v->host, v->err);
		return;
	}
	down_lines(v, -1, waited_ms);
}

void
report_operand_error(const struct operand_error *e)
{
	switch (e->status) {
	case OPERAND_OK:
		break;
	case OPERAND_MISSING_PORT:
		report_say("missing port number: %s", e->operand);
		break;
	case OPERAND_MISSING_HOST:
		report_say("missing host name: %s", e->operand);
		break;
	case OPERAND_BAD_BRACKET:
		report_say("invalid destination: %s", e->operand);
		break;
	case OPERAND_UNBRACKETED_V6:
		report_say("IPv6 address needs brackets before a port: %s", e->operand);
		break;
	case OPERAND_MIXED:
		report_say("HOST:PORT operands and a port list cannot be mixed: %s", e->operand);
		break;
	case OPERAND_BAD_PORT:
		report_port_error(&e->port);
		break;
	case OPERAND_NO_MEMORY:
		report_errno(NULL, ENOMEM);
		break;
	}
}

void
report_escape_error(const struct escape_error *e)
{
	switch (e->status) {
	case ESCAPE_OK:
		break;
	case ESCAPE_UNTERMINATED:
		report_say("--send: unterminated escape at the end");
		break;
	case ESCAPE_NO_HEX:
		report_say("--send: \\x without hex digits");
		break;
	case ESCAPE_UNKNOWN:
		report_say("--send: unknown escape %.*s", e->text_len, e->text);
		break;
	case ESCAPE_OCTAL_RANGE:
		report_say("--send: escape out of range: %.*s", e->text_len, e->text);
		break;
	}
}

void
report_expect_error(const char *regerror_text)
{
	report_say("--expect: %s", regerror_text);
}

void
report_http_path_error(const char *path, bool separate)
{
	if (separate)
		report_say("--http takes its path as --http=PATH: %s", path);
	else
		report_say("--http: invalid path: %s", path);
}
