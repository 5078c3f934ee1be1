/*
 * SOCKS5 CONNECT (RFC 1928) with, when -P gives a user, username/password
 * authentication (RFC 1929), which netcat-openbsd never offers. Host names
 * go to the proxy unresolved.
 */
#ifndef NC_DIAL_SOCKS5_H
#define NC_DIAL_SOCKS5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dial/dial_proxy.h"

struct proxy_auth;

#define SOCKS5_GREETING_MAX 4
#define SOCKS5_AUTH_MAX     (3 + 255 + 255)
#define SOCKS5_REQUEST_MAX  (5 + 255 + 2)
#define SOCKS5_REPLY_MAX    (5 + 255 + 2)

#define SOCKS5_METHOD_NONE     0x00
#define SOCKS5_METHOD_PASSWORD 0x02
#define SOCKS5_METHOD_REFUSED  0xff

#define SOCKS5_ATYP_IPV4 1
#define SOCKS5_ATYP_NAME 3
#define SOCKS5_ATYP_IPV6 4

/* 05 01 00, or 05 02 00 02 when a user name will be given. */
size_t socks5_greeting(uint8_t out[SOCKS5_GREETING_MAX], bool password);

/*
 * The proxy's method choice; *method is set once two bytes are in. 0xff,
 * or a choice that was not offered, is REFUSED: none nc can speak.
 */
enum socks_parse socks5_parse_method(
    const uint8_t *buf, size_t len, bool password_offered, int *method);

/* The RFC 1929 request; 0 when the user or password is empty or over 255 bytes. */
size_t socks5_auth_request(uint8_t out[SOCKS5_AUTH_MAX], const char *user, const char *password);

/* The RFC 1929 status: OK for 0, REFUSED (*status) otherwise. */
enum socks_parse socks5_parse_auth(const uint8_t *buf, size_t len, int *status);

/*
 * CONNECT to host:port (port in host order): an IPv4 or IPv6 literal as an
 * address, anything else as a name (ATYP 3). 0 when the name is over 255 bytes.
 */
size_t socks5_connect_request(uint8_t out[SOCKS5_REQUEST_MAX], const char *host, uint16_t port);

/*
 * The reply to CONNECT. REFUSED with *rep the REP byte; OK with the bound
 * address; NEED_MORE with *need the length known so far (4, then the whole).
 */
enum socks_parse socks5_parse_reply(
    const uint8_t *buf, size_t len, size_t *need, int *rep, struct socks5_bound *bound);

/*
 * The whole exchange on c. auth: NULL without -P; with a user but no
 * password yet, a proxy that wants one gets PROXY_AUTH_REQUIRED.
 */
enum proxy_status socks5_negotiate(struct conn *c, const char *host, uint16_t port,
    const struct proxy_auth *auth, long long deadline, struct proxy_result *r);

#endif
