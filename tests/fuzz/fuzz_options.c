/*
 * The command line (cli_options.c, with the -T keyword parser and the
 * seconds parser behind -w, -i, -q and --wait): the input is argv[1..],
 * NUL-separated. options_parse must give the same answer twice (getopt
 * keeps state in globals), leave argv's strings alone, point only into
 * argv, keep every field in its range, and name errors the reporter can
 * print. Accepted port operands then go through ports_parse_all, as in main().
 */
#include <limits.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "cli/cli_options.h"
#include "cli/cli_ports.h"
#include "fuzz.h"

#define MAX_ARGS 24

/* argv: "nc" and the input's strings, each its own allocation. */
struct args {
	int argc;
	char *argv[MAX_ARGS + 2];
};

static void
make_args(struct args *a, const uint8_t *data, size_t size)
{
	a->argv[0] = fuzz_cstr((const uint8_t *)"nc", 2);
	a->argc = 1 + fuzz_split(data, size, a->argv + 1, MAX_ARGS);
	a->argv[a->argc] = NULL;
}

/* True if s is NULL or points into one of a's strings (optarg may start mid-string: -w5). */
static bool
in_argv(const struct args *a, const char *s)
{
	if (s == NULL)
		return true;
	for (int i = 0; i < a->argc; i++)
		if (s >= a->argv[i] && s <= a->argv[i] + strlen(a->argv[i]))
			return true;
	return false;
}

static bool
same_str(const char *x, const char *y)
{
	return x == y || (x != NULL && y != NULL && strcmp(x, y) == 0);
}

static void
check_ranges(const struct nc_options *o)
{
	FUZZ_CHECK(
	    o->sock.family == AF_UNSPEC || o->sock.family == AF_INET || o->sock.family == AF_INET6);
	FUZZ_CHECK(o->verbose >= 0);
	FUZZ_CHECK(o->sock.rcvbuf >= 0 && o->sock.sndbuf >= 0 && o->relay.recv_limit >= 0);
	FUZZ_CHECK(o->sock.ttl >= -1 && o->sock.ttl <= 255);
	FUZZ_CHECK(o->sock.minttl >= -1 && o->sock.minttl <= 255);
	FUZZ_CHECK(o->sock.tos >= -1 && o->sock.tos <= 255);
	FUZZ_CHECK(o->relay.interval_ms >= 0 && o->relay.interval_ms <= (long long)UINT_MAX * 1000);
	FUZZ_CHECK(o->scan.interval_given || o->relay.interval_ms == 0);
	/* -w and --wait become poll(2) timeouts: an int of milliseconds. */
	FUZZ_CHECK(o->sock.timeout_ms >= -1 && o->sock.timeout_ms <= INT_MAX);
	FUZZ_CHECK(o->scan.wait_ms >= -1 && o->scan.wait_ms <= INT_MAX);
	FUZZ_CHECK(o->relay.quit_ms >= -1 && o->relay.quit_ms <= (long long)INT_MAX * 1000);
}

/* What OPT_OK promises the modes. */
static void
check_ok(const struct args *a, const struct nc_options *o)
{
	check_ranges(o);
	FUZZ_CHECK(o->relay.quit_ms < 0 || o->relay.shutdown_on_eof);
	FUZZ_CHECK(!o->seqpacket || (o->unix_socket && !o->udp));
	FUZZ_CHECK(o->scan.wait_ms < 0 || (o->scan.zero_io && !o->listen));
	FUZZ_CHECK(!(o->listen && o->scan.zero_io));
	FUZZ_CHECK(!o->keep_listening || o->listen);

	FUZZ_CHECK(in_argv(a, o->host) && in_argv(a, o->sock.source_addr) &&
	    in_argv(a, o->sock.source_port));
	FUZZ_CHECK(in_argv(a, o->scan.send) && in_argv(a, o->scan.expect));
	/* --http's path: from argv, or the "/" of a bare --http. */
	FUZZ_CHECK(in_argv(a, o->scan.http_path) || strcmp(o->scan.http_path, "/") == 0);
	/* A check probes; --http neither with --send nor over datagrams. */
	FUZZ_CHECK(!options_check(o) || (o->scan.zero_io && !o->listen));
	FUZZ_CHECK(o->scan.http_path == NULL || (o->scan.send == NULL && !o->udp));
	/* TLS: only over TCP, and its options only with -c (cli_tls_check's rules). */
	const struct tls_options *t = &o->tls;
	FUZZ_CHECK(!t->enabled || (!o->udp && !o->unix_socket && !o->pass_fd && !o->dccp));
	FUZZ_CHECK(t->enabled || !cli_tls_any(t));
	FUZZ_CHECK(!t->clientcert || o->listen);
	FUZZ_CHECK(t->staple_file == NULL || t->cert_file != NULL);
	FUZZ_CHECK(t->min_days >= -1 && t->min_days <= 36500);
	FUZZ_CHECK(in_argv(a, t->cert_file) && in_argv(a, t->key_file) && in_argv(a, t->ca_file));
	FUZZ_CHECK(in_argv(a, t->name) && in_argv(a, t->hash) && in_argv(a, t->alpn));
	FUZZ_CHECK(o->nports >= 0);
	for (int i = 0; i < o->nports; i++)
		FUZZ_CHECK(in_argv(a, o->ports[i]));
	if (o->unix_socket) {
		/* Several paths only with --wait or a check (-z alone keeps netcat's error). */
		FUZZ_CHECK(o->host != NULL && o->sock.source_port == NULL);
		FUZZ_CHECK(o->nports == 0 || (!o->listen && (o->scan.wait_ms >= 0 || options_check(o))));
		return;
	}
	if (o->listen) {
		FUZZ_CHECK(o->nports == 1);
	} else {
		/*
		 * Connect: a host and at least one port, all of them operands;
		 * probing, a lone HOST:PORT target is the host with no port.
		 */
		FUZZ_CHECK(o->host != NULL && o->nports <= a->argc - 2);
		FUZZ_CHECK(o->nports >= 1 || (o->scan.zero_io && (o->host[0] == '[' ||
						       strchr(o->host, ':') != NULL)));
		FUZZ_CHECK(o->ports >= a->argv + 1 && o->ports + o->nports <= a->argv + a->argc);
	}
}

/* True if s is exactly one of the strings that o uses as a value or an operand. */
static bool
used_as_value(const struct nc_options *o, const char *s)
{
	const struct tls_options *t = &o->tls;

	if (s == o->host || s == o->sock.source_addr || s == o->sock.source_port ||
	    s == o->scan.send || s == o->scan.expect)
		return true;
	if (s == t->cert_file || s == t->key_file || s == t->ca_file || s == t->name ||
	    s == t->hash || s == t->staple_file || s == t->peer_cert_file || s == t->alpn)
		return true;
	for (int i = 0; i < o->nports; i++)
		if (s == o->ports[i])
			return true;
	return false;
}

/* True if s, an option, takes the next string as its value (-s, -vw, --wait, --wa). */
static bool
takes_next(const char *s)
{
	if (s[0] != '-' || s[1] == '\0')
		return false;
	if (s[1] == '-') {
		if (s[2] != '\0' && (strncmp("wait", s + 2, strlen(s + 2)) == 0 ||
					 strncmp("send", s + 2, strlen(s + 2)) == 0 ||
					 strncmp("expect", s + 2, strlen(s + 2)) == 0))
			return true;
		for (const struct tls_long_option *l = cli_tls_long_options; l->name != NULL; l++)
			if (l->has_arg && strcmp(l->name, s + 2) == 0)
				return true;
		return false;
	}
	for (const char *p = s + 1; *p != '\0'; p++)
		if (strchr("IiMmOPpqsTVWwXxeHKRo", *p) != NULL)
			return p[1] == '\0';
	return false;
}

/*
 * "--json=1": a long option without an argument given one is an error, so on
 * OPT_OK such a string must be a value (-s --json=1) or an operand after --.
 * argv is in its order before parsing; a value a later option replaced is
 * no longer in o, so a string after an option that takes one is let go.
 */
static void
check_no_arg_values(char *const *argv, int argc, const struct nc_options *o)
{
	static const char *const no_arg[] = {"help", "version", "seqpacket", "json"};

	for (int i = 1; i < argc; i++) {
		const char *s = argv[i], *eq = strchr(s, '=');
		if (strncmp(s, "--", 2) != 0 || eq == NULL || eq == s + 2 ||
		    takes_next(argv[i - 1]))
			continue;
		for (size_t k = 0; k < sizeof(no_arg) / sizeof(no_arg[0]); k++)
			if (strncmp(no_arg[k], s + 2, (size_t)(eq - s - 2)) == 0 &&
			    strlen(no_arg[k]) >= (size_t)(eq - s - 2))
				FUZZ_CHECK(used_as_value(o, s));
	}
}

/* What the reporter reads for each error. */
static void
check_error(enum opt_status st, const struct opt_error *e, const struct args *a)
{
	FUZZ_CHECK(e->status == st);
	switch (st) {
	case OPT_BAD_OPTION:
	case OPT_MISSING_ARG:
		/* Printed as "-- 'c'": the option character the user typed. */
		FUZZ_CHECK(e->letter != '\0');
		bool typed = false;
		for (int i = 1; i < a->argc && !typed; i++)
			typed = a->argv[i][0] == '-' && strchr(a->argv[i] + 1, e->letter) != NULL;
		FUZZ_CHECK(typed);
		/* "requires an argument" only for an option that takes one (-: is invalid). */
		FUZZ_CHECK(st != OPT_MISSING_ARG || strchr("IiMmOPpqsTVWwXxeHKRo-", e->letter) != NULL);
		break;
	case OPT_BAD_NUMBER:
		FUZZ_CHECK(e->what <= Q_WAIT && e->errstr != NULL && in_argv(a, e->value) &&
		    e->value != NULL);
		break;
	case OPT_BAD_TTL:
	case OPT_BAD_MINTTL:
		FUZZ_CHECK(e->errstr != NULL);
		break;
	case OPT_BAD_TOS:
		FUZZ_CHECK(e->value != NULL && in_argv(a, e->value));
		break;
	case OPT_CONFLICT:
		FUZZ_CHECK(e->conflict <= C_F_AND_WAIT);
		break;
	case OPT_NOT_YET:
		/* "-x is not implemented yet": a letter the user typed that a later version takes. */
		FUZZ_CHECK(e->letter != '\0' && !options_implemented(e->letter));
		bool given = false;
		for (int i = 1; i < a->argc && !given; i++)
			given = a->argv[i][0] == '-' && strchr(a->argv[i] + 1, e->letter) != NULL;
		FUZZ_CHECK(given);
		break;
	case OPT_TLS:
		/* A TLS rule or value: the reporter names what the user typed, or an option. */
		FUZZ_CHECK(e->tls.status != TLS_OPT_OK && e->tls.status != TLS_OPT_NOT_TLS &&
			   e->tls.status != TLS_OPT_UNKNOWN);
		FUZZ_CHECK(e->tls.value == NULL || in_argv(a, e->tls.value) ||
			   e->tls.value[0] == '-');
		break;
	case OPT_NO_TLS:
		FUZZ_CHECK(!cli_tls_built_in());
		break;
	default:
		FUZZ_CHECK(st <= OPT_PROXY_PORT);
		break;
	}
}

/* Two parses of the same command line agree, field by field. */
static void
check_same(const struct nc_options *x, const struct nc_options *y, enum opt_status sx,
    enum opt_status sy, const struct opt_error *ex, const struct opt_error *ey)
{
	FUZZ_CHECK(sx == sy && ex->letter == ey->letter && ex->what == ey->what);
	FUZZ_CHECK(ex->conflict == ey->conflict && same_str(ex->errstr, ey->errstr));
	FUZZ_CHECK(same_str(ex->value, ey->value) && same_str(ex->option, ey->option));
	if (sx != OPT_OK)
		return;
	const struct sock_options *xs = &x->sock, *ys = &y->sock;
	FUZZ_CHECK(xs->family == ys->family && xs->numeric == ys->numeric);
	FUZZ_CHECK(xs->broadcast == ys->broadcast && xs->debug_socket == ys->debug_socket);
	FUZZ_CHECK(xs->rcvbuf == ys->rcvbuf && xs->sndbuf == ys->sndbuf);
	FUZZ_CHECK(xs->ttl == ys->ttl && xs->minttl == ys->minttl && xs->tos == ys->tos);
	FUZZ_CHECK(xs->timeout_ms == ys->timeout_ms);
	FUZZ_CHECK(same_str(xs->source_addr, ys->source_addr));
	FUZZ_CHECK(same_str(xs->source_port, ys->source_port));
	const struct relay_options *xr = &x->relay, *yr = &y->relay;
	FUZZ_CHECK(xr->crlf == yr->crlf && xr->no_stdin == yr->no_stdin);
	FUZZ_CHECK(xr->shutdown_on_eof == yr->shutdown_on_eof && xr->quit_ms == yr->quit_ms);
	FUZZ_CHECK(xr->interval_ms == yr->interval_ms && xr->recv_limit == yr->recv_limit);
	FUZZ_CHECK(x->scan.zero_io == y->scan.zero_io && x->scan.wait_ms == y->scan.wait_ms);
	FUZZ_CHECK(x->scan.random_ports == y->scan.random_ports);
	FUZZ_CHECK(x->scan.interval_given == y->scan.interval_given);
	FUZZ_CHECK(x->verbose == y->verbose && x->listen == y->listen && x->json == y->json);
	FUZZ_CHECK(x->udp == y->udp && x->unix_socket == y->unix_socket);
	FUZZ_CHECK(x->keep_listening == y->keep_listening && x->seqpacket == y->seqpacket);
	FUZZ_CHECK(same_str(x->host, y->host) && x->nports == y->nports);
	FUZZ_CHECK(x->tls.enabled == y->tls.enabled && x->tls.min_days == y->tls.min_days);
	FUZZ_CHECK(same_str(x->tls.name, y->tls.name) && same_str(x->tls.protocols, y->tls.protocols));
	for (int i = 0; i < x->nports; i++)
		FUZZ_CHECK(same_str(x->ports[i], y->ports[i]));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct args a = {0}, b = {0}, pristine = {0};
	struct nc_options o, p;
	struct opt_error e, f;

	make_args(&a, data, size);
	make_args(&b, data, size);
	make_args(&pristine, data, size);
	char *before[MAX_ARGS + 2];
	memcpy(before, a.argv, sizeof(before));

	enum opt_status st = options_parse(a.argc, a.argv, &o, &e);
	enum opt_status st2 = options_parse(b.argc, b.argv, &p, &f);
	check_same(&o, &p, st, st2, &e, &f);

	/* argv is only permuted, the same way twice: the same pointers, the same strings. */
	for (int i = 0; i < a.argc; i++) {
		bool found = false;
		for (int j = 0; j < a.argc && !found; j++)
			found = a.argv[i] == before[j];
		FUZZ_CHECK(found && strcmp(a.argv[i], b.argv[i]) == 0);
		FUZZ_CHECK(strcmp(before[i], pristine.argv[i]) == 0);
	}
	FUZZ_CHECK(a.argv[a.argc] == NULL && strcmp(a.argv[0], "nc") == 0);

	if (st == OPT_OK) {
		check_ok(&a, &o);
		check_no_arg_values(before, a.argc, &o);
		if (!o.unix_socket && !o.listen) {
			struct port_list l;
			struct port_error pe;
			if (ports_parse_all(o.ports, o.nports, fake_services, NULL, &l, &pe) ==
			    PORT_OK) {
				FUZZ_CHECK(l.count >= (size_t)o.nports);
				for (size_t i = 0; i < l.count; i++)
					FUZZ_CHECK(l.ports[i] >= 1);
			}
			ports_free(&l);
		}
	} else if (st != OPT_HELP && st != OPT_VERSION) {
		check_error(st, &e, &a);
	}
	fuzz_free_strings(a.argv, a.argc);
	fuzz_free_strings(b.argv, b.argc);
	fuzz_free_strings(pristine.argv, pristine.argc);
	return 0;
}
