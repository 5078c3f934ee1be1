/*
 * TLS messages. The -v report and the error texts are OpenBSD nc's, byte
 * for byte (ctime(3) lines keep its own newline); --tls-min-days and the
 * build without libtls have ours.
 */
#include "report/report_tls.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "report/report_json.h"

void
report_tls_option_error(const struct tls_opt_error *err)
{
	const char *v = err->value != NULL ? err->value : "";

	switch (err->status) {
	case TLS_OPT_OK:
		break;
	case TLS_OPT_NOT_TLS:
		report_say("illegal tos value %s", v);
		break;
	case TLS_OPT_ILLEGAL:
		report_say("illegal tos/tls value %s", v);
		break;
	case TLS_OPT_INVALID:
		report_say("invalid tls value `%s'", v);
		break;
	case TLS_OPT_BAD_PROTOCOLS:
		report_say("invalid TLS protocols `%s'", v);
		break;
	case TLS_OPT_BAD_DAYS:
		report_say(
		    "--tls-min-days %s: %s", err->errstr != NULL ? err->errstr : "invalid", v);
		break;
	case TLS_OPT_UNKNOWN:
		report_say("unknown TLS option %s", v);
		break;
	case TLS_OPT_CONFLICT:
		report_say("cannot use -c and %s", v);
		break;
	case TLS_OPT_NEEDS_C:
		report_say("you must specify -c to use %s", v);
		break;
	case TLS_OPT_KEYWORD_NEEDS_C:
		report_say("you must specify -c to use TLS options");
		break;
	case TLS_OPT_STAPLE_NEEDS_CERT:
		report_say("you must specify --tls-cert to use -o");
		break;
	case TLS_OPT_CLIENTCERT_NEEDS_L:
		report_say("clientcert is only valid with -l");
		break;
	case TLS_OPT_HASH_NOVERIFY:
		report_say("-H and -T noverify may not be used together");
		break;
	}
}

static const char unavailable_text[] = "TLS is not supported: this nc was built without libtls";

void
report_tls_unavailable(void)
{
	report_say("%s", unavailable_text);
}

/* "2026-03-18 12:00:00 UTC" */
static void
utc_date(char *buf, size_t len, time_t t)
{
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
}

int
report_tls_failure_text(char *buf, size_t len, const struct conn_tls_result *r)
{
	const char *t = r->text;
	char date[64];

	switch (r->status) {
	case CONN_TLS_OK:
		break;
	case CONN_TLS_UNAVAILABLE:
		return snprintf(buf, len, "%s", unavailable_text);
	case CONN_TLS_NO_CONFIG:
		return snprintf(buf, len, "unable to allocate TLS config");
	case CONN_TLS_CONFIG:
		return snprintf(buf, len, "%s", t);
	case CONN_TLS_NO_CLIENT:
		return snprintf(buf, len, "tls client creation failed");
	case CONN_TLS_NO_SERVER:
		return snprintf(buf, len, "tls server creation failed");
	case CONN_TLS_CONFIGURE:
		return snprintf(buf, len, "tls configuration failed (%s)", t);
	case CONN_TLS_CONNECT:
		return snprintf(buf, len, "tls connection failed (%s)", t);
	case CONN_TLS_ACCEPT:
		return snprintf(buf, len, "tls accept failed (%s)", t);
	case CONN_TLS_HANDSHAKE:
		return snprintf(buf, len, "tls handshake failed (%s)", t);
	case CONN_TLS_HASH:
		return snprintf(buf, len, "peer certificate is not %s", t);
	case CONN_TLS_NO_CLIENT_CERT:
		return snprintf(buf, len, "No client certificate provided");
	case CONN_TLS_CLIENT_NAME:
		return snprintf(buf, len, "name (%s) not found in client cert", t);
	case CONN_TLS_EXPIRES:
		utc_date(date, sizeof(date), r->facts.not_after);
		if (r->facts.not_after < time(NULL))
			return snprintf(buf, len, "peer certificate expired on %s", date);
		return snprintf(
		    buf, len, "peer certificate expires on %s, within %d days", date, r->min_days);
	case CONN_TLS_NO_PEER_CERT:
		return snprintf(buf, len, "Can't get peer certificate");
	case CONN_TLS_SAVE_OPEN:
		return snprintf(buf, len, "can't open %s", t);
	case CONN_TLS_SAVE_WRITE:
		return snprintf(buf, len, "unable to save peer cert");
	case CONN_TLS_SAVE_CLOSE:
		return snprintf(buf, len, "fclose failed saving peer cert");
	}
	if (len > 0)
		buf[0] = '\0';
	return 0;
}

void
report_tls_failure(const struct conn_tls_result *r)
{
	char text[1024];

	if (r->status == CONN_TLS_OK)
		return;
	report_tls_failure_text(text, sizeof(text), r);
	report_say("%s", text);
}

void
report_tls_io_failed(bool writing, const char *text)
{
	report_say("tls %s failed (%s)", writing ? "write" : "read",
	    text != NULL ? text : "unknown error");
}

/* "  this update: " + ctime(3), or an empty value when unknown. */
static void
ocsp_time(const char *label, time_t t)
{
	fprintf(stderr, "  %s: %s", label, t != -1 ? ctime(&t) : "\n");
}

/* TLS_OCSP_RESPONSE_SUCCESSFUL in tls.h; here so a build without libtls compiles. */
#define OCSP_SUCCESSFUL 0

static void
verbose_report(const struct conn_tls_facts *f, const char *host, const char *name)
{
	time_t t;

	if (host == NULL)
		host = "(null)";
	fprintf(
	    stderr, "TLS handshake negotiated %s/%s with host %s\n", f->version, f->cipher, host);
	fprintf(stderr, "Peer name: %s\n", name != NULL ? name : host);
	if (f->subject[0] != '\0')
		fprintf(stderr, "Subject: %s\n", f->subject);
	if (f->issuer[0] != '\0')
		fprintf(stderr, "Issuer: %s\n", f->issuer);
	if ((t = f->not_before) != -1)
		fprintf(stderr, "Valid From: %s", ctime(&t));
	if ((t = f->not_after) != -1)
		fprintf(stderr, "Valid Until: %s", ctime(&t));
	if (f->hash[0] != '\0')
		fprintf(stderr, "Cert Hash: %s\n", f->hash);
	if (f->ocsp_url[0] != '\0')
		fprintf(stderr, "OCSP URL: %s\n", f->ocsp_url);
	if (f->ocsp_response_status == -1)
		return;
	if (f->ocsp_response_status != OCSP_SUCCESSFUL) {
		fprintf(stderr, "OCSP Stapling:  failure - response_status %d (%s)\n",
		    f->ocsp_response_status, f->ocsp_result);
		return;
	}
	fprintf(stderr, "OCSP Stapling: %s\n", f->ocsp_result);
	fprintf(stderr, "  response_status=%d cert_status=%d crl_reason=%d\n",
	    f->ocsp_response_status, f->ocsp_cert_status, f->ocsp_crl_reason);
	ocsp_time("this update", f->ocsp_this_update);
	ocsp_time("next update", f->ocsp_next_update);
	ocsp_time("revocation", f->ocsp_revocation);
}

void
report_tls_handshake(const struct conn_tls_result *r, const char *host, const char *name)
{
	const struct conn_tls_facts *f = &r->facts;

	if (f->done && report_verbose() && (!f->server || f->peer_cert))
		verbose_report(f, host, name);
	report_tls_failure(r);
}

/* An object built in a caller's buffer; past its end only the length grows. */
struct jbuf {
	char *buf;
	size_t len, used;
};

static void __attribute__((format(printf, 2, 3))) jb_printf(struct jbuf *j, const char *fmt, ...)
{
	va_list ap;
	size_t room = j->used < j->len ? j->len - j->used : 0;

	va_start(ap, fmt);
	int n = vsnprintf(room > 0 ? j->buf + j->used : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		j->used += (size_t)n;
}

static void
jb_str(struct jbuf *j, const char *key, const char *value)
{
	char esc[4096];

	if (value == NULL || value[0] == '\0') {
		jb_printf(j, ",\"%s\":null", key);
		return;
	}
	json_escape(esc, sizeof(esc), value, strlen(value));
	jb_printf(j, ",\"%s\":\"%s\"", key, esc);
}

static void
jb_time(struct jbuf *j, const char *key, time_t t, bool known)
{
	struct tm tm;
	char date[32];

	if (!known || gmtime_r(&t, &tm) == NULL ||
	    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		jb_printf(j, ",\"%s\":null", key);
		return;
	}
	jb_printf(j, ",\"%s\":\"%s\"", key, date);
}

int
report_json_tls(char *buf, size_t len, const struct conn_tls_result *r, time_t now)
{
	const struct conn_tls_facts *f = &r->facts;
	struct jbuf j = {.buf = buf, .len = len};
	bool cert = f->done && f->peer_cert;
	char err[1024];

	if (len > 0)
		buf[0] = '\0';
	/* The first key opens the object; jb_str writes ",key" for the rest. */
	jb_printf(&j, "{\"protocol\":");
	if (f->done && f->version[0] != '\0') {
		json_escape(err, sizeof(err), f->version, strlen(f->version));
		jb_printf(&j, "\"%s\"", err);
	} else
		jb_printf(&j, "null");
	jb_str(&j, "cipher", f->done ? f->cipher : NULL);
	jb_str(&j, "alpn", f->done ? f->alpn : NULL);
	jb_str(&j, "subject", cert ? f->subject : NULL);
	jb_str(&j, "issuer", cert ? f->issuer : NULL);
	jb_time(&j, "not_before", f->not_before, cert && f->not_before != -1);
	jb_time(&j, "not_after", f->not_after, cert && f->not_after != -1);
	if (cert && f->not_after != -1) {
		long long left = (long long)f->not_after - (long long)now;
		/* Whole days, rounded down: -1 once it has expired. */
		jb_printf(&j, ",\"days_left\":%lld",
		    left >= 0 ? left / 86400 : -((-left + 86399) / 86400));
	} else
		jb_printf(&j, ",\"days_left\":null");
	const char *hex = strncmp(f->hash, "SHA256:", 7) == 0 ? f->hash + 7 : NULL;
	jb_str(&j, "sha256", cert ? hex : NULL);
	jb_printf(&j, ",\"verified\":%s", f->done && f->verified ? "true" : "false");
	if (r->status == CONN_TLS_OK)
		jb_printf(&j, ",\"error\":null}");
	else {
		report_tls_failure_text(err, sizeof(err), r);
		jb_str(&j, "error", err);
		jb_printf(&j, "}");
	}
	return (int)j.used;
}
