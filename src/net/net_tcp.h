/* TCP: connecting out and listening. These return results; they print nothing. */
#ifndef NC_NET_TCP_H
#define NC_NET_TCP_H

#include <netdb.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "cli/cli_options.h"
#include "net/net_error.h"

/*
 * Opens a socket for ai, applies the socket options and the -s/-p source
 * address, and connects, waiting at most o->sock.timeout_ms (forever if < 0).
 */
struct sock_result stream_connect(const struct addrinfo *ai, const struct sock_options *sock);

/*
 * Makes a socket of ai's kind, with the socket options applied and bound to
 * the -s/-p source if one was given. Shared by the TCP and UDP connectors.
 */
struct sock_result socket_for(const struct addrinfo *ai, const struct sock_options *sock);

/* The same with extra socket(2) type flags (SOCK_NONBLOCK saves the scanner an fcntl). */
struct sock_result socket_for_flags(const struct addrinfo *ai, const struct sock_options *sock,
				    int flags);

/* Waits for a nonblocking connect on fd; returns 0, ETIMEDOUT or the error. */
int connect_wait(int fd, long long timeout_ms);

/*
 * A socket of socktype bound to host (NULL: any) and port, trying each local
 * address in turn, with the socket options applied.
 */
struct sock_result bind_local(const char *host, const char *port, int socktype,
			      const struct sock_options *sock);

/* Binds and listens on host (NULL: any) and port. */
struct sock_result stream_listen(const char *host, const char *port, const struct sock_options *sock);

#endif
