/* Unit tests of the transport table, the dialer and the plain connection layer. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "cli/cli_options.h"
#include "conn/conn.h"
#include "dial/dial.h"
#include "net/net_transport.h"
#include "util/util_time.h"

static void
test_transports(void)
{
	const struct transport *t = transport_pick(false, false, false, false);

	CHECK(t->id == TRANSPORT_TCP && t->socktype == SOCK_STREAM && !t->datagram);
	CHECK(strcmp(t->proto, "tcp") == 0 && !t->unix_domain);
	t = transport_pick(false, true, false, false);
	CHECK(t->id == TRANSPORT_UDP && t->datagram && t->messages && strcmp(t->proto, "udp") == 0);
	t = transport_pick(true, false, false, false);
	CHECK(t->id == TRANSPORT_UNIX_STREAM && t->unix_domain && !t->messages);
	t = transport_pick(true, true, false, false);
	CHECK(t->id == TRANSPORT_UNIX_DGRAM && t->socktype == SOCK_DGRAM && t->datagram);
	t = transport_pick(true, false, true, false);
	CHECK(t->id == TRANSPORT_UNIX_SEQPACKET && t->messages && !t->datagram);
	CHECK(strcmp(t->proto, "seqpacket") == 0);
}

/* A listening TCP socket on 127.0.0.1 with a kernel-chosen port. */
static int
listener(unsigned *port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 || listen(fd, 4) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0)
		return -1;
	*port = ntohs(sin.sin_port);
	return fd;
}

struct seen {
	int calls;
	enum dial_try_status last;
	unsigned port;
	bool via_proxy;
	const struct dial_answer *answer;
	char host[64];
	int err;
	char addr[64];
};

static void
record(const struct dial_try *t, void *arg)
{
	struct seen *s = arg;

	s->calls++;
	s->last = t->status;
	s->err = t->err;
	s->port = t->port;
	s->via_proxy = t->via_proxy;
	s->answer = t->answer;
	snprintf(s->addr, sizeof(s->addr), "%s", t->addr == NULL ? "(none)" : t->addr);
	snprintf(s->host, sizeof(s->host), "%s", t->host);
}

static bool
parse(struct nc_options *o, char *port)
{
	char *argv[] = {"nc", "-n", "-w", "2", "127.0.0.1", port, NULL};
	struct opt_error err;

	return options_parse(6, argv, o, &err) == OPT_OK;
}

static void
test_dial_open_and_refused(void)
{
	struct nc_options o;
	struct dialer d;
	struct sock_result fatal;
	struct conn *c = NULL;
	struct seen s = {0};
	unsigned port = 0;
	char text[8];
	int l = listener(&port);

	CHECK(l >= 0);
	snprintf(text, sizeof(text), "%u", port);
	CHECK(parse(&o, text));
	CHECK(dialer_open(&d, "127.0.0.1", port, transport_pick(false, false, false, false), &o.sock, &o.proxy) == 0);
	CHECK(dial_port(&d, port, record, &s, &c, &fatal) == DIAL_CONNECTED);
	CHECK(s.calls == 1 && s.last == DIAL_TRY_CONNECTED && strcmp(s.addr, "127.0.0.1") == 0);
	CHECK(c != NULL && conn_is_plain(c) && c->fd >= 0 && !c->datagram);
	conn_close(c);

	/* Nobody listens once the listener is closed: refused, and the next port may still work. */
	close(l);
	s = (struct seen){0};
	CHECK(dial_port(&d, port, record, &s, &c, &fatal) == DIAL_FAILED);
	CHECK(s.calls == 1 && s.last == DIAL_TRY_FAILED && s.err == ECONNREFUSED);
	dialer_close(&d);
}

static void
test_dial_bad_host(void)
{
	struct nc_options o;
	struct dialer d;

	CHECK(parse(&o, "80"));
	/* -n: a name is not a number, so the lookup fails without asking DNS. */
	CHECK(dialer_open(&d, "not-a-number.invalid", 80, transport_pick(false, false, false, false), &o.sock, &o.proxy) != 0);
	CHECK(d.dest.addrs == NULL);
	dialer_close(&d);
}

/*
 * A fake proxy in a child: accepts one connection per reply, reads the
 * greeting (and, for SOCKS5, the request) and sends reply; "" means stay
 * silent until the client goes. Exits when the replies are done.
 */
static pid_t
fake_proxy(int l, const char *const *replies, const size_t *lens)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	alarm(20);
	for (size_t i = 0; replies[i] != NULL; i++) {
		int c = accept(l, NULL, NULL);
		char buf[512];
		if (c < 0)
			_exit(1);
		/* SOCKS5: greeting (3 bytes), then the request once the method is chosen. */
		if (read(c, buf, 3) != 3)
			_exit(2);
		if (lens[i] > 2 && replies[i][0] == 5) {
			if (write(c, replies[i], 2) != 2 || read(c, buf, sizeof(buf)) <= 0 ||
			    write(c, replies[i] + 2, lens[i] - 2) < 0)
				_exit(3);
		} else if (lens[i] > 0 && write(c, replies[i], lens[i]) < 0) {
			_exit(4);
		}
		/* Wait for the client to hang up (a tunnel: echo what it says). */
		ssize_t n;
		while ((n = read(c, buf, sizeof(buf))) > 0)
			(void)write(c, buf, (size_t)n);
		close(c);
	}
	_exit(0);
}

static bool
parse_proxy(struct nc_options *o, const char *proxy, const char *wait)
{
	char *argv[] = {"nc", "-w", (char *)wait, "-x", (char *)proxy, "dest.invalid", "80", NULL};
	struct opt_error err;

	return options_parse(7, argv, o, &err) == OPT_OK;
}

static void
test_dial_via_proxy(void)
{
	static const char ok[] = "\x05\x00\x05\x00\x00\x01\x7f\x00\x00\x01\x00\x50";
	static const char refused[] = "\x05\x00\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00";
	const char *const replies[] = {ok, refused, refused, "\x05", "", NULL};
	const size_t lens[] = {sizeof(ok) - 1, sizeof(refused) - 1, sizeof(refused) - 1, 1, 0};
	struct nc_options o;
	struct dialer d;
	struct sock_result fatal;
	struct conn *c = NULL;
	struct seen s = {0};
	unsigned port = 0;
	char proxy[32], buf[8];
	int l = listener(&port);

	CHECK(l >= 0);
	snprintf(proxy, sizeof(proxy), "127.0.0.1:%u", port);
	CHECK(parse_proxy(&o, proxy, "0.3"));
	pid_t pid = fake_proxy(l, replies, lens);
	/* The proxy is what gets looked up: the destination is the proxy's to resolve. */
	CHECK(dialer_open(&d, o.host, 80, transport_pick(false, false, false, false), &o.sock, &o.proxy) == 0);
	CHECK(strcmp(d.lookup_host, "127.0.0.1") == 0);

	CHECK(dial_port(&d, 80, record, &s, &c, &fatal) == DIAL_CONNECTED);
	CHECK(s.calls == 1 && s.last == DIAL_TRY_CONNECTED && s.via_proxy && s.port == 80);
	CHECK(strcmp(s.host, "dest.invalid") == 0 && strcmp(s.addr, "(none)") == 0);
	CHECK(c != NULL && conn_write_all(c, "hi", 2, now_ms() + 2000) == 0);
	CHECK(conn_read_full(c, buf, 2, now_ms() + 2000) == 0 && memcmp(buf, "hi", 2) == 0);
	conn_close(c);

	/* A refusal is this port's: the next may do. Same answers are kept once. */
	s = (struct seen){0};
	CHECK(dial_port(&d, 81, record, &s, &c, &fatal) == DIAL_FAILED);
	CHECK(s.last == DIAL_TRY_PROXY && s.answer != NULL && s.answer->port_refused);
	CHECK(s.answer->proxy.status == PROXY_SOCKS5_FAILED && s.answer->proxy.code == 5);
	const struct dial_answer *first = s.answer;
	CHECK(dial_port(&d, 82, record, &s, &c, &fatal) == DIAL_FAILED && s.answer == first);

	/* A broken reply would fail every port: give up. */
	CHECK(dial_port(&d, 83, record, &s, &c, &fatal) == DIAL_STOP);
	CHECK(s.answer->proxy.status == PROXY_READ_FAILED && !s.answer->port_refused);

	/* A silent proxy: -w bounds the handshake. */
	long long t0 = now_ms();
	CHECK(dial_port(&d, 84, record, &s, &c, &fatal) == DIAL_STOP);
	CHECK(s.answer->proxy.status == PROXY_READ_FAILED && s.answer->proxy.err == ETIMEDOUT);
	CHECK(now_ms() - t0 >= 250 && now_ms() - t0 < 5000);
	int status;
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	dialer_close(&d);

	/* The proxy is down: the try names the proxy as given, without an address. */
	close(l);
	s = (struct seen){0};
	CHECK(dialer_open(&d, o.host, 80, transport_pick(false, false, false, false), &o.sock, &o.proxy) == 0);
	CHECK(dial_port(&d, 80, record, &s, &c, &fatal) == DIAL_FAILED);
	CHECK(s.calls == 1 && s.last == DIAL_TRY_FAILED && s.err == ECONNREFUSED);
	CHECK(strcmp(s.host, "127.0.0.1") == 0 && s.port == port && strcmp(s.addr, "(none)") == 0);
	dialer_close(&d);

	/* A proxy name that does not resolve is the lookup that fails. */
	CHECK(parse_proxy(&o, "no-such-proxy.invalid:1080", "1"));
	o.sock.numeric = true;
	CHECK(dialer_open(&d, o.host, 80, transport_pick(false, false, false, false), &o.sock, &o.proxy) != 0);
	CHECK(strcmp(d.lookup_host, "no-such-proxy.invalid") == 0 && strcmp(d.lookup_port, "1080") == 0);
	dialer_close(&d);
}

static void
test_conn_io(void)
{
	int sv[2];
	char buf[16];

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	fcntl(sv[0], F_SETFL, O_NONBLOCK);
	struct conn *a = conn_fd_new(sv[0], false), *b = conn_fd_new(sv[1], false);
	CHECK(conn_write_all(a, "hello", 5, now_ms() + 1000) == 0);
	CHECK(conn_read_full(b, buf, 5, now_ms() + 1000) == 0 && memcmp(buf, "hello", 5) == 0);
	/* Nothing to read: the deadline ends the wait. */
	long long t0 = now_ms();
	CHECK(conn_read_some(a, buf, sizeof(buf), now_ms() + 50) == -ETIMEDOUT);
	CHECK(now_ms() - t0 >= 40);
	/* Half-close: the peer reads EOF, and a short read is EPIPE. */
	CHECK(conn_shutdown_write(b) == 0);
	CHECK(conn_read_full(a, buf, 1, now_ms() + 1000) == EPIPE);
	conn_close(a);
	conn_close(b);
}

int
main(void)
{
	test_transports();
	test_dial_open_and_refused();
	test_dial_bad_host();
	test_dial_via_proxy();
	test_conn_io();
	return check_summary("dial");
}
