/* Name and address lookups, and how addresses are written for people. */
#ifndef NC_NET_RESOLVE_H
#define NC_NET_RESOLVE_H

#include <netdb.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "cli/cli_options.h"

/* Big enough for any numeric IPv4 or IPv6 address, or a host name. */
#define ADDR_TEXT_MAX NI_MAXHOST

/* The destination's addresses, looked up once for all its ports. */
struct destination {
	const char *host;
	struct addrinfo *addrs;
	const char *proto; /* "tcp", "udp" */
};

/*
 * Looks host up once for all its ports (first_port goes into the query, as
 * netcat's messages name it). Returns 0 or a getaddrinfo error, when
 * d->addrs is NULL. Prints nothing.
 */
int destination_lookup(struct destination *d, const char *host, unsigned first_port,
		       const struct sock_options *sock, int socktype);
void destination_free(struct destination *d);

/* How many addresses d has. */
unsigned destination_count(const struct destination *d);

/* getaddrinfo for a destination (passive false) or a local address (passive true). */
int resolve(const char *host, const char *port, const struct sock_options *sock, int socktype,
	    bool passive, struct addrinfo **res);

/* The numeric address and port of sa. */
void addr_numeric(const struct sockaddr *sa, socklen_t len, char *host, size_t hostlen,
		  unsigned *port);

/* The port of an IPv4 or IPv6 address (0 for other families), and setting it. */
unsigned sa_port(const struct sockaddr *sa);
void sa_set_port(struct sockaddr *sa, unsigned port);

/* The name of sa (numeric with -n); returns a getaddrinfo error code or 0. */
int addr_name(const struct sockaddr *sa, socklen_t len, bool numeric, char *host, size_t hostlen);

/* The port of a service name for proto ("tcp", "udp"), or -1. ctx is the proto. */
int service_port(const char *name, void *proto);

/* The service name of a port, or "*" if it has none. */
const char *service_name(unsigned port, const char *proto);

#endif
