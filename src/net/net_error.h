/*
 * The one error type of the socket layer: what making, binding, connecting
 * or listening on a socket came to, for the caller to act on and the
 * reporter to phrase.
 */
#ifndef NC_NET_ERROR_H
#define NC_NET_ERROR_H

enum sock_status {
	SOCK_OK,
	SOCK_FAILED,        /* this address failed (err); the next may work */
	SOCK_TIMED_OUT,     /* -w passed before the connect finished */
	SOCK_FATAL_ERRNO,   /* give up: what + err */
	SOCK_FATAL_GAI,     /* give up: a local address lookup failed (gai) */
	SOCK_FATAL_SOCKOPT, /* give up: setsockopt what failed with err */
	SOCK_FATAL_NOT_SOCKET, /* give up: the path what exists and is not a socket; left alone */
};

struct sock_result {
	enum sock_status status;
	int err;
	int gai;
	const char *what;
	int fd;
};

#endif
