/* Unit tests of the port operand parser. */
#include <stdlib.h>

#include "check.h"
#include "cli/cli_ports.h"

/* A stand-in for /etc/services, so the tests do not depend on the machine. */
static int
fake_services(const char *name, void *ctx)
{
	(void)ctx;
	if (strcmp(name, "http") == 0)
		return 80;
	if (strcmp(name, "ftp-data") == 0)
		return 20;
	return -1;
}

static struct port_list
parse(const char *arg, enum port_status want, const char *want_value)
{
	struct port_list l = {0};
	struct port_error e = {0};
	char *args[] = {(char *)arg};
	enum port_status st = ports_parse_all(args, 1, fake_services, NULL, &l, &e);
	CHECK(st == want);
	if (st != PORT_OK && want_value != NULL) {
		CHECK((int)strlen(want_value) == e.value_len);
		CHECK(strncmp(e.value, want_value, (size_t)e.value_len) == 0);
	}
	return l;
}

static void
test_single(void)
{
	struct port_list l = parse("22", PORT_OK, NULL);
	CHECK(l.count == 1 && l.ports[0] == 22);
	ports_free(&l);
	l = parse("65535", PORT_OK, NULL);
	CHECK(l.count == 1 && l.ports[0] == 65535);
	ports_free(&l);
	l = parse("0005", PORT_OK, NULL);
	CHECK(l.count == 1 && l.ports[0] == 5);
	ports_free(&l);
}

static void
test_services(void)
{
	struct port_list l = parse("http", PORT_OK, NULL);
	CHECK(l.count == 1 && l.ports[0] == 80);
	ports_free(&l);
	l = parse("ftp-data", PORT_OK, NULL);
	CHECK(l.count == 1 && l.ports[0] == 20);
	ports_free(&l);
}

static void
test_ranges(void)
{
	struct port_list l = parse("20-23", PORT_OK, NULL);
	CHECK(l.count == 4 && l.ports[0] == 20 && l.ports[3] == 23);
	ports_free(&l);
	l = parse("23-20", PORT_OK, NULL);
	CHECK(l.count == 4 && l.ports[0] == 20 && l.ports[3] == 23);
	ports_free(&l);
	l = parse("3-3", PORT_OK, NULL);
	CHECK(l.count == 1 && l.ports[0] == 3);
	ports_free(&l);
	l = parse("1-65535", PORT_OK, NULL);
	CHECK(l.count == 65535 && l.ports[65534] == 65535);
	ports_free(&l);
}

/* The error texts netcat-openbsd prints for each bad operand. */
static void
test_errors(void)
{
	parse("0", PORT_TOO_SMALL, "0");
	parse("70000", PORT_TOO_LARGE, "70000");
	parse("abc", PORT_INVALID, "abc");
	parse("", PORT_INVALID, "");
	parse("5 ", PORT_INVALID, "5 ");
	parse("0x10", PORT_INVALID, "0x10");
	parse("20001,20003", PORT_INVALID, "20001,20003");
	parse("20001-", PORT_INVALID, "");
	parse("20001-70000", PORT_TOO_LARGE, "70000");
	parse("70000-5", PORT_TOO_LARGE, "70000");
	parse("0-5", PORT_TOO_SMALL, "0");
	parse("5-0", PORT_TOO_SMALL, "0");
	parse("5-3-1", PORT_INVALID, "3-1");
	parse("abc-5", PORT_INVALID, "abc-5");
	parse("0-abc", PORT_INVALID, "abc");
	parse("http-https", PORT_INVALID, "http-https");
	parse(" 5-6", PORT_INVALID, " 5-6");
	/* Only an operand that starts with a digit is a range; the high end is judged first. */
	parse("-5", PORT_TOO_SMALL, "-5");
	parse("-70000", PORT_TOO_SMALL, "-70000");
	parse("5a-6a", PORT_INVALID, "6a");
	parse("5a-6", PORT_INVALID, "5a");
	parse("5a-70000", PORT_TOO_LARGE, "70000");
	parse("5aaaaaaaaaaaaaaaaaaaa-5", PORT_INVALID, "5aaaaaaaaaaaaaaaaaaaa");
	parse("012345678901234567-5", PORT_TOO_LARGE, "012345678901234567");
}

static void
test_several_operands(void)
{
	char *args[] = {"http", "20", "22-23"};
	struct port_list l;
	struct port_error e;
	CHECK(ports_parse_all(args, 3, fake_services, NULL, &l, &e) == PORT_OK);
	CHECK(l.count == 4);
	CHECK(l.ports[0] == 80 && l.ports[1] == 20 && l.ports[2] == 22 && l.ports[3] == 23);
	ports_free(&l);

	char *bad[] = {"1", "abc", "2"};
	CHECK(ports_parse_all(bad, 3, fake_services, NULL, &l, &e) == PORT_INVALID);
	CHECK(l.ports == NULL && l.count == 0);
}

static void
test_no_lookup(void)
{
	struct port_list l = {0};
	struct port_error e;
	CHECK(ports_parse_operand("http", NULL, NULL, &l, &e) == PORT_INVALID);
	ports_free(&l);
}

int
main(void)
{
	test_single();
	test_services();
	test_ranges();
	test_errors();
	test_several_operands();
	test_no_lookup();
	return check_summary("ports");
}
