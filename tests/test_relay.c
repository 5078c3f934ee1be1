/*
 * Unit tests of the relay's session rule over a socketpair, on both paths
 * (relay_fast, and relay_run's own loop, which -C forces): a listener's
 * session ends at network EOF whatever stdin does; in connect mode network
 * EOF is a half-close. A hang fails the test through alarm(2).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "cli/cli_options.h"
#include "conn/conn.h"
#include "mode/mode_session.h"
#include "relay/relay.h"

struct rig {
	struct conn *conn; /* our end of the socketpair as a connection */
	int net, peer;    /* the socketpair: ours, and the other side's */
	int in_r, in_w;   /* stdin pipe; in_w stays open unless closed */
	int out_r, out_w; /* stdout pipe */
};

static void
rig_open(struct rig *r)
{
	int sv[2], in[2], out[2];

	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	CHECK(pipe(in) == 0);
	CHECK(pipe(out) == 0);
	*r = (struct rig){conn_fd_new(sv[0], false), sv[0], sv[1], in[0], in[1], out[0], out[1]};
}

static void
rig_close(struct rig *r)
{
	int fds[] = {r->peer, r->in_r, r->in_w, r->out_r, r->out_w};

	conn_close(r->conn); /* closes r->net */

	for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

static void
config(struct relay_config *c, const struct rig *r, bool net_eof_ends, bool slow)
{
	*c = (struct relay_config){
	    .net = r->conn,
	    .in_fd = r->in_r,
	    .out_fd = r->out_w,
	    .quit_ms = -1,
	    .idle_ms = -1,
	    .crlf = slow,
	    .net_eof_ends = net_eof_ends,
	};
}

/* Reads what is there without waiting; "" when nothing is. */
static const char *
pending(int fd)
{
	static char buf[256];
	int fl = fcntl(fd, F_GETFL);

	fcntl(fd, F_SETFL, fl | O_NONBLOCK);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	fcntl(fd, F_SETFL, fl);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* The peer sends and half-closes; stdin stays open, silent: the listener ends. */
static void
test_listener_ends_with_stdin_open(bool slow)
{
	struct rig r;
	struct relay_config c;

	rig_open(&r);
	config(&c, &r, true, slow);
	CHECK(write(r.peer, "hello", 5) == 5);
	CHECK(shutdown(r.peer, SHUT_WR) == 0);
	alarm(10);
	struct relay_result res = relay_run(&c);
	alarm(0);
	CHECK(res.status == RELAY_DONE);
	CHECK(strcmp(pending(r.out_r), "hello") == 0);
	CHECK(strcmp(pending(r.peer), "") == 0);
	rig_close(&r);
}

/*
 * stdin has data when the network's EOF is already there: the network is
 * looked at first, and stdin is not read (a background job reading its
 * terminal would be stopped).
 */
static void
test_listener_reads_no_stdin_after_net_eof(bool slow)
{
	struct rig r;
	struct relay_config c;

	rig_open(&r);
	config(&c, &r, true, slow);
	CHECK(write(r.in_w, "late", 4) == 4);
	CHECK(shutdown(r.peer, SHUT_WR) == 0);
	alarm(10);
	struct relay_result res = relay_run(&c);
	alarm(0);
	CHECK(res.status == RELAY_DONE);
	CHECK(strcmp(pending(r.peer), "") == 0);
	CHECK(strcmp(pending(r.in_r), "late") == 0);
	rig_close(&r);
}

/* Connect mode: after the network's EOF stdin still goes out, up to its own EOF. */
static void
test_connect_half_close(bool slow)
{
	struct rig r;
	struct relay_config c;

	rig_open(&r);
	config(&c, &r, false, slow);
	CHECK(write(r.peer, "banner", 6) == 6);
	CHECK(shutdown(r.peer, SHUT_WR) == 0);
	CHECK(write(r.in_w, "late", 4) == 4);
	close(r.in_w);
	r.in_w = -1;
	alarm(10);
	struct relay_result res = relay_run(&c);
	alarm(0);
	CHECK(res.status == RELAY_DONE);
	CHECK(strcmp(pending(r.out_r), "banner") == 0);
	CHECK(strcmp(pending(r.peer), "late") == 0);
	rig_close(&r);
}

/* How main.c stands in for a closed stdout: writes fail with EBADF. */
static void
test_closed_stdout(bool slow)
{
	struct rig r;
	struct relay_config c;

	rig_open(&r);
	config(&c, &r, true, slow);
	int ro = open("/dev/null", O_RDONLY);
	CHECK(ro >= 0);
	c.out_fd = ro;
	CHECK(write(r.peer, "x", 1) == 1);
	CHECK(shutdown(r.peer, SHUT_WR) == 0);
	alarm(10);
	struct relay_result res = relay_run(&c);
	alarm(0);
	CHECK(res.status == RELAY_ERROR);
	CHECK(res.op != NULL && strcmp(res.op, "write") == 0);
	CHECK(res.err == EBADF);
	close(ro);
	rig_close(&r);
}

static bool
eof_ends(int argc, char **argv)
{
	struct nc_options o;
	struct opt_error err;
	struct relay_config c;

	CHECK(options_parse(argc, argv, &o, &err) == OPT_OK);
	/* Only the datagram flag is looked at: no operation is called. */
	struct conn net = {.fd = -1, .datagram = o.udp};
	session_config(&c, &net, &o);
	return c.net_eof_ends;
}

/* Every listener but a datagram one takes the rule; no connector does. */
static void
test_config_from(void)
{
	CHECK(eof_ends(3, (char *[]){"nc", "-l", "1234", NULL}));
	CHECK(eof_ends(4, (char *[]){"nc", "-lk", "-N", "1234", NULL}));
	CHECK(eof_ends(3, (char *[]){"nc", "-lU", "/tmp/x", NULL}));
	CHECK(eof_ends(4, (char *[]){"nc", "-l", "--seqpacket", "/tmp/x", NULL}));
	CHECK(!eof_ends(3, (char *[]){"nc", "-lu", "1234", NULL}));
	CHECK(!eof_ends(3, (char *[]){"nc", "-luU", "/tmp/x", NULL}));
	CHECK(!eof_ends(3, (char *[]){"nc", "host", "1234", NULL}));
	CHECK(!eof_ends(3, (char *[]){"nc", "-U", "/tmp/x", NULL}));
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	for (int slow = 0; slow <= 1; slow++) {
		test_listener_ends_with_stdin_open(slow);
		test_listener_reads_no_stdin_after_net_eof(slow);
		test_connect_half_close(slow);
		test_closed_stdout(slow);
	}
	test_config_from();
	return check_summary("relay");
}
