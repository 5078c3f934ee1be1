/* Socket options that the command line asks for (-b -D -I -O -M -m -T). */
#ifndef NC_NET_SOCKOPT_H
#define NC_NET_SOCKOPT_H

#include "cli/cli_options.h"

/*
 * Applies them to fd of the given family. Returns 0, or an errno value with
 * *what naming the option that failed.
 */
int sockopt_apply(int fd, int family, const struct sock_options *sock, const char **what);

#endif
