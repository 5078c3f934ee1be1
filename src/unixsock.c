/*
 * Unix-domain sockets. The datagram client needs an address of its own for
 * replies to reach it; unless -s names one it lives in a private temporary
 * directory that must not outlive the process, whichever way it ends.
 */
#include "unixsock.h"

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

#include "relay.h"
#include "report.h"
#include "sockopt.h"
#include "unixscan.h"

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

static struct unix_result
path_error(const char *path, int err)
{
	return (struct unix_result){.status = UNIX_PATH_ERRNO, .err = err, .what = path, .fd = -1};
}

static struct unix_result
op_error(const char *what, int err)
{
	return (struct unix_result){.status = UNIX_OP_ERRNO, .err = err, .what = what, .fd = -1};
}

struct unix_result
unix_new_socket(int type, const struct nc_options *o)
{
	const char *what = NULL;
	int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return op_error("socket", errno);
	int e = sockopt_apply(fd, AF_UNIX, o, &what);
	if (e != 0) {
		close(fd);
		return (struct unix_result){.status = UNIX_SOCKOPT, .err = e, .what = what, .fd = -1};
	}
	return (struct unix_result){.status = UNIX_OK, .fd = fd};
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

struct unix_result
unix_connect(const char *path, int type, int fd, const struct nc_options *o)
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
		struct unix_result r = unix_new_socket(type, o);
		if (r.status != UNIX_OK)
			return r;
		fd = r.fd;
	}
	if ((e = unix_connect_fd(fd, type, &sun, len, o->timeout_ms)) != 0) {
		close(fd);
		return path_error(path, e);
	}
	return (struct unix_result){.status = UNIX_OK, .fd = fd};
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

struct unix_result
unix_bind(const char *path, int type, const struct nc_options *o)
{
	struct sockaddr_un sun;
	socklen_t len;
	int e = unix_addr(path, &sun, &len);

	if (e != 0)
		return path_error(path, e);
	struct unix_result r = unix_new_socket(type, o);
	if (r.status != UNIX_OK)
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
		return (struct unix_result){.status = UNIX_NOT_SOCKET, .what = path, .fd = -1};
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

int
unix_report_failure(const struct unix_result *r)
{
	switch (r->status) {
	case UNIX_OK:
		return 0;
	case UNIX_PATH_ERRNO:
	case UNIX_OP_ERRNO:
		report_errno(r->what, r->err);
		break;
	case UNIX_SOCKOPT:
		report_sockopt(r->what, r->err);
		break;
	case UNIX_NOT_SOCKET:
		report_not_socket(r->what);
		break;
	}
	return 1;
}

/* Relays on fd; receive_only when there is nobody to send stdin to. */
static int
relay(int fd, int type, bool receive_only, const struct nc_options *o)
{
	struct relay_config rc;

	relay_config_from(&rc, fd, o);
	/*
	 * Datagram sockets have no end of file to send; seqpacket keeps its
	 * boundaries on its own (one read, one write) and does half-close.
	 */
	rc.datagram = type == SOCK_DGRAM;
	if (receive_only)
		rc.no_stdin = true;
	return relay_session(&rc);
}

static int
listen_stream(int fd, int type, const char *path, const struct nc_options *o)
{
	int status = 0;

	if (listen(fd, SOMAXCONN) < 0) {
		report_errno("listen", errno);
		return 1;
	}
	report_listening_path(path);
	do {
		int c;
		while ((c = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) < 0) {
			if (errno != EINTR && errno != ECONNABORTED) {
				report_errno("accept", errno);
				return 1;
			}
		}
		/* Clients of a path socket are mostly unnamed: netcat shows the listener's own path. */
		report_received_path(path);
		status = relay(c, type, false, o);
		close(c);
	} while (o->keep_listening);
	return status;
}

/*
 * Without -k, answers whoever sends first: the socket is connected to that
 * sender, so only its datagrams arrive and stdin goes to it. With -k, or when
 * the sender has no address to answer, it only receives.
 */
static int
listen_datagram(int fd, const char *path, const struct nc_options *o)
{
	if (o->keep_listening)
		return relay(fd, SOCK_DGRAM, true, o);

	struct sockaddr_un from;
	socklen_t len = sizeof(from);
	char byte;
	/* Peek, so the first datagram is still there for the relay to read. */
	while (recvfrom(fd, &byte, 1, MSG_PEEK, (struct sockaddr *)&from, &len) < 0) {
		if (errno != EINTR) {
			report_errno("recvfrom", errno);
			return 1;
		}
		len = sizeof(from);
	}
	report_received_path(path);
	bool named = len > offsetof(struct sockaddr_un, sun_path);
	if (named && connect(fd, (struct sockaddr *)&from, len) < 0) {
		report_errno("connect", errno);
		return 1;
	}
	return relay(fd, SOCK_DGRAM, !named, o);
}

static int
run_listen(const char *path, int type, const struct nc_options *o)
{
	struct unix_result r = unix_bind(path, type, o);
	int status;

	if (r.status != UNIX_OK)
		return unix_report_failure(&r);
	report_bound_path(path);
	if (type == SOCK_DGRAM)
		status = listen_datagram(r.fd, path, o);
	else
		status = listen_stream(r.fd, type, path, o);
	/* Like netcat-openbsd, the socket file stays: whoever starts the next listener replaces it. */
	close(r.fd);
	return status;
}

static int
run_connect(const char *path, int type, const struct nc_options *o)
{
	int fd = -1;

	/* Replies to a datagram client need an address to come back to. */
	char temp[PATH_MAX];
	if (type == SOCK_DGRAM) {
		const char *local = o->source_addr;
		if (local == NULL) {
			const char *what;
			int e = unix_tempsock(temp, sizeof(temp), &what);
			if (e != 0) {
				report_errno(what, e);
				return 1;
			}
			local = temp;
		}
		struct unix_result b = unix_bind(local, type, o);
		if (b.status != UNIX_OK)
			return unix_report_failure(&b);
		report_bound_path(local);
		fd = b.fd;
	}
	struct unix_result r = unix_connect(path, type, fd, o);
	if (r.status != UNIX_OK)
		return unix_report_failure(&r);
	int status = relay(r.fd, type, false, o);
	close(r.fd);
	return status;
}

int
unix_run(const struct nc_options *o)
{
	int type = o->seqpacket ? SOCK_SEQPACKET : o->udp ? SOCK_DGRAM : SOCK_STREAM;

	if (o->listen)
		return run_listen(o->host, type, o);
	if (o->zero_io)
		return unix_scan(o, type);
	return run_connect(o->host, type, o);
}
