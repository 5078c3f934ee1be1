/* What the messages about a connection name: shared by the human and the JSON reporters. */
#ifndef NC_REPORT_TARGET_H
#define NC_REPORT_TARGET_H

#include <stdbool.h>

/* Where a connection attempt went, as the messages name it. */
struct target {
	const char *host; /* as the user wrote it */
	const char *addr; /* numeric address tried; NULL through a proxy, which has it */
	unsigned port;
	const char *port_text; /* the port as the user wrote it, if the line shows that; NULL */
	const char *proto; /* "tcp" or "udp" */
};

/*
 * Where a listener is or whom it heard from: a host name or numeric address
 * and a port, or a Unix-domain path as the user wrote it (no port).
 */
struct endpoint {
	const char *name;
	unsigned port;
	bool has_port;
};

#endif
