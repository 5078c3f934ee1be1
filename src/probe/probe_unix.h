/* The Unix-domain prober (-U -z, --wait): does a path accept a connection? */
#ifndef NC_PROBE_UNIX_H
#define NC_PROBE_UNIX_H

#include <stdbool.h>

#include "cli/cli_options.h"
#include "net/net_error.h"
#include "probe/probe_wait.h"

struct unix_probe {
	const char *path;
	const struct sock_options *sock;
	int type;
	int bound_fd;             /* -uU -s: the datagram socket, bound once; else -1 */
	struct sock_result fatal; /* why a try could not be made at all */
	bool tried;
	int err;                  /* the last try's errno; 0: it accepted */
	long long time_us;
	bool keep; /* hand a socket that connected to the caller (for a check) ... */
	int fd;    /* ... here; -1 otherwise */
};

/*
 * One connect to p->path, a wait_step_fn (ctx is the struct unix_probe):
 * deadline < 0 is none, and only -w bounds a full backlog's wait.
 */
enum wait_step unix_try(long long deadline, void *p);

#endif
