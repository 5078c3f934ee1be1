/*
 * The UDP prober's reading of an ICMP error (probe_udp.c): the control
 * data of a MSG_ERRQUEUE message, which the kernel fills from an ICMP packet
 * a peer (or anyone on the path) sent. The first byte chooses raw control
 * bytes, which must never be read past, or a well-formed record built from
 * the input, which must be read back field for field. Either way the state
 * it gives is closed for a port unreachable or a refusal, filtered for any
 * other ICMP error, else error.
 */
#include <errno.h>
#include <time.h> /* before linux/errqueue.h, which needs struct timespec */
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <stdbool.h>

#include "fuzz.h"
#include "probe/probe_udp.h"

static void
check_state(const struct udp_probe_result *r)
{
	enum probe_state s = udp_classify(r);
	bool unreach = r->icmp &&
	    (r->icmp6 ? r->icmp_type == 1 && r->icmp_code == 4 :
	                r->icmp_type == 3 && r->icmp_code == 3);

	if (r->icmp)
		FUZZ_CHECK(s == (unreach ? PROBE_CLOSED : PROBE_FILTERED));
	else
		FUZZ_CHECK(s == (r->err == ECONNREFUSED ? PROBE_CLOSED : PROBE_ERROR));
}

/* Raw bytes as the whole control buffer, in an allocation of exactly their size. */
static void
raw(const uint8_t *data, size_t size)
{
	void *control = fuzz_malloc(size);
	memcpy(control, data, size);
	struct msghdr m = {.msg_control = size > 0 ? control : NULL, .msg_controllen = size};
	struct udp_probe_result r = {.state = PROBE_OPEN_FILTERED, .err = -7}, before = r;

	if (!udp_errqueue_parse(&m, &r)) {
		FUZZ_CHECK(memcmp(&r, &before, sizeof(r)) == 0);
	} else {
		FUZZ_CHECK(!r.icmp6 || r.icmp);
		FUZZ_CHECK(!r.icmp ||
		    (r.icmp_type >= 0 && r.icmp_type <= 255 && r.icmp_code >= 0 &&
		        r.icmp_code <= 255));
		check_state(&r);
	}
	free(control);
}

/* A record as the kernel writes it, after an unrelated one if the input says so. */
static void
built(const uint8_t *data, size_t size)
{
	bool v6 = fuzz_take(&data, &size, 1) & 1;
	bool other_first = fuzz_take(&data, &size, 1) & 1;
	struct sock_extended_err ee = {
	    .ee_errno = (uint32_t)fuzz_take(&data, &size, 2),
	    .ee_origin = (uint8_t)fuzz_take(&data, &size, 1),
	    .ee_type = (uint8_t)fuzz_take(&data, &size, 1),
	    .ee_code = (uint8_t)fuzz_take(&data, &size, 1),
	};
	size_t room =
	    CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(ee) + sizeof(struct sockaddr_in6));
	struct msghdr m = {.msg_control = fuzz_malloc(room), .msg_controllen = room};

	memset(m.msg_control, 0, room);
	struct cmsghdr *c = CMSG_FIRSTHDR(&m);
	if (other_first) {
		c->cmsg_level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
		c->cmsg_type = v6 ? IPV6_HOPLIMIT : IP_TTL;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		c = CMSG_NXTHDR(&m, c);
	}
	c->cmsg_level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
	c->cmsg_type = v6 ? IPV6_RECVERR : IP_RECVERR;
	c->cmsg_len = CMSG_LEN(sizeof(ee) + sizeof(struct sockaddr_in6));
	memcpy(CMSG_DATA(c), &ee, sizeof(ee));
	m.msg_controllen = (size_t)((char *)c - (char *)m.msg_control) +
	    CMSG_SPACE(sizeof(ee) + sizeof(struct sockaddr_in6));

	struct udp_probe_result r = {.state = PROBE_OPEN_FILTERED};
	FUZZ_CHECK(udp_errqueue_parse(&m, &r));
	FUZZ_CHECK(r.err == (int)ee.ee_errno);
	bool icmp = ee.ee_origin == SO_EE_ORIGIN_ICMP || ee.ee_origin == SO_EE_ORIGIN_ICMP6;
	FUZZ_CHECK(r.icmp == icmp && r.icmp6 == (ee.ee_origin == SO_EE_ORIGIN_ICMP6));
	if (icmp)
		FUZZ_CHECK(r.icmp_type == ee.ee_type && r.icmp_code == ee.ee_code);
	check_state(&r);
	free(m.msg_control);
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
