/* Turns argv into struct nc_options. Pure: no I/O, no globals kept. */
#include "cli/cli_options.h"

#include "cli/cli_keyword.h"
#include "cli/cli_operands.h"

#include <bsd/stdlib.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Every TLS long option has LONG_TLS; its name says which (cli_tls_apply). */
enum { LONG_HELP = 256, LONG_VERSION, LONG_SEQPACKET, LONG_JSON, LONG_WAIT, LONG_SEND,
       LONG_EXPECT, LONG_HTTP, LONG_TLS };

#define TLS_ROW(name, has_arg) {name, LONG_TLS, has_arg, NULL},

static const struct long_option long_table[] = {
	{"help", LONG_HELP, false, NULL},
	{"version", LONG_VERSION, false, NULL},
	{"seqpacket", LONG_SEQPACKET, false, NULL},
	{"json", LONG_JSON, false, NULL},
	{"wait", LONG_WAIT, true, NULL},
	{"send", LONG_SEND, true, NULL},
	{"expect", LONG_EXPECT, true, NULL},
	{"http", LONG_HTTP, false, NULL}, /* --http or --http=PATH: see value_optional() */
	CLI_TLS_LONG_OPTIONS(TLS_ROW)
	/* ncat's names (its --wait is our -w, but --wait is ours). */
	{"listen", 0, false, "-l"},
	{"udp", 0, false, "-u"},
	{"verbose", 0, false, "-v"},
	{"keep-open", 0, false, "-k"},
	{"source-port", 0, false, "-p"},
	{"source", 0, false, "-s"},
	{"idle-timeout", 0, false, "-w"},
	{"nodns", 0, false, "-n"},
	{"unixsock", 0, false, "-U"},
	{"crlf", 0, false, "-C"},
	{"recv-only", 0, false, "-d"},
	{"send-only", 0, false, "-q 0"},
	{"delay", 0, false, "-i"},
	{"telnet", 0, false, "-t"},
	{"proxy", 0, false, "-x"},
	{"proxy-type", 0, false, "-X"},
	/* GNU netcat's, and other common spellings. */
	{"local-port", 0, false, "-p"},
	{"dont-resolve", 0, false, "-n"},
	{"interval", 0, false, "-i"},
	{"randomize", 0, false, "-r"},
	{"close", 0, false, "-N"},
	{"zero", 0, false, "-z"},
	{"ipv4", 0, false, "-4"},
	{"ipv6", 0, false, "-6"},
	{"usage", 0, false, "-h"},
};

#define NLONG (sizeof(long_table) / sizeof(long_table[0]))

/* A value only as --name=VALUE, never as the next word (which stays an operand). */
static bool
value_optional(int id)
{
	return id == LONG_HTTP;
}

const struct long_option *
options_long_table(size_t *n)
{
	*n = NLONG;
	return long_table;
}

/* The option letters of netcat-openbsd 1.219, and OpenBSD's TLS letters, in getopt form. */
static const char short_options[] =
    ":46bCcDde:FhH:I:i:K:klM:m:NnO:o:P:p:q:R:rSs:T:tUuV:vW:w:X:x:Zz";

/* Those that a later version implements: refused, never silently ignored. */
static const char not_yet_letters[] = "";

bool
options_implemented(int letter)
{
	return letter <= 0 || letter > 0x7f || strchr(not_yet_letters, letter) == NULL;
}

static enum opt_status
bad_number(struct opt_error *err, enum opt_quantity what, const char *errstr, const char *value)
{
	err->status = OPT_BAD_NUMBER;
	err->what = what;
	err->errstr = errstr;
	err->value = value;
	return err->status;
}

bool
parse_seconds(const char *s, long long max_ms, long long *ms, const char **errstr)
{
	const char *dot = strchr(s, '.');
	if (dot == NULL) {
		long long secs = strtonum(s, 0, max_ms / 1000, errstr);
		if (*errstr != NULL)
			return false;
		*ms = secs * 1000;
		return true;
	}
	/* A fraction: whole part of digits, then 1-9 digits; malformed before too large. */
	long long whole = 0;
	const char *p = s;
	if (p == dot || dot[1] == '\0' || strlen(dot + 1) > 9 ||
	    strspn(s, "0123456789") != (size_t)(dot - s) ||
	    strspn(dot + 1, "0123456789") != strlen(dot + 1))
		goto invalid;
	for (; p < dot; p++) {
		if (*p < '0' || *p > '9')
			goto invalid;
		whole = whole * 10 + (*p - '0');
		if (whole > max_ms / 1000) {
			*errstr = "too large";
			return false;
		}
	}
	long long frac_ms = 0;
	int digits = 0;
	for (p = dot + 1; *p != '\0'; p++, digits++) {
		if (*p < '0' || *p > '9')
			goto invalid;
		if (digits < 3)
			frac_ms = frac_ms * 10 + (*p - '0');
		else if (digits == 3 && *p >= '5')
			frac_ms++; /* round to the nearest millisecond */
	}
	for (; digits < 3; digits++)
		frac_ms *= 10;
	*ms = whole * 1000 + frac_ms;
	if (*ms > max_ms) {
		*errstr = "too large";
		return false;
	}
	*errstr = NULL;
	return true;
invalid:
	*errstr = "invalid";
	return false;
}

static void
set_defaults(struct nc_options *o)
{
	memset(o, 0, sizeof(*o));
	cli_tls_init(&o->tls);
	o->sock.family = AF_UNSPEC;
	o->sock.ttl = -1;
	o->sock.minttl = -1;
	o->sock.tos = -1;
	o->relay.quit_ms = -1;
	o->sock.timeout_ms = -1;
	o->scan.wait_ms = -1;
}

/* One option's value into *o; returns OPT_OK or the error. */
static enum opt_status
take_option(int c, const char *arg, struct nc_options *o, struct opt_error *err)
{
	const char *errstr = NULL;
	long long n;

	switch (c) {
	case '4': o->sock.family = AF_INET; break;
	case '6': o->sock.family = AF_INET6; break;
	case 'b': o->sock.broadcast = true; break;
	case 'C': o->relay.crlf = true; break;
	case 'D': o->sock.debug_socket = true; break;
	case 'd': o->relay.no_stdin = true; break;
	case 'F': o->pass_fd = true; break;
	case 'k': o->keep_listening = true; break;
	case 'l': o->listen = true; break;
	case 'N': o->relay.shutdown_on_eof = true; break;
	case 'n': o->sock.numeric = true; break;
	case 'r': o->scan.random_ports = true; break;
	case 'S': o->sock.md5sig = true; break;
	case 't': o->relay.telnet = true; break;
	case 'U': o->unix_socket = true; break;
	case 'u': o->udp = true; break;
	case 'v': o->verbose++; break;
	case 'Z': o->dccp = true; break;
	case 'z': o->scan.zero_io = true; break;
	case LONG_SEQPACKET: o->seqpacket = true; break;
	case 'h':
	case LONG_HELP: err->status = OPT_HELP; return OPT_HELP;
	case LONG_VERSION: err->status = OPT_VERSION; return OPT_VERSION;
	case 'I':
		o->sock.rcvbuf = (int)strtonum(arg, 1, INT_MAX, &errstr);
		if (errstr != NULL)
			return bad_number(err, Q_RCVBUF, errstr, arg);
		break;
	case 'O':
		o->sock.sndbuf = (int)strtonum(arg, 1, INT_MAX, &errstr);
		if (errstr != NULL)
			return bad_number(err, Q_SNDBUF, errstr, arg);
		break;
	case 'i':
		if (!parse_seconds(arg, (long long)UINT_MAX * 1000, &o->relay.interval_ms, &errstr))
			return bad_number(err, Q_INTERVAL, errstr, arg);
		o->scan.interval_given = true;
		break;
	case 'w':
		if (!parse_seconds(arg, (long long)(INT_MAX / 1000) * 1000, &o->sock.timeout_ms, &errstr))
			return bad_number(err, Q_TIMEOUT, errstr, arg);
		break;
	case 'q':
		if (arg[0] == '-') {
			/* Any negative value means "never quit". */
			strtonum(arg, INT_MIN, -1, &errstr);
			if (errstr != NULL)
				return bad_number(err, Q_QUIT, errstr, arg);
			o->relay.quit_ms = -1;
		} else if (!parse_seconds(arg, (long long)INT_MAX * 1000, &o->relay.quit_ms, &errstr)) {
			return bad_number(err, Q_QUIT, errstr, arg);
		}
		break;
	case 'W':
		o->relay.recv_limit = strtonum(arg, 1, INT_MAX, &errstr);
		if (errstr != NULL)
			return bad_number(err, Q_RECV_LIMIT, errstr, arg);
		break;
	case 'M':
		n = strtonum(arg, 0, 255, &errstr);
		if (errstr != NULL) {
			err->status = OPT_BAD_TTL;
			err->errstr = errstr;
			return err->status;
		}
		o->sock.ttl = (int)n;
		break;
	case 'm':
		n = strtonum(arg, 0, 255, &errstr);
		if (errstr != NULL) {
			err->status = OPT_BAD_MINTTL;
			err->errstr = errstr;
			return err->status;
		}
		o->sock.minttl = (int)n;
		break;
	case 'T':
		switch (cli_keyword(&o->tls, &o->sock.tos, arg, &err->tls)) {
		case TLS_OPT_OK:
			break;
		case TLS_OPT_NOT_TLS:
			err->status = OPT_BAD_TOS;
			err->value = arg;
			return err->status;
		default:
			return (err->status = OPT_TLS);
		}
		break;
	case 'V':
		err->status = OPT_NO_RTABLE;
		return err->status;
	case 'X':
		if (strcasecmp(arg, "connect") == 0)
			o->proxy.proto = PROXY_HTTP;
		else if (strcmp(arg, "4") == 0)
			o->proxy.proto = PROXY_SOCKS4;
		else if (strcmp(arg, "5") == 0)
			o->proxy.proto = PROXY_SOCKS5;
		else {
			err->status = OPT_BAD_PROXY_PROTO;
			return err->status;
		}
		break;
	case LONG_JSON: o->json = true; break;
	case LONG_WAIT:
		if (!parse_seconds(arg, (long long)(INT_MAX / 1000) * 1000, &o->scan.wait_ms, &errstr))
			return bad_number(err, Q_WAIT, errstr, arg);
		break;
	case LONG_SEND: o->scan.send = arg; break;
	case LONG_EXPECT: o->scan.expect = arg; break;
	case LONG_HTTP: o->scan.http_path = arg != NULL ? arg : "/"; break;
	case 'x': o->proxy.addr = arg; break;
	case 'P': o->proxy.user = arg; break;
	case 'p':
		/* netcat-openbsd lets the kernel pick a port for an empty one. */
		if (*arg == '\0')
			return (err->status = OPT_EMPTY_PORT);
		o->sock.source_port = arg;
		break;
	case 's': o->sock.source_addr = arg; break;
	default:
		err->status = OPT_BAD_OPTION;
		err->letter = (char)c;
		return err->status;
	}
	return OPT_OK;
}

static enum opt_status
conflict(struct opt_error *err, enum opt_conflict which)
{
	err->status = OPT_CONFLICT;
	err->conflict = which;
	return err->status;
}

bool
options_check(const struct nc_options *o)
{
	return o->scan.send != NULL || o->scan.expect != NULL || o->scan.http_path != NULL;
}

/*
 * Whether the operands are things to probe: with -z (probe) or, for
 * several -U paths, with --wait or a check only (-zU path 80 stays
 * netcat's error). netcat refuses both forms, so no command changes meaning.
 */
static bool
probing(const struct nc_options *o, bool zero_io)
{
	/* -F hands the connection on: host and port, as netcat-openbsd. */
	return !o->listen && !o->pass_fd &&
	    ((zero_io && o->scan.zero_io) || o->scan.wait_ms >= 0 || options_check(o));
}

/* Assigns the operands: the listen address and port, or the destination and its ports. */
static enum opt_status
take_operands(int argc, char **argv, struct nc_options *o, struct opt_error *err)
{
	if (o->unix_socket) {
		if (argc == 0)
			return (err->status = o->listen ? OPT_MISSING_PATH : OPT_USAGE);
		if (argc > 1 && !probing(o, false))
			return (err->status = OPT_UNIX_PORT);
		/* As netcat-openbsd: no -p, and -s (a path) only for the datagram client. */
		if (o->sock.source_port != NULL || (o->sock.source_addr != NULL && (o->listen || !o->udp)))
			return (err->status = OPT_USAGE);
		o->host = argv[0];
		o->ports = argv + 1; /* more paths */
		o->nports = argc - 1;
		return OPT_OK;
	}
	if (o->listen) {
		bool by_option = o->sock.source_port != NULL || o->sock.source_addr != NULL;
		if (argc == 0) {
			if (o->sock.source_port == NULL)
				return (err->status = OPT_MISSING_PORT);
			o->host = o->sock.source_addr;
			o->ports = (char *const *)&o->sock.source_port;
			o->nports = 1;
			return OPT_OK;
		}
		if (argc > 2 || by_option)
			return (err->status = OPT_USAGE);
		o->host = argc == 2 ? argv[0] : NULL;
		o->ports = argv + argc - 1;
		o->nports = 1;
		return OPT_OK;
	}
	if (argc == 0)
		return (err->status = OPT_USAGE);
	if (argc == 1 && !(probing(o, true) && operand_is_target(argv[0])))
		return (err->status = OPT_MISSING_PORT);
	o->host = argv[0];
	o->ports = argv + 1;
	o->nports = argc - 1;
	return OPT_OK;
}

static enum opt_status
check_combinations(const struct nc_options *o, struct opt_error *err)
{
	if (o->listen && o->scan.wait_ms >= 0)
		return conflict(err, C_WAIT_AND_L);
	if (o->listen && o->scan.zero_io)
		return conflict(err, C_Z_AND_L);
	if (o->keep_listening && !o->listen)
		return conflict(err, C_K_WITHOUT_L);
	if (o->unix_socket && o->pass_fd)
		return conflict(err, C_F_AND_U);
	if (o->seqpacket && o->udp)
		return conflict(err, C_SEQPACKET_UDP);
	if (o->pass_fd && (o->scan.wait_ms >= 0 || options_check(o)))
		return conflict(err, C_F_AND_WAIT);
	if (o->scan.send != NULL && o->scan.http_path != NULL)
		return conflict(err, C_SEND_AND_HTTP);
	if (o->scan.http_path != NULL && o->udp)
		return conflict(err, C_HTTP_AND_UDP);
	if (o->listen && options_check(o))
		return conflict(err, o->scan.send != NULL ? C_SEND_AND_L
				     : o->scan.expect != NULL ? C_EXPECT_AND_L : C_HTTP_AND_L);
	if (o->unix_socket && o->udp && (o->scan.send != NULL || o->scan.expect != NULL))
		return conflict(err, o->scan.send != NULL ? C_SEND_AND_UNIX_DGRAM
							  : C_EXPECT_AND_UNIX_DGRAM);
	if (o->proxy.addr != NULL) {
		if (o->listen)
			return conflict(err, C_PROXY_LISTEN);
		if (o->udp)
			return conflict(err, C_PROXY_UDP);
		if (o->sock.source_addr != NULL)
			return conflict(err, C_PROXY_SOURCE);
		if (o->unix_socket)
			return conflict(err, C_PROXY_UNIX);
	}
	return OPT_OK;
}

/* -x's port: a number in range, or a name for getaddrinfo; never empty. */
static enum opt_status
proxy_port(const char *port, struct opt_error *err)
{
	const char *errstr = NULL;

	if (*port == '\0')
		errstr = "invalid";
	else if (*port >= '0' && *port <= '9')
		strtonum(port, 1, 65535, &errstr);
	if (errstr == NULL)
		return OPT_OK;
	err->status = OPT_PROXY_PORT;
	err->errstr = errstr;
	err->value = port;
	return err->status;
}

/*
 * Splits -x proxy_address[:port] as netcat-openbsd does: "[v6]" or
 * "[v6]:port" in brackets, otherwise at the last colon (so "::1" is the
 * host ":" and the port "1"). The default port follows the protocol.
 */
static enum opt_status
take_proxy(struct proxy_options *p, struct opt_error *err)
{
	const char *a = p->addr, *host = a, *end, *port = NULL;

	if (p->proto == PROXY_NONE)
		p->proto = PROXY_SOCKS5;
	if (*a == '[') {
		host = a + 1;
		if ((end = strchr(host, ']')) == NULL)
			return (err->status = OPT_PROXY_BRACKET);
		if (end[1] == ':')
			port = end + 2;
		else if (end[1] != '\0')
			return (err->status = OPT_PROXY_DELIMITER);
	} else if ((end = strrchr(a, ':')) != NULL) {
		port = end + 1;
	} else {
		end = a + strlen(a);
	}
	if ((size_t)(end - host) >= sizeof(p->host))
		return (err->status = OPT_PROXY_TOO_LONG);
	memcpy(p->host, host, (size_t)(end - host));
	p->host[end - host] = '\0';
	if (port == NULL)
		port = p->proto == PROXY_HTTP ? "3128" : "1080";
	p->port = port;
	return proxy_port(port, err);
}

/* The row of the table a long option word names, or NULL; exact names only. */
static const struct long_option *
long_row(const char *word, size_t len)
{
	for (size_t i = 0; i < NLONG; i++)
		if (strncmp(long_table[i].name, word, len) == 0 && long_table[i].name[len] == '\0')
			return &long_table[i];
	return NULL;
}

/*
 * An unknown long option, and the row it most likely means: another
 * netcat's name for one of ours, or an abbreviation of exactly one name.
 * Abbreviations are refused so that adding a long option never changes
 * what an existing command line means.
 */
static enum opt_status
long_unknown(struct opt_error *err, const char *word)
{
	size_t len = strcspn(word + 2, "=");
	const struct long_option *near = long_row(word + 2, len);

	if (near == NULL && len > 0) {
		int matches = 0;
		for (size_t i = 0; i < NLONG; i++)
			if (strncmp(long_table[i].name, word + 2, len) == 0) {
				near = &long_table[i];
				matches++;
			}
		if (matches != 1)
			near = NULL;
	}
	err->status = OPT_LONG_UNKNOWN;
	err->value = word;
	err->near = near;
	return err->status;
}

/*
 * Makes getopt_long's verdict on a long option exact: OPT_OK only for one of
 * ours, spelt in full and given a value if and only if it takes one. c is
 * what getopt_long returned; optind has just passed the word (and its value,
 * if that came separately).
 */
static enum opt_status
check_long(int c, char **argv, struct opt_error *err)
{
	bool error = c == '?' || c == ':';
	const char *word = argv[optind - 1];

	if (!error && optarg == argv[optind - 1])
		word = argv[optind - 2];
	size_t len = strcspn(word + 2, "=");
	const struct long_option *row = long_row(word + 2, len);
	if (row == NULL || row->id == 0 || row->id != (error ? optopt : c))
		return long_unknown(err, word);
	if (!error)
		return OPT_OK;
	err->option = row->name;
	return (err->status = c == ':' ? OPT_LONG_MISSING : OPT_LONG_NO_ARG);
}

enum opt_status
options_parse(int argc, char **argv, struct nc_options *o, struct opt_error *err)
{
	struct option getopt_table[NLONG + 1];
	size_t n = 0;
	int c, idx, not_yet = 0;

	set_defaults(o);
	memset(err, 0, sizeof(*err));
	memset(getopt_table, 0, sizeof(getopt_table));
	for (size_t i = 0; i < NLONG; i++)
		if (long_table[i].id != 0)
			getopt_table[n++] = (struct option){long_table[i].name,
			    value_optional(long_table[i].id) ? optional_argument
			    : long_table[i].takes_value ? required_argument : no_argument,
			    NULL, long_table[i].id};
	/* getopt keeps its position in globals: start it afresh on every call. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_options, getopt_table, &idx)) != -1) {
		/* On an error optopt is 0 for an unknown long option, the code of a known one. */
		bool error = c == '?' || c == ':';
		bool is_long = c >= LONG_HELP || (error && (optopt == 0 || optopt >= LONG_HELP));
		if (is_long && check_long(c, argv, err) != OPT_OK)
			return err->status;
		if (error) {
			err->status = c == '?' ? OPT_BAD_OPTION : OPT_MISSING_ARG;
			err->letter = (char)optopt;
			return err->status;
		}
		if (c == LONG_TLS || (c > 0 && c < 0x80 && strchr(CLI_TLS_LETTERS, c) != NULL)) {
			char letter[2] = {(char)c, '\0'};
			const char *name = c == LONG_TLS ? getopt_table[idx].name : letter;
			if (cli_tls_apply(&o->tls, name, optarg, &err->tls) != TLS_OPT_OK)
				return (err->status = OPT_TLS);
			continue;
		}
		if (take_option(c, optarg, o, err) != OPT_OK)
			return err->status;
		if (not_yet == 0 && !options_implemented(c))
			not_yet = c;
	}
	if (cli_tls_any(&o->tls) && !cli_tls_built_in())
		return (err->status = OPT_NO_TLS);
	if (o->relay.quit_ms >= 0)
		o->relay.shutdown_on_eof = true;
	/* Sequenced packets exist only as Unix-domain sockets here. */
	if (o->seqpacket)
		o->unix_socket = true;
	if (take_operands(argc - optind, argv + optind, o, err) != OPT_OK)
		return err->status;
	if (o->listen && !o->unix_socket && o->ports[0][0] == '\0')
		return (err->status = OPT_EMPTY_PORT);
	if (check_combinations(o, err) != OPT_OK)
		return err->status;
	const struct scan_options *s = &o->scan;
	struct tls_context tctx = {o->listen, o->udp, o->unix_socket, o->pass_fd, o->dccp,
	    s->http_path ? "--http" : s->send ? "--send" : s->expect ? "--expect" : NULL};
	if (cli_tls_check(&o->tls, &tctx, &err->tls) != TLS_OPT_OK)
		return (err->status = OPT_TLS);
	if (o->proxy.addr != NULL && take_proxy(&o->proxy, err) != OPT_OK)
		return err->status;
	if (o->scan.wait_ms >= 0 || options_check(o))
		o->scan.zero_io = true; /* --wait and checks probe; they never move data */
	if (not_yet != 0) {
		err->status = OPT_NOT_YET;
		err->letter = (char)not_yet;
	}
	return err->status;
}
