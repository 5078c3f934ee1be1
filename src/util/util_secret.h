/*
 * A secret the user types (a proxy password, a TCP MD5 key): asked on the
 * terminal, as netcat-openbsd asks, or, where the process has no terminal
 * (CI, a ProxyCommand under a service), taken from an environment variable.
 * Never from the command line, where every user of the machine can read it.
 */
#ifndef NC_UTIL_SECRET_H
#define NC_UTIL_SECRET_H

#include <stddef.h>

enum secret_source {
	SECRET_NONE, /* no terminal and no variable, or the terminal read failed */
	SECRET_TTY,
	SECRET_ENV,
};

/*
 * Reads the secret into buf (len bytes, NUL-terminated): from the terminal
 * with prompt when there is one, else from the variable env (NULL: the
 * terminal only). A value that does not fit is no value. buf is wiped
 * unless the answer is SECRET_TTY or SECRET_ENV.
 */
enum secret_source secret_read(const char *prompt, const char *env, char *buf, size_t len);

#endif
