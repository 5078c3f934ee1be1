/* Listen mode (-l). */
#ifndef NC_MODE_LISTEN_H
#define NC_MODE_LISTEN_H

#include "cli/cli_options.h"

/* Returns the exit status. */
int server_run(const struct nc_options *o);

#endif
