/* HOST:PORT operands into targets. No I/O: service names come from a callback. */
#include "cli/cli_operands.h"

#include <stdlib.h>
#include <string.h>

static enum operand_status
fail(struct operand_error *err, enum operand_status status, const char *arg)
{
	err->status = status;
	err->operand = arg;
	return status;
}

static size_t
colons(const char *s)
{
	size_t n = 0;
	for (; *s != '\0'; s++)
		n += *s == ':';
	return n;
}

bool
operand_is_target(const char *arg)
{
	return arg[0] == '[' || colons(arg) == 1;
}

/* Splits arg into a host (start, length) and the port text after the colon. */
static enum operand_status
split(const char *arg, const char **host, size_t *hostlen, const char **port)
{
	const char *colon;

	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');
		if (close == NULL)
			return OPERAND_BAD_BRACKET;
		*host = arg + 1;
		*hostlen = (size_t)(close - *host);
		/* "[[::1]:80": the host would keep a bracket that no resolver takes. */
		if (memchr(*host, '[', *hostlen) != NULL)
			return OPERAND_BAD_BRACKET;
		if (close[1] == '\0')
			return OPERAND_MISSING_PORT;
		if (close[1] != ':')
			return OPERAND_BAD_BRACKET;
		colon = close + 1;
	} else {
		/* An IPv6 address with a port must be bracketed: "::1:80" is ambiguous. */
		if (colons(arg) != 1)
			return OPERAND_UNBRACKETED_V6;
		colon = strchr(arg, ':');
		*host = arg;
		*hostlen = (size_t)(colon - arg);
	}
	*port = colon + 1;
	if (*hostlen == 0)
		return OPERAND_MISSING_HOST;
	if (**port == '\0')
		return OPERAND_MISSING_PORT;
	return OPERAND_OK;
}

enum operand_status
operand_parse_target(const char *arg, service_lookup_fn lookup, void *ctx, struct operand_target *t,
    struct operand_error *err)
{
	const char *host, *port;
	size_t hostlen;
	enum operand_status st;

	*t = (struct operand_target){0};
	if ((st = split(arg, &host, &hostlen, &port)) != OPERAND_OK)
		return fail(err, st, arg);
	if (ports_parse_operand(port, lookup, ctx, &t->ports, &err->port) != PORT_OK) {
		st = err->port.status == PORT_NO_MEMORY ? OPERAND_NO_MEMORY : OPERAND_BAD_PORT;
		operand_target_free(t);
		return fail(err, st, arg);
	}
	if ((t->host = strndup(host, hostlen)) == NULL) {
		operand_target_free(t);
		return fail(err, OPERAND_NO_MEMORY, arg);
	}
	err->status = OPERAND_OK;
	return OPERAND_OK;
}

void
operand_target_free(struct operand_target *t)
{
	free(t->host);
	t->host = NULL;
	ports_free(&t->ports);
}

enum operand_status
operands_parse(char *const *args, int nargs, service_lookup_fn lookup, void *ctx,
    enum operand_form *form, struct operand_targets *out, struct operand_error *err)
{
	*out = (struct operand_targets){0};
	*form = OPERANDS_HOST_PORTS;
	err->status = OPERAND_OK;
	if (nargs <= 0 || !operand_is_target(args[0]))
		return OPERAND_OK;
	*form = OPERANDS_TARGETS;

	/* Every operand's shape first: a mix is the error to name, not a port in it. */
	for (int i = 1; i < nargs; i++) {
		if (!operand_is_target(args[i]) && colons(args[i]) < 2)
			return fail(err, OPERAND_MIXED, args[i]);
	}
	if ((out->v = calloc((size_t)nargs, sizeof(*out->v))) == NULL)
		return fail(err, OPERAND_NO_MEMORY, args[0]);
	for (int i = 0; i < nargs; i++) {
		enum operand_status st =
		    operand_parse_target(args[i], lookup, ctx, &out->v[i], err);
		if (st != OPERAND_OK) {
			operand_targets_free(out);
			return st;
		}
		out->count++;
	}
	return OPERAND_OK;
}

void
operand_targets_free(struct operand_targets *ts)
{
	for (size_t i = 0; i < ts->count; i++)
		operand_target_free(&ts->v[i]);
	free(ts->v);
	*ts = (struct operand_targets){0};
}
