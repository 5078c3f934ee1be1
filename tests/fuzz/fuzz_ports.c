/*
 * Port operands (cli_ports.c): NUL-separated operands, as main() hands
 * them over after options_parse. Every port is in 1..65535, a range gives
 * exactly the ports it spans in ascending order, and an error names text
 * inside the operand it came from.
 */
#include <stdbool.h>

#include "cli/cli_ports.h"
#include "fuzz.h"

#define MAX_OPERANDS 8

static bool
all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* What one successful operand added: ports[from..to). */
static void
check_operand(const char *arg, const struct port_list *l, size_t from)
{
	size_t added = l->count - from;
	int svc = fake_services(arg, NULL);

	FUZZ_CHECK(added >= 1 && added <= 65535);
	for (size_t i = from; i < l->count; i++)
		FUZZ_CHECK(l->ports[i] >= 1); /* unsigned short: <= 65535 by type */
	if (svc > 0 && svc <= 65535) {
		FUZZ_CHECK(added == 1 && l->ports[from] == svc);
		return;
	}
	const char *dash = strchr(arg, '-');
	if (dash == NULL) {
		FUZZ_CHECK(added == 1);
		FUZZ_CHECK(l->ports[from] == strtol(arg, NULL, 10));
		return;
	}
	/* lo-hi in either order: consecutive ascending ports from the smaller end to the larger. */
	FUZZ_CHECK(all_digits(arg, (size_t)(dash - arg)));
	long lo = strtol(arg, NULL, 10), hi = strtol(dash + 1, NULL, 10);
	long min = lo < hi ? lo : hi, max = lo < hi ? hi : lo;
	FUZZ_CHECK(added == (size_t)(max - min + 1));
	FUZZ_CHECK(l->ports[from] == min);
	for (size_t i = from + 1; i < l->count; i++)
		FUZZ_CHECK(l->ports[i] == l->ports[i - 1] + 1);
}

/* The reporter prints err->value_len bytes of err->value: they must lie inside arg. */
static void
check_error(const char *arg, enum port_status st, const struct port_error *e)
{
	FUZZ_CHECK(st != PORT_OK && e->status == st);
	if (st == PORT_NO_MEMORY)
		return;
	size_t n = strlen(arg);
	FUZZ_CHECK(e->value >= arg && e->value <= arg + n);
	FUZZ_CHECK(e->value_len >= 0 && (size_t)e->value_len <= n - (size_t)(e->value - arg));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *args[MAX_OPERANDS];
	int n = fuzz_split(data, size, args, MAX_OPERANDS);
	struct port_list one = {0};
	struct port_error err;
	size_t total = 0;
	int bad = -1;

	/* Operand by operand, each checked alone... */
	for (int i = 0; i < n; i++) {
		size_t from = one.count;
		memset(&err, 0, sizeof(err));
		enum port_status st = ports_parse_operand(args[i], fake_services, NULL, &one, &err);
		if (st != PORT_OK) {
			check_error(args[i], st, &err);
			FUZZ_CHECK(one.count == from); /* a failed operand adds nothing */
			if (bad < 0)
				bad = i;
			continue;
		}
		check_operand(args[i], &one, from);
		if (bad < 0)
			total = one.count;
	}

	/* ...then all at once, as main() does: the same ports, or the first operand's error. */
	struct port_list all = {0};
	memset(&err, 0, sizeof(err));
	enum port_status st = ports_parse_all(args, n, fake_services, NULL, &all, &err);
	if (bad >= 0) {
		check_error(args[bad], st, &err);
		FUZZ_CHECK(all.ports == NULL && all.count == 0);
	} else {
		FUZZ_CHECK(st == PORT_OK && err.status == PORT_OK);
		FUZZ_CHECK(all.count == total && (n == 0 || all.count == one.count));
		FUZZ_CHECK(all.count == 0 || memcmp(all.ports, one.ports, all.count * 2) == 0);
	}
	ports_free(&all);
	ports_free(&one);
	fuzz_free_strings(args, n);
	return 0;
}
