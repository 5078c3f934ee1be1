/*
 * The proxy password for -P: asked on the terminal as netcat-openbsd asks
 * for it, or, where there is no terminal (CI, a ProxyCommand under a
 * service), taken from the environment, never from the command line. It is
 * fetched only once a proxy asks for it, and one that came from the
 * environment is not tried twice.
 *
 * The dialer (dial_via.c) dials the proxy again for each password, as
 * netcat-openbsd does for HTTP: a PROXY_AUTH_REQUIRED or PROXY_AUTH_REJECTED
 * handshake is followed by dial_auth_next(), with the prompt the caller
 * worded (report_proxy_prompt); after a password typed on the terminal was
 * refused, its notify callback prints "Proxy authentication failed" first.
 */
#ifndef NC_DIAL_AUTH_H
#define NC_DIAL_AUTH_H

#include <stdbool.h>
#include <stddef.h>

#define PROXY_PASSWORD_ENV "NC_PROXY_PASSWORD"
#define PROXY_PASSWORD_MAX 1024
#define PROXY_PROMPT_MAX   1024
/* Passwords asked on a terminal before giving up, as netcat-openbsd. */
#define PROXY_AUTH_ROUNDS 3

enum auth_source {
	AUTH_NONE, /* no password yet */
	AUTH_TTY,
	AUTH_ENV,
};

struct proxy_auth {
	const char *user; /* -P; NULL without it */
	char password[PROXY_PASSWORD_MAX];
	enum auth_source source;
	int rounds; /* passwords fetched */
};

enum auth_next {
	AUTH_READY,        /* a password is in auth->password */
	AUTH_UNAVAILABLE,  /* no terminal and no NC_PROXY_PASSWORD, or the terminal read failed */
	AUTH_TOO_MANY,     /* PROXY_AUTH_ROUNDS passwords from the terminal were refused */
	AUTH_ENV_REJECTED, /* the password from the environment was refused */
};

void dial_auth_init(struct proxy_auth *a, const char *user);

/* True when a password has been fetched and should be sent. */
bool dial_auth_has_password(const struct proxy_auth *a);

/*
 * The next password to try, after the proxy asked for one or refused the
 * last. prompt: what the terminal shows (report_proxy_prompt).
 */
enum auth_next dial_auth_next(struct proxy_auth *a, const char *prompt);

/* Wipes the password. */
void dial_auth_clear(struct proxy_auth *a);

/*
 * Base64 (RFC 4648, with padding) of in into out, NUL-terminated. Returns
 * the length of the full encoding; out holds it all only when that is less
 * than outlen (as snprintf).
 */
size_t base64_encode(char *out, size_t outlen, const void *in, size_t inlen);

#endif
