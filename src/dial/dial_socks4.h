/*
 * SOCKS4 CONNECT, as netcat-openbsd speaks it: the destination resolved by
 * us (IPv4 only), an empty user id, no SOCKS4a.
 */
#ifndef NC_DIAL_SOCKS4_H
#define NC_DIAL_SOCKS4_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "dial/dial_proxy.h"

#define SOCKS4_REQUEST_LEN 9
#define SOCKS4_REPLY_LEN   8
#define SOCKS4_GRANTED     90

/* 04 01 PORT IPv4 00 into out (SOCKS4_REQUEST_LEN bytes). port in host order. */
size_t socks4_request(uint8_t out[SOCKS4_REQUEST_LEN], struct in_addr dst, uint16_t port);

/*
 * The proxy's reply in buf[0..len). VN is 0 (RFC) or 4 (what some servers
 * send, and netcat-openbsd accepts); code: the CD byte (90 granted).
 */
enum socks_parse socks4_parse_reply(const uint8_t *buf, size_t len, size_t *need, int *code);

/* The whole exchange on c; r->status PROXY_OK or why not. Returns r->status. */
enum proxy_status socks4_negotiate(
    struct conn *c, struct in_addr dst, uint16_t port, long long deadline, struct proxy_result *r);

#endif
