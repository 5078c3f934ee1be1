/*
 * JSON Lines: one object per line, built in a buffer and written with one
 * call, so a reader never sees half an object. Field names are documented in
 * nc.1 (JSON OUTPUT) and README.md.
 */
#include "report/report_json.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

static bool json_on;

void
report_json_enable(bool on)
{
	json_on = on;
}

bool
report_json_enabled(void)
{
	return json_on;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), or 0 if invalid. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0; /* overlong */
		else if (s[0] == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90; /* overlong */
		else if (s[0] == 0xf4)
			hi = 0x8f; /* past U+10FFFF */
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t k = 2; k < len; k++)
		if (s[k] < 0x80 || s[k] > 0xbf)
			return 0;
	return len;
}

size_t
json_escape(char *dst, size_t dstlen, const char *src, size_t srclen)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t need = 0, written = 0, i = 0;
	bool full = false;

	while (i < srclen) {
		char esc[8];
		const char *piece = esc;
		size_t plen, step = 1;
		unsigned char c = s[i];

		if (c == '"' || c == '\\') {
			esc[0] = '\\';
			esc[1] = (char)c;
			plen = 2;
		} else if (c < 0x20) {
			const char *named = c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t"
					  : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
			if (named != NULL) {
				piece = named;
				plen = 2;
			} else {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				plen = 6;
			}
		} else if (c < 0x80) {
			piece = (const char *)s + i;
			plen = 1;
		} else if ((step = utf8_len(s + i, srclen - i)) != 0) {
			piece = (const char *)s + i;
			plen = step;
		} else {
			piece = "\\ufffd";
			plen = 6;
			step = 1;
		}
		if (!full && need + plen < dstlen)
			memcpy(dst + need, piece, plen);
		else if (!full) {
			full = true;
			written = need;
		}
		need += plen;
		i += step;
	}
	if (dstlen > 0)
		dst[full ? written : need] = '\0';
	return need;
}

const char *
json_state_name(enum probe_state s)
{
	switch (s) {
	case PROBE_OPEN:
		return "open";
	case PROBE_CLOSED:
		return "closed";
	case PROBE_FILTERED:
		return "filtered";
	case PROBE_OPEN_FILTERED:
		return "open|filtered";
	case PROBE_TIMEOUT:
		return "timeout";
	case PROBE_ERROR:
		break;
	}
	return "error";
}

/* A line being built; objects are small, so a fixed buffer with a length guard. */
struct jline {
	char buf[8192];
	size_t len;
	bool first;
};

static void
jl_raw(struct jline *j, const char *s, size_t n)
{
	if (j->len + n < sizeof(j->buf)) {
		memcpy(j->buf + j->len, s, n);
		j->len += n;
	}
}

static void
jl_key(struct jline *j, const char *key)
{
	jl_raw(j, j->first ? "{\"" : ",\"", 2);
	j->first = false;
	jl_raw(j, key, strlen(key));
	jl_raw(j, "\":", 2);
}

static void
jl_str(struct jline *j, const char *key, const char *value)
{
	char esc[4096];

	jl_key(j, key);
	if (value == NULL) {
		jl_raw(j, "null", 4);
		return;
	}
	size_t n = json_escape(esc, sizeof(esc), value, strlen(value));
	jl_raw(j, "\"", 1);
	jl_raw(j, esc, n < sizeof(esc) ? n : strlen(esc)); /* a longer value is cut */
	jl_raw(j, "\"", 1);
}

static void __attribute__((format(printf, 3, 4)))
jl_num(struct jline *j, const char *key, const char *fmt, ...)
{
	char num[64];
	va_list ap;

	jl_key(j, key);
	va_start(ap, fmt);
	int n = vsnprintf(num, sizeof(num), fmt, ap);
	va_end(ap);
	if (n > 0)
		jl_raw(j, num, (size_t)n < sizeof(num) ? (size_t)n : sizeof(num) - 1);
}

static void
jl_emit(struct jline *j, FILE *out)
{
	jl_raw(j, "}\n", 2);
	fwrite(j->buf, 1, j->len, out);
}

static const char *
family_name(int family)
{
	return family == AF_INET ? "ipv4" : family == AF_INET6 ? "ipv6" : family == AF_UNIX ? "unix"
											: NULL;
}

/* Service names by port, read once from the services database for big scans. */
static char **service_table;
static const char *service_table_proto;
static unsigned service_asks;

static void
service_table_load(const char *proto)
{
	struct servent *se;

	if ((service_table = calloc(65536, sizeof(*service_table))) == NULL)
		return;
	service_table_proto = proto;
	setservent(1);
	while ((se = getservent()) != NULL) {
		unsigned p = ntohs((unsigned short)se->s_port);
		/* The first entry wins, as with getservbyport(3). */
		if (strcmp(se->s_proto, proto) == 0 && service_table[p] == NULL)
			service_table[p] = strdup(se->s_name);
	}
	endservent();
}

const char *
json_service(unsigned port, const char *proto)
{
	if (service_table != NULL && strcmp(proto, service_table_proto) == 0)
		return port < 65536 ? service_table[port] : NULL;
	if (service_table == NULL && ++service_asks > 32) {
		service_table_load(proto);
		if (service_table != NULL)
			return json_service(port, proto);
	}
	struct servent *se = getservbyport(htons((unsigned short)port), proto);
	return se == NULL ? NULL : se->s_name;
}

void
report_json_ready(FILE *out, const struct json_ready *r)
{
	struct jline j = {.first = true};

	if (r->event != NULL) {
		jl_str(&j, "event", r->event);
		jl_num(&j, "try", "%u", r->try_no);
	}
	jl_str(&j, "host", r->host);
	jl_str(&j, "address", r->address);
	jl_str(&j, "family", family_name(r->family));
	jl_str(&j, "proto", r->proto);
	if (r->port >= 0)
		jl_num(&j, "port", "%d", r->port);
	else
		jl_str(&j, "port", NULL);
	jl_str(&j, "service", r->service);
	jl_str(&j, "state", r->state);
	jl_str(&j, "reason", r->reason);
	jl_num(&j, "time_ms", "%lld.%03lld", r->time_us / 1000, r->time_us % 1000);
	if (r->extended) {
		jl_str(&j, "check", r->check);
		if (r->http_status > 0)
			jl_num(&j, "http_status", "%d", r->http_status);
		else
			jl_str(&j, "http_status", NULL);
		jl_num(&j, "tries", "%u", r->tries);
		jl_num(&j, "elapsed_ms", "%lld", r->elapsed_ms);
		jl_num(&j, "up", "%s", r->up ? "true" : "false");
	}
	if (r->tls != NULL) {
		jl_key(&j, "tls");
		jl_raw(&j, r->tls, strlen(r->tls));
	}
	jl_emit(&j, out);
}

void
report_json_probe(FILE *out, const char *host, const char *addr, int family, const char *proto,
		  unsigned port, const char *service, enum probe_state state, const char *reason,
		  long long time_us)
{
	report_json_ready(out, &(struct json_ready){.host = host, .address = addr,
		.family = family, .proto = proto, .port = (int)port, .service = service,
		.state = json_state_name(state), .reason = reason, .time_us = time_us});
}

static int
text_family(const char *addr)
{
	if (addr == NULL)
		return AF_UNSPEC;
	return strchr(addr, ':') != NULL ? AF_INET6 : AF_INET;
}

void
report_json_connect(const struct target *t, const char *service, int err, bool timer)
{
	struct jline j = {.first = true};

	jl_str(&j, "event", err == 0 ? "connected" : "connect_failed");
	jl_str(&j, "host", t->host);
	jl_str(&j, "address", t->addr);
	jl_str(&j, "family", family_name(text_family(t->addr)));
	jl_str(&j, "proto", t->proto);
	jl_num(&j, "port", "%u", t->port);
	if (err == 0) {
		jl_str(&j, "service", service);
	} else {
		jl_str(&j, "state", json_state_name(timer ? PROBE_TIMEOUT
							  : probe_state_for_errno(err)));
		jl_str(&j, "reason", strerror(err));
	}
	jl_emit(&j, stderr);
}

void
report_json_connect_refused(const struct target *t, enum probe_state state, const char *reason)
{
	struct jline j = {.first = true};

	jl_str(&j, "event", "connect_failed");
	jl_str(&j, "host", t->host);
	jl_str(&j, "address", t->addr);
	jl_str(&j, "family", family_name(text_family(t->addr)));
	jl_str(&j, "proto", t->proto);
	jl_num(&j, "port", "%u", t->port);
	jl_str(&j, "state", json_state_name(state));
	jl_str(&j, "reason", reason);
	jl_emit(&j, stderr);
}

void
report_json_event(const char *event, const struct endpoint *e)
{
	struct jline j = {.first = true};

	jl_str(&j, "event", event);
	jl_str(&j, "address", e->name);
	if (e->has_port)
		jl_num(&j, "port", "%u", e->port);
	else
		jl_str(&j, "port", NULL);
	jl_emit(&j, stderr);
}
