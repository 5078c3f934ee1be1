/* The reporter for -z results; the lines themselves come from report.c and report_json.c. */
#include "report/report_scan.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "report/report.h"
#include "report/report_json.h"
#include "report/report_proxy.h"
#include "report/report_text.h"
#include "net/net_resolve.h"

/* Big scans write their lines in blocks, flushed whenever the scanner waits. */
#define BUFFER_FROM 64
static char err_buf[65536];
static bool buffered;

void
report_scan_begin(size_t nports)
{
	/* Keep the services database open: one name per port reported. */
	setservent(1);
	if (nports < BUFFER_FROM)
		return;
	fflush(stderr);
	buffered = setvbuf(stderr, err_buf, _IOFBF, sizeof(err_buf)) == 0;
}

void
report_scan_flush(void)
{
	fflush(stdout);
	if (buffered)
		fflush(stderr);
}

void
report_scan_end(void)
{
	endservent();
	fflush(stdout);
	if (buffered) {
		fflush(stderr);
		setvbuf(stderr, NULL, _IONBF, 0);
		buffered = false;
	}
}

const char *
report_addr_text(const struct addrinfo *ai)
{
	static struct {
		const struct addrinfo *ai;
		char text[ADDR_TEXT_MAX];
	} cache[4];
	static unsigned next;

	for (unsigned k = 0; k < 4; k++)
		if (cache[k].ai == ai && ai != NULL)
			return cache[k].text;
	unsigned k = next++ % 4;
	cache[k].ai = ai;
	addr_numeric(ai->ai_addr, ai->ai_addrlen, cache[k].text, sizeof(cache[k].text), NULL);
	return cache[k].text;
}

/*
 * Why a try through a proxy (-x) did not open, for the line and for JSON:
 * the proxy's answer, or the proxy out of reach. False when it opened.
 */
static bool
via_reason(const struct probe_target *t, unsigned port, const struct probe_attempt *a, char *buf,
    size_t len)
{
	if (a->answer != NULL) {
		report_answer_text(a->answer, t->host, port, buf, len);
		return true;
	}
	if (a->proxy_host == NULL)
		return false;
	snprintf(buf, len, "proxy %s port %s: %s", a->proxy_host, a->proxy_port, strerror(a->err));
	return true;
}

bool
report_attempt_reason(const char *host, unsigned port, const struct probe_attempt *a, char *buf,
    size_t len)
{
	if (a->via_proxy)
		return via_reason(&(struct probe_target){.host = host}, port, a, buf, len);
	return report_probe_reason(a, buf, len);
}

static void
report_json_attempt(const struct probe_target *t, unsigned port, const struct probe_attempt *a)
{
	const char *service = t->numeric ? NULL : json_service(port, t->proto);
	char why[HTTP_LINE_MAX * 4 + 64];

	/* Through a proxy the destination's address is the proxy's business: null. */
	if (a->via_proxy) {
		bool reason = via_reason(t, port, a, why, sizeof(why));
		report_json_probe(stdout, t->host, NULL, AF_UNSPEC, t->proto, port, service,
		    a->state, reason ? why : NULL, a->time_us);
		return;
	}
	bool reason = report_probe_reason(a, why, sizeof(why));

	report_json_probe(stdout, t->host, report_addr_text(a->ai), a->ai->ai_family, t->proto, port,
			  service, a->state, reason ? why : NULL, a->time_us);
}

/* A TCP try's -v line. */
static void
report_tcp_attempt(const struct probe_target *t, const struct target *tg,
		   const struct probe_attempt *a)
{
	if (probe_is_open(a->state))
		report_connected(tg, t->numeric ? "*" : service_name(tg->port, t->proto));
	else if (a->timer)
		report_connect_timed_out(tg);
	else
		report_connect_failed(tg, a->err);
}

/*
 * A try through a proxy, as netcat-openbsd words it: the proxy out of reach
 * (-v), the proxy's refusal (always), or the success line without an address.
 */
static void
report_via_attempt(const struct probe_target *t, unsigned port, const struct probe_attempt *a)
{
	char why[HTTP_LINE_MAX * 4 + 64];
	struct target tg = {.host = t->host, .port = port, .proto = t->proto};

	if (a->answer != NULL) {
		via_reason(t, port, a, why, sizeof(why));
		report_say("%s", why);
		return;
	}
	if (probe_is_open(a->state)) {
		report_connected(&tg, t->numeric ? "*" : service_name(port, t->proto));
		return;
	}
	tg.host = a->proxy_host;
	tg.port = sa_port(a->ai->ai_addr);
	tg.port_text = a->proxy_port;
	if (a->timer)
		report_connect_timed_out(&tg);
	else
		report_connect_failed(&tg, a->err);
}

void
report_probe(const struct probe_target *t, const struct port_probe *p)
{
	bool udp = strcmp(t->proto, "udp") == 0;

	if (t->json) {
		if (p->complete && p->nattempts > 0)
			report_json_attempt(t, p->port, &p->attempts[p->nattempts - 1]);
		return;
	}
	for (unsigned k = 0; k < p->nattempts; k++) {
		const struct probe_attempt *a = &p->attempts[k];
		if (a->via_proxy) {
			report_via_attempt(t, p->port, a);
			continue;
		}
		struct target tg = {
		    .host = t->host, .addr = report_addr_text(a->ai), .port = p->port, .proto = t->proto};
		if (!udp) {
			report_tcp_attempt(t, &tg, a);
			continue;
		}
		/* Silent UDP ports all "succeed": look names up only for lines shown. */
		bool named = !t->numeric && report_verbose() && probe_is_open(a->state);
		report_udp_probe(&tg, named ? service_name(p->port, t->proto) : "*", a, false);
	}
}

void
report_probe_unresolved(const struct probe_target *t, unsigned port, int gai_error)
{
	report_json_probe(stdout, t->host, NULL, 0, t->proto, port,
			  t->numeric ? NULL : json_service(port, t->proto), PROBE_ERROR,
			  gai_strerror(gai_error), 0);
}
