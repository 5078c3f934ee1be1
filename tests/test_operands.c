/* Unit tests of the HOST:PORT operand parser. */
#include <stdlib.h>

#include "check.h"
#include "cli/cli_operands.h"

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

/* Parses a NULL-terminated operand list. */
static enum operand_status
parse(
    const char **args, enum operand_form *form, struct operand_targets *ts, struct operand_error *e)
{
	int n = 0;
	while (args[n] != NULL)
		n++;
	return operands_parse((char *const *)args, n, fake_services, NULL, form, ts, e);
}

static bool
target_is(const struct operand_target *t, const char *host, unsigned first, size_t count)
{
	return strcmp(t->host, host) == 0 && t->ports.count == count && t->ports.ports[0] == first;
}

static void
test_shapes(void)
{
	CHECK(operand_is_target("db:5432"));
	CHECK(operand_is_target("[::1]:80"));
	CHECK(operand_is_target("[::1]"));
	CHECK(operand_is_target("db:"));
	CHECK(operand_is_target(":80"));
	CHECK(!operand_is_target("db"));
	CHECK(!operand_is_target("80"));
	CHECK(!operand_is_target("::1"));
	CHECK(!operand_is_target("fe80::1%eth0"));
	CHECK(!operand_is_target("2001:db8::1"));
	CHECK(!operand_is_target("a:b:c"));
}

/* Every operand list netcat-openbsd accepts stays netcat's host-and-ports form. */
static void
test_netcat_form(void)
{
	const char *cases[][4] = {
	    {"db", "5432", NULL},
	    {"::1", "80", "81", NULL},
	    {"fe80::1%lo", "22", NULL},
	    {"2001:db8::1", "1-100", NULL},
	    {"db", NULL},
	    /* netcat's own "port number invalid: db:5432" stays the caller's to print. */
	    {"host", "80", "db:5432", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum operand_form form = OPERANDS_TARGETS;
		struct operand_targets ts = {.count = 99};
		struct operand_error e;
		CHECK(parse(cases[i], &form, &ts, &e) == OPERAND_OK);
		CHECK(form == OPERANDS_HOST_PORTS);
		CHECK(ts.count == 0 && ts.v == NULL);
	}
	enum operand_form form = OPERANDS_TARGETS;
	struct operand_targets ts;
	struct operand_error e;
	CHECK(operands_parse(NULL, 0, NULL, NULL, &form, &ts, &e) == OPERAND_OK);
	CHECK(form == OPERANDS_HOST_PORTS && ts.count == 0);
}

static void
test_targets(void)
{
	const char *args[] = {"db:5432", "cache:6379", "[::1]:8080", "web:http", "w:20-22",
	    "[fe80::1%eth0]:22", "ftp:ftp-data", "127.0.0.1:1", NULL};
	enum operand_form form;
	struct operand_targets ts;
	struct operand_error e;

	CHECK(parse(args, &form, &ts, &e) == OPERAND_OK);
	CHECK(form == OPERANDS_TARGETS);
	CHECK(ts.count == 8);
	if (ts.count == 8) {
		CHECK(target_is(&ts.v[0], "db", 5432, 1));
		CHECK(target_is(&ts.v[1], "cache", 6379, 1));
		CHECK(target_is(&ts.v[2], "::1", 8080, 1));
		CHECK(target_is(&ts.v[3], "web", 80, 1));
		CHECK(target_is(&ts.v[4], "w", 20, 3));
		CHECK(ts.v[4].ports.ports[2] == 22);
		CHECK(target_is(&ts.v[5], "fe80::1%eth0", 22, 1));
		CHECK(target_is(&ts.v[6], "ftp", 20, 1));
		CHECK(target_is(&ts.v[7], "127.0.0.1", 1, 1));
	}
	operand_targets_free(&ts);
	CHECK(ts.count == 0 && ts.v == NULL);

	/* One target alone: what netcat calls "missing port number". */
	const char *one[] = {"localhost:80", NULL};
	CHECK(parse(one, &form, &ts, &e) == OPERAND_OK);
	CHECK(form == OPERANDS_TARGETS && ts.count == 1 && target_is(&ts.v[0], "localhost", 80, 1));
	operand_targets_free(&ts);
}

/* Each bad operand: the status and the whole operand, for the reporter. */
static void
expect_error(const char **args, enum operand_status want, const char *operand)
{
	enum operand_form form;
	struct operand_targets ts = {.count = 7};
	struct operand_error e = {0};

	CHECK(parse(args, &form, &ts, &e) == want);
	CHECK(e.status == want);
	CHECK(e.operand != NULL && strcmp(e.operand, operand) == 0);
	CHECK(ts.count == 0 && ts.v == NULL);
}

static void
test_errors(void)
{
	expect_error((const char *[]){"db:", NULL}, OPERAND_MISSING_PORT, "db:");
	expect_error((const char *[]){"a:1", "db:", NULL}, OPERAND_MISSING_PORT, "db:");
	expect_error((const char *[]){"[::1]", NULL}, OPERAND_MISSING_PORT, "[::1]");
	expect_error((const char *[]){"[::1]", "80", NULL}, OPERAND_MIXED, "80");
	expect_error((const char *[]){"[::1]:", NULL}, OPERAND_MISSING_PORT, "[::1]:");
	expect_error((const char *[]){":80", NULL}, OPERAND_MISSING_HOST, ":80");
	expect_error((const char *[]){"[]:80", NULL}, OPERAND_MISSING_HOST, "[]:80");
	expect_error((const char *[]){"[::1:80", NULL}, OPERAND_BAD_BRACKET, "[::1:80");
	expect_error((const char *[]){"[::1]x80", NULL}, OPERAND_BAD_BRACKET, "[::1]x80");
	expect_error((const char *[]){"[::1]]:80", NULL}, OPERAND_BAD_BRACKET, "[::1]]:80");
	/* Found by tests/fuzz/fuzz_operands.c: the host kept the inner '['. */
	expect_error((const char *[]){"[[::1]:80", NULL}, OPERAND_BAD_BRACKET, "[[::1]:80");
	expect_error((const char *[]){"db:1", "[a[b]:80", NULL}, OPERAND_BAD_BRACKET, "[a[b]:80");
	expect_error((const char *[]){"db:5432", "::1:80", NULL}, OPERAND_UNBRACKETED_V6, "::1:80");
	/* HOST:PORT operands with a port list: the first plain one is named. */
	expect_error((const char *[]){"db:5432", "80", NULL}, OPERAND_MIXED, "80");
	expect_error((const char *[]){"db:5432", "cache", "81", NULL}, OPERAND_MIXED, "cache");
	/* The mix is named before a bad port earlier in the list. */
	expect_error((const char *[]){"db:x", "cache", NULL}, OPERAND_MIXED, "cache");
	expect_error((const char *[]){"db:5432", "::1:80", "81", NULL}, OPERAND_MIXED, "81");
}

/* Bad ports: cli_ports' verdict and text, inside the operand. */
static void
test_bad_ports(void)
{
	static const struct {
		const char *arg;
		enum port_status st;
		const char *value;
	} cases[] = {
	    {"db:0", PORT_TOO_SMALL, "0"},
	    {"db:65536", PORT_TOO_LARGE, "65536"},
	    {"db:nosuch", PORT_INVALID, "nosuch"},
	    {"db:1-x", PORT_INVALID, "x"},
	    {"[::1]:-5", PORT_TOO_SMALL, "-5"}, /* as netcat-openbsd: "too small: -5" */
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *args[] = {"ok:1", cases[i].arg, NULL};
		enum operand_form form;
		struct operand_targets ts;
		struct operand_error e = {0};
		CHECK(parse(args, &form, &ts, &e) == OPERAND_BAD_PORT);
		CHECK(strcmp(e.operand, cases[i].arg) == 0);
		CHECK(e.port.status == cases[i].st);
		CHECK(e.port.value_len == (int)strlen(cases[i].value));
		CHECK(strncmp(e.port.value, cases[i].value, (size_t)e.port.value_len) == 0);
		CHECK(ts.count == 0 && ts.v == NULL);
	}
}

/* No service lookup: names are invalid, numbers still work. */
static void
test_no_lookup(void)
{
	struct operand_target t;
	struct operand_error e;

	CHECK(operand_parse_target("db:http", NULL, NULL, &t, &e) == OPERAND_BAD_PORT);
	CHECK(t.host == NULL && t.ports.count == 0);
	CHECK(operand_parse_target("db:22", NULL, NULL, &t, &e) == OPERAND_OK);
	CHECK(strcmp(t.host, "db") == 0 && t.ports.count == 1 && t.ports.ports[0] == 22);
	operand_target_free(&t);
	CHECK(operand_parse_target("a:b:c", NULL, NULL, &t, &e) == OPERAND_UNBRACKETED_V6);
}

int
main(void)
{
	test_shapes();
	test_netcat_form();
	test_targets();
	test_errors();
	test_bad_ports();
	test_no_lookup();
	return check_summary("operands");
}
