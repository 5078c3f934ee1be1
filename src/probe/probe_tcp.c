/*
 * One TCP connect try, as both scans run it, and the one-port-at-a-time
 * scan (the single-port path and -i): no tables, no epoll.
 */
#include "probe/probe_tcp.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "conn/conn.h"
#include "net/net_tcp.h"
#include "util/util_time.h"


enum probe_state
probe_state_for_errno(int err)
{
	switch (err) {
	case 0:
		return PROBE_OPEN;
	case ECONNREFUSED:
		return PROBE_CLOSED;
	case ETIMEDOUT:
		return PROBE_TIMEOUT;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENONET:
	case EACCES:
	case EPERM:
		/* ICMP unreachable or prohibited, or a local firewall rule. */
		return PROBE_FILTERED;
	default:
		return PROBE_ERROR;
	}
}

/* Whether a and b are the same address and port. */
bool
sa_same_endpoint(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
		return x->sin6_port == y->sin6_port &&
		       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
	}
	return false;
}

/* Whether the address parts of a and b are equal (ports aside). */
bool
sa_same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	struct sockaddr_storage x = *a;
	sa_set_port((struct sockaddr *)&x, sa_port((const struct sockaddr *)b));
	return sa_same_endpoint(&x, b);
}

/*
 * A connect that reached its own socket (simultaneous open with the kernel's
 * chosen source port equal to the destination) is not an open port.
 */
static bool
self_connected(int fd, const struct sockaddr_storage *dst)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);

	if (getsockname(fd, (struct sockaddr *)&local, &len) != 0)
		return false;
	return sa_same_endpoint(&local, dst);
}

/* Closes with a reset: a phantom connection to ourselves must not linger in TIME_WAIT. */
void
close_reset(int fd)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

void
attempt_set(struct probe_attempt *a, int err, bool timer, long long start_us)
{
	a->err = err;
	a->timer = timer;
	a->state = timer ? PROBE_TIMEOUT : probe_state_for_errno(err);
	a->icmp_type = a->icmp_code = -1;
	a->time_us = now_us() - start_us;
	a->via_proxy = false;
	a->proxy_host = NULL;
	a->answer = NULL;
}

/* The verdict on a connect that finished without error. */
bool
try_connected(int fd, const struct sockaddr_storage *dst, bool phantom, struct probe_attempt *a,
	      long long start_us, bool keep)
{
	if (phantom || self_connected(fd, dst)) {
		attempt_set(a, ECONNREFUSED, false, start_us);
		close_reset(fd);
		return false;
	}
	attempt_set(a, 0, false, start_us);
	if (keep)
		return true;
	close(fd);
	return false;
}

void
plan_keep(const struct scan_plan *p, size_t i, int fd, struct probe_attempt *a, void *ctx)
{
	struct conn *c = conn_fd_new(fd, false);

	if (c == NULL) {
		long long start_us = now_us() - a->time_us;
		close(fd);
		attempt_set(a, ENOMEM, false, start_us);
		return;
	}
	p->keep(i, c, a, ctx);
}

unsigned
plan_max_addrs(const struct scan_plan *p)
{
	unsigned most = p->dests == NULL ? destination_count(p->d) : 0;

	for (size_t i = 0; p->dests != NULL && i < p->count; i++) {
		/* Ports of one destination come together: count each run once. */
		if (i > 0 && p->dests[i] == p->dests[i - 1])
			continue;
		unsigned n = destination_count(p->dests[i]);
		if (n > most)
			most = n;
	}
	return most;
}

/*
 * Where loopback (or any local address) is scanned, the answer is there
 * before connect(2) returns. A blocking socket with a one-tick SO_SNDTIMEO
 * then returns the final result in one call, and socket(7) promises that a
 * connect which runs out of that time goes on in the background
 * (EINPROGRESS), so nothing is lost when the answer is slower: the scan just
 * stops using the trick (*quick = false) and waits with epoll.
 */
static int
quick_socket(const struct addrinfo *ai, const struct sock_options *sock, struct sock_result *fatal)
{
	struct timeval tick = {.tv_sec = 0, .tv_usec = 1};
	struct sock_result r = socket_for_flags(ai, sock, 0);

	if (r.status != SOCK_OK) {
		*fatal = r;
		return -1;
	}
	if (setsockopt(r.fd, SOL_SOCKET, SO_SNDTIMEO, &tick, sizeof(tick)) != 0) {
		close(r.fd);
		*fatal = (struct sock_result){
		    .status = SOCK_FATAL_SOCKOPT, .what = "SO_SNDTIMEO", .err = errno};
		return -1;
	}
	return r.fd;
}

/*
 * Starts a connect to ai at port: TRY_DONE (failed, fd closed or kept in
 * *spare), TRY_CONNECTED (fd open, for try_connected()), TRY_PENDING (wait for
 * fd) or TRY_FATAL.
 *
 * Without quick, the socket is nonblocking and a second connect(2) asks for
 * the outcome at once: 0 when connected, EALREADY while pending, else the
 * error. After a refusal Linux lets a socket connect again, so the parallel
 * scan keeps a refused socket in *spare (one per family) for its next try,
 * saving a socket(2) and a close(2) per closed port.
 */
enum try_status
try_start(const struct addrinfo *ai, unsigned port, const struct sock_options *sock,
	  struct sockaddr_storage *dst, int *fdp, struct probe_attempt *a, long long *start_us,
	  int *spare, bool *quick, struct sock_result *fatal)
{
	bool q = quick != NULL && *quick;
	int err = 0, fd;

	a->ai = ai;
	if (spare != NULL && *spare >= 0) {
		fd = *spare;
		*spare = -1;
	} else if (q) {
		if ((fd = quick_socket(ai, sock, fatal)) < 0)
			return TRY_FATAL;
	} else {
		struct sock_result r = socket_for_flags(ai, sock, SOCK_NONBLOCK);
		if (r.status != SOCK_OK) {
			*fatal = r;
			return TRY_FATAL;
		}
		fd = r.fd;
	}
	*fdp = fd;
	memset(dst, 0, sizeof(*dst));
	memcpy(dst, ai->ai_addr, ai->ai_addrlen);
	sa_set_port((struct sockaddr *)dst, port);
	*start_us = now_us();
	if (connect(fd, (struct sockaddr *)dst, ai->ai_addrlen) == 0)
		return TRY_CONNECTED;
	err = errno;
	if (q && (err == EINPROGRESS || err == EINTR)) {
		/* Not local after all: from now on, nonblocking sockets and epoll. */
		*quick = false;
		return TRY_PENDING;
	}
	if (err == EINPROGRESS) {
		if (connect(fd, (struct sockaddr *)dst, ai->ai_addrlen) == 0 || errno == EISCONN)
			return TRY_CONNECTED;
		if (errno == EALREADY || errno == EINPROGRESS)
			return TRY_PENDING;
		err = errno;
	}
	attempt_set(a, err, false, *start_us);
	if (spare != NULL && err == ECONNREFUSED)
		*spare = fd;
	else
		close(fd);
	return TRY_DONE;
}

/*
 * A pending connect on fd has an answer, or none by its deadline. Returns
 * true when it connected: fd is still open, for try_connected().
 */
bool
try_finish(int fd, bool timed_out, struct probe_attempt *a, long long start_us)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (timed_out) {
		attempt_set(a, ETIMEDOUT, true, start_us);
		close(fd);
		return false;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	if (err == 0)
		return true;
	attempt_set(a, err, false, start_us);
	close(fd);
	return false;
}

/* When a try started now must be given up: -w, capped by --wait's deadline. */
long long
try_deadline(const struct scan_plan *p)
{
	long long d = p->sock->timeout_ms >= 0 ? now_ms() + p->sock->timeout_ms : -1;
	if (p->cap_ms >= 0 && (d < 0 || p->cap_ms < d))
		d = p->cap_ms;
	return d;
}

/* One port after another: the single-port path and -i. No tables, no epoll. */
bool
tcp_scan_sequential(const struct scan_plan *p, probe_sink sink, void *ctx, struct sock_result *fatal)
{
	struct probe_attempt small[4], *att = small;
	unsigned naddrs = plan_max_addrs(p);
	bool ok = true;

	if (naddrs > sizeof(small) / sizeof(small[0]) &&
	    (att = calloc(naddrs, sizeof(*att))) == NULL) {
		*fatal = (struct sock_result){.status = SOCK_FATAL_ERRNO, .err = ENOMEM};
		return false;
	}
	for (size_t i = 0; i < p->count && ok; i++) {
		struct port_probe pp = {.port = p->ports[i], .attempts = att, .complete = true};
		if (i > 0 && p->interval_ms > 0)
			sleep_ms(p->interval_ms);
		for (const struct addrinfo *ai = plan_dest(p, i)->addrs; ai != NULL; ai = ai->ai_next) {
			struct probe_attempt *a = &att[pp.nattempts];
			struct sockaddr_storage dst;
			long long start_us, deadline = try_deadline(p);
			int fd = -1;
			enum try_status t =
			    try_start(ai, pp.port, p->sock, &dst, &fd, a, &start_us, NULL, NULL, fatal);
			if (t == TRY_FATAL) {
				pp.complete = false;
				ok = false;
				break;
			}
			if (t == TRY_PENDING) {
				struct pollfd pfd = {.fd = fd, .events = POLLOUT};
				int n;
				while ((n = poll(&pfd, 1, poll_timeout(deadline))) < 0 &&
				       errno == EINTR)
					;
				if (try_finish(fd, n == 0, a, start_us))
					t = TRY_CONNECTED;
			}
			if (t == TRY_CONNECTED && try_connected(fd, &dst, false, a, start_us,
								  p->keep != NULL))
				plan_keep(p, i, fd, a, ctx);
			pp.nattempts++;
			if (probe_is_open(a->state))
				break;
		}
		sink(i, &pp, ctx);
		if (p->idle != NULL)
			p->idle(ctx); /* each line out before the next port's wait */
	}
	if (att != small)
		free(att);
	return ok;
}
