/* How many sockets every prober together may hold open at once. */
#include <sys/resource.h>

#include "probe/probe.h"

/* Descriptors kept back for stdio, the epoll instance and the resolver. */
#define FD_MARGIN 64
/* A soft limit past this buys nothing: there are only 65535 ports. */
#define FD_WANTED 65536

size_t
probe_fd_budget(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		return 1;
	rlim_t want =
	    rl.rlim_max == RLIM_INFINITY || rl.rlim_max > FD_WANTED ? FD_WANTED : rl.rlim_max;
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= want) {
		want = rl.rlim_cur == RLIM_INFINITY ? FD_WANTED : rl.rlim_cur;
	} else {
		rl.rlim_cur = want;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0 && getrlimit(RLIMIT_NOFILE, &rl) == 0)
			want = rl.rlim_cur;
	}
	return want > FD_MARGIN + 1 ? (size_t)(want - FD_MARGIN) : 1;
}
