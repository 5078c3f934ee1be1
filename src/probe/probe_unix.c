/*
 * The Unix-domain prober. "Accepts" means connect(2) succeeds: for stream
 * and seqpacket a listener took the connection, for a datagram socket one is
 * bound to the path. --wait retries a path that does not exist yet or has
 * nobody behind it; other errors will not mend by themselves, so they end
 * the wait at once.
 */
#include "probe/probe_unix.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/probe.h"
#include "util/util_time.h"
#include "net/net_unix.h"

static bool
not_up_yet(int err)
{
	return err == ENOENT || err == ECONNREFUSED || err == ETIMEDOUT;
}

/* One connect. deadline < 0: none, only -w bounds a full backlog's wait. */
enum wait_step
unix_try(long long deadline, void *arg)
{
	struct unix_probe *p = arg;
	long long limit = p->sock->timeout_ms, start = now_us();
	struct sockaddr_un sun;
	socklen_t len;
	int fd = p->bound_fd;

	if (deadline >= 0) {
		long long left = deadline - now_ms();
		if (left < 1)
			left = 1;
		if (limit <= 0 || left < limit)
			limit = left;
	}
	p->tried = true;
	p->fd = -1;
	if ((p->err = unix_addr(p->path, &sun, &len)) != 0) {
		p->time_us = 0;
		return WAIT_FATAL;
	}
	if (fd < 0) {
		p->fatal = unix_new_socket(p->type, p->sock);
		if (p->fatal.status != SOCK_OK) {
			p->tried = false;
			return WAIT_FATAL;
		}
		fd = p->fatal.fd;
	}
	p->err = unix_connect_fd(fd, p->type, &sun, len, limit);
	p->time_us = now_us() - start;
	if (p->err == 0 && p->keep && fd != p->bound_fd)
		p->fd = fd;
	else if (fd != p->bound_fd)
		close(fd);
	if (p->err == 0)
		return WAIT_UP;
	return not_up_yet(p->err) ? WAIT_NOT_YET : WAIT_FATAL;
}
