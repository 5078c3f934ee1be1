/* The proxy password's sources, and the Base64 that HTTP Basic authentication wants. */
#include "dial/dial_auth.h"

#include <bsd/readpassphrase.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* What readpassphrase(3) would talk to; a process without one reads the environment. */
static bool
have_terminal(void)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

enum auth_next
dial_auth_next(struct proxy_auth *a, const char *prompt)
{
	/* The environment says the same thing every time: asking again cannot help. */
	if (a->source == AUTH_ENV)
		return AUTH_ENV_REJECTED;
	if (a->rounds >= PROXY_AUTH_ROUNDS)
		return AUTH_TOO_MANY;
	explicit_bzero(a->password, sizeof(a->password));
	if (have_terminal()) {
		if (readpassphrase(prompt, a->password, sizeof(a->password), RPP_REQUIRE_TTY) ==
		    NULL)
			return AUTH_UNAVAILABLE;
		a->source = AUTH_TTY;
	} else {
		const char *env = getenv(PROXY_PASSWORD_ENV);
		/* A terminal that went away mid-run is no reason to switch sources. */
		if (env == NULL || a->source == AUTH_TTY || strlen(env) >= sizeof(a->password))
			return AUTH_UNAVAILABLE;
		strcpy(a->password, env);
		a->source = AUTH_ENV;
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
