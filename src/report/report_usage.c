/* The usage block, -h, --version and what is wrong with the command line. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "report/report_text.h"
#include "report/report_tls.h"

#ifndef NC_VERSION
#define NC_VERSION "unknown"
#endif

static const char usage_text[] =
	"usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]\n"
	"\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]\n"
	"\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]\n"
	"\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]\n"
	"\t  [destination] [port]\n";

/* The Command Summary of -h: netcat-openbsd's lines, then the long options. */
static const struct {
	const char *option, *text;
} summary[] = {
	{"-4", "Use IPv4"},
	{"-6", "Use IPv6"},
	{"-b", "Allow broadcast"},
	{"-C", "Send CRLF as line-ending"},
	{"-c", "Use TLS (also --tls, --ssl)"},
	{"-D", "Enable the debug socket option"},
	{"-d", "Detach from stdin"},
	{"-e name", "Name the peer certificate must hold; SNI (--tls-name, --ssl-servername)"},
	{"-F", "Pass socket fd"},
	{"-H hash", "Hash string of the peer certificate (--tls-hash)"},
	{"-h", "This help text"},
	{"-I length", "TCP receive buffer length"},
	{"-i interval", "Delay interval for lines sent, ports scanned"},
	{"-K keyfile", "Private key file (--tls-key, --ssl-key)"},
	{"-k", "Keep inbound sockets open for multiple connects"},
	{"-l", "Listen mode, for inbound connects"},
	{"-M ttl", "Outgoing TTL / Hop Limit"},
	{"-m minttl", "Minimum incoming TTL / Hop Limit"},
	{"-N", "Shutdown the network socket after EOF on stdin"},
	{"-n", "Suppress name/port resolutions"},
	{"-O length", "TCP send buffer length"},
	{"-o staplefile", "Staple file (--tls-staple)"},
	{"-P proxyuser", "Username for proxy authentication"},
	{"-p port", "Specify local port for remote connects"},
	{"-q secs", "quit after EOF on stdin and delay of secs"},
	{"-R CAfile", "CA bundle (--tls-ca, --ssl-trustfile)"},
	{"-r", "Randomize remote ports"},
	{"-S", "Enable the TCP MD5 signature option"},
	{"-s sourceaddr", "Local source address"},
	{"-T keyword", "TOS value"},
	{"-t", "Answer TELNET negotiation"},
	{"-U", "Use UNIX domain socket"},
	{"-u", "UDP mode"},
	{"-V rtable", "Specify alternate routing table (not available on Linux)"},
	{"-v", "Verbose"},
	{"-W recvlimit", "Terminate after receiving a number of packets"},
	{"-w timeout", "Timeout for connects and final net reads"},
	{"-X proto", "Proxy protocol: \"4\", \"5\" (SOCKS) or \"connect\""},
	{"-x addr[:port]", "Specify proxy address and port"},
	{"-Z", "DCCP mode"},
	{"-z", "Zero-I/O mode [used for scanning]"},
	{"--expect regex", "Up only when the reply matches regex (implies -z)"},
	{"--help", "This help text"},
	{"--http[=path]", "Up only on an HTTP 2xx or 3xx answer to GET path (implies -z)"},
	{"--json", "JSON Lines: -z results on stdout, events on stderr"},
	{"--send string", "Write string (C escapes) once connected; up on a reply (implies -z)"},
	{"--seqpacket", "Use SOCK_SEQPACKET Unix-domain sockets"},
	{"--version", "Print the version and exit"},
	{"--wait secs", "Probe until every target is up or secs pass"},
	{"--tls-cert file", "Public certificate file (OpenBSD's -C; also --ssl-cert)"},
	{"--tls-peer-cert file", "Save the peer's certificate chain (OpenBSD's -Z)"},
	{"--tls-alpn protos", "ALPN protocols, comma-separated (also --ssl-alpn)"},
	{"--tls-min-days n", "With -z: fail when the certificate ends within n days"},
	{"--tls-noverify, --tls-noname, --tls-clientcert, --tls-muststaple",
	    "-T noverify, noname, clientcert, muststaple: TLS keywords"},
	{"--tls-protocols list, --tls-ciphers list", "-T protocols=, -T ciphers="},
};

void
report_usage(void)
{
	fputs(usage_text, stderr);
}

/* "-c", "-e name", "--tls-cert file": options that need libtls. */
static bool
is_tls(const char *option)
{
	if (option[1] == '-')
		return strncmp(option, "--tls", 5) == 0;
	return strchr(CLI_TLS_LETTERS, option[1]) != NULL;
}

void
report_help(void)
{
	fprintf(stderr, "nc %s (netcat-openbsd 1.219 compatible)\n", NC_VERSION);
	fputs(usage_text, stderr);
	fputs("\tCommand Summary:\n", stderr);
	for (size_t i = 0; i < sizeof(summary) / sizeof(summary[0]); i++) {
		size_t len = strlen(summary[i].option);
		const char *mark = "";
		if (!options_implemented(summary[i].option[1]))
			mark = " (not implemented yet)";
		else if (!cli_tls_built_in() && is_tls(summary[i].option))
			mark = " (not in this build: no libtls)";
		/* A long name gets a line of its own, the text on the next. */
		fprintf(stderr, "\t\t%s%s%s%s\n", summary[i].option,
		    len < 8 ? "\t\t" : len < 16 ? "\t" : "\n\t\t\t\t", summary[i].text, mark);
	}
	fputs("\tPort numbers can be individual or ranges: lo-hi [inclusive]\n", stderr);
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
	[C_SEND_AND_HTTP] = "cannot use --send and --http",
	[C_HTTP_AND_UDP] = "cannot use --http and -u",
	[C_SEND_AND_L] = "cannot use --send and -l",
	[C_EXPECT_AND_L] = "cannot use --expect and -l",
	[C_HTTP_AND_L] = "cannot use --http and -l",
	[C_SEND_AND_UNIX_DGRAM] = "cannot use --send with -uU",
	[C_EXPECT_AND_UNIX_DGRAM] = "cannot use --expect with -uU",
	[C_F_AND_WAIT] = "cannot use -F with --wait, --send, --expect or --http",
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
		report_line(report_invoked_as(), "invalid option -- '%c'", err->letter);
		report_usage();
		break;
	case OPT_MISSING_ARG:
		report_line(report_invoked_as(), "option requires an argument -- '%c'", err->letter);
		report_usage();
		break;
	case OPT_LONG_UNKNOWN:
		if (err->near == NULL)
			report_line(report_invoked_as(), "unrecognized option '%s'", err->value);
		else
			report_line(report_invoked_as(), "unrecognized option '%s' (use %s%s)", err->value,
			    err->near->ours != NULL ? "" : "--",
			    err->near->ours != NULL ? err->near->ours : err->near->name);
		report_usage();
		break;
	case OPT_LONG_NO_ARG:
		report_line(report_invoked_as(), "option '--%s' doesn't allow an argument", err->option);
		report_usage();
		break;
	case OPT_LONG_MISSING:
		report_line(report_invoked_as(), "option '--%s' requires an argument", err->option);
		report_usage();
		break;
	case OPT_BAD_NUMBER:
		report_say("%s %s: %s", quantity_names[err->what], err->errstr, err->value);
		break;
	case OPT_BAD_TTL:
		report_say("ttl is %s", err->errstr);
		break;
	case OPT_BAD_MINTTL:
		report_say("minttl is %s", err->errstr);
		break;
	case OPT_BAD_TOS:
		report_say("illegal tos value %s", err->value);
		break;
	case OPT_BAD_PROXY_PROTO:
		report_say("unsupported proxy protocol");
		break;
	case OPT_NO_RTABLE:
		report_say("no alternate routing table support available");
		break;
	case OPT_MISSING_PORT:
		report_say("missing port number");
		break;
	case OPT_EMPTY_PORT:
		report_port_error(&(struct port_error){.status = PORT_INVALID, .value = ""});
		break;
	case OPT_MISSING_PATH:
		report_say("missing socket pathname");
		break;
	case OPT_UNIX_PORT:
		report_say("cannot use port with -U");
		break;
	case OPT_CONFLICT:
		report_say("%s", conflict_texts[err->conflict]);
		break;
	case OPT_NOT_YET:
		report_say("-%c: not supported yet", err->letter);
		break;
	case OPT_TLS:
		report_tls_option_error(&err->tls);
		break;
	case OPT_NO_TLS:
		report_tls_unavailable();
		break;
	case OPT_PROXY_BRACKET:
		report_say("missing closing bracket in proxy");
		break;
	case OPT_PROXY_DELIMITER:
		report_say("garbage proxy port delimiter");
		break;
	case OPT_PROXY_TOO_LONG:
		report_say("proxy address too long");
		break;
	case OPT_PROXY_PORT:
		report_say("port number %s: %s", err->errstr, err->value);
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
		report_say("port number invalid: %.*s", err->value_len, err->value);
		break;
	case PORT_TOO_SMALL:
		report_say("port number too small: %.*s", err->value_len, err->value);
		break;
	case PORT_TOO_LARGE:
		report_say("port number too large: %.*s", err->value_len, err->value);
		break;
	case PORT_NO_MEMORY:
		report_say("%s", strerror(ENOMEM));
		break;
	}
}

