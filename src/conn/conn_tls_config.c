/*
 * libtls set up for a run, and what the layer does once a handshake is
 * done: the facts, OpenBSD nc's checks and ours, saving the peer's chain.
 */
#include "conn/conn_tls_config.h"

#include <bsd/string.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <tls.h>
#include <unistd.h>

enum conn_tls_status
conn_tls_fail(struct conn_tls_result *r, enum conn_tls_status st, const char *text)
{
	r->status = st;
	strlcpy(r->text, text != NULL ? text : "", sizeof(r->text));
	return st;
}

void
conn_tls_result_clear(struct conn_tls_result *r)
{
	memset(r, 0, sizeof(*r));
	r->facts.not_before = r->facts.not_after = -1;
	r->facts.ocsp_response_status = -1;
}

static enum conn_tls_status
config_fail(struct conn_tls_config *cfg, struct conn_tls_result *r)
{
	return conn_tls_fail(r, CONN_TLS_CONFIG, tls_config_error(cfg->cfg));
}

struct conn_tls_config *
conn_tls_config_new(
    const struct tls_options *o, bool server, long long timeout_ms, struct conn_tls_result *r)
{
	struct conn_tls_config *cfg = calloc(1, sizeof(*cfg));
	uint32_t protocols;

	conn_tls_result_clear(r);
	if (cfg == NULL || (cfg->cfg = tls_config_new()) == NULL) {
		free(cfg);
		conn_tls_fail(r, CONN_TLS_NO_CONFIG, NULL);
		return NULL;
	}
	cfg->opt = *o;
	cfg->server_side = server;
	cfg->close_ms = timeout_ms >= 0 ? timeout_ms : CONN_TLS_CLOSE_MS;

	/* As OpenBSD nc: the bundle is named, not left to libtls' build. */
	const char *ca = o->ca_file;
	if (ca == NULL && !o->noverify)
		ca = tls_default_ca_cert_file();
	if (ca != NULL && tls_config_set_ca_file(cfg->cfg, ca) == -1)
		goto config_error;
	if (o->cert_file != NULL && tls_config_set_cert_file(cfg->cfg, o->cert_file) == -1)
		goto config_error;
	if (o->key_file != NULL && tls_config_set_key_file(cfg->cfg, o->key_file) == -1)
		goto config_error;
	if (o->staple_file != NULL &&
	    tls_config_set_ocsp_staple_file(cfg->cfg, o->staple_file) == -1)
		goto config_error;
	if (o->protocols != NULL) {
		if (tls_config_parse_protocols(&protocols, o->protocols) == -1) {
			conn_tls_fail(r, CONN_TLS_CONFIG, "invalid TLS protocols");
			goto error;
		}
		if (tls_config_set_protocols(cfg->cfg, protocols) == -1)
			goto config_error;
	}
	if (o->ciphers != NULL && tls_config_set_ciphers(cfg->cfg, o->ciphers) == -1)
		goto config_error;
	if (o->alpn != NULL && tls_config_set_alpn(cfg->cfg, o->alpn) == -1)
		goto config_error;
	if (o->noverify)
		tls_config_insecure_noverifycert(cfg->cfg);
	if (o->noname)
		tls_config_insecure_noverifyname(cfg->cfg);
	if (o->muststaple)
		tls_config_ocsp_require_stapling(cfg->cfg);
	if (server) {
		/* -T clientcert is checked after the handshake, with OpenBSD's words. */
		tls_config_verify_client_optional(cfg->cfg);
		if ((cfg->server = tls_server()) == NULL) {
			conn_tls_fail(r, CONN_TLS_NO_SERVER, NULL);
			goto error;
		}
		if (tls_configure(cfg->server, cfg->cfg) == -1) {
			conn_tls_fail(r, CONN_TLS_CONFIGURE, tls_error(cfg->server));
			goto error;
		}
	}
	return cfg;

config_error:
	config_fail(cfg, r);
error:
	conn_tls_config_free(cfg);
	return NULL;
}

void
conn_tls_config_free(struct conn_tls_config *cfg)
{
	if (cfg == NULL)
		return;
	tls_free(cfg->server);
	tls_config_free(cfg->cfg);
	free(cfg);
}

static void
copy(char *dst, size_t len, const char *src)
{
	strlcpy(dst, src != NULL ? src : "", len);
}

void
conn_tls_fill_facts(
    struct tls *x, const struct conn_tls_config *cfg, bool server, struct conn_tls_facts *f)
{
	const struct tls_options *o = &cfg->opt;

	f->done = true;
	f->server = server;
	copy(f->version, sizeof(f->version), tls_conn_version(x));
	copy(f->cipher, sizeof(f->cipher), tls_conn_cipher(x));
	copy(f->alpn, sizeof(f->alpn), tls_conn_alpn_selected(x));
	copy(f->servername, sizeof(f->servername), server ? tls_conn_servername(x) : NULL);
	f->peer_cert = tls_peer_cert_provided(x) == 1;
	if (f->peer_cert) {
		copy(f->subject, sizeof(f->subject), tls_peer_cert_subject(x));
		copy(f->issuer, sizeof(f->issuer), tls_peer_cert_issuer(x));
		copy(f->hash, sizeof(f->hash), tls_peer_cert_hash(x));
		f->not_before = tls_peer_cert_notbefore(x);
		f->not_after = tls_peer_cert_notafter(x);
	}
	/* A server checks no name (libtls verifies a client's chain only). */
	f->verified = f->peer_cert && !o->noverify && (server || !o->noname);
	copy(f->ocsp_url, sizeof(f->ocsp_url), tls_peer_ocsp_url(x));
	f->ocsp_response_status = tls_peer_ocsp_response_status(x);
	f->ocsp_cert_status = tls_peer_ocsp_cert_status(x);
	f->ocsp_crl_reason = tls_peer_ocsp_crl_reason(x);
	copy(f->ocsp_result, sizeof(f->ocsp_result), tls_peer_ocsp_result(x));
	f->ocsp_this_update = tls_peer_ocsp_this_update(x);
	f->ocsp_next_update = tls_peer_ocsp_next_update(x);
	f->ocsp_revocation = tls_peer_ocsp_revocation_time(x);
}

/* Writes the peer's chain as PEM to path ("-": standard error). */
static enum conn_tls_status
save_chain(struct tls *x, const char *path, struct conn_tls_result *r)
{
	size_t len;
	const uint8_t *pem = tls_peer_cert_chain_pem(x, &len);

	if (pem == NULL)
		return conn_tls_fail(r, CONN_TLS_NO_PEER_CERT, NULL);
	bool to_stderr = strcmp(path, "-") == 0;
	int fd =
	    to_stderr ? STDERR_FILENO : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		return conn_tls_fail(r, CONN_TLS_SAVE_OPEN, path);
	while (len > 0) {
		ssize_t n = write(fd, pem, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (!to_stderr)
				close(fd);
			return conn_tls_fail(r, CONN_TLS_SAVE_WRITE, path);
		}
		pem += n;
		len -= (size_t)n;
	}
	if (!to_stderr && close(fd) != 0)
		return conn_tls_fail(r, CONN_TLS_SAVE_CLOSE, path);
	return CONN_TLS_OK;
}

enum conn_tls_status
conn_tls_check_peer(
    struct tls *x, const struct conn_tls_config *cfg, bool server, struct conn_tls_result *r)
{
	const struct tls_options *o = &cfg->opt;
	const struct conn_tls_facts *f = &r->facts;

	if (server) {
		/* -e and -H name the client allowed in: one without a cert is not it. */
		if ((o->clientcert || o->hash != NULL || o->name != NULL) && !f->peer_cert)
			return conn_tls_fail(r, CONN_TLS_NO_CLIENT_CERT, NULL);
		if (o->hash != NULL && strcmp(o->hash, f->hash) != 0)
			return conn_tls_fail(r, CONN_TLS_HASH, o->hash);
		if (o->name != NULL && tls_peer_cert_contains_name(x, o->name) != 1)
			return conn_tls_fail(r, CONN_TLS_CLIENT_NAME, o->name);
	} else {
		if (o->hash != NULL && strcmp(o->hash, f->hash) != 0)
			return conn_tls_fail(r, CONN_TLS_HASH, o->hash);
		if (o->min_days >= 0 && f->not_after != -1 &&
		    (long long)f->not_after - (long long)time(NULL) < o->min_days * 86400LL) {
			r->min_days = o->min_days;
			return conn_tls_fail(r, CONN_TLS_EXPIRES, NULL);
		}
	}
	if (o->peer_cert_file != NULL && f->peer_cert)
		return save_chain(x, o->peer_cert_file, r);
	return CONN_TLS_OK;
}
