/*
 * The TLS layer against real peers: openssl s_server (spawned here on a
 * kernel-chosen loopback port, killed by PID) and itself over loopback TCP,
 * with certificates tests/tls_certs.sh makes at run time.
 *
 *   test_tls TLS_CERTS_SH
 *
 * Exits 77 (skipped) in a build without libtls or without openssl(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "cli/cli_tls.h"
#include "conn/conn.h"
#include "conn/conn_tls.h"
#include "util/util_time.h"

#ifdef HAVE_TLS
#include <tls.h>
#endif

static char certdir[] = "/tmp/nc-tls-test.XXXXXX";

/* DIR/NAME, kept for the whole run (options point at it): held in a table, not leaked. */
static const char *
cert(const char *name)
{
	static char *paths[512];
	static size_t npaths;
	char *p;

	if (npaths == sizeof(paths) / sizeof(paths[0]) || asprintf(&p, "%s/%s", certdir, name) < 0)
		abort();
	paths[npaths++] = p;
	return p;
}

static long long
deadline_in(long long ms)
{
	return now_ms() + ms;
}

/* openssl s_server on 127.0.0.1, port chosen by the kernel. */
struct s_server {
	pid_t pid;
	int in;  /* its stdin: what it sends the client */
	int out; /* its stdout: "ACCEPT host:port", then what it receives */
	unsigned port;
};

static bool
s_server_start(struct s_server *s, const char *name, const char *const *extra)
{
	int in[2], out[2];
	const char *argv[32] = {"openssl", "s_server", "-accept", "127.0.0.1:0", "-naccept", "1",
	    "-cert", cert(name), "-key", NULL};
	char key[512];
	int n = 9;

	snprintf(key, sizeof(key), "%s/%s", certdir, name);
	char *dot = strrchr(key, '.');
	if (dot != NULL)
		strcpy(dot, ".key");
	argv[n++] = key;
	for (; extra != NULL && *extra != NULL && n < 31; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;
	if (pipe(in) != 0 || pipe(out) != 0)
		return false;
	s->pid = fork();
	if (s->pid < 0)
		return false;
	if (s->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
		close(in[1]);
		close(out[0]);
		execvp("openssl", (char *const *)argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	s->in = in[1];
	s->out = out[0];
	/* Its first line names the port. */
	char line[256];
	size_t len = 0;
	long long dl = deadline_in(10000);
	while (len < sizeof(line) - 1) {
		struct pollfd p = {.fd = s->out, .events = POLLIN};
		if (poll(&p, 1, poll_timeout(dl)) <= 0)
			break;
		ssize_t r = read(s->out, line + len, 1);
		if (r <= 0)
			break;
		len++;
		line[len] = '\0';
		char *a = strstr(line, "ACCEPT 127.0.0.1:");
		if (a != NULL && line[len - 1] == '\n') {
			s->port = (unsigned)strtoul(a + 17, NULL, 10);
			return s->port > 0;
		}
		if (line[len - 1] == '\n')
			len = 0;
	}
	return false;
}

static void
s_server_stop(struct s_server *s)
{
	if (s->pid > 0) {
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
	}
	if (s->in >= 0)
		close(s->in);
	close(s->out);
	s->pid = 0;
}

static int
tcp_connect(unsigned port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof(sin)) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	return fd;
}

static struct conn_tls_config *configs[64];
static size_t nconfigs;

/* A client conn_tls on a new connection to port, handshaken; NULL on failure (r says). */
static struct conn *
client(
    const struct tls_options *o, unsigned port, const char *servername, struct conn_tls_result *r)
{
	struct conn_tls_config *cfg = conn_tls_config_new(o, false, 5000, r);
	if (cfg == NULL)
		return NULL;
	int fd = tcp_connect(port);
	struct conn *below = fd >= 0 ? conn_fd_new(fd, false) : NULL;
	struct conn *c = below != NULL ? conn_tls_client(cfg, below, servername, r) : NULL;
	if (c == NULL) {
		conn_close(below);
		conn_tls_config_free(cfg);
		return NULL;
	}
	if (conn_tls_handshake(c, deadline_in(10000), r) != CONN_TLS_OK) {
		conn_close(c);
		conn_tls_config_free(cfg);
		return NULL;
	}
	/* The config outlives the connection: freed at the end of the run. */
	if (nconfigs < sizeof(configs) / sizeof(configs[0]))
		configs[nconfigs++] = cfg;
	return c;
}

/* The first PEM block of a equals that of b. */
static bool
same_first_cert(const char *a, const char *b)
{
	char ta[8192], tb[8192];
	FILE *fa = fopen(a, "r"), *fb = fopen(b, "r");
	size_t na = fa != NULL ? fread(ta, 1, sizeof(ta) - 1, fa) : 0;
	size_t nb = fb != NULL ? fread(tb, 1, sizeof(tb) - 1, fb) : 0;

	if (fa != NULL)
		fclose(fa);
	if (fb != NULL)
		fclose(fb);
	ta[na] = tb[nb] = '\0';
	char *ea = strstr(ta, "-----END CERTIFICATE-----");
	char *eb = strstr(tb, "-----END CERTIFICATE-----");
	char *sa = strstr(ta, "-----BEGIN CERTIFICATE-----");
	char *sb = strstr(tb, "-----BEGIN CERTIFICATE-----");
	return ea != NULL && eb != NULL && sa != NULL && sb != NULL && ea - sa == eb - sb &&
	    memcmp(sa, sb, (size_t)(ea - sa)) == 0;
}

/* A client handshake against s_server with the certificate NAME; returns the status. */
static enum conn_tls_status
against(const char *name, const struct tls_options *o, const char *servername,
    struct conn_tls_result *r)
{
	struct s_server s;

	if (!s_server_start(&s, name, NULL)) {
		CHECK(!"s_server started");
		return CONN_TLS_UNAVAILABLE;
	}
	struct conn *c = client(o, s.port, servername, r);
	conn_close(c);
	s_server_stop(&s);
	return r->status;
}

static void
base_options(struct tls_options *o)
{
	cli_tls_init(o);
	o->enabled = true;
	o->ca_file = cert("ca.pem");
}

static void
test_verification(void)
{
	struct tls_options o;
	struct conn_tls_result r;

	base_options(&o);
	CHECK(against("server.pem", &o, "localhost", &r) == CONN_TLS_OK);
	CHECK(r.facts.done && r.facts.verified && r.facts.peer_cert);
	CHECK(strcmp(r.facts.subject, "/O=nc-test/OU=server/CN=localhost") == 0);
	CHECK(strcmp(r.facts.issuer, "/O=nc-test/OU=ca/CN=root") == 0);
	CHECK(strncmp(r.facts.hash, "SHA256:", 7) == 0 && strlen(r.facts.hash) == 7 + 64);
	CHECK(strncmp(r.facts.version, "TLSv1.", 6) == 0);
	CHECK(r.facts.cipher[0] != '\0');
	CHECK(r.facts.not_after > r.facts.not_before && r.facts.not_before > 0);

	/* An address is checked against the IP SAN. */
	CHECK(against("server.pem", &o, "127.0.0.1", &r) == CONN_TLS_OK);

	/* The pin: right, then wrong. */
	char pin[80];
	strcpy(pin, r.facts.hash);
	o.hash = pin;
	CHECK(against("server.pem", &o, "localhost", &r) == CONN_TLS_OK);
	o.hash = "SHA256:0000000000000000000000000000000000000000000000000000000000000000";
	CHECK(against("server.pem", &o, "localhost", &r) == CONN_TLS_HASH);
	CHECK(strcmp(r.text, o.hash) == 0);
	CHECK(r.facts.done); /* the -v report still has its facts */
	o.hash = NULL;

	/* Another CA signed it. */
	CHECK(against("wrongca-server.pem", &o, "localhost", &r) == CONN_TLS_HANDSHAKE);
	CHECK(strcmp(r.text,
	          "certificate verification failed: unable to get local issuer "
	          "certificate") == 0);
	CHECK(!r.facts.done);

	/* The system bundle does not know our CA. */
	o.ca_file = NULL;
	CHECK(against("server.pem", &o, "localhost", &r) == CONN_TLS_HANDSHAKE);
	CHECK(strstr(r.text, "certificate verification failed") != NULL);
	o.ca_file = cert("ca.pem");

	/* The wrong name, by address and by name. */
	CHECK(against("wrongname.pem", &o, "127.0.0.1", &r) == CONN_TLS_HANDSHAKE);
	CHECK(strcmp(r.text, "name `127.0.0.1' not present in server certificate") == 0);
	CHECK(against("server.pem", &o, "example.org", &r) == CONN_TLS_HANDSHAKE);
	CHECK(strcmp(r.text, "name `example.org' not present in server certificate") == 0);
	o.noname = true;
	CHECK(against("wrongname.pem", &o, "127.0.0.1", &r) == CONN_TLS_OK);
	CHECK(!r.facts.verified);
	o.noname = false;

	/* Expired, then allowed with noverify. */
	CHECK(against("expired.pem", &o, "localhost", &r) == CONN_TLS_HANDSHAKE);
	CHECK(strcmp(r.text, "certificate verification failed: certificate has expired") == 0);
	o.noverify = true;
	CHECK(against("wrongca-server.pem", &o, "localhost", &r) == CONN_TLS_OK);
	CHECK(!r.facts.verified);
	o.noverify = false;

	/* --tls-min-days: 5 days left. */
	o.min_days = 30;
	CHECK(against("soon.pem", &o, "localhost", &r) == CONN_TLS_EXPIRES);
	CHECK(r.min_days == 30 && r.facts.not_after > time(NULL));
	o.min_days = 4;
	CHECK(against("soon.pem", &o, "localhost", &r) == CONN_TLS_OK);
	o.min_days = -1;

	/* --tls-peer-cert: the chain as PEM, the server's certificate first. */
	o.peer_cert_file = cert("peer.pem");
	CHECK(against("server.pem", &o, "localhost", &r) == CONN_TLS_OK);
	CHECK(same_first_cert(cert("peer.pem"), cert("server.pem")));
	o.peer_cert_file = "/nonexistent/peer.pem";
	CHECK(against("server.pem", &o, "localhost", &r) == CONN_TLS_SAVE_OPEN);
	CHECK(strcmp(r.text, "/nonexistent/peer.pem") == 0);
	o.peer_cert_file = NULL;

	/* ALPN: the server picks from our list. */
	const char *alpn[] = {"-alpn", "h2", NULL};
	struct s_server s;
	o.alpn = "http/1.1,h2";
	if (s_server_start(&s, "server.pem", alpn)) {
		struct conn *c = client(&o, s.port, "localhost", &r);
		CHECK(c != NULL && strcmp(r.facts.alpn, "h2") == 0);
		conn_close(c);
		s_server_stop(&s);
	}
	o.alpn = NULL;

	/* A CA file that is not there is a configuration error. */
	o.ca_file = "/nonexistent";
	CHECK(conn_tls_config_new(&o, false, -1, &r) == NULL);
	CHECK(r.status == CONN_TLS_CONFIG);
	CHECK(strcmp(r.text, "failed to open CA file '/nonexistent': No such file or directory") ==
	    0);
	o.ca_file = cert("ca.pem");

	/* A timeout: a listener that never answers. */
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t sl = sizeof(sin);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(l, (struct sockaddr *)&sin, sizeof(sin)) == 0 && listen(l, 1) == 0);
	getsockname(l, (struct sockaddr *)&sin, &sl);
	struct conn_tls_config *cfg = conn_tls_config_new(&o, false, -1, &r);
	struct conn *c = conn_tls_client(
	    cfg, conn_fd_new(tcp_connect(ntohs(sin.sin_port)), false), "localhost", &r);
	long long t0 = now_ms();
	CHECK(conn_tls_handshake(c, deadline_in(300), &r) == CONN_TLS_HANDSHAKE);
	CHECK(strcmp(r.text, strerror(ETIMEDOUT)) == 0);
	CHECK(now_ms() - t0 < 5000);
	conn_close(c);
	conn_tls_config_free(cfg);
	close(l);
}

/* The peer is killed: no close_notify. A read says EOF, not an error. */
static void
test_bare_eof(void)
{
	struct tls_options o;
	struct conn_tls_result r;
	struct s_server s;
	char buf[64];

	base_options(&o);
	if (!s_server_start(&s, "server.pem", NULL)) {
		CHECK(!"s_server started");
		return;
	}
	struct conn *c = client(&o, s.port, "localhost", &r);
	CHECK(c != NULL);
	if (c == NULL) {
		s_server_stop(&s);
		return;
	}
	CHECK(write(s.in, "hello\n", 6) == 6);
	CHECK(conn_read_full(c, buf, 6, deadline_in(10000)) == 0 && memcmp(buf, "hello\n", 6) == 0);
	kill(s.pid, SIGKILL);
	CHECK(conn_read_some(c, buf, sizeof(buf), deadline_in(10000)) == 0);
	CHECK(!conn_tls_clean_eof(c));
	CHECK(conn_tls_error(c) == NULL);
	conn_close(c);
	s_server_stop(&s);
}

/*
 * s_server ends the connection when its stdin ends, without close_notify:
 * what it sent before arrives whole, then the end of input.
 */
static void
test_server_quits(void)
{
	struct tls_options o;
	struct conn_tls_result r;
	struct s_server s;
	char buf[64];

	base_options(&o);
	if (!s_server_start(&s, "server.pem", NULL)) {
		CHECK(!"s_server started");
		return;
	}
	struct conn *c = client(&o, s.port, "localhost", &r);
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK(write(s.in, "bye\n", 4) == 4);
		close(s.in);
		s.in = -1;
		CHECK(conn_read_full(c, buf, 4, deadline_in(10000)) == 0);
		CHECK(memcmp(buf, "bye\n", 4) == 0);
		CHECK(conn_read_some(c, buf, sizeof(buf), deadline_in(10000)) == 0);
		CHECK(!conn_tls_clean_eof(c) && conn_tls_error(c) == NULL);
		conn_close(c);
	}
	s_server_stop(&s);
}

/* A child process: a TLS server for one connection on l; exits with the status. */
static pid_t
serve_once(int l, const struct tls_options *so, const char *reply)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	struct conn_tls_result r;
	struct conn_tls_config *cfg = conn_tls_config_new(so, true, 2000, &r);
	int fd = cfg != NULL ? accept(l, NULL, NULL) : -1;
	if (fd < 0)
		_exit(100);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	struct conn *c = conn_tls_server(cfg, conn_fd_new(fd, false), &r);
	if (c == NULL)
		_exit(101);
	enum conn_tls_status st = conn_tls_handshake(c, deadline_in(10000), &r);
	if (st == CONN_TLS_OK && reply != NULL &&
	    conn_write_all(c, reply, strlen(reply), deadline_in(10000)) != 0)
		_exit(102);
	conn_close(c);
	_exit((int)st);
}

static int
listener(unsigned *port)
{
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t sl = sizeof(sin);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(l, (struct sockaddr *)&sin, sizeof(sin)) != 0 || listen(l, 4) != 0)
		return -1;
	getsockname(l, (struct sockaddr *)&sin, &sl);
	*port = ntohs(sin.sin_port);
	return l;
}

static int
exit_status(pid_t pid)
{
	int status = -1;

	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Our server's checks on the client: -T clientcert, -e, -H, and its -R. */
static void
test_server_checks(void)
{
	struct {
		bool clientcert;
		const char *name, *hash, *ccert, *ckey;
		int server_says;
	} cases[] = {
	    {true, NULL, NULL, NULL, NULL, CONN_TLS_NO_CLIENT_CERT},
	    {true, NULL, NULL, "client.pem", "client.key", CONN_TLS_OK},
	    {false, NULL, NULL, NULL, NULL, CONN_TLS_OK},
	    {false, "client", NULL, "client.pem", "client.key", CONN_TLS_OK},
	    {false, "other", NULL, "client.pem", "client.key", CONN_TLS_CLIENT_NAME},
	    {false, "client", NULL, NULL, NULL, CONN_TLS_NO_CLIENT_CERT},
	    {false, NULL, "SHA256:00", "client.pem", "client.key", CONN_TLS_HASH},
	    {false, NULL, NULL, "wrongca-server.pem", "wrongca-server.key", CONN_TLS_HANDSHAKE},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tls_options so, co;
		struct conn_tls_result r;
		unsigned port;
		int l = listener(&port);

		cli_tls_init(&so);
		so.enabled = true;
		so.cert_file = cert("server.pem");
		so.key_file = cert("server.key");
		so.ca_file = cert("ca.pem");
		so.clientcert = cases[i].clientcert;
		so.name = cases[i].name;
		so.hash = cases[i].hash;
		pid_t pid = serve_once(l, &so, "hi\n");
		close(l);
		base_options(&co);
		co.cert_file = cases[i].ccert != NULL ? cert(cases[i].ccert) : NULL;
		co.key_file = cases[i].ckey != NULL ? cert(cases[i].ckey) : NULL;
		struct conn *c = client(&co, port, "localhost", &r);
		if (cases[i].server_says == CONN_TLS_OK) {
			char buf[3];
			CHECK(c != NULL && conn_read_full(c, buf, 3, deadline_in(10000)) == 0);
		}
		conn_close(c);
		int st = exit_status(pid);
		CHECK(st == cases[i].server_says);
		if (st != cases[i].server_says)
			fprintf(stderr, "server case %zu: status %d\n", i, st);
	}
}

/* openssl s_client against our server: it verifies us, and data flows both ways. */
static void
test_s_client(void)
{
	struct tls_options so;
	struct conn_tls_result r;
	unsigned port;
	int l = listener(&port);
	int in[2], out[2];
	char portarg[32], buf[64];

	cli_tls_init(&so);
	so.enabled = true;
	so.cert_file = cert("server.pem");
	so.key_file = cert("server.key");
	snprintf(portarg, sizeof(portarg), "127.0.0.1:%u", port);
	CHECK(pipe(in) == 0 && pipe(out) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
		close(in[1]);
		close(out[0]);
		execlp("openssl", "openssl", "s_client", "-quiet", "-verify_return_error",
		    "-CAfile", cert("ca.pem"), "-verify_hostname", "localhost", "-connect", portarg,
		    (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	struct conn_tls_config *cfg = conn_tls_config_new(&so, true, 2000, &r);
	int fd = accept(l, NULL, NULL);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	struct conn *c = conn_tls_server(cfg, conn_fd_new(fd, false), &r);
	CHECK(c != NULL && conn_tls_handshake(c, deadline_in(10000), &r) == CONN_TLS_OK);
	CHECK(!r.facts.peer_cert);
	CHECK(conn_write_all(c, "hello\n", 6, deadline_in(10000)) == 0);
	CHECK(write(in[1], "ping\n", 5) == 5);
	CHECK(conn_read_full(c, buf, 5, deadline_in(10000)) == 0 && memcmp(buf, "ping\n", 5) == 0);
	size_t got = 0;
	while (got < 6) {
		struct pollfd p = {.fd = out[0], .events = POLLIN};
		if (poll(&p, 1, 10000) <= 0)
			break;
		ssize_t n = read(out[0], buf + got, 6 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	CHECK(got == 6 && memcmp(buf, "hello\n", 6) == 0);
	conn_close(c);
	conn_tls_config_free(cfg);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(in[1]);
	close(out[0]);
	close(l);
}

/*
 * The peer ends its TCP side without close_notify but still reads: we see
 * the end of input and can go on writing (OpenSSL alone would call it
 * fatal and send an alert).
 */
static void
test_half_close_bare(void)
{
	struct tls_options so, co;
	struct conn_tls_result r;
	unsigned port;
	int l = listener(&port);
	char buf[16];

	cli_tls_init(&so);
	so.enabled = true;
	so.cert_file = cert("server.pem");
	so.key_file = cert("server.key");
	pid_t pid = fork();
	if (pid == 0) {
		struct conn_tls_config *cfg = conn_tls_config_new(&so, true, 2000, &r);
		int fd = accept(l, NULL, NULL);
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		struct conn *c = conn_tls_server(cfg, conn_fd_new(fd, false), &r);
		if (c == NULL || conn_tls_handshake(c, deadline_in(10000), &r) != CONN_TLS_OK)
			_exit(1);
		if (conn_read_some(c, buf, sizeof(buf), deadline_in(10000)) != 0)
			_exit(2);
		if (conn_tls_clean_eof(c) ||
		    conn_write_all(c, "late\n", 5, deadline_in(10000)) != 0)
			_exit(3);
		conn_close(c);
		_exit(0);
	}
	close(l);
	base_options(&co);
	struct conn *c = client(&co, port, "localhost", &r);
	CHECK(c != NULL);
	if (c != NULL) {
		CHECK(shutdown(c->fd, SHUT_WR) == 0);
		CHECK(conn_read_full(c, buf, 5, deadline_in(10000)) == 0 &&
		    memcmp(buf, "late\n", 5) == 0);
		CHECK(conn_read_some(c, buf, sizeof(buf), deadline_in(10000)) == 0);
		CHECK(conn_tls_clean_eof(c));
		conn_close(c);
	}
	CHECK(exit_status(pid) == 0);
}

/* A peer that accepts and closes during the handshake: a handshake failure. */
static void
test_handshake_eof(void)
{
	struct tls_options o;
	struct conn_tls_result r;
	unsigned port;
	int l = listener(&port);

	base_options(&o);
	pid_t pid = fork();
	if (pid == 0) {
		char buf[4096];
		int fd = accept(l, NULL, NULL);
		/* Read the ClientHello first, so the close is a FIN and not a reset. */
		(void)!read(fd, buf, sizeof(buf));
		_exit(0);
	}
	close(l);
	CHECK(client(&o, port, "localhost", &r) == NULL);
	CHECK(r.status == CONN_TLS_HANDSHAKE && r.text[0] != '\0');
	printf("test_tls: EOF in the handshake: %s\n", r.text);
	exit_status(pid);
}

/* A peer that neither reads nor closes: our close gives up at its deadline. */
static void
test_close_bounded(void)
{
	struct tls_options so, co;
	struct conn_tls_result r;
	unsigned port;
	int l = listener(&port);

	cli_tls_init(&so);
	so.enabled = true;
	so.cert_file = cert("server.pem");
	so.key_file = cert("server.key");
	pid_t pid = fork();
	if (pid == 0) {
		struct conn_tls_config *cfg = conn_tls_config_new(&so, true, 2000, &r);
		int fd = accept(l, NULL, NULL);
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		struct conn *c = conn_tls_server(cfg, conn_fd_new(fd, false), &r);
		if (c == NULL || conn_tls_handshake(c, deadline_in(10000), &r) != CONN_TLS_OK)
			_exit(1);
		pause();
		_exit(0);
	}
	close(l);
	base_options(&co);
	struct conn_tls_config *cfg = conn_tls_config_new(&co, false, 300, &r);
	int fd = tcp_connect(port);
	struct conn *c = conn_tls_client(cfg, conn_fd_new(fd, false), "localhost", &r);
	CHECK(c != NULL && conn_tls_handshake(c, deadline_in(10000), &r) == CONN_TLS_OK);
	long long t0 = now_ms();
	conn_close(c);
	long long took = now_ms() - t0;
	CHECK(took >= 250 && took < 5000);
	conn_tls_config_free(cfg);
	kill(pid, SIGKILL);
	exit_status(pid);
}

#ifdef HAVE_TLS
/* Our pure protocols parser agrees with libtls' own on every case here. */
static void
test_protocols_grammar(void)
{
	const char *cases[] = {"all", "ALL", "legacy", "default", "secure", "tlsv1", "tlsv1.0",
	    "tlsv1.1", "tlsv1.2", "tlsv1.3", "TLSv1.3", "tlsv1.2,tlsv1.3", "tlsv1.2:tlsv1.3",
	    "!tlsv1.0", "!tlsv1.2,!tlsv1.3", "all,!tlsv1.1", " tlsv1.2", "tlsv1.2 ", "", ",",
	    "tlsv1.2,", "tlsv1.4", "sslv3", "!", "!!tlsv1.2", "tlsv1.2,!all", "secure:!tlsv1.3",
	    "\ttlsv1.3", "tlsv1.2,,tlsv1.3", "bogus"};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint32_t theirs = 0;
		unsigned ours = 0;
		bool ok_theirs = tls_config_parse_protocols(&theirs, cases[i]) == 0;
		bool ok_ours = cli_tls_parse_protocols(cases[i], &ours);
		CHECK(ok_theirs == ok_ours);
		CHECK(!ok_ours || ours == theirs);
		if (ok_theirs != ok_ours || (ok_ours && ours != theirs))
			fprintf(stderr, "protocols \"%s\": libtls %d %#x, ours %d %#x\n", cases[i],
			    ok_theirs, theirs, ok_ours, ours);
	}
}
#endif

/* Deterministic bytes: stream seed's n-th byte. */
static void
fill(unsigned char *buf, size_t len, uint64_t seed, uint64_t offset)
{
	for (size_t i = 0; i < len; i++) {
		uint64_t x = (offset + i) * 0x9e3779b97f4a7c15ull ^ seed;
		x ^= x >> 29;
		x *= 0xbf58476d1ce4e5b9ull;
		buf[i] = (unsigned char)(x >> 32);
	}
}

#define XFER (16u * 1024 * 1024)

/*
 * Sends XFER bytes of stream send_seed while reading until EOF, which must
 * be XFER bytes of stream recv_seed; with close_early the reading stops
 * once the sending ends and conn_close must still deliver every byte.
 * Returns 0 when all is well.
 */
static int
pump(struct conn *c, uint64_t send_seed, uint64_t recv_seed, bool close_early)
{
	static unsigned char out[256 * 1024], in[256 * 1024], want[256 * 1024];
	uint64_t sent = 0, got = 0;
	size_t olen = 0, ooff = 0;
	bool shut = false, eof = close_early;
	long long dl = deadline_in(120000);

	while (!shut || !eof) {
		if (!eof) {
			ssize_t n;
			while ((n = conn_read(c, in, sizeof(in))) > 0) {
				fill(want, (size_t)n, recv_seed, got);
				if (got + (uint64_t)n > XFER || memcmp(in, want, (size_t)n) != 0)
					return 1;
				got += (uint64_t)n;
			}
			if (n == 0)
				eof = true;
			else if (errno != EAGAIN)
				return 2;
		}
		while (!shut) {
			if (ooff == olen && sent < XFER) {
				olen = sent + sizeof(out) <= XFER ? sizeof(out) : XFER - sent;
				fill(out, olen, send_seed, sent);
				ooff = 0;
			}
			if (ooff == olen) {
				if (conn_shutdown_write(c) != 0)
					return 3;
				shut = true;
				break;
			}
			ssize_t n = conn_write(c, out + ooff, olen - ooff);
			if (n < 0 && errno == EAGAIN)
				break;
			if (n <= 0)
				return 4;
			ooff += (size_t)n;
			sent += (uint64_t)n;
		}
		if (shut && eof)
			break;
		if (!eof && conn_pending(c) > 0)
			continue;
		short want = (short)((eof ? 0 : POLLIN) | (shut ? 0 : POLLOUT));
		struct pollfd p = {.fd = c->fd, .events = conn_events(c, want)};
		if (poll(&p, 1, poll_timeout(dl)) <= 0)
			return 5;
	}
	if (!close_early && (got != XFER || !conn_tls_clean_eof(c)))
		return 6;
	conn_close(c);
	return 0;
}

static void
test_transfer(bool close_early, const char *protocols)
{
	struct tls_options so, co;
	struct conn_tls_result r;
	int l = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sin = {.sin_family = AF_INET};
	socklen_t sl = sizeof(sin);

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK(bind(l, (struct sockaddr *)&sin, sizeof(sin)) == 0 && listen(l, 1) == 0);
	getsockname(l, (struct sockaddr *)&sin, &sl);
	cli_tls_init(&so);
	so.enabled = true;
	so.cert_file = cert("server.pem");
	so.key_file = cert("server.key");
	so.protocols = protocols;
	base_options(&co);

	pid_t pid = fork();
	if (pid == 0) {
		/* The server: it reads everything, also when the client closes first. */
		struct conn_tls_config *cfg = conn_tls_config_new(&so, true, 5000, &r);
		int fd = cfg != NULL ? accept(l, NULL, NULL) : -1;
		if (fd < 0)
			_exit(20);
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
		struct conn *c = conn_tls_server(cfg, conn_fd_new(fd, false), &r);
		if (c == NULL || conn_tls_handshake(c, deadline_in(10000), &r) != CONN_TLS_OK)
			_exit(21);
		_exit(pump(c, 2, 1, false));
	}
	close(l);
	struct conn *c = client(&co, ntohs(sin.sin_port), "localhost", &r);
	CHECK(c != NULL);
	if (c != NULL)
		CHECK(pump(c, 1, 2, close_early) == 0);
	int status = -1;
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fprintf(stderr, "server side: status %d\n", status);
}

int
main(int argc, char **argv)
{
	char cmd[1024];

	if (!cli_tls_built_in()) {
		printf("test_tls: skipped: built without libtls\n");
		return 77;
	}
	if (argc < 2 || system("openssl version >/dev/null 2>&1") != 0) {
		printf("test_tls: skipped: no openssl(1) or no tls_certs.sh\n");
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);
	if (mkdtemp(certdir) == NULL)
		return 1;
	snprintf(cmd, sizeof(cmd), "sh '%s' '%s'", argv[1], certdir);
	if (system(cmd) != 0) {
		fprintf(stderr, "test_tls: %s failed\n", cmd);
		return 1;
	}
#ifdef HAVE_TLS
	test_protocols_grammar();
#endif
	test_verification();
	test_bare_eof();
	test_server_quits();
	test_server_checks();
	test_s_client();
	test_half_close_bare();
	test_handshake_eof();
	test_close_bounded();
	long long t0 = now_ms();
	test_transfer(false, NULL);
	printf("test_tls: 16 MiB each way in %lld ms\n", now_ms() - t0);
	test_transfer(true, NULL);
	test_transfer(false, "tlsv1.2");
	for (size_t i = 0; i < nconfigs; i++)
		conn_tls_config_free(configs[i]);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", certdir);
	if (system(cmd) != 0)
		return 1;
	return check_summary("test_tls");
}
