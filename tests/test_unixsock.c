/* Unit tests of the Unix-domain path -> sockaddr_un conversion. */
#include <errno.h>
#include <stddef.h>

#include "check.h"
#include "net/net_unix.h"

static const size_t base = offsetof(struct sockaddr_un, sun_path);

static void
test_path(void)
{
	struct sockaddr_un sun;
	socklen_t len = 0;

	CHECK(unix_addr("/tmp/x.sock", &sun, &len) == 0);
	CHECK(sun.sun_family == AF_UNIX);
	CHECK(strcmp(sun.sun_path, "/tmp/x.sock") == 0);
	CHECK(len == base + strlen("/tmp/x.sock") + 1);
	CHECK(unix_addr("rel", &sun, &len) == 0);
	CHECK(strcmp(sun.sun_path, "rel") == 0 && len == base + 4);
}

static void
test_abstract(void)
{
	struct sockaddr_un sun;
	socklen_t len = 0;

	CHECK(unix_addr("@name", &sun, &len) == 0);
	CHECK(sun.sun_path[0] == '\0');
	CHECK(memcmp(sun.sun_path + 1, "name", 4) == 0);
	/* Counted, not terminated: the length says where the name ends. */
	CHECK(len == base + 5);
	CHECK(unix_addr("@", &sun, &len) == 0 && len == base + 1);
}

static void
test_lengths(void)
{
	struct sockaddr_un sun;
	socklen_t len = 0;
	char path[sizeof(sun.sun_path) + 2];

	/* A path needs room for its NUL: 107 characters fit, 108 do not. */
	memset(path, 'a', sizeof(path));
	path[sizeof(sun.sun_path) - 1] = '\0';
	CHECK(unix_addr(path, &sun, &len) == 0);
	CHECK(len == sizeof(struct sockaddr_un));
	path[sizeof(sun.sun_path) - 1] = 'a';
	path[sizeof(sun.sun_path)] = '\0';
	CHECK(unix_addr(path, &sun, &len) == ENAMETOOLONG);

	/* An abstract name may use all of sun_path: '@' + 107 characters. */
	path[0] = '@';
	CHECK(unix_addr(path, &sun, &len) == 0);
	CHECK(len == sizeof(struct sockaddr_un));
	path[sizeof(sun.sun_path)] = 'a';
	path[sizeof(sun.sun_path) + 1] = '\0';
	CHECK(unix_addr(path, &sun, &len) == ENAMETOOLONG);
}

static void
test_empty(void)
{
	struct sockaddr_un sun;
	socklen_t len = 0;

	CHECK(unix_addr("", &sun, &len) == EINVAL);
}

int
main(void)
{
	test_path();
	test_abstract();
	test_lengths();
	test_empty();
	return check_summary("unixsock");
}
