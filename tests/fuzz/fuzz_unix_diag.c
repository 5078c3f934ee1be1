/*
 * The kernel's list of Unix sockets (net_unix.c unix_diag_scan): netlink
 * messages answering a unix_diag dump, read to learn whether a live socket
 * serves a socket file. The first byte picks a mode.
 *
 * Raw: the input as the reply, in an allocation of exactly its size, so a
 * read past len is an ASan report; *err is set only for FAILED, and then
 * to an errno value (EBADMSG for a malformed reply, else the kernel's).
 *
 * Built: well-formed messages that the input describes (socket entries of
 * this request or another, with attributes that match the file or not,
 * DONE, ERROR and other types), and the verdict they call for, worked out
 * here from the protocol: SERVED for a listener or datagram socket whose
 * VFS attribute is the file's, NONE at DONE, FAILED with the kernel's code
 * at a negative error, MORE when nothing decided.
 */
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>
#include <stdbool.h>

#include "fuzz.h"
#include "net/net_unix.h"

#define SENTINEL (-12345)

static void
raw(const uint8_t *data, size_t size)
{
	uint32_t seq = (uint32_t)fuzz_take(&data, &size, 4);
	uint32_t ino = (uint32_t)fuzz_take(&data, &size, 4);
	uint32_t dev = (uint32_t)fuzz_take(&data, &size, 4);
	uint8_t *buf = fuzz_dup(data, size);
	int err = SENTINEL;

	enum unix_diag_scan r = unix_diag_scan(buf, size, seq, ino, dev, &err);
	if (r == UNIX_DIAG_FAILED)
		FUZZ_CHECK(err > 0 && err <= 4095); /* an errno value, for strerror */
	else
		FUZZ_CHECK(err == SENTINEL &&
		    (r == UNIX_DIAG_MORE || r == UNIX_DIAG_NONE || r == UNIX_DIAG_SERVED));
	/* Nothing at all is nothing decided. */
	if (size == 0)
		FUZZ_CHECK(r == UNIX_DIAG_MORE);
	free(buf);
}

struct reply {
	uint8_t *buf;
	size_t len, cap;
};

static void *
room(struct reply *r, size_t n)
{
	while (r->len + n > r->cap) {
		r->cap = r->cap * 2 + 256;
		r->buf = realloc(r->buf, r->cap);
		if (r->buf == NULL)
			abort();
	}
	void *p = r->buf + r->len;
	memset(p, 0, n);
	r->len += n;
	return p;
}

/* A message of type and seq whose body is body[0..blen): header, body, padding to align. */
static void
message(struct reply *r, uint16_t type, uint32_t seq, const uint8_t *body, size_t blen)
{
	struct nlmsghdr h = {
	    .nlmsg_len = (uint32_t)(NLMSG_HDRLEN + blen),
	    .nlmsg_type = type,
	    .nlmsg_flags = NLM_F_MULTI,
	    .nlmsg_seq = seq,
	};
	memcpy(room(r, NLMSG_HDRLEN), &h, sizeof(h));
	memcpy(room(r, blen), body, blen);
	room(r, NLMSG_ALIGN(blen) - blen);
}

struct expect {
	bool decided;
	enum unix_diag_scan r;
	int err;
};

static void
decide(struct expect *x, enum unix_diag_scan r, int err)
{
	if (!x->decided)
		*x = (struct expect){.decided = true, .r = r, .err = err};
}

/* One socket entry: its type and state, and attributes, some VFS. True if it serves the file. */
static bool
entry(const uint8_t **data, size_t *size, uint32_t ino, uint32_t dev, uint8_t *body, size_t *blen)
{
	static const uint8_t types[] = {SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET};
	struct unix_diag_msg m = {
	    .udiag_family = AF_UNIX,
	    .udiag_type = types[fuzz_take(data, size, 1) % 3],
	    .udiag_state = (uint8_t)fuzz_take(data, size, 1),
	    .udiag_ino = (uint32_t)fuzz_take(data, size, 4),
	};
	if (m.udiag_state & 0x80)
		m.udiag_state = TCP_LISTEN;
	bool live = m.udiag_type == SOCK_DGRAM || m.udiag_state == TCP_LISTEN, match = false;
	size_t n = NLMSG_ALIGN(sizeof(m));
	int nattrs = (int)fuzz_take(data, size, 1) % 4;

	memcpy(body, &m, sizeof(m));
	for (int i = 0; i < nattrs; i++) {
		uint8_t kind = (uint8_t)fuzz_take(data, size, 1);
		struct rtattr a;
		size_t plen;
		uint8_t payload[16] = {0};
		if (kind % 3 == 0) {
			/* The file's VFS attribute, or a near miss. */
			struct unix_diag_vfs v = {.udiag_vfs_ino = ino, .udiag_vfs_dev = dev};
			if (kind & 0x10)
				v.udiag_vfs_ino ^= 1;
			if (kind & 0x20)
				v.udiag_vfs_dev ^= 0x100000;
			match |= !(kind & 0x30);
			a.rta_type = UNIX_DIAG_VFS;
			plen = sizeof(v);
			memcpy(payload, &v, sizeof(v));
		} else if (kind % 3 == 1) {
			/* A VFS attribute too short to hold the file: not read as one. */
			a.rta_type = UNIX_DIAG_VFS;
			plen = kind / 3 % 8;
			memset(payload, 0xff, plen);
		} else {
			a.rta_type = (uint16_t)(UNIX_DIAG_NAME + kind / 3 % 8);
			if (a.rta_type == UNIX_DIAG_VFS)
				a.rta_type = UNIX_DIAG_PEER;
			plen = kind / 24 % 13;
			memset(payload, 0x5a, plen);
		}
		a.rta_len = (uint16_t)RTA_LENGTH(plen);
		memcpy(body + n, &a, sizeof(a));
		memcpy(body + n + RTA_LENGTH(0), payload, plen);
		/* The last attribute need not be padded: the message's length says where it ends. */
		n += i + 1 < nattrs ? RTA_ALIGN(a.rta_len) : a.rta_len;
	}
	*blen = n;
	return live && match;
}

static void
built(const uint8_t *data, size_t size)
{
	uint32_t seq = (uint32_t)fuzz_take(&data, &size, 4);
	uint32_t ino = (uint32_t)fuzz_take(&data, &size, 4);
	uint32_t dev = (uint32_t)fuzz_take(&data, &size, 4);
	struct reply r = {0};
	struct expect x = {.r = UNIX_DIAG_MORE};
	uint8_t body[256];
	size_t blen;

	for (int i = 0; i < 12 && size > 0; i++) {
		uint8_t kind = (uint8_t)fuzz_take(&data, &size, 1);
		bool ours = !(kind & 0x80);
		uint32_t s = ours ? seq : seq ^ (1u + (kind & 0x40));
		switch (kind % 4) {
		case 0: {
			bool serves = entry(&data, &size, ino, dev, body, &blen);
			message(&r, SOCK_DIAG_BY_FAMILY, s, body, blen);
			if (ours && serves)
				decide(&x, UNIX_DIAG_SERVED, 0);
			break;
		}
		case 1:
		case 2: {
			/* DONE carries an int, ERROR a struct nlmsgerr: the code first either way. */
			bool done = kind % 4 == 1;
			int32_t e = (int32_t)fuzz_take(&data, &size, 4);
			struct nlmsgerr ne = {.error = e};
			memcpy(body, &ne, sizeof(ne));
			message(&r, done ? NLMSG_DONE : NLMSG_ERROR, s, body,
			    done ? sizeof(int) : sizeof(ne));
			if (ours && e < 0)
				decide(&x, UNIX_DIAG_FAILED, e >= -4095 ? -e : EBADMSG);
			else if (ours && done)
				decide(&x, UNIX_DIAG_NONE, 0);
			break;
		}
		default: {
			/* A type the scan does not know (NLMSG_NOOP, ...): skipped. */
			blen = fuzz_take(&data, &size, 1) % 24;
			memset(body, 0x33, blen);
			message(&r, (uint16_t)(kind & 0x20 ? NLMSG_NOOP : 0x77), s, body, blen);
			break;
		}
		}
	}
	uint8_t *buf = fuzz_dup(r.buf, r.len);
	int err = SENTINEL;
	enum unix_diag_scan got = unix_diag_scan(buf, r.len, seq, ino, dev, &err);
	FUZZ_CHECK(got == x.r);
	FUZZ_CHECK(err == (x.r == UNIX_DIAG_FAILED ? x.err : SENTINEL));
	free(buf);
	free(r.buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fuzz_take(&data, &size, 1) & 1)
		built(data, size);
	else
		raw(data, size);
	return 0;
}
