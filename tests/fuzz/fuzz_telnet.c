/*
 * -t (conn_telnet.c): the state machine that answers a peer's telnet
 * negotiation, and the layer that runs it over a connection.
 *
 * Input: a byte P, P pattern bytes, then the peer's bytes. The answers to
 * the peer's bytes are the same however they are split across calls (the
 * pattern gives the splits); each call writes at most len + 2 bytes into an
 * allocation of exactly that size; every answer is IAC WONT or IAC DONT and
 * an option, answering an IAC DO/DONT/WILL/WONT with that option in the
 * input, in order. Through the layer, over a fake connection that hands
 * the bytes over in the pattern's pieces and takes the answers in pieces
 * or not at all (EAGAIN), the reader gets the peer's bytes unchanged and
 * the peer gets exactly the answers.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>

#include "conn/conn_telnet.h"
#include "fuzz.h"

struct pattern {
	const uint8_t *v;
	size_t n, at;
};

static uint8_t
next(struct pattern *p)
{
	if (p->n == 0)
		return 1;
	uint8_t b = p->v[p->at % p->n];
	p->at++;
	return b;
}

/* One call of telnet_feed on in[0..len), with exactly the room the header asks for. */
static size_t
feed_once(struct telnet_state *t, const uint8_t *in, size_t len, uint8_t *answers)
{
	uint8_t *copy = fuzz_dup(in, len), *out = fuzz_malloc(len + 2);
	size_t n = telnet_feed(t, copy, len, out);

	FUZZ_CHECK(n <= len + 2);
	FUZZ_CHECK(memcmp(copy, in, len) == 0); /* the peer's bytes are not touched */
	memcpy(answers, out, n);
	free(copy);
	free(out);
	return n;
}

/* Feeds in[0..len) in pieces of the pattern's sizes (0 included); the answers' length. */
static size_t
feed_split(const uint8_t *in, size_t len, struct pattern *p, uint8_t *answers)
{
	struct telnet_state t;
	size_t at = 0, n = 0;

	telnet_init(&t);
	while (at < len) {
		size_t k = next(p) % 17;
		if (k == 0) {
			n += feed_once(&t, in + at, 0, answers + n);
			k = 1;
		}
		if (k > len - at)
			k = len - at;
		n += feed_once(&t, in + at, k, answers + n);
		at += k;
	}
	return n;
}

/* Every answer is IAC WONT/DONT X, answering an IAC DO/DONT/WILL/WONT X of the input, in order. */
static void
check_answers(const uint8_t *in, size_t len, const uint8_t *a, size_t n)
{
	size_t from = 0;

	FUZZ_CHECK(n % 3 == 0 && n <= len);
	for (size_t i = 0; i < n; i += 3) {
		FUZZ_CHECK(
		    a[i] == TELNET_IAC && (a[i + 1] == TELNET_WONT || a[i + 1] == TELNET_DONT));
		bool found = false;
		for (; from + 2 < len && !found; from++) {
			uint8_t v = in[from + 1];
			found = in[from] == TELNET_IAC && in[from + 2] == a[i + 2] &&
			    (a[i + 1] == TELNET_WONT ? v == TELNET_DO || v == TELNET_DONT :
			                               v == TELNET_WILL || v == TELNET_WONT);
		}
		FUZZ_CHECK(found);
		from += 2;
	}
}

/* ---- The layer, over a connection in memory ------------------------------------ */

struct fake {
	struct conn c;
	const uint8_t *in;
	size_t len, at;
	uint8_t *sent;
	size_t nsent;
	struct pattern *p;
	bool refused; /* the last call said EAGAIN: the next one goes on */
	bool closed;
};

static ssize_t
fake_read(struct conn *c, void *buf, size_t len)
{
	struct fake *f = (struct fake *)c;
	uint8_t k = next(f->p);

	if (f->at == f->len)
		return 0;
	if (k % 8 == 0 && !f->refused) {
		f->refused = true;
		errno = EAGAIN;
		return -1;
	}
	f->refused = false;
	size_t n = k >= 0xf0 ? f->len - f->at : 1 + k % 64;
	if (n > len)
		n = len;
	if (n > f->len - f->at)
		n = f->len - f->at;
	memcpy(buf, f->in + f->at, n);
	f->at += n;
	return (ssize_t)n;
}

static ssize_t
fake_write(struct conn *c, const void *buf, size_t len)
{
	struct fake *f = (struct fake *)c;
	uint8_t k = next(f->p);

	if (len == 0)
		return 0;
	if (k % 5 == 0 && !f->refused) {
		f->refused = true;
		errno = EAGAIN;
		return -1;
	}
	f->refused = false;
	size_t n = k >= 0xf0 ? len : 1 + k % 7;
	if (n > len)
		n = len;
	f->sent = realloc(f->sent, f->nsent + n);
	if (f->sent == NULL)
		abort();
	memcpy(f->sent + f->nsent, buf, n);
	f->nsent += n;
	return (ssize_t)n;
}

static int
fake_shutdown(struct conn *c)
{
	(void)c;
	return 0;
}

static short
fake_events(struct conn *c, short wanted)
{
	(void)c;
	return wanted;
}

static size_t
fake_pending(struct conn *c)
{
	(void)c;
	return 0;
}

static void
fake_close(struct conn *c)
{
	((struct fake *)c)->closed = true;
}

static const struct conn_ops fake_ops = {
    .name = "fake",
    .read = fake_read,
    .write = fake_write,
    .shutdown_write = fake_shutdown,
    .events = fake_events,
    .pending = fake_pending,
    .close = fake_close,
};

static void
layer(const uint8_t *in, size_t len, struct pattern *p, const uint8_t *answers, size_t nanswers)
{
	struct fake f = {.c = {.ops = &fake_ops, .fd = -1}, .in = in, .len = len, .p = p};
	struct conn *t = conn_telnet_new(&f.c);
	uint8_t *got = fuzz_malloc(len);
	size_t ngot = 0;
	bool eof = false;

	FUZZ_CHECK(t != NULL);
	for (size_t round = 0; !eof; round++) {
		FUZZ_CHECK(round < 4 * len + 64);
		size_t want = next(p) >= 0x80 ? 4096 : 1 + next(p) % 32;
		uint8_t *buf = fuzz_malloc(want);
		ssize_t n = conn_read(t, buf, want);
		if (n > 0) {
			FUZZ_CHECK((size_t)n <= want && ngot + (size_t)n <= len);
			memcpy(got + ngot, buf, (size_t)n);
			ngot += (size_t)n;
		} else if (n == 0) {
			eof = true;
		} else {
			FUZZ_CHECK(errno == EAGAIN);
		}
		free(buf);
	}
	FUZZ_CHECK(ngot == len && memcmp(got, in, len) == 0);
	/* What is still queued goes out before the next write. */
	for (size_t round = 0; conn_events(t, 0) & POLLOUT; round++) {
		FUZZ_CHECK(round < 2 * nanswers + 8);
		if (conn_write(t, "", 0) < 0)
			FUZZ_CHECK(errno == EAGAIN);
	}
	FUZZ_CHECK(
	    f.nsent == nanswers && (nanswers == 0 || memcmp(f.sent, answers, nanswers) == 0));
	conn_close(t);
	FUZZ_CHECK(f.closed);
	free(f.sent);
	free(got);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t np = fuzz_take(&data, &size, 1) % 16;
	if (np > size)
		np = size;
	struct pattern p = {.v = data, .n = np};
	const uint8_t *in = data + np;
	size_t len = size - np;
	/* split has room for answers that a bug makes too long, so that the check sees them. */
	uint8_t *whole = fuzz_malloc(len + 2), *split = fuzz_malloc(3 * len + 64);
	struct telnet_state t;

	telnet_init(&t);
	size_t n = feed_once(&t, in, len, whole);
	check_answers(in, len, whole, n);

	size_t m = feed_split(in, len, &p, split);
	FUZZ_CHECK(m == n && memcmp(split, whole, n) == 0);
	/* One cut at every point (at 32 of them in a long input: it is quadratic). */
	size_t step = len <= 128 ? 1 : len / 31 + 1;
	for (size_t k = 0; k <= len; k += step) {
		telnet_init(&t);
		m = feed_once(&t, in, k, split);
		m += feed_once(&t, in + k, len - k, split + m);
		FUZZ_CHECK(m == n && memcmp(split, whole, n) == 0);
	}
	p.at = 0;
	layer(in, len, &p, whole, n);
	free(whole);
	free(split);
	return 0;
}
