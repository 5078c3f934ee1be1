/*
 * The TLS option parsers (cli_tls.c): -T's keywords (cli_tls_keyword), the
 * TLS options by name (cli_tls_apply), the libtls protocols grammar and
 * the rules between them (cli_tls_check). The input is NUL-separated
 * strings: each pair is an option (its first byte picks a name from
 * OpenBSD's letters, the long names and -T) and its value; the last byte of
 * the input picks the rest of the command line for the rules. Properties:
 * the same answer twice; values point into the input; an error names what
 * the user typed or an option; accepted protocols parse again and stay
 * within TLS 1.0-1.3; a line that passes the rules without -c uses no TLS
 * option at all.
 */
#include <stdbool.h>
#include <string.h>

#include "cli/cli_tls.h"
#include "fuzz.h"

#define MAX_STRINGS 16

static const char *const letters[] = {"c", "e", "H", "K", "R", "o"};
#define NLETTERS (sizeof(letters) / sizeof(letters[0]))

static size_t
nlong(void)
{
	size_t n = 0;

	while (cli_tls_long_options[n].name != NULL)
		n++;
	return n;
}

/* True if p is NULL or points into one of the n strings. */
static bool
in_input(char **s, int n, const char *p)
{
	if (p == NULL)
		return true;
	for (int i = 0; i < n; i++)
		if (p >= s[i] && p <= s[i] + strlen(s[i]))
			return true;
	return false;
}

/* A name a caller gave, or a static option name such as "-F", "--tls-cert". */
static bool
names_option(const char *v)
{
	return v != NULL && v[0] == '-';
}

/* Applies the pairs in s to t; returns the first error's status (or OK). */
static enum tls_opt_status
apply_all(struct tls_options *t, char **s, int n, struct tls_opt_error *err)
{
	size_t nl = nlong();

	cli_tls_init(t);
	memset(err, 0, sizeof(*err));
	for (int i = 0; i + 1 < n; i += 2) {
		size_t pick = (unsigned char)s[i][0] % (NLETTERS + nl + 1);
		const char *arg = s[i + 1];
		enum tls_opt_status st;

		if (pick == NLETTERS + nl) {
			st = cli_tls_keyword(t, arg, err);
			if (st == TLS_OPT_NOT_TLS) {
				/* Left to the TOS parser: no TLS word, nothing changed. */
				FUZZ_CHECK(strncmp(arg, "tls", 3) != 0 && strchr(arg, '=') == NULL);
				FUZZ_CHECK(strcmp(arg, "noverify") != 0 && strcmp(arg, "noname") != 0 &&
					   strcmp(arg, "clientcert") != 0 &&
					   strcmp(arg, "muststaple") != 0 &&
					   strcmp(arg, "protocols") != 0 && strcmp(arg, "ciphers") != 0);
				continue;
			}
			if (st == TLS_OPT_OK)
				FUZZ_CHECK(t->keywords);
		} else {
			const char *name = pick < NLETTERS ? letters[pick]
							   : cli_tls_long_options[pick - NLETTERS].name;
			st = cli_tls_apply(t, name, arg, err);
			/* Every name of the table is known. */
			FUZZ_CHECK(st != TLS_OPT_UNKNOWN && st != TLS_OPT_NOT_TLS);
		}
		FUZZ_CHECK(err->status == st);
		if (st != TLS_OPT_OK) {
			FUZZ_CHECK(st == TLS_OPT_ILLEGAL || st == TLS_OPT_INVALID ||
				   st == TLS_OPT_BAD_PROTOCOLS || st == TLS_OPT_BAD_DAYS);
			FUZZ_CHECK(err->value != NULL && in_input(s, n, err->value));
			FUZZ_CHECK(st != TLS_OPT_BAD_DAYS || err->errstr != NULL);
			return st;
		}
	}
	return TLS_OPT_OK;
}

static void
check_fields(const struct tls_options *t, char **s, int n)
{
	unsigned bits;

	FUZZ_CHECK(in_input(s, n, t->cert_file) && in_input(s, n, t->key_file));
	FUZZ_CHECK(in_input(s, n, t->ca_file) && in_input(s, n, t->name));
	FUZZ_CHECK(in_input(s, n, t->hash) && in_input(s, n, t->staple_file));
	FUZZ_CHECK(in_input(s, n, t->peer_cert_file) && in_input(s, n, t->alpn));
	FUZZ_CHECK(t->min_days >= -1 && t->min_days <= 36500);
	/* The old keywords set static words; anything else came from the input. */
	if (t->protocols != NULL) {
		FUZZ_CHECK(cli_tls_parse_protocols(t->protocols, &bits));
		FUZZ_CHECK((bits & ~0x1eu) == 0);
		FUZZ_CHECK(in_input(s, n, t->protocols) || strcmp(t->protocols, "all") == 0 ||
			   strcmp(t->protocols, "legacy") == 0);
	}
	FUZZ_CHECK(t->ciphers == NULL || in_input(s, n, t->ciphers) ||
		   strcmp(t->ciphers, "compat") == 0 || strcmp(t->ciphers, "legacy") == 0);
	FUZZ_CHECK(!(t->noverify || t->noname || t->clientcert || t->muststaple) || t->keywords);
}

static void
check_rules(const struct tls_options *t, unsigned char ctxbits)
{
	struct tls_context ctx = {.listen = ctxbits & 1,
				  .udp = ctxbits & 2,
				  .unix_socket = ctxbits & 4,
				  .pass_fd = ctxbits & 8,
				  .dccp = ctxbits & 16};
	struct tls_opt_error e1, e2;
	enum tls_opt_status a = cli_tls_check(t, &ctx, &e1);
	enum tls_opt_status b = cli_tls_check(t, &ctx, &e2);

	FUZZ_CHECK(a == b && e1.status == a && e2.status == b);
	if (a == TLS_OPT_OK) {
		FUZZ_CHECK(t->enabled || !cli_tls_any(t));
		FUZZ_CHECK(!t->enabled || (!ctx.udp && !ctx.unix_socket && !ctx.pass_fd && !ctx.dccp));
		FUZZ_CHECK(!t->clientcert || ctx.listen);
		FUZZ_CHECK(t->hash == NULL || !t->noverify);
		FUZZ_CHECK(t->staple_file == NULL || t->cert_file != NULL);
		return;
	}
	FUZZ_CHECK(a >= TLS_OPT_CONFLICT && a <= TLS_OPT_HASH_NOVERIFY);
	if (a == TLS_OPT_CONFLICT || a == TLS_OPT_NEEDS_C || a == TLS_OPT_STAPLE_NEEDS_CERT)
		FUZZ_CHECK(names_option(e1.value));
}

/* Also the grammar alone, on the whole input as one list. */
static void
check_grammar(const uint8_t *data, size_t size)
{
	char *list = fuzz_cstr(data, size);
	unsigned x, y;
	bool ok = cli_tls_parse_protocols(list, &x);

	FUZZ_CHECK(ok == cli_tls_parse_protocols(list, &y));
	if (ok)
		FUZZ_CHECK(x == y && (x & ~0x1eu) == 0);
	free(list);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s[MAX_STRINGS], *s2[MAX_STRINGS];
	struct tls_options t, u;
	struct tls_opt_error e, f;

	if (size == 0)
		return 0;
	unsigned char ctxbits = data[size - 1];
	int n = fuzz_split(data, size - 1, s, MAX_STRINGS);
	int n2 = fuzz_split(data, size - 1, s2, MAX_STRINGS);

	enum tls_opt_status st = apply_all(&t, s, n, &e);
	enum tls_opt_status st2 = apply_all(&u, s2, n2, &f);
	FUZZ_CHECK(st == st2 && t.enabled == u.enabled && t.min_days == u.min_days);
	FUZZ_CHECK(t.keywords == u.keywords && t.noverify == u.noverify);
	if (st == TLS_OPT_OK) {
		check_fields(&t, s, n);
		check_rules(&t, ctxbits);
	}
	check_grammar(data, size);
	fuzz_free_strings(s, n);
	fuzz_free_strings(s2, n2);
	return 0;
}
