/* A readiness check's verdict in words. */
#include "report/report_check.h"

#include <stdio.h>
#include <string.h>

/* "2.0 s": tenths, as the user wrote -w. */
static void
seconds(char *buf, size_t len, long long ms)
{
	snprintf(buf, len, "%lld.%lld s", ms / 1000, (ms % 1000) / 100);
}

int
check_describe(const struct check_result *r, const struct check_spec *spec, char *buf, size_t len)
{
	const char *pat = spec->expect_text != NULL ? spec->expect_text : "";
	char t[32];

	switch (r->why) {
	case CHECK_CONNECTED:
		return snprintf(buf, len, "connected");
	case CHECK_MATCHED:
		return snprintf(buf, len, "matched '%s'", pat);
	case CHECK_HTTP_OK:
	case CHECK_HTTP_STATUS:
		if (r->http_reason[0] == '\0')
			return snprintf(buf, len, "HTTP %d", r->http_code);
		return snprintf(buf, len, "HTTP %d %s", r->http_code, r->http_reason);
	case CHECK_REPLIED:
		return snprintf(buf, len, "replied with %zu bytes", r->bytes);
	case CHECK_NOT_HTTP:
		return snprintf(buf, len, "not an HTTP response");
	case CHECK_NO_MATCH:
		return snprintf(buf, len, "no match for '%s' in %zu bytes", pat, r->bytes);
	case CHECK_CLOSED:
		if (r->bytes == 0)
			return snprintf(buf, len, "connection closed before a reply");
		return snprintf(buf, len,
		    "connection closed after %zu bytes, in the HTTP status line", r->bytes);
	case CHECK_TIMED_OUT:
		seconds(t, sizeof(t), r->budget_ms >= 0 ? r->budget_ms : r->time_us / 1000);
		if (r->bytes == 0)
			return snprintf(buf, len, "timed out after %s waiting for a reply", t);
		if (spec->expect != NULL)
			return snprintf(buf, len,
			    "timed out after %s: no match for '%s' in %zu bytes", t, pat, r->bytes);
		return snprintf(buf, len, "timed out after %s in the HTTP status line (%zu bytes)",
		    t, r->bytes);
	case CHECK_LAYER:
		return snprintf(buf, len, "%s", r->detail);
	case CHECK_IO_ERROR:
		return snprintf(buf, len, "%s", strerror(r->err));
	}
	return snprintf(buf, len, "unknown");
}
