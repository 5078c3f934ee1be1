/*
 * telnet_feed (conn_telnet.c): what a -t peer sends, read in pieces. The
 * first input byte seeds where the pieces end. Whatever the pieces, the
 * answers are the same as for the whole at once (the state is kept across
 * reads), each call stays within the room the header promises (its input
 * length plus 2), and every answer is IAC WONT or IAC DONT and an option,
 * WONT for DO and DONT, DONT for WILL and WONT: nc never agrees to an option.
 */
#include "fuzz.h"
#include "conn/conn_telnet.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned seed = (unsigned)fuzz_take(&data, &size, 1);
	uint8_t *in = fuzz_malloc(size);
	uint8_t *whole = fuzz_malloc(size + 2), *pieces = fuzz_malloc(size + 2);
	struct telnet_state t;
	size_t nw, np = 0;

	memcpy(in, data, size);
	telnet_init(&t);
	nw = telnet_feed(&t, in, size, whole);
	FUZZ_CHECK(nw <= size + 2 && nw % 3 == 0);

	telnet_init(&t);
	for (size_t i = 0; i < size;) {
		size_t n = (seed * 7 + i * 13) % 5 + 1;
		if (n > size - i)
			n = size - i;
		uint8_t *out = fuzz_malloc(n + 2);
		size_t got = telnet_feed(&t, in + i, n, out);
		FUZZ_CHECK(got <= n + 2 && np + got <= size + 2);
		memcpy(pieces + np, out, got);
		np += got;
		free(out);
		i += n;
	}
	FUZZ_CHECK(np == nw && memcmp(pieces, whole, nw) == 0);

	for (size_t k = 0; k < nw; k += 3) {
		FUZZ_CHECK(whole[k] == TELNET_IAC);
		FUZZ_CHECK(whole[k + 1] == TELNET_WONT || whole[k + 1] == TELNET_DONT);
	}
	/* A lone IAC DO x (nothing before it) is refused with IAC WONT x. */
	if (size == 3 && in[0] == TELNET_IAC && in[1] == TELNET_DO)
		FUZZ_CHECK(nw == 3 && whole[1] == TELNET_WONT && whole[2] == in[2]);
	free(in);
	free(whole);
	free(pieces);
	return 0;
}
