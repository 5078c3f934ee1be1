/*
 * -t: answering telnet option negotiation (RFC 854) as netcat-openbsd does,
 * refusing every option: DO and DONT get WONT, WILL and WONT get DONT. Data
 * passes unchanged both ways, IAC sequences included; nothing is initiated.
 * Unlike netcat-openbsd, the state survives between reads, so a sequence
 * split over two segments is answered too.
 */
#ifndef NC_CONN_TELNET_H
#define NC_CONN_TELNET_H

#include <stddef.h>
#include <stdint.h>

#include "conn/conn.h"

#define TELNET_IAC  255
#define TELNET_DONT 254
#define TELNET_DO   253
#define TELNET_WONT 252
#define TELNET_WILL 251
#define TELNET_SB   250
#define TELNET_SE   240
#define TELNET_NOP  241

struct telnet_state {
	uint8_t phase; /* where in a command the last byte left us */
	uint8_t verb;  /* DO/DONT/WILL/WONT awaiting its option byte */
};

void telnet_init(struct telnet_state *t);

/*
 * Takes the bytes received, in[0..len), and appends the answers they call
 * for to out. Each input byte adds at most one byte of answer, plus two for
 * a sequence completed from an earlier call: out needs len + 2 bytes free.
 * Returns the answer's length.
 */
size_t telnet_feed(struct telnet_state *t, const uint8_t *in, size_t len, uint8_t *out);

/*
 * A layer over below that answers negotiation: reads return the peer's
 * bytes unchanged and queue the answers, which go out before the next read
 * or write. Takes below; NULL (errno ENOMEM, below untouched) on failure.
 */
struct conn *conn_telnet_new(struct conn *below);

#endif
