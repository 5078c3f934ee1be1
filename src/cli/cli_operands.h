/*
 * Destination operands for -z and --wait: either netcat's `host port...`
 * or a list of HOST:PORT targets (`[v6]:PORT` for IPv6 literals), never a
 * mix. Every operand list netcat-openbsd accepts keeps its meaning: an
 * operand with no colon, or with two or more and no brackets (an IPv6
 * address), is a host or a port as before; netcat refuses a `host:port`
 * operand, so giving it a meaning breaks no command. Not for -U, whose
 * paths may hold colons. Pure: service names come from a callback.
 */
#ifndef NC_CLI_OPERANDS_H
#define NC_CLI_OPERANDS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli_ports.h"

enum operand_form {
	OPERANDS_HOST_PORTS, /* netcat's form: args[0] the host, the rest ports */
	OPERANDS_TARGETS,    /* every operand is HOST:PORT */
};

/* One HOST:PORT operand: host without brackets, PORT's ports in order. */
struct operand_target {
	char *host;
	struct port_list ports;
};

struct operand_targets {
	struct operand_target *v;
	size_t count;
};

enum operand_status {
	OPERAND_OK,
	OPERAND_MISSING_PORT,   /* "HOST:" or "[v6]" */
	OPERAND_MISSING_HOST,   /* ":PORT" or "[]:PORT" */
	OPERAND_BAD_BRACKET,    /* "[v6" unclosed, "[v6]x" with x not ':', or "[[v6]" */
	OPERAND_UNBRACKETED_V6, /* "::1:80" among targets: write "[::1]:80" */
	OPERAND_MIXED,          /* HOST:PORT and plain operands together */
	OPERAND_BAD_PORT,       /* the port part is bad: .port says how, as cli_ports does */
	OPERAND_NO_MEMORY,
};

struct operand_error {
	enum operand_status status;
	const char *operand;    /* the whole offending operand */
	struct port_error port; /* OPERAND_BAD_PORT only */
};

/*
 * Whether arg is written as HOST:PORT: it starts with '[' or holds exactly
 * one colon. Says nothing about whether it is a valid one.
 */
bool operand_is_target(const char *arg);

/* Parses one HOST:PORT operand into *t (freed with operand_target_free). */
enum operand_status operand_parse_target(const char *arg, service_lookup_fn lookup, void *ctx,
    struct operand_target *t, struct operand_error *err);

void operand_target_free(struct operand_target *t);

/*
 * Decides the form of the nargs operands and, for OPERANDS_TARGETS, parses
 * them into *out. The first operand decides: written as HOST:PORT, every
 * operand must be one (else OPERAND_MIXED names the first that is not);
 * otherwise it is netcat's form, *out stays empty and the caller parses
 * the ports as it always has, so `host 80 db:5432` gets netcat's own
 * "port number invalid: db:5432". nargs == 0 is OPERANDS_HOST_PORTS. On
 * error *out is empty.
 */
enum operand_status operands_parse(char *const *args, int nargs, service_lookup_fn lookup,
    void *ctx, enum operand_form *form, struct operand_targets *out, struct operand_error *err);

void operand_targets_free(struct operand_targets *ts);

#endif
