/* A relay session as every mode runs one: the relay, and its failure reported. */
#ifndef NC_MODE_SESSION_H
#define NC_MODE_SESSION_H

#include <stdbool.h>

#include "cli/cli_options.h"
#include "conn/conn.h"
#include "relay/relay.h"

/* The relay's rules for net from the options; the caller may adjust them. */
void session_config(struct relay_config *rc, struct conn *net, const struct nc_options *o);

/*
 * The layers the options put over a connection before its session: -t's
 * telnet answers (stream connections only). Takes c; NULL when out of
 * memory (c closed), or when c is NULL.
 */
struct conn *session_layers(struct conn *c, const struct nc_options *o);

/* Runs the relay; a failure is reported. Returns the exit status (0 or 1). */
int session_run(const struct relay_config *rc);

/*
 * One session on c, which it takes and closes: its layers (-t), the relay,
 * a failure reported. receive_only: nobody to send stdin to; keep_going: no
 * idle limit (a -k -u -l listener hears every sender). c NULL: out of memory.
 * Returns the exit status (0 or 1).
 */
int session_serve(struct conn *c, const struct nc_options *o, bool receive_only, bool keep_going);

#endif
