/* SOCKS4 (the 1992 protocol note by Ying-Da Lee): request, reply, exchange. */
#include "dial/dial_socks4.h"

#include <string.h>

size_t
socks4_request(uint8_t out[SOCKS4_REQUEST_LEN], struct in_addr dst, uint16_t port)
{
	out[0] = 4; /* VN */
	out[1] = 1; /* CD: CONNECT */
	out[2] = (uint8_t)(port >> 8);
	out[3] = (uint8_t)port;
	memcpy(out + 4, &dst.s_addr, 4); /* already in network order */
	out[8] = 0;                      /* an empty user id, as netcat-openbsd sends */
	return SOCKS4_REQUEST_LEN;
}

enum socks_parse
socks4_parse_reply(const uint8_t *buf, size_t len, size_t *need, int *code)
{
	*need = SOCKS4_REPLY_LEN;
	*code = -1;
	if (len >= 1 && buf[0] != 0 && buf[0] != 4)
		return SOCKS_PARSE_GARBAGE;
	if (len < SOCKS4_REPLY_LEN)
		return SOCKS_PARSE_NEED_MORE;
	*code = buf[1];
	if (buf[1] == SOCKS4_GRANTED)
		return SOCKS_PARSE_OK;
	/* 91..93 are the protocol's refusals; anything else is not a reply. */
	if (buf[1] < 91 || buf[1] > 93) {
		*code = -1;
		return SOCKS_PARSE_GARBAGE;
	}
	return SOCKS_PARSE_REFUSED;
}

enum proxy_status
socks4_negotiate(
    struct conn *c, struct in_addr dst, uint16_t port, long long deadline, struct proxy_result *r)
{
	uint8_t req[SOCKS4_REQUEST_LEN], rep[SOCKS4_REPLY_LEN];
	size_t need;
	int code;

	proxy_result_init(r);
	socks4_request(req, dst, port);
	if (!proxy_send(c, req, sizeof(req), deadline, r))
		return r->status;
	/* netcat-openbsd reads all eight bytes before looking: so do we, for the same messages. */
	if (!proxy_recv(c, rep, sizeof(rep), deadline, PROXY_STEP_SOCKS4_REPLY, r))
		return r->status;
	if (socks4_parse_reply(rep, sizeof(rep), &need, &code) != SOCKS_PARSE_OK) {
		r->status = PROXY_SOCKS4_FAILED;
		r->code = code;
	}
	return r->status;
}
