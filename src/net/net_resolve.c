/* Lookups through the system resolver. */
#include "net/net_resolve.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

int
resolve(const char *host, const char *port, const struct sock_options *sock, int socktype, bool passive,
	struct addrinfo **res)
{
	struct addrinfo hints;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = sock->family;
	hints.ai_socktype = socktype;
	hints.ai_protocol = socktype == SOCK_DGRAM ? IPPROTO_UDP
			    : socktype == SOCK_DCCP ? IPPROTO_DCCP
						    : IPPROTO_TCP;
	if (sock->numeric)
		hints.ai_flags |= AI_NUMERICHOST;
	if (passive)
		hints.ai_flags |= AI_PASSIVE;
	return getaddrinfo(host, port, &hints, res);
}

void
addr_numeric(const struct sockaddr *sa, socklen_t len, char *host, size_t hostlen, unsigned *port)
{
	char serv[NI_MAXSERV];

	if (getnameinfo(sa, len, host, hostlen, serv, sizeof(serv),
			NI_NUMERICHOST | NI_NUMERICSERV) != 0) {
		host[0] = '\0';
		serv[0] = '\0';
	}
	if (port != NULL)
		*port = (unsigned)strtoul(serv, NULL, 10);
}

/* 0.0.0.0 and :: name no host: asking DNS about them only costs a query. */
static bool
unspecified(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ((const struct sockaddr_in *)sa)->sin_addr.s_addr == htonl(INADDR_ANY);
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(&((const struct sockaddr_in6 *)sa)->sin6_addr);
	return false;
}

int
addr_name(const struct sockaddr *sa, socklen_t len, bool numeric, char *host, size_t hostlen)
{
	int flags = numeric || unspecified(sa) ? NI_NUMERICHOST : 0;
	return getnameinfo(sa, len, host, hostlen, NULL, 0, flags);
}

int
service_port(const char *name, void *proto)
{
	struct servent *se = getservbyname(name, proto);
	return se == NULL ? -1 : ntohs((unsigned short)se->s_port);
}

const char *
service_name(unsigned port, const char *proto)
{
	struct servent *se = getservbyport(htons((unsigned short)port), proto);
	return se == NULL ? "*" : se->s_name;
}

unsigned
sa_port(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return 0;
}

void
sa_set_port(struct sockaddr *sa, unsigned port)
{
	if (sa->sa_family == AF_INET)
		((struct sockaddr_in *)sa)->sin_port = htons((unsigned short)port);
	else if (sa->sa_family == AF_INET6)
		((struct sockaddr_in6 *)sa)->sin6_port = htons((unsigned short)port);
}

int
destination_lookup(struct destination *d, const char *host, unsigned first_port,
		   const struct sock_options *sock, int socktype)
{
	char port[8];
	int gai;

	snprintf(port, sizeof(port), "%u", first_port);
	d->host = host;
	d->proto = socktype == SOCK_DGRAM ? "udp" : "tcp";
	gai = resolve(host, port, sock, socktype, false, &d->addrs);
	if (gai != 0)
		d->addrs = NULL;
	return gai;
}

void
destination_free(struct destination *d)
{
	if (d->addrs != NULL)
		freeaddrinfo(d->addrs);
	d->addrs = NULL;
}

unsigned
destination_count(const struct destination *d)
{
	unsigned n = 0;

	for (const struct addrinfo *ai = d->addrs; ai != NULL; ai = ai->ai_next)
		n++;
	return n;
}
