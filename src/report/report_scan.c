/* The reporter for -z results; the lines themselves come from report.c and report_json.c. */
#include "report/report_scan.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "report/report.h"
#include "report/report_json.h"
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

static void
report_json_attempt(const struct probe_target *t, unsigned port, const struct probe_attempt *a)
{
	const char *service = t->numeric ? NULL : json_service(port, t->proto);
	char why[256];
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
