/* The proxy password's sources, and the Base64 that HTTP Basic authentication wants. */
#include "dial/dial_auth.h"

#include <string.h>

#include "util/util_secret.h"

void
dial_auth_init(struct proxy_auth *a, const char *user)
{
	memset(a, 0, sizeof(*a));
	a->user = user;
	a->source = AUTH_NONE;
}

bool
dial_auth_has_password(const struct proxy_auth *a)
{
	return a->source != AUTH_NONE;
}

enum auth_next
dial_auth_next(struct proxy_auth *a, const char *prompt)
{
	/* The environment says the same thing every time: asking again cannot help. */
	if (a->source == AUTH_ENV)
		return AUTH_ENV_REJECTED;
	if (a->rounds >= PROXY_AUTH_ROUNDS)
		return AUTH_TOO_MANY;
	/* A terminal that went away mid-run is no reason to switch sources. */
	switch (secret_read(prompt, a->source == AUTH_TTY ? NULL : PROXY_PASSWORD_ENV, a->password,
	    sizeof(a->password))) {
	case SECRET_TTY:
		a->source = AUTH_TTY;
		break;
	case SECRET_ENV:
		a->source = AUTH_ENV;
		break;
	case SECRET_NONE:
		return AUTH_UNAVAILABLE;
	}
	a->rounds++;
	return AUTH_READY;
}

void
dial_auth_clear(struct proxy_auth *a)
{
	explicit_bzero(a->password, sizeof(a->password));
	a->source = AUTH_NONE;
}

size_t
base64_encode(char *out, size_t outlen, const void *in, size_t inlen)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = in;
	size_t need = (inlen + 2) / 3 * 4;
	size_t o = 0;

	if (outlen == 0)
		return need;
	for (size_t i = 0; i < inlen; i += 3) {
		unsigned long v = (unsigned long)p[i] << 16;
		size_t left = inlen - i;
		if (left > 1)
			v |= (unsigned long)p[i + 1] << 8;
		if (left > 2)
			v |= p[i + 2];
		char quad[4] = {
		    alphabet[(v >> 18) & 63],
		    alphabet[(v >> 12) & 63],
		    left > 1 ? alphabet[(v >> 6) & 63] : '=',
		    left > 2 ? alphabet[v & 63] : '=',
		};
		for (int k = 0; k < 4 && o + 1 < outlen; k++)
			out[o++] = quad[k];
	}
	out[o] = '\0';
	return need;
}
