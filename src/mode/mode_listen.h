/* Listen mode (-l), for every transport. */
#ifndef NC_MODE_LISTEN_H
#define NC_MODE_LISTEN_H

#include "cli/cli_options.h"
#include "net/net_transport.h"

/* Returns the exit status. */
int listen_run(const struct transport *t, const struct nc_options *o);

#endif
