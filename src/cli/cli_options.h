/* Command-line options: argv in, one struct out. No I/O happens here. */
#ifndef NC_CLI_OPTIONS_H
#define NC_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli_tls.h"

enum proxy_proto { PROXY_NONE, PROXY_SOCKS4, PROXY_SOCKS5, PROXY_HTTP };

/*
 * The options, grouped by the layer that acts on them: each module is
 * handed its group, not the whole struct.
 */

/* How sockets are made, bound and connected (net/, dial/). */
struct sock_options {
	int family;              /* AF_UNSPEC, AF_INET or AF_INET6 (-4, -6) */
	bool numeric;            /* -n: no DNS */
	bool broadcast;          /* -b */
	bool debug_socket;       /* -D */
	bool md5sig;             /* -S */
	const char *md5sig_key;  /* -S: the key, read by main (terminal or environment) */
	int rcvbuf;              /* -I, 0 = leave the kernel's */
	int sndbuf;              /* -O, 0 = leave the kernel's */
	int ttl;                 /* -M, -1 = unset */
	int minttl;              /* -m, -1 = unset */
	int tos;                 /* -T, -1 = unset */
	long long timeout_ms;    /* -w: connect timeout (and the relay's idle limit), -1 = none */
	const char *source_addr; /* -s */
	const char *source_port; /* -p */
};

/* The session rules of the relay (relay/). */
struct relay_options {
	bool crlf;             /* -C */
	bool no_stdin;         /* -d */
	bool shutdown_on_eof;  /* -N, also set by -q >= 0 */
	bool telnet;           /* -t */
	long long interval_ms; /* -i, 0 = none: pause between lines (and ports with -z) */
	long long quit_ms;     /* -q, -1 = never */
	long long recv_limit;  /* -W, 0 = none */
};

/* Zero-I/O probing and waiting (probe/, mode_scan). */
struct scan_options {
	bool zero_io;        /* -z */
	bool random_ports;   /* -r */
	bool interval_given; /* -i, even -i 0: -z probes one port at a time */
	long long wait_ms;   /* --wait, -1 = none */
	/* Readiness checks: the arguments as typed, decoded and compiled by the mode. */
	const char *send;      /* --send STRING, NULL = none */
	const char *expect;    /* --expect REGEX, NULL = none */
	const char *http_path; /* --http[=PATH], NULL = none ("/" when given bare) */
};

/* Where -S finds its key when there is no terminal to ask. */
#define MD5SIG_PASSWORD_ENV "NC_MD5SIG_PASSWORD"

/* The longest proxy host -x may name (NI_MAXHOST, without <netdb.h>). */
#define PROXY_HOST_MAX 1025

/* A proxy to connect through (dial/). */
struct proxy_options {
	const char *addr;          /* -x as given; NULL: no proxy, and -X and -P are ignored */
	char host[PROXY_HOST_MAX]; /* -x's host, without the brackets of [v6] */
	const char *port;          /* -x's port (a number or a service name), or the default */
	const char *user;          /* -P */
	enum proxy_proto proto;    /* -X; SOCKS5 when -x comes without it */
};

struct nc_options {
	struct sock_options sock;
	struct relay_options relay;
	struct scan_options scan;
	struct proxy_options proxy;
	struct tls_options tls; /* -c and the rest (cli_tls.h) */

	/* Which transport and mode: main picks them from these. */
	bool listen;         /* -l */
	bool keep_listening; /* -k */
	bool unix_socket;    /* -U */
	bool udp;            /* -u */
	bool seqpacket;      /* --seqpacket */
	bool dccp;           /* -Z */
	bool pass_fd;        /* -F */

	/* How results are shown (report/). */
	int verbose; /* -v, counted */
	bool json;   /* --json */

	const char *host;   /* destination, or the listen address */
	char *const *ports; /* port arguments, in the order given */
	int nports;
};

/* What went wrong, for the reporter to phrase. */
enum opt_status {
	OPT_OK,
	OPT_HELP,
	OPT_VERSION,
	OPT_USAGE,          /* bad shape: print the usage block */
	OPT_BAD_OPTION,     /* unknown option letter in .letter */
	OPT_MISSING_ARG,    /* option .letter needs a value */
	OPT_LONG_UNKNOWN,   /* .value: the word as given; .near: the option meant, or NULL */
	OPT_LONG_NO_ARG,    /* --.option=VALUE for an option that takes none */
	OPT_LONG_MISSING,   /* --.option without its value */
	OPT_BAD_NUMBER,     /* .what is the quantity, .errstr strtonum's word, .value the text */
	OPT_BAD_TTL,        /* "ttl is <errstr>" */
	OPT_BAD_MINTTL,     /* "minttl is <errstr>" */
	OPT_BAD_TOS,        /* "illegal tos value <value>" */
	OPT_BAD_PROXY_PROTO,
	OPT_NO_RTABLE,
	OPT_MISSING_PORT,
	OPT_EMPTY_PORT,     /* -p '' or an empty listen port */
	OPT_MISSING_PATH,
	OPT_UNIX_PORT,      /* a port operand with -U */
	OPT_CONFLICT,       /* .conflict says which */
	OPT_NOT_YET,        /* .letter names an option a later version implements */
	OPT_TLS,            /* a TLS option or rule: .tls says which */
	OPT_NO_TLS,         /* a TLS option in a build without libtls */
	OPT_PROXY_BRACKET,  /* -x [v6 without its closing bracket */
	OPT_PROXY_DELIMITER, /* -x [v6] followed by something other than ":port" */
	OPT_PROXY_TOO_LONG, /* -x's host is over PROXY_HOST_MAX - 1 bytes */
	OPT_PROXY_PORT,     /* -x's port: .errstr ("invalid", "too small", "too large"), .value */
};

/*
 * A long option: one of nc's own (id != 0), or the name another netcat
 * (ncat, GNU netcat) gives an option that nc has under another name, which
 * is refused with a pointer to ours. New long options are new rows.
 */
struct long_option {
	const char *name; /* without the leading "--" */
	int id;           /* the code the parser acts on; 0 for another netcat's name */
	bool takes_value;
	const char *ours; /* for another netcat's name: nc's option, as typed ("-l") */
};

/* The table, *n rows. */
const struct long_option *options_long_table(size_t *n);

/* False for an option letter that a later version implements. */
bool options_implemented(int letter);

enum opt_quantity {
	Q_TIMEOUT,
	Q_QUIT,
	Q_INTERVAL,
	Q_RECV_LIMIT,
	Q_RCVBUF,
	Q_SNDBUF,
	Q_WAIT,
};

enum opt_conflict {
	C_Z_AND_L,
	C_K_WITHOUT_L,
	C_F_AND_U,
	C_PROXY_LISTEN,
	C_PROXY_UDP,
	C_PROXY_SOURCE,
	C_PROXY_UNIX,
	C_WAIT_AND_L,
	C_SEQPACKET_UDP,
	C_SEND_AND_HTTP,
	C_HTTP_AND_UDP,
	C_SEND_AND_L,
	C_EXPECT_AND_L,
	C_HTTP_AND_L,
	C_SEND_AND_UNIX_DGRAM,
	C_EXPECT_AND_UNIX_DGRAM,
	C_F_AND_WAIT, /* -F passes the connection on: nothing to wait for or check */
};

struct opt_error {
	enum opt_status status;
	enum opt_quantity what;
	enum opt_conflict conflict;
	const char *errstr;
	const char *value;
	const char *option; /* OPT_LONG_NO_ARG, OPT_LONG_MISSING: the name, no "--" */
	const struct long_option *near; /* OPT_LONG_UNKNOWN: the one row the word names */
	char letter;
	struct tls_opt_error tls; /* OPT_TLS */
};

/*
 * Fills *o from argv. argv is permuted (options may follow operands, as with
 * glibc getopt) but not otherwise changed. Returns err->status.
 */
enum opt_status options_parse(int argc, char **argv, struct nc_options *o, struct opt_error *err);

/* Whether a readiness check (--send, --expect, --http) was asked for. */
bool options_check(const struct nc_options *o);

/* Parses a non-negative decimal number of seconds with up to three decimals. */
bool parse_seconds(const char *s, long long max_ms, long long *ms, const char **errstr);

#endif
