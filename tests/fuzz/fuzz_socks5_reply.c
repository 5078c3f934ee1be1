/*
 * The SOCKS5 parsers (dial_socks5.c), over bytes a proxy sends: the first
 * input byte picks the method choice (with or without username/password
 * offered), the RFC 1929 status or the reply to CONNECT; the rest is what
 * the proxy sent, in an allocation of exactly its size. None reads past it.
 * The method choice accepts only what was offered; the status is OK only
 * for 0. The CONNECT reply asks for more exactly while it has fewer bytes
 * than its own length (4, 5 for a name's length byte, then the whole), and
 * once it has them decides; a success reads back the address type, address
 * or name (NUL-terminated) and port from their places; a prefix never
 * contradicts the whole.
 */
#include "fuzz.h"
#include "dial/dial_socks5.h"

static void
method(const uint8_t *buf, size_t size, bool password)
{
	int m;
	enum socks_parse st = socks5_parse_method(buf, size, password, &m);

	if (size >= 1 && buf[0] != 5)
		FUZZ_CHECK(st == SOCKS_PARSE_GARBAGE);
	else if (size < 2)
		FUZZ_CHECK(st == SOCKS_PARSE_NEED_MORE);
	else if (buf[1] == SOCKS5_METHOD_NONE || (password && buf[1] == SOCKS5_METHOD_PASSWORD))
		FUZZ_CHECK(st == SOCKS_PARSE_OK && m == buf[1]);
	else
		FUZZ_CHECK(st == SOCKS_PARSE_REFUSED && m == buf[1]);
}

static void
auth(const uint8_t *buf, size_t size)
{
	int status;
	enum socks_parse st = socks5_parse_auth(buf, size, &status);

	if (size >= 1 && buf[0] != 1 && buf[0] != 5)
		FUZZ_CHECK(st == SOCKS_PARSE_GARBAGE);
	else if (size < 2)
		FUZZ_CHECK(st == SOCKS_PARSE_NEED_MORE);
	else
		FUZZ_CHECK(st == (buf[1] == 0 ? SOCKS_PARSE_OK : SOCKS_PARSE_REFUSED) && status == buf[1]);
}

static void
reply(const uint8_t *buf, size_t size)
{
	struct socks5_bound b;
	size_t need;
	int rep;
	enum socks_parse st = socks5_parse_reply(buf, size, &need, &rep, &b);

	if (st == SOCKS_PARSE_NEED_MORE) {
		FUZZ_CHECK(need > size && need <= SOCKS5_REPLY_MAX);
	} else if (size >= 1 && buf[0] != 5) {
		FUZZ_CHECK(st == SOCKS_PARSE_GARBAGE);
	} else {
		FUZZ_CHECK(size >= 4 && rep >= 0);
		if (buf[1] != 0) {
			FUZZ_CHECK(st == SOCKS_PARSE_REFUSED && rep == buf[1]);
		} else if (buf[3] != SOCKS5_ATYP_IPV4 && buf[3] != SOCKS5_ATYP_NAME &&
		    buf[3] != SOCKS5_ATYP_IPV6) {
			FUZZ_CHECK(st == SOCKS_PARSE_BAD_ATYP && rep == buf[3]);
		} else {
			FUZZ_CHECK(st == SOCKS_PARSE_OK && need <= size && b.atyp == buf[3]);
			FUZZ_CHECK(b.port == (buf[need - 2] << 8 | buf[need - 1]));
			if (b.atyp == SOCKS5_ATYP_NAME) {
				FUZZ_CHECK(need == 4 + 1 + (size_t)buf[4] + 2);
				FUZZ_CHECK(memchr(b.name, '\0', sizeof(b.name)) != NULL);
				FUZZ_CHECK(strncmp(b.name, (const char *)buf + 5, buf[4]) == 0);
			} else {
				size_t alen = b.atyp == SOCKS5_ATYP_IPV4 ? 4 : 16;
				FUZZ_CHECK(need == 4 + alen + 2 && memcmp(b.addr, buf + 4, alen) == 0);
			}
		}
	}
	/* Prefixes: waiting, or the same verdict. */
	for (size_t n = 0; n < size && n < SOCKS5_REPLY_MAX; n++) {
		size_t nd;
		int r;
		enum socks_parse p = socks5_parse_reply(buf, n, &nd, &r, &b);
		FUZZ_CHECK(p == SOCKS_PARSE_NEED_MORE || p == st);
		if (p == SOCKS_PARSE_NEED_MORE && st == SOCKS_PARSE_OK)
			FUZZ_CHECK(nd <= need);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned which = (unsigned)fuzz_take(&data, &size, 1);
	uint8_t *buf = fuzz_malloc(size);

	memcpy(buf, data, size);
	switch (which % 4) {
	case 0:
		method(buf, size, false);
		break;
	case 1:
		method(buf, size, true);
		break;
	case 2:
		auth(buf, size);
		break;
	default:
		reply(buf, size);
		break;
	}
	free(buf);
	return 0;
}
