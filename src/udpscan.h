/* -u -z: the UDP prober's results, reported port by port in the order given. */
#ifndef NC_UDPSCAN_H
#define NC_UDPSCAN_H

#include "options.h"
#include "ports.h"

/* Returns the exit status: 0 if any port is open or open|filtered. */
int udp_scan_run(const struct nc_options *o, const struct port_list *ports);

#endif
