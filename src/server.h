/* Listen mode (-l). */
#ifndef NC_SERVER_H
#define NC_SERVER_H

#include "options.h"

/* Returns the exit status. */
int server_run(const struct nc_options *o);

#endif
