/* Telnet negotiation answers: a byte-at-a-time state machine and the layer that runs it. */
#include "conn/conn_telnet.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

enum {
	PH_DATA,
	PH_IAC,    /* after IAC */
	PH_VERB,   /* after IAC DO/DONT/WILL/WONT: the option byte comes next */
	PH_SB,     /* inside IAC SB ... */
	PH_SB_IAC, /* an IAC inside a subnegotiation */
};

void
telnet_init(struct telnet_state *t)
{
	t->phase = PH_DATA;
	t->verb = 0;
}

/* After IAC: what the command byte b starts. */
static void
command(struct telnet_state *t, uint8_t b)
{
	switch (b) {
	case TELNET_DO:
	case TELNET_DONT:
	case TELNET_WILL:
	case TELNET_WONT:
		t->verb = b;
		t->phase = PH_VERB;
		break;
	case TELNET_SB:
		t->phase = PH_SB;
		break;
	default: /* IAC IAC (a data byte 255), NOP, SE out of place, ...: nothing to answer */
		t->phase = PH_DATA;
		break;
	}
}

size_t
telnet_feed(struct telnet_state *t, const uint8_t *in, size_t len, uint8_t *out)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		uint8_t b = in[i];
		switch (t->phase) {
		case PH_DATA:
			if (b == TELNET_IAC)
				t->phase = PH_IAC;
			break;
		case PH_IAC:
			command(t, b);
			break;
		case PH_VERB:
			/* We do nothing and will do nothing: refuse, whichever side asked. */
			out[n++] = TELNET_IAC;
			out[n++] = t->verb == TELNET_DO || t->verb == TELNET_DONT ? TELNET_WONT :
			                                                            TELNET_DONT;
			out[n++] = b;
			t->phase = PH_DATA;
			break;
		case PH_SB:
			if (b == TELNET_IAC)
				t->phase = PH_SB_IAC;
			break;
		case PH_SB_IAC:
			if (b == TELNET_SE)
				t->phase = PH_DATA;
			else if (b == TELNET_IAC)
				t->phase = PH_SB;
			else
				/* A subnegotiation left open: take the command, lest it hide the rest. */
				command(t, b);
			break;
		}
	}
	return n;
}

/* Answers owed are bounded by the bytes read, so a read never takes more than there is room for. */
#define TELNET_QUEUE 16384

struct telnet_conn {
	struct conn c; /* first: what callers hold */
	struct telnet_state state;
	size_t queued;
	uint8_t queue[TELNET_QUEUE];
};

/* Sends the queued answers: 0 when none is left, -1 with errno (EAGAIN: some are). */
static int
flush(struct telnet_conn *tc)
{
	while (tc->queued > 0) {
		ssize_t n = conn_write(tc->c.below, tc->queue, tc->queued);
		if (n < 0)
			return -1;
		if (n == 0) {
			errno = EPIPE;
			return -1;
		}
		tc->queued -= (size_t)n;
		memmove(tc->queue, tc->queue + n, tc->queued);
	}
	return 0;
}

static bool
again(int err)
{
	return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

static ssize_t
telnet_read(struct conn *c, void *buf, size_t len)
{
	struct telnet_conn *tc = (struct telnet_conn *)c;
	size_t room;
	ssize_t n;

	/*
	 * An answer the socket refuses for good is dropped: the peer's data is
	 * still worth reading, and the next write meets the same error.
	 */
	if (flush(tc) < 0 && !again(errno))
		tc->queued = 0;
	room = sizeof(tc->queue) - tc->queued;
	if (room <= 2) {
		/* The peer asks faster than it takes answers: wait until it reads (events: POLLOUT). */
		errno = EAGAIN;
		return -1;
	}
	if (len > room - 2)
		len = room - 2;
	n = conn_read(c->below, buf, len);
	if (n > 0) {
		tc->queued += telnet_feed(&tc->state, buf, (size_t)n, tc->queue + tc->queued);
		/* Answer now if the socket takes it; what it does not take waits for the next call. */
		int saved = errno;
		(void)flush(tc);
		errno = saved;
	}
	return n;
}

static ssize_t
telnet_write(struct conn *c, const void *buf, size_t len)
{
	struct telnet_conn *tc = (struct telnet_conn *)c;

	/* The answers go first: they were owed before these bytes were written. */
	if (flush(tc) < 0)
		return -1;
	return conn_write(c->below, buf, len);
}

static int
telnet_shutdown_write(struct conn *c)
{
	(void)flush((struct telnet_conn *)c);
	return conn_shutdown_write(c->below);
}

static short
telnet_events(struct conn *c, short wanted)
{
	if (((struct telnet_conn *)c)->queued > 0)
		wanted |= POLLOUT;
	return conn_events(c->below, wanted);
}

static size_t
telnet_pending(struct conn *c)
{
	return conn_pending(c->below);
}

static void
telnet_close(struct conn *c)
{
	conn_close(c->below);
	free(c);
}

static const struct conn_ops telnet_ops = {
    .name = "telnet",
    .read = telnet_read,
    .write = telnet_write,
    .shutdown_write = telnet_shutdown_write,
    .events = telnet_events,
    .pending = telnet_pending,
    .close = telnet_close,
};

struct conn *
conn_telnet_new(struct conn *below)
{
	struct telnet_conn *tc = calloc(1, sizeof(*tc));

	if (tc == NULL)
		return NULL;
	tc->c.ops = &telnet_ops;
	tc->c.fd = below->fd;
	tc->c.datagram = below->datagram;
	tc->c.below = below;
	telnet_init(&tc->state);
	return &tc->c;
}
