/* A build without libtls: the TLS layer's calls exist and refuse. */
#include "conn/conn_tls.h"

#include <string.h>

static void
unavailable(struct conn_tls_result *r)
{
	memset(r, 0, sizeof(*r));
	r->status = CONN_TLS_UNAVAILABLE;
}

struct conn_tls_config *
conn_tls_config_new(
    const struct tls_options *o, bool server, long long timeout_ms, struct conn_tls_result *r)
{
	(void)o;
	(void)server;
	(void)timeout_ms;
	unavailable(r);
	return NULL;
}

void
conn_tls_config_free(struct conn_tls_config *cfg)
{
	(void)cfg;
}

struct conn *
conn_tls_client(struct conn_tls_config *cfg, struct conn *below, const char *servername,
    struct conn_tls_result *r)
{
	(void)cfg;
	(void)below;
	(void)servername;
	unavailable(r);
	return NULL;
}

struct conn *
conn_tls_server(struct conn_tls_config *cfg, struct conn *below, struct conn_tls_result *r)
{
	(void)cfg;
	(void)below;
	unavailable(r);
	return NULL;
}

enum conn_tls_status
conn_tls_handshake(struct conn *c, long long deadline, struct conn_tls_result *r)
{
	(void)c;
	(void)deadline;
	unavailable(r);
	return CONN_TLS_UNAVAILABLE;
}

bool
conn_is_tls(const struct conn *c)
{
	(void)c;
	return false;
}

const char *
conn_tls_error(const struct conn *c)
{
	(void)c;
	return NULL;
}

bool
conn_tls_clean_eof(const struct conn *c)
{
	(void)c;
	return false;
}
