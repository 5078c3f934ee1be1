/*
 * The TLS options parser and rules (pure), and the TLS reporter's texts,
 * compared byte for byte. Runs in builds with and without libtls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cli/cli_tls.h"
#include "report/report.h"
#include "report/report_tls.h"

static void
test_keywords(void)
{
	struct tls_options t;
	struct tls_opt_error e;

	cli_tls_init(&t);
	CHECK(t.min_days == -1 && !cli_tls_any(&t));
	CHECK(cli_tls_keyword(&t, "noverify", &e) == TLS_OPT_OK && t.noverify && t.keywords);
	CHECK(cli_tls_any(&t));
	CHECK(cli_tls_keyword(&t, "noname", &e) == TLS_OPT_OK && t.noname);
	CHECK(cli_tls_keyword(&t, "clientcert", &e) == TLS_OPT_OK && t.clientcert);
	CHECK(cli_tls_keyword(&t, "muststaple", &e) == TLS_OPT_OK && t.muststaple);
	CHECK(cli_tls_keyword(&t, "ciphers=compat", &e) == TLS_OPT_OK &&
	    strcmp(t.ciphers, "compat") == 0);
	CHECK(cli_tls_keyword(&t, "protocols=tlsv1.3", &e) == TLS_OPT_OK &&
	    strcmp(t.protocols, "tlsv1.3") == 0);
	CHECK(cli_tls_keyword(&t, "protocols=tlsv1.2:!tlsv1.3", &e) == TLS_OPT_OK);

	/* Not TLS: the TOS parser decides. */
	cli_tls_init(&t);
	CHECK(cli_tls_keyword(&t, "lowdelay", &e) == TLS_OPT_NOT_TLS && !t.keywords);
	CHECK(cli_tls_keyword(&t, "0x10", &e) == TLS_OPT_NOT_TLS);
	CHECK(cli_tls_keyword(&t, "bogus", &e) == TLS_OPT_NOT_TLS);
	CHECK(cli_tls_keyword(&t, "", &e) == TLS_OPT_NOT_TLS);
	CHECK(!cli_tls_any(&t));

	/* Looks like TLS, is none. */
	CHECK(
	    cli_tls_keyword(&t, "tlsfoo", &e) == TLS_OPT_ILLEGAL && strcmp(e.value, "tlsfoo") == 0);
	CHECK(cli_tls_keyword(&t, "foo=bar", &e) == TLS_OPT_ILLEGAL);
	CHECK(cli_tls_keyword(&t, "tlsall=1", &e) == TLS_OPT_ILLEGAL);
	CHECK(cli_tls_keyword(&t, "NOVERIFY", &e) == TLS_OPT_NOT_TLS);

	/* A value missing, or one where none belongs. */
	CHECK(cli_tls_keyword(&t, "ciphers", &e) == TLS_OPT_INVALID &&
	    strcmp(e.value, "ciphers") == 0);
	CHECK(cli_tls_keyword(&t, "protocols", &e) == TLS_OPT_INVALID);
	CHECK(cli_tls_keyword(&t, "noverify=yes", &e) == TLS_OPT_INVALID);
	CHECK(cli_tls_keyword(&t, "protocols=tlsv1.4", &e) == TLS_OPT_BAD_PROTOCOLS &&
	    strcmp(e.value, "tlsv1.4") == 0);
	CHECK(cli_tls_keyword(&t, "protocols=", &e) == TLS_OPT_BAD_PROTOCOLS);
	CHECK(!t.keywords && t.protocols == NULL && !t.noverify);

	/* The old words. */
	CHECK(cli_tls_keyword(&t, "tlsall", &e) == TLS_OPT_OK && strcmp(t.protocols, "all") == 0);
	CHECK(
	    cli_tls_keyword(&t, "tlscompat", &e) == TLS_OPT_OK && strcmp(t.ciphers, "compat") == 0);
	CHECK(cli_tls_keyword(&t, "tlslegacy", &e) == TLS_OPT_OK &&
	    strcmp(t.protocols, "legacy") == 0 && strcmp(t.ciphers, "legacy") == 0);
}

static void
test_protocols(void)
{
	unsigned p = 0;

	CHECK(cli_tls_parse_protocols("tlsv1.3", &p) && p == 1u << 4);
	CHECK(cli_tls_parse_protocols("default", &p) && p == ((1u << 3) | (1u << 4)));
	CHECK(cli_tls_parse_protocols("all,!tlsv1.0", &p) &&
	    p == ((1u << 2) | (1u << 3) | (1u << 4)));
	CHECK(cli_tls_parse_protocols("!tlsv1.3", &p) && p == ((1u << 1) | (1u << 2) | (1u << 3)));
	CHECK(cli_tls_parse_protocols("TLSv1.2: tlsv1.3", &p) && p == ((1u << 3) | (1u << 4)));
	CHECK(!cli_tls_parse_protocols("tlsv1.2,", &p));
	CHECK(!cli_tls_parse_protocols("", &p));
	CHECK(!cli_tls_parse_protocols("sslv3", &p));
}

static void
test_apply(void)
{
	struct tls_options t;
	struct tls_opt_error e;

	cli_tls_init(&t);
	CHECK(cli_tls_apply(&t, "c", NULL, &e) == TLS_OPT_OK && t.enabled);
	CHECK(cli_tls_apply(&t, "e", "name", &e) == TLS_OPT_OK && strcmp(t.name, "name") == 0);
	CHECK(cli_tls_apply(&t, "ssl-servername", "n2", &e) == TLS_OPT_OK &&
	    strcmp(t.name, "n2") == 0);
	CHECK(cli_tls_apply(&t, "H", "SHA256:ab", &e) == TLS_OPT_OK &&
	    strcmp(t.hash, "SHA256:ab") == 0);
	CHECK(
	    cli_tls_apply(&t, "K", "k.pem", &e) == TLS_OPT_OK && strcmp(t.key_file, "k.pem") == 0);
	CHECK(
	    cli_tls_apply(&t, "ssl-key", "k2", &e) == TLS_OPT_OK && strcmp(t.key_file, "k2") == 0);
	CHECK(
	    cli_tls_apply(&t, "R", "ca.pem", &e) == TLS_OPT_OK && strcmp(t.ca_file, "ca.pem") == 0);
	CHECK(cli_tls_apply(&t, "ssl-trustfile", "ca2", &e) == TLS_OPT_OK &&
	    strcmp(t.ca_file, "ca2") == 0);
	CHECK(cli_tls_apply(&t, "o", "st.der", &e) == TLS_OPT_OK &&
	    strcmp(t.staple_file, "st.der") == 0);
	CHECK(cli_tls_apply(&t, "tls-cert", "c.pem", &e) == TLS_OPT_OK &&
	    strcmp(t.cert_file, "c.pem") == 0);
	CHECK(cli_tls_apply(&t, "ssl-cert", "c2", &e) == TLS_OPT_OK &&
	    strcmp(t.cert_file, "c2") == 0);
	CHECK(cli_tls_apply(&t, "tls-peer-cert", "-", &e) == TLS_OPT_OK &&
	    strcmp(t.peer_cert_file, "-") == 0);
	CHECK(cli_tls_apply(&t, "ssl-alpn", "h2,http/1.1", &e) == TLS_OPT_OK &&
	    strcmp(t.alpn, "h2,http/1.1") == 0);
	CHECK(cli_tls_apply(&t, "tls-min-days", "30", &e) == TLS_OPT_OK && t.min_days == 30);
	CHECK(cli_tls_apply(&t, "tls-min-days", "x", &e) == TLS_OPT_BAD_DAYS &&
	    strcmp(e.errstr, "invalid") == 0 && strcmp(e.value, "x") == 0);
	CHECK(cli_tls_apply(&t, "tls-min-days", "99999", &e) == TLS_OPT_BAD_DAYS &&
	    strcmp(e.errstr, "too large") == 0);
	CHECK(cli_tls_apply(&t, "tls-min-days", "-1", &e) == TLS_OPT_BAD_DAYS);
	CHECK(t.min_days == 30);
	CHECK(
	    cli_tls_apply(&t, "tls-noverify", NULL, &e) == TLS_OPT_OK && t.noverify && t.keywords);
	CHECK(cli_tls_apply(&t, "tls-protocols", "tlsv1.3", &e) == TLS_OPT_OK);
	CHECK(cli_tls_apply(&t, "tls-protocols", "nope", &e) == TLS_OPT_BAD_PROTOCOLS);
	CHECK(cli_tls_apply(&t, "tls-ciphers", "secure", &e) == TLS_OPT_OK &&
	    strcmp(t.ciphers, "secure") == 0);
	CHECK(cli_tls_apply(&t, "Z", NULL, &e) == TLS_OPT_UNKNOWN);
	CHECK(cli_tls_apply(&t, "tls-bogus", "x", &e) == TLS_OPT_UNKNOWN);

	/* Every long name in the table is one cli_tls_apply takes. */
	for (const struct tls_long_option *l = cli_tls_long_options; l->name != NULL; l++) {
		const char *arg = strcmp(l->name, "tls-min-days") == 0 ? "1" :
		    strcmp(l->name, "tls-protocols") == 0              ? "tlsv1.3" :
		    l->has_arg                                         ? "x" :
		                                                         NULL;
		cli_tls_init(&t);
		CHECK(cli_tls_apply(&t, l->name, arg, &e) == TLS_OPT_OK && cli_tls_any(&t));
	}
}

static enum tls_opt_status
check(const struct tls_options *t, bool listen, bool udp, bool unix_socket, bool pass_fd,
    const char **value)
{
	struct tls_context ctx = {
	    .listen = listen, .udp = udp, .unix_socket = unix_socket, .pass_fd = pass_fd};
	struct tls_opt_error e;
	enum tls_opt_status st = cli_tls_check(t, &ctx, &e);

	*value = e.value;
	return st;
}

static void
test_rules(void)
{
	struct tls_options t;
	const char *v;

	cli_tls_init(&t);
	CHECK(check(&t, false, true, true, true, &v) == TLS_OPT_OK); /* no TLS, no rules */
	t.enabled = true;
	CHECK(check(&t, false, false, false, false, &v) == TLS_OPT_OK);
	CHECK(check(&t, false, true, true, true, &v) == TLS_OPT_CONFLICT && strcmp(v, "-F") == 0);
	CHECK(check(&t, false, true, true, false, &v) == TLS_OPT_CONFLICT && strcmp(v, "-u") == 0);
	CHECK(check(&t, false, false, true, false, &v) == TLS_OPT_CONFLICT && strcmp(v, "-U") == 0);
	struct tls_context dccp = {.dccp = true};
	struct tls_opt_error e;
	CHECK(cli_tls_check(&t, &dccp, &e) == TLS_OPT_CONFLICT && strcmp(e.value, "-Z") == 0);

	/* Without -c: keywords first, then OpenBSD's order. */
	cli_tls_init(&t);
	t.noverify = t.keywords = true;
	t.cert_file = "c";
	CHECK(check(&t, false, false, false, false, &v) == TLS_OPT_KEYWORD_NEEDS_C);
	t.keywords = false;
	t.noverify = false;

	struct {
		const char **field;
		const char *name;
	} order[] = {
	    {&t.cert_file, "--tls-cert"},
	    {&t.key_file, "-K"},
	    {&t.peer_cert_file, "--tls-peer-cert"},
	    {&t.ca_file, "-R"},
	    {&t.hash, "-H"},
	    {&t.name, "-e"},
	    {&t.alpn, "--tls-alpn"},
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		*order[i].field = "x";
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		CHECK(check(&t, false, false, false, false, &v) == TLS_OPT_NEEDS_C &&
		    strcmp(v, order[i].name) == 0);
		*order[i].field = NULL;
	}
	t.min_days = 3;
	CHECK(check(&t, false, false, false, false, &v) == TLS_OPT_NEEDS_C &&
	    strcmp(v, "--tls-min-days") == 0);
	t.min_days = -1;
	t.staple_file = "s";
	CHECK(check(&t, false, false, false, false, &v) == TLS_OPT_STAPLE_NEEDS_CERT);

	cli_tls_init(&t);
	t.enabled = true;
	t.staple_file = "s";
	CHECK(check(&t, true, false, false, false, &v) == TLS_OPT_STAPLE_NEEDS_CERT);
	t.cert_file = "c";
	CHECK(check(&t, true, false, false, false, &v) == TLS_OPT_OK);
	t.clientcert = t.keywords = true;
	CHECK(check(&t, false, false, false, false, &v) == TLS_OPT_CLIENTCERT_NEEDS_L);
	CHECK(check(&t, true, false, false, false, &v) == TLS_OPT_OK);
	t.hash = "SHA256:x";
	t.noverify = true;
	CHECK(check(&t, true, false, false, false, &v) == TLS_OPT_HASH_NOVERIFY);
}

/* Runs f with stderr into a buffer; returns it. */
static const char *
captured(void (*f)(const void *), const void *arg)
{
	static char out[8192];
	FILE *tmp = tmpfile();
	int saved = dup(2);

	fflush(stderr);
	dup2(fileno(tmp), 2);
	f(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	size_t n = fread(out, 1, sizeof(out) - 1, tmp);
	out[n] = '\0';
	fclose(tmp);
	return out;
}

static void
say_option_error(const void *arg)
{
	report_tls_option_error(arg);
}

static void
test_option_texts(void)
{
	static const struct {
		struct tls_opt_error e;
		const char *text;
	} cases[] = {
	    {{TLS_OPT_ILLEGAL, "tlsfoo", NULL}, "nc: illegal tos/tls value tlsfoo\n"},
	    {{TLS_OPT_NOT_TLS, "bogus", NULL}, "nc: illegal tos value bogus\n"},
	    {{TLS_OPT_INVALID, "ciphers", NULL}, "nc: invalid tls value `ciphers'\n"},
	    {{TLS_OPT_BAD_PROTOCOLS, "tlsv9", NULL}, "nc: invalid TLS protocols `tlsv9'\n"},
	    {{TLS_OPT_BAD_DAYS, "x", "invalid"}, "nc: --tls-min-days invalid: x\n"},
	    {{TLS_OPT_CONFLICT, "-F", NULL}, "nc: cannot use -c and -F\n"},
	    {{TLS_OPT_NEEDS_C, "--tls-cert", NULL}, "nc: you must specify -c to use --tls-cert\n"},
	    {{TLS_OPT_NEEDS_C, "-K", NULL}, "nc: you must specify -c to use -K\n"},
	    {{TLS_OPT_KEYWORD_NEEDS_C, NULL, NULL}, "nc: you must specify -c to use TLS options\n"},
	    {{TLS_OPT_STAPLE_NEEDS_CERT, "-o", NULL},
	        "nc: you must specify --tls-cert to use -o\n"},
	    {{TLS_OPT_CLIENTCERT_NEEDS_L, NULL, NULL}, "nc: clientcert is only valid with -l\n"},
	    {{TLS_OPT_HASH_NOVERIFY, NULL, NULL},
	        "nc: -H and -T noverify may not be used together\n"},
	    {{TLS_OPT_OK, NULL, NULL}, ""},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = captured(say_option_error, &cases[i].e);
		CHECK(strcmp(got, cases[i].text) == 0);
		if (strcmp(got, cases[i].text) != 0)
			fprintf(stderr, "  got \"%s\"\n", got);
	}
}

static void
say_failure(const void *arg)
{
	report_tls_failure(arg);
}

static void
test_failure_texts(void)
{
	static const struct {
		enum conn_tls_status st;
		const char *text, *line;
	} cases[] = {
	    {CONN_TLS_NO_CONFIG, "", "nc: unable to allocate TLS config\n"},
	    {CONN_TLS_CONFIG, "failed to open CA file '/x': No such file or directory",
	        "nc: failed to open CA file '/x': No such file or directory\n"},
	    {CONN_TLS_NO_CLIENT, "", "nc: tls client creation failed\n"},
	    {CONN_TLS_NO_SERVER, "", "nc: tls server creation failed\n"},
	    {CONN_TLS_CONFIGURE, "why", "nc: tls configuration failed (why)\n"},
	    {CONN_TLS_CONNECT, "why", "nc: tls connection failed (why)\n"},
	    {CONN_TLS_ACCEPT, "why", "nc: tls accept failed (why)\n"},
	    {CONN_TLS_HANDSHAKE,
	        "certificate verification failed: unable to get local issuer certificate",
	        "nc: tls handshake failed (certificate verification failed: unable to get local "
	        "issuer certificate)\n"},
	    {CONN_TLS_HASH, "SHA256:00", "nc: peer certificate is not SHA256:00\n"},
	    {CONN_TLS_NO_CLIENT_CERT, "", "nc: No client certificate provided\n"},
	    {CONN_TLS_CLIENT_NAME, "bob", "nc: name (bob) not found in client cert\n"},
	    {CONN_TLS_NO_PEER_CERT, "", "nc: Can't get peer certificate\n"},
	    {CONN_TLS_SAVE_OPEN, "/x/y", "nc: can't open /x/y\n"},
	    {CONN_TLS_SAVE_WRITE, "/x/y", "nc: unable to save peer cert\n"},
	    {CONN_TLS_SAVE_CLOSE, "/x/y", "nc: fclose failed saving peer cert\n"},
	    {CONN_TLS_UNAVAILABLE, "",
	        "nc: TLS is not supported: this nc was built without libtls\n"},
	};
	struct conn_tls_result r;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.status = cases[i].st;
		strcpy(r.text, cases[i].text);
		const char *got = captured(say_failure, &r);
		CHECK(strcmp(got, cases[i].line) == 0);
		if (strcmp(got, cases[i].line) != 0)
			fprintf(stderr, "  got \"%s\"\n", got);
	}

	/* --tls-min-days: the date, in UTC. */
	memset(&r, 0, sizeof(r));
	r.status = CONN_TLS_EXPIRES;
	r.min_days = 30;
	r.facts.not_after = time(NULL) + 5 * 86400;
	char want[128], date[64];
	struct tm tm;
	gmtime_r(&r.facts.not_after, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S UTC", &tm);
	snprintf(want, sizeof(want), "nc: peer certificate expires on %s, within 30 days\n", date);
	CHECK(strcmp(captured(say_failure, &r), want) == 0);
	r.facts.not_after = 1580515200; /* 2020-02-01 */
	CHECK(strcmp(captured(say_failure, &r),
	          "nc: peer certificate expired on 2020-02-01 00:00:00 UTC\n") == 0);
}

struct handshake_args {
	const struct conn_tls_result *r;
	const char *host, *name;
};

static void
say_handshake(const void *arg)
{
	const struct handshake_args *a = arg;
	report_tls_handshake(a->r, a->host, a->name);
}

static bool
starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void
fake_facts(struct conn_tls_result *r)
{
	memset(r, 0, sizeof(*r));
	struct conn_tls_facts *f = &r->facts;
	f->done = f->peer_cert = f->verified = true;
	strcpy(f->version, "TLSv1.3");
	strcpy(f->cipher, "TLS_AES_256_GCM_SHA384");
	strcpy(f->subject, "/L=OpenBSD/O=netcat-regress/OU=server/CN=localhost");
	strcpy(f->issuer, "/L=OpenBSD/O=netcat-regress/OU=ca/CN=root");
	strcpy(f->hash, "SHA256:cf52afe74f7beacdcec281f0de7856ad7adccc0c9aee5030953848c04280bf38");
	f->not_before = 1796104448; /* Tue Dec  1 05:54:08 2026 UTC */
	f->not_after = 1798696448;  /* Thu Dec 31 05:54:08 2026 UTC */
	f->ocsp_response_status = -1;
}

static void
test_verbose_report(void)
{
	struct conn_tls_result r;
	struct handshake_args a = {&r, "127.0.0.1", NULL};

	setenv("TZ", "UTC", 1);
	tzset();
	fake_facts(&r);
	report_init("nc", 0);
	CHECK(strcmp(captured(say_handshake, &a), "") == 0);
	report_init("nc", 1);
	const char *block =
	    "TLS handshake negotiated TLSv1.3/TLS_AES_256_GCM_SHA384 with host 127.0.0.1\n"
	    "Peer name: 127.0.0.1\n"
	    "Subject: /L=OpenBSD/O=netcat-regress/OU=server/CN=localhost\n"
	    "Issuer: /L=OpenBSD/O=netcat-regress/OU=ca/CN=root\n"
	    "Valid From: Tue Dec  1 05:54:08 2026\n"
	    "Valid Until: Thu Dec 31 05:54:08 2026\n"
	    "Cert Hash: SHA256:cf52afe74f7beacdcec281f0de7856ad7adccc0c9aee5030953848c04280bf38\n";
	CHECK(strcmp(captured(say_handshake, &a), block) == 0);

	/* -e names the peer; a failed check follows the report. */
	a.name = "localhost";
	r.status = CONN_TLS_HASH;
	strcpy(r.text, "SHA256:00");
	const char *got = captured(say_handshake, &a);
	CHECK(starts(got,
	    "TLS handshake negotiated TLSv1.3/TLS_AES_256_GCM_SHA384 with host 127.0.0.1\n"
	    "Peer name: localhost\n"));
	CHECK(strstr(got,
	          "Cert Hash: "
	          "SHA256:cf52afe74f7beacdcec281f0de7856ad7adccc0c9aee5030953848c04280bf38\n"
	          "nc: peer certificate is not SHA256:00\n") != NULL);

	/* A server: only with a client certificate; the listen address may be NULL. */
	r.status = CONN_TLS_OK;
	r.facts.server = true;
	r.facts.peer_cert = false;
	a.name = NULL;
	a.host = NULL;
	CHECK(strcmp(captured(say_handshake, &a), "") == 0);
	r.facts.peer_cert = true;
	CHECK(starts(captured(say_handshake, &a),
	    "TLS handshake negotiated TLSv1.3/TLS_AES_256_GCM_SHA384 with host (null)\n"
	    "Peer name: (null)\n"));

	/* OCSP, stapled and good; then a failed response. */
	r.facts.server = false;
	a.host = "h";
	strcpy(r.facts.ocsp_url, "http://ocsp.example/");
	r.facts.ocsp_response_status = 0;
	r.facts.ocsp_cert_status = 0;
	r.facts.ocsp_crl_reason = 0;
	strcpy(r.facts.ocsp_result, "good");
	r.facts.ocsp_this_update = 1796104448;
	r.facts.ocsp_next_update = -1;
	r.facts.ocsp_revocation = -1;
	got = captured(say_handshake, &a);
	CHECK(strstr(got,
	          "Cert Hash: "
	          "SHA256:cf52afe74f7beacdcec281f0de7856ad7adccc0c9aee5030953848c04280bf38\n"
	          "OCSP URL: http://ocsp.example/\n"
	          "OCSP Stapling: good\n"
	          "  response_status=0 cert_status=0 crl_reason=0\n"
	          "  this update: Tue Dec  1 05:54:08 2026\n"
	          "  next update: \n"
	          "  revocation: \n") != NULL);
	r.facts.ocsp_response_status = 3;
	strcpy(r.facts.ocsp_result, "try later");
	got = captured(say_handshake, &a);
	CHECK(strstr(got,
	          "OCSP URL: http://ocsp.example/\n"
	          "OCSP Stapling:  failure - response_status 3 (try later)\n") != NULL);
	CHECK(strstr(got, "response_status=") == NULL);
	report_init("nc", 0);
}

static void
test_json(void)
{
	struct conn_tls_result r;
	char buf[2048];

	fake_facts(&r);
	strcpy(r.facts.alpn, "h2");
	int n = report_json_tls(buf, sizeof(buf), &r, 1796104448 + 10 * 86400 + 5);
	const char *want =
	    "{\"protocol\":\"TLSv1.3\",\"cipher\":\"TLS_AES_256_GCM_SHA384\",\"alpn\":\"h2\","
	    "\"subject\":\"/L=OpenBSD/O=netcat-regress/OU=server/CN=localhost\","
	    "\"issuer\":\"/L=OpenBSD/O=netcat-regress/OU=ca/CN=root\","
	    "\"not_before\":\"2026-12-01T05:54:08Z\",\"not_after\":\"2026-12-31T05:54:08Z\","
	    "\"days_left\":19,"
	    "\"sha256\":\"cf52afe74f7beacdcec281f0de7856ad7adccc0c9aee5030953848c04280bf38\","
	    "\"verified\":true,\"error\":null}";
	CHECK(strcmp(buf, want) == 0 && n == (int)strlen(want));
	if (strcmp(buf, want) != 0)
		fprintf(stderr, "  got %s\n", buf);

	/* Expired by a second: -1 days. */
	report_json_tls(buf, sizeof(buf), &r, 1798696448 + 1);
	CHECK(strstr(buf, "\"days_left\":-1,") != NULL);

	/* A failed handshake: no facts, the reason. */
	memset(&r, 0, sizeof(r));
	r.status = CONN_TLS_HANDSHAKE;
	strcpy(r.text, "name `x' not present in server certificate");
	report_json_tls(buf, sizeof(buf), &r, 0);
	CHECK(strcmp(buf,
	          "{\"protocol\":null,\"cipher\":null,\"alpn\":null,\"subject\":null,"
	          "\"issuer\":null,\"not_before\":null,\"not_after\":null,\"days_left\":null,"
	          "\"sha256\":null,\"verified\":false,\"error\":\"tls handshake failed (name "
	          "`x' not present in server certificate)\"}") == 0);

	/* A quote in a subject is escaped; a short buffer still tells the length. */
	fake_facts(&r);
	strcpy(r.facts.subject, "/CN=a\"b");
	report_json_tls(buf, sizeof(buf), &r, 0);
	CHECK(strstr(buf, "\"subject\":\"/CN=a\\\"b\"") != NULL);
	char small[16];
	int need = report_json_tls(small, sizeof(small), &r, 0);
	CHECK(need > 16 && strlen(small) < sizeof(small));
}

int
main(void)
{
	test_keywords();
	test_protocols();
	test_apply();
	test_rules();
	test_option_texts();
	test_failure_texts();
	test_verbose_report();
	test_json();
	return check_summary("test_tls_options");
}
