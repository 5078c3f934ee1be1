/*
 * The TCP -z prober. A port's addresses are tried one after another, as a
 * one-at-a-time scan would; different ports run side by side, up to the
 * descriptor budget, and finished ports are released strictly in list order.
 */
#include "scan_engine.h"

#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "timeutil.h"

/* Descriptors kept back for stdio, the epoll instance and the resolver. */
#define FD_MARGIN 64
/* A soft limit past this buys nothing: there are only 65535 ports. */
#define FD_WANTED 65536

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

size_t
scan_fd_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 1;
	rlim_t want = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > FD_WANTED ? FD_WANTED
									       : rl.rlim_max;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want) {
		want = rl.rlim_cur == RLIM_INFINITY ? FD_WANTED : rl.rlim_cur;
	} else {
		rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0 && getrlimit(RLIMIT_NOFILE, &rl) == 0)
			want = rl.rlim_cur;
	}
	return want > FD_MARGIN + 1 ? (size_t)(want - FD_MARGIN) : 1;
}

enum try_status { TRY_DONE, TRY_CONNECTED, TRY_PENDING, TRY_FATAL };

static void
set_port(struct sockaddr_storage *ss, unsigned port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((unsigned short)port);
	else if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons((unsigned short)port);
}

/* Whether a and b are the same address and port. */
static bool
same_endpoint(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
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

static unsigned
endpoint_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

/* Whether the address parts of a and b are equal (ports aside). */
static bool
same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	struct sockaddr_storage x = *a;
	set_port(&x, endpoint_port(b));
	return same_endpoint(&x, b);
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
	return same_endpoint(&local, dst);
}

/* Closes with a reset: a phantom connection to ourselves must not linger in TIME_WAIT. */
static void
close_reset(int fd)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

static void
set_outcome(struct probe_attempt *a, int err, bool timer, long long start_us)
{
	a->err = err;
	a->timer = timer;
	a->state = timer ? PROBE_TIMEOUT : probe_state_for_errno(err);
	a->icmp_type = a->icmp_code = -1;
	a->time_us = now_us() - start_us;
}

/* The verdict on a connect that finished without error; fd is closed here. */
static void
connected(int fd, const struct sockaddr_storage *dst, bool phantom, struct probe_attempt *a,
	  long long start_us)
{
	if (phantom || self_connected(fd, dst)) {
		set_outcome(a, ECONNREFUSED, false, start_us);
		close_reset(fd);
	} else {
		set_outcome(a, 0, false, start_us);
		close(fd);
	}
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
quick_socket(const struct addrinfo *ai, const struct nc_options *o, struct sock_result *fatal)
{
	struct timeval tick = {.tv_sec = 0, .tv_usec = 1};
	struct sock_result r = socket_for_flags(ai, o, 0);

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
 * *spare), TRY_CONNECTED (fd open, for connected()), TRY_PENDING (wait for
 * fd) or TRY_FATAL.
 *
 * Without quick, the socket is nonblocking and a second connect(2) asks for
 * the outcome at once: 0 when connected, EALREADY while pending, else the
 * error. After a refusal Linux lets a socket connect again, so the parallel
 * scan keeps a refused socket in *spare (one per family) for its next try,
 * saving a socket(2) and a close(2) per closed port.
 */
static enum try_status
start_try(const struct addrinfo *ai, unsigned port, const struct nc_options *o,
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
		if ((fd = quick_socket(ai, o, fatal)) < 0)
			return TRY_FATAL;
	} else {
		struct sock_result r = socket_for_flags(ai, o, SOCK_NONBLOCK);
		if (r.status != SOCK_OK) {
			*fatal = r;
			return TRY_FATAL;
		}
		fd = r.fd;
	}
	*fdp = fd;
	memset(dst, 0, sizeof(*dst));
	memcpy(dst, ai->ai_addr, ai->ai_addrlen);
	set_port(dst, port);
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
	set_outcome(a, err, false, *start_us);
	if (spare != NULL && err == ECONNREFUSED)
		*spare = fd;
	else
		close(fd);
	return TRY_DONE;
}

/*
 * A pending connect on fd has an answer, or none by its deadline. Returns
 * true when it connected: fd is still open, for connected().
 */
static bool
finish_try(int fd, bool timed_out, struct probe_attempt *a, long long start_us)
{
	int err = 0;
	socklen_t len = sizeof(err);

	if (timed_out) {
		set_outcome(a, ETIMEDOUT, true, start_us);
		close(fd);
		return false;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
		err = errno;
	if (err == 0)
		return true;
	set_outcome(a, err, false, start_us);
	close(fd);
	return false;
}

/* When a try started now must be given up: -w, capped by --wait's deadline. */
static long long
try_deadline(const struct scan_plan *p)
{
	long long d = p->o->timeout_ms >= 0 ? now_ms() + p->o->timeout_ms : -1;
	if (p->cap_ms >= 0 && (d < 0 || p->cap_ms < d))
		d = p->cap_ms;
	return d;
}

static unsigned
count_addrs(const struct destination *d)
{
	unsigned n = 0;
	for (const struct addrinfo *ai = d->addrs; ai != NULL; ai = ai->ai_next)
		n++;
	return n;
}

/* One port after another: the single-port path and -i. No tables, no epoll. */
static bool
scan_sequential(const struct scan_plan *p, probe_sink sink, void *ctx, struct sock_result *fatal)
{
	struct probe_attempt small[4], *att = small;
	unsigned naddrs = count_addrs(p->d);
	bool ok = true;

	if (naddrs > sizeof(small) / sizeof(small[0]) &&
	    (att = calloc(naddrs, sizeof(*att))) == NULL) {
		*fatal = (struct sock_result){.status = SOCK_FATAL_ERRNO, .err = ENOMEM};
		return false;
	}
	for (size_t i = 0; i < p->count && ok; i++) {
		struct port_probe pp = {.port = p->ports[i], .attempts = att, .complete = true};
		if (i > 0 && p->o->interval_ms > 0)
			sleep_ms(p->o->interval_ms);
		for (const struct addrinfo *ai = p->d->addrs; ai != NULL; ai = ai->ai_next) {
			struct probe_attempt *a = &att[pp.nattempts];
			struct sockaddr_storage dst;
			long long start_us, deadline = try_deadline(p);
			int fd = -1;
			enum try_status t =
			    start_try(ai, pp.port, p->o, &dst, &fd, a, &start_us, NULL, NULL, fatal);
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
				if (finish_try(fd, n == 0, a, start_us))
					t = TRY_CONNECTED;
			}
			if (t == TRY_CONNECTED)
				connected(fd, &dst, false, a, start_us);
			pp.nattempts++;
			if (probe_is_open(a->state))
				break;
		}
		sink(i, &pp, ctx);
	}
	if (att != small)
		free(att);
	return ok;
}

/* One connect in flight. In flight slots form a list in start order, so
 * (every try lasting the same -w) the head always has the nearest deadline. */
struct slot {
	int fd;
	size_t index;
	const struct addrinfo *ai;
	struct sockaddr_storage dst;
	long long start_us;
	long long deadline; /* now_ms() time, -1: none */
	unsigned local_port; /* registered in owner[] when nonzero */
	bool phantom;        /* another of our sockets connected to this one */
	struct slot *prev, *next;
};

struct engine {
	const struct scan_plan *p;
	probe_sink sink;
	void *ctx;
	int ep;
	unsigned naddrs;
	struct slot *slots, *free, *head, *tail;
	size_t slots_used; /* slots[slots_used..] never used yet (left untouched: no RSS) */
	size_t limit, inflight, next, released, end;
	struct probe_attempt *att; /* naddrs per port */
	unsigned short *natt;
	unsigned char *done;
	/*
	 * Local port -> slot + 1 for pending sockets whose local address equals
	 * their destination's: two of them can connect to each other
	 * (simultaneous open) and both look open.
	 */
	uint32_t *owner;
	int spare[2]; /* a refused socket ready to connect again: IPv4, IPv6 */
	bool quick;   /* blocking one-tick connects still answer at once */
	bool stopped;
	struct sock_result fatal;
};

static void
list_append(struct engine *e, struct slot *s)
{
	s->next = NULL;
	s->prev = e->tail;
	if (e->tail != NULL)
		e->tail->next = s;
	else
		e->head = s;
	e->tail = s;
	e->inflight++;
}

static void
list_remove(struct engine *e, struct slot *s)
{
	if (s->prev != NULL)
		s->prev->next = s->next;
	else
		e->head = s->next;
	if (s->next != NULL)
		s->next->prev = s->prev;
	else
		e->tail = s->prev;
	e->inflight--;
}

static void
slot_free(struct engine *e, struct slot *s)
{
	s->next = e->free;
	e->free = s;
}

/* Spare sockets of the quick kind are blocking: no use once the scan waits with epoll. */
static void
drop_spares(struct engine *e)
{
	for (int k = 0; k < 2; k++) {
		if (e->spare[k] >= 0)
			close(e->spare[k]);
		e->spare[k] = -1;
	}
}

/* Records which of our sockets holds a local port, when it talks to its own address. */
static void
register_local(struct engine *e, struct slot *s)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);

	s->local_port = 0;
	if (getsockname(s->fd, (struct sockaddr *)&local, &len) != 0 || !same_host(&local, &s->dst))
		return;
	if (e->owner == NULL && (e->owner = calloc(65536, sizeof(*e->owner))) == NULL)
		return;
	s->local_port = endpoint_port(&local);
	e->owner[s->local_port] = (uint32_t)(s - e->slots) + 1;
}

static void
unregister_local(struct engine *e, struct slot *s)
{
	if (s->local_port != 0 && e->owner[s->local_port] == (uint32_t)(s - e->slots) + 1)
		e->owner[s->local_port] = 0;
	s->local_port = 0;
}

/*
 * s's try connected on fd: if its peer port is held by another pending
 * socket of ours that targets s's local port, the two reached each other
 * (simultaneous open), not a listener. Both are phantoms.
 */
static bool
cross_connected(struct engine *e, struct slot *s, int fd)
{
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);

	if (s->phantom)
		return true;
	if (e->owner == NULL || getsockname(fd, (struct sockaddr *)&local, &len) != 0 ||
	    !same_host(&local, &s->dst))
		return false;
	uint32_t o = e->owner[endpoint_port(&s->dst)];
	if (o == 0 || o - 1 == (uint32_t)(s - e->slots))
		return false;
	struct slot *b = &e->slots[o - 1];
	if (endpoint_port(&b->dst) != endpoint_port(&local) || !same_host(&b->dst, &s->dst))
		return false;
	b->phantom = true;
	return true;
}

/* Starts the tries of s's port from address ai until one is pending or the port is decided. */
static void
run_port(struct engine *e, struct slot *s, const struct addrinfo *ai)
{
	size_t i = s->index;
	unsigned port = e->p->ports[i];

	for (; ai != NULL; ai = ai->ai_next) {
		struct probe_attempt *a = &e->att[i * e->naddrs + e->natt[i]];
		struct sock_result fatal;
		int fd = -1;
		s->phantom = false;
		int *spare = &e->spare[ai->ai_family == AF_INET6];
		bool was_quick = e->quick;
		enum try_status t = start_try(ai, port, e->p->o, &s->dst, &fd, a, &s->start_us,
					      spare, &e->quick, &fatal);
		if (was_quick && !e->quick)
			drop_spares(e);
		if (t == TRY_CONNECTED)
			connected(fd, &s->dst, cross_connected(e, s, fd), a, s->start_us);
		if (t == TRY_FATAL) {
			int err = fatal.status == SOCK_FATAL_ERRNO ? fatal.err : 0;
			if ((err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) &&
			    e->natt[i] == 0 && e->inflight > 0 && i + 1 == e->next) {
				/* Fewer descriptors than we counted on: retry it later. */
				e->next = i;
				e->limit = e->inflight;
			} else if (!e->stopped || i < e->end) {
				e->stopped = true;
				e->end = i;
				e->fatal = fatal;
			}
			slot_free(e, s);
			return;
		}
		if (t == TRY_PENDING) {
			struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = s};
			s->fd = fd;
			s->ai = ai;
			s->deadline = try_deadline(e->p);
			register_local(e, s);
			if (epoll_ctl(e->ep, EPOLL_CTL_ADD, fd, &ev) != 0) {
				unregister_local(e, s);
				close(fd);
				set_outcome(a, errno, false, s->start_us);
				e->natt[i]++;
				break;
			}
			list_append(e, s);
			return;
		}
		e->natt[i]++;
		if (probe_is_open(a->state))
			break;
	}
	e->done[i] = 1;
	slot_free(e, s);
}

/* The pending try in s ended. */
static void
try_ended(struct engine *e, struct slot *s, bool timed_out)
{
	size_t i = s->index;
	struct probe_attempt *a = &e->att[i * e->naddrs + e->natt[i]];

	list_remove(e, s);
	a->ai = s->ai;
	unregister_local(e, s);
	if (finish_try(s->fd, timed_out, a, s->start_us))
		connected(s->fd, &s->dst, cross_connected(e, s, s->fd), a, s->start_us);
	e->natt[i]++;
	if (probe_is_open(a->state) || s->ai->ai_next == NULL || (e->stopped && i > e->end)) {
		e->done[i] = 1;
		slot_free(e, s);
		return;
	}
	run_port(e, s, s->ai->ai_next);
}

static void
release_ready(struct engine *e)
{
	while (e->released < e->end && e->done[e->released]) {
		size_t i = e->released;
		struct port_probe pp = {.port = e->p->ports[i],
					.nattempts = e->natt[i],
					.attempts = &e->att[i * e->naddrs],
					.complete = true};
		e->sink(i, &pp, e->ctx);
		e->released++;
	}
}

static bool
engine_init(struct engine *e, const struct scan_plan *p, size_t limit)
{
	size_t n = p->count;

	e->naddrs = count_addrs(p->d);
	e->spare[0] = e->spare[1] = -1;
	e->quick = true;
	e->limit = limit;
	e->end = n;
	e->ep = epoll_create1(EPOLL_CLOEXEC);
	e->slots = calloc(limit, sizeof(*e->slots));
	e->att = calloc(n * e->naddrs, sizeof(*e->att));
	e->natt = calloc(n, sizeof(*e->natt));
	e->done = calloc(n, 1);
	if (e->ep < 0 || e->slots == NULL || e->att == NULL || e->natt == NULL || e->done == NULL)
		return false;
	return true;
}

static void
engine_free(struct engine *e)
{
	for (struct slot *s = e->head; s != NULL; s = s->next)
		close(s->fd);
	drop_spares(e);
	if (e->ep >= 0)
		close(e->ep);
	free(e->slots);
	free(e->att);
	free(e->natt);
	free(e->done);
	free(e->owner);
}

/* Abandons in-flight ports after the fatal one: a sequential scan never reached them. */
static void
drop_after_fatal(struct engine *e)
{
	struct slot *s = e->head;
	while (s != NULL) {
		struct slot *n = s->next;
		if (s->index > e->end) {
			list_remove(e, s);
			unregister_local(e, s);
			close(s->fd);
			slot_free(e, s);
		}
		s = n;
	}
}

static bool
scan_parallel(const struct scan_plan *p, size_t limit, probe_sink sink, void *ctx,
	      struct sock_result *fatal)
{
	struct engine e = {.p = p, .sink = sink, .ctx = ctx};
	struct epoll_event evs[256];

	if (!engine_init(&e, p, limit)) {
		int err = errno != 0 ? errno : ENOMEM;
		engine_free(&e);
		if (e.ep < 0)
			return scan_sequential(p, sink, ctx, fatal);
		*fatal = (struct sock_result){.status = SOCK_FATAL_ERRNO, .err = err};
		return false;
	}
	while (e.released < e.end) {
		while (!e.stopped && e.inflight < e.limit && e.next < p->count &&
		       (e.free != NULL || e.slots_used < limit)) {
			struct slot *s = e.free;
			if (s != NULL)
				e.free = s->next;
			else
				s = &e.slots[e.slots_used++];
			s->index = e.next++;
			run_port(&e, s, p->d->addrs);
		}
		if (e.stopped)
			drop_after_fatal(&e);
		release_ready(&e);
		if (e.released >= e.end)
			break;
		if (e.inflight == 0) {
			if (e.stopped || e.next >= p->count)
				break; /* nothing left that could finish a port */
			continue;
		}
		if (p->idle != NULL)
			p->idle(ctx);
		int timeout = e.head->deadline < 0 ? -1 : poll_timeout(e.head->deadline);
		int n = epoll_wait(e.ep, evs, sizeof(evs) / sizeof(evs[0]), timeout);
		if (n < 0 && errno != EINTR) {
			e.fatal = (struct sock_result){
			    .status = SOCK_FATAL_ERRNO, .what = "epoll_wait", .err = errno};
			e.stopped = true;
			e.end = e.released;
			break;
		}
		for (int k = 0; k < n; k++)
			try_ended(&e, evs[k].data.ptr, false);
		long long now = now_ms();
		while (e.head != NULL && e.head->deadline >= 0 && e.head->deadline <= now)
			try_ended(&e, e.head, true);
	}
	if (e.stopped) {
		size_t i = e.end;
		if (i < p->count && e.released == i) {
			struct port_probe pp = {.port = p->ports[i],
						.nattempts = e.natt[i],
						.attempts = &e.att[i * e.naddrs],
						.complete = false};
			sink(i, &pp, ctx);
		}
		*fatal = e.fatal;
	}
	engine_free(&e);
	return !e.stopped;
}

bool
tcp_scan(const struct scan_plan *plan, probe_sink sink, void *ctx, struct sock_result *fatal)
{
	if (!plan->parallel || plan->count < 2 || plan->o->interval_given)
		return scan_sequential(plan, sink, ctx, fatal);
	size_t limit = scan_fd_budget();
	if (limit > plan->count)
		limit = plan->count;
	if (limit < 2)
		return scan_sequential(plan, sink, ctx, fatal);
	return scan_parallel(plan, limit, sink, ctx, fatal);
}
