/*
 * The reporter: the only module that writes to stderr (or, for --version,
 * stdout). Wording follows netcat-openbsd 1.219 byte for byte where it has a
 * message for the case.
 */
#include "report/report.h"
#include "report/report_json.h"

#include <ctype.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "probe/probe.h"
#include "report/report_text.h"

static int verbosity;

void
report_init(const char *argv0, int verbose)
{
	report_text_set_name(argv0);
	verbosity = verbose;
}

bool
report_verbose(void)
{
	return verbosity > 0;
}

void
report_resolve_failed(const char *host, const char *port, int gai_error)
{
	report_say("getaddrinfo for host \"%s\" port %s: %s", host, port, gai_strerror(gai_error));
}

void
report_gai(int gai_error)
{
	report_say("getaddrinfo: %s", gai_strerror(gai_error));
}

void
report_getnameinfo(int gai_error)
{
	report_say("getnameinfo: %s", gai_strerror(gai_error));
}

void
report_errno(const char *what, int err)
{
	if (what != NULL)
		report_say("%s: %s", what, strerror(err));
	else
		report_say("%s", strerror(err));
}

void
report_sockopt(const char *name, int err)
{
	report_say("setsockopt %s: %s", name, strerror(err));
}

void
report_dccp_unavailable(int err)
{
	report_say("-Z: this system has no DCCP (%s)", strerror(err));
}

void
report_dccp_mode(void)
{
	report_say("-Z: DCCP is for connect mode only (not with -l, -z, -u or -U)");
}

void
report_md5sig_prompt(char *buf, size_t len)
{
	snprintf(buf, len, "TCP MD5SIG password: ");
}

void
report_md5sig_unavailable(void)
{
	report_say("Unable to read TCP MD5SIG password");
}

void
report_sock_failure(const struct sock_result *r)
{
	if (r->status == SOCK_FATAL_GAI)
		report_gai(r->gai);
	else if (r->status == SOCK_FATAL_SOCKOPT)
		report_sockopt(r->what, r->err);
	else if (r->status == SOCK_FATAL_NOT_SOCKET)
		report_not_socket(r->what);
	else
		report_errno(r->what, r->err);
}

/*
 * "HOST" or "HOST (ADDR)" when the user named it by something else; through
 * a proxy there is no address (the proxy has it), and just "HOST".
 */
static void
target_name(const struct target *t, char *buf, size_t len)
{
	if (t->addr == NULL || strcmp(t->host, t->addr) == 0)
		snprintf(buf, len, "%s", t->host);
	else
		snprintf(buf, len, "%s (%s)", t->host, t->addr);
}

/* The port as the failure lines show it: as written when that is known, else the number. */
static void
port_text(const struct target *t, char *buf, size_t len)
{
	if (t->port_text != NULL)
		snprintf(buf, len, "%s", t->port_text);
	else
		snprintf(buf, len, "%u", t->port);
}

void
report_connect_failed(const struct target *t, int err)
{
	char name[2048], port[64];

	if (report_json_enabled()) {
		report_json_connect(t, NULL, err, false);
		return;
	}
	if (!report_verbose())
		return;
	target_name(t, name, sizeof(name));
	port_text(t, port, sizeof(port));
	report_say("connect to %s port %s (%s) failed: %s", name, port, t->proto, strerror(err));
}

void
report_connect_timed_out(const struct target *t)
{
	char name[2048], port[64];

	if (report_json_enabled()) {
		report_json_connect(t, NULL, ETIMEDOUT, true);
		return;
	}
	if (!report_verbose())
		return;
	target_name(t, name, sizeof(name));
	port_text(t, port, sizeof(port));
	/* netcat-openbsd reports the errno of the pending connect. */
	report_say("connect to %s port %s (%s) timed out: %s", name, port, t->proto,
	    strerror(EINPROGRESS));
}

void
report_connected(const struct target *t, const char *service)
{
	char name[2048];

	if (report_json_enabled()) {
		report_json_connect(t, strcmp(service, "*") == 0 ? NULL : service, 0, false);
		return;
	}
	if (!report_verbose())
		return;
	target_name(t, name, sizeof(name));
	report_line(NULL, "Connection to %s %u port [%s/%s] succeeded!", name, t->port, t->proto, service);
}

/* UDP (-u). */

int
report_verbosity(void)
{
	return verbosity;
}

/* ICMP destination unreachable (type 3), by code (RFC 792, RFC 1812). */
static const char *const icmp_unreach[] = {
	"network unreachable",
	"host unreachable",
	"protocol unreachable",
	"port unreachable",
	"fragmentation needed",
	"source route failed",
	"destination network unknown",
	"destination host unknown",
	"source host isolated",
	"network administratively prohibited",
	"host administratively prohibited",
	"network unreachable for type of service",
	"host unreachable for type of service",
	"communication administratively prohibited",
	"host precedence violation",
	"precedence cutoff in effect",
};

/* ICMPv6 destination unreachable (type 1), by code (RFC 4443). */
static const char *const icmp6_unreach[] = {
	"no route to destination",
	"communication administratively prohibited",
	"beyond scope of source address",
	"address unreachable",
	"port unreachable",
	"source address failed ingress/egress policy",
	"reject route to destination",
};

/* What an ICMP error is called; NULL for one without a name here. */
static const char *
icmp_name(const struct probe_attempt *a)
{
	int type = a->icmp_type, code = a->icmp_code;

	if (!a->icmp6 && type == 3 && code >= 0 &&
	    code < (int)(sizeof(icmp_unreach) / sizeof(icmp_unreach[0])))
		return icmp_unreach[code];
	if (a->icmp6 && type == 1 && code >= 0 &&
	    code < (int)(sizeof(icmp6_unreach) / sizeof(icmp6_unreach[0])))
		return icmp6_unreach[code];
	if ((!a->icmp6 && type == 11) || (a->icmp6 && type == 3))
		return "time exceeded";
	if ((!a->icmp6 && type == 12) || (a->icmp6 && type == 4))
		return "parameter problem";
	if (a->icmp6 && type == 2)
		return "packet too big";
	return NULL;
}

/* "port unreachable (ICMP type 3 code 3)", first letter capitalised if asked. */
static void
icmp_text(const struct probe_attempt *a, bool capital, char *buf, size_t len)
{
	const char *name = icmp_name(a);
	const char *family = a->icmp6 ? "ICMPv6" : "ICMP";

	if (name == NULL)
		snprintf(buf, len, "%s error (%s type %d code %d)", family, family, a->icmp_type,
			 a->icmp_code);
	else
		snprintf(buf, len, "%c%s (%s type %d code %d)",
			 capital ? toupper((unsigned char)name[0]) : name[0], name + 1, family,
			 a->icmp_type, a->icmp_code);
}

/* -vv: the state and the evidence for it. */
static void
udp_detail(const char *name, const struct target *t, const struct probe_attempt *a)
{
	char why[256];
	const char *plural = a->probes == 1 ? "" : "s";

	switch (a->state) {
	case PROBE_OPEN:
		snprintf(why, sizeof(why), "reply of %zu byte%s", a->reply_len,
			 a->reply_len == 1 ? "" : "s");
		break;
	case PROBE_OPEN_FILTERED:
		snprintf(why, sizeof(why), "no reply");
		break;
	case PROBE_CLOSED:
	case PROBE_FILTERED:
		if (a->icmp_type >= 0)
			icmp_text(a, false, why, sizeof(why));
		else
			snprintf(why, sizeof(why), "%s", strerror(a->err));
		break;
	default:
		report_say("%s port %u (%s) %s: %s", name, t->port, t->proto, json_state_name(a->state),
		    strerror(a->err));
		return;
	}
	report_say("%s port %u (%s) %s: %s %s %lld ms, %d probe%s sent", name, t->port, t->proto,
	    json_state_name(a->state), why, a->state == PROBE_OPEN_FILTERED ? "within" : "after",
	    a->time_us / 1000, a->probes, plural);
}

void
report_udp_probe(const struct target *t, const char *service, const struct probe_attempt *a,
		 bool verdict)
{
	char name[2048], why[256];
	bool failure = verdict ? a->state != PROBE_OPEN : !probe_is_open(a->state);

	if (!report_verbose() && !(verdict && failure))
		return;
	target_name(t, name, sizeof(name));
	if (!failure)
		report_connected(t, service);
	else if (a->state == PROBE_OPEN_FILTERED)
		report_say("connect to %s port %u (%s) timed out: no reply", name, t->port, t->proto);
	else if (a->state == PROBE_FILTERED && a->icmp_type >= 0) {
		icmp_text(a, true, why, sizeof(why));
		report_say("connect to %s port %u (%s) failed: %s", name, t->port, t->proto, why);
	} else
		report_say("connect to %s port %u (%s) failed: %s", name, t->port, t->proto,
		    strerror(a->err));
	if (verbosity >= 2)
		udp_detail(name, t, a);
}

bool
report_probe_reason(const struct probe_attempt *a, char *buf, size_t len)
{
	char icmp[256];

	if (a->state == PROBE_OPEN_FILTERED) {
		snprintf(buf, len, "No reply");
		return true;
	}
	if (a->err == 0)
		return false;
	if (a->icmp_type < 0) {
		snprintf(buf, len, "%s", strerror(a->err));
		return true;
	}
	/* Closed: the refusal, then its ICMP; else the ICMP message names the cause. */
	icmp_text(a, true, icmp, sizeof(icmp));
	if (a->state == PROBE_CLOSED)
		snprintf(buf, len, "%s %s", strerror(a->err), strchr(icmp, '('));
	else
		snprintf(buf, len, "%s", icmp);
	return true;
}

/* Unix-domain sockets (-U). */

void
report_unix_connected(const char *path)
{
	if (report_verbose())
		report_line(NULL, "Connection to %s succeeded!", path);
}

void
report_not_socket(const char *path)
{
	report_say("%s: exists and is not a socket; not replacing it", path);
}

/* One listener event: the -v line "WHAT NAME[ PORT]", or a JSON event (--json). */
static void
listener_event(const char *what, const char *event, const struct endpoint *e)
{
	if (report_json_enabled()) {
		report_json_event(event, e);
		return;
	}
	if (!report_verbose())
		return;
	if (e->has_port)
		report_line(NULL, "%s %s %u", what, e->name, e->port);
	else
		report_line(NULL, "%s %s", what, e->name);
}

void
report_bound(const struct endpoint *e)
{
	listener_event("Bound on", "bound", e);
}

void
report_listening(const struct endpoint *e)
{
	listener_event("Listening on", "listening", e);
}

void
report_received(const struct endpoint *e)
{
	listener_event("Connection received on", "received", e);
}

void
report_target_name(const struct target *t, char *buf, size_t len)
{
	target_name(t, buf, len);
}
