/*
 * The certificate check's output: netcat's -z lines and OpenBSD's TLS
 * report for people, the -z JSON object with a "tls" member for programs,
 * --wait's lines for what is still down.
 */
#include "report/report_tls_check.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "net/net_resolve.h"
#include "report/report.h"
#include "report/report_json.h"
#include "report/report_tls.h"

bool
tls_check_ok(const struct tls_check *c)
{
	return c->connected && c->res.status == CONN_TLS_OK && c->res.facts.done;
}

void
tls_check_reason(const struct tls_check *c, char *buf, size_t len)
{
	if (!c->tried)
		snprintf(buf, len, "not tried");
	else if (!c->connected)
		snprintf(buf, len, "%s", strerror(c->timer ? ETIMEDOUT : c->err));
	else
		report_tls_failure_text(buf, len, &c->res);
}

/* What the port's try comes to: open only when the check passed. */
static enum probe_state
check_state(const struct tls_check *c)
{
	if (tls_check_ok(c))
		return PROBE_OPEN;
	if (c->connected)
		return PROBE_ERROR;
	return c->timer ? PROBE_TIMEOUT : probe_state_for_errno(c->err);
}

void
report_tls_check_json(const struct probe_target *t, const struct tls_check *c)
{
	char tls[8192], why[1024];
	bool ok = tls_check_ok(c);

	if (c->connected)
		report_json_tls(tls, sizeof(tls), &c->res, time(NULL));
	else
		snprintf(tls, sizeof(tls), "null");
	if (!ok)
		tls_check_reason(c, why, sizeof(why));
	report_json_probe_with(stdout, t->host, c->tried ? c->addr : NULL,
	    strchr(c->addr, ':') != NULL ? AF_INET6 : AF_INET, t->proto, c->port,
	    t->numeric ? NULL : json_service(c->port, t->proto), check_state(c), ok ? NULL : why,
	    c->time_us, "tls", tls);
	fflush(stdout);
}

void
report_tls_check_wait(const struct probe_target *t, const struct tls_check *c, const char *name,
		      long long next_ms)
{
	struct target tg = {.host = t->host, .addr = c->addr, .port = c->port, .proto = t->proto};
	char subject[2200], target[2048], why[1024];

	if (next_ms >= 0 && (t->json || !report_verbose()))
		return;
	if (next_ms < 0 && t->json) {
		report_tls_check_json(t, c);
		return;
	}
	if (next_ms < 0 && tls_check_ok(c)) {
		report_connected(&tg, t->numeric ? "*" : service_name(c->port, t->proto));
		report_tls_handshake(&c->res, t->host, name);
		return;
	}
	if (c->tried)
		report_target_name(&tg, target, sizeof(target));
	else
		snprintf(target, sizeof(target), "%s", t->host);
	snprintf(subject, sizeof(subject), "%s port %u (%s)", target, c->port, t->proto);
	tls_check_reason(c, why, sizeof(why));
	report_wait_line(subject, why, next_ms, t->waited_ms);
}
