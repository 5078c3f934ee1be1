/*
 * The UDP prober. A UDP port says nothing when it is open and has nothing to
 * say, so the only evidence is a reply (open) or an ICMP error (closed or
 * filtered). Each port gets its own connected socket with IP_RECVERR /
 * IPV6_RECVERR on, so the kernel hands the ICMP type and code of an error to
 * exactly the socket whose datagram caused it, and many ports can be probed
 * at once over one poll(2).
 */
#include "probe/probe_udp.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "net/net_resolve.h"
#include "probe/probe.h"
#include "util/util_time.h"

long long
udp_probe_wait(const struct sock_options *sock)
{
	return sock->timeout_ms >= 0 ? sock->timeout_ms : UDP_PROBE_WAIT_MS;
}

/* DNS: a non-recursive query for the root NS records; any server answers, if only to refuse. */
static const unsigned char dns_query[] = {
	0x6e, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00,       /* the root name */
	0x00, 0x02, /* type NS */
	0x00, 0x01, /* class IN */
};

/* NTP: a version 4 client request (mode 3) with a nonzero transmit time to be echoed. */
static const unsigned char ntp_request[48] = {
	[0] = 0x23, [2] = 0x06, [3] = 0xec,
	[40] = 0xe0, [41] = 0x6e, [42] = 0x63, [43] = 0x21,
};

/* SNMP: v2c GetRequest for sysDescr.0 (1.3.6.1.2.1.1.1.0), community "public". */
static const unsigned char snmp_get[] = {
	0x30, 0x29, 0x02, 0x01, 0x01, 0x04, 0x06, 'p', 'u', 'b', 'l', 'i', 'c',
	0xa0, 0x1c, 0x02, 0x04, 0x6e, 0x63, 0x75, 0x70, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00,
	0x30, 0x0e, 0x30, 0x0c, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00,
	0x05, 0x00,
};

/* TFTP: a read request; a server answers with the file or with an error packet. */
static const unsigned char tftp_rrq[] = {
	0x00, 0x01, 'n', 'c', '-', 'p', 'r', 'o', 'b', 'e', 0x00, 'o', 'c', 't', 'e', 't', 0x00,
};

/* ONC RPC: the NULL procedure of portmapper (100000) version 2, no credentials. */
static const unsigned char rpc_null[] = {
	0x6e, 0x63, 0x72, 0x70, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x01, 0x86, 0xa0, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

/* NetBIOS name service: a node status request for the wildcard name "*". */
static const unsigned char nbns_stat[] = {
	0x6e, 0x63, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x20, 'C', 'K', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A',
	'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 'A', 0x00,
	0x00, 0x21, 0x00, 0x01,
};

struct payload {
	unsigned short port;
	const unsigned char *data;
	size_t len;
};

static const struct payload payloads[] = {
	{53, dns_query, sizeof(dns_query)},
	{69, tftp_rrq, sizeof(tftp_rrq)},
	{111, rpc_null, sizeof(rpc_null)},
	{123, ntp_request, sizeof(ntp_request)},
	{137, nbns_stat, sizeof(nbns_stat)},
	{161, snmp_get, sizeof(snmp_get)},
};

size_t
udp_probe_payload(unsigned port, unsigned char *buf, size_t len)
{
	for (size_t i = 0; i < sizeof(payloads) / sizeof(payloads[0]); i++) {
		if (payloads[i].port != port)
			continue;
		if (len < payloads[i].len)
			return 0;
		memcpy(buf, payloads[i].data, payloads[i].len);
		return payloads[i].len;
	}
	if (len < 1)
		return 0;
	/* Line-oriented services (echo, daytime, chargen) answer any datagram. */
	buf[0] = '\n';
	return 1;
}

/* One port being probed. */
struct slot {
	int fd;
	size_t idx;
	int sent;
	long long started, next_send, deadline;
	long long started_us; /* the times above are ms; this one times the answer */
	unsigned char payload[UDP_PROBE_PAYLOAD_MAX];
	size_t payload_len;
};

enum probe_state
udp_classify(const struct udp_probe_result *r)
{
	if (r->icmp) {
		bool port_unreach = r->icmp6 ? r->icmp_type == 1 && r->icmp_code == 4
					     : r->icmp_type == 3 && r->icmp_code == 3;
		return port_unreach ? PROBE_CLOSED : PROBE_FILTERED;
	}
	return r->err == ECONNREFUSED ? PROBE_CLOSED : PROBE_ERROR;
}

bool
udp_errqueue_parse(struct msghdr *m, struct udp_probe_result *r)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c != NULL; c = CMSG_NXTHDR(m, c)) {
		if (!(c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) &&
		    !(c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR))
			continue;
		struct sock_extended_err ee;
		/* Only a whole record: one cut short (MSG_CTRUNC) would be read past its end. */
		if (c->cmsg_len < CMSG_LEN(sizeof(ee)) ||
		    (size_t)((char *)CMSG_DATA(c) - (char *)m->msg_control) + sizeof(ee) >
			m->msg_controllen)
			continue;
		memcpy(&ee, CMSG_DATA(c), sizeof(ee));
		r->err = (int)ee.ee_errno;
		if (ee.ee_origin == SO_EE_ORIGIN_ICMP || ee.ee_origin == SO_EE_ORIGIN_ICMP6) {
			r->icmp = true;
			r->icmp6 = ee.ee_origin == SO_EE_ORIGIN_ICMP6;
			r->icmp_type = ee.ee_type;
			r->icmp_code = ee.ee_code;
		}
		return true;
	}
	return false;
}

/* Takes one error off fd's error queue into r; false if the queue was empty. */
static bool
read_errqueue(int fd, struct udp_probe_result *r)
{
	char control[512];
	unsigned char data[64];
	struct iovec iov = {.iov_base = data, .iov_len = sizeof(data)};
	struct msghdr m = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control,
	    .msg_controllen = sizeof(control),
	};

	if (recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
		return false;
	udp_errqueue_parse(&m, r);
	return true;
}

/*
 * A connected, nonblocking socket to port on ai's address. SOCK_FAILED when
 * only this port cannot be probed (r says why); a fatal status otherwise.
 */
static struct sock_result
open_probe(const struct addrinfo *ai, unsigned port, const struct sock_options *sock,
	   struct udp_probe_result *r)
{
	struct sockaddr_storage ss;
	struct addrinfo a = *ai;
	int one = 1;

	memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
	sa_set_port((struct sockaddr *)&ss, port);
	a.ai_addr = (struct sockaddr *)&ss;
	a.ai_next = NULL;
	struct sock_result s = socket_for(&a, sock);
	if (s.status != SOCK_OK)
		return s;
	int fd = s.fd;
	bool v6 = ai->ai_family == AF_INET6;
	if (setsockopt(s.fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_RECVERR : IP_RECVERR, &one,
		       sizeof(one)) < 0) {
		s = (struct sock_result){.status = SOCK_FATAL_SOCKOPT, .err = errno,
					 .what = v6 ? "IPV6_RECVERR" : "IP_RECVERR", .fd = -1};
		goto fail;
	}
	fcntl(s.fd, F_SETFL, fcntl(s.fd, F_GETFL) | O_NONBLOCK);
	if (connect(s.fd, a.ai_addr, a.ai_addrlen) < 0) {
		r->err = errno;
		r->state = PROBE_ERROR;
		s = (struct sock_result){.status = SOCK_FAILED, .err = errno, .fd = -1};
		goto fail;
	}
	return s;
fail:
	close(fd);
	return s;
}

/* Fewer probes in flight than descriptors left: a low ulimit slows us down, never fails us. */
static size_t
probe_window(size_t n)
{
	size_t w = probe_fd_budget();

	if (w > UDP_PROBE_WINDOW)
		w = UDP_PROBE_WINDOW;
	return n < w ? (n == 0 ? 1 : n) : w;
}

static void
finish(struct slot *s, struct udp_probe_result *r, enum probe_state state, long long now)
{
	r->state = state;
	r->probes = s->sent;
	/* Silence lasts exactly the wait; an answer is timed to the microsecond. */
	r->time_us = state == PROBE_OPEN_FILTERED ? (now - s->started) * 1000
						: now_us() - s->started_us;
	close(s->fd);
	s->fd = -1;
}

/* An error the socket reported: the ICMP message behind it if the kernel queued one. */
static void
finish_error(struct slot *s, struct udp_probe_result *r, int err, long long now)
{
	if (!read_errqueue(s->fd, r))
		r->err = err;
	finish(s, r, udp_classify(r), now);
}

static void
send_probe(struct slot *s, struct udp_probe_result *r, long long gap, long long now)
{
	if (send(s->fd, s->payload, s->payload_len, 0) >= 0) {
		s->sent++;
		s->next_send = s->started + s->sent * gap;
		return;
	}
	if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS || errno == EINTR) {
		s->next_send = now + 10; /* a full queue drains soon */
		return;
	}
	finish_error(s, r, errno, now);
}

/* What fd has for us: an ICMP error, a reply, or (spuriously) nothing yet. */
static void
check_ready(struct slot *s, struct udp_probe_result *r, long long now)
{
	unsigned char buf[1];

	if (read_errqueue(s->fd, r)) {
		finish(s, r, udp_classify(r), now);
		return;
	}
	ssize_t got = recv(s->fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC);
	if (got >= 0) {
		r->reply_len = (size_t)got;
		finish(s, r, PROBE_OPEN, now);
	} else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
		finish_error(s, r, errno, now);
	}
}

/* Probes ports[i] at address ais[i] (or ai for all, when ais is NULL). */
static struct sock_result
probe_pairs(const struct addrinfo *ai, const struct addrinfo *const *ais,
	    const unsigned short *ports, size_t n, const struct sock_options *sock,
	    long long cap_ms, struct udp_probe_result *results)
{
	long long wait = udp_probe_wait(sock);
	long long gap = wait / UDP_PROBE_SENDS;
	/* Too short a wait to space resends out: one probe. */
	int sends = gap > 0 ? UDP_PROBE_SENDS : 1;
	size_t window = probe_window(n), next = 0, active = 0;
	struct slot *slots = calloc(window, sizeof(*slots));
	struct pollfd *pfd = calloc(window, sizeof(*pfd));
	struct sock_result fatal = {.status = SOCK_OK, .fd = -1};

	for (size_t i = 0; i < n; i++)
		results[i] = (struct udp_probe_result){.state = PROBE_OPEN_FILTERED,
						       .ai = ais != NULL ? ais[i] : ai};
	if (slots == NULL || pfd == NULL) {
		fatal = (struct sock_result){.status = SOCK_FATAL_ERRNO, .what = "calloc",
					     .err = ENOMEM, .fd = -1};
		goto out;
	}
	while (next < n || active > 0) {
		long long now = now_ms();

		/* Start probes while there is room. */
		while (active < window && next < n) {
			size_t i = next++;
			struct sock_result s = open_probe(results[i].ai, ports[i], sock, &results[i]);
			if (s.status == SOCK_FAILED)
				continue;
			if (s.status != SOCK_OK) {
				fatal = s;
				goto out;
			}
			struct slot *sl = &slots[active++];
			/* --wait's deadline cuts the probe wait short, never lengthens it. */
			long long deadline = now + wait;
			if (cap_ms >= 0 && cap_ms < deadline)
				deadline = cap_ms > now ? cap_ms : now;
			*sl = (struct slot){.fd = s.fd, .idx = i, .started = now,
					    .started_us = now_us(), .next_send = now,
					    .deadline = deadline};
			sl->payload_len =
			    udp_probe_payload(ports[i], sl->payload, sizeof(sl->payload));
		}

		if (active == 0 && next >= n)
			break; /* the last ports failed before a probe went out */

		/* Due (re)sends, and the probes whose wait is over. */
		long long soonest = -1;
		for (size_t k = 0; k < active; k++) {
			struct slot *sl = &slots[k];
			struct udp_probe_result *r = &results[sl->idx];
			if (sl->sent < sends && now >= sl->next_send &&
			    (sl->sent == 0 || now < sl->deadline))
				send_probe(sl, r, gap, now);
			if (sl->fd < 0)
				continue;
			long long t = sl->sent < sends && sl->next_send < sl->deadline
					  ? sl->next_send : sl->deadline;
			if (soonest < 0 || t < soonest)
				soonest = t;
			pfd[k] = (struct pollfd){.fd = sl->fd, .events = POLLIN};
		}
		for (size_t k = 0; k < active; k++)
			if (slots[k].fd < 0)
				pfd[k] = (struct pollfd){.fd = -1};

		int ready = poll(pfd, active, poll_timeout(soonest));
		if (ready < 0 && errno != EINTR) {
			fatal = (struct sock_result){.status = SOCK_FATAL_ERRNO, .what = "poll",
						     .err = errno, .fd = -1};
			goto out;
		}
		now = now_ms();
		for (size_t k = 0; k < active; k++) {
			struct slot *sl = &slots[k];
			if (sl->fd < 0)
				continue;
			if (ready > 0 && pfd[k].revents != 0)
				check_ready(sl, &results[sl->idx], now);
			/* Silence for the whole wait: the time is the wait, not poll's lateness. */
			if (sl->fd >= 0 && now >= sl->deadline && sl->sent > 0)
				finish(sl, &results[sl->idx], PROBE_OPEN_FILTERED, sl->deadline);
		}
		/* Drop the finished slots, keeping the rest packed. */
		for (size_t k = 0; k < active;) {
			if (slots[k].fd < 0)
				slots[k] = slots[--active];
			else
				k++;
		}
	}
out:
	for (size_t k = 0; k < active; k++)
		if (slots[k].fd >= 0)
			close(slots[k].fd);
	free(slots);
	free(pfd);
	return fatal;
}

struct sock_result
udp_probe_addr(const struct addrinfo *ai, const unsigned short *ports, size_t n,
	       const struct sock_options *sock, long long cap_ms, struct udp_probe_result *results)
{
	return probe_pairs(ai, NULL, ports, n, sock, cap_ms, results);
}

struct sock_result
udp_probe_ports_all(const struct destination *d, const struct destination *const *dests,
		    const unsigned short *ports, size_t n, const struct sock_options *sock,
		    long long cap_ms, struct udp_probe_result *matrix, size_t *tried)
{
	size_t *pending = reallocarray(NULL, n ? n : 1, sizeof(*pending));
	unsigned short *sub = reallocarray(NULL, n ? n : 1, sizeof(*sub));
	struct udp_probe_result *out = reallocarray(NULL, n ? n : 1, sizeof(*out));
	const struct addrinfo **next = reallocarray(NULL, n ? n : 1, sizeof(*next));
	const struct addrinfo **ais = reallocarray(NULL, n ? n : 1, sizeof(*ais));
	struct sock_result res = {.status = SOCK_OK, .fd = -1};
	size_t npending = 0;

	if (pending == NULL || sub == NULL || out == NULL || next == NULL || ais == NULL) {
		res = (struct sock_result){.status = SOCK_FATAL_ERRNO, .what = "malloc",
					   .err = ENOMEM, .fd = -1};
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		next[i] = (dests != NULL ? dests[i] : d)->addrs;
		tried[i] = 0;
		if (next[i] != NULL)
			pending[npending++] = i;
	}
	/* Row by row: every port's first address at once, then the second of those not open, ... */
	for (size_t row = 0; npending > 0; row++) {
		for (size_t j = 0; j < npending; j++) {
			sub[j] = ports[pending[j]];
			ais[j] = next[pending[j]];
		}
		res = probe_pairs(NULL, ais, sub, npending, sock, cap_ms, out);
		if (res.status != SOCK_OK)
			break;
		size_t still = 0;
		for (size_t j = 0; j < npending; j++) {
			size_t i = pending[j];
			matrix[row * n + i] = out[j];
			tried[i] = row + 1;
			next[i] = next[i]->ai_next;
			if (!probe_is_open(out[j].state) && next[i] != NULL)
				pending[still++] = i;
		}
		npending = still;
	}
done:
	free(pending);
	free(sub);
	free(out);
	free(next);
	free(ais);
	return res;
}
