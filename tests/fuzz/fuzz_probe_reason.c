/*
 * report_probe_reason (report.c): the "reason" text of a -z result, made
 * from ICMP type and code values a peer chose. Whatever the values and the
 * room, the text is NUL-terminated inside the room, is one line of
 * printable text, and says what it should: "No reply" for silence, the
 * system's words for an errno, the ICMP message (and its numbers) for ICMP.
 */
#include <ctype.h>
#include <errno.h>

#include "fuzz.h"
#include "probe/probe.h"
#include "report/report.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct probe_attempt a = {
	    .state = (enum probe_state)(fuzz_take(&data, &size, 1) % (PROBE_ERROR + 1)),
	    .err = (int)(int16_t)fuzz_take(&data, &size, 2),
	    .icmp6 = fuzz_take(&data, &size, 1) & 1,
	    .icmp_type = (short)fuzz_take(&data, &size, 2),
	    .icmp_code = (short)fuzz_take(&data, &size, 2),
	};
	size_t room = (size_t)fuzz_take(&data, &size, 2) % 512;
	char *buf = fuzz_malloc(room);
	char whole[1024];

	memset(buf, 'X', room);
	bool said = report_probe_reason(&a, whole, sizeof(whole));
	FUZZ_CHECK(said == (a.state == PROBE_OPEN_FILTERED || a.err != 0));
	FUZZ_CHECK(report_probe_reason(&a, buf, room) == said);
	if (!said) {
		free(buf);
		return 0;
	}
	size_t n = strnlen(whole, sizeof(whole));
	FUZZ_CHECK(n > 0 && n < sizeof(whole) - 1);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(isprint((unsigned char)whole[i]));
	if (room > 0) {
		size_t k = strnlen(buf, room);
		FUZZ_CHECK(k < room && k == (n < room ? n : room - 1));
		FUZZ_CHECK(memcmp(buf, whole, k) == 0);
	}

	/* strerror's text for an unknown errno lives in a buffer the next call may free. */
	char errtext[256];
	snprintf(errtext, sizeof(errtext), "%s", strerror(a.err));
	if (a.state == PROBE_OPEN_FILTERED) {
		FUZZ_CHECK(strcmp(whole, "No reply") == 0);
	} else if (a.icmp_type < 0) {
		FUZZ_CHECK(strcmp(whole, errtext) == 0);
	} else {
		const char *family = a.icmp6 ? "ICMPv6" : "ICMP";
		char numbers[64];
		snprintf(numbers, sizeof(numbers), "(%s type %d code %d)", family, a.icmp_type,
		    a.icmp_code);
		size_t len = strlen(numbers);
		FUZZ_CHECK(n > len && strcmp(whole + n - len, numbers) == 0);
		if (a.state == PROBE_CLOSED)
			FUZZ_CHECK(strncmp(whole, errtext, strlen(errtext)) == 0);
		else
			FUZZ_CHECK(isupper((unsigned char)whole[0]));
	}
	free(buf);
	return 0;
}
