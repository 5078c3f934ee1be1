/*
 * Escaping for messages. libbsd's vis(3) does the escaping; it is told to
 * ignore the locale, and UTF-8 is recognised here instead, so the output
 * is the same whatever the environment says.
 */
#include "report/report_text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define LIBBSD_NETBSD_VIS
#include <bsd/vis.h>

/*
 * The length of the UTF-8 character at s if a terminal shows it as text,
 * else 0: C1 controls, characters that end a line or reorder it, and
 * malformed, overlong or surrogate sequences are not text.
 */
static size_t
utf8_text(const unsigned char *s, size_t n)
{
	static const unsigned long least[] = {0, 0, 0x80, 0x800, 0x10000};
	size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	unsigned long cp = s[0] & (0x7f >> len);

	if (s[0] < 0xc2 || s[0] > 0xf4 || n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < least[len] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp < 0xa0 ||
	    cp == 0x200e || cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return len;
}

size_t
report_escape(char *out, const char *s, size_t n)
{
	const int flags = VIS_CSTYLE | VIS_OCTAL | VIS_TAB | VIS_NL | VIS_NOSLASH | VIS_NOLOCALE;
	const unsigned char *u = (const unsigned char *)s;
	char *o = out;

	for (size_t i = 0, k; i < n; i += k) {
		k = u[i] >= 0x80 ? utf8_text(u + i, n - i) : 0;
		if (k > 0) {
			memcpy(o, s + i, k);
			o += k;
		} else {
			o = vis(o, u[i], flags, i + 1 < n ? u[i + 1] : '\0');
			k = 1;
		}
	}
	*o = '\0';
	return (size_t)(o - out);
}

/*
 * Every line of text the reporter writes goes out here, escaped as a whole,
 * so that a host, path or port from the user or the network can neither
 * break the line nor drive the terminal.
 */
void
report_vline(const char *prefix, const char *fmt, va_list ap)
{
	char *text, *line;
	int n = vasprintf(&text, fmt, ap);
	size_t plen = prefix != NULL ? strlen(prefix) : 0, len = 0;

	if (n < 0 || (line = malloc(4 * (plen + (size_t)n) + 4)) == NULL) {
		fprintf(stderr, "nc: %s\n", strerror(ENOMEM));
		if (n >= 0)
			free(text);
		return;
	}
	if (prefix != NULL) {
		len = report_escape(line, prefix, plen);
		line[len++] = ':';
		line[len++] = ' ';
	}
	len += report_escape(line + len, text, (size_t)n);
	line[len++] = '\n';
	fwrite(line, 1, len, stderr);
	free(line);
	free(text);
}

static const char *progname = "nc";
static const char *invoked_as = "nc";

void
report_text_set_name(const char *argv0)
{
	if (argv0 != NULL && *argv0 != '\0') {
		invoked_as = argv0;
		const char *slash = strrchr(argv0, '/');
		progname = slash != NULL ? slash + 1 : argv0;
	}
}

const char *
report_invoked_as(void)
{
	return invoked_as;
}

void
report_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vline(progname, fmt, ap);
	va_end(ap);
}

void
report_line(const char *prefix, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report_vline(prefix, fmt, ap);
	va_end(ap);
}
