/* What the messages about a connection name: shared by the human and the JSON reporters. */
#ifndef NC_REPORT_TARGET_H
#define NC_REPORT_TARGET_H

/* Where a connection attempt went, as the messages name it. */
struct target {
	const char *host; /* as the user wrote it */
	const char *addr; /* numeric address tried; NULL through a proxy, which has it */
	unsigned port;
	const char *port_text; /* the port as the user wrote it, if the line shows that; NULL */
	const char *proto; /* "tcp" or "udp" */
};

#endif
