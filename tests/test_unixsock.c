/*
 * Unit tests of the Unix-domain path -> sockaddr_un conversion and of the
 * reading of the kernel's socket table (unix_diag replies).
 */
#include <errno.h>
#include <limits.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <sys/sysmacros.h>

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

/* A reply being built as the kernel would send it. */
struct reply {
	union {
		struct nlmsghdr align;
		unsigned char buf[4096];
	} u;
	size_t len;
};

enum { SEQ = 7, INO = 4242, DEV = 254 << 20 | 3 };

/* One socket's message; vfs false: no UNIX_DIAG_VFS attribute (not bound to a file). */
static void
add_sock(struct reply *r, uint32_t seq, int type, int state, bool vfs, uint32_t ino, uint32_t dev)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(r->u.buf + r->len);
	struct unix_diag_msg *m = NLMSG_DATA(h);
	size_t len = NLMSG_LENGTH(sizeof(*m));

	memset(h, 0, NLMSG_SPACE(sizeof(*m)) + RTA_SPACE(8) * 2);
	*m = (struct unix_diag_msg){.udiag_family = AF_UNIX, .udiag_type = (uint8_t)type,
				    .udiag_state = (uint8_t)state, .udiag_ino = 99};
	/* An attribute before the one that matters, as the kernel may send. */
	struct rtattr *a = (struct rtattr *)((unsigned char *)h + NLMSG_ALIGN(len));
	a->rta_type = UNIX_DIAG_RQLEN;
	a->rta_len = RTA_LENGTH(8);
	len = NLMSG_ALIGN(len) + RTA_SPACE(8);
	if (vfs) {
		a = (struct rtattr *)((unsigned char *)h + len);
		a->rta_type = UNIX_DIAG_VFS;
		a->rta_len = RTA_LENGTH(sizeof(struct unix_diag_vfs));
		struct unix_diag_vfs v = {.udiag_vfs_ino = ino, .udiag_vfs_dev = dev};
		memcpy(RTA_DATA(a), &v, sizeof(v));
		len += RTA_SPACE(sizeof(v));
	}
	*h = (struct nlmsghdr){.nlmsg_len = (uint32_t)len, .nlmsg_type = SOCK_DIAG_BY_FAMILY,
			       .nlmsg_flags = NLM_F_MULTI, .nlmsg_seq = seq};
	r->len += NLMSG_ALIGN(len);
}

/* NLMSG_DONE or NLMSG_ERROR carrying code (0 or -errno). */
static void
add_end(struct reply *r, int type, int code)
{
	struct nlmsghdr *h = (struct nlmsghdr *)(r->u.buf + r->len);
	size_t len = NLMSG_LENGTH(type == NLMSG_ERROR ? sizeof(struct nlmsgerr) : sizeof(int));

	memset(h, 0, NLMSG_ALIGN(len));
	*h = (struct nlmsghdr){.nlmsg_len = (uint32_t)len, .nlmsg_type = (uint16_t)type,
			       .nlmsg_seq = SEQ};
	memcpy(NLMSG_DATA(h), &code, sizeof(code));
	r->len += NLMSG_ALIGN(len);
}

static enum unix_diag_scan
scan(const struct reply *r, int *err)
{
	*err = 0;
	return unix_diag_scan(r->u.buf, r->len, SEQ, INO, DEV, err);
}

static void
test_diag_served(void)
{
	int err;

	/* Stream and seqpacket listeners, and datagram sockets in any state, serve the path. */
	const int served[][2] = {{SOCK_STREAM, TCP_LISTEN}, {SOCK_SEQPACKET, TCP_LISTEN},
				 {SOCK_DGRAM, TCP_CLOSE}, {SOCK_DGRAM, TCP_ESTABLISHED}};
	for (size_t i = 0; i < sizeof(served) / sizeof(served[0]); i++) {
		struct reply r = {.len = 0};
		add_sock(&r, SEQ, SOCK_STREAM, TCP_ESTABLISHED, false, 0, 0);
		add_sock(&r, SEQ, served[i][0], served[i][1], true, INO, DEV);
		add_end(&r, NLMSG_DONE, 0);
		CHECK(scan(&r, &err) == UNIX_DIAG_SERVED);
	}
}

static void
test_diag_none(void)
{
	struct reply r = {.len = 0};
	int err;

	/* Bound but not listening, or accepted by a listener since closed: nobody new is served. */
	add_sock(&r, SEQ, SOCK_STREAM, TCP_CLOSE, true, INO, DEV);
	add_sock(&r, SEQ, SOCK_SEQPACKET, TCP_ESTABLISHED, true, INO, DEV);
	/* Another file: the same inode on another device, another inode on this one. */
	add_sock(&r, SEQ, SOCK_STREAM, TCP_LISTEN, true, INO, DEV + 1);
	add_sock(&r, SEQ, SOCK_DGRAM, TCP_CLOSE, true, INO + 1, DEV);
	/* Not bound to a file at all (abstract or unnamed). */
	add_sock(&r, SEQ, SOCK_STREAM, TCP_LISTEN, false, 0, 0);
	size_t before_end = r.len;
	add_end(&r, NLMSG_DONE, 0);
	CHECK(scan(&r, &err) == UNIX_DIAG_NONE && err == 0);
	/* Without its NLMSG_DONE the part says nothing yet. */
	r.len = before_end;
	CHECK(scan(&r, &err) == UNIX_DIAG_MORE && err == 0);
	CHECK(unix_diag_scan(r.u.buf, 0, SEQ, INO, DEV, &err) == UNIX_DIAG_MORE);
}

static void
test_diag_other_request(void)
{
	struct reply r = {.len = 0};
	int err;

	/* A match in the answer to another request does not count. */
	add_sock(&r, SEQ + 1, SOCK_STREAM, TCP_LISTEN, true, INO, DEV);
	add_end(&r, NLMSG_DONE, 0);
	CHECK(scan(&r, &err) == UNIX_DIAG_NONE);
}

static void
test_diag_errors(void)
{
	struct reply r = {.len = 0};
	int err;

	add_end(&r, NLMSG_ERROR, -EPERM);
	CHECK(scan(&r, &err) == UNIX_DIAG_FAILED && err == EPERM);
	r.len = 0;
	add_end(&r, NLMSG_DONE, -EINTR);
	CHECK(scan(&r, &err) == UNIX_DIAG_FAILED && err == EINTR);
	/* An acknowledgement is not an error. */
	r.len = 0;
	add_end(&r, NLMSG_ERROR, 0);
	add_end(&r, NLMSG_DONE, 0);
	CHECK(scan(&r, &err) == UNIX_DIAG_NONE);
	/* A code that is no errno value is a malformed reply, and INT_MIN is no -errno to negate. */
	const int not_errno[] = {INT_MIN, -4096};
	for (size_t i = 0; i < sizeof(not_errno) / sizeof(not_errno[0]); i++) {
		r.len = 0;
		add_end(&r, i == 0 ? NLMSG_DONE : NLMSG_ERROR, not_errno[i]);
		CHECK(scan(&r, &err) == UNIX_DIAG_FAILED && err == EBADMSG);
	}
	r.len = 0;
	add_end(&r, NLMSG_ERROR, -4095);
	CHECK(scan(&r, &err) == UNIX_DIAG_FAILED && err == 4095);

	/* A message longer than what arrived, or too short for its header or body. */
	r.len = 0;
	add_sock(&r, SEQ, SOCK_STREAM, TCP_LISTEN, true, INO, DEV);
	struct nlmsghdr *h = &r.u.align;
	size_t whole = r.len;
	r.len = whole - 4;
	CHECK(scan(&r, &err) == UNIX_DIAG_FAILED && err == EBADMSG);
	r.len = 10;
	CHECK(scan(&r, &err) == UNIX_DIAG_FAILED && err == EBADMSG);
	r.len = whole;
	h->nlmsg_len = 8;
	CHECK(scan(&r, &err) == UNIX_DIAG_FAILED && err == EBADMSG);
	h->nlmsg_len = NLMSG_LENGTH(4);
	CHECK(scan(&r, &err) == UNIX_DIAG_FAILED && err == EBADMSG);
}

static void
test_diag_bad_attributes(void)
{
	struct reply r = {.len = 0};
	int err;

	/* A VFS attribute too short to hold the inode and device is no match. */
	add_sock(&r, SEQ, SOCK_STREAM, TCP_LISTEN, true, INO, DEV);
	struct rtattr *vfs = (struct rtattr *)(r.u.buf + r.len - RTA_SPACE(8));
	CHECK(vfs->rta_type == UNIX_DIAG_VFS);
	vfs->rta_len = RTA_LENGTH(4);
	CHECK(scan(&r, &err) == UNIX_DIAG_MORE);
	/* An attribute claiming more than its message ends the message, not the scan. */
	vfs->rta_len = 200;
	add_sock(&r, SEQ, SOCK_STREAM, TCP_LISTEN, true, INO, DEV);
	CHECK(scan(&r, &err) == UNIX_DIAG_SERVED);
	vfs->rta_len = 2;
	CHECK(scan(&r, &err) == UNIX_DIAG_SERVED);
}

static void
test_diag_dev(void)
{
	/* The kernel keeps 20 bits of minor, glibc's dev_t splits them differently. */
	CHECK(unix_diag_dev(makedev(254, 0)) == 254u << 20);
	CHECK(unix_diag_dev(makedev(8, 17)) == (8u << 20 | 17));
	CHECK(unix_diag_dev(makedev(0, 0x12345)) == 0x12345);
}

int
main(void)
{
	test_path();
	test_abstract();
	test_lengths();
	test_empty();
	test_diag_served();
	test_diag_none();
	test_diag_other_request();
	test_diag_errors();
	test_diag_bad_attributes();
	test_diag_dev();
	return check_summary("unixsock");
}
