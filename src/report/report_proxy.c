/* Proxy messages: the only place that words a handshake's outcome. */
#include "report/report_proxy.h"

#include "report/report_text.h"

#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* RFC 1928's replies, as netcat-openbsd names them. */
static const char *const socks5_texts[] = {
    "Succeeded",
    "General SOCKS server failure",
    "Connection not allowed by ruleset",
    "Network unreachable",
    "Host unreachable",
    "Connection refused",
    "TTL expired",
    "Command not supported",
    "Address type not supported",
};

static const char *
socks4_text(int code)
{
	switch (code) {
	case 90:
		return "Succeeded";
	case 91:
		return "Request rejected or failed";
	case 92:
		return "SOCKS server cannot connect to identd on the client";
	case 93:
		return "Client program and identd report different user-ids";
	default:
		return "Unknown error";
	}
}

static const char *
socks5_text(int code)
{
	if (code < 0 || code >= (int)(sizeof(socks5_texts) / sizeof(socks5_texts[0])))
		return "Unknown error";
	return socks5_texts[code];
}

size_t
report_proxy_text(const struct proxy_result *r, char *buf, size_t len)
{
	char line[HTTP_LINE_MAX * 4 + 1];
	const char *fixed = NULL;
	int n;

	switch (r->status) {
	case PROXY_OK:
		fixed = "";
		break;
	case PROXY_WRITE_FAILED:
		n = snprintf(
		    buf, len, "write failed (%zu/%zu): %s", r->done, r->want, strerror(r->err));
		return n < 0 ? 0 : (size_t)n;
	case PROXY_READ_FAILED:
		/* netcat-openbsd says 3 for the 2-byte method choice: a slip we repeat. */
		n = snprintf(buf, len, "read failed (%zu/%zu): %s", r->done,
		    r->step == PROXY_STEP_SOCKS5_METHOD ? (size_t)3 : r->want, strerror(r->err));
		return n < 0 ? 0 : (size_t)n;
	case PROXY_SOCKS4_FAILED:
		n = snprintf(
		    buf, len, "connection failed, SOCKSv4 error: %s", socks4_text(r->code));
		return n < 0 ? 0 : (size_t)n;
	case PROXY_SOCKS5_FAILED:
		n = snprintf(
		    buf, len, "connection failed, SOCKSv5 error: %s", socks5_text(r->code));
		return n < 0 ? 0 : (size_t)n;
	case PROXY_SOCKS5_NO_METHOD:
		fixed = "authentication method negotiation failed";
		break;
	case PROXY_SOCKS5_BAD_ATYP:
		fixed = "connection failed, unsupported address type";
		break;
	case PROXY_SOCKS5_HOST_TOO_LONG:
		fixed = "host name too long for SOCKS5";
		break;
	case PROXY_HTTP_BAD_HOST:
		fixed = "Invalid hostname";
		break;
	case PROXY_HTTP_HOST_TOO_LONG:
		fixed = "hostname too long";
		break;
	case PROXY_HTTP_FAILED:
		/* The proxy's words, made safe for a terminal by the one rule for that. */
		report_escape(line, r->line, strlen(r->line));
		n = snprintf(buf, len, "Proxy error: \"%s\"", line);
		return n < 0 ? 0 : (size_t)n;
	case PROXY_HTTP_READ_FAILED:
		n = snprintf(buf, len, "proxy read: %s", strerror(r->err));
		return n < 0 ? 0 : (size_t)n;
	case PROXY_HTTP_LINE_TOO_LONG:
		fixed = "proxy read too long";
		break;
	case PROXY_HTTP_TOO_MANY_HEADERS:
		fixed = "Too many proxy headers received";
		break;
	case PROXY_CREDS_TOO_LONG:
		fixed = "Proxy username/password too long";
		break;
	case PROXY_AUTH_REQUIRED:
	case PROXY_AUTH_REJECTED:
		fixed = "Proxy authentication failed";
		break;
	}
	if (fixed == NULL)
		fixed = "internal error: unknown proxy status";
	n = snprintf(buf, len, "%s", fixed);
	return n < 0 ? 0 : (size_t)n;
}

void
report_proxy_failed(const struct proxy_result *r)
{
	char text[HTTP_LINE_MAX * 4 + 64];

	report_proxy_text(r, text, sizeof(text));
	report_say("%s", text);
}

/* Why there is no password to try; NULL for AUTH_READY. */
static const char *
auth_text(enum auth_next n)
{
	switch (n) {
	case AUTH_READY:
		break;
	case AUTH_UNAVAILABLE:
		return "Unable to read proxy passphrase";
	case AUTH_TOO_MANY:
		return "Too many authentication failures";
	case AUTH_ENV_REJECTED:
		return "Proxy authentication failed (password from " PROXY_PASSWORD_ENV ")";
	}
	return NULL;
}

void
report_proxy_auth(enum auth_next n)
{
	if (auth_text(n) != NULL)
		report_say("%s", auth_text(n));
}

size_t
report_answer_text(const struct dial_answer *a, const char *host, unsigned port, char *buf,
    size_t len)
{
	int n = 0;

	switch (a->kind) {
	case ANSWER_PROXY:
		return report_proxy_text(&a->proxy, buf, len);
	case ANSWER_UNRESOLVED:
		/* netcat-openbsd's wording for this lookup differs from the others'. */
		n = snprintf(buf, len, "getaddrinfo(\"%s\", \"%u\"): %s", host, port,
		    gai_strerror(a->gai));
		break;
	case ANSWER_AUTH:
		n = snprintf(buf, len, "%s", auth_text(a->auth) != NULL ? auth_text(a->auth) : "");
		break;
	}
	return n < 0 ? 0 : (size_t)n;
}

void
report_proxy_prompt(char *buf, size_t len, const char *user, const char *proxy_host)
{
	snprintf(buf, len, "Proxy password for %s@%s: ", user, proxy_host);
}
