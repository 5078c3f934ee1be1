/* Turns argv into struct nc_options. Pure: no I/O, no globals kept. */
#include "cli/cli_options.h"

#include <bsd/stdlib.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

enum { LONG_HELP = 256, LONG_VERSION, LONG_SEQPACKET, LONG_JSON, LONG_WAIT };

static const struct option long_options[] = {
	{"help", no_argument, NULL, LONG_HELP},
	{"version", no_argument, NULL, LONG_VERSION},
	{"seqpacket", no_argument, NULL, LONG_SEQPACKET},
	{"json", no_argument, NULL, LONG_JSON},
	{"wait", required_argument, NULL, LONG_WAIT},
	{NULL, 0, NULL, 0},
};

/* The option letters of netcat-openbsd 1.219, in getopt form. */
static const char short_options[] = ":46bCDdFhI:i:klM:m:NnO:P:p:q:rSs:T:tUuV:vW:w:X:x:Zz";

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

struct tos_name {
	const char *name;
	int value;
};

/* IP precedence and DiffServ code points, as the TOS byte. */
static const struct tos_name tos_names[] = {
	{"af11", 0x28}, {"af12", 0x30}, {"af13", 0x38}, {"af21", 0x48}, {"af22", 0x50},
	{"af23", 0x58}, {"af31", 0x68}, {"af32", 0x70}, {"af33", 0x78}, {"af41", 0x88},
	{"af42", 0x90}, {"af43", 0x98}, {"critical", 0xa0}, {"cs0", 0x00}, {"cs1", 0x20},
	{"cs2", 0x40}, {"cs3", 0x60}, {"cs4", 0x80}, {"cs5", 0xa0}, {"cs6", 0xc0},
	{"cs7", 0xe0}, {"ef", 0xb8}, {"inetcontrol", 0xc0}, {"lowdelay", 0x10},
	{"netcontrol", 0xe0}, {"reliability", 0x04}, {"throughput", 0x08},
};

static bool
parse_tos(const char *s, int *tos)
{
	for (size_t i = 0; i < sizeof(tos_names) / sizeof(tos_names[0]); i++) {
		if (strcmp(s, tos_names[i].name) == 0) {
			*tos = tos_names[i].value;
			return true;
		}
	}
	if (*s < '0' || *s > '9')
		return false;
	char *end;
	long v = strtol(s, &end, 0);
	if (*end != '\0' || v < 0 || v > 255)
		return false;
	*tos = (int)v;
	return true;
}

static void
set_defaults(struct nc_options *o)
{
	memset(o, 0, sizeof(*o));
	o->family = AF_UNSPEC;
	o->ttl = -1;
	o->minttl = -1;
	o->tos = -1;
	o->quit_ms = -1;
	o->timeout_ms = -1;
	o->wait_ms = -1;
}

/* One option's value into *o; returns OPT_OK or the error. */
static enum opt_status
take_option(int c, const char *arg, struct nc_options *o, struct opt_error *err)
{
	const char *errstr = NULL;
	long long n;

	switch (c) {
	case '4': o->family = AF_INET; break;
	case '6': o->family = AF_INET6; break;
	case 'b': o->broadcast = true; break;
	case 'C': o->crlf = true; break;
	case 'D': o->debug_socket = true; break;
	case 'd': o->no_stdin = true; break;
	case 'F': o->pass_fd = true; break;
	case 'k': o->keep_listening = true; break;
	case 'l': o->listen = true; break;
	case 'N': o->shutdown_on_eof = true; break;
	case 'n': o->numeric = true; break;
	case 'r': o->random_ports = true; break;
	case 'S': o->md5sig = true; break;
	case 't': o->telnet = true; break;
	case 'U': o->unix_socket = true; break;
	case 'u': o->udp = true; break;
	case 'v': o->verbose++; break;
	case 'Z': o->dccp = true; break;
	case 'z': o->zero_io = true; break;
	case LONG_SEQPACKET: o->seqpacket = true; break;
	case 'h':
	case LONG_HELP: err->status = OPT_HELP; return OPT_HELP;
	case LONG_VERSION: err->status = OPT_VERSION; return OPT_VERSION;
	case 'I':
		o->rcvbuf = (int)strtonum(arg, 1, INT_MAX, &errstr);
		if (errstr != NULL)
			return bad_number(err, Q_RCVBUF, errstr, arg);
		break;
	case 'O':
		o->sndbuf = (int)strtonum(arg, 1, INT_MAX, &errstr);
		if (errstr != NULL)
			return bad_number(err, Q_SNDBUF, errstr, arg);
		break;
	case 'i':
		if (!parse_seconds(arg, (long long)UINT_MAX * 1000, &o->interval_ms, &errstr))
			return bad_number(err, Q_INTERVAL, errstr, arg);
		o->interval_given = true;
		break;
	case 'w':
		if (!parse_seconds(arg, (long long)(INT_MAX / 1000) * 1000, &o->timeout_ms, &errstr))
			return bad_number(err, Q_TIMEOUT, errstr, arg);
		break;
	case 'q':
		if (arg[0] == '-') {
			/* Any negative value means "never quit". */
			strtonum(arg, INT_MIN, -1, &errstr);
			if (errstr != NULL)
				return bad_number(err, Q_QUIT, errstr, arg);
			o->quit_ms = -1;
		} else if (!parse_seconds(arg, (long long)INT_MAX * 1000, &o->quit_ms, &errstr)) {
			return bad_number(err, Q_QUIT, errstr, arg);
		}
		break;
	case 'W':
		o->recv_limit = strtonum(arg, 1, INT_MAX, &errstr);
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
		o->ttl = (int)n;
		break;
	case 'm':
		n = strtonum(arg, 0, 255, &errstr);
		if (errstr != NULL) {
			err->status = OPT_BAD_MINTTL;
			err->errstr = errstr;
			return err->status;
		}
		o->minttl = (int)n;
		break;
	case 'T':
		if (!parse_tos(arg, &o->tos)) {
			err->status = OPT_BAD_TOS;
			err->value = arg;
			return err->status;
		}
		break;
	case 'V':
		err->status = OPT_NO_RTABLE;
		return err->status;
	case 'X':
		if (strcasecmp(arg, "connect") == 0)
			o->proxy_proto = PROXY_HTTP;
		else if (strcmp(arg, "4") == 0)
			o->proxy_proto = PROXY_SOCKS4;
		else if (strcmp(arg, "5") == 0)
			o->proxy_proto = PROXY_SOCKS5;
		else {
			err->status = OPT_BAD_PROXY_PROTO;
			return err->status;
		}
		break;
	case LONG_JSON: o->json = true; break;
	case LONG_WAIT:
		if (!parse_seconds(arg, (long long)(INT_MAX / 1000) * 1000, &o->wait_ms, &errstr))
			return bad_number(err, Q_WAIT, errstr, arg);
		break;
	case 'x': o->proxy_addr = arg; break;
	case 'P': o->proxy_user = arg; break;
	case 'p': o->source_port = arg; break;
	case 's': o->source_addr = arg; break;
	case ':':
		err->status = OPT_MISSING_ARG;
		err->letter = optopt < 256 ? (char)optopt : '-'; /* --wait: a long option's code */
		return err->status;
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

static enum opt_status
not_yet(struct opt_error *err, const char *option)
{
	err->status = OPT_NOT_YET;
	err->option = option;
	return err->status;
}

/* Assigns the operands: the listen address and port, or the destination and its ports. */
static enum opt_status
take_operands(int argc, char **argv, struct nc_options *o, struct opt_error *err)
{
	if (o->unix_socket) {
		if (argc == 0)
			return (err->status = o->listen ? OPT_MISSING_PATH : OPT_USAGE);
		if (argc > 1)
			return (err->status = OPT_UNIX_PORT);
		/* As netcat-openbsd: no -p, and -s (a path) only for the datagram client. */
		if (o->source_port != NULL || (o->source_addr != NULL && (o->listen || !o->udp)))
			return (err->status = OPT_USAGE);
		o->host = argv[0];
		return OPT_OK;
	}
	if (o->listen) {
		bool by_option = o->source_port != NULL || o->source_addr != NULL;
		if (argc == 0) {
			if (o->source_port == NULL)
				return (err->status = OPT_MISSING_PORT);
			o->host = o->source_addr;
			o->ports = (char *const *)&o->source_port;
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
	if (argc == 1)
		return (err->status = OPT_MISSING_PORT);
	o->host = argv[0];
	o->ports = argv + 1;
	o->nports = argc - 1;
	return OPT_OK;
}

static enum opt_status
check_combinations(const struct nc_options *o, struct opt_error *err)
{
	if (o->listen && o->wait_ms >= 0)
		return conflict(err, C_WAIT_AND_L);
	if (o->listen && o->zero_io)
		return conflict(err, C_Z_AND_L);
	if (o->keep_listening && !o->listen)
		return conflict(err, C_K_WITHOUT_L);
	if (o->unix_socket && o->pass_fd)
		return conflict(err, C_F_AND_U);
	if (o->seqpacket && o->udp)
		return conflict(err, C_SEQPACKET_UDP);
	if (o->proxy_addr != NULL) {
		if (o->listen)
			return conflict(err, C_PROXY_LISTEN);
		if (o->udp)
			return conflict(err, C_PROXY_UDP);
		if (o->source_addr != NULL)
			return conflict(err, C_PROXY_SOURCE);
		if (o->unix_socket)
			return conflict(err, C_PROXY_UNIX);
	}
	return OPT_OK;
}

/* Options that a later version implements: refused, never silently ignored. */
static enum opt_status
check_supported(const struct nc_options *o, struct opt_error *err)
{
	if (o->proxy_addr != NULL)
		return not_yet(err, "-x");
	if (o->proxy_proto != PROXY_NONE)
		return not_yet(err, "-X");
	if (o->proxy_user != NULL)
		return not_yet(err, "-P");
	if (o->pass_fd)
		return not_yet(err, "-F");
	if (o->telnet)
		return not_yet(err, "-t");
	if (o->md5sig)
		return not_yet(err, "-S");
	if (o->dccp)
		return not_yet(err, "-Z");
	return OPT_OK;
}

enum opt_status
options_parse(int argc, char **argv, struct nc_options *o, struct opt_error *err)
{
	int c;

	set_defaults(o);
	memset(err, 0, sizeof(*err));
	/* getopt keeps its position in globals: start it afresh on every call. */
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, short_options, long_options, NULL)) != -1) {
		if (c == '?') {
			/*
			 * optopt: an unknown letter (negative past 0x7f), 0 for an
			 * unknown long option, or the code of a long option given a
			 * value it does not take (--json=1).
			 */
			err->status = OPT_BAD_OPTION;
			err->letter = optopt != 0 && optopt < 256 ? (char)optopt : '-';
			return err->status;
		}
		if (take_option(c, optarg, o, err) != OPT_OK)
			return err->status;
	}
	if (o->quit_ms >= 0)
		o->shutdown_on_eof = true;
	/* Sequenced packets exist only as Unix-domain sockets here. */
	if (o->seqpacket)
		o->unix_socket = true;
	if (take_operands(argc - optind, argv + optind, o, err) != OPT_OK)
		return err->status;
	if (check_combinations(o, err) != OPT_OK)
		return err->status;
	if (o->wait_ms >= 0)
		o->zero_io = true; /* --wait probes; it never moves data */
	return check_supported(o, err);
}
