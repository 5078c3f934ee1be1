/*
 * The certificate check's output: netcat's -z lines and OpenBSD's TLS
 * report for people, the -z JSON object with a "tls" member for programs,
 * --wait's lines for what is still down.
 */
#include "report/report_tls_check.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "net/net_resolve.h"
#include "probe/probe_dial.h"
#include "report/report.h"
#include "report/report_json.h"
#include "report/report_proxy.h"
#include "report/report_ready.h"
#include "report/report_scan.h"
#include "report/report_tls.h"

bool
tls_check_ok(const struct tls_check *c)
{
	return c->connected && c->res.status == CONN_TLS_OK && c->res.facts.done;
}

void
tls_check_reason(const struct tls_check_target *t, const struct tls_check *c, char *buf,
    size_t len)
{
	if (c->gai != 0)
		snprintf(buf, len, "%s", gai_strerror(c->gai));
	else if (!c->tried)
		snprintf(buf, len, "not tried");
	else if (c->connected)
		report_tls_failure_text(buf, len, &c->res);
	else if (c->status == DIAL_TRY_PROXY && c->answer != NULL)
		report_answer_text(c->answer, t->host, c->port, buf, len);
	else
		snprintf(buf, len, "%s",
		    strerror(c->status == DIAL_TRY_TIMED_OUT ? ETIMEDOUT : c->err));
}

/* What the port's try comes to: open only when the check passed. */
static enum probe_state
check_state(const struct tls_check *c)
{
	if (tls_check_ok(c))
		return PROBE_OPEN;
	if (c->connected || !c->tried)
		return PROBE_ERROR;
	if (c->status == DIAL_TRY_PROXY && c->answer != NULL)
		return probe_state_for_answer(c->answer);
	return c->status == DIAL_TRY_TIMED_OUT ? PROBE_TIMEOUT : probe_state_for_errno(c->err);
}

void
report_tls_check_json(const struct tls_check_target *t, const struct tls_check *c)
{
	char tls[8192], why[REPORT_REASON_MAX];
	bool ok = tls_check_ok(c);

	if (c->connected)
		report_json_tls(tls, sizeof(tls), &c->res, time(NULL));
	else
		snprintf(tls, sizeof(tls), "null");
	if (!ok)
		tls_check_reason(t, c, why, sizeof(why));
	report_json_ready(stdout, &(struct json_ready){.host = t->host,
	    .address = c->addr[0] != '\0' ? c->addr : NULL,
	    .family = c->addr[0] == '\0' ? 0 : strchr(c->addr, ':') != NULL ? AF_INET6 : AF_INET,
	    .proto = "tcp",
	    .port = (int)c->port,
	    .service = t->numeric ? NULL : json_service(c->port, "tcp"),
	    .state = json_state_name(check_state(c)),
	    .reason = ok ? NULL : why,
	    .time_us = c->time_us,
	    .tls = tls});
	fflush(stdout);
}

void
report_tls_check_wait(const struct tls_check_target *t, const struct tls_check *c, long long next_ms)
{
	struct target tg = {
	    .host = t->host, .addr = c->addr[0] != '\0' ? c->addr : NULL, .port = c->port, .proto = "tcp"};
	char name[2048], why[REPORT_REASON_MAX], secs[32];

	if (next_ms >= 0 && (t->json || !report_verbose()))
		return;
	if (next_ms < 0 && t->json) {
		report_tls_check_json(t, c);
		return;
	}
	if (next_ms < 0 && tls_check_ok(c)) {
		report_connected(&tg, t->numeric ? "*" : service_name(c->port, "tcp"));
		report_tls_handshake(&c->res, t->host, t->name);
		return;
	}
	report_target_name(&tg, name, sizeof(name));
	tls_check_reason(t, c, why, sizeof(why));
	if (next_ms >= 0) {
		report_seconds_text(next_ms, secs, sizeof(secs));
		report_say("%s port %u (tcp) still down: %s; next try in %s s", name, c->port, why, secs);
	} else {
		report_seconds_text(t->waited_ms, secs, sizeof(secs));
		report_say("%s port %u (tcp) not up after %s s: %s", name, c->port, secs, why);
	}
}
