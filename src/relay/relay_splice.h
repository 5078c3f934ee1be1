/*
 * The relay's fast path: the same session rules as relay_run, with the bytes
 * moved inside the kernel (splice(2), sendfile(2)) instead of through a user
 * buffer, for sessions where no option looks at the bytes.
 */
#ifndef NC_RELAY_SPLICE_H
#define NC_RELAY_SPLICE_H

#include <stdbool.h>

#include "relay/relay_rules.h"

/*
 * True when relay_fast can carry this session: a plain stream socket (no
 * layer such as TLS or telnet looks at the bytes), and none of -C, -i, -W
 * (nor a datagram socket), which need to see every byte or read.
 */
bool relay_fast_eligible(const struct relay_config *c);

/* relay_run's contract, for a session relay_fast_eligible accepted. */
struct relay_result relay_fast(const struct relay_config *c);

#endif
