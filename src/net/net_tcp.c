/* The TCP connector. */
#include "net/net_tcp.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "net/net_resolve.h"
#include "net/net_sockopt.h"
#include "util/util_time.h"

static struct sock_result
fatal_errno(const char *what, int err, int fd)
{
	if (fd >= 0)
		close(fd);
	return (struct sock_result){.status = SOCK_FATAL_ERRNO, .what = what, .err = err, .fd = -1};
}

/* Binds fd to the -s address and -p port, trying each local address. */
static struct sock_result
bind_source(int fd, const struct addrinfo *ai, const struct sock_options *sock)
{
	struct sock_options local = *sock;
	struct addrinfo *res, *r;
	int gai, err = 0;

	local.family = ai->ai_family;
	gai = resolve(sock->source_addr, sock->source_port, &local, ai->ai_socktype, true, &res);
	if (gai != 0) {
		close(fd);
		return (struct sock_result){.status = SOCK_FATAL_GAI, .gai = gai, .fd = -1};
	}
	for (r = res; r != NULL; r = r->ai_next) {
		if (bind(fd, r->ai_addr, r->ai_addrlen) == 0)
			break;
		err = errno;
	}
	freeaddrinfo(res);
	if (r == NULL)
		return fatal_errno("bind failed", err, fd);
	return (struct sock_result){.status = SOCK_OK, .fd = fd};
}

struct sock_result
socket_for(const struct addrinfo *ai, const struct sock_options *sock)
{
	return socket_for_flags(ai, sock, 0);
}

struct sock_result
socket_for_flags(const struct addrinfo *ai, const struct sock_options *sock, int flags)
{
	const char *what = NULL;
	int fd, e;

	fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | flags, ai->ai_protocol);
	if (fd < 0)
		return fatal_errno("socket", errno, -1);
	if ((e = sockopt_apply(fd, ai->ai_family, sock, &what)) != 0) {
		close(fd);
		return (struct sock_result){
		    .status = SOCK_FATAL_SOCKOPT, .what = what, .err = e, .fd = -1};
	}
	if (sock->source_addr != NULL || sock->source_port != NULL) {
		int one = 1;
		/* A fixed source port is often reused right after a previous run. */
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		return bind_source(fd, ai, sock);
	}
	return (struct sock_result){.status = SOCK_OK, .fd = fd};
}

int
connect_wait(int fd, long long timeout_ms)
{
	long long deadline = timeout_ms < 0 ? -1 : now_ms() + timeout_ms;
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	int err = 0;
	socklen_t len = sizeof(err);

	for (;;) {
		int n = poll(&pfd, 1, poll_timeout(deadline));
		if (n > 0)
			break;
		if (n == 0)
			return ETIMEDOUT;
		if (errno != EINTR)
			return errno;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		return errno;
	return err;
}

struct sock_result
stream_connect(const struct addrinfo *ai, const struct sock_options *sock)
{
	struct sock_result r = socket_for(ai, sock);
	int flags, err = 0;

	if (r.status != SOCK_OK)
		return r;
	flags = fcntl(r.fd, F_GETFL);
	fcntl(r.fd, F_SETFL, flags | O_NONBLOCK);
	if (connect(r.fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		err = errno;
		if (err == EINPROGRESS)
			err = connect_wait(r.fd, sock->timeout_ms);
	}
	if (err != 0) {
		close(r.fd);
		r.fd = -1;
		r.status = err == ETIMEDOUT && sock->timeout_ms >= 0 ? SOCK_TIMED_OUT : SOCK_FAILED;
		r.err = err;
	}
	return r;
}

struct sock_result
bind_local(const char *host, const char *port, int socktype, const struct sock_options *sock)
{
	struct addrinfo *res, *ai;
	const char *what = NULL;
	int gai, fd = -1, err = 0, e;

	gai = resolve(host, port, sock, socktype, true, &res);
	if (gai != 0)
		return (struct sock_result){.status = SOCK_FATAL_GAI, .gai = gai, .fd = -1};
	for (ai = res; ai != NULL; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		int one = 1;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		if ((e = sockopt_apply(fd, ai->ai_family, sock, &what)) != 0) {
			close(fd);
			freeaddrinfo(res);
			return (struct sock_result){
			    .status = SOCK_FATAL_SOCKOPT, .what = what, .err = e, .fd = -1};
		}
		if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0)
			break;
		err = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		return fatal_errno(NULL, err, -1);
	return (struct sock_result){.status = SOCK_OK, .fd = fd};
}

struct sock_result
stream_listen(const char *host, const char *port, const struct sock_options *sock)
{
	struct sock_result r = bind_local(host, port, SOCK_STREAM, sock);

	if (r.status == SOCK_OK && listen(r.fd, 128) < 0)
		return fatal_errno(NULL, errno, r.fd);
	return r;
}
