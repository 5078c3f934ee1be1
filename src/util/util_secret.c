/* The terminal or the environment as the source of a secret. */
#include "util/util_secret.h"

#include <bsd/readpassphrase.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What readpassphrase(3) would talk to. */
static int
terminal(void)
{
	return open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
}

enum secret_source
secret_read(const char *prompt, const char *env, char *buf, size_t len)
{
	int tty = terminal();

	explicit_bzero(buf, len);
	if (tty >= 0) {
		close(tty);
		if (readpassphrase(prompt, buf, len, RPP_REQUIRE_TTY) != NULL)
			return SECRET_TTY;
		explicit_bzero(buf, len);
		return SECRET_NONE;
	}
	const char *value = env == NULL ? NULL : getenv(env);
	if (value == NULL || strlen(value) >= len)
		return SECRET_NONE;
	memcpy(buf, value, strlen(value) + 1);
	return SECRET_ENV;
}
