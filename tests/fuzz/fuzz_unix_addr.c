/*
 * unix_addr (net_unix.c): a -U path or @abstract name into a sockaddr_un.
 * The address lives in an allocation of exactly its size, so a write past
 * sun_path is an ASan report; a name that fits comes back out of the
 * address unchanged, and one that does not is refused.
 */
#include <errno.h>
#include <stddef.h>

#include "fuzz.h"
#include "net/net_unix.h"

static const size_t base = offsetof(struct sockaddr_un, sun_path);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *path = fuzz_cstr(data, size);
	size_t n = strlen(path);
	struct sockaddr_un *sun = fuzz_malloc(sizeof(*sun));
	socklen_t len = 0xdead;

	memset(sun, 0xa5, sizeof(*sun));
	int e = unix_addr(path, sun, &len);
	FUZZ_CHECK(sun->sun_family == AF_UNIX);

	if (n == 0) {
		FUZZ_CHECK(e == EINVAL && len == 0xdead);
	} else if (path[0] == '@') {
		/* Abstract: a NUL, then the name counted by len, not terminated. */
		FUZZ_CHECK(e == (n <= sizeof(sun->sun_path) ? 0 : ENAMETOOLONG));
		if (e == 0) {
			FUZZ_CHECK(len == base + n && len <= sizeof(*sun));
			FUZZ_CHECK(sun->sun_path[0] == '\0');
			FUZZ_CHECK(memcmp(sun->sun_path + 1, path + 1, n - 1) == 0);
		}
	} else {
		/* A file name: NUL-terminated, the NUL counted in len. */
		FUZZ_CHECK(e == (n < sizeof(sun->sun_path) ? 0 : ENAMETOOLONG));
		if (e == 0) {
			FUZZ_CHECK(len == base + n + 1 && len <= sizeof(*sun));
			FUZZ_CHECK(strcmp(sun->sun_path, path) == 0);
		}
	}
	if (e == 0) {
		/* Round trip: the name as the kernel would hand it back (getsockname). */
		char back[sizeof(sun->sun_path) + 2];
		size_t k = len - base;
		if (sun->sun_path[0] == '\0') {
			back[0] = '@';
			memcpy(back + 1, sun->sun_path + 1, k - 1);
			back[k] = '\0';
		} else {
			memcpy(back, sun->sun_path, k);
			back[k] = '\0';
		}
		FUZZ_CHECK(strcmp(back, path) == 0);
		/* Nothing stale from before the call past the name. */
		for (size_t i = k; i < sizeof(sun->sun_path); i++)
			FUZZ_CHECK(sun->sun_path[i] == '\0');
	} else {
		FUZZ_CHECK(e == EINVAL || e == ENAMETOOLONG);
	}
	free(sun);
	free(path);
	return 0;
}
