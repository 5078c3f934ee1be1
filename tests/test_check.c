/*
 * Unit tests of readiness checks: the HTTP status parser, the request
 * --http sends, and the check itself over socketpairs whose other end the
 * test scripts byte by byte (driving check_step directly, so no timing is
 * involved) or a child process answers (parallel checks).
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "probe/probe_check.h"
#include "report/report_check.h"
#include "util/util_time.h"

/* ---- http_parse_status ---------------------------------------------------- */

static void
status_ok(const char *line, int major, int minor, int code, const char *reason)
{
	struct http_status st;
	size_t len = strlen(line);

	CHECK(http_parse_status(line, len, &st) == HTTP_PARSE_OK);
	CHECK(st.major == major && st.minor == minor && st.code == code);
	CHECK(st.reason_len == strlen(reason) && memcmp(st.reason, reason, st.reason_len) == 0);
	CHECK(st.line_len == len - strlen(strchr(line, '\n') + 1));
	/* Every proper prefix needs more, never garbage. */
	for (size_t i = 0; i < st.line_len; i++)
		CHECK(http_parse_status(line, i, &st) == HTTP_PARSE_NEED_MORE);
}

static void
status_garbage(const char *line, size_t len)
{
	struct http_status st;
	CHECK(http_parse_status(line, len, &st) == HTTP_PARSE_GARBAGE);
}

static void
test_status_line(void)
{
	status_ok("HTTP/1.1 200 OK\r\n", 1, 1, 200, "OK");
	status_ok("HTTP/1.1 200 OK\r\nServer: x\r\n\r\nbody", 1, 1, 200, "OK");
	status_ok("HTTP/1.0 503 Service Unavailable\r\n", 1, 0, 503, "Service Unavailable");
	status_ok("HTTP/1.1 301 Moved Permanently\n", 1, 1, 301, "Moved Permanently");
	status_ok("HTTP/1.1 204\r\n", 1, 1, 204, "");
	status_ok("HTTP/1.1 204 \r\n", 1, 1, 204, "");
	status_ok("HTTP/2 200 OK\r\n", 2, -1, 200, "OK");
	status_ok("HTTP/1.1 404 Not\tFound \xc3\xa9\r\n", 1, 1, 404, "Not\tFound \xc3\xa9");

	status_garbage("SSH-2.0-OpenSSH_9.6\r\n", 21);
	status_garbage("S", 1); /* at the first wrong byte, without waiting for more */
	status_garbage("+PONG\r\n", 7);
	status_garbage("http/1.1 200 OK\r\n", 17);
	status_garbage("HTTP/x.1 200 OK\r\n", 17);
	status_garbage("HTTP/1.x 200 OK\r\n", 17);
	status_garbage("HTTP/1.1  200 OK\r\n", 18);
	status_garbage("HTTP/1.1 20 OK\r\n", 16);
	status_garbage("HTTP/1.1 099 OK\r\n", 17);
	status_garbage("HTTP/1.1 2000 OK\r\n", 18);
	status_garbage("HTTP/1.1 200 O\rK\r\n", 18);
	status_garbage("HTTP/1.1 200 O\x01K\r\n", 18);
	status_garbage("HTTP/1.1 200 \0K\r\n", 17);

	/* A status line that never ends. */
	char *big = malloc(HTTP_STATUS_MAX + 100);
	memcpy(big, "HTTP/1.1 200 ", 13);
	memset(big + 13, 'x', HTTP_STATUS_MAX + 87);
	status_garbage(big, HTTP_STATUS_MAX + 100);
	status_garbage(big, HTTP_STATUS_MAX);
	struct http_status st;
	CHECK(http_parse_status(big, HTTP_STATUS_MAX - 1, &st) == HTTP_PARSE_NEED_MORE);

	/*
	 * At the bound (found by tests/fuzz/fuzz_http_status.c): a line of
	 * HTTP_STATUS_MAX bytes, CRLF included, is the longest taken, and a
	 * prefix never decides otherwise than the whole reply does.
	 */
	big[HTTP_STATUS_MAX - 1] = '\n';
	CHECK(http_parse_status(big, HTTP_STATUS_MAX + 5, &st) == HTTP_PARSE_OK &&
	    st.line_len == HTTP_STATUS_MAX);
	CHECK(http_parse_status(big, HTTP_STATUS_MAX - 1, &st) == HTTP_PARSE_NEED_MORE);
	big[HTTP_STATUS_MAX - 1] = 'x';
	big[HTTP_STATUS_MAX] = '\n';
	status_garbage(big, HTTP_STATUS_MAX + 1);
	status_garbage(big, HTTP_STATUS_MAX);
	big[HTTP_STATUS_MAX - 1] = '\r';
	status_garbage(big, HTTP_STATUS_MAX + 1);
	status_garbage(big, HTTP_STATUS_MAX);
	free(big);
}

/* ---- The request and the regex -------------------------------------------- */

static void
request_is(const char *host, unsigned port, bool tls, const char *path, const char *hostline)
{
	char want[512];
	size_t len = 0;
	int n = snprintf(want, sizeof(want),
	    "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: nc/%s\r\nConnection: close\r\n\r\n", path,
	    hostline, NC_VERSION);
	char *req = check_http_request(host, port, tls, path, &len);
	CHECK(req != NULL && len == (size_t)n && strcmp(req, want) == 0);
	free(req);
}

static void
test_request(void)
{
	request_is("db", 80, false, "/", "db");
	request_is("db", 8080, false, "/health", "db:8080");
	request_is("db", 443, true, "/", "db");
	request_is("db", 80, true, "/", "db:80");
	request_is("::1", 8080, false, "/", "[::1]:8080");
	request_is("fe80::1%eth0", 443, true, "/x?y=1", "[fe80::1]");
	request_is("127.0.0.1", 80, false, "/", "127.0.0.1");

	CHECK(check_http_path_valid("/"));
	CHECK(check_http_path_valid("/health?full=1&x=%20"));
	CHECK(!check_http_path_valid(""));
	CHECK(!check_http_path_valid("health"));
	CHECK(!check_http_path_valid("/a b"));
	CHECK(!check_http_path_valid("/a\r\nX-Evil: 1"));
	CHECK(!check_http_path_valid("/\x7f"));
}

static void
test_compile(void)
{
	regex_t re;
	char msg[128] = "";

	CHECK(check_compile_expect("^\\+PONG", &re, msg, sizeof(msg)) == 0);
	regfree(&re);
	CHECK(check_compile_expect("(", &re, msg, sizeof(msg)) != 0);
	CHECK(msg[0] != '\0');
	CHECK(check_compile_expect("a{2,1}", &re, msg, sizeof(msg)) != 0);
}

/* ---- The check over a scripted peer ---------------------------------------- */

struct pair {
	struct conn *conn; /* the check's end */
	int peer;          /* the test's end */
};

static struct pair
pair_new(int type)
{
	int sv[2];
	struct pair p = {NULL, -1};

	if (socketpair(AF_UNIX, type, 0, sv) < 0)
		return p;
	p.conn = conn_fd_new(sv[0], type == SOCK_DGRAM);
	p.peer = sv[1];
	return p;
}

static void
pair_free(struct pair *p)
{
	conn_close(p->conn);
	if (p->peer >= 0)
		close(p->peer);
}

static void
peer_says(struct pair *p, const char *bytes, size_t len)
{
	CHECK(write(p->peer, bytes, len) == (ssize_t)len);
}

/* What the peer got: exactly want (want_len bytes) and nothing else yet. */
static void
peer_got(struct pair *p, const char *want, size_t want_len)
{
	char buf[1024];
	ssize_t n = recv(p->peer, buf, sizeof(buf), MSG_DONTWAIT);
	CHECK(n == (ssize_t)want_len);
	CHECK(n == (ssize_t)want_len && memcmp(buf, want, want_len) == 0);
}

static void
describes(const struct check *c, const char *want)
{
	char buf[256];
	check_describe(&c->result, c->spec, buf, sizeof(buf));
	CHECK(strcmp(buf, want) == 0);
	if (strcmp(buf, want) != 0)
		fprintf(stderr, "  got '%s', want '%s'\n", buf, want);
}

static regex_t pong_re;
static const char pong[] = "^\\+PONG";
static const char http_get[] = "GET / HTTP/1.1\r\nHost: t\r\n\r\n";

static const struct check_spec http_spec = {
    .request = http_get, .request_len = sizeof(http_get) - 1, .http = true};
static const struct check_spec ping_spec = {
    .request = "PING\r\n", .request_len = 6, .expect = &pong_re, .expect_text = pong};

/*
 * Runs one check against a peer that answers reply (in the pieces that
 * lengths give, one check_step each; 0 ends the list) and then closes if
 * close_after. Returns the verdict's description through want.
 */
static void
scripted(const struct check_spec *spec, int type, const char *reply, const size_t *pieces,
    bool close_after, bool want_up, enum check_why why, const char *want)
{
	struct pair p = pair_new(type);
	struct check c;

	check_start(&c, spec, p.conn, now_ms() + 60000);
	short ev = check_step(&c, 0);
	CHECK(ev == POLLIN);
	peer_got(&p, spec->request, spec->request_len);
	for (size_t i = 0; pieces != NULL && pieces[i] != 0 && !c.done; i++) {
		peer_says(&p, reply, pieces[i]);
		reply += pieces[i];
		ev = check_step(&c, POLLIN);
	}
	if (close_after && !c.done) {
		shutdown(p.peer, SHUT_WR);
		ev = check_step(&c, POLLIN);
	}
	CHECK(c.done && ev == 0);
	CHECK(c.result.up == want_up);
	CHECK(c.result.why == why);
	describes(&c, want);
	check_end(&c);
	pair_free(&p);
}

#define PIECES(...) ((const size_t[]){__VA_ARGS__, 0})

static void
test_http(void)
{
	const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
	scripted(&http_spec, SOCK_STREAM, ok, PIECES(sizeof(ok) - 1), false, true, CHECK_HTTP_OK,
	    "HTTP 200 OK");
	const char no[] = "HTTP/1.1 503 Service Unavailable\r\n\r\n";
	scripted(&http_spec, SOCK_STREAM, no, PIECES(sizeof(no) - 1), false, false,
	    CHECK_HTTP_STATUS, "HTTP 503 Service Unavailable");
	const char moved[] = "HTTP/1.1 301 Moved Permanently\r\nLocation: /x\r\n\r\n";
	scripted(&http_spec, SOCK_STREAM, moved, PIECES(20, 20), false, true, CHECK_HTTP_OK,
	    "HTTP 301 Moved Permanently");
	/* The status line in pieces: decided only once its end is in. */
	scripted(&http_spec, SOCK_STREAM, "HTTP/1.1 200 OK\r\n", PIECES(1, 8, 3, 4, 1), false, true,
	    CHECK_HTTP_OK, "HTTP 200 OK");
	scripted(&http_spec, SOCK_STREAM, "HTTP/1.0 204\n", PIECES(13), false, true, CHECK_HTTP_OK,
	    "HTTP 204");
	/* Interim 1xx responses are skipped; the final one decides. */
	const char hints[] = "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
	                     "HTTP/1.1 100 Continue\n\n"
	                     "HTTP/1.1 200 OK\r\n";
	scripted(&http_spec, SOCK_STREAM, hints, PIECES(30, 30, 10, 20, 7), false, true,
	    CHECK_HTTP_OK, "HTTP 200 OK");
	scripted(&http_spec, SOCK_STREAM, hints, PIECES(54), true, false, CHECK_CLOSED,
	    "connection closed after 54 bytes, in the HTTP status line");
	scripted(&http_spec, SOCK_STREAM, "HTTP/1.1 101 Switching Protocols\r\n", PIECES(34), false,
	    false, CHECK_HTTP_STATUS, "HTTP 101 Switching Protocols");
	scripted(&http_spec, SOCK_STREAM, "HTTP/1.1 418 \x01\r\n", PIECES(16), false, false,
	    CHECK_NOT_HTTP, "not an HTTP response");
	/* Garbage is known at its first wrong byte. */
	scripted(&http_spec, SOCK_STREAM, "SSH-2.0-OpenSSH_9.6\r\n", PIECES(1), false, false,
	    CHECK_NOT_HTTP, "not an HTTP response");
	scripted(&http_spec, SOCK_STREAM, "", NULL, true, false, CHECK_CLOSED,
	    "connection closed before a reply");
	scripted(&http_spec, SOCK_STREAM, "HTTP/1.1 2", PIECES(10), true, false, CHECK_CLOSED,
	    "connection closed after 10 bytes, in the HTTP status line");
	/* A reason phrase is cleaned for the terminal and cut to fit. */
	char longreason[200] = "HTTP/1.1 500 ";
	memset(longreason + 13, 'r', 150);
	memcpy(longreason + 163, "\xc3\xa9\r\n", 5);
	struct pair p = pair_new(SOCK_STREAM);
	struct check_result r;
	peer_says(&p, longreason, 167);
	CHECK(check_once(p.conn, &http_spec, now_ms() + 60000, &r) == 0);
	CHECK(!r.up && r.http_code == 500 && strlen(r.http_reason) == sizeof(r.http_reason) - 1);
	pair_free(&p);
	p = pair_new(SOCK_STREAM);
	peer_says(&p, "HTTP/1.1 500 \xc3\xa9\r\n", 17);
	CHECK(check_once(p.conn, &http_spec, now_ms() + 60000, &r) == 0);
	CHECK(strcmp(r.http_reason, "??") == 0);
	pair_free(&p);
}

static void
test_http_expect(void)
{
	regex_t re;
	CHECK(check_compile_expect("^HTTP/1\\.1 401", &re, NULL, 0) == 0);
	struct check_spec s = http_spec;
	s.expect = &re;
	s.expect_text = "^HTTP/1\\.1 401";
	/* --expect decides, whatever the status. */
	scripted(&s, SOCK_STREAM, "HTTP/1.1 401 Unauthorized\r\n", PIECES(27), false, true,
	    CHECK_MATCHED, "matched '^HTTP/1\\.1 401'");
	scripted(&s, SOCK_STREAM, "HTTP/1.1 200 OK\r\n\r\n", PIECES(19), true, false,
	    CHECK_NO_MATCH, "no match for '^HTTP/1\\.1 401' in 19 bytes");
	regfree(&re);
	/* A body that says it is ready, read to the end. */
	CHECK(check_compile_expect("\"status\": *\"ok\"", &re, NULL, 0) == 0);
	s.expect_text = "\"status\": *\"ok\"";
	const char body[] = "HTTP/1.1 200 OK\r\n\r\n{\"status\": \"starting\"}";
	scripted(&s, SOCK_STREAM, body, PIECES(sizeof(body) - 1), true, false, CHECK_NO_MATCH,
	    "no match for '\"status\": *\"ok\"' in 41 bytes");
	const char ready[] = "HTTP/1.1 200 OK\r\n\r\n{\"status\": \"ok\"}";
	scripted(&s, SOCK_STREAM, ready, PIECES(25, 10), false, true, CHECK_MATCHED,
	    "matched '\"status\": *\"ok\"'");
	regfree(&re);
}

static void
test_regex(void)
{
	scripted(&ping_spec, SOCK_STREAM, "+PONG\r\n", PIECES(7), false, true, CHECK_MATCHED,
	    "matched '^\\+PONG'");
	scripted(&ping_spec, SOCK_STREAM, "+PONG\r\n", PIECES(2, 3), false, true, CHECK_MATCHED,
	    "matched '^\\+PONG'");
	scripted(&ping_spec, SOCK_STREAM, "-LOADING Redis\r\n", PIECES(16), true, false,
	    CHECK_NO_MATCH, "no match for '^\\+PONG' in 16 bytes");
	scripted(&ping_spec, SOCK_STREAM, "", NULL, true, false, CHECK_CLOSED,
	    "connection closed before a reply");

	/* Bytes past a NUL are matched too. */
	regex_t re;
	CHECK(check_compile_expect("OK$", &re, NULL, 0) == 0);
	struct check_spec s = {
	    .request = "\0\1", .request_len = 2, .expect = &re, .expect_text = "OK$"};
	scripted(&s, SOCK_STREAM, "\0\0OK", PIECES(4), false, true, CHECK_MATCHED, "matched 'OK$'");

	/* The size cap ends the reading. */
	s.max_reply = 16;
	const char junk[] = "0123456789abcdef0123456789abcdef";
	struct pair p = pair_new(SOCK_STREAM);
	struct check_result r;
	peer_says(&p, junk, 32);
	CHECK(check_once(p.conn, &s, now_ms() + 60000, &r) == 0);
	CHECK(!r.up && r.why == CHECK_NO_MATCH && r.bytes == 16);
	pair_free(&p);
	regfree(&re);
}

static void
test_plain_reply(void)
{
	/* Nothing to send or expect on a stream: connected is up. */
	struct check_spec none = {0};
	struct pair p = pair_new(SOCK_STREAM);
	struct check c;
	check_start(&c, &none, p.conn, -1);
	CHECK(check_step(&c, 0) == 0 && c.done && c.result.up && c.result.why == CHECK_CONNECTED);
	CHECK(recv(p.peer, &(char){0}, 1, MSG_DONTWAIT) < 0 && errno == EAGAIN);
	check_end(&c);
	pair_free(&p);

	/* --send alone: any reply is up, a close before one is not. */
	struct check_spec send = {.request = "hello\n", .request_len = 6};
	scripted(
	    &send, SOCK_STREAM, "x", PIECES(1), false, true, CHECK_REPLIED, "replied with 1 bytes");
	scripted(&send, SOCK_STREAM, "", NULL, true, false, CHECK_CLOSED,
	    "connection closed before a reply");

	/* A peer gone before the request: closed, not an error. */
	p = pair_new(SOCK_STREAM);
	close(p.peer);
	p.peer = -1;
	struct check_result r;
	CHECK(check_once(p.conn, &send, now_ms() + 60000, &r) == 0);
	CHECK(!r.up && r.why == CHECK_CLOSED);
	pair_free(&p);
}

static void
test_timeout(void)
{
	struct pair p = pair_new(SOCK_STREAM);
	struct check_result r;
	long long t0 = now_ms();

	CHECK(check_once(p.conn, &ping_spec, t0 + 200, &r) == 0);
	CHECK(now_ms() - t0 >= 200);
	CHECK(!r.up && r.why == CHECK_TIMED_OUT && r.bytes == 0);
	CHECK(r.budget_ms >= 100 && r.budget_ms <= 200);
	CHECK(r.time_us >= 150000);
	pair_free(&p);

	/* Part of a reply, then silence. */
	p = pair_new(SOCK_STREAM);
	peer_says(&p, "+PO", 3);
	CHECK(check_once(p.conn, &ping_spec, now_ms() + 100, &r) == 0);
	CHECK(!r.up && r.why == CHECK_TIMED_OUT && r.bytes == 3);
	pair_free(&p);
	p = pair_new(SOCK_STREAM);
	peer_says(&p, "HTTP/1.1 2", 10);
	CHECK(check_once(p.conn, &http_spec, now_ms() + 100, &r) == 0);
	CHECK(!r.up && r.why == CHECK_TIMED_OUT && r.bytes == 10);
	pair_free(&p);

	/* A reply already there beats a deadline already past. */
	p = pair_new(SOCK_STREAM);
	peer_says(&p, "+PONG\r\n", 7);
	CHECK(check_once(p.conn, &ping_spec, now_ms() - 1, &r) == 0);
	CHECK(r.up && r.why == CHECK_MATCHED);
	pair_free(&p);

	/* The words, for fixed numbers. */
	struct check_result fixed = {.why = CHECK_TIMED_OUT, .budget_ms = 2000};
	struct check c = {.spec = &ping_spec, .result = fixed};
	describes(&c, "timed out after 2.0 s waiting for a reply");
	c.result.budget_ms = 1250;
	c.result.bytes = 3;
	describes(&c, "timed out after 1.2 s: no match for '^\\+PONG' in 3 bytes");
	c.spec = &http_spec;
	describes(&c, "timed out after 1.2 s in the HTTP status line (3 bytes)");
	c.result = (struct check_result){.why = CHECK_IO_ERROR, .err = ECONNREFUSED};
	describes(&c, "Connection refused");
}

/* A request that fills the socket buffer goes out over several steps. */
static void
test_big_request(void)
{
	size_t len = 4 << 20;
	char *big = malloc(len);
	memset(big, 'a', len);
	struct check_spec s = {.request = big, .request_len = len};
	struct pair p = pair_new(SOCK_STREAM);
	struct check c;

	check_start(&c, &s, p.conn, now_ms() + 60000);
	CHECK(check_step(&c, 0) == POLLOUT);
	size_t got = 0;
	char buf[65536];
	short ev = POLLOUT;
	while (ev == POLLOUT) {
		ssize_t n = read(p.peer, buf, sizeof(buf));
		if (n > 0)
			got += (size_t)n;
		ev = check_step(&c, POLLOUT);
	}
	CHECK(ev == POLLIN);
	while (got < len) {
		ssize_t n = read(p.peer, buf, sizeof(buf));
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	CHECK(got == len);
	peer_says(&p, "k", 1);
	CHECK(check_step(&c, POLLIN) == 0 && c.result.up);
	check_end(&c);
	pair_free(&p);
	free(big);
}

/* ---- Datagrams ------------------------------------------------------------ */

static void
test_datagram(void)
{
	/* The request is one datagram; the first datagram back is the whole reply. */
	scripted(&ping_spec, SOCK_DGRAM, "+PONG\r\n", PIECES(7), false, true, CHECK_MATCHED,
	    "matched '^\\+PONG'");
	scripted(&ping_spec, SOCK_DGRAM, "nope+PONG\r\n", PIECES(4, 7), false, false,
	    CHECK_NO_MATCH, "no match for '^\\+PONG' in 4 bytes");

	/* An empty request is still a datagram, and an empty reply a reply. */
	struct check_spec empty = {0};
	struct pair p = pair_new(SOCK_DGRAM);
	struct check c;
	check_start(&c, &empty, p.conn, now_ms() + 60000);
	CHECK(check_step(&c, 0) == POLLIN);
	char buf[8];
	CHECK(recv(p.peer, buf, sizeof(buf), MSG_DONTWAIT) == 0);
	CHECK(send(p.peer, "", 0, 0) == 0);
	CHECK(check_step(&c, POLLIN) == 0);
	CHECK(c.result.up && c.result.why == CHECK_REPLIED && c.result.bytes == 0);
	check_end(&c);
	pair_free(&p);

	/* Silence times out. */
	p = pair_new(SOCK_DGRAM);
	struct check_result r;
	CHECK(check_once(p.conn, &ping_spec, now_ms() + 100, &r) == 0);
	CHECK(!r.up && r.why == CHECK_TIMED_OUT);
	pair_free(&p);
}

/* ---- Many at once ----------------------------------------------------------- */

/*
 * A child answers each request DELAY_MS after it arrives, one peer after
 * another would take N * DELAY_MS; the checks run at once take about one.
 */
#define N_PARALLEL 40
#define DELAY_MS   250

static void
test_parallel(void)
{
	struct pair p[N_PARALLEL];
	struct check c[N_PARALLEL];

	for (int i = 0; i < N_PARALLEL; i++)
		p[i] = pair_new(SOCK_STREAM);
	pid_t pid = fork();
	if (pid == 0) {
		struct pollfd fds[N_PARALLEL];
		int left = N_PARALLEL;
		for (int i = 0; i < N_PARALLEL; i++) {
			conn_close(p[i].conn);
			fds[i] = (struct pollfd){.fd = p[i].peer, .events = POLLIN};
		}
		while (left > 0 && poll(fds, N_PARALLEL, 30000) > 0) {
			usleep(DELAY_MS * 1000);
			for (int i = 0; i < N_PARALLEL; i++) {
				char buf[64];
				if (fds[i].fd < 0 || !(fds[i].revents & POLLIN))
					continue;
				if (read(fds[i].fd, buf, sizeof(buf)) > 0 &&
				    write(fds[i].fd, "+PONG\r\n", 7) != 7)
					_exit(1);
				fds[i].fd = -1;
				left--;
			}
		}
		_exit(left == 0 ? 0 : 1);
	}
	CHECK(pid > 0);
	long long t0 = now_ms();
	for (int i = 0; i < N_PARALLEL; i++)
		check_start(&c[i], &ping_spec, p[i].conn, t0 + 30000);
	CHECK(check_run(c, N_PARALLEL) == 0);
	long long took = now_ms() - t0;
	int up = 0;
	for (int i = 0; i < N_PARALLEL; i++) {
		up += c[i].done && c[i].result.up;
		check_end(&c[i]);
		pair_free(&p[i]);
	}
	int status;
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(up == N_PARALLEL);
	/* In turn it would be 10 s; a loaded machine may stretch one round trip. */
	CHECK(took >= DELAY_MS && took < N_PARALLEL * DELAY_MS / 4);
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	if (check_compile_expect(pong, &pong_re, NULL, 0) != 0)
		return 1;
	test_status_line();
	test_request();
	test_compile();
	test_http();
	test_http_expect();
	test_regex();
	test_plain_reply();
	test_timeout();
	test_big_request();
	test_datagram();
	test_parallel();
	regfree(&pong_re);
	return check_summary("check");
}
