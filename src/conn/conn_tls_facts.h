/* What the TLS layer reports: a status, libtls' words, a handshake's facts. */
#ifndef NC_CONN_TLS_FACTS_H
#define NC_CONN_TLS_FACTS_H

#include <stdbool.h>
#include <time.h>

enum conn_tls_status {
	CONN_TLS_OK,
	CONN_TLS_UNAVAILABLE,    /* built without libtls */
	CONN_TLS_NO_CONFIG,      /* "unable to allocate TLS config" */
	CONN_TLS_CONFIG,         /* a tls_config_error() text, shown as it is */
	CONN_TLS_NO_CLIENT,      /* "tls client creation failed" */
	CONN_TLS_NO_SERVER,      /* "tls server creation failed" */
	CONN_TLS_CONFIGURE,      /* "tls configuration failed (%s)" */
	CONN_TLS_CONNECT,        /* "tls connection failed (%s)" */
	CONN_TLS_ACCEPT,         /* "tls accept failed (%s)" */
	CONN_TLS_HANDSHAKE,      /* "tls handshake failed (%s)"; a timeout's text is strerror */
	CONN_TLS_HASH,           /* "peer certificate is not %s" (-H) */
	CONN_TLS_NO_CLIENT_CERT, /* "No client certificate provided" */
	CONN_TLS_CLIENT_NAME,    /* "name (%s) not found in client cert" (-e) */
	CONN_TLS_EXPIRES,        /* --tls-min-days: the certificate ends too soon */
	CONN_TLS_NO_PEER_CERT,   /* "Can't get peer certificate" (--tls-peer-cert) */
	CONN_TLS_SAVE_OPEN,      /* "can't open %s" */
	CONN_TLS_SAVE_WRITE,     /* "unable to save peer cert" */
	CONN_TLS_SAVE_CLOSE,     /* "fclose failed saving peer cert" */
};

/* What a finished handshake tells; strings are "" when libtls has none. */
struct conn_tls_facts {
	bool done;      /* the handshake completed: the rest is filled in */
	bool server;    /* we are the server: the peer is a client */
	bool peer_cert; /* the peer sent a certificate */
	bool verified;  /* chain, name and dates checked and good */
	char version[32];
	char cipher[64];
	char alpn[64];
	char servername[256]; /* server: the SNI name the client sent */
	char subject[1024];
	char issuer[1024];
	char hash[80];                /* "SHA256:" + 64 hex */
	time_t not_before, not_after; /* -1: unknown */
	char ocsp_url[512];
	int ocsp_response_status; /* -1: no stapled response */
	int ocsp_cert_status;
	int ocsp_crl_reason;
	char ocsp_result[128];
	time_t ocsp_this_update, ocsp_next_update, ocsp_revocation;
};

struct conn_tls_result {
	enum conn_tls_status status;
	char text[512]; /* the %s of the status' message: libtls' words, a name, a path */
	int min_days;   /* CONN_TLS_EXPIRES: the --tls-min-days value */
	struct conn_tls_facts facts;
};

#endif
