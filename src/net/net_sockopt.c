/* Per-socket settings chosen on the command line. */
#include "net/net_sockopt.h"

#include <errno.h>
#include <netinet/in.h>
#include <sys/socket.h>

static int
set_int(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value)) == 0 ? 0 : errno;
}

int
sockopt_apply(int fd, int family, const struct nc_options *o, const char **what)
{
	bool v6 = family == AF_INET6;
	int e = 0;

	if (o->debug_socket && (e = set_int(fd, SOL_SOCKET, SO_DEBUG, 1)) != 0) {
		*what = "SO_DEBUG";
		return e;
	}
	if (o->rcvbuf > 0 && (e = set_int(fd, SOL_SOCKET, SO_RCVBUF, o->rcvbuf)) != 0) {
		*what = "SO_RCVBUF";
		return e;
	}
	if (o->sndbuf > 0 && (e = set_int(fd, SOL_SOCKET, SO_SNDBUF, o->sndbuf)) != 0) {
		*what = "SO_SNDBUF";
		return e;
	}
	if (family != AF_INET && family != AF_INET6)
		return 0;
	if (o->broadcast && (e = set_int(fd, SOL_SOCKET, SO_BROADCAST, 1)) != 0) {
		*what = "SO_BROADCAST";
		return e;
	}
	if (o->tos >= 0) {
		e = v6 ? set_int(fd, IPPROTO_IPV6, IPV6_TCLASS, o->tos)
		       : set_int(fd, IPPROTO_IP, IP_TOS, o->tos);
		if (e != 0) {
			*what = v6 ? "IPV6_TCLASS" : "IP_TOS";
			return e;
		}
	}
	if (o->ttl >= 0) {
		e = v6 ? set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, o->ttl)
		       : set_int(fd, IPPROTO_IP, IP_TTL, o->ttl);
		if (e != 0) {
			*what = v6 ? "IPV6_UNICAST_HOPS" : "IP_TTL";
			return e;
		}
	}
	if (o->minttl >= 0) {
		e = v6 ? set_int(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, o->minttl)
		       : set_int(fd, IPPROTO_IP, IP_MINTTL, o->minttl);
		if (e != 0) {
			*what = v6 ? "IPV6_MINHOPCOUNT" : "IP_MINTTL";
			return e;
		}
	}
	return 0;
}
