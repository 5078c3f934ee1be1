/*
 * Every message about a proxy handshake and its password, worded as
 * netcat-openbsd words them where it has a message for the case.
 */
#ifndef NC_REPORT_PROXY_H
#define NC_REPORT_PROXY_H

#include <stddef.h>

#include "dial/dial.h"
#include "dial/dial_auth.h"
#include "dial/dial_proxy.h"

/*
 * The text for a handshake that did not end in PROXY_OK, without the
 * "nc: " prefix (--json wants it bare), into buf. Returns its length, as
 * snprintf; "" for PROXY_OK.
 */
size_t report_proxy_text(const struct proxy_result *r, char *buf, size_t len);

/* "nc: " and that text on stderr, whatever the verbosity. */
void report_proxy_failed(const struct proxy_result *r);

/*
 * The text for how a handshake through the proxy ended without a tunnel,
 * without "nc: "; host and port name the destination. As report_proxy_text.
 */
size_t report_answer_text(const struct dial_answer *a, const char *host, unsigned port, char *buf,
    size_t len);

/* Why there is no password to try (dial_auth_next's answer other than AUTH_READY). */
void report_proxy_auth(enum auth_next n);

/* The terminal's prompt: "Proxy password for USER@PROXYHOST: ", the proxy as given. */
void report_proxy_prompt(char *buf, size_t len, const char *user, const char *proxy_host);

#endif
