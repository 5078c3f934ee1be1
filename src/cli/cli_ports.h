/* Port operands: numbers, lo-hi ranges and service names. Pure. */
#ifndef NC_CLI_PORTS_H
#define NC_CLI_PORTS_H

#include <stddef.h>

/* Returns the port number for a service name, or -1 if it has none. */
typedef int (*service_lookup_fn)(const char *name, void *ctx);

struct port_list {
	unsigned short *ports;
	size_t count;
};

enum port_status { PORT_OK, PORT_INVALID, PORT_TOO_SMALL, PORT_TOO_LARGE, PORT_NO_MEMORY };

struct port_error {
	enum port_status status;
	const char *value; /* the offending text, value_len bytes (not NUL-terminated) */
	int value_len;
};

/*
 * Appends the ports that one operand names to *list, ranges in ascending
 * order. lookup may be NULL (no service names).
 */
enum port_status ports_parse_operand(const char *arg, service_lookup_fn lookup, void *ctx,
				     struct port_list *list, struct port_error *err);

/* All operands, in the order given. On error the list is freed. */
enum port_status ports_parse_all(char *const *args, int nargs, service_lookup_fn lookup, void *ctx,
				 struct port_list *list, struct port_error *err);

void ports_free(struct port_list *list);

#endif
