/* SOCKS5 (RFC 1928) and its username/password method (RFC 1929). */
#include "dial/dial_socks5.h"

#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "dial/dial_auth.h"

size_t
socks5_greeting(uint8_t out[SOCKS5_GREETING_MAX], bool password)
{
	out[0] = 5;
	if (!password) {
		out[1] = 1;
		out[2] = SOCKS5_METHOD_NONE;
		return 3;
	}
	out[1] = 2;
	out[2] = SOCKS5_METHOD_NONE;
	out[3] = SOCKS5_METHOD_PASSWORD;
	return 4;
}

enum socks_parse
socks5_parse_method(const uint8_t *buf, size_t len, bool password_offered, int *method)
{
	*method = -1;
	if (len >= 1 && buf[0] != 5)
		return SOCKS_PARSE_GARBAGE;
	if (len < 2)
		return SOCKS_PARSE_NEED_MORE;
	*method = buf[1];
	if (buf[1] == SOCKS5_METHOD_NONE || (buf[1] == SOCKS5_METHOD_PASSWORD && password_offered))
		return SOCKS_PARSE_OK;
	/* 0xff, or a method we did not offer: either way, none we can speak. */
	return SOCKS_PARSE_REFUSED;
}

size_t
socks5_auth_request(uint8_t out[SOCKS5_AUTH_MAX], const char *user, const char *password)
{
	size_t ulen = strlen(user), plen = strlen(password);

	if (ulen == 0 || ulen > 255 || plen == 0 || plen > 255)
		return 0;
	out[0] = 1; /* the subnegotiation's version */
	out[1] = (uint8_t)ulen;
	memcpy(out + 2, user, ulen);
	out[2 + ulen] = (uint8_t)plen;
	memcpy(out + 3 + ulen, password, plen);
	return 3 + ulen + plen;
}

enum socks_parse
socks5_parse_auth(const uint8_t *buf, size_t len, int *status)
{
	*status = -1;
	/* RFC 1929 says version 1; some servers answer with the SOCKS version, 5. */
	if (len >= 1 && buf[0] != 1 && buf[0] != 5)
		return SOCKS_PARSE_GARBAGE;
	if (len < 2)
		return SOCKS_PARSE_NEED_MORE;
	*status = buf[1];
	return buf[1] == 0 ? SOCKS_PARSE_OK : SOCKS_PARSE_REFUSED;
}

size_t
socks5_connect_request(uint8_t out[SOCKS5_REQUEST_MAX], const char *host, uint16_t port)
{
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST, .ai_socktype = SOCK_STREAM};
	struct addrinfo *ai = NULL;
	size_t n = 4;

	out[0] = 5;
	out[1] = 1; /* CONNECT */
	out[2] = 0;
	/* The literal forms getaddrinfo knows (127.1, fe80::1%lo), as netcat-openbsd. */
	if (getaddrinfo(host, NULL, &hints, &ai) == 0 && ai->ai_family == AF_INET) {
		out[3] = SOCKS5_ATYP_IPV4;
		memcpy(out + n, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, 4);
		n += 4;
	} else if (ai != NULL && ai->ai_family == AF_INET6) {
		out[3] = SOCKS5_ATYP_IPV6;
		memcpy(out + n, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, 16);
		n += 16;
	} else {
		size_t len = strlen(host);
		if (len > 255) {
			if (ai != NULL)
				freeaddrinfo(ai);
			return 0;
		}
		out[3] = SOCKS5_ATYP_NAME;
		out[n++] = (uint8_t)len;
		memcpy(out + n, host, len);
		n += len;
	}
	if (ai != NULL)
		freeaddrinfo(ai);
	out[n++] = (uint8_t)(port >> 8);
	out[n++] = (uint8_t)port;
	return n;
}

enum socks_parse
socks5_parse_reply(
    const uint8_t *buf, size_t len, size_t *need, int *rep, struct socks5_bound *bound)
{
	size_t addr_len;

	*need = 4;
	*rep = -1;
	if (len >= 1 && buf[0] != 5)
		return SOCKS_PARSE_GARBAGE;
	if (len < 4)
		return SOCKS_PARSE_NEED_MORE;
	/* The code first, as netcat-openbsd: a refusal need not carry a usable address. */
	*rep = buf[1];
	if (buf[1] != 0)
		return SOCKS_PARSE_REFUSED;
	switch (buf[3]) {
	case SOCKS5_ATYP_IPV4:
		addr_len = 4;
		break;
	case SOCKS5_ATYP_IPV6:
		addr_len = 16;
		break;
	case SOCKS5_ATYP_NAME:
		/* netcat-openbsd refuses these; RFC 1928 allows them, and proxies send them. */
		if (len < 5) {
			*need = 5;
			return SOCKS_PARSE_NEED_MORE;
		}
		addr_len = 1 + (size_t)buf[4];
		break;
	default:
		*rep = buf[3];
		return SOCKS_PARSE_BAD_ATYP;
	}
	*need = 4 + addr_len + 2;
	if (len < *need)
		return SOCKS_PARSE_NEED_MORE;
	memset(bound, 0, sizeof(*bound));
	bound->atyp = buf[3];
	if (buf[3] == SOCKS5_ATYP_NAME)
		memcpy(bound->name, buf + 5, addr_len - 1);
	else
		memcpy(bound->addr, buf + 4, addr_len);
	bound->port = (uint16_t)(buf[4 + addr_len] << 8 | buf[4 + addr_len + 1]);
	return SOCKS_PARSE_OK;
}

/* Method choice and, if the proxy picked it, RFC 1929: true to go on to CONNECT. */
static bool
socks5_authenticate(
    struct conn *c, const struct proxy_auth *auth, long long deadline, struct proxy_result *r)
{
	uint8_t buf[SOCKS5_AUTH_MAX];
	bool offer = auth != NULL && auth->user != NULL;
	int method, status;

	if (!proxy_send(c, buf, socks5_greeting(buf, offer), deadline, r))
		return false;
	if (!proxy_recv(c, buf, 2, deadline, PROXY_STEP_SOCKS5_METHOD, r))
		return false;
	switch (socks5_parse_method(buf, 2, offer, &method)) {
	case SOCKS_PARSE_OK:
		break;
	case SOCKS_PARSE_REFUSED:
		r->status = PROXY_SOCKS5_NO_METHOD;
		r->code = method;
		return false;
	default:
		r->status = PROXY_SOCKS5_FAILED;
		r->code = -1;
		return false;
	}
	if (method == SOCKS5_METHOD_NONE)
		return true;
	if (!dial_auth_has_password(auth)) {
		r->status = PROXY_AUTH_REQUIRED;
		return false;
	}
	size_t n = socks5_auth_request(buf, auth->user, auth->password);
	if (n == 0) {
		r->status = PROXY_CREDS_TOO_LONG;
		return false;
	}
	bool sent = proxy_send(c, buf, n, deadline, r);
	explicit_bzero(buf, sizeof(buf));
	if (!sent || !proxy_recv(c, buf, 2, deadline, PROXY_STEP_SOCKS5_AUTH, r))
		return false;
	switch (socks5_parse_auth(buf, 2, &status)) {
	case SOCKS_PARSE_OK:
		return true;
	case SOCKS_PARSE_REFUSED:
		r->status = PROXY_AUTH_REJECTED;
		r->code = status;
		return false;
	default:
		r->status = PROXY_SOCKS5_FAILED;
		r->code = -1;
		return false;
	}
}

enum proxy_status
socks5_negotiate(struct conn *c, const char *host, uint16_t port, const struct proxy_auth *auth,
    long long deadline, struct proxy_result *r)
{
	uint8_t req[SOCKS5_REQUEST_MAX], buf[SOCKS5_REPLY_MAX];
	size_t have = 0, need, n;
	int rep;
	enum socks_parse st;

	proxy_result_init(r);
	/* A name too long is refused before a byte goes out (netcat-openbsd: after the greeting). */
	n = socks5_connect_request(req, host, port);
	if (n == 0) {
		r->status = PROXY_SOCKS5_HOST_TOO_LONG;
		return r->status;
	}
	if (!socks5_authenticate(c, auth, deadline, r) || !proxy_send(c, req, n, deadline, r))
		return r->status;
	while (
	    (st = socks5_parse_reply(buf, have, &need, &rep, &r->bound)) == SOCKS_PARSE_NEED_MORE) {
		if (!proxy_recv(c, buf + have, need - have, deadline, PROXY_STEP_SOCKS5_REPLY, r))
			return r->status;
		have = need;
	}
	r->code = rep;
	if (st == SOCKS_PARSE_BAD_ATYP)
		r->status = PROXY_SOCKS5_BAD_ATYP;
	else if (st != SOCKS_PARSE_OK)
		r->status = PROXY_SOCKS5_FAILED;
	return r->status;
}
