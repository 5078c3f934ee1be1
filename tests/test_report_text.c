/* Unit tests of the escaping every message goes through. */
#include <stdlib.h>

#include "check.h"
#include "report/report_text.h"

static void
shows(const char *in, const char *want)
{
	size_t n = strlen(in);
	char *out = malloc(4 * n + 1);
	size_t len = report_escape(out, in, n);

	CHECK(len == strlen(out));
	CHECK(strcmp(out, want) == 0);
	if (strcmp(out, want) != 0)
		fprintf(stderr, "  got [%s] want [%s]\n", out, want);
	free(out);
}

int
main(void)
{
	/* Printable ASCII is left alone, the backslash too, as netcat-openbsd prints it. */
	shows("", "");
	shows("host.example port 80: Connection refused", "host.example port 80: Connection refused");
	shows("a\\b \"c\" 'd' %s ~!@#$^&*()[]{}|;:,.<>?/`", "a\\b \"c\" 'd' %s ~!@#$^&*()[]{}|;:,.<>?/`");
	/* Control characters cannot break the line or drive the terminal. */
	shows("a\nb", "a\\nb");
	shows("a\r\tb", "a\\r\\tb");
	shows("\033[31mred", "\\033[31mred");
	shows("\001\177", "\\001\\177");
	shows("\a\b\v\f", "\\a\\b\\v\\f");
	/* UTF-8 text stays as it is, whatever the locale. */
	shows("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	shows("\xc2\xa0", "\xc2\xa0");
	/* Bytes that are not UTF-8 text are escaped one by one. */
	shows("\xff", "\\377");
	shows("\xc3", "\\303");           /* truncated */
	shows("\xc3" "a", "\\303a");       /* not a continuation */
	shows("\xc0\xaf", "\\300\\257");   /* overlong '/' */
	shows("\xe0\x80\xaf", "\\340\\200\\257");
	shows("\xed\xa0\x80", "\\355\\240\\200"); /* a surrogate */
	shows("\xf4\x90\x80\x80", "\\364\\220\\200\\200"); /* past U+10FFFF */
	shows("\xc2\x9b", "\\302\\233");   /* C1 CSI */
	shows("\xe2\x80\xa8", "\\342\\200\\250"); /* line separator */
	shows("\xe2\x80\xae", "\\342\\200\\256"); /* right-to-left override */
	return check_summary("escape");
}
