/* The dialer's tries, told as netcat-openbsd tells them. */
#include "report/report_dial.h"

#include "net/net_resolve.h"
#include "probe/probe_dial.h"
#include "report/report.h"
#include "report/report_json.h"
#include "report/report_proxy.h"
#include "report/report_text.h"

static void
report_answer(const struct target *t, const struct dial_answer *a)
{
	char text[HTTP_LINE_MAX * 4 + 64];

	report_answer_text(a, t->host, t->port, text, sizeof(text));
	if (report_json_enabled())
		report_json_connect_refused(t, probe_state_for_answer(a), text);
	else
		report_say("%s", text);
}

void
report_dial_try(const struct dial_try *dt, bool numeric)
{
	struct target t = {.host = dt->host,
	    .addr = dt->addr,
	    .port = dt->port,
	    .port_text = dt->port_text,
	    .proto = dt->proto};

	switch (dt->status) {
	case DIAL_TRY_CONNECTED:
		report_connected(&t, numeric ? "*" : service_name(dt->port, dt->proto));
		break;
	case DIAL_TRY_TIMED_OUT:
		report_connect_timed_out(&t);
		break;
	case DIAL_TRY_FAILED:
		report_connect_failed(&t, dt->err);
		break;
	case DIAL_TRY_PROXY:
		report_answer(&t, dt->answer);
		break;
	case DIAL_TRY_AUTH_AGAIN:
		/* netcat-openbsd's own line has no "nc: ": a notice, and a prompt follows. */
		report_line(NULL, "Proxy authentication failed");
		break;
	}
}

void
report_dial_lookup_failed(const struct dialer *d, int gai)
{
	report_resolve_failed(d->lookup_host, d->lookup_port, gai);
}

void
report_fdpass_tty(void)
{
	report_say("Cannot pass file descriptor to tty");
}
