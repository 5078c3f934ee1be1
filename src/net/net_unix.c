/*
 * Unix-domain sockets. The datagram client needs an address of its own for
 * replies to reach it; unless -s names one it lives in a private temporary
 * directory that must not outlive the process, whichever way it ends.
 */
#include "net/net_unix.h"

#include <bsd/string.h>
#include <errno.h>
#include <limits.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <unistd.h>

#include "net/net_sockopt.h"

int
unix_addr(const char *path, struct sockaddr_un *sun, socklen_t *len)
{
	size_t n = strlen(path);

	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (n == 0)
		return EINVAL;
	if (path[0] == '@') {
		/* Abstract names are counted, not NUL-terminated: all of sun_path is usable. */
		if (n > sizeof(sun->sun_path))
			return ENAMETOOLONG;
		memcpy(sun->sun_path + 1, path + 1, n - 1);
		*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n);
		return 0;
	}
	if (n >= sizeof(sun->sun_path))
		return ENAMETOOLONG;
	memcpy(sun->sun_path, path, n + 1);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	return 0;
}

static struct sock_result
path_error(const char *path, int err)
{
	return (struct sock_result){.status = SOCK_FATAL_ERRNO, .err = err, .what = path, .fd = -1};
}

static struct sock_result
op_error(const char *what, int err)
{
	return (struct sock_result){.status = SOCK_FATAL_ERRNO, .err = err, .what = what, .fd = -1};
}

struct sock_result
unix_new_socket(int type, const struct sock_options *sock)
{
	const char *what = NULL;
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return op_error("socket", errno);
	int e = sockopt_apply(fd, AF_UNIX, sock, &what);
	if (e != 0) {
		close(fd);
		return (struct sock_result){.status = SOCK_FATAL_SOCKOPT, .err = e, .what = what, .fd = -1};
	}
	return (struct sock_result){.status = SOCK_OK, .fd = fd};
}

static void
set_send_timeout(int fd, long long ms)
{
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

int
unix_connect_fd(int fd, int type, const struct sockaddr_un *sun, socklen_t len,
		long long timeout_ms)
{
	/* A listener whose backlog is full makes connect wait; the kernel times that wait by SO_SNDTIMEO. */
	bool timed = timeout_ms > 0 && type != SOCK_DGRAM;
	int e = 0;

	if (timed)
		set_send_timeout(fd, timeout_ms);
	while (connect(fd, (const struct sockaddr *)sun, len) < 0) {
		e = errno;
		if (e != EINTR)
			break;
		e = 0;
	}
	if (e == EAGAIN && timed)
		e = ETIMEDOUT;
	if (timed)
		set_send_timeout(fd, 0);
	return e;
}

struct sock_result
unix_connect(const char *path, int type, int fd, const struct sock_options *sock)
{
	struct sockaddr_un sun;
	socklen_t len;
	int e = unix_addr(path, &sun, &len);

	if (e != 0) {
		if (fd >= 0)
			close(fd);
		return path_error(path, e);
	}
	if (fd < 0) {
		struct sock_result r = unix_new_socket(type, sock);
		if (r.status != SOCK_OK)
			return r;
		fd = r.fd;
	}
	if ((e = unix_connect_fd(fd, type, &sun, len, sock->timeout_ms)) != 0) {
		close(fd);
		return path_error(path, e);
	}
	return (struct sock_result){.status = SOCK_OK, .fd = fd};
}

enum unix_diag_scan
unix_diag_scan(const void *buf, size_t len, uint32_t seq, uint32_t ino, uint32_t dev, int *err)
{
	const unsigned char *p = buf;

	while (len > 0) {
		struct nlmsghdr h;
		if (len < sizeof(h))
			goto bad;
		memcpy(&h, p, sizeof(h));
		if (h.nlmsg_len < sizeof(h) || h.nlmsg_len > len)
			goto bad;
		const unsigned char *body = p + NLMSG_HDRLEN;
		size_t blen = h.nlmsg_len > NLMSG_HDRLEN ? h.nlmsg_len - NLMSG_HDRLEN : 0;
		size_t step = NLMSG_ALIGN(h.nlmsg_len) < len ? NLMSG_ALIGN(h.nlmsg_len) : len;
		p += step;
		len -= step;
		if (h.nlmsg_seq != seq)
			continue; /* not an answer to this request */
		if (h.nlmsg_type == NLMSG_DONE || h.nlmsg_type == NLMSG_ERROR) {
			int e = 0;
			if (blen >= sizeof(e))
				memcpy(&e, body, sizeof(e));
			/* An error's code is negative; 0 in NLMSG_ERROR is only an acknowledgement. */
			if (e < 0) {
				/* The kernel's are -1..-4095: anything else (INT_MIN) is no errno. */
				if (e < -4095)
					goto bad;
				*err = -e;
				return UNIX_DIAG_FAILED;
			}
			if (h.nlmsg_type == NLMSG_DONE)
				return UNIX_DIAG_NONE;
			continue;
		}
		if (h.nlmsg_type != SOCK_DIAG_BY_FAMILY)
			continue;
		struct unix_diag_msg m;
		if (blen < sizeof(m))
			goto bad;
		memcpy(&m, body, sizeof(m));
		/*
		 * Only a listener takes connections at the path, but any datagram
		 * socket bound to it receives there. A stream socket that is bound and
		 * not listening, or one a listener accepted, serves nobody new.
		 */
		if (m.udiag_type != SOCK_DGRAM && m.udiag_state != TCP_LISTEN)
			continue;
		size_t off = NLMSG_ALIGN(sizeof(m));
		while (off + sizeof(struct rtattr) <= blen) {
			struct rtattr a;
			memcpy(&a, body + off, sizeof(a));
			if (a.rta_len < sizeof(a) || a.rta_len > blen - off)
				break;
			if (a.rta_type == UNIX_DIAG_VFS &&
			    a.rta_len >= RTA_LENGTH(sizeof(struct unix_diag_vfs))) {
				struct unix_diag_vfs v;
				memcpy(&v, body + off + RTA_LENGTH(0), sizeof(v));
				if (v.udiag_vfs_ino == ino && v.udiag_vfs_dev == dev)
					return UNIX_DIAG_SERVED;
			}
			off += RTA_ALIGN(a.rta_len);
		}
	}
	return UNIX_DIAG_MORE;
bad:
	*err = EBADMSG;
	return UNIX_DIAG_FAILED;
}

uint32_t
unix_diag_dev(dev_t dev)
{
	/* The kernel's own dev_t: 12 bits of major above 20 of minor. */
	return (uint32_t)(major(dev) << 20 | (minor(dev) & 0xfffff));
}

/*
 * Whether a live socket owns the socket file st describes, asked of the
 * kernel's table rather than of the socket: a connect would be taken as a
 * client by a listener that serves one. 1: it does; 0: stale; an errno
 * value when the table could not be read.
 */
static int
socket_file_served(const struct stat *st)
{
	static const uint32_t seq = 1;
	struct {
		struct nlmsghdr h;
		struct unix_diag_req r;
	} req = {
	    .h = {.nlmsg_len = sizeof(req),
		  .nlmsg_type = SOCK_DIAG_BY_FAMILY,
		  .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		  .nlmsg_seq = seq},
	    .r = {.sdiag_family = AF_UNIX, .udiag_states = ~0u, .udiag_show = UDIAG_SHOW_VFS},
	};
	/* A dump part never outgrows 32 KiB when the reader offers that much. */
	static union {
		struct nlmsghdr align;
		unsigned char buf[32768];
	} reply;
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	enum unix_diag_scan r = UNIX_DIAG_MORE;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG), e = 0;

	if (fd < 0)
		return errno;
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		e = errno;
		goto out;
	}
	/* The table holds inode numbers in 32 bits: a clash only keeps a file, never removes one. */
	uint32_t ino = (uint32_t)st->st_ino, dev = unix_diag_dev(st->st_dev);
	while (r == UNIX_DIAG_MORE) {
		struct sockaddr_nl from;
		struct iovec iov = {.iov_base = reply.buf, .iov_len = sizeof(reply.buf)};
		struct msghdr mh = {
		    .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = &iov, .msg_iovlen = 1};
		ssize_t n = recvmsg(fd, &mh, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			break;
		}
		if (mh.msg_flags & MSG_TRUNC) {
			e = EMSGSIZE;
			break;
		}
		if (from.nl_pid != 0)
			continue; /* only the kernel answers */
		r = unix_diag_scan(reply.buf, (size_t)n, seq, ino, dev, &e);
	}
out:
	close(fd);
	return r == UNIX_DIAG_SERVED ? 1 : e;
}

/*
 * path is in use by something. Returns 0 once it is gone (a socket file
 * nobody serves any more), -1 if it is not a socket, or EADDRINUSE.
 */
static int
remove_stale(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : EADDRINUSE;
	if (!S_ISSOCK(st.st_mode))
		return -1;
	/* When the kernel cannot tell, the file stays: removing a live one loses its clients. */
	if (socket_file_served(&st) != 0)
		return EADDRINUSE;
	if (unlink(path) < 0 && errno != ENOENT)
		return errno;
	return 0;
}

struct sock_result
unix_bind(const char *path, int type, const struct sock_options *sock)
{
	struct sockaddr_un sun;
	socklen_t len;
	int e = unix_addr(path, &sun, &len);

	if (e != 0)
		return path_error(path, e);
	struct sock_result r = unix_new_socket(type, sock);
	if (r.status != SOCK_OK)
		return r;
	if (bind(r.fd, (struct sockaddr *)&sun, len) == 0)
		return r;
	e = errno;
	if (e == EADDRINUSE && path[0] != '@') {
		e = remove_stale(path);
		if (e == 0 && bind(r.fd, (struct sockaddr *)&sun, len) == 0)
			return r;
		if (e == 0)
			e = errno;
	}
	close(r.fd);
	if (e < 0)
		return (struct sock_result){.status = SOCK_FATAL_NOT_SOCKET, .what = path, .fd = -1};
	/* netcat-openbsd's words when a name is taken (an abstract one: it replaces files). */
	if (e == EADDRINUSE)
		return op_error(NULL, e);
	return path_error(path, e);
}

/* The datagram client's temporary directory and socket, for the exit paths to remove. */
static char temp_dir[PATH_MAX];
static char temp_sock[PATH_MAX + sizeof("/recv.sock")];
static volatile sig_atomic_t temp_made;
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

static void
temp_remove(void)
{
	if (!temp_made)
		return;
	temp_made = 0;
	unlink(temp_sock);
	rmdir(temp_dir);
}

static void
temp_remove_and_die(int sig)
{
	temp_remove();
	signal(sig, SIG_DFL);
	/* Delivered once this handler returns, so the exit status still tells the signal. */
	raise(sig);
}

int
unix_tempsock(char *buf, size_t len, const char **what)
{
	const char *base = getenv("TMPDIR");
	sigset_t block, old;
	int e = 0;

	if (base == NULL || *base == '\0')
		base = "/tmp";
	/* No signal may end the process between making the directory and arming its removal. */
	sigemptyset(&block);
	for (size_t i = 0; i < sizeof(cleanup_signals) / sizeof(cleanup_signals[0]); i++)
		sigaddset(&block, cleanup_signals[i]);
	sigprocmask(SIG_BLOCK, &block, &old);
	*what = temp_dir;
	if ((size_t)snprintf(temp_dir, sizeof(temp_dir), "%s/nc-XXXXXX", base) >= sizeof(temp_dir)) {
		e = ENAMETOOLONG;
		goto out;
	}
	/* mkdtemp makes it 0700: nobody else may reach or replace our socket. */
	if (mkdtemp(temp_dir) == NULL) {
		e = errno;
		/* Name the template in the message, not the last name tried. */
		snprintf(temp_dir, sizeof(temp_dir), "%s/nc-XXXXXX", base);
		goto out;
	}
	snprintf(temp_sock, sizeof(temp_sock), "%s/recv.sock", temp_dir);
	temp_made = 1;
	atexit(temp_remove);
	for (size_t i = 0; i < sizeof(cleanup_signals) / sizeof(cleanup_signals[0]); i++) {
		struct sigaction sa = {0}, prev;
		sigaction(cleanup_signals[i], NULL, &prev);
		if (prev.sa_handler == SIG_IGN)
			continue; /* started ignoring it (nohup, &): keep it so */
		sa.sa_handler = temp_remove_and_die;
		sigemptyset(&sa.sa_mask);
		sigaction(cleanup_signals[i], &sa, NULL);
	}
	if (strlcpy(buf, temp_sock, len) >= len)
		e = ENAMETOOLONG;
out:
	sigprocmask(SIG_SETMASK, &old, NULL);
	return e;
}
