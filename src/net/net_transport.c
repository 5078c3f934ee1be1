/* The transport table. */
#include "net/net_transport.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

static const struct transport transports[] = {
	{TRANSPORT_TCP, "tcp", false, SOCK_STREAM, false, false},
	{TRANSPORT_UDP, "udp", false, SOCK_DGRAM, true, true},
	{TRANSPORT_UNIX_STREAM, "stream", true, SOCK_STREAM, false, false},
	{TRANSPORT_UNIX_DGRAM, "dgram", true, SOCK_DGRAM, true, true},
	{TRANSPORT_UNIX_SEQPACKET, "seqpacket", true, SOCK_SEQPACKET, false, true},
	{TRANSPORT_DCCP, "dccp", false, SOCK_DCCP, false, false},
};

const struct transport *
transport_pick(bool unix_domain, bool udp, bool seqpacket, bool dccp)
{
	if (dccp)
		return &transports[TRANSPORT_DCCP];
	if (unix_domain)
		return &transports[seqpacket ? TRANSPORT_UNIX_SEQPACKET
				   : udp     ? TRANSPORT_UNIX_DGRAM
					     : TRANSPORT_UNIX_STREAM];
	return &transports[udp ? TRANSPORT_UDP : TRANSPORT_TCP];
}

int
transport_available(const struct transport *t)
{
	int fd = socket(t->unix_domain ? AF_UNIX : AF_INET, t->socktype | SOCK_CLOEXEC,
	    t->id == TRANSPORT_DCCP ? IPPROTO_DCCP : 0);

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}
