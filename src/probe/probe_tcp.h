/* One TCP connect try of the -z scanner, and the one-at-a-time scan built on it. */
#ifndef NC_PROBE_TCP_H
#define NC_PROBE_TCP_H

#include <stdbool.h>
#include <sys/socket.h>

#include "net/net_resolve.h"
#include "net/net_error.h"
#include "probe/probe.h"

enum try_status { TRY_DONE, TRY_CONNECTED, TRY_PENDING, TRY_FATAL };

/* Same address and port / same address. */
bool sa_same_endpoint(const struct sockaddr_storage *a, const struct sockaddr_storage *b);
bool sa_same_host(const struct sockaddr_storage *a, const struct sockaddr_storage *b);

/* Closes with a reset, leaving no TIME_WAIT behind. */
void close_reset(int fd);

/* Fills in how a try ended (err 0: open) and how long it took. */
void attempt_set(struct probe_attempt *a, int err, bool timer, long long start_us);

/*
 * The verdict on a connect that finished without error. Closes fd, except
 * an open one when keep: then it returns true and fd is the caller's.
 */
bool try_connected(int fd, const struct sockaddr_storage *dst, bool phantom,
		   struct probe_attempt *a, long long start_us, bool keep);

/*
 * Starts a connect to ai at port (socket in *fdp, address in *dst). spare (may be NULL) keeps
 * a refused socket for reuse; quick (may be NULL) asks for the one-call
 * connect that local targets allow, and is cleared when it does not pay.
 */
enum try_status try_start(const struct addrinfo *ai, unsigned port, const struct sock_options *sock,
			  struct sockaddr_storage *dst, int *fdp, struct probe_attempt *a,
			  long long *start_us, int *spare, bool *quick, struct sock_result *fatal);

/* A pending try ended (or ran out of time); true: connected, fd still open. */
bool try_finish(int fd, bool timed_out, struct probe_attempt *a, long long start_us);

/* The now_ms() time a try started now must end by; -1: none. */
long long try_deadline(const struct scan_plan *p);

bool tcp_scan_sequential(const struct scan_plan *p, probe_sink sink, void *ctx,
			 struct sock_result *fatal);

#endif
