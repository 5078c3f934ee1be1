/*
 * Unix-domain sockets. The datagram client needs an address of its own for
 * replies to reach it; unless -s names one it lives in a private temporary
 * directory that must not outlive the process, whichever way it ends.
 */
#include "net/net_unix.h"

#include <bsd/string.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/*
 * path is in use by a socket file. Returns 0 once it is gone (nothing
 * answered behind it), -1 if it is not a socket, or EADDRINUSE.
 */
static int
remove_stale(const char *path, int type, const struct sockaddr_un *sun, socklen_t len)
{
	struct stat st;

	if (lstat(path, &st) < 0)
		return errno == ENOENT ? 0 : EADDRINUSE;
	if (!S_ISSOCK(st.st_mode))
		return -1;
	int probe = socket(AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (probe < 0)
		return EADDRINUSE;
	/* Only a socket nobody has open refuses; a live one of any type answers otherwise. */
	int rc = connect(probe, (const struct sockaddr *)sun, len);
	int e = errno;
	close(probe);
	if (rc == 0 || e != ECONNREFUSED)
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
		e = remove_stale(path, type, &sun, len);
		if (e == 0 && bind(r.fd, (struct sockaddr *)&sun, len) == 0)
			return r;
		if (e == 0)
			e = errno;
	}
	close(r.fd);
	if (e < 0)
		return (struct sock_result){.status = SOCK_FATAL_NOT_SOCKET, .what = path, .fd = -1};
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
