/*
 * socks4_parse_reply (dial_socks4.c): the 8 bytes a SOCKS4 proxy answers,
 * given any prefix of them. It never reads past the bytes given (they sit
 * in an allocation of exactly their size); it always wants 8; it waits for
 * more only while what it has could still be a reply; granted is CD 90, a
 * refusal CD 91..93, anything else garbage, and the code it gives back is
 * the CD byte exactly for those two. The verdict on a prefix never
 * contradicts the verdict on the whole.
 */
#include "fuzz.h"
#include "dial/dial_socks4.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_malloc(size);
	size_t need;
	int code;

	memcpy(buf, data, size);
	enum socks_parse st = socks4_parse_reply(buf, size, &need, &code);
	FUZZ_CHECK(need == SOCKS4_REPLY_LEN);
	if (size >= 1 && buf[0] != 0 && buf[0] != 4) {
		FUZZ_CHECK(st == SOCKS_PARSE_GARBAGE && code == -1);
	} else if (size < SOCKS4_REPLY_LEN) {
		FUZZ_CHECK(st == SOCKS_PARSE_NEED_MORE && code == -1);
	} else if (buf[1] == SOCKS4_GRANTED) {
		FUZZ_CHECK(st == SOCKS_PARSE_OK && code == SOCKS4_GRANTED);
	} else if (buf[1] >= 91 && buf[1] <= 93) {
		FUZZ_CHECK(st == SOCKS_PARSE_REFUSED && code == buf[1]);
	} else {
		FUZZ_CHECK(st == SOCKS_PARSE_GARBAGE && code == -1);
	}
	/* A prefix is either still waiting or already as decided as the whole. */
	for (size_t n = 0; n < size && n < SOCKS4_REPLY_LEN; n++) {
		int c;
		enum socks_parse p = socks4_parse_reply(buf, n, &need, &c);
		FUZZ_CHECK(p == SOCKS_PARSE_NEED_MORE || p == st);
	}
	free(buf);
	return 0;
}
