/* Per-socket settings chosen on the command line. */
#include "net/net_sockopt.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

static int
set_int(int fd, int level, int name, int value)
{
	return setsockopt(fd, level, name, &value, sizeof(value)) == 0 ? 0 : errno;
}

/*
 * -S: the TCP MD5 signature key (RFC 2385) for every peer of the socket, as
 * netcat-openbsd sets it: an address prefix of length 0 in the socket's
 * family, so that it serves a listener's clients as well as a connect.
 * Only TCP has it; other sockets are left alone.
 */
static int
set_md5sig(int fd, int family, const char *key)
{
	struct tcp_md5sig sig;
	int proto = 0;
	socklen_t len = sizeof(proto);
	size_t keylen = strlen(key);

	if (getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &len) != 0 || proto != IPPROTO_TCP)
		return 0;
	if (keylen > TCP_MD5SIG_MAXKEYLEN)
		return EINVAL;
	memset(&sig, 0, sizeof(sig));
	sig.tcpm_addr.ss_family = (sa_family_t)family;
	sig.tcpm_flags = TCP_MD5SIG_FLAG_PREFIX;
	sig.tcpm_prefixlen = 0;
	sig.tcpm_keylen = (uint16_t)keylen;
	memcpy(sig.tcpm_key, key, keylen);
	int e = setsockopt(fd, IPPROTO_TCP, TCP_MD5SIG_EXT, &sig, sizeof(sig)) == 0 ? 0 : errno;
	explicit_bzero(&sig, sizeof(sig));
	return e;
}

int
sockopt_apply(int fd, int family, const struct sock_options *sock, const char **what)
{
	bool v6 = family == AF_INET6;
	int e = 0;

	if (sock->debug_socket && (e = set_int(fd, SOL_SOCKET, SO_DEBUG, 1)) != 0) {
		*what = "SO_DEBUG";
		return e;
	}
	if (sock->rcvbuf > 0 && (e = set_int(fd, SOL_SOCKET, SO_RCVBUF, sock->rcvbuf)) != 0) {
		*what = "SO_RCVBUF";
		return e;
	}
	if (sock->sndbuf > 0 && (e = set_int(fd, SOL_SOCKET, SO_SNDBUF, sock->sndbuf)) != 0) {
		*what = "SO_SNDBUF";
		return e;
	}
	if (family != AF_INET && family != AF_INET6)
		return 0;
	if (sock->broadcast && (e = set_int(fd, SOL_SOCKET, SO_BROADCAST, 1)) != 0) {
		*what = "SO_BROADCAST";
		return e;
	}
	if (sock->tos >= 0) {
		e = v6 ? set_int(fd, IPPROTO_IPV6, IPV6_TCLASS, sock->tos)
		       : set_int(fd, IPPROTO_IP, IP_TOS, sock->tos);
		if (e != 0) {
			*what = v6 ? "IPV6_TCLASS" : "IP_TOS";
			return e;
		}
	}
	if (sock->ttl >= 0) {
		e = v6 ? set_int(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, sock->ttl)
		       : set_int(fd, IPPROTO_IP, IP_TTL, sock->ttl);
		if (e != 0) {
			*what = v6 ? "IPV6_UNICAST_HOPS" : "IP_TTL";
			return e;
		}
	}
	if (sock->md5sig && sock->md5sig_key != NULL &&
	    (e = set_md5sig(fd, family, sock->md5sig_key)) != 0) {
		*what = "TCP_MD5SIG";
		return e;
	}
	if (sock->minttl >= 0) {
		e = v6 ? set_int(fd, IPPROTO_IPV6, IPV6_MINHOPCOUNT, sock->minttl)
		       : set_int(fd, IPPROTO_IP, IP_MINTTL, sock->minttl);
		if (e != 0) {
			*what = v6 ? "IPV6_MINHOPCOUNT" : "IP_MINTTL";
			return e;
		}
	}
	return 0;
}
