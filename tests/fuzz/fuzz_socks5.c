/*
 * SOCKS5 (dial_socks5.c): the three replies a proxy writes (method choice,
 * RFC 1929 status, CONNECT reply) and the two requests nc writes with the
 * user's host, user name and password in them. The first byte picks which.
 *
 * Replies are read from allocations of exactly the bytes given, so a read
 * past len is an ASan report. "Need more" always asks for more than it was
 * given and never for more than the reply can be; a decided reply fits in
 * what was given, is decided by its own bytes only, and every prefix of it
 * says "need more" or the same thing. Reading the CONNECT reply the way
 * socks5_negotiate does (what need says, then again) ends in the same
 * verdict. A bound name keeps to its length byte. The requests read back,
 * as a SOCKS5 server reads them, to the host, port, user and password
 * they were built from.
 */
#include <arpa/inet.h>
#include <stdbool.h>

#include "dial/dial_socks5.h"
#include "fuzz.h"

/* ---- Method choice and RFC 1929 status: two bytes each ------------------ */

static enum socks_parse
parse_two(bool auth, const uint8_t *data, size_t len, bool offered, int *v)
{
	uint8_t *buf = fuzz_dup(data, len);
	enum socks_parse r;

	*v = 0x7777;
	r = auth ? socks5_parse_auth(buf, len, v) : socks5_parse_method(buf, len, offered, v);
	free(buf);
	return r;
}

static void
two_byte_reply(bool auth, const uint8_t *data, size_t size)
{
	bool offered = fuzz_take(&data, &size, 1) & 1;
	int v, v2;
	enum socks_parse r = parse_two(auth, data, size, offered, &v);
	bool ver_ok = size == 0 || data[0] == (auth ? 1 : 5) || (auth && data[0] == 5);

	switch (r) {
	case SOCKS_PARSE_NEED_MORE:
		FUZZ_CHECK(size < 2 && ver_ok && v == -1);
		break;
	case SOCKS_PARSE_GARBAGE:
		FUZZ_CHECK(!ver_ok && v == -1);
		break;
	case SOCKS_PARSE_OK:
		FUZZ_CHECK(size >= 2 && ver_ok && v == data[1]);
		if (auth)
			FUZZ_CHECK(v == 0);
		else
			FUZZ_CHECK(
			    v == SOCKS5_METHOD_NONE || (v == SOCKS5_METHOD_PASSWORD && offered));
		break;
	case SOCKS_PARSE_REFUSED:
		/* A refusal, or (method) a choice nc did not offer: nothing it can speak. */
		FUZZ_CHECK(size >= 2 && ver_ok && v == data[1]);
		if (auth)
			FUZZ_CHECK(v != 0);
		else
			FUZZ_CHECK(
			    v != SOCKS5_METHOD_NONE && (v != SOCKS5_METHOD_PASSWORD || !offered));
		break;
	default:
		FUZZ_CHECK(!"no address type in a two-byte reply");
	}
	for (size_t k = 0; k < size && k < 3; k++) {
		enum socks_parse p = parse_two(auth, data, k, offered, &v2);
		if (p != SOCKS_PARSE_NEED_MORE)
			FUZZ_CHECK(p == r && v2 == v);
	}
	if (size > 2)
		FUZZ_CHECK(parse_two(auth, data, 2, offered, &v2) == r && v2 == v);
}

/* ---- The CONNECT reply ------------------------------------------------------ */

struct reply {
	enum socks_parse r;
	size_t need;
	int rep;
	struct socks5_bound bound;
};

static void
parse_reply(const uint8_t *data, size_t len, struct reply *out)
{
	uint8_t *buf = fuzz_dup(data, len);

	out->need = 0xdead;
	out->rep = 0x7777;
	memset(&out->bound, 0xa5, sizeof(out->bound));
	out->r = socks5_parse_reply(buf, len, &out->need, &out->rep, &out->bound);
	free(buf);
	FUZZ_CHECK(out->need >= 4 && out->need <= SOCKS5_REPLY_MAX);
}

static bool
untouched(const struct socks5_bound *b)
{
	const uint8_t *p = (const uint8_t *)b;
	for (size_t i = 0; i < sizeof(*b); i++)
		if (p[i] != 0xa5)
			return false;
	return true;
}

static bool
same_reply(const struct reply *x, const struct reply *y)
{
	if (x->r != y->r || x->rep != y->rep)
		return false;
	if (x->r != SOCKS_PARSE_OK)
		return true;
	return x->need == y->need && memcmp(&x->bound, &y->bound, sizeof(x->bound)) == 0;
}

static void
check_reply(const uint8_t *data, size_t size, const struct reply *x)
{
	const struct socks5_bound *b = &x->bound;

	switch (x->r) {
	case SOCKS_PARSE_NEED_MORE:
		FUZZ_CHECK(x->need > size && untouched(b));
		FUZZ_CHECK(size == 0 || data[0] == 5);
		FUZZ_CHECK(x->rep == (size >= 4 ? 0 : -1));
		break;
	case SOCKS_PARSE_GARBAGE:
		FUZZ_CHECK(size >= 1 && data[0] != 5 && x->rep == -1 && untouched(b));
		break;
	case SOCKS_PARSE_REFUSED:
		FUZZ_CHECK(size >= 4 && data[0] == 5 && data[1] != 0 && x->rep == data[1]);
		FUZZ_CHECK(x->need <= size && untouched(b));
		break;
	case SOCKS_PARSE_BAD_ATYP:
		FUZZ_CHECK(size >= 4 && data[0] == 5 && data[1] == 0 && x->rep == data[3]);
		FUZZ_CHECK(data[3] != SOCKS5_ATYP_IPV4 && data[3] != SOCKS5_ATYP_IPV6 &&
		    data[3] != SOCKS5_ATYP_NAME);
		FUZZ_CHECK(x->need <= size && untouched(b));
		break;
	case SOCKS_PARSE_OK: {
		FUZZ_CHECK(size >= 4 && data[0] == 5 && data[1] == 0 && x->rep == 0);
		FUZZ_CHECK(x->need <= size && b->atyp == data[3]);
		size_t alen = b->atyp == SOCKS5_ATYP_IPV4 ? 4 :
		    b->atyp == SOCKS5_ATYP_IPV6           ? 16 :
		                                            0;
		if (b->atyp == SOCKS5_ATYP_NAME) {
			FUZZ_CHECK(size >= 5);
			alen = 1 + (size_t)data[4];
			/* The length byte bounds the name: its bytes, then NULs to the end. */
			FUZZ_CHECK(memcmp(b->name, data + 5, data[4]) == 0);
			for (size_t i = data[4]; i < sizeof(b->name); i++)
				FUZZ_CHECK(b->name[i] == '\0');
		} else {
			FUZZ_CHECK(alen != 0);
			FUZZ_CHECK(memcmp(b->addr, data + 4, alen) == 0);
		}
		FUZZ_CHECK(x->need == 4 + alen + 2);
		FUZZ_CHECK(b->port == (uint16_t)(data[x->need - 2] << 8 | data[x->need - 1]));
		break;
	}
	}
}

static void
connect_reply(const uint8_t *data, size_t size)
{
	struct reply whole, part;

	parse_reply(data, size, &whole);
	check_reply(data, size, &whole);

	/* Every prefix (the short ones, and around need): "need more" or the same verdict. */
	size_t ks[] = {0, 1, 2, 3, 4, 5, 6, whole.need - 1, whole.need, whole.need + 1, size - 1};
	for (size_t i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		size_t k = ks[i];
		if (k >= size)
			continue;
		parse_reply(data, k, &part);
		check_reply(data, k, &part);
		if (part.r != SOCKS_PARSE_NEED_MORE)
			FUZZ_CHECK(same_reply(&part, &whole));
		else if (whole.r == SOCKS_PARSE_OK)
			FUZZ_CHECK(part.need <= whole.need); /* a step towards it, never past it */
		if (whole.r != SOCKS_PARSE_NEED_MORE && k >= whole.need)
			FUZZ_CHECK(same_reply(&part, &whole));
	}

	/* As socks5_negotiate reads: what need says, until decided. */
	size_t have = 0;
	for (int rounds = 0;; rounds++) {
		FUZZ_CHECK(rounds <= 3);
		parse_reply(data, have, &part);
		if (part.r != SOCKS_PARSE_NEED_MORE) {
			FUZZ_CHECK(same_reply(&part, &whole));
			break;
		}
		FUZZ_CHECK(part.need > have);
		if (part.need > size)
			break; /* negotiate would wait for bytes that never come */
		have = part.need;
	}
}

/* ---- The requests ------------------------------------------------------------- */

static void
connect_request(const uint8_t *data, size_t size)
{
	uint16_t port = (uint16_t)fuzz_take(&data, &size, 2);
	char *host = fuzz_cstr(data, size);
	size_t hlen = strlen(host);
	uint8_t *out = fuzz_malloc(SOCKS5_REQUEST_MAX);
	struct in_addr a4;
	struct in6_addr a6;
	char plain[SOCKS5_REQUEST_MAX];

	size_t n = socks5_connect_request(out, host, port);
	/* An IPv6 literal may carry a %zone, which SOCKS5 has no room for. */
	snprintf(plain, sizeof(plain), "%.*s", (int)strcspn(host, "%"), host);
	bool v4 = inet_aton(host, &a4) != 0, v6 = inet_pton(AF_INET6, plain, &a6) == 1;
	/* What is an address beyond doubt, and so never goes out as a name. */
	bool literal = inet_pton(AF_INET, host, &(struct in_addr){0}) == 1 ||
	    inet_pton(AF_INET6, host, &(struct in6_addr){0}) == 1;
	if (n == 0) {
		FUZZ_CHECK(hlen > 255 && !literal);
		goto out;
	}
	FUZZ_CHECK(n <= SOCKS5_REQUEST_MAX);
	/* As the server reads it: VER CMD RSV ATYP DST.ADDR DST.PORT, nothing after. */
	FUZZ_CHECK(n >= 4 + 1 + 2 && out[0] == 5 && out[1] == 1 && out[2] == 0);
	switch (out[3]) {
	case SOCKS5_ATYP_IPV4:
		FUZZ_CHECK(n == 4 + 4 + 2 && v4 && memcmp(out + 4, &a4, 4) == 0);
		break;
	case SOCKS5_ATYP_IPV6:
		FUZZ_CHECK(n == 4 + 16 + 2 && v6 && memcmp(out + 4, &a6, 16) == 0);
		break;
	case SOCKS5_ATYP_NAME:
		FUZZ_CHECK(!literal);
		FUZZ_CHECK(out[4] == hlen && n == 4 + 1 + hlen + 2);
		FUZZ_CHECK(memcmp(out + 5, host, hlen) == 0);
		break;
	default:
		FUZZ_CHECK(!"an address type SOCKS5 does not define");
	}
	FUZZ_CHECK((uint16_t)(out[n - 2] << 8 | out[n - 1]) == port);
out:
	free(out);
	free(host);
}

static void
auth_request(const uint8_t *data, size_t size)
{
	char *s[2] = {NULL, NULL};
	int k = fuzz_split(data, size, s, 2);
	const char *user = k > 0 ? s[0] : "", *password = k > 1 ? s[1] : "";
	size_t ulen = strlen(user), plen = strlen(password);
	uint8_t *out = fuzz_malloc(SOCKS5_AUTH_MAX);

	size_t n = socks5_auth_request(out, user, password);
	if (ulen == 0 || ulen > 255 || plen == 0 || plen > 255) {
		FUZZ_CHECK(n == 0);
	} else {
		/* As the server reads it: VER ULEN UNAME PLEN PASSWD, nothing after. */
		FUZZ_CHECK(n == 3 + ulen + plen && n <= SOCKS5_AUTH_MAX);
		FUZZ_CHECK(out[0] == 1 && out[1] == ulen && memcmp(out + 2, user, ulen) == 0);
		FUZZ_CHECK(out[2 + ulen] == plen && memcmp(out + 3 + ulen, password, plen) == 0);
	}
	free(out);
	fuzz_free_strings(s, k);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	switch (fuzz_take(&data, &size, 1) % 5) {
	case 0:
		two_byte_reply(false, data, size);
		break;
	case 1:
		two_byte_reply(true, data, size);
		break;
	case 2:
		connect_reply(data, size);
		break;
	case 3:
		connect_request(data, size);
		break;
	default:
		auth_request(data, size);
		break;
	}
	return 0;
}
