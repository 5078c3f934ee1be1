/*
 * HOST:PORT operands (cli_operands.c), NUL-separated as main() hands them
 * to -z and --wait. The first operand decides the form. Every target has a
 * host, without brackets when it was bracketed, and ports in 1..65535,
 * exactly those its port text gives; no operand with two or more colons
 * outside brackets is a target; netcat's form leaves the list empty, and
 * so does every error, which names one of the operands and means what its
 * status says.
 */
#include <stdbool.h>

#include "cli/cli_operands.h"
#include "fuzz.h"

#define MAX_OPERANDS 8

static size_t
count(const char *s, char c)
{
	size_t n = 0;
	for (; *s != '\0'; s++)
		n += *s == c;
	return n;
}

/* Colons outside a leading [...]: the ones that can separate a host from a port. */
static size_t
bare_colons(const char *arg)
{
	const char *close = arg[0] == '[' ? strchr(arg, ']') : NULL;
	return count(close != NULL ? close + 1 : arg, ':');
}

/* One target against the operand it came from. */
static void
check_target(const char *arg, const struct operand_target *t)
{
	size_t hlen = strlen(t->host);
	const char *port;

	FUZZ_CHECK(hlen > 0 && t->ports.count >= 1);
	for (size_t i = 0; i < t->ports.count; i++)
		FUZZ_CHECK(t->ports.ports[i] >= 1); /* unsigned short: <= 65535 by type */
	FUZZ_CHECK(bare_colons(arg) == 1);
	if (arg[0] == '[') {
		/* "[" host "]:" port, and the host keeps no bracket. */
		FUZZ_CHECK(strchr(t->host, '[') == NULL && strchr(t->host, ']') == NULL);
		FUZZ_CHECK(strncmp(arg + 1, t->host, hlen) == 0 && arg[hlen + 1] == ']');
		FUZZ_CHECK(arg[hlen + 2] == ':');
		port = arg + hlen + 3;
	} else {
		FUZZ_CHECK(strchr(t->host, ':') == NULL);
		FUZZ_CHECK(strncmp(arg, t->host, hlen) == 0 && arg[hlen] == ':');
		port = arg + hlen + 1;
	}
	/* The ports are what the port text gives by itself. */
	struct port_list l = {0};
	struct port_error pe;
	FUZZ_CHECK(ports_parse_operand(port, fake_services, NULL, &l, &pe) == PORT_OK);
	FUZZ_CHECK(l.count == t->ports.count);
	FUZZ_CHECK(memcmp(l.ports, t->ports.ports, l.count * sizeof(l.ports[0])) == 0);
	ports_free(&l);
}

static void
check_error(char *const *args, int nargs, enum operand_status st, const struct operand_error *e,
    enum operand_form form)
{
	int which = -1;

	FUZZ_CHECK(e->status == st);
	for (int i = 0; i < nargs; i++)
		if (e->operand == args[i])
			which = i;
	FUZZ_CHECK(which >= 0 && form == OPERANDS_TARGETS);
	const char *arg = args[which];
	switch (st) {
	case OPERAND_MIXED:
		FUZZ_CHECK(which > 0 && !operand_is_target(arg) && count(arg, ':') < 2);
		break;
	case OPERAND_UNBRACKETED_V6:
		FUZZ_CHECK(arg[0] != '[' && count(arg, ':') >= 2);
		break;
	case OPERAND_BAD_BRACKET:
		FUZZ_CHECK(arg[0] == '[');
		break;
	case OPERAND_MISSING_HOST:
		FUZZ_CHECK(arg[0] == ':' || strncmp(arg, "[]", 2) == 0);
		break;
	case OPERAND_MISSING_PORT: {
		size_t n = strlen(arg);
		FUZZ_CHECK(n > 0 && (arg[n - 1] == ':' || arg[n - 1] == ']'));
		break;
	}
	case OPERAND_BAD_PORT:
		FUZZ_CHECK(e->port.status == PORT_INVALID || e->port.status == PORT_TOO_SMALL ||
		    e->port.status == PORT_TOO_LARGE);
		FUZZ_CHECK(e->port.value >= arg && e->port.value_len >= 0 &&
		    e->port.value + e->port.value_len <= arg + strlen(arg));
		break;
	default:
		FUZZ_CHECK(!"a status no operand list should give");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *args[MAX_OPERANDS];
	int nargs = fuzz_split(data, size, args, MAX_OPERANDS);
	enum operand_form form = (enum operand_form)7;
	struct operand_targets out;
	struct operand_error e;

	enum operand_status st = operands_parse(args, nargs, fake_services, NULL, &form, &out, &e);
	if (st == OPERAND_OK) {
		FUZZ_CHECK(e.status == OPERAND_OK);
		if (nargs > 0 && operand_is_target(args[0])) {
			FUZZ_CHECK(form == OPERANDS_TARGETS && out.count == (size_t)nargs);
			for (int i = 0; i < nargs; i++)
				check_target(args[i], &out.v[i]);
		} else {
			FUZZ_CHECK(form == OPERANDS_HOST_PORTS && out.count == 0 && out.v == NULL);
		}
	} else {
		FUZZ_CHECK(out.count == 0 && out.v == NULL);
		check_error(args, nargs, st, &e, form);
	}
	/* operand_is_target as documented: a leading '[' or exactly one colon. */
	for (int i = 0; i < nargs; i++)
		FUZZ_CHECK(
		    operand_is_target(args[i]) == (args[i][0] == '[' || count(args[i], ':') == 1));
	operand_targets_free(&out);
	fuzz_free_strings(args, nargs);
	return 0;
}
