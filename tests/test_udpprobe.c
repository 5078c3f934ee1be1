/* Unit tests of the UDP probe payload table and of reading ICMP errors. */
#include <errno.h>
#include <time.h>
#include <linux/errqueue.h>
#include <netinet/in.h>

#include "check.h"
#include "probe/probe_udp.h"

static unsigned
be16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static void
test_dns(void)
{
	unsigned char b[UDP_PROBE_PAYLOAD_MAX];
	size_t n = udp_probe_payload(53, b, sizeof(b));
	CHECK(n == 17);
	CHECK((b[2] & 0x80) == 0);  /* a query, not a response */
	CHECK(be16(b + 4) == 1);    /* one question */
	CHECK(be16(b + 6) == 0 && be16(b + 8) == 0 && be16(b + 10) == 0);
	CHECK(b[12] == 0);          /* the root name */
	CHECK(be16(b + 13) == 2);   /* NS */
	CHECK(be16(b + 15) == 1);   /* IN */
}

static void
test_ntp(void)
{
	unsigned char b[UDP_PROBE_PAYLOAD_MAX];
	size_t n = udp_probe_payload(123, b, sizeof(b));
	CHECK(n == 48);
	CHECK((b[0] & 7) == 3);         /* mode: client */
	CHECK(((b[0] >> 3) & 7) == 4);  /* version 4 */
	int nonzero = 0;
	for (int i = 40; i < 48; i++)
		nonzero |= b[i];
	CHECK(nonzero != 0); /* a transmit timestamp to echo */
}

/* Walks one BER TLV at p; returns its content length and sets *hdr to the header size. */
static size_t
ber(const unsigned char *p, unsigned char tag, size_t *hdr)
{
	CHECK(p[0] == tag);
	CHECK(p[1] < 0x80); /* short form throughout */
	*hdr = 2;
	return p[1];
}

static void
test_snmp(void)
{
	unsigned char b[UDP_PROBE_PAYLOAD_MAX];
	size_t n = udp_probe_payload(161, b, sizeof(b)), h;
	CHECK(n == 43);
	CHECK(ber(b, 0x30, &h) + h == n);            /* the message fills the datagram */
	const unsigned char *p = b + h;
	CHECK(ber(p, 0x02, &h) == 1 && p[2] == 1);   /* version: v2c */
	p += 3;
	CHECK(ber(p, 0x04, &h) == 6 && memcmp(p + 2, "public", 6) == 0);
	p += 8;
	size_t pdu = ber(p, 0xa0, &h);               /* GetRequest */
	CHECK(p + h + pdu == b + n);
	p += h;
	p += 2 + ber(p, 0x02, &h);                   /* request-id */
	CHECK(ber(p, 0x02, &h) == 1 && p[2] == 0);   /* error-status */
	p += 3;
	CHECK(ber(p, 0x02, &h) == 1 && p[2] == 0);   /* error-index */
	p += 3;
	CHECK(ber(p, 0x30, &h) == 14);               /* varbind list */
	p += 2;
	CHECK(ber(p, 0x30, &h) == 12);               /* one varbind */
	p += 2;
	static const unsigned char sysdescr[] = {0x2b, 6, 1, 2, 1, 1, 1, 0};
	CHECK(ber(p, 0x06, &h) == 8 && memcmp(p + 2, sysdescr, 8) == 0);
	p += 10;
	CHECK(p[0] == 0x05 && p[1] == 0 && p + 2 == b + n); /* NULL value, and the end */
}

static void
test_others(void)
{
	unsigned char b[UDP_PROBE_PAYLOAD_MAX];

	/* TFTP read request: opcode 1, file name, NUL, mode, NUL. */
	size_t n = udp_probe_payload(69, b, sizeof(b));
	CHECK(n > 4 && be16(b) == 1 && b[n - 1] == 0);
	CHECK(memcmp(b + n - 6, "octet", 5) == 0);
	/* RPC call to portmapper 100000 v2, procedure 0. */
	n = udp_probe_payload(111, b, sizeof(b));
	CHECK(n == 40 && b[7] == 0 && b[11] == 2 && be16(b + 14) == 0x86a0 && b[19] == 2);
	/* NetBIOS node status for "*". */
	n = udp_probe_payload(137, b, sizeof(b));
	CHECK(n == 50 && b[12] == 32 && b[13] == 'C' && b[14] == 'K' && be16(b + 46) == 0x21);
}

static void
test_default(void)
{
	unsigned char b[UDP_PROBE_PAYLOAD_MAX];

	CHECK(udp_probe_payload(7, b, sizeof(b)) == 1);
	CHECK(udp_probe_payload(20005, b, sizeof(b)) == 1);
	CHECK(udp_probe_payload(65535, b, sizeof(b)) == 1);
	/* No room, no probe: never a write past the buffer. */
	CHECK(udp_probe_payload(123, b, 47) == 0);
	CHECK(udp_probe_payload(9, b, 0) == 0);
}

static void
test_wait(void)
{
	struct nc_options o = {.sock.timeout_ms = -1};
	CHECK(udp_probe_wait(&o.sock) == UDP_PROBE_WAIT_MS);
	CHECK(UDP_PROBE_WAIT_MS <= 1000);
	o.sock.timeout_ms = 300;
	CHECK(udp_probe_wait(&o.sock) == 300);
	CHECK(probe_is_open(PROBE_OPEN) && probe_is_open(PROBE_OPEN_FILTERED));
	CHECK(!probe_is_open(PROBE_CLOSED) && !probe_is_open(PROBE_FILTERED));
	CHECK(!probe_is_open(PROBE_ERROR));
}

/* A control buffer holding one IP_RECVERR record of the given length. */
static struct msghdr
errqueue_msg(void *buf, size_t room, size_t cmsg_len, const struct sock_extended_err *ee)
{
	struct msghdr m = {.msg_control = buf, .msg_controllen = room};

	memset(buf, 0, room);
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_RECVERR;
	c->cmsg_len = cmsg_len;
	memcpy(CMSG_DATA(c), ee, sizeof(*ee));
	return m;
}

static void
test_errqueue(void)
{
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(sizeof(struct sock_extended_err) + sizeof(struct sockaddr_in))];
	} u;
	struct sock_extended_err ee = {.ee_errno = ECONNREFUSED, .ee_origin = SO_EE_ORIGIN_ICMP,
				       .ee_type = 3, .ee_code = 3};
	struct udp_probe_result r = {.state = PROBE_OPEN_FILTERED};

	struct msghdr m = errqueue_msg(u.buf, sizeof(u.buf), CMSG_LEN(sizeof(ee) + 16), &ee);
	CHECK(udp_errqueue_parse(&m, &r));
	CHECK(r.err == ECONNREFUSED && r.icmp && !r.icmp6 && r.icmp_type == 3 && r.icmp_code == 3);
	CHECK(udp_classify(&r) == PROBE_CLOSED);
	ee.ee_code = 13; /* administratively prohibited */
	m = errqueue_msg(u.buf, sizeof(u.buf), CMSG_LEN(sizeof(ee)), &ee);
	CHECK(udp_errqueue_parse(&m, &r) && udp_classify(&r) == PROBE_FILTERED);

	/* Found by tests/fuzz: a record too short for its sock_extended_err is not read. */
	r = (struct udp_probe_result){.state = PROBE_OPEN_FILTERED};
	m = errqueue_msg(u.buf, sizeof(u.buf), CMSG_LEN(sizeof(ee) - 1), &ee);
	CHECK(!udp_errqueue_parse(&m, &r) && r.err == 0 && !r.icmp);
	/* Nor one that claims more than the buffer holds (as a truncated one may). */
	m = errqueue_msg(u.buf, sizeof(u.buf), CMSG_LEN(sizeof(ee)), &ee);
	m.msg_controllen = CMSG_LEN(sizeof(ee)) - 1;
	CHECK(!udp_errqueue_parse(&m, &r) && r.err == 0 && !r.icmp);
}

int
main(void)
{
	test_dns();
	test_ntp();
	test_snmp();
	test_others();
	test_default();
	test_wait();
	test_errqueue();
	return check_summary("udpprobe");
}
