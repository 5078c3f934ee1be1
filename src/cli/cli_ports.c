/* Port operands into a list of port numbers. No I/O: service names come from a callback. */
#include "cli/cli_ports.h"

#include <bsd/stdlib.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static enum port_status
fail(struct port_error *err, enum port_status status, const char *value, size_t len)
{
	err->status = status;
	err->value = value;
	err->value_len = (int)len;
	return status;
}

/* strtonum's verdict on a port number, as a port_status. */
static enum port_status
number(const char *text, long long *out)
{
	const char *errstr;
	*out = strtonum(text, 1, 65535, &errstr);
	if (errstr == NULL)
		return PORT_OK;
	if (strcmp(errstr, "too small") == 0)
		return PORT_TOO_SMALL;
	if (strcmp(errstr, "too large") == 0)
		return PORT_TOO_LARGE;
	return PORT_INVALID;
}

static bool
all_digits(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static enum port_status
append_range(struct port_list *list, long long lo, long long hi, struct port_error *err)
{
	if (lo > hi) {
		long long t = lo;
		lo = hi;
		hi = t;
	}
	size_t n = (size_t)(hi - lo + 1);
	unsigned short *grown = reallocarray(list->ports, list->count + n, sizeof(*grown));
	if (grown == NULL)
		return fail(err, PORT_NO_MEMORY, "", 0);
	list->ports = grown;
	for (long long p = lo; p <= hi; p++)
		list->ports[list->count++] = (unsigned short)p;
	return PORT_OK;
}

enum port_status
ports_parse_operand(const char *arg, service_lookup_fn lookup, void *ctx, struct port_list *list,
		    struct port_error *err)
{
	long long lo, hi;
	enum port_status st;

	/* A service name wins, even one with a dash in it such as ftp-data. */
	if (lookup != NULL) {
		int port = lookup(arg, ctx);
		if (port > 0 && port <= 65535)
			return append_range(list, port, port, err);
	}

	/* As netcat-openbsd: only an operand that starts with a digit can be a range. */
	const char *dash = arg[0] >= '0' && arg[0] <= '9' ? strchr(arg, '-') : NULL;
	if (dash == NULL) {
		if ((st = number(arg, &lo)) != PORT_OK)
			return fail(err, st, arg, strlen(arg));
		return append_range(list, lo, lo, err);
	}

	/* lo-hi: the high end is judged first, then the text before the first dash. */
	size_t lo_len = (size_t)(dash - arg);
	const char *hi_text = dash + 1;
	if ((st = number(hi_text, &hi)) != PORT_OK)
		return fail(err, st, hi_text, strlen(hi_text));

	char lo_text[16];
	if (lo_len >= sizeof(lo_text))
		return fail(err, all_digits(arg, lo_len) ? PORT_TOO_LARGE : PORT_INVALID, arg, lo_len);
	memcpy(lo_text, arg, lo_len);
	lo_text[lo_len] = '\0';
	if ((st = number(lo_text, &lo)) != PORT_OK)
		return fail(err, st, arg, lo_len);
	return append_range(list, lo, hi, err);
}

enum port_status
ports_parse_all(char *const *args, int nargs, service_lookup_fn lookup, void *ctx,
		struct port_list *list, struct port_error *err)
{
	list->ports = NULL;
	list->count = 0;
	for (int i = 0; i < nargs; i++) {
		enum port_status st = ports_parse_operand(args[i], lookup, ctx, list, err);
		if (st != PORT_OK) {
			ports_free(list);
			return st;
		}
	}
	err->status = PORT_OK;
	return PORT_OK;
}

void
ports_free(struct port_list *list)
{
	free(list->ports);
	list->ports = NULL;
	list->count = 0;
}
