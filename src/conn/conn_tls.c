/*
 * The TLS layer. libtls does the protocol; the bytes go through the
 * callbacks below, over the connection this layer wraps, for three reasons:
 * a bare EOF from the peer is told apart from a broken record (OpenSSL 3
 * calls both errors, and libretls has no switch for it); a write always
 * completes inside libtls (ciphertext the kernel refuses waits in our
 * queue), so no half-sent record pins the caller's buffer; and a read asks
 * the kernel for a large block instead of OpenSSL's 5-byte header reads.
 */
#include "conn/conn_tls.h"

#include <bsd/string.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <tls.h>

#include "util/util_time.h"

/* Ciphertext read ahead: a few records per read(2). */
#define RBUF_SIZE (64 * 1024)
/* OpenSSL asks this much or more for a record's body: read it in place. */
#define RBUF_DIRECT 4096
/* Plaintext per tls_write, which bounds the queue of unsent ciphertext. */
#define WRITE_CHUNK (128 * 1024)

struct tls_conn {
	struct conn conn; /* first: the ops get a struct conn * */
	struct tls *tls;
	const struct conn_tls_config *cfg;
	bool server;
	bool handshaken;
	bool sent_close;    /* close_notify is queued or sent */
	bool fin_sent;      /* and the layer below was told */
	bool read_eof;      /* the peer's side ended */
	bool clean_eof;     /* with close_notify */
	bool transport_eof; /* the layer below read 0 */
	bool maybe_pending; /* the last read filled the buffer: libtls may hold more */
	bool eof_told;      /* a read has returned the end of input */
	int transport_errno;
	short read_wants, write_wants; /* what libtls last waited for */
	char err[256];
	unsigned char *rbuf;
	size_t roff, rlen;
	unsigned char *wbuf;
	size_t woff, wlen, wcap;
};

static const struct conn_ops tls_ops;

static bool
again(int e)
{
	return e == EAGAIN || e == EWOULDBLOCK;
}

/* Sends queued ciphertext: 0 once the queue is empty, EAGAIN, or an errno. */
static int
flush_out(struct tls_conn *t)
{
	if (t->transport_errno != 0)
		return t->transport_errno;
	while (t->woff < t->wlen) {
		ssize_t n = conn_write(t->conn.below, t->wbuf + t->woff, t->wlen - t->woff);
		if (n > 0) {
			t->woff += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && again(errno))
			return EAGAIN;
		t->transport_errno = n < 0 ? errno : EPIPE;
		return t->transport_errno;
	}
	t->woff = t->wlen = 0;
	/* The TCP FIN goes after close_notify, never before it. */
	if (t->sent_close && !t->fin_sent) {
		t->fin_sent = true;
		conn_shutdown_write(t->conn.below);
	}
	return 0;
}

static bool
queue_out(struct tls_conn *t, const unsigned char *p, size_t len)
{
	if (t->woff > 0 && t->wlen + len > t->wcap) {
		memmove(t->wbuf, t->wbuf + t->woff, t->wlen - t->woff);
		t->wlen -= t->woff;
		t->woff = 0;
	}
	if (t->wlen + len > t->wcap) {
		size_t cap = t->wlen + len + 16 * 1024;
		unsigned char *b = realloc(t->wbuf, cap);
		if (b == NULL)
			return false;
		t->wbuf = b;
		t->wcap = cap;
	}
	memcpy(t->wbuf + t->wlen, p, len);
	t->wlen += len;
	return true;
}

static ssize_t
cb_write(struct tls *ctx, const void *buf, size_t len, void *arg)
{
	struct tls_conn *t = arg;
	size_t done = 0;
	(void)ctx;

	int e = flush_out(t);
	if (e != 0 && e != EAGAIN) {
		errno = e;
		return -1;
	}
	while (t->wlen == 0 && done < len) {
		ssize_t n = conn_write(t->conn.below, (const char *)buf + done, len - done);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && again(errno))
			break;
		t->transport_errno = n < 0 ? errno : EPIPE;
		errno = t->transport_errno;
		return -1;
	}
	if (done < len && !queue_out(t, (const unsigned char *)buf + done, len - done)) {
		errno = ENOMEM;
		return -1;
	}
	return (ssize_t)len;
}

static ssize_t
serve_rbuf(struct tls_conn *t, void *buf, size_t len)
{
	size_t n = t->rlen - t->roff < len ? t->rlen - t->roff : len;

	memcpy(buf, t->rbuf + t->roff, n);
	t->roff += n;
	if (t->roff == t->rlen)
		t->roff = t->rlen = 0;
	return (ssize_t)n;
}

/*
 * The layer below ended without close_notify. During the handshake that is
 * libtls' error to word. After it, OpenSSL 3 would make it a fatal error,
 * send the peer an alert and refuse our writes; "try later" keeps the
 * session whole and tls_conn_read() reports the end of input.
 */
static ssize_t
bare_eof(const struct tls_conn *t)
{
	return t->handshaken ? TLS_WANT_POLLIN : 0;
}

static ssize_t
cb_read(struct tls *ctx, void *buf, size_t len, void *arg)
{
	struct tls_conn *t = arg;
	(void)ctx;

	if (t->roff < t->rlen)
		return serve_rbuf(t, buf, len);
	if (t->transport_eof)
		return bare_eof(t);
	for (;;) {
		bool direct = len >= RBUF_DIRECT || t->rbuf == NULL;
		ssize_t n = direct ? conn_read(t->conn.below, buf, len) :
		                     conn_read(t->conn.below, t->rbuf, RBUF_SIZE);
		if (n > 0 && direct)
			return n;
		if (n > 0) {
			t->rlen = (size_t)n;
			return serve_rbuf(t, buf, len);
		}
		if (n == 0) {
			t->transport_eof = true;
			return bare_eof(t);
		}
		if (errno == EINTR)
			continue;
		if (again(errno))
			return TLS_WANT_POLLIN;
		t->transport_errno = errno;
		return -1;
	}
}

/*
 * The words for the failure into t->err: the transport's error when the
 * socket failed (libtls words it with an errno that OpenSSL has clobbered
 * by then: "read failed: Success"), else libtls' text.
 */
static const char *
note_error(struct tls_conn *t)
{
	const char *e = t->transport_errno != 0 ? strerror(t->transport_errno) : tls_error(t->tls);

	if (e == NULL && t->transport_eof)
		e = "unexpected EOF";
	strlcpy(t->err, e != NULL ? e : "unknown error", sizeof(t->err));
	return t->err;
}

static short
want_event(ssize_t rv)
{
	return rv == TLS_WANT_POLLOUT ? POLLOUT : POLLIN;
}

static ssize_t
tls_conn_read(struct conn *c, void *buf, size_t len)
{
	struct tls_conn *t = (struct tls_conn *)c;

	if (t->woff < t->wlen)
		flush_out(t); /* a failure shows in the read that follows */
	if (t->read_eof || len == 0) {
		t->eof_told = t->read_eof;
		return 0;
	}
	/*
	 * A read gives one record (16 KiB at most): take every record already
	 * here, so that the caller makes one write and one poll for many.
	 * What stops the loop (end, error) shows again on the next call.
	 */
	size_t got = 0;
	ssize_t n;
	for (;;) {
		size_t before = t->roff;
		n = tls_read(t->tls, (char *)buf + got, len - got);
		if (n > 0) {
			got += (size_t)n;
			if (got == len)
				break;
			continue;
		}
		/*
		 * A record that is no data (a TLS 1.3 session ticket) ends a
		 * read with "want input" though the next record is already in
		 * our buffer: poll would never say so. Go on while it moves.
		 */
		if (n == TLS_WANT_POLLIN && t->roff < t->rlen && t->roff != before)
			continue;
		break;
	}
	if (got > 0) {
		/* close_notify right behind the data: the next read says so, without a poll. */
		if (n == 0)
			t->read_eof = t->clean_eof = true;
		t->maybe_pending = got == len;
		t->read_wants = POLLIN;
		return (ssize_t)got;
	}
	t->maybe_pending = false;
	if (n == 0) {
		t->read_eof = t->clean_eof = t->eof_told = true;
		return 0;
	}
	if (n == TLS_WANT_POLLIN || n == TLS_WANT_POLLOUT) {
		/* The peer went away without close_notify: end of input all the same. */
		if (t->transport_eof && t->roff == t->rlen) {
			t->read_eof = t->eof_told = true;
			return 0;
		}
		t->read_wants = want_event(n);
		errno = EAGAIN;
		return -1;
	}
	note_error(t);
	/* A socket error is the socket's, as on a plain connection: "read: ...". */
	errno = t->transport_errno != 0 ? t->transport_errno : EIO;
	return -1;
}

static ssize_t
tls_conn_write(struct conn *c, const void *buf, size_t len)
{
	struct tls_conn *t = (struct tls_conn *)c;

	if (t->sent_close) {
		errno = EPIPE;
		return -1;
	}
	int e = flush_out(t);
	if (e != 0) {
		if (again(e))
			t->write_wants = POLLOUT;
		errno = e;
		return -1;
	}
	if (len == 0)
		return 0;
	/*
	 * libtls writes one record per call: go on while the kernel takes the
	 * ciphertext (nothing queued), up to WRITE_CHUNK, so that the caller
	 * polls once for many records.
	 */
	size_t done = 0, want = len < WRITE_CHUNK ? len : WRITE_CHUNK;
	ssize_t n;
	while ((n = tls_write(t->tls, (const char *)buf + done, want - done)) > 0) {
		done += (size_t)n;
		if (done == want || t->woff < t->wlen)
			break;
	}
	if (done > 0) {
		t->write_wants = POLLOUT;
		return (ssize_t)done;
	}
	if (n == TLS_WANT_POLLIN || n == TLS_WANT_POLLOUT) {
		t->write_wants = want_event(n);
		errno = EAGAIN;
		return -1;
	}
	note_error(t);
	errno = t->transport_errno != 0 ? t->transport_errno : EIO;
	return -1;
}

static int
tls_conn_shutdown_write(struct conn *c)
{
	struct tls_conn *t = (struct tls_conn *)c;

	if (t->sent_close)
		return 0;
	if (t->handshaken && tls_close(t->tls) == -1)
		note_error(t);
	/* Set only now: flush_out() sends the FIN once the queue is empty. */
	t->sent_close = true;
	/* What the kernel does not take now goes out on later reads or at close. */
	int e = flush_out(t);
	if (e != 0 && !again(e)) {
		errno = e;
		return -1;
	}
	return 0;
}

static short
tls_conn_events(struct conn *c, short wanted)
{
	struct tls_conn *t = (struct tls_conn *)c;
	short ev = 0;

	if (wanted & POLLIN)
		ev |= t->read_wants;
	if (wanted & POLLOUT)
		ev |= t->write_wants;
	if (t->woff < t->wlen)
		ev |= POLLOUT;
	return conn_events(t->conn.below, ev);
}

static size_t
tls_conn_pending(struct conn *c)
{
	struct tls_conn *t = (struct tls_conn *)c;

	if (t->read_eof)
		return t->eof_told ? 0 : 1;
	return (t->rlen - t->roff) + (t->maybe_pending ? 1 : 0) + conn_pending(t->conn.below);
}

/* Polls for what libtls asked (and for our queue to drain): 0 or an errno. */
static int
wait_for(struct tls_conn *t, short want, long long deadline)
{
	int e = flush_out(t);
	if (e != 0 && !again(e))
		return e;
	if (want == POLLIN && (t->roff < t->rlen || conn_pending(t->conn.below) > 0))
		return 0;
	return conn_poll_fd(t->conn.fd,
	    conn_events(t->conn.below, (short)(want | (t->woff < t->wlen ? POLLOUT : 0))), deadline);
}

static void
tls_conn_close(struct conn *c)
{
	struct tls_conn *t = (struct tls_conn *)c;
	long long deadline = now_ms() + t->cfg->close_ms;

	if (t->handshaken) {
		tls_conn_shutdown_write(c);
		while (t->woff < t->wlen && wait_for(t, POLLOUT, deadline) == 0)
			;
		/*
		 * Read what the peer still sends up to its close_notify or EOF:
		 * closing a socket with unread data makes the kernel send a
		 * reset, and the peer's kernel then drops what we sent last.
		 */
		char scratch[16384];
		while (!t->read_eof && t->transport_errno == 0) {
			ssize_t n = tls_conn_read(c, scratch, sizeof(scratch));
			if (n > 0)
				continue;
			if (n == 0 || !again(errno) || wait_for(t, t->read_wants, deadline) != 0)
				break;
		}
	}
	tls_free(t->tls);
	free(t->rbuf);
	free(t->wbuf);
	conn_close(t->conn.below);
	free(t);
}

static const struct conn_ops tls_ops = {
    .name = "tls",
    .read = tls_conn_read,
    .write = tls_conn_write,
    .shutdown_write = tls_conn_shutdown_write,
    .events = tls_conn_events,
    .pending = tls_conn_pending,
    .close = tls_conn_close,
};

static struct tls_conn *
tls_conn_new(struct conn_tls_config *cfg, struct conn *below, bool server)
{
	struct tls_conn *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->conn.ops = &tls_ops;
	t->conn.fd = below->fd;
	t->conn.below = below;
	t->cfg = cfg;
	t->server = server;
	t->read_wants = POLLIN;
	t->write_wants = POLLOUT;
	t->rbuf = malloc(RBUF_SIZE); /* without it, reads go straight in */
	return t;
}

static void
tls_conn_discard(struct tls_conn *t)
{
	tls_free(t->tls);
	free(t->rbuf);
	free(t);
}

struct conn *
conn_tls_client(struct conn_tls_config *cfg, struct conn *below, const char *servername,
    struct conn_tls_result *r)
{
	struct tls_conn *t = tls_conn_new(cfg, below, false);

	conn_tls_result_clear(r);
	if (t == NULL || (t->tls = tls_client()) == NULL) {
		free(t != NULL ? t->rbuf : NULL);
		free(t);
		conn_tls_fail(r, CONN_TLS_NO_CLIENT, NULL);
		return NULL;
	}
	if (tls_configure(t->tls, cfg->cfg) == -1) {
		conn_tls_fail(r, CONN_TLS_CONFIGURE, tls_error(t->tls));
		tls_conn_discard(t);
		return NULL;
	}
	if (tls_connect_cbs(t->tls, cb_read, cb_write, t, servername) == -1) {
		conn_tls_fail(r, CONN_TLS_CONNECT, tls_error(t->tls));
		tls_conn_discard(t);
		return NULL;
	}
	return &t->conn;
}

struct conn *
conn_tls_server(struct conn_tls_config *cfg, struct conn *below, struct conn_tls_result *r)
{
	struct tls_conn *t = tls_conn_new(cfg, below, true);

	conn_tls_result_clear(r);
	if (t == NULL || cfg->server == NULL) {
		free(t != NULL ? t->rbuf : NULL);
		free(t);
		conn_tls_fail(r, CONN_TLS_NO_SERVER, NULL);
		return NULL;
	}
	if (tls_accept_cbs(cfg->server, &t->tls, cb_read, cb_write, t) == -1) {
		conn_tls_fail(r, CONN_TLS_ACCEPT, tls_error(cfg->server));
		tls_conn_discard(t);
		return NULL;
	}
	return &t->conn;
}

enum conn_tls_status
conn_tls_handshake(struct conn *c, long long deadline, struct conn_tls_result *r)
{
	struct tls_conn *t = (struct tls_conn *)c;

	conn_tls_result_clear(r);
	for (;;) {
		int rv = tls_handshake(t->tls);
		if (rv == 0)
			break;
		if (rv != TLS_WANT_POLLIN && rv != TLS_WANT_POLLOUT)
			return conn_tls_fail(r, CONN_TLS_HANDSHAKE, note_error(t));
		int e = wait_for(t, want_event(rv), deadline);
		if (e != 0)
			return conn_tls_fail(r, CONN_TLS_HANDSHAKE, strerror(e));
	}
	/* Our last flight may still sit in the queue. */
	while (t->woff < t->wlen) {
		int e = wait_for(t, POLLOUT, deadline);
		if (e != 0)
			return conn_tls_fail(r, CONN_TLS_HANDSHAKE, strerror(e));
	}
	if (t->transport_errno != 0)
		return conn_tls_fail(r, CONN_TLS_HANDSHAKE, strerror(t->transport_errno));
	t->handshaken = true;
	conn_tls_fill_facts(t->tls, t->cfg, t->server, &r->facts);
	return conn_tls_check_peer(t->tls, t->cfg, t->server, r);
}

bool
conn_is_tls(const struct conn *c)
{
	return c != NULL && c->ops == &tls_ops;
}

const char *
conn_tls_error(const struct conn *c)
{
	if (!conn_is_tls(c))
		return NULL;
	const struct tls_conn *t = (const struct tls_conn *)c;
	return t->err[0] != '\0' ? t->err : NULL;
}

bool
conn_tls_clean_eof(const struct conn *c)
{
	return conn_is_tls(c) && ((const struct tls_conn *)c)->clean_eof;
}
