/* Deadline I/O for the proxy handshakes, keeping the counts the messages show. */
#include "dial/dial_proxy.h"

#include <errno.h>
#include <string.h>

#include "conn/conn.h"

void
proxy_result_init(struct proxy_result *r)
{
	memset(r, 0, sizeof(*r));
	r->status = PROXY_OK;
}

bool
proxy_send(struct conn *c, const void *buf, size_t len, long long deadline, struct proxy_result *r)
{
	int err = conn_write_all(c, buf, len, deadline);

	if (err == 0)
		return true;
	/*
	 * A request is at most a few hundred bytes going into the empty send
	 * buffer of a new connection: a write that fails has moved nothing.
	 */
	r->status = PROXY_WRITE_FAILED;
	r->err = err;
	r->done = 0;
	r->want = len;
	return false;
}

bool
proxy_recv(struct conn *c, void *buf, size_t len, long long deadline, enum proxy_step step,
    struct proxy_result *r)
{
	char *p = buf;
	size_t done = 0;

	while (done < len) {
		ssize_t n = conn_read_some(c, p + done, len - done, deadline);
		if (n <= 0) {
			r->status = PROXY_READ_FAILED;
			r->step = step;
			r->err = n == 0 ? EPIPE : (int)-n;
			r->done = done;
			r->want = len;
			return false;
		}
		done += (size_t)n;
	}
	return true;
}
