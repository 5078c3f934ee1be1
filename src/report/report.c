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

#ifndef NC_VERSION
#define NC_VERSION "unknown"
#endif

static const char *progname = "nc";
static const char *invoked_as = "nc"; /* argv[0] whole, as getopt's messages show it */
static int verbosity;

void
report_init(const char *argv0, int verbose)
{
	if (argv0 != NULL && *argv0 != '\0') {
		invoked_as = argv0;
		const char *slash = strrchr(argv0, '/');
		progname = slash != NULL ? slash + 1 : argv0;
	}
	verbosity = verbose;
}

bool
report_verbose(void)
{
	return verbosity > 0;
}

/* One line on stderr: "nc: " then the text. */
static void
vsay(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void __attribute__((format(printf, 1, 2)))
say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

void
report_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
}

static const char usage_text[] =
	"usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n"
	"\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n"
	"\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n"
	"\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n"
	"\t  [destination] [port]\n";

static const char summary_text[] =
	"\tCommand Summary:\n"
	"\t\t-4\t\tUse IPv4\n"
	"\t\t-6\t\tUse IPv6\n"
	"\t\t-b\t\tAllow broadcast\n"
	"\t\t-C\t\tSend CRLF as line-ending\n"
	"\t\t-D\t\tEnable the debug socket option\n"
	"\t\t-d\t\tDetach from stdin\n"
	"\t\t-F\t\tPass socket fd\n"
	"\t\t-h\t\tThis help text\n"
	"\t\t-I length\tTCP receive buffer length\n"
	"\t\t-i interval\tDelay interval for lines sent, ports scanned\n"
	"\t\t-k\t\tKeep inbound sockets open for multiple connects\n"
	"\t\t-l\t\tListen mode, for inbound connects\n"
	"\t\t-M ttl\t\tOutgoing TTL / Hop Limit\n"
	"\t\t-m minttl\tMinimum incoming TTL / Hop Limit\n"
	"\t\t-N\t\tShutdown the network socket after EOF on stdin\n"
	"\t\t-n\t\tSuppress name/port resolutions\n"
	"\t\t-O length\tTCP send buffer length\n"
	"\t\t-P proxyuser\tUsername for proxy authentication\n"
	"\t\t-p port\t\tSpecify local port for remote connects\n"
	"\t\t-q secs\t\tquit after EOF on stdin and delay of secs\n"
	"\t\t-r\t\tRandomize remote ports\n"
	"\t\t-S\t\tEnable the TCP MD5 signature option\n"
	"\t\t-s sourceaddr\tLocal source address\n"
	"\t\t-T keyword\tTOS value\n"
	"\t\t-t\t\tAnswer TELNET negotiation\n"
	"\t\t-U\t\tUse UNIX domain socket\n"
	"\t\t-u\t\tUDP mode\n"
	"\t\t-V rtable\tSpecify alternate routing table\n"
	"\t\t-v\t\tVerbose\n"
	"\t\t-W recvlimit\tTerminate after receiving a number of packets\n"
	"\t\t-w timeout\tTimeout for connects and final net reads\n"
	"\t\t-X proto\tProxy protocol: \"4\", \"5\" (SOCKS) or \"connect\"\n"
	"\t\t-x addr[:port]\tSpecify proxy address and port\n"
	"\t\t-Z\t\tDCCP mode\n"
	"\t\t-z\t\tZero-I/O mode [used for scanning]\n"
	"\t\t--seqpacket\tUse SOCK_SEQPACKET Unix-domain sockets\n"
	"\t\t--json\t\tJSON Lines: -z results on stdout, events on stderr\n"
	"\t\t--wait secs\tProbe until every port is open or secs pass\n"
	"\t\t--version\tPrint the version and exit\n"
	"\tPort numbers can be individual or ranges: lo-hi [inclusive]\n";

void
report_usage(void)
{
	fputs(usage_text, stderr);
}

void
report_help(void)
{
	fprintf(stderr, "nc %s (netcat-openbsd 1.219 compatible)\n", NC_VERSION);
	fputs(usage_text, stderr);
	fputs(summary_text, stderr);
}

void
report_version(void)
{
	printf("nc %s\n", NC_VERSION);
}

static const char *const quantity_names[] = {
	[Q_TIMEOUT] = "timeout",
	[Q_QUIT] = "quit timer",
	[Q_INTERVAL] = "interval",
	[Q_RECV_LIMIT] = "receive limit",
	[Q_RCVBUF] = "TCP receive window",
	[Q_SNDBUF] = "TCP send window",
	[Q_WAIT] = "wait time",
};

static const char *const conflict_texts[] = {
	[C_Z_AND_L] = "cannot use -z and -l",
	[C_K_WITHOUT_L] = "must use -l with -k",
	[C_F_AND_U] = "cannot use -F and -U",
	[C_PROXY_LISTEN] = "no proxy support for listen",
	[C_PROXY_UDP] = "no proxy support for UDP mode",
	[C_PROXY_SOURCE] = "no proxy support for local source address",
	[C_PROXY_UNIX] = "no proxy support for unix sockets",
	[C_WAIT_AND_L] = "cannot use --wait and -l",
	[C_SEQPACKET_UDP] = "cannot use --seqpacket with -u",
};

void
report_option_error(const struct opt_error *err)
{
	switch (err->status) {
	case OPT_OK:
	case OPT_HELP:
	case OPT_VERSION:
		break;
	case OPT_USAGE:
		report_usage();
		break;
	case OPT_BAD_OPTION:
		fprintf(stderr, "%s: invalid option -- '%c'\n", invoked_as, err->letter);
		report_usage();
		break;
	case OPT_MISSING_ARG:
		fprintf(stderr, "%s: option requires an argument -- '%c'\n", invoked_as, err->letter);
		report_usage();
		break;
	case OPT_BAD_NUMBER:
		say("%s %s: %s", quantity_names[err->what], err->errstr, err->value);
		break;
	case OPT_BAD_TTL:
		say("ttl is %s", err->errstr);
		break;
	case OPT_BAD_MINTTL:
		say("minttl is %s", err->errstr);
		break;
	case OPT_BAD_TOS:
		say("illegal tos value %s", err->value);
		break;
	case OPT_BAD_PROXY_PROTO:
		say("unsupported proxy protocol");
		break;
	case OPT_NO_RTABLE:
		say("no alternate routing table support available");
		break;
	case OPT_MISSING_PORT:
		say("missing port number");
		break;
	case OPT_MISSING_PATH:
		say("missing socket pathname");
		break;
	case OPT_UNIX_PORT:
		say("cannot use port with -U");
		break;
	case OPT_CONFLICT:
		say("%s", conflict_texts[err->conflict]);
		break;
	case OPT_NOT_YET:
		say("%s: not supported yet", err->option);
		break;
	}
}

void
report_port_error(const struct port_error *err)
{
	switch (err->status) {
	case PORT_OK:
		break;
	case PORT_INVALID:
		say("port number invalid: %.*s", err->value_len, err->value);
		break;
	case PORT_TOO_SMALL:
		say("port number too small: %.*s", err->value_len, err->value);
		break;
	case PORT_TOO_LARGE:
		say("port number too large: %.*s", err->value_len, err->value);
		break;
	case PORT_NO_MEMORY:
		say("%s", strerror(ENOMEM));
		break;
	}
}

void
report_resolve_failed(const char *host, const char *port, int gai_error)
{
	say("getaddrinfo for host \"%s\" port %s: %s", host, port, gai_strerror(gai_error));
}

void
report_gai(int gai_error)
{
	say("getaddrinfo: %s", gai_strerror(gai_error));
}

void
report_getnameinfo(int gai_error)
{
	say("getnameinfo: %s", gai_strerror(gai_error));
}

void
report_errno(const char *what, int err)
{
	if (what != NULL)
		say("%s: %s", what, strerror(err));
	else
		say("%s", strerror(err));
}

void
report_sockopt(const char *name, int err)
{
	say("setsockopt %s: %s", name, strerror(err));
}

void
report_sock_failure(const struct sock_result *r)
{
	if (r->status == SOCK_FATAL_GAI)
		report_gai(r->gai);
	else if (r->status == SOCK_FATAL_SOCKOPT)
		report_sockopt(r->what, r->err);
	else
		report_errno(r->what, r->err);
}

/* "HOST" or "HOST (ADDR)" when the user named it by something else. */
static void
target_name(const struct target *t, char *buf, size_t len)
{
	if (strcmp(t->host, t->addr) == 0)
		snprintf(buf, len, "%s", t->host);
	else
		snprintf(buf, len, "%s (%s)", t->host, t->addr);
}

void
report_connect_failed(const struct target *t, int err)
{
	char name[2048];

	if (report_json_enabled()) {
		report_json_connect(t, NULL, err, false);
		return;
	}
	if (!report_verbose())
		return;
	target_name(t, name, sizeof(name));
	say("connect to %s port %u (%s) failed: %s", name, t->port, t->proto, strerror(err));
}

void
report_connect_timed_out(const struct target *t)
{
	char name[2048];

	if (report_json_enabled()) {
		report_json_connect(t, NULL, ETIMEDOUT, true);
		return;
	}
	if (!report_verbose())
		return;
	target_name(t, name, sizeof(name));
	/* netcat-openbsd reports the errno of the pending connect. */
	say("connect to %s port %u (%s) timed out: %s", name, t->port, t->proto,
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
	fprintf(stderr, "Connection to %s %u port [%s/%s] succeeded!\n", name, t->port, t->proto,
		service);
}

void
report_listening(const char *addr, unsigned port)
{
	if (report_json_enabled()) {
		report_json_listening(addr, port);
		return;
	}
	if (report_verbose())
		fprintf(stderr, "Listening on %s %u\n", addr, port);
}

void
report_received(const char *host, unsigned port)
{
	if (report_json_enabled()) {
		report_json_received(host, port);
		return;
	}
	if (report_verbose())
		fprintf(stderr, "Connection received on %s %u\n", host, port);
}

void
report_connect_failed_always(const struct target *t, int err, bool timer)
{
	char name[2048];

	target_name(t, name, sizeof(name));
	if (timer)
		say("connect to %s port %u (%s) timed out: %s", name, t->port, t->proto,
		    strerror(EINPROGRESS));
	else
		say("connect to %s port %u (%s) failed: %s", name, t->port, t->proto,
		    strerror(err));
}

/* UDP (-u). */

int
report_verbosity(void)
{
	return verbosity;
}

void
report_bound(const char *addr, unsigned port)
{
	if (report_verbose())
		fprintf(stderr, "Bound on %s %u\n", addr, port);
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

static const char *const udp_state_names[] = {
	[PROBE_OPEN] = "open",
	[PROBE_CLOSED] = "closed",
	[PROBE_FILTERED] = "filtered",
	[PROBE_OPEN_FILTERED] = "open|filtered",
	[PROBE_TIMEOUT] = "timeout",
	[PROBE_ERROR] = "error",
};

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
		say("%s port %u (%s) %s: %s", name, t->port, t->proto, udp_state_names[a->state],
		    strerror(a->err));
		return;
	}
	say("%s port %u (%s) %s: %s %s %lld ms, %d probe%s sent", name, t->port, t->proto,
	    udp_state_names[a->state], why, a->state == PROBE_OPEN_FILTERED ? "within" : "after",
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
		say("connect to %s port %u (%s) timed out: no reply", name, t->port, t->proto);
	else if (a->state == PROBE_FILTERED && a->icmp_type >= 0) {
		icmp_text(a, true, why, sizeof(why));
		say("connect to %s port %u (%s) failed: %s", name, t->port, t->proto, why);
	} else
		say("connect to %s port %u (%s) failed: %s", name, t->port, t->proto,
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
report_bound_path(const char *path)
{
	if (report_verbose())
		fprintf(stderr, "Bound on %s\n", path);
}

void
report_listening_path(const char *path)
{
	if (report_verbose())
		fprintf(stderr, "Listening on %s\n", path);
}

void
report_received_path(const char *path)
{
	if (report_verbose())
		fprintf(stderr, "Connection received on %s\n", path);
}

void
report_unix_connected(const char *path)
{
	if (report_verbose())
		fprintf(stderr, "Connection to %s succeeded!\n", path);
}

void
report_not_socket(const char *path)
{
	say("%s: exists and is not a socket; not replacing it", path);
}
