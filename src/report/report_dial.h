/* How each try of the dialer is told (connect mode, -F): the -v lines and the proxy's answers. */
#ifndef NC_REPORT_DIAL_H
#define NC_REPORT_DIAL_H

#include <stdbool.h>

#include "dial/dial.h"

/*
 * One try: "Connection to ... succeeded!" and the connect failures with -v
 * (or --json events), a proxy's refusal whatever the verbosity. numeric: -n,
 * no service names.
 */
void report_dial_try(const struct dial_try *t, bool numeric);

/* dialer_open failed: netcat's getaddrinfo line for what it looked up. */
void report_dial_lookup_failed(const struct dialer *d, int gai);

/* -F: stdout is a terminal, which cannot take a socket. */
void report_fdpass_tty(void);

#endif
