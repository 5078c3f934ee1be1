/* Zero-I/O mode (-z): which ports accept a connection. */
#ifndef NC_MODE_SCAN_H
#define NC_MODE_SCAN_H

#include "cli/cli_options.h"
#include "cli/cli_ports.h"

/* Returns the exit status: 0 if any port accepted. May reorder ports (-r). */
int scan_run(const struct nc_options *o, struct port_list *ports);

#endif
