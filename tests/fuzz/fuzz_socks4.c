/*
 * SOCKS4 (dial_socks4.c): the proxy's reply, which a hostile proxy writes,
 * and the request nc writes. The first byte picks which.
 *
 * The reply is read from an allocation of exactly the bytes given, so a
 * read past len is an ASan report. "Need more" always asks for more than
 * it was given; a decided reply fits in what was given, depends on its
 * first eight bytes only, and every shorter prefix of it says "need more"
 * or the same thing. The request reads back, as a SOCKS4 server would
 * read it, to the address and port it was built from.
 */
#include <arpa/inet.h>
#include <stdbool.h>

#include "dial/dial_socks4.h"
#include "fuzz.h"

static enum socks_parse
parse(const uint8_t *data, size_t len, size_t *need, int *code)
{
	uint8_t *buf = fuzz_dup(data, len);

	*need = 0xdead;
	*code = 0x7777;
	enum socks_parse r = socks4_parse_reply(buf, len, need, code);
	free(buf);
	FUZZ_CHECK(*need == SOCKS4_REPLY_LEN);
	return r;
}

static void
reply(const uint8_t *data, size_t size)
{
	size_t need, need2;
	int code, code2;
	enum socks_parse r = parse(data, size, &need, &code);
	bool vn_ok = size == 0 || data[0] == 0 || data[0] == 4;

	switch (r) {
	case SOCKS_PARSE_NEED_MORE:
		FUZZ_CHECK(need > size && vn_ok && code == -1);
		break;
	case SOCKS_PARSE_OK:
		FUZZ_CHECK(need <= size && vn_ok && code == SOCKS4_GRANTED && data[1] == code);
		break;
	case SOCKS_PARSE_REFUSED:
		FUZZ_CHECK(need <= size && vn_ok && code >= 91 && code <= 93 && data[1] == code);
		break;
	case SOCKS_PARSE_GARBAGE:
		FUZZ_CHECK(code == -1);
		FUZZ_CHECK(!vn_ok || (size >= SOCKS4_REPLY_LEN && (data[1] < 90 || data[1] > 93)));
		break;
	default:
		FUZZ_CHECK(!"SOCKS4 has no address type");
	}

	/* Every prefix: "need more", or already the verdict of the whole. */
	size_t upto = size < SOCKS4_REPLY_LEN + 2 ? size : SOCKS4_REPLY_LEN + 2;
	for (size_t k = 0; k < upto; k++) {
		enum socks_parse p = parse(data, k, &need2, &code2);
		if (p != SOCKS_PARSE_NEED_MORE)
			FUZZ_CHECK(p == r && code2 == code);
		if (r != SOCKS_PARSE_NEED_MORE && k >= need)
			FUZZ_CHECK(p == r);
	}
	/* What follows the reply belongs to the tunnel and changes nothing. */
	if (r != SOCKS_PARSE_NEED_MORE && size > need)
		FUZZ_CHECK(parse(data, need, &need2, &code2) == r && code2 == code);
}

static void
request(const uint8_t *data, size_t size)
{
	struct in_addr dst;
	uint16_t port = (uint16_t)fuzz_take(&data, &size, 2);
	uint32_t a = (uint32_t)fuzz_take(&data, &size, 4);
	uint8_t *out = fuzz_malloc(SOCKS4_REQUEST_LEN);

	dst.s_addr = htonl(a);
	memset(out, 0xa5, SOCKS4_REQUEST_LEN);
	size_t n = socks4_request(out, dst, port);
	FUZZ_CHECK(n == SOCKS4_REQUEST_LEN);
	/* As the server reads it: VN 4, CD 1 (CONNECT), DSTPORT, DSTIP, an empty USERID. */
	FUZZ_CHECK(out[0] == 4 && out[1] == 1);
	FUZZ_CHECK((uint16_t)(out[2] << 8 | out[3]) == port);
	uint32_t back =
	    (uint32_t)out[4] << 24 | (uint32_t)out[5] << 16 | (uint32_t)out[6] << 8 | out[7];
	FUZZ_CHECK(back == a);
	FUZZ_CHECK(out[8] == 0);
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fuzz_take(&data, &size, 1) & 1)
		request(data, size);
	else
		reply(data, size);
	return 0;
}
