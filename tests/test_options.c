/* Unit tests of the option parser: argv in, struct or error out. */
#include <stdarg.h>
#include <sys/socket.h>

#include "check.h"
#include "cli/cli_options.h"

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
	CHECK(o.zero_io && o.verbose == 1);
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
	CHECK(o.family == AF_INET6 && o.crlf && o.debug_socket && o.no_stdin);
	CHECK(o.shutdown_on_eof && o.numeric && o.random_ports);
	CHECK(parse(&o, &e, "-6", "-4", "h", "1", NULL) == OPT_OK && o.family == AF_INET);
	CHECK(parse(&o, &e, "h", "1", NULL) == OPT_OK);
	CHECK(o.family == AF_UNSPEC && o.timeout_ms == -1 && o.quit_ms == -1 && !o.shutdown_on_eof);
}

static void
test_numbers(void)
{
	struct nc_options o;
	struct opt_error e;

	CHECK(parse(&o, &e, "-w", "3", "h", "1", NULL) == OPT_OK && o.timeout_ms == 3000);
	CHECK(parse(&o, &e, "-w", "0.25", "h", "1", NULL) == OPT_OK && o.timeout_ms == 250);
	CHECK(parse(&o, &e, "-w", ".5", "h", "1", NULL) == OPT_BAD_NUMBER);
	CHECK(parse(&o, &e, "-w", "abc", "h", "1", NULL) == OPT_BAD_NUMBER);
	CHECK(e.what == Q_TIMEOUT && strcmp(e.errstr, "invalid") == 0 && strcmp(e.value, "abc") == 0);
	CHECK(parse(&o, &e, "-w", "-1", "h", "1", NULL) == OPT_BAD_NUMBER);
	CHECK(strcmp(e.errstr, "too small") == 0);
	CHECK(parse(&o, &e, "-w", "2147484", "h", "1", NULL) == OPT_BAD_NUMBER);
	CHECK(strcmp(e.errstr, "too large") == 0);

	/* -q: negative means never; any value >= 0 implies -N. */
	CHECK(parse(&o, &e, "-q", "-1", "h", "1", NULL) == OPT_OK);
	CHECK(o.quit_ms == -1 && !o.shutdown_on_eof);
	CHECK(parse(&o, &e, "-q", "0", "h", "1", NULL) == OPT_OK);
	CHECK(o.quit_ms == 0 && o.shutdown_on_eof);
	CHECK(parse(&o, &e, "-q", "abc", "h", "1", NULL) == OPT_BAD_NUMBER && e.what == Q_QUIT);

	CHECK(parse(&o, &e, "-i", "1.5", "h", "1", NULL) == OPT_OK && o.interval_ms == 1500);
	CHECK(parse(&o, &e, "-i", "-1", "h", "1", NULL) == OPT_BAD_NUMBER && e.what == Q_INTERVAL);
	CHECK(parse(&o, &e, "-W", "0", "h", "1", NULL) == OPT_BAD_NUMBER);
	CHECK(e.what == Q_RECV_LIMIT && strcmp(e.errstr, "too small") == 0);
	CHECK(parse(&o, &e, "-I", "abc", "h", "1", NULL) == OPT_BAD_NUMBER && e.what == Q_RCVBUF);
	CHECK(parse(&o, &e, "-O", "0", "h", "1", NULL) == OPT_BAD_NUMBER && e.what == Q_SNDBUF);
	CHECK(parse(&o, &e, "-M", "300", "h", "1", NULL) == OPT_BAD_TTL);
	CHECK(strcmp(e.errstr, "too large") == 0);
	CHECK(parse(&o, &e, "-m", "abc", "h", "1", NULL) == OPT_BAD_MINTTL);
	CHECK(parse(&o, &e, "-M", "64", "-m", "1", "h", "1", NULL) == OPT_OK);
	CHECK(o.ttl == 64 && o.minttl == 1);
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

	CHECK(parse(&o, &e, "-T", "lowdelay", "h", "1", NULL) == OPT_OK && o.tos == 0x10);
	CHECK(parse(&o, &e, "-T", "af41", "h", "1", NULL) == OPT_OK && o.tos == 0x88);
	CHECK(parse(&o, &e, "-T", "0xff", "h", "1", NULL) == OPT_OK && o.tos == 255);
	CHECK(parse(&o, &e, "-T", "256", "h", "1", NULL) == OPT_BAD_TOS);
	CHECK(strcmp(e.value, "256") == 0);
	CHECK(parse(&o, &e, "-T", "CS7", "h", "1", NULL) == OPT_BAD_TOS);
	CHECK(parse(&o, &e, "-T", "-1", "h", "1", NULL) == OPT_BAD_TOS);
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
	/* Found by tests/fuzz: a long option given a value it does not take is invalid... */
	CHECK(parse(&o, &e, "--json=1", "-z", "h", "1", NULL) == OPT_BAD_OPTION && e.letter == '-');
	CHECK(parse(&o, &e, "--help=x", NULL) == OPT_BAD_OPTION && e.letter == '-');
	/* ...one missing its value is not named by its internal code, and -: is invalid. */
	CHECK(parse(&o, &e, "-z", "h", "1", "--wait", NULL) == OPT_MISSING_ARG && e.letter == '-');
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
	CHECK(parse(&o, &e, "--seqpacket", "/x", "80", NULL) == OPT_UNIX_PORT);
	/* -s names the datagram client's own socket; netcat-openbsd refuses it elsewhere. */
	CHECK(parse(&o, &e, "-uU", "-s", "/me", "/x", NULL) == OPT_OK);
	CHECK(strcmp(o.source_addr, "/me") == 0);
	CHECK(parse(&o, &e, "-U", "-s", "/me", "/x", NULL) == OPT_USAGE);
	CHECK(parse(&o, &e, "-luU", "-s", "/me", "/x", NULL) == OPT_USAGE);
	CHECK(parse(&o, &e, "-uU", "-p", "1", "/x", NULL) == OPT_USAGE);
	CHECK(parse(&o, &e, "-U", "-x", "p", "/x", NULL) == OPT_CONFLICT);
	CHECK(e.conflict == C_PROXY_UNIX);
	CHECK(parse(&o, &e, "-U", "-F", "/x", NULL) == OPT_CONFLICT && e.conflict == C_F_AND_U);
}

int
main(void)
{
	test_unix();
	test_connect_operands();
	test_listen_operands();
	test_flags();
	test_numbers();
	test_seconds();
	test_tos();
	test_errors();
	return check_summary("options");
}
