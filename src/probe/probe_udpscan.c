/*
 * The UDP prober, fitted to the scan engine: udpprobe.c's per-address
 * results become probe attempts, released in port-list order a chunk at a
 * time, so that a long range is reported as it goes while each chunk still
 * runs concurrently.
 */
#include "probe/probe_udpscan.h"

#include <errno.h>
#include <stdlib.h>

#include "util/util_time.h"
#include "probe/probe_udp.h"

#define CHUNK 4096

static void
to_attempt(const struct udp_probe_result *r, struct probe_attempt *a)
{
	*a = (struct probe_attempt){.ai = r->ai,
				    .err = r->err,
				    .icmp_type = -1,
				    .icmp_code = -1,
				    .time_us = r->time_us,
				    .icmp6 = r->icmp6,
				    .probes = r->probes,
				    .reply_len = r->reply_len};
	if (r->icmp) {
		a->icmp_type = (short)r->icmp_type;
		a->icmp_code = (short)r->icmp_code;
	}
	a->state = r->state;
	switch (r->state) {
	case PROBE_OPEN:
		a->err = 0;
		break;
	case PROBE_OPEN_FILTERED:
		a->err = 0;
		a->timer = true; /* the probe wait ended it */
		break;
	case PROBE_CLOSED:
		a->err = ECONNREFUSED;
		break;
	default:
		break;
	}
}

bool
udp_scan(const struct scan_plan *p, probe_sink sink, void *ctx, struct sock_result *fatal)
{
	size_t naddrs = 0, chunk = p->count < CHUNK ? p->count : CHUNK;
	bool ok = true;

	if (!p->parallel || p->one_at_a_time)
		chunk = 1;
	naddrs = plan_max_addrs(p);
	if (naddrs == 0 || chunk == 0)
		return true; /* nothing to probe */
	struct udp_probe_result *matrix = reallocarray(NULL, naddrs * chunk, sizeof(*matrix));
	struct probe_attempt *att = reallocarray(NULL, naddrs, sizeof(*att));
	size_t *tried = reallocarray(NULL, chunk, sizeof(*tried));
	if (matrix == NULL || att == NULL || tried == NULL) {
		*fatal = (struct sock_result){.status = SOCK_FATAL_ERRNO, .what = "malloc",
					      .err = ENOMEM, .fd = -1};
		ok = false;
		goto out;
	}
	for (size_t base = 0; base < p->count; base += chunk) {
		size_t m = p->count - base < chunk ? p->count - base : chunk;
		if (base > 0 && chunk == 1 && p->interval_ms > 0)
			sleep_ms(p->interval_ms);
		struct sock_result res =
		    udp_probe_ports_all(p->d, p->dests != NULL ? p->dests + base : NULL,
					p->ports + base, m, p->sock, p->cap_ms, matrix, tried);
		if (res.status != SOCK_OK) {
			*fatal = res;
			ok = false;
			break;
		}
		for (size_t i = 0; i < m; i++) {
			struct port_probe pp = {.port = p->ports[base + i],
						.nattempts = (unsigned)tried[i],
						.attempts = att,
						.complete = true};
			for (size_t k = 0; k < tried[i]; k++)
				to_attempt(&matrix[k * m + i], &att[k]);
			sink(base + i, &pp, ctx);
		}
		if (p->idle != NULL)
			p->idle(ctx);
	}
out:
	free(matrix);
	free(att);
	free(tried);
	return ok;
}
