/*
 * The UDP connector and listener. UDP has no handshake: "connecting" only
 * fixes the peer address, and a listener learns its peer from the first
 * datagram that arrives.
 */
#include "net/net_udp.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net_resolve.h"
#include "net/net_sockopt.h"

struct sock_result
dgram_connect(const struct addrinfo *ai, const struct sock_options *sock)
{
	struct sock_result r = socket_for(ai, sock);
	int e;

	if (r.status != SOCK_OK)
		return r;
	if (connect(r.fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		e = errno;
		close(r.fd);
		return (struct sock_result){.status = SOCK_FAILED, .err = e, .fd = -1};
	}
	return r;
}

struct sock_result
dgram_bind(const char *host, const char *port, const struct sock_options *sock)
{
	return bind_local(host, port, SOCK_DGRAM, sock);
}
