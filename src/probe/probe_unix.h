/* -U -z and --wait: whether a Unix-domain socket accepts a connection. */
#ifndef NC_PROBE_UNIX_H
#define NC_PROBE_UNIX_H

#include "cli/cli_options.h"

/*
 * Connects to o->host once (-z), or again and again until it accepts or
 * o->scan.wait_ms passes (--wait), with a socket of type, and reports the
 * outcome. Returns the exit status: 0 if the path accepted.
 */
int unix_scan(const struct nc_options *o, int type);

#endif
