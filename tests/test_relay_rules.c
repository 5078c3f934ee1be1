/*
 * Unit tests of the relay's options over socketpairs: -C, -N, -W, -q, -i,
 * datagram boundaries, the -k -u -l connection that answers the latest
 * sender, and a layer (a struct conn that is not a plain socket) which must
 * keep the bytes away from the splice path and whose held bytes are read
 * without waiting on the socket. A hang fails the test through alarm(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "conn/conn.h"
#include "relay/relay.h"
#include "util/util_time.h"

struct rig {
	struct conn *conn;
	int peer;
	int in_r, in_w;
	int out_r, out_w;
};

static void
rig_open(struct rig *r, int type)
{
	int sv[2], in[2], out[2];

	CHECK(socketpair(AF_UNIX, type, 0, sv) == 0);
	CHECK(pipe(in) == 0 && pipe(out) == 0);
	*r = (struct rig){conn_fd_new(sv[0], type == SOCK_DGRAM), sv[1], in[0], in[1], out[0], out[1]};
}

static void
rig_close(struct rig *r)
{
	int fds[] = {r->peer, r->in_r, r->in_w, r->out_r, r->out_w};

	conn_close(r->conn);
	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static void
config(struct relay_config *c, struct rig *r)
{
	*c = (struct relay_config){
	    .net = r->conn, .in_fd = r->in_r, .out_fd = r->out_w, .quit_ms = -1, .idle_ms = -1};
}

static void
stdin_eof(struct rig *r)
{
	close(r->in_w);
	r->in_w = -1;
}

/* Everything fd has now, without waiting. */
static size_t
slurp(int fd, char *buf, size_t len)
{
	int fl = fcntl(fd, F_GETFL);
	size_t got = 0;
	ssize_t n;

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	while (got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	fcntl(fd, F_SETFL, fl);
	buf[got] = '\0';
	return got;
}

static struct relay_result
run(const struct relay_config *c)
{
	alarm(10);
	struct relay_result res = relay_run(c);
	alarm(0);
	return res;
}

/*
 * -C: LF goes out as CRLF. -N: the peer sees our EOF while the session goes
 * on; the peer (a child) echoes what it got only after that EOF, so the
 * session can only end if the half-close arrived.
 */
static void
test_crlf_and_shutdown(void)
{
	struct rig r;
	struct relay_config c;
	char buf[64];

	rig_open(&r, SOCK_STREAM);
	pid_t pid = fork();
	if (pid == 0) {
		size_t got = 0;
		ssize_t n;
		/* Only the peer's end: a copy of stdin's write end would keep its EOF away. */
		close(r.in_w);
		close(r.in_r);
		close(r.out_r);
		close(r.out_w);
		close(r.conn->fd);
		alarm(10);
		while ((n = read(r.peer, buf + got, sizeof(buf) - got)) > 0)
			got += (size_t)n;
		_exit(n == 0 && write(r.peer, buf, got) == (ssize_t)got ? 0 : 1);
	}
	close(r.peer);
	r.peer = -1;
	config(&c, &r);
	c.crlf = true;
	c.shutdown_on_eof = true;
	CHECK(write(r.in_w, "a\nb\n", 4) == 4);
	stdin_eof(&r);
	CHECK(run(&c).status == RELAY_DONE);
	CHECK(slurp(r.out_r, buf, sizeof(buf)) == 6 && memcmp(buf, "a\r\nb\r\n", 6) == 0);
	int st;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	rig_close(&r);
}

/* -W 1: one network read ends the session, though neither side closed. */
static void
test_recv_limit(void)
{
	struct rig r;
	struct relay_config c;
	char buf[64];

	rig_open(&r, SOCK_STREAM);
	config(&c, &r);
	c.recv_limit = 1;
	CHECK(write(r.peer, "first", 5) == 5);
	CHECK(run(&c).status == RELAY_DONE);
	CHECK(slurp(r.out_r, buf, sizeof(buf)) == 5 && strcmp(buf, "first") == 0);
	rig_close(&r);
}

/* -q 0: stdin's EOF ends the session at once, the network still open and silent. */
static void
test_quit_now(void)
{
	struct rig r;
	struct relay_config c;
	char buf[64];

	rig_open(&r, SOCK_STREAM);
	config(&c, &r);
	c.quit_ms = 0;
	CHECK(write(r.in_w, "bye", 3) == 3);
	stdin_eof(&r);
	long long t0 = now_ms();
	CHECK(run(&c).status == RELAY_DONE);
	CHECK(now_ms() - t0 < 5000);
	CHECK(slurp(r.peer, buf, sizeof(buf)) == 3 && strcmp(buf, "bye") == 0);
	rig_close(&r);
}

/* -q 1 (as -q N): the session waits that long after stdin's EOF, then ends. */
static void
test_quit_later(void)
{
	struct rig r;
	struct relay_config c;

	rig_open(&r, SOCK_STREAM);
	config(&c, &r);
	c.quit_ms = 300;
	stdin_eof(&r);
	long long t0 = now_ms();
	CHECK(run(&c).status == RELAY_DONE);
	CHECK(now_ms() - t0 >= 290);
	rig_close(&r);
}

/* -i: one line at a time, each after the pause. */
static void
test_line_interval(void)
{
	struct rig r;
	struct relay_config c;
	char buf[64];

	rig_open(&r, SOCK_STREAM);
	config(&c, &r);
	c.line_interval_ms = 200;
	c.quit_ms = 0;
	CHECK(write(r.in_w, "a\nb\n", 4) == 4);
	stdin_eof(&r);
	long long t0 = now_ms();
	CHECK(run(&c).status == RELAY_DONE);
	/* Two lines, two pauses before them. */
	CHECK(now_ms() - t0 >= 390);
	CHECK(slurp(r.peer, buf, sizeof(buf)) == 4 && strcmp(buf, "a\nb\n") == 0);
	rig_close(&r);
}

/* A datagram socket: each stdin read is one datagram; no half-close; replies kept apart. */
static void
test_datagram_boundaries(void)
{
	struct rig r;
	struct relay_config c;
	char buf[64];

	rig_open(&r, SOCK_DGRAM);
	config(&c, &r);
	c.shutdown_on_eof = true;
	c.quit_ms = 200;
	CHECK(write(r.peer, "one", 3) == 3);
	CHECK(write(r.peer, "two", 3) == 3);
	CHECK(write(r.in_w, "hello", 5) == 5);
	stdin_eof(&r);
	CHECK(run(&c).status == RELAY_DONE);
	CHECK(slurp(r.out_r, buf, sizeof(buf)) == 6 && strcmp(buf, "onetwo") == 0);
	/* What stdin gave arrived as one datagram, whole. */
	CHECK(recv(r.peer, buf, sizeof(buf), MSG_DONTWAIT) == 5 && memcmp(buf, "hello", 5) == 0);
	CHECK(recv(r.peer, buf, sizeof(buf), MSG_DONTWAIT) < 0 && errno == EAGAIN);
	rig_close(&r);
}

/* An empty datagram is a datagram, not the end of the network's input. */
static void
test_empty_datagram(void)
{
	struct rig r;
	struct relay_config c;
	char buf[64];

	rig_open(&r, SOCK_DGRAM);
	config(&c, &r);
	c.quit_ms = 300;
	CHECK(write(r.peer, "", 0) == 0);
	CHECK(write(r.peer, "after", 5) == 5);
	stdin_eof(&r);
	CHECK(run(&c).status == RELAY_DONE);
	CHECK(slurp(r.out_r, buf, sizeof(buf)) == 5 && strcmp(buf, "after") == 0);
	rig_close(&r);
}

/*
 * -k -u -l: stdin waits until somebody has spoken, then goes to whoever
 * spoke last; every sender is heard.
 */
static void
test_answers_latest_sender(void)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX}, b = {.sun_family = AF_UNIX};
	int s = socket(AF_UNIX, SOCK_DGRAM, 0), p1 = socket(AF_UNIX, SOCK_DGRAM, 0),
	    p2 = socket(AF_UNIX, SOCK_DGRAM, 0);
	int in[2], out[2];
	char buf[64];

	/* Abstract names: nothing to clean up in the file system. */
	snprintf(a.sun_path + 1, sizeof(a.sun_path) - 1, "nc-test-%d-srv", (int)getpid());
	snprintf(b.sun_path + 1, sizeof(b.sun_path) - 1, "nc-test-%d-p2", (int)getpid());
	CHECK(bind(s, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK(bind(p2, (struct sockaddr *)&b, sizeof(b)) == 0);
	CHECK(pipe(in) == 0 && pipe(out) == 0);
	struct conn *any = conn_dgram_any_new(s);
	CHECK(any != NULL && !conn_has_peer(any) && any->datagram && !conn_is_plain(any));
	struct relay_config c = {.net = any, .in_fd = in[0], .out_fd = out[1], .quit_ms = 300,
				 .idle_ms = -1};
	/* stdin has data before anyone spoke: it must wait for p2's datagram. */
	CHECK(write(in[1], "reply", 5) == 5);
	close(in[1]);
	CHECK(sendto(p1, "x", 1, 0, (struct sockaddr *)&a, sizeof(a)) == 1);
	CHECK(sendto(p2, "y", 1, 0, (struct sockaddr *)&a, sizeof(a)) == 1);
	alarm(10);
	CHECK(relay_run(&c).status == RELAY_DONE);
	alarm(0);
	CHECK(conn_has_peer(any));
	CHECK(slurp(out[0], buf, sizeof(buf)) == 2 && strcmp(buf, "xy") == 0);
	CHECK(recv(p2, buf, sizeof(buf), MSG_DONTWAIT) == 5 && memcmp(buf, "reply", 5) == 0);
	conn_close(any);
	close(p1);
	close(p2);
	close(in[0]);
	close(out[0]);
	close(out[1]);
}

/*
 * A layer over a socket that holds bytes of its own: the relay must read
 * them without the socket being readable, and must not hand the socket to
 * splice (the bytes would skip the layer).
 */
struct held_conn {
	struct conn c;
	const char *held;
	size_t left;
};

static ssize_t
held_read(struct conn *c, void *buf, size_t len)
{
	struct held_conn *h = (struct held_conn *)c;

	if (h->left == 0)
		return c->below->ops->read(c->below, buf, len);
	size_t n = len < h->left ? len : h->left;
	memcpy(buf, h->held, n);
	h->held += n;
	h->left -= n;
	return (ssize_t)n;
}

static ssize_t
held_write(struct conn *c, const void *buf, size_t len)
{
	return c->below->ops->write(c->below, buf, len);
}

static int
held_shutdown(struct conn *c)
{
	return c->below->ops->shutdown_write(c->below);
}

static short
held_events(struct conn *c, short wanted)
{
	return c->below->ops->events(c->below, wanted);
}

static size_t
held_pending(struct conn *c)
{
	return ((struct held_conn *)c)->left;
}

static void
held_close(struct conn *c)
{
	conn_close(c->below);
}

static const struct conn_ops held_ops = {"held", held_read, held_write, held_shutdown,
					 held_events, held_pending, held_close};

static void
test_layer_held_bytes(void)
{
	struct rig r;
	struct relay_config c;
	char buf[64];

	rig_open(&r, SOCK_STREAM);
	struct held_conn h = {.c = {.ops = &held_ops, .fd = r.conn->fd, .below = r.conn},
			      .held = "held",
			      .left = 4};
	config(&c, &r);
	c.net = &h.c;
	c.net_eof_ends = true;
	CHECK(!conn_is_plain(&h.c));
	/* The socket's own bytes come after what the layer held; then its EOF. */
	CHECK(write(r.peer, "+wire", 5) == 5);
	CHECK(shutdown(r.peer, SHUT_WR) == 0);
	CHECK(run(&c).status == RELAY_DONE);
	CHECK(slurp(r.out_r, buf, sizeof(buf)) == 9 && strcmp(buf, "held+wire") == 0);
	rig_close(&r);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_crlf_and_shutdown();
	test_recv_limit();
	test_quit_now();
	test_quit_later();
	test_line_interval();
	test_datagram_boundaries();
	test_empty_datagram();
	test_answers_latest_sender();
	test_layer_held_bytes();
	return check_summary("relay_rules");
}
