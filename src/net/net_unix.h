/* Unix-domain sockets (-U): stream, datagram (-u) and sequenced-packet (--seqpacket). */
#ifndef NC_NET_UNIX_H
#define NC_NET_UNIX_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include "cli/cli_options.h"
#include "net/net_error.h"

/*
 * Turns a path into a socket address. A leading '@' names Linux's abstract
 * namespace (the '@' becomes a NUL). Returns 0, ENAMETOOLONG when the name
 * does not fit in sun_path, or EINVAL for an empty path. Pure.
 */
int unix_addr(const char *path, struct sockaddr_un *sun, socklen_t *len);

/* A socket of type with the command line's socket options applied. */
struct sock_result unix_new_socket(int type, const struct sock_options *sock);

/*
 * connect(2) of fd to sun, waiting at most timeout_ms (<= 0: no limit) for
 * a listener with a full backlog; ETIMEDOUT when that limit ended it.
 * Returns 0 or the errno value. fd stays open either way.
 */
int unix_connect_fd(int fd, int type, const struct sockaddr_un *sun, socklen_t len,
		    long long timeout_ms);

/*
 * Connects fd, or a new socket of type (SOCK_STREAM, SOCK_DGRAM,
 * SOCK_SEQPACKET) when fd < 0, to path. Waits at most sock->timeout_ms for a
 * listener with a full backlog (forever without -w). Closes fd on failure.
 */
struct sock_result unix_connect(const char *path, int type, int fd, const struct sock_options *sock);

/* What one part of the kernel's list of Unix sockets (a NETLINK_SOCK_DIAG dump) says. */
enum unix_diag_scan {
	UNIX_DIAG_MORE,   /* nothing decided: read the next part */
	UNIX_DIAG_NONE,   /* the list ended without a socket that serves the file */
	UNIX_DIAG_SERVED, /* a listener, or a datagram socket, is bound to the file */
	UNIX_DIAG_FAILED, /* the kernel refused the dump, or the reply is malformed (*err) */
};

/*
 * Scans len bytes of netlink messages answering request seq (a unix_diag
 * dump with UDIAG_SHOW_VFS) for a socket bound to the file with inode ino
 * on device dev (in the kernel's encoding, unix_diag_dev()). Messages of
 * other requests are skipped. Pure.
 */
enum unix_diag_scan unix_diag_scan(const void *buf, size_t len, uint32_t seq, uint32_t ino,
				   uint32_t dev, int *err);

/* st_dev as unix_diag reports a file's device. Pure. */
uint32_t unix_diag_dev(dev_t dev);

/*
 * A socket of type bound to path. A socket file with nothing behind it is
 * replaced; anything else that exists there is left alone and refused. The
 * kernel's socket table, not a connect, tells whether a listener or a
 * datagram socket is behind the file; if it cannot be read, the file stays.
 */
struct sock_result unix_bind(const char *path, int type, const struct sock_options *sock);

/*
 * Makes a private (0700) directory under $TMPDIR (default /tmp) and writes
 * the path of a socket inside it to buf. Both are removed when the process
 * exits, by exit() or by SIGINT, SIGTERM or SIGHUP. Returns 0 or an errno
 * value (*what names the step that failed).
 */
int unix_tempsock(char *buf, size_t len, const char **what);

#endif
