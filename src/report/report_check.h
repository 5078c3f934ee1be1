/* A readiness check's verdict in words. */
#ifndef NC_REPORT_CHECK_H
#define NC_REPORT_CHECK_H

#include <stddef.h>

#include "probe/probe_check.h"

/*
 * The verdict as the reporter shows it, e.g. "HTTP 503 Service
 * Unavailable", "no match for '^\+PONG' in 12 bytes", "timed out after
 * 2.0 s waiting for a reply", "connection closed before a reply". Like
 * snprintf: returns the length the whole text needs.
 */
int check_describe(
    const struct check_result *r, const struct check_spec *spec, char *buf, size_t len);

#endif
