/*
 * The parallel TCP -z prober. A port's addresses are tried one after
 * another, as a one-at-a-time scan would; different ports run side by side,
 * up to the descriptor budget, and finished ports are released strictly in
 * list order.
 */
#include "probe/probe_engine.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "probe/probe_tcp.h"
#include "util/util_time.h"

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
	if (getsockname(s->fd, (struct sockaddr *)&local, &len) != 0 || !sa_same_host(&local, &s->dst))
		return;
	if (e->owner == NULL && (e->owner = calloc(65536, sizeof(*e->owner))) == NULL)
		return;
	s->local_port = sa_port((struct sockaddr *)&local);
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
	    !sa_same_host(&local, &s->dst))
		return false;
	uint32_t o = e->owner[sa_port((struct sockaddr *)&s->dst)];
	if (o == 0 || o - 1 == (uint32_t)(s - e->slots))
		return false;
	struct slot *b = &e->slots[o - 1];
	if (sa_port((struct sockaddr *)&b->dst) != sa_port((struct sockaddr *)&local) || !sa_same_host(&b->dst, &s->dst))
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
		enum try_status t = try_start(ai, port, e->p->sock, &s->dst, &fd, a, &s->start_us,
					      spare, &e->quick, &fatal);
		if (was_quick && !e->quick)
			drop_spares(e);
		if (t == TRY_CONNECTED && try_connected(fd, &s->dst, cross_connected(e, s, fd), a,
						      s->start_us, e->p->keep != NULL))
			plan_keep(e->p, i, fd, a, e->ctx);
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
				attempt_set(a, errno, false, s->start_us);
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
	if (try_finish(s->fd, timed_out, a, s->start_us) &&
	    try_connected(s->fd, &s->dst, cross_connected(e, s, s->fd), a, s->start_us,
			  e->p->keep != NULL))
		plan_keep(e->p, i, s->fd, a, e->ctx);
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

	e->naddrs = plan_max_addrs(p);
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
			return tcp_scan_sequential(p, sink, ctx, fatal);
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
			run_port(&e, s, plan_dest(p, s->index)->addrs);
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
	if (!plan->parallel || plan->count < 2 || plan->one_at_a_time)
		return tcp_scan_sequential(plan, sink, ctx, fatal);
	size_t limit = probe_fd_budget();
	if (limit > plan->count)
		limit = plan->count;
	if (limit < 2)
		return tcp_scan_sequential(plan, sink, ctx, fatal);
	return scan_parallel(plan, limit, sink, ctx, fatal);
}
