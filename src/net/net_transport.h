/*
 * The transport table: every kind of socket nc speaks, and the few facts
 * about each that the layers above decide by. Picking a transport happens
 * once, in main; nothing else asks "is this UDP?" of the options.
 */
#ifndef NC_NET_TRANSPORT_H
#define NC_NET_TRANSPORT_H

#include <stdbool.h>

enum transport_id {
	TRANSPORT_TCP,
	TRANSPORT_UDP,
	TRANSPORT_UNIX_STREAM,
	TRANSPORT_UNIX_DGRAM,
	TRANSPORT_UNIX_SEQPACKET,
	TRANSPORT_DCCP,
};

struct transport {
	enum transport_id id;
	/* As messages and --json name it: "tcp", "udp"; Unix: "stream", "dgram", "seqpacket". */
	const char *proto;
	bool unix_domain; /* the operand is a path, not host and port */
	int socktype;     /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET, SOCK_DCCP */
	/*
	 * Messages keep their boundaries and there is no end of file on the
	 * wire: a listener learns its peer from the first datagram, and the
	 * relay sends one read as one message.
	 */
	bool datagram;
	/* One read is one message (datagrams and seqpacket). */
	bool messages;
};

/* The transport for -U, -u, --seqpacket and -Z. */
const struct transport *transport_pick(bool unix_domain, bool udp, bool seqpacket, bool dccp);

/*
 * Whether the kernel has t at all (DCCP left Linux in 6.16): 0, or the
 * errno value of socket(2), ESOCKTNOSUPPORT or EPROTONOSUPPORT when it has
 * not.
 */
int transport_available(const struct transport *t);

#endif
