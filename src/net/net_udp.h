/* UDP sockets: the connected one of -u, and the bound one of -u -l. */
#ifndef NC_NET_UDP_H
#define NC_NET_UDP_H

#include <netdb.h>

#include "cli/cli_options.h"
#include "net/net_tcp.h"

/*
 * A UDP socket for ai, with the socket options, the -s/-p source and -b
 * applied, connected to ai's address. Connecting sends nothing: SOCK_FAILED
 * only when there is no way there (no route, ...).
 */
struct sock_result dgram_connect(const struct addrinfo *ai, const struct sock_options *sock);

/* A UDP socket bound to host (NULL: any) and port. */
struct sock_result dgram_bind(const char *host, const char *port, const struct sock_options *sock);

#endif
