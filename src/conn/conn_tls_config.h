/*
 * libtls' configuration for a run, and the steps after a handshake that
 * need no socket: the facts, the checks, saving the peer's chain. The
 * struct is the TLS layer's own; others use conn_tls.h.
 */
#ifndef NC_CONN_TLS_CONFIG_H
#define NC_CONN_TLS_CONFIG_H

#include <stdbool.h>

#include "cli/cli_tls.h"
#include "conn/conn_tls_facts.h"

struct tls;
struct tls_config;

/* libtls set up once for a run: options, CA bundle, certificate, key. */
struct conn_tls_config {
	struct tls_config *cfg;
	struct tls *server; /* the listener's context; each accept makes one per client */
	struct tls_options opt;
	bool server_side;
	long long close_ms;
};

/*
 * Builds the libtls configuration from o (already checked by
 * cli_tls_check). server: a listener's (certificate and key, client certs
 * verified when sent). timeout_ms: the bound on each closing exchange (-w;
 * < 0: CONN_TLS_CLOSE_MS). NULL on failure, with r->status.
 */
struct conn_tls_config *conn_tls_config_new(
    const struct tls_options *o, bool server, long long timeout_ms, struct conn_tls_result *r);
void conn_tls_config_free(struct conn_tls_config *cfg);

/* How long a close waits for the peer without -w, in ms. */
#define CONN_TLS_CLOSE_MS 2000

/* r's status and text; returns st. */
enum conn_tls_status conn_tls_fail(
    struct conn_tls_result *r, enum conn_tls_status st, const char *text);
/* Nothing known yet: status OK, times -1, no OCSP response. */
void conn_tls_result_clear(struct conn_tls_result *r);

/* The facts of the handshake just done on x. */
void conn_tls_fill_facts(
    struct tls *x, const struct conn_tls_config *cfg, bool server, struct conn_tls_facts *f);

/*
 * OpenBSD nc's checks after a handshake (-H; a server's -T clientcert and
 * -e), ours (--tls-min-days), then --tls-peer-cert. r->facts filled first.
 */
enum conn_tls_status conn_tls_check_peer(
    struct tls *x, const struct conn_tls_config *cfg, bool server, struct conn_tls_result *r);

#endif
