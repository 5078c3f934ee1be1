/*
 * -U -z and --wait for Unix-domain sockets. "Accepts" means connect(2)
 * succeeds: for stream and seqpacket a listener took the connection, for a
 * datagram socket one is bound to the path. --wait retries a path that does
 * not exist yet or has nobody behind it; other errors will not mend by
 * themselves, so they end the wait at once.
 */
#include "probe/probe_unix.h"

#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/probe.h"
#include "report/report.h"
#include "report/report_scan.h"
#include "mode/mode_scan.h"
#include "util/util_time.h"
#include "net/net_unix.h"

struct unix_probe {
	const struct nc_options *o;
	int type;
	int bound_fd;             /* -uU -s: the datagram socket, bound once; else -1 */
	struct sock_result fatal; /* why a try could not be made at all */
	bool tried;
	int err;                  /* the last try's errno; 0: it accepted */
	long long time_us;
};

static bool
not_up_yet(int err)
{
	return err == ENOENT || err == ECONNREFUSED || err == ETIMEDOUT;
}

/* One connect. deadline < 0: none, only -w bounds a full backlog's wait. */
static enum wait_step
unix_try(long long deadline, void *arg)
{
	struct unix_probe *p = arg;
	long long limit = p->o->sock.timeout_ms, start = now_us();
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
	if ((p->err = unix_addr(p->o->host, &sun, &len)) != 0) {
		p->time_us = 0;
		return WAIT_FATAL;
	}
	if (fd < 0) {
		p->fatal = unix_new_socket(p->type, &p->o->sock);
		if (p->fatal.status != SOCK_OK) {
			p->tried = false;
			return WAIT_FATAL;
		}
		fd = p->fatal.fd;
	}
	p->err = unix_connect_fd(fd, p->type, &sun, len, limit);
	p->time_us = now_us() - start;
	if (fd != p->bound_fd)
		close(fd);
	if (p->err == 0)
		return WAIT_UP;
	return not_up_yet(p->err) ? WAIT_NOT_YET : WAIT_FATAL;
}

/* Between tries: why the path is still down, and when the next try comes. */
static void
unix_note(long long next_ms, void *arg)
{
	struct unix_probe *p = arg;

	report_unix_wait_round(p->o->host, p->type, p->o->json, p->err, next_ms);
}

int
unix_scan(const struct nc_options *o, int type)
{
	struct unix_probe p = {.o = o, .type = type, .bound_fd = -1};
	enum wait_step r;

	/* -s gives the datagram probe an address; nothing comes back to it in -z. */
	if (type == SOCK_DGRAM && o->sock.source_addr != NULL) {
		struct sock_result b = unix_bind(o->sock.source_addr, type, &o->sock);
		if (b.status != SOCK_OK) {
			report_sock_failure(&b);
			return 1;
		}
		report_bound(&(struct endpoint){.name = o->sock.source_addr});
		p.bound_fd = b.fd;
	}
	if (o->scan.wait_ms >= 0)
		r = wait_until(now_ms() + o->scan.wait_ms, unix_try, unix_note, &p);
	else
		r = unix_try(-1, &p);
	if (p.bound_fd >= 0)
		close(p.bound_fd);
	if (!p.tried) {
		report_sock_failure(&p.fatal);
		return 1;
	}
	/* Only a wait that ran out says so; an error no retry mends is shown as it is. */
	report_unix_probe(o->host, type, o->json, p.err, p.time_us,
			  o->scan.wait_ms >= 0 && r == WAIT_NOT_YET ? o->scan.wait_ms : -1);
	return r == WAIT_UP ? 0 : 1;
}
