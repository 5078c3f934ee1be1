/*
 * The TLS part of the command line: OpenBSD nc's -c -e -H -K -R -o and -T
 * keywords, our --tls-* long forms and ncat's --ssl* aliases. Pure: strings
 * in, struct tls_options and a status out; the reporter words the status.
 */
#ifndef NC_CLI_TLS_H
#define NC_CLI_TLS_H

#include <stdbool.h>

struct tls_options {
	bool enabled;               /* -c, --tls, --ssl */
	const char *cert_file;      /* --tls-cert (OpenBSD -C), --ssl-cert */
	const char *key_file;       /* -K, --tls-key, --ssl-key */
	const char *ca_file;        /* -R, --tls-ca, --ssl-trustfile */
	const char *name;           /* -e, --tls-name, --ssl-servername: SNI and the name checked */
	const char *hash;           /* -H, --tls-hash: "SHA256:" + 64 lowercase hex */
	const char *staple_file;    /* -o, --tls-staple: DER OCSP response */
	const char *peer_cert_file; /* --tls-peer-cert (OpenBSD -Z); "-" is stderr */
	const char *alpn;           /* --tls-alpn, --ssl-alpn: "h2,http/1.1" */
	const char *protocols;      /* -T protocols=, checked with the libtls grammar */
	const char *ciphers;        /* -T ciphers= */
	int min_days;               /* --tls-min-days; -1 unset */
	bool noverify;              /* -T noverify */
	bool noname;                /* -T noname */
	bool clientcert;            /* -T clientcert */
	bool muststaple;            /* -T muststaple */
	bool keywords;              /* some -T TLS keyword was given */
};

enum tls_opt_status {
	TLS_OPT_OK,
	TLS_OPT_NOT_TLS,       /* -T: not a TLS keyword; the caller tries TOS */
	TLS_OPT_ILLEGAL,       /* "illegal tos/tls value %s" */
	TLS_OPT_INVALID,       /* "invalid tls value `%s'" */
	TLS_OPT_BAD_PROTOCOLS, /* "invalid TLS protocols `%s'" (value: after '=') */
	TLS_OPT_BAD_DAYS,      /* "--tls-min-days %s: %s" (errstr, value) */
	TLS_OPT_UNKNOWN,       /* cli_tls_apply: name is no TLS option (a caller's bug) */
	/* Combination rules (cli_tls_check); value names the option. */
	TLS_OPT_CONFLICT,           /* "cannot use -c and %s" */
	TLS_OPT_NEEDS_C,            /* "you must specify -c to use %s" */
	TLS_OPT_KEYWORD_NEEDS_C,    /* "you must specify -c to use TLS options" */
	TLS_OPT_STAPLE_NEEDS_CERT,  /* "you must specify --tls-cert to use -o" */
	TLS_OPT_CLIENTCERT_NEEDS_L, /* "clientcert is only valid with -l" */
	TLS_OPT_HASH_NOVERIFY,      /* "-H and -T noverify may not be used together" */
};

/* What went wrong, for report_tls_option_error(). */
struct tls_opt_error {
	enum tls_opt_status status;
	const char *value;  /* the offending text or option name */
	const char *errstr; /* TLS_OPT_BAD_DAYS: strtonum's word */
};

/* Everything off: no TLS, min_days -1. */
void cli_tls_init(struct tls_options *t);

/* True when this nc was built with libtls (meson option tls). */
bool cli_tls_built_in(void);

/*
 * One -T value. TLS keywords are tried first, as OpenBSD does: noverify,
 * noname, clientcert, muststaple, protocols=LIST, ciphers=LIST, and the old
 * tlsall, tlscompat, tlslegacy. TLS_OPT_OK: applied to *t. TLS_OPT_NOT_TLS:
 * let the TOS parser have it (and say "illegal tos value" if it fails).
 * TLS_OPT_ILLEGAL: a word that looks like a TLS keyword ("tls..." or with
 * '=') but is none. TLS_OPT_INVALID, TLS_OPT_BAD_PROTOCOLS: a keyword with a
 * missing, unwanted or bad value.
 */
enum tls_opt_status cli_tls_keyword(
    struct tls_options *t, const char *value, struct tls_opt_error *err);

/*
 * The TLS options by name, as getopt_long or getopt deliver them: "c", "e",
 * "H", "K", "R", "o" (OpenBSD's letters) and the long names below.
 */
struct tls_long_option {
	const char *name;
	bool has_arg;
};

/*
 * Every TLS long option as X(name, has_arg), so that the command-line
 * parser can put them in its table at compile time: ours (--tls-*), then
 * ncat's names (--ssl*), which are aliases and verify all the same.
 */
#define CLI_TLS_LONG_OPTIONS(X)                                                      \
	X("tls", false) X("ssl", false) X("tls-cert", true) X("ssl-cert", true)     \
	X("tls-key", true) X("ssl-key", true) X("tls-ca", true)                     \
	X("ssl-trustfile", true) X("tls-name", true) X("ssl-servername", true)      \
	X("tls-hash", true) X("tls-staple", true) X("tls-peer-cert", true)          \
	X("tls-alpn", true) X("ssl-alpn", true) X("tls-min-days", true)             \
	X("tls-noverify", false) X("tls-noname", false) X("tls-clientcert", false) \
	X("tls-muststaple", false) X("tls-protocols", true) X("tls-ciphers", true)

/* The same, NULL-terminated. */
extern const struct tls_long_option cli_tls_long_options[];

/* OpenBSD's TLS letters that Debian leaves free: -c, and -e -H -K -R -o with a value. */
#define CLI_TLS_LETTERS "ceHKRo"

/* Applies option name (a letter above, or a long name without "--") with arg. */
enum tls_opt_status cli_tls_apply(
    struct tls_options *t, const char *name, const char *arg, struct tls_opt_error *err);

/* The rest of the command line that the TLS rules look at. */
struct tls_context {
	bool listen;      /* -l */
	bool udp;         /* -u */
	bool unix_socket; /* -U */
	bool pass_fd;     /* -F */
	bool dccp;        /* -Z (Debian's DCCP) */
	const char *check; /* the readiness check given (--send, --expect, --http), or NULL */
};

/*
 * The combination rules, in OpenBSD's order: -c with -U, -F, -u (and our
 * -Z, and a readiness check, which does not speak TLS yet); without -c, any TLS keyword, then each TLS option; -o without the
 * certificate; -T clientcert without -l; -H with -T noverify. TLS_OPT_OK or
 * the first rule broken.
 */
enum tls_opt_status cli_tls_check(
    const struct tls_options *t, const struct tls_context *ctx, struct tls_opt_error *err);

/* True when any TLS option at all was given (a build without TLS refuses them). */
bool cli_tls_any(const struct tls_options *t);

/*
 * The libtls protocols grammar (tls_config_parse_protocols): names all,
 * legacy, default, secure, tlsv1, tlsv1.0 ... tlsv1.3 (any case), each
 * optionally after '!', separated by ',' or ':'. Bits as TLS_PROTOCOL_*:
 * 1.0 = 1 << 1 ... 1.3 = 1 << 4. False on a word it does not know.
 */
bool cli_tls_parse_protocols(const char *s, unsigned *protocols);

#endif
