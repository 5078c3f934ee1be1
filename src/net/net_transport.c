/* The transport table. */
#include "net/net_transport.h"

#include <sys/socket.h>

static const struct transport transports[] = {
	{TRANSPORT_TCP, "tcp", false, SOCK_STREAM, false, false},
	{TRANSPORT_UDP, "udp", false, SOCK_DGRAM, true, true},
	{TRANSPORT_UNIX_STREAM, "stream", true, SOCK_STREAM, false, false},
	{TRANSPORT_UNIX_DGRAM, "dgram", true, SOCK_DGRAM, true, true},
	{TRANSPORT_UNIX_SEQPACKET, "seqpacket", true, SOCK_SEQPACKET, false, true},
};

const struct transport *
transport_pick(bool unix_domain, bool udp, bool seqpacket)
{
	if (unix_domain)
		return &transports[seqpacket ? TRANSPORT_UNIX_SEQPACKET
				   : udp     ? TRANSPORT_UNIX_DGRAM
					     : TRANSPORT_UNIX_STREAM];
	return &transports[udp ? TRANSPORT_UDP : TRANSPORT_TCP];
}
