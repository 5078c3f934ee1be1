/*
 * TLS over another connection, with libtls: a client on a dialed
 * connection, a server on an accepted one. The layer does its own socket
 * I/O through the connection below (libtls' callback interface), so a peer
 * that goes away without close_notify reads as end of input, a write never
 * leaves libtls holding a half-sent record, and the close can send
 * close_notify and drain within a deadline. Prints nothing: failures come
 * back as a status and libtls' words.
 *
 * Use:
 *	cfg = conn_tls_config_new(&opts, server, timeout_ms, &res);
 *	tc = conn_tls_client(cfg, dialed, name, &res);   or conn_tls_server()
 *	conn_tls_handshake(tc, deadline, &res);          -v report, checks
 *	... conn_read/conn_write/conn_events/conn_pending ...
 *	conn_close(tc);        close_notify, drain, then the layer below
 *	conn_tls_config_free(cfg);
 *
 * The config outlives every connection made with it. The handshake comes
 * before any read or write. The socket is nonblocking: a read or write
 * fails with EAGAIN, and the caller polls for conn_events(c, wanted) and
 * retries on any of them (a read may wait for POLLOUT, our queue of
 * ciphertext asks for POLLOUT too); conn_pending() > 0 means read again
 * before polling. A read or write that fails otherwise sets errno (EIO
 * for a TLS error, whose words conn_tls_error() gives). shutdown_write
 * queues close_notify and the FIN; they go out on later reads or at close.
 */
#ifndef NC_CONN_TLS_H
#define NC_CONN_TLS_H

#include <stdbool.h>

#include "conn/conn.h"
#include "conn/conn_tls_config.h"

/*
 * A client layer over below. servername: -e, else the destination as the
 * user gave it; it is the name verified and, unless an address, the SNI.
 * Takes below on success; NULL on failure (r says why), below untouched.
 */
struct conn *conn_tls_client(struct conn_tls_config *cfg, struct conn *below,
    const char *servername, struct conn_tls_result *r);

/* A server layer over an accepted connection; as conn_tls_client. */
struct conn *conn_tls_server(
    struct conn_tls_config *cfg, struct conn *below, struct conn_tls_result *r);

/*
 * Runs the handshake until deadline (a now_ms() time; < 0: none), fills
 * r->facts, then applies the checks OpenBSD nc makes after it: -H, and on a
 * server -T clientcert and -e; then ours, --tls-min-days; then saves the
 * peer's chain (--tls-peer-cert). Returns r->status. With r->facts.done the
 * -v report can be printed even when a check failed (OpenBSD prints it
 * first).
 */
enum conn_tls_status conn_tls_handshake(
    struct conn *c, long long deadline, struct conn_tls_result *r);

/* True when c is a TLS layer. */
bool conn_is_tls(const struct conn *c);

/*
 * libtls' words for the last read or write that failed with errno EIO on c
 * ("tls read failed (%s)"); NULL when c is no TLS layer or has none.
 */
const char *conn_tls_error(const struct conn *c);

/* True once the peer ended its side with close_notify, false for a bare EOF. */
bool conn_tls_clean_eof(const struct conn *c);

#endif
