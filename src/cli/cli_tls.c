/* The TLS options: parsing and the rules between them. No I/O. */
#include "cli/cli_tls.h"

#include <bsd/stdlib.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

void
cli_tls_init(struct tls_options *t)
{
	memset(t, 0, sizeof(*t));
	t->min_days = -1;
}

bool
cli_tls_built_in(void)
{
#ifdef HAVE_TLS
	return true;
#else
	return false;
#endif
}

/* Bits as libtls' TLS_PROTOCOL_*, kept here so the parser needs no libtls. */
enum {
	P_10 = 1u << 1,
	P_11 = 1u << 2,
	P_12 = 1u << 3,
	P_13 = 1u << 4,
	P_ALL = P_10 | P_11 | P_12 | P_13,
	P_DEFAULT = P_12 | P_13,
};

static const struct {
	const char *name;
	unsigned bits;
} protocol_names[] = {
    {"all", P_ALL},
    {"legacy", P_ALL},
    {"default", P_DEFAULT},
    {"secure", P_DEFAULT},
    {"tlsv1", P_ALL},
    {"tlsv1.0", P_10},
    {"tlsv1.1", P_11},
    {"tlsv1.2", P_12},
    {"tlsv1.3", P_13},
};

static unsigned
protocol_bits(const char *word, size_t len)
{
	for (size_t i = 0; i < sizeof(protocol_names) / sizeof(protocol_names[0]); i++) {
		const char *n = protocol_names[i].name;
		if (strlen(n) == len && strncasecmp(word, n, len) == 0)
			return protocol_names[i].bits;
	}
	return 0;
}

bool
cli_tls_parse_protocols(const char *s, unsigned *protocols)
{
	unsigned set = 0;

	for (;;) {
		size_t len = strcspn(s, ",:");
		const char *w = s;
		bool negate = false;

		while (*w == ' ' || *w == '\t')
			w++;
		if (*w == '!') {
			negate = true;
			w++;
		}
		len -= (size_t)(w - s);
		/* "!tlsv1.0" alone means everything else. */
		if (negate && set == 0)
			set = P_ALL;
		unsigned bits = protocol_bits(w, len);
		if (bits == 0)
			return false;
		if (negate)
			set &= ~bits;
		else
			set |= bits;
		if (w[len] == '\0')
			break;
		s = w + len + 1;
	}
	*protocols = set;
	return true;
}

static enum tls_opt_status
fail(struct tls_opt_error *err, enum tls_opt_status st, const char *value)
{
	err->status = st;
	err->value = value;
	err->errstr = NULL;
	return st;
}

enum tls_opt_status
cli_tls_keyword(struct tls_options *t, const char *value, struct tls_opt_error *err)
{
	const char *eq = strchr(value, '=');
	size_t len = eq != NULL ? (size_t)(eq - value) : strlen(value);
	const char *arg = eq != NULL ? eq + 1 : NULL;
	bool *flag = NULL;
	const char **setting = NULL;

#define IS(word) (len == sizeof(word) - 1 && strncmp(value, word, len) == 0)
	if (IS("noverify"))
		flag = &t->noverify;
	else if (IS("noname"))
		flag = &t->noname;
	else if (IS("clientcert"))
		flag = &t->clientcert;
	else if (IS("muststaple"))
		flag = &t->muststaple;
	else if (IS("protocols"))
		setting = &t->protocols;
	else if (IS("ciphers"))
		setting = &t->ciphers;
	else if (IS("tlsall") && arg == NULL)
		t->protocols = "all";
	else if (IS("tlscompat") && arg == NULL)
		t->ciphers = "compat";
	else if (IS("tlslegacy") && arg == NULL) {
		t->protocols = "legacy";
		t->ciphers = "legacy";
	} else if (strncmp(value, "tls", 3) == 0 || eq != NULL)
		return fail(err, TLS_OPT_ILLEGAL, value);
	else
		return fail(err, TLS_OPT_NOT_TLS, value);
#undef IS

	if (flag != NULL) {
		if (arg != NULL)
			return fail(err, TLS_OPT_INVALID, value);
		*flag = true;
	} else if (setting != NULL) {
		unsigned bits;
		if (arg == NULL)
			return fail(err, TLS_OPT_INVALID, value);
		if (setting == &t->protocols && !cli_tls_parse_protocols(arg, &bits))
			return fail(err, TLS_OPT_BAD_PROTOCOLS, arg);
		*setting = arg;
	}
	t->keywords = true;
	err->status = TLS_OPT_OK;
	return TLS_OPT_OK;
}

#define LONG_ROW(name, has_arg) {name, has_arg},
const struct tls_long_option cli_tls_long_options[] = {CLI_TLS_LONG_OPTIONS(LONG_ROW){NULL, false}};
#undef LONG_ROW

/* Which field an option name sets; OpenBSD's letter first, then ours, then ncat's. */
static const struct {
	const char *names[3];
	size_t offset;
} string_options[] = {
    {{"e", "tls-name", "ssl-servername"}, offsetof(struct tls_options, name)},
    {{"H", "tls-hash", NULL}, offsetof(struct tls_options, hash)},
    {{"K", "tls-key", "ssl-key"}, offsetof(struct tls_options, key_file)},
    {{"R", "tls-ca", "ssl-trustfile"}, offsetof(struct tls_options, ca_file)},
    {{"o", "tls-staple", NULL}, offsetof(struct tls_options, staple_file)},
    {{"tls-cert", "ssl-cert", NULL}, offsetof(struct tls_options, cert_file)},
    {{"tls-peer-cert", NULL, NULL}, offsetof(struct tls_options, peer_cert_file)},
    {{"tls-alpn", "ssl-alpn", NULL}, offsetof(struct tls_options, alpn)},
};

enum tls_opt_status
cli_tls_apply(struct tls_options *t, const char *name, const char *arg, struct tls_opt_error *err)
{
	err->status = TLS_OPT_OK;
	if (strcmp(name, "c") == 0 || strcmp(name, "tls") == 0 || strcmp(name, "ssl") == 0) {
		t->enabled = true;
		return TLS_OPT_OK;
	}
	for (size_t i = 0; i < sizeof(string_options) / sizeof(string_options[0]); i++) {
		for (size_t k = 0; k < 3 && string_options[i].names[k] != NULL; k++) {
			if (strcmp(name, string_options[i].names[k]) == 0) {
				*(const char **)((char *)t + string_options[i].offset) = arg;
				return TLS_OPT_OK;
			}
		}
	}
	if (strcmp(name, "tls-min-days") == 0) {
		const char *errstr;
		long long n = strtonum(arg, 0, 36500, &errstr);
		if (errstr != NULL) {
			fail(err, TLS_OPT_BAD_DAYS, arg);
			err->errstr = errstr;
			return TLS_OPT_BAD_DAYS;
		}
		t->min_days = (int)n;
		return TLS_OPT_OK;
	}
	if (strncmp(name, "tls-", 4) == 0) {
		const char *word = name + 4;
		if (strcmp(word, "protocols") == 0 || strcmp(word, "ciphers") == 0) {
			if (strcmp(word, "protocols") == 0) {
				unsigned bits;
				if (!cli_tls_parse_protocols(arg, &bits))
					return fail(err, TLS_OPT_BAD_PROTOCOLS, arg);
				t->protocols = arg;
			} else
				t->ciphers = arg;
			t->keywords = true;
			return TLS_OPT_OK;
		}
		if (strcmp(word, "noverify") == 0 || strcmp(word, "noname") == 0 ||
		    strcmp(word, "clientcert") == 0 || strcmp(word, "muststaple") == 0)
			return cli_tls_keyword(t, word, err);
	}
	return fail(err, TLS_OPT_UNKNOWN, name);
}

enum tls_opt_status
cli_tls_check(const struct tls_options *t, const struct tls_context *ctx, struct tls_opt_error *err)
{
	err->status = TLS_OPT_OK;
	if (t->enabled) {
		if (ctx->pass_fd)
			return fail(err, TLS_OPT_CONFLICT, "-F");
		if (ctx->udp)
			return fail(err, TLS_OPT_CONFLICT, "-u");
		if (ctx->unix_socket)
			return fail(err, TLS_OPT_CONFLICT, "-U");
		if (ctx->dccp)
			return fail(err, TLS_OPT_CONFLICT, "-Z");
	} else {
		/* OpenBSD's order; our long names where OpenBSD's letter is Debian's. */
		const struct {
			bool given;
			const char *option;
		} needs_c[] = {
		    {t->cert_file != NULL, "--tls-cert"},
		    {t->key_file != NULL, "-K"},
		    {t->peer_cert_file != NULL, "--tls-peer-cert"},
		    {t->ca_file != NULL, "-R"},
		    {t->hash != NULL, "-H"},
		    {t->name != NULL, "-e"},
		    {t->alpn != NULL, "--tls-alpn"},
		    {t->min_days >= 0, "--tls-min-days"},
		};

		if (t->keywords)
			return fail(err, TLS_OPT_KEYWORD_NEEDS_C, NULL);
		for (size_t i = 0; i < sizeof(needs_c) / sizeof(needs_c[0]); i++)
			if (needs_c[i].given)
				return fail(err, TLS_OPT_NEEDS_C, needs_c[i].option);
	}
	if (t->staple_file != NULL && t->cert_file == NULL)
		return fail(err, TLS_OPT_STAPLE_NEEDS_CERT, "-o");
	if (t->clientcert && !ctx->listen)
		return fail(err, TLS_OPT_CLIENTCERT_NEEDS_L, NULL);
	if (t->hash != NULL && t->noverify)
		return fail(err, TLS_OPT_HASH_NOVERIFY, NULL);
	return TLS_OPT_OK;
}

bool
cli_tls_any(const struct tls_options *t)
{
	return t->enabled || t->keywords || t->cert_file != NULL || t->key_file != NULL ||
	    t->ca_file != NULL || t->name != NULL || t->hash != NULL || t->staple_file != NULL ||
	    t->peer_cert_file != NULL || t->alpn != NULL || t->min_days >= 0;
}
