/*
 * The data path every mode shares: stdin -> connection, connection ->
 * stdout, until the session ends by netcat-openbsd's rules. It prints
 * nothing: a failure comes back in the result for the caller to report.
 */
#ifndef NC_RELAY_H
#define NC_RELAY_H

#include "cli/cli_options.h"
#include "relay/relay_rules.h"

/*
 * A relay_config for net and stdin/stdout from the relay options; idle_ms is
 * -w's limit (< 0: none).
 */
void relay_config_from(struct relay_config *c, struct conn *net, const struct relay_options *r,
		       long long idle_ms);

/*
 * Moves data until the session ends. Whatever was read from one side has been
 * written to the other when this returns RELAY_DONE. A plain socket with no
 * option that looks at the bytes goes through the kernel (relay_splice.c).
 */
struct relay_result relay_run(const struct relay_config *c);

#endif
