/*
 * The proxy negotiators against a scripted peer on a socket pair (a child
 * process), and the password sources in a child without a terminal and in
 * one whose terminal is a pty this test types into.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "conn/conn.h"
#include "dial/dial_auth.h"
#include "dial/dial_http.h"
#include "dial/dial_socks4.h"
#include "dial/dial_socks5.h"
#include "report/report_proxy.h"
#include "util/util_time.h"

/* A step of the peer's script: expect these bytes, send these, wait, or hang up. */
struct step {
	char op; /* 'e' expect, 's' send, 'w' wait ms, 'c' close */
	const char *data;
	size_t len;
};

#define EXPECT(lit)                       \
	{                                 \
		'e', lit, sizeof(lit) - 1 \
	}
#define SEND(lit)                         \
	{                                 \
		's', lit, sizeof(lit) - 1 \
	}
#define WAIT(ms)              \
	{                     \
		'w', NULL, ms \
	}
#define CLOSE                \
	{                    \
		'c', NULL, 0 \
	}
#define END                \
	{                  \
		0, NULL, 0 \
	}

static bool
read_exact(int fd, char *buf, size_t len)
{
	size_t got = 0;

	while (got < len) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 10000) != 1)
			return false;
		ssize_t n = read(fd, buf + got, len - got);
		if (n <= 0)
			return false;
		got += (size_t)n;
	}
	return true;
}

/* Runs script on fd in a child; returns its pid. The child exits 0 when all went as scripted. */
static pid_t
peer(int fd, int other, const struct step *script)
{
	pid_t pid = fork();
	char buf[4096];

	if (pid != 0)
		return pid;
	close(other);
	for (const struct step *s = script; s->op != 0; s++) {
		switch (s->op) {
		case 'e':
			if (!read_exact(fd, buf, s->len) || memcmp(buf, s->data, s->len) != 0) {
				fprintf(
				    stderr, "peer: did not get the expected %zu bytes\n", s->len);
				_exit(1);
			}
			break;
		case 's':
			if (write(fd, s->data, s->len) != (ssize_t)s->len)
				_exit(2);
			break;
		case 'w':
			sleep_ms((long long)s->len);
			break;
		case 'c':
			close(fd);
			_exit(0);
		}
	}
	/* Stay until the other side is done, so that nothing is reset under it. */
	while (read(fd, buf, sizeof(buf)) > 0)
		;
	_exit(0);
}

struct session {
	struct conn *c;
	pid_t pid;
};

static struct session
start(const struct step *script)
{
	struct session s;
	int sv[2];

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	s.pid = peer(sv[1], sv[0], script);
	close(sv[1]);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	s.c = conn_fd_new(sv[0], false);
	return s;
}

/* Closes our side and checks that the peer saw what it was scripted to see. */
static void
finish(struct session *s)
{
	int status;

	conn_close(s->c);
	CHECK(waitpid(s->pid, &status, 0) == s->pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* What the tunnel carries after the handshake: the next bytes on the connection. */
static bool
tunnel_says(struct conn *c, const char *want)
{
	char buf[64];
	size_t len = strlen(want);

	return conn_read_full(c, buf, len, now_ms() + 10000) == 0 && memcmp(buf, want, len) == 0;
}

static bool
text_is(const struct proxy_result *r, const char *want)
{
	char buf[256];

	report_proxy_text(r, buf, sizeof(buf));
	if (strcmp(buf, want) != 0)
		fprintf(stderr, "  got \"%s\"\n", buf);
	return strcmp(buf, want) == 0;
}

static long long
soon(void)
{
	return now_ms() + 10000;
}

static void
test_socks4_peer(void)
{
	struct in_addr a;
	struct proxy_result r;

	inet_pton(AF_INET, "127.0.0.1", &a);
	const struct step ok[] = {EXPECT("\x04\x01\x13\x88\x7f\x00\x00\x01\x00"),
	    SEND("\x00\x5a\0\0\0\0\0\0"
	         "data"),
	    END};
	struct session s = start(ok);
	CHECK(socks4_negotiate(s.c, a, 5000, soon(), &r) == PROXY_OK);
	CHECK(tunnel_says(s.c, "data"));
	finish(&s);

	const struct step no[] = {
	    EXPECT("\x04\x01\x13\x88\x7f\x00\x00\x01\x00"), SEND("\x00\x5b\0\0\0\0\0\0"), END};
	s = start(no);
	CHECK(socks4_negotiate(s.c, a, 5000, soon(), &r) == PROXY_SOCKS4_FAILED);
	CHECK(text_is(&r, "connection failed, SOCKSv4 error: Request rejected or failed"));
	finish(&s);

	const struct step gone[] = {
	    EXPECT("\x04\x01\x13\x88\x7f\x00\x00\x01\x00"), SEND("\x00\x5a"), CLOSE};
	s = start(gone);
	CHECK(socks4_negotiate(s.c, a, 5000, soon(), &r) == PROXY_READ_FAILED);
	CHECK(text_is(&r, "read failed (2/8): Broken pipe"));
	finish(&s);
}

static void
test_socks5_peer(void)
{
	struct proxy_result r;
	struct proxy_auth auth;

	/* No -P; the bound address a name, which netcat-openbsd would refuse. */
	const struct step ok[] = {EXPECT("\x05\x01\x00"), SEND("\x05\x00"),
	    EXPECT("\x05\x01\x00\x03\x09"
	           "localhost"
	           "\x13\x88"),
	    SEND("\x05\x00\x00\x03\x05proxy\x04\x38"
	         "data"),
	    END};
	struct session s = start(ok);
	CHECK(socks5_negotiate(s.c, "localhost", 5000, NULL, soon(), &r) == PROXY_OK);
	CHECK(r.bound.atyp == 3 && strcmp(r.bound.name, "proxy") == 0 && r.bound.port == 1080);
	CHECK(tunnel_says(s.c, "data"));
	finish(&s);

	/* -P: methods 0 and 2 offered; the proxy takes 2, the password passes. */
	dial_auth_init(&auth, "bob");
	strcpy(auth.password, "pw");
	auth.source = AUTH_ENV;
	const struct step pw[] = {EXPECT("\x05\x02\x00\x02"), SEND("\x05\x02"),
	    EXPECT("\x01\x03"
	           "bob"
	           "\x02"
	           "pw"),
	    SEND("\x01\x00"),
	    EXPECT("\x05\x01\x00\x04"
	           "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01"
	           "\x13\x88"),
	    SEND("\x05\x00\x00\x01\x7f\0\0\x01\x04\x38"
	         "data"),
	    END};
	s = start(pw);
	CHECK(socks5_negotiate(s.c, "::1", 5000, &auth, soon(), &r) == PROXY_OK);
	CHECK(tunnel_says(s.c, "data"));
	finish(&s);

	/* Refused password. */
	const struct step bad[] = {EXPECT("\x05\x02\x00\x02"), SEND("\x05\x02"),
	    EXPECT("\x01\x03"
	           "bob"
	           "\x02"
	           "pw"),
	    SEND("\x01\x01"), END};
	s = start(bad);
	CHECK(socks5_negotiate(s.c, "::1", 5000, &auth, soon(), &r) == PROXY_AUTH_REJECTED);
	finish(&s);

	/* A user but no password yet: the dialer must fetch one and dial again. */
	dial_auth_init(&auth, "bob");
	const struct step ask[] = {EXPECT("\x05\x02\x00\x02"), SEND("\x05\x02"), END};
	s = start(ask);
	CHECK(socks5_negotiate(s.c, "::1", 5000, &auth, soon(), &r) == PROXY_AUTH_REQUIRED);
	finish(&s);

	/* The proxy wants a password and we have no -P: netcat-openbsd's message. */
	const struct step none[] = {EXPECT("\x05\x01\x00"), SEND("\x05\xff"), END};
	s = start(none);
	CHECK(socks5_negotiate(s.c, "127.0.0.1", 5000, NULL, soon(), &r) == PROXY_SOCKS5_NO_METHOD);
	CHECK(text_is(&r, "authentication method negotiation failed"));
	finish(&s);

	const struct step refused[] = {EXPECT("\x05\x01\x00"), SEND("\x05\x00"),
	    EXPECT("\x05\x01\x00\x01\x7f\x00\x00\x01\x13\x88"), SEND("\x05\x05\x00\x01"), END};
	s = start(refused);
	CHECK(socks5_negotiate(s.c, "127.0.0.1", 5000, NULL, soon(), &r) == PROXY_SOCKS5_FAILED);
	CHECK(text_is(&r, "connection failed, SOCKSv5 error: Connection refused"));
	finish(&s);

	const struct step shortly[] = {EXPECT("\x05\x01\x00"), SEND("\x05"), CLOSE};
	s = start(shortly);
	CHECK(socks5_negotiate(s.c, "127.0.0.1", 5000, NULL, soon(), &r) == PROXY_READ_FAILED);
	CHECK(text_is(&r, "read failed (1/3): Broken pipe"));
	finish(&s);

	const struct step atyp[] = {EXPECT("\x05\x01\x00"), SEND("\x05\x00"),
	    EXPECT("\x05\x01\x00\x01\x7f\x00\x00\x01\x13\x88"), SEND("\x05\x00\x00\x09"), END};
	s = start(atyp);
	CHECK(socks5_negotiate(s.c, "127.0.0.1", 5000, NULL, soon(), &r) == PROXY_SOCKS5_BAD_ATYP);
	CHECK(text_is(&r, "connection failed, unsupported address type"));
	finish(&s);

	/* -w bounds the handshake: a proxy that never answers. */
	const struct step silent[] = {EXPECT("\x05\x01\x00"), END};
	s = start(silent);
	long long t0 = now_ms();
	CHECK(socks5_negotiate(s.c, "127.0.0.1", 5000, NULL, t0 + 300, &r) == PROXY_READ_FAILED);
	CHECK(r.err == ETIMEDOUT && now_ms() - t0 >= 300);
	CHECK(text_is(&r, "read failed (0/3): Connection timed out"));
	finish(&s);
}

static void
test_http_peer(void)
{
	struct proxy_result r;
	struct proxy_auth auth;

	/* What follows the header block in the same segment is the tunnel's. */
	const struct step ok[] = {EXPECT("CONNECT 127.0.0.1:5000 HTTP/1.0\r\n\r\n"),
	    SEND("HTTP/1.1 200 Connection established\r\nVia: t\r\n\r\ndata"), END};
	struct session s = start(ok);
	CHECK(http_negotiate(s.c, "127.0.0.1", 5000, NULL, soon(), &r) == PROXY_OK);
	CHECK(tunnel_says(s.c, "data"));
	finish(&s);

	const struct step bad[] = {EXPECT("CONNECT [::1]:5000 HTTP/1.0\r\n\r\n"),
	    SEND("HTTP/1.1 502 Bad Gateway\r\n"), END};
	s = start(bad);
	CHECK(http_negotiate(s.c, "::1", 5000, NULL, soon(), &r) == PROXY_HTTP_FAILED);
	CHECK(text_is(&r, "Proxy error: \"HTTP/1.1 502 Bad Gateway\""));
	finish(&s);

	/* 407: without -P the proxy's line; with a user, ask; with a password, refused. */
	const struct step need[] = {EXPECT("CONNECT localhost:22 HTTP/1.0\r\n\r\n"),
	    SEND("HTTP/1.0 407 Proxy Authentication Required\r\n\r\n"), END};
	s = start(need);
	CHECK(http_negotiate(s.c, "localhost", 22, NULL, soon(), &r) == PROXY_HTTP_FAILED);
	CHECK(text_is(&r, "Proxy error: \"HTTP/1.0 407 Proxy Authentication Required\""));
	finish(&s);
	dial_auth_init(&auth, "bob");
	s = start(need);
	CHECK(http_negotiate(s.c, "localhost", 22, &auth, soon(), &r) == PROXY_AUTH_REQUIRED);
	finish(&s);
	strcpy(auth.password, "pw1");
	auth.source = AUTH_TTY;
	const struct step again[] = {EXPECT("CONNECT localhost:22 HTTP/1.0\r\n"
	                                    "Proxy-Authorization: Basic Ym9iOnB3MQ==\r\n\r\n"),
	    SEND("HTTP/1.0 407 Proxy Authentication Required\r\n\r\n"), END};
	s = start(again);
	CHECK(http_negotiate(s.c, "localhost", 22, &auth, soon(), &r) == PROXY_AUTH_REJECTED);
	finish(&s);

	const struct step gone[] = {EXPECT("CONNECT 127.0.0.1:5000 HTTP/1.0\r\n\r\n"), CLOSE};
	s = start(gone);
	CHECK(http_negotiate(s.c, "127.0.0.1", 5000, NULL, soon(), &r) == PROXY_HTTP_READ_FAILED);
	CHECK(text_is(&r, "proxy read: Broken pipe"));
	finish(&s);

	/* A status line that never ends: netcat-openbsd waits forever, the deadline does not. */
	const struct step hang[] = {
	    EXPECT("CONNECT 127.0.0.1:5000 HTTP/1.0\r\n\r\n"), SEND("HTTP/1.1 200 OK"), END};
	s = start(hang);
	long long t0 = now_ms();
	CHECK(http_negotiate(s.c, "127.0.0.1", 5000, NULL, t0 + 300, &r) == PROXY_HTTP_READ_FAILED);
	CHECK(r.err == ETIMEDOUT && now_ms() - t0 >= 300);
	finish(&s);
}

/* Runs fn in a child that has no controlling terminal; the child's failed checks are its status. */
static void
without_terminal(void (*fn)(void))
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		setsid();
		check_failures = 0;
		fn();
		_exit(check_failures);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void
env_unset(void)
{
	struct proxy_auth a;

	unsetenv(PROXY_PASSWORD_ENV);
	dial_auth_init(&a, "bob");
	CHECK(dial_auth_next(&a, "prompt: ") == AUTH_UNAVAILABLE);
	CHECK(!dial_auth_has_password(&a));
}

static void
env_set(void)
{
	struct proxy_auth a;

	setenv(PROXY_PASSWORD_ENV, "s3cret", 1);
	dial_auth_init(&a, "bob");
	CHECK(dial_auth_next(&a, "prompt: ") == AUTH_READY);
	CHECK(a.source == AUTH_ENV && strcmp(a.password, "s3cret") == 0);
	CHECK(dial_auth_has_password(&a));
	/* Refused once: not tried again. */
	CHECK(dial_auth_next(&a, "prompt: ") == AUTH_ENV_REJECTED);
	dial_auth_clear(&a);
	CHECK(a.password[0] == '\0' && !dial_auth_has_password(&a));
}

/* Reads the pty until text has appeared; false on timeout. */
static bool
pty_shows(int master, const char *text)
{
	char seen[4096];
	size_t have = 0;
	long long deadline = now_ms() + 10000;

	while (have < sizeof(seen) - 1) {
		struct pollfd p = {.fd = master, .events = POLLIN};
		if (poll(&p, 1, poll_timeout(deadline)) != 1)
			return false;
		ssize_t n = read(master, seen + have, sizeof(seen) - 1 - have);
		if (n <= 0)
			return false;
		have += (size_t)n;
		seen[have] = '\0';
		if (strstr(seen, text) != NULL)
			return true;
	}
	return false;
}

static void
test_terminal(void)
{
	char prompt[PROXY_PROMPT_MAX];
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	int status;

	if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
		printf("no pty: terminal password test skipped\n");
		return;
	}
	report_proxy_prompt(prompt, sizeof(prompt), "bob", "proxy.test");
	pid_t pid = fork();
	if (pid == 0) {
		struct proxy_auth a;
		setsid();
		int tty = open(ptsname(master), O_RDWR);
		ioctl(tty, TIOCSCTTY, 0);
		close(master);
		check_failures = 0;
		/* The terminal wins over the environment. */
		setenv(PROXY_PASSWORD_ENV, "from-env", 1);
		dial_auth_init(&a, "bob");
		for (int i = 1; i <= PROXY_AUTH_ROUNDS; i++) {
			char want[16];
			snprintf(want, sizeof(want), "typed%d", i);
			CHECK(dial_auth_next(&a, prompt) == AUTH_READY);
			CHECK(a.source == AUTH_TTY && strcmp(a.password, want) == 0);
		}
		CHECK(dial_auth_next(&a, prompt) == AUTH_TOO_MANY);
		_exit(check_failures);
	}
	for (int i = 1; i <= PROXY_AUTH_ROUNDS; i++) {
		char line[16];
		CHECK(pty_shows(master, "Proxy password for bob@proxy.test: "));
		int n = snprintf(line, sizeof(line), "typed%d\n", i);
		CHECK(write(master, line, (size_t)n) == n);
	}
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(master);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_socks4_peer();
	test_socks5_peer();
	test_http_peer();
	without_terminal(env_unset);
	without_terminal(env_set);
	test_terminal();
	return check_summary("proxy_peer");
}
