/* Unit tests of the option parser: argv in, struct or error out. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "cli/cli_options.h"
#include "report/report.h"

/* Parses a NULL-terminated list of words (argv[0] is added). */
static enum opt_status
parse(struct nc_options *o, struct opt_error *e, ...)
{
	static char *argv[64];
	va_list ap;
	int argc = 0;

	argv[argc++] = "nc";
	va_start(ap, e);
	for (char *w; (w = va_arg(ap, char *)) != NULL;)
		argv[argc++] = w;
	va_end(ap);
	argv[argc] = NULL;
	return options_parse(argc, argv, o, e);
}

static void
test_connect_operands(void)
{
	struct nc_options o;
	struct opt_error e;

	CHECK(parse(&o, &e, "-vz", "localhost", "http", "20", "22-23", NULL) == OPT_OK);
	CHECK(o.scan.zero_io && o.verbose == 1);
	CHECK(strcmp(o.host, "localhost") == 0);
	CHECK(o.nports == 3 && strcmp(o.ports[0], "http") == 0 && strcmp(o.ports[2], "22-23") == 0);

	/* Options after operands, as glibc getopt permits. */
	CHECK(parse(&o, &e, "127.0.0.1", "80", "-v", "-v", NULL) == OPT_OK);
	CHECK(o.verbose == 2 && o.nports == 1);

	CHECK(parse(&o, &e, NULL) == OPT_USAGE);
	CHECK(parse(&o, &e, "-v", "127.0.0.1", NULL) == OPT_MISSING_PORT);
}

static void
test_listen_operands(void)
{
	struct nc_options o;
	struct opt_error e;

	CHECK(parse(&o, &e, "-l", "1234", NULL) == OPT_OK);
	CHECK(o.listen && o.host == NULL && strcmp(o.ports[0], "1234") == 0);
	CHECK(parse(&o, &e, "-l", "127.0.0.1", "1234", NULL) == OPT_OK);
	CHECK(strcmp(o.host, "127.0.0.1") == 0 && strcmp(o.ports[0], "1234") == 0);
	CHECK(parse(&o, &e, "-l", "-p", "1234", "-s", "::1", NULL) == OPT_OK);
	CHECK(strcmp(o.host, "::1") == 0 && strcmp(o.ports[0], "1234") == 0);
	CHECK(parse(&o, &e, "-l", NULL) == OPT_MISSING_PORT);
	CHECK(parse(&o, &e, "-l", "-p", "5", "5", NULL) == OPT_USAGE);
	CHECK(parse(&o, &e, "-l", "-s", "127.0.0.1", "5", NULL) == OPT_USAGE);
	CHECK(parse(&o, &e, "-l", "1", "2", "3", NULL) == OPT_USAGE);
}

static void
test_flags(void)
{
	struct nc_options o;
	struct opt_error e;

	CHECK(parse(&o, &e, "-46CDdNnr", "h", "1", NULL) == OPT_OK);
	CHECK(o.sock.family == AF_INET6 && o.relay.crlf && o.sock.debug_socket && o.relay.no_stdin);
	CHECK(o.relay.shutdown_on_eof && o.sock.numeric && o.scan.random_ports);
	CHECK(parse(&o, &e, "-6", "-4", "h", "1", NULL) == OPT_OK && o.sock.family == AF_INET);
	CHECK(parse(&o, &e, "h", "1", NULL) == OPT_OK);
	CHECK(o.sock.family == AF_UNSPEC && o.sock.timeout_ms == -1 && o.relay.quit_ms == -1 && !o.relay.shutdown_on_eof);
}

static void
test_numbers(void)
{
	struct nc_options o;
	struct opt_error e;

	CHECK(parse(&o, &e, "-w", "3", "h", "1", NULL) == OPT_OK && o.sock.timeout_ms == 3000);
	CHECK(parse(&o, &e, "-w", "0.25", "h", "1", NULL) == OPT_OK && o.sock.timeout_ms == 250);
	CHECK(parse(&o, &e, "-w", ".5", "h", "1", NULL) == OPT_BAD_NUMBER);
	CHECK(parse(&o, &e, "-w", "abc", "h", "1", NULL) == OPT_BAD_NUMBER);
	CHECK(e.what == Q_TIMEOUT && strcmp(e.errstr, "invalid") == 0 && strcmp(e.value, "abc") == 0);
	CHECK(parse(&o, &e, "-w", "-1", "h", "1", NULL) == OPT_BAD_NUMBER);
	CHECK(strcmp(e.errstr, "too small") == 0);
	CHECK(parse(&o, &e, "-w", "2147484", "h", "1", NULL) == OPT_BAD_NUMBER);
	CHECK(strcmp(e.errstr, "too large") == 0);

	/* -q: negative means never; any value >= 0 implies -N. */
	CHECK(parse(&o, &e, "-q", "-1", "h", "1", NULL) == OPT_OK);
	CHECK(o.relay.quit_ms == -1 && !o.relay.shutdown_on_eof);
	CHECK(parse(&o, &e, "-q", "0", "h", "1", NULL) == OPT_OK);
	CHECK(o.relay.quit_ms == 0 && o.relay.shutdown_on_eof);
	CHECK(parse(&o, &e, "-q", "abc", "h", "1", NULL) == OPT_BAD_NUMBER && e.what == Q_QUIT);

	CHECK(parse(&o, &e, "-i", "1.5", "h", "1", NULL) == OPT_OK && o.relay.interval_ms == 1500);
	CHECK(parse(&o, &e, "-i", "-1", "h", "1", NULL) == OPT_BAD_NUMBER && e.what == Q_INTERVAL);
	CHECK(parse(&o, &e, "-W", "0", "h", "1", NULL) == OPT_BAD_NUMBER);
	CHECK(e.what == Q_RECV_LIMIT && strcmp(e.errstr, "too small") == 0);
	CHECK(parse(&o, &e, "-I", "abc", "h", "1", NULL) == OPT_BAD_NUMBER && e.what == Q_RCVBUF);
	CHECK(parse(&o, &e, "-O", "0", "h", "1", NULL) == OPT_BAD_NUMBER && e.what == Q_SNDBUF);
	CHECK(parse(&o, &e, "-M", "300", "h", "1", NULL) == OPT_BAD_TTL);
	CHECK(strcmp(e.errstr, "too large") == 0);
	CHECK(parse(&o, &e, "-m", "abc", "h", "1", NULL) == OPT_BAD_MINTTL);
	CHECK(parse(&o, &e, "-M", "64", "-m", "1", "h", "1", NULL) == OPT_OK);
	CHECK(o.sock.ttl == 64 && o.sock.minttl == 1);
}

static void
test_seconds(void)
{
	long long ms;
	const char *errstr;

	CHECK(parse_seconds("0.001", 10000, &ms, &errstr) && ms == 1);
	CHECK(parse_seconds("1.0005", 10000, &ms, &errstr) && ms == 1001);
	CHECK(parse_seconds("10", 10000, &ms, &errstr) && ms == 10000);
	CHECK(!parse_seconds("10.5", 10000, &ms, &errstr) && strcmp(errstr, "too large") == 0);
	CHECK(!parse_seconds("1.", 10000, &ms, &errstr) && strcmp(errstr, "invalid") == 0);
	CHECK(!parse_seconds("1.x", 10000, &ms, &errstr) && strcmp(errstr, "invalid") == 0);
	/* Found by tests/fuzz: malformed is invalid, however large its digits. */
	CHECK(!parse_seconds("99999.x", 10000, &ms, &errstr) && strcmp(errstr, "invalid") == 0);
	CHECK(!parse_seconds("99999x.5", 10000, &ms, &errstr) && strcmp(errstr, "invalid") == 0);
}

static void
test_tos(void)
{
	struct nc_options o;
	struct opt_error e;

	CHECK(parse(&o, &e, "-T", "lowdelay", "h", "1", NULL) == OPT_OK && o.sock.tos == 0x10);
	CHECK(parse(&o, &e, "-T", "af41", "h", "1", NULL) == OPT_OK && o.sock.tos == 0x88);
	CHECK(parse(&o, &e, "-T", "0xff", "h", "1", NULL) == OPT_OK && o.sock.tos == 255);
	CHECK(parse(&o, &e, "-T", "256", "h", "1", NULL) == OPT_BAD_TOS);
	CHECK(strcmp(e.value, "256") == 0);
	CHECK(parse(&o, &e, "-T", "CS7", "h", "1", NULL) == OPT_BAD_TOS);
	CHECK(parse(&o, &e, "-T", "-1", "h", "1", NULL) == OPT_BAD_TOS);
}

/* The TLS options reach struct tls_options; -T tries TLS keywords before TOS. */
static void
test_tls(void)
{
	struct nc_options o;
	struct opt_error e;
	bool tls = cli_tls_built_in();
	enum opt_status ok = tls ? OPT_OK : OPT_NO_TLS;

	CHECK(parse(&o, &e, "h", "1", NULL) == OPT_OK && !o.tls.enabled && o.tls.min_days == -1);
	CHECK(parse(&o, &e, "-c", "-e", "name", "-R", "ca", "-K", "key", "--tls-cert", "crt",
	    "-T", "noname", "-T", "lowdelay", "h", "1", NULL) == ok);
	if (tls) {
		CHECK(o.tls.enabled && strcmp(o.tls.name, "name") == 0 && o.tls.noname);
		CHECK(strcmp(o.tls.ca_file, "ca") == 0 && strcmp(o.tls.key_file, "key") == 0);
		CHECK(strcmp(o.tls.cert_file, "crt") == 0 && o.sock.tos == 0x10);
		/* ncat's names are aliases. */
		CHECK(parse(&o, &e, "--ssl", "--ssl-trustfile", "b", "--ssl-servername", "n", "h",
		    "1", NULL) == OPT_OK);
		CHECK(o.tls.enabled && strcmp(o.tls.ca_file, "b") == 0 && strcmp(o.tls.name, "n") == 0);
		CHECK(parse(&o, &e, "-zc", "--tls-min-days=30", "h", "1", "2", NULL) == OPT_OK);
		CHECK(o.tls.min_days == 30 && o.scan.zero_io && o.nports == 2);
		CHECK(parse(&o, &e, "-lkc", "--tls-cert", "c", "-K", "k", "-T", "clientcert", "1",
		    NULL) == OPT_OK);
		CHECK(o.tls.clientcert && o.keep_listening);
	}
	/* Rule and keyword errors, with the value the reporter names. */
	CHECK(parse(&o, &e, "-T", "noverify", "h", "1", NULL) == (tls ? OPT_TLS : OPT_NO_TLS));
	CHECK(!tls || e.tls.status == TLS_OPT_KEYWORD_NEEDS_C);
	CHECK(parse(&o, &e, "-T", "tlsbogus", "h", "1", NULL) == OPT_TLS);
	CHECK(e.tls.status == TLS_OPT_ILLEGAL && strcmp(e.tls.value, "tlsbogus") == 0);
	CHECK(parse(&o, &e, "-T", "bogus", "h", "1", NULL) == OPT_BAD_TOS);
	CHECK(parse(&o, &e, "-c", "-u", "h", "1", NULL) == (tls ? OPT_TLS : OPT_NO_TLS));
	CHECK(!tls || (e.tls.status == TLS_OPT_CONFLICT && strcmp(e.tls.value, "-u") == 0));
	CHECK(parse(&o, &e, "--tls-peer-cert", "f", "h", "1", NULL) == (tls ? OPT_TLS : OPT_NO_TLS));
	CHECK(!tls || strcmp(e.tls.value, "--tls-peer-cert") == 0);
	CHECK(parse(&o, &e, "-c", "--tls-min-days", "x", "h", "1", NULL) == OPT_TLS);
	CHECK(e.tls.status == TLS_OPT_BAD_DAYS);
	/* Long names are exact: an abbreviation of several is refused. */
	CHECK(parse(&o, &e, "--tls-c", "x", "h", "1", NULL) == OPT_LONG_UNKNOWN && e.near == NULL);
	CHECK(parse(&o, &e, "--ssl=1", "h", "1", NULL) == OPT_LONG_NO_ARG);
	CHECK(parse(&o, &e, "h", "1", "--tls-ca", NULL) == OPT_LONG_MISSING);
	CHECK(strcmp(e.option, "tls-ca") == 0);
	/* -C and -Z keep Debian's meaning. */
	CHECK(parse(&o, &e, "-C", "h", "1", NULL) == OPT_OK && o.relay.crlf && !o.tls.enabled);
}

static void
test_errors(void)
{
	struct nc_options o;
	struct opt_error e;

	CHECK(parse(&o, &e, "-Y", "h", "1", NULL) == OPT_BAD_OPTION && e.letter == 'Y');
	CHECK(parse(&o, &e, "h", "1", "-s", NULL) == OPT_MISSING_ARG && e.letter == 's');
	CHECK(parse(&o, &e, "-h", NULL) == OPT_HELP);
	CHECK(parse(&o, &e, "--help", NULL) == OPT_HELP);
	CHECK(parse(&o, &e, "--version", NULL) == OPT_VERSION);
	CHECK(parse(&o, &e, "-V", "1", "h", "1", NULL) == OPT_NO_RTABLE);
	CHECK(parse(&o, &e, "-X", "7", "h", "1", NULL) == OPT_BAD_PROXY_PROTO);
	CHECK(parse(&o, &e, "-lz", "1", NULL) == OPT_CONFLICT && e.conflict == C_Z_AND_L);
	CHECK(parse(&o, &e, "-k", "h", "1", NULL) == OPT_CONFLICT && e.conflict == C_K_WITHOUT_L);
	CHECK(parse(&o, &e, "-l", "-x", "p", "1", NULL) == OPT_CONFLICT);
	CHECK(e.conflict == C_PROXY_LISTEN);
	CHECK(parse(&o, &e, "-u", "-x", "p", "h", "1", NULL) == OPT_CONFLICT);
	CHECK(e.conflict == C_PROXY_UDP);
	/* Shape errors come before conflicts, as in netcat-openbsd. */
	CHECK(parse(&o, &e, "-lz", "1", "2", "3", NULL) == OPT_USAGE);
	CHECK(parse(&o, &e, "-z", "-l", NULL) == OPT_MISSING_PORT);
	CHECK(parse(&o, &e, "-lU", NULL) == OPT_MISSING_PATH);
	CHECK(parse(&o, &e, "-U", "/x", "80", NULL) == OPT_UNIX_PORT);
	/* Found by tests/fuzz (long options: see test_long_options): -: is invalid. */
	CHECK(parse(&o, &e, "-:", "h", "1", NULL) == OPT_BAD_OPTION && e.letter == ':');
	CHECK(parse(&o, &e, "-\xff", "h", "1", NULL) == OPT_BAD_OPTION && e.letter == '\xff');
}

static void
test_unix(void)
{
	struct nc_options o;
	struct opt_error e;

	CHECK(parse(&o, &e, "-U", "/x", NULL) == OPT_OK && o.unix_socket && !o.seqpacket);
	CHECK(strcmp(o.host, "/x") == 0);
	CHECK(parse(&o, &e, "-luU", "@a", NULL) == OPT_OK && o.udp && o.listen);
	/* --seqpacket alone means -U --seqpacket. */
	CHECK(parse(&o, &e, "--seqpacket", "/x", NULL) == OPT_OK && o.unix_socket && o.seqpacket);
	CHECK(parse(&o, &e, "--seqpacket", "-u", "/x", NULL) == OPT_CONFLICT);
	CHECK(e.conflict == C_SEQPACKET_UDP);
	/* -F hands the connection on: no waiting or checking, and host and port as netcat. */
	CHECK(parse(&o, &e, "-F", "--http", "h", "80", NULL) == OPT_CONFLICT && e.conflict == C_F_AND_WAIT);
	CHECK(parse(&o, &e, "-F", "--wait", "1", "h", "80", NULL) == OPT_CONFLICT);
	CHECK(parse(&o, &e, "-F", "-z", "h:80", NULL) == OPT_MISSING_PORT);
	CHECK(parse(&o, &e, "--seqpacket", "/x", "80", NULL) == OPT_UNIX_PORT);
	/* -s names the datagram client's own socket; netcat-openbsd refuses it elsewhere. */
	CHECK(parse(&o, &e, "-uU", "-s", "/me", "/x", NULL) == OPT_OK);
	CHECK(strcmp(o.sock.source_addr, "/me") == 0);
	CHECK(parse(&o, &e, "-U", "-s", "/me", "/x", NULL) == OPT_USAGE);
	CHECK(parse(&o, &e, "-luU", "-s", "/me", "/x", NULL) == OPT_USAGE);
	CHECK(parse(&o, &e, "-uU", "-p", "1", "/x", NULL) == OPT_USAGE);
	CHECK(parse(&o, &e, "-U", "-x", "p", "/x", NULL) == OPT_CONFLICT);
	CHECK(e.conflict == C_PROXY_UNIX);
	CHECK(parse(&o, &e, "-U", "-F", "/x", NULL) == OPT_CONFLICT && e.conflict == C_F_AND_U);
}

static void
test_long_options(void)
{
	struct nc_options o;
	struct opt_error e;

	CHECK(parse(&o, &e, "--wait", "2.5", "h", "1", NULL) == OPT_OK && o.scan.wait_ms == 2500);
	CHECK(parse(&o, &e, "--wait=3", "h", "1", NULL) == OPT_OK && o.scan.wait_ms == 3000);
	CHECK(parse(&o, &e, "h", "1", "--json", NULL) == OPT_OK && o.json);

	/* A value where none belongs is refused, not dropped. */
	CHECK(parse(&o, &e, "--json=1", "-z", "h", "1", NULL) == OPT_LONG_NO_ARG);
	CHECK(strcmp(e.option, "json") == 0);
	CHECK(parse(&o, &e, "--help=x", NULL) == OPT_LONG_NO_ARG && strcmp(e.option, "help") == 0);
	CHECK(parse(&o, &e, "--version=", NULL) == OPT_LONG_NO_ARG);
	CHECK(parse(&o, &e, "--seqpacket=1", "/x", NULL) == OPT_LONG_NO_ARG);
	CHECK(strcmp(e.option, "seqpacket") == 0);
	CHECK(parse(&o, &e, "h", "1", "--wait", NULL) == OPT_LONG_MISSING);
	CHECK(strcmp(e.option, "wait") == 0);

	CHECK(parse(&o, &e, "--sctp", "h", "1", NULL) == OPT_LONG_UNKNOWN);
	CHECK(strcmp(e.value, "--sctp") == 0 && e.near == NULL);
	/* Another netcat's name for an option of ours points to ours. */
	CHECK(parse(&o, &e, "--listen", "1", NULL) == OPT_LONG_UNKNOWN);
	CHECK(e.near != NULL && strcmp(e.near->ours, "-l") == 0);
	CHECK(parse(&o, &e, "--source-port=5", "h", "1", NULL) == OPT_LONG_UNKNOWN);
	CHECK(strcmp(e.value, "--source-port=5") == 0 && strcmp(e.near->ours, "-p") == 0);
	CHECK(parse(&o, &e, "--source", "a", "h", "1", NULL) == OPT_LONG_UNKNOWN);
	CHECK(strcmp(e.near->ours, "-s") == 0);
	/* Abbreviations are refused, naming the option when only one fits. */
	CHECK(parse(&o, &e, "--wai", "5", "h", "1", NULL) == OPT_LONG_UNKNOWN);
	CHECK(e.near != NULL && strcmp(e.near->name, "wait") == 0 && e.near->ours == NULL);
	CHECK(parse(&o, &e, "--js", "h", "1", NULL) == OPT_LONG_UNKNOWN);
	CHECK(e.near != NULL && strcmp(e.near->name, "json") == 0);
	CHECK(parse(&o, &e, "--ver", NULL) == OPT_LONG_UNKNOWN && e.near == NULL);
	CHECK(parse(&o, &e, "--=x", NULL) == OPT_LONG_UNKNOWN && e.near == NULL);

	/* Short options are untouched: ':' and '?' are letters like any other. */
	CHECK(parse(&o, &e, "-:", "h", "1", NULL) == OPT_BAD_OPTION && e.letter == ':');
	CHECK(parse(&o, &e, "-?", NULL) == OPT_BAD_OPTION && e.letter == '?');
	CHECK(parse(&o, &e, "-zv", "--", "h", "1", NULL) == OPT_OK && o.nports == 1);
}

static void
test_long_table(void)
{
	size_t n;
	const struct long_option *t = options_long_table(&n);

	for (size_t i = 0; i < n; i++) {
		CHECK(t[i].name[0] != '-' && t[i].name[0] != '\0');
		CHECK(strchr(t[i].name, '=') == NULL);
		CHECK((t[i].id != 0) == (t[i].ours == NULL));
		for (size_t j = i + 1; j < n; j++)
			CHECK(strcmp(t[i].name, t[j].name) != 0);
	}
}

/* -h lists every long option of the table and marks what a later version implements. */
static void
test_help_lists_options(void)
{
	size_t n, len = 0;
	const struct long_option *t = options_long_table(&n);
	FILE *f = tmpfile();
	int saved = dup(STDERR_FILENO);
	char *text = NULL;

	CHECK(f != NULL && saved >= 0);
	if (f == NULL || saved < 0)
		return;
	dup2(fileno(f), STDERR_FILENO);
	report_help();
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	rewind(f);
	CHECK(getdelim(&text, &len, '\0', f) > 0);
	fclose(f);
	if (text == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		char want[64];
		if (t[i].id == 0)
			continue;
		/* The whole name: a line of its own, or an alias in a line's text (TLS). */
		snprintf(want, sizeof(want), "--%s", t[i].name);
		bool found = false;
		for (const char *at = strstr(text, want); at != NULL && !found;
		     at = strstr(at + 1, want)) {
			char next = at[strlen(want)];
			found = next != '-' && (next < 'a' || next > 'z');
		}
		CHECK(found);
	}
	for (const char *c = "46bCcDdeFHhIiKkMlmNnOoPpqRrSsTtUuVvWwXxZz"; *c != '\0'; c++) {
		char opt[8], *at;
		snprintf(opt, sizeof(opt), "\t\t-%c", *c);
		at = strstr(text, opt);
		CHECK(at != NULL);
		if (at == NULL)
			continue;
		size_t line = strcspn(at, "\n");
		bool marked = memmem(at, line, "(not implemented yet)", 21) != NULL;
		CHECK(marked == !options_implemented(*c));
	}
	CHECK(options_implemented('x') && options_implemented('Z') && options_implemented('l'));
	CHECK(options_implemented('t'));
	free(text);
}

static void
test_empty_port(void)
{
	struct nc_options o;
	struct opt_error e;

	CHECK(parse(&o, &e, "-p", "", "h", "1", NULL) == OPT_EMPTY_PORT);
	CHECK(parse(&o, &e, "-l", "", NULL) == OPT_EMPTY_PORT);
	CHECK(parse(&o, &e, "-l", "127.0.0.1", "", NULL) == OPT_EMPTY_PORT);
	CHECK(parse(&o, &e, "-lu", "", NULL) == OPT_EMPTY_PORT);
	CHECK(parse(&o, &e, "-l", "-p", "", NULL) == OPT_EMPTY_PORT);
	/* With -U the operand is a path: an empty one is the connector's to refuse. */
	CHECK(parse(&o, &e, "-lU", "", NULL) == OPT_OK);
	CHECK(parse(&o, &e, "-l", "0", NULL) == OPT_OK);
}

/* Parses -x and checks the host and port it came to. */
static bool
proxy_is(const char *x, const char *proto, const char *host, const char *port)
{
	struct nc_options o;
	struct opt_error e;
	enum opt_status st = proto == NULL ? parse(&o, &e, "-x", x, "h", "1", NULL)
					   : parse(&o, &e, "-X", proto, "-x", x, "h", "1", NULL);

	return st == OPT_OK && strcmp(o.proxy.host, host) == 0 && strcmp(o.proxy.port, port) == 0;
}

static void
test_proxy_address(void)
{
	struct nc_options o;
	struct opt_error e;

	CHECK(parse(&o, &e, "-F", "-S", "-t", "-Z", "h", "1", NULL) == OPT_OK);
	CHECK(o.pass_fd && o.sock.md5sig && o.relay.telnet && o.dccp);
	CHECK(parse(&o, &e, "-X", "5", "-x", "p", "-P", "bob", "h", "1", NULL) == OPT_OK);
	CHECK(o.proxy.proto == PROXY_SOCKS5 && strcmp(o.proxy.user, "bob") == 0);
	/* SOCKS5 unless -X says otherwise; the default port follows the protocol. */
	CHECK(parse(&o, &e, "-x", "p", "h", "1", NULL) == OPT_OK && o.proxy.proto == PROXY_SOCKS5);
	CHECK(proxy_is("127.0.0.1", NULL, "127.0.0.1", "1080"));
	CHECK(proxy_is("127.0.0.1", "4", "127.0.0.1", "1080"));
	CHECK(proxy_is("127.0.0.1", "connect", "127.0.0.1", "3128"));
	CHECK(proxy_is("127.0.0.1", "CONNECT", "127.0.0.1", "3128"));
	CHECK(proxy_is("127.0.0.1:8080", "connect", "127.0.0.1", "8080"));
	CHECK(proxy_is("proxy:socks", NULL, "proxy", "socks"));
	CHECK(proxy_is("[::1]:1081", NULL, "::1", "1081"));
	CHECK(proxy_is("[::1]", NULL, "::1", "1080"));
	/* Unbracketed, the last colon splits, as netcat-openbsd: a host ":" and port 1. */
	CHECK(proxy_is("::1", NULL, ":", "1"));
	CHECK(proxy_is(":1080", NULL, "", "1080"));
	CHECK(proxy_is("[]", NULL, "", "1080"));
	CHECK(parse(&o, &e, "-x", "[::1", "h", "1", NULL) == OPT_PROXY_BRACKET);
	CHECK(parse(&o, &e, "-x", "[::1]x", "h", "1", NULL) == OPT_PROXY_DELIMITER);
	CHECK(parse(&o, &e, "-x", "[::1]1080", "h", "1", NULL) == OPT_PROXY_DELIMITER);
	CHECK(parse(&o, &e, "-x", "p:", "h", "1", NULL) == OPT_PROXY_PORT);
	CHECK(strcmp(e.errstr, "invalid") == 0 && strcmp(e.value, "") == 0);
	CHECK(parse(&o, &e, "-x", "[::1]:", "h", "1", NULL) == OPT_PROXY_PORT);
	CHECK(parse(&o, &e, "-x", "p:0", "h", "1", NULL) == OPT_PROXY_PORT);
	CHECK(strcmp(e.errstr, "too small") == 0);
	CHECK(parse(&o, &e, "-x", "p:99999", "h", "1", NULL) == OPT_PROXY_PORT);
	CHECK(strcmp(e.errstr, "too large") == 0 && strcmp(e.value, "99999") == 0);
	CHECK(parse(&o, &e, "-x", "p:12x", "h", "1", NULL) == OPT_PROXY_PORT);
	char longhost[PROXY_HOST_MAX + 8];
	memset(longhost, 'a', sizeof(longhost) - 1);
	longhost[sizeof(longhost) - 1] = '\0';
	CHECK(parse(&o, &e, "-x", longhost, "h", "1", NULL) == OPT_PROXY_TOO_LONG);
	/* Conflicts first, as netcat-openbsd checks them before the address. */
	CHECK(parse(&o, &e, "-l", "-x", "[p", "1", NULL) == OPT_CONFLICT);
	CHECK(e.conflict == C_PROXY_LISTEN);
	CHECK(parse(&o, &e, "-u", "-x", "[p", "h", "1", NULL) == OPT_CONFLICT);
	CHECK(e.conflict == C_PROXY_UDP);
	CHECK(parse(&o, &e, "-x", "p", "-s", "127.0.0.1", "h", "1", NULL) == OPT_CONFLICT);
	CHECK(e.conflict == C_PROXY_SOURCE);
	CHECK(parse(&o, &e, "-x", "p", "-U", "/tmp/s", NULL) == OPT_CONFLICT);
	CHECK(e.conflict == C_PROXY_UNIX);
	CHECK(parse(&o, &e, "-X", "6", "-x", "p", "h", "1", NULL) == OPT_BAD_PROXY_PROTO);
	/* -P and -X alone change nothing. */
	CHECK(parse(&o, &e, "-P", "bob", "-X", "4", "h", "1", NULL) == OPT_OK && o.proxy.addr == NULL);
}

/* --send, --expect, --http[=PATH]: kept as typed, imply -z, and their conflicts. */
static void
test_checks(void)
{
	struct nc_options o;
	struct opt_error e;

	CHECK(parse(&o, &e, "--send", "PING\\r\\n", "--expect", "^\\+PONG", "h:1", NULL) == OPT_OK);
	CHECK(strcmp(o.scan.send, "PING\\r\\n") == 0 && strcmp(o.scan.expect, "^\\+PONG") == 0);
	CHECK(o.scan.zero_io && o.scan.http_path == NULL && options_check(&o));
	CHECK(parse(&o, &e, "--http", "h", "80", NULL) == OPT_OK && strcmp(o.scan.http_path, "/") == 0);
	CHECK(o.nports == 1 && strcmp(o.host, "h") == 0);
	CHECK(parse(&o, &e, "--http=/healthz", "h:80", NULL) == OPT_OK);
	CHECK(strcmp(o.scan.http_path, "/healthz") == 0);
	/* --http takes no separate value: the next word is an operand. */
	CHECK(parse(&o, &e, "--http", "/x", "h:1", NULL) == OPT_OK && strcmp(o.host, "/x") == 0);
	CHECK(parse(&o, &e, "-z", "h", "1", NULL) == OPT_OK && !options_check(&o));
	CHECK(parse(&o, &e, "--send", NULL) == OPT_LONG_MISSING && strcmp(e.option, "send") == 0);
	CHECK(parse(&o, &e, "--expect", NULL) == OPT_LONG_MISSING);
	CHECK(parse(&o, &e, "--htt", "h:1", NULL) == OPT_LONG_UNKNOWN && e.near != NULL &&
	      strcmp(e.near->name, "http") == 0);

	CHECK(parse(&o, &e, "--send", "x", "--http", "h:1", NULL) == OPT_CONFLICT &&
	      e.conflict == C_SEND_AND_HTTP);
	CHECK(parse(&o, &e, "-u", "--http", "h:1", NULL) == OPT_CONFLICT && e.conflict == C_HTTP_AND_UDP);
	CHECK(parse(&o, &e, "-uU", "--http", "/p", NULL) == OPT_CONFLICT && e.conflict == C_HTTP_AND_UDP);
	CHECK(parse(&o, &e, "-l", "--send", "x", "1", NULL) == OPT_CONFLICT && e.conflict == C_SEND_AND_L);
	CHECK(parse(&o, &e, "-l", "--expect", "x", "1", NULL) == OPT_CONFLICT &&
	      e.conflict == C_EXPECT_AND_L);
	CHECK(parse(&o, &e, "-l", "--http", "1", NULL) == OPT_CONFLICT && e.conflict == C_HTTP_AND_L);
	CHECK(parse(&o, &e, "-uU", "--send", "x", "/p", NULL) == OPT_CONFLICT &&
	      e.conflict == C_SEND_AND_UNIX_DGRAM);
	CHECK(parse(&o, &e, "-uU", "--expect", "x", "/p", NULL) == OPT_CONFLICT &&
	      e.conflict == C_EXPECT_AND_UNIX_DGRAM);
	CHECK(parse(&o, &e, "-U", "--http", "/p", NULL) == OPT_OK);
	CHECK(parse(&o, &e, "-u", "--send", "x", "--expect", "y", "h:1", NULL) == OPT_OK);
}

/* HOST:PORT alone, and several -U paths, only where probing gives them a meaning. */
static void
test_targets(void)
{
	struct nc_options o;
	struct opt_error e;

	CHECK(parse(&o, &e, "-z", "db:5432", NULL) == OPT_OK);
	CHECK(strcmp(o.host, "db:5432") == 0 && o.nports == 0);
	CHECK(parse(&o, &e, "--wait", "1", "[::1]:80", NULL) == OPT_OK && o.nports == 0);
	CHECK(parse(&o, &e, "--expect", "x", "db:1", NULL) == OPT_OK && o.nports == 0);
	CHECK(parse(&o, &e, "-z", "db:1", "cache:2", NULL) == OPT_OK && o.nports == 1);
	/* netcat's meaning outside -z, and for an unbracketed IPv6 address. */
	CHECK(parse(&o, &e, "db:5432", NULL) == OPT_MISSING_PORT);
	CHECK(parse(&o, &e, "-z", "::1", NULL) == OPT_MISSING_PORT);
	CHECK(parse(&o, &e, "-z", "db", NULL) == OPT_MISSING_PORT);
	CHECK(parse(&o, &e, "-l", "-z", "db:1", NULL) == OPT_MISSING_PORT ||
	      e.status == OPT_USAGE || e.status == OPT_CONFLICT);

	CHECK(parse(&o, &e, "-U", "--wait", "1", "/a", "/b", "/c", NULL) == OPT_OK);
	CHECK(strcmp(o.host, "/a") == 0 && o.nports == 2 && strcmp(o.ports[1], "/c") == 0);
	CHECK(parse(&o, &e, "-U", "--http", "/a", "/b", NULL) == OPT_OK && o.nports == 1);
	/* netcat's: a second operand with -U is a port, with -z too. */
	CHECK(parse(&o, &e, "-zU", "/a", "80", NULL) == OPT_UNIX_PORT);
	CHECK(parse(&o, &e, "-U", "/a", "/b", NULL) == OPT_UNIX_PORT);
	CHECK(parse(&o, &e, "-lU", "/a", "/b", NULL) == OPT_UNIX_PORT);
}

int
main(void)
{
	test_long_options();
	test_long_table();
	test_help_lists_options();
	test_empty_port();
	test_proxy_address();
	test_unix();
	test_connect_operands();
	test_listen_operands();
	test_flags();
	test_numbers();
	test_seconds();
	test_tos();
	test_tls();
	test_errors();
	test_checks();
	test_targets();
	return check_summary("options");
}
