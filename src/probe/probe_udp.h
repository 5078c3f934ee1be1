/*
 * The UDP prober: is anything listening on these UDP ports? One connected
 * socket per port, so the kernel matches each reply and each ICMP error to
 * the port that caused it. Prints nothing; the caller reports.
 */
#ifndef NC_PROBE_UDP_H
#define NC_PROBE_UDP_H

#include <netdb.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "net/net_resolve.h"
#include "probe/probe.h"
#include "cli/cli_options.h"
#include "net/net_tcp.h"

/* How long a probe waits for an answer when -w does not say. */
#define UDP_PROBE_WAIT_MS 1000
/* Datagrams sent per port within the wait, evenly spaced. */
#define UDP_PROBE_SENDS 3
/* Probes in flight at once (fewer if the descriptor limit is low). */
#define UDP_PROBE_WINDOW 256
/* The largest payload the table holds. */
#define UDP_PROBE_PAYLOAD_MAX 64

struct udp_probe_result {
	/* open (a datagram came back), open|filtered (silence for the whole wait),
	 * closed (ICMP port unreachable), filtered (another ICMP unreachable) or
	 * error (a local failure such as no route, in err) */
	enum probe_state state;
	int err;          /* the errno the kernel gives the ICMP, or the local failure */
	bool icmp;        /* icmp_type and icmp_code are known */
	bool icmp6;       /* ... and they are ICMPv6 values */
	int icmp_type, icmp_code;
	size_t reply_len; /* for PROBE_OPEN */
	int probes;       /* datagrams sent */
	long long time_us; /* first probe to the answer (or to the end of the wait) */
	const struct addrinfo *ai; /* the address this result is for */
};

/* The probe wait sock asks for: -w if given, else UDP_PROBE_WAIT_MS. */
long long udp_probe_wait(const struct sock_options *sock);

/*
 * Writes the probe datagram for port into buf (len bytes of room): a minimal
 * valid request of the port's well-known protocol (DNS, NTP, SNMP, ...), else
 * one byte. Returns its length. Pure.
 */
size_t udp_probe_payload(unsigned port, unsigned char *buf, size_t len);

/*
 * Probes ports[0..n) on the one address ai (its port is ignored), all
 * concurrently, and fills results[i] for ports[i]. No probe waits past
 * cap_ms (a now_ms() time; -1: no cap). Returns SOCK_OK, or a failure that
 * ends the whole run (socket, -s/-p bind, socket options).
 */
struct sock_result udp_probe_addr(const struct addrinfo *ai, const unsigned short *ports, size_t n,
				  const struct sock_options *sock, long long cap_ms,
				  struct udp_probe_result *results);

/*
 * The same for a destination (d, or dests[i] for ports[i] when dests is not
 * NULL), keeping every address's result: each port is tried on its
 * destination's addresses in order until one does not say closed, filtered
 * or error, like a TCP connect; all ports at once. matrix has one row of n
 * results per address (as many rows as the destination with the most), and
 * tried[i] says how many rows hold a result for ports[i] (the last of them
 * is final).
 */
struct sock_result udp_probe_ports_all(const struct destination *d,
				       const struct destination *const *dests,
				       const unsigned short *ports, size_t n,
				       const struct sock_options *sock, long long cap_ms,
				       struct udp_probe_result *matrix, size_t *tried);

/*
 * The ICMP error in one MSG_ERRQUEUE message into r (err, and icmp, icmp6,
 * icmp_type, icmp_code when an ICMP message caused it). False, r untouched,
 * when m holds no IP_RECVERR / IPV6_RECVERR record. Pure.
 */
bool udp_errqueue_parse(struct msghdr *m, struct udp_probe_result *r);

/* The state r's error stands for: closed for a port unreachable or a refusal. */
enum probe_state udp_classify(const struct udp_probe_result *r);

#endif
