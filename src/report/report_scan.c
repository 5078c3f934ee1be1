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

/* The numeric text of the last few addresses, so a long scan formats each once. */
static const char *
addr_text(const struct addrinfo *ai)
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

	report_json_probe(stdout, t->host, addr_text(a->ai), a->ai->ai_family, t->proto, port,
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

/* "12", "0.5", "0.125": milliseconds as seconds, without trailing zeros. */
static void
seconds_text(long long ms, char *buf, size_t len)
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

/*
 * --wait's lines about what is down: after a round (next_ms >= 0) the next
 * try's delay, else that the wait of waited_ms ran out. The reason is the
 * text --json gives.
 */
static void
wait_line(const char *subject, const char *why, long long next_ms, long long waited_ms)
{
	char secs[32];

	if (next_ms >= 0) {
		seconds_text(next_ms, secs, sizeof(secs));
		report_say("%s still down: %s; next try in %s s", subject, why, secs);
	} else {
		seconds_text(waited_ms, secs, sizeof(secs));
		report_say("%s not up after %s s: %s", subject, secs, why);
	}
}

/* Whether --wait counts a try as up: for UDP only a reply does. */
static bool
wait_up(const struct probe_target *t, const struct probe_attempt *a)
{
	return strcmp(t->proto, "udp") == 0 ? a->state == PROBE_OPEN : probe_is_open(a->state);
}

/* One address of a port that --wait finds down. */
static void
wait_attempt(const struct probe_target *t, unsigned port, const struct probe_attempt *a,
	     long long next_ms)
{
	struct target tg = {.host = t->host, .port = port, .proto = t->proto};
	char name[2048], subject[2200], why[HTTP_LINE_MAX * 4 + 64];
	bool reason;

	/* Through a proxy: no address, and the proxy's words (or its absence) as the reason. */
	if (a->via_proxy) {
		reason = via_reason(t, port, a, why, sizeof(why));
	} else {
		tg.addr = addr_text(a->ai);
		reason = report_probe_reason(a, why, sizeof(why));
	}
	if (!reason)
		snprintf(why, sizeof(why), "%s", json_state_name(a->state));
	report_target_name(&tg, name, sizeof(name));
	snprintf(subject, sizeof(subject), "%s port %u (%s)", name, port, t->proto);
	wait_line(subject, why, next_ms, t->waited_ms);
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
		if (t->waited_ms >= 0 && !wait_up(t, a)) {
			wait_attempt(t, p->port, a, -1);
			continue;
		}
		if (a->via_proxy) {
			report_via_attempt(t, p->port, a);
			continue;
		}
		struct target tg = {
		    .host = t->host, .addr = addr_text(a->ai), .port = p->port, .proto = t->proto};
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
report_wait_round(const struct probe_target *t, const struct port_probe *p, long long next_ms)
{
	if (t->json || !report_verbose())
		return;
	for (unsigned k = 0; k < p->nattempts; k++)
		wait_attempt(t, p->port, &p->attempts[k], next_ms);
}

void
report_wait_unresolved(const struct probe_target *t, unsigned port, int gai_error,
		       long long next_ms)
{
	char subject[2200];

	if (t->json) {
		if (next_ms < 0)
			report_probe_unresolved(t, port, gai_error);
		return;
	}
	if (next_ms >= 0 && !report_verbose())
		return;
	snprintf(subject, sizeof(subject), "%s port %u (%s)", t->host, port, t->proto);
	wait_line(subject, gai_strerror(gai_error), next_ms, t->waited_ms);
}

void
report_probe_unresolved(const struct probe_target *t, unsigned port, int gai_error)
{
	report_json_probe(stdout, t->host, NULL, 0, t->proto, port,
			  t->numeric ? NULL : json_service(port, t->proto), PROBE_ERROR,
			  gai_strerror(gai_error), 0);
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

/* A Unix socket --wait finds down: "PATH (KIND)", like "HOST port P (tcp)". */
static void
unix_wait_line(const char *path, int type, int err, long long next_ms, long long waited_ms)
{
	char subject[2200];

	snprintf(subject, sizeof(subject), "%s (%s)", path, unix_proto(type));
	wait_line(subject, strerror(err), next_ms, waited_ms);
}

void
report_unix_probe(const char *path, int type, bool json, int err, long long time_us,
		  long long waited_ms)
{
	if (json) {
		report_json_unix_probe(stdout, path, unix_proto(type), unix_state(err),
				       err == 0 ? NULL : strerror(err), time_us);
		fflush(stdout);
	} else if (err == 0)
		report_unix_connected(path);
	else if (waited_ms >= 0)
		unix_wait_line(path, type, err, -1, waited_ms);
	else
		report_errno(path, err);
}

void
report_unix_wait_round(const char *path, int type, bool json, int err, long long next_ms)
{
	if (!json && report_verbose())
		unix_wait_line(path, type, err, next_ms, -1);
}
