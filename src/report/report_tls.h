/* What TLS shows a person: OpenBSD nc's -v report and texts, and --json facts. */
#ifndef NC_REPORT_TLS_H
#define NC_REPORT_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "cli/cli_tls.h"
#include "conn/conn_tls.h"

/* A TLS option error (cli_tls_keyword, cli_tls_apply, cli_tls_check): one line. */
void report_tls_option_error(const struct tls_opt_error *err);

/* A TLS option in a build without libtls. */
void report_tls_unavailable(void);

/*
 * After conn_tls_handshake(): with -v, OpenBSD's report (a client always, a
 * server only when the client sent a certificate), then the failure line if
 * r->status is not CONN_TLS_OK. host: the destination as given (a server:
 * the listen address, NULL shown as "(null)"); name: -e or NULL.
 */
void report_tls_handshake(const struct conn_tls_result *r, const char *host, const char *name);

/* The failure of conn_tls_config_new(), _client(), _server() or _handshake(). */
void report_tls_failure(const struct conn_tls_result *r);

/* "tls read failed (%s)" or "tls write failed (%s)"; text from conn_tls_error(). */
void report_tls_io_failed(bool writing, const char *text);

/* The failure line's text (without "nc: ") into buf, as snprintf; "" for CONN_TLS_OK. */
int report_tls_failure_text(char *buf, size_t len, const struct conn_tls_result *r);

/*
 * The certificate check's facts for --json as one object, into buf as
 * snprintf: protocol, cipher, alpn, subject, issuer, not_before, not_after
 * (UTC, RFC 3339), days_left (from now), sha256 (hex), verified, error (the
 * failure line's text, null on success). Unknown values are null. Embed it
 * in the -z result line as "tls":{...}.
 */
int report_json_tls(char *buf, size_t len, const struct conn_tls_result *r, time_t now);

#endif
