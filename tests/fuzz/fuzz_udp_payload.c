/*
 * udp_probe_payload (probe_udp.c): the datagram a UDP probe sends. Whatever
 * the port and the room, it never writes past the room (an exact-size
 * allocation), returns no more than it had, always fits the prober's
 * UDP_PROBE_PAYLOAD_MAX slot, and gives the same bytes every time.
 */
#include "fuzz.h"
#include "probe/probe_udp.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned port = (unsigned)fuzz_take(&data, &size, 4);
	size_t room = (size_t)fuzz_take(&data, &size, 1);
	unsigned char *buf = fuzz_malloc(room);
	unsigned char full[UDP_PROBE_PAYLOAD_MAX];

	/* The prober's own call: a slot of UDP_PROBE_PAYLOAD_MAX bytes always gets a payload. */
	size_t n = udp_probe_payload(port, full, sizeof(full));
	FUZZ_CHECK(n >= 1 && n <= sizeof(full));
	if (port > 65535)
		FUZZ_CHECK(n == 1 && full[0] == '\n');

	size_t m = udp_probe_payload(port, buf, room);
	FUZZ_CHECK(m <= room);
	/* Too little room: nothing, never a cut-off request. */
	FUZZ_CHECK(m == (room >= n ? n : 0));
	FUZZ_CHECK(memcmp(buf, full, m) == 0);
	free(buf);
	return 0;
}
