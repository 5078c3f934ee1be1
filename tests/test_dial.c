/* Unit tests of the transport table, the dialer and the plain connection layer. */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
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
	const struct transport *t = transport_pick(false, false, false);

	CHECK(t->id == TRANSPORT_TCP && t->socktype == SOCK_STREAM && !t->datagram);
	CHECK(strcmp(t->proto, "tcp") == 0 && !t->unix_domain);
	t = transport_pick(false, true, false);
	CHECK(t->id == TRANSPORT_UDP && t->datagram && t->messages && strcmp(t->proto, "udp") == 0);
	t = transport_pick(true, false, false);
	CHECK(t->id == TRANSPORT_UNIX_STREAM && t->unix_domain && !t->messages);
	t = transport_pick(true, true, false);
	CHECK(t->id == TRANSPORT_UNIX_DGRAM && t->socktype == SOCK_DGRAM && t->datagram);
	t = transport_pick(true, false, true);
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
	enum sock_status last;
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
	snprintf(s->addr, sizeof(s->addr), "%s", t->addr);
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
	CHECK(dialer_open(&d, "127.0.0.1", port, transport_pick(false, false, false), &o) == 0);
	CHECK(dial_port(&d, port, record, &s, &c, &fatal) == DIAL_CONNECTED);
	CHECK(s.calls == 1 && s.last == SOCK_OK && strcmp(s.addr, "127.0.0.1") == 0);
	CHECK(c != NULL && conn_is_plain(c) && c->fd >= 0 && !c->datagram);
	conn_close(c);

	/* Nobody listens once the listener is closed: refused, and the next port may still work. */
	close(l);
	s = (struct seen){0};
	CHECK(dial_port(&d, port, record, &s, &c, &fatal) == DIAL_FAILED);
	CHECK(s.calls == 1 && s.last == SOCK_FAILED && s.err == ECONNREFUSED);
	dialer_close(&d);
}

static void
test_dial_bad_host(void)
{
	struct nc_options o;
	struct dialer d;

	CHECK(parse(&o, "80"));
	/* -n: a name is not a number, so the lookup fails without asking DNS. */
	CHECK(dialer_open(&d, "not-a-number.invalid", 80, transport_pick(false, false, false), &o) != 0);
	CHECK(d.dest.addrs == NULL);
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
	test_conn_io();
	return check_summary("dial");
}
