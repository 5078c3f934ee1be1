/* Every message nc shows a person lives here. */
#ifndef NC_REPORT_H
#define NC_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli_options.h"
#include "cli/cli_ports.h"
#include "net/net_error.h"
#include "report/report_target.h"

void report_init(const char *argv0, int verbose);
bool report_verbose(void);
/* One line on stderr, "nc: " then the text: for the reporter's other files. */
void report_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void report_usage(void);
void report_help(void);
void report_version(void);
void report_option_error(const struct opt_error *err);
void report_port_error(const struct port_error *err);

/* "getaddrinfo for host "H" port P: ..." */
void report_resolve_failed(const char *host, const char *port, int gai_error);
/* "getaddrinfo: ..." (a local address or port) */
void report_gai(int gai_error);
/* "getnameinfo: ..." */
void report_getnameinfo(int gai_error);

/* "WHAT: strerror(err)", or just strerror(err) when what is NULL. */
void report_errno(const char *what, int err);
/* "setsockopt NAME: strerror(err)" */
void report_sockopt(const char *name, int err);
/* -Z: the kernel has no DCCP (socket(2) said err). */
void report_dccp_unavailable(int err);
/* -Z with -l, -z, -u or -U. */
void report_dccp_mode(void);
/* -S: the terminal's prompt for the key, and why there is none. */
void report_md5sig_prompt(char *buf, size_t len);
void report_md5sig_unavailable(void);

/* A connector's failure that ends the run (SOCK_FATAL_*). */
void report_sock_failure(const struct sock_result *r);

/* With -v only. */
void report_connect_failed(const struct target *t, int err);
void report_connect_timed_out(const struct target *t);
void report_connected(const struct target *t, const char *service);

/*
 * A listener's events: "Bound on" (UDP and Unix-domain sockets), "Listening
 * on" (before each accept), "Connection received on". With -v, or as JSON
 * events on stderr with --json.
 */
void report_bound(const struct endpoint *e);
void report_listening(const struct endpoint *e);
void report_received(const struct endpoint *e);

/* Unix-domain sockets (-U); PATH as the user wrote it, "@name" for abstract names. */
/* With -v only. */
void report_unix_connected(const char *path);
/* "PATH: exists and is not a socket; not replacing it" */
void report_not_socket(const char *path);

/* UDP (-u). */
struct probe_attempt;

/* 0 quiet, 1 -v, 2 -vv, ... */
int report_verbosity(void);
/*
 * One try of a probed UDP port, as -z reports a TCP port: the success line
 * for open and open|filtered, a failure line for closed, filtered (naming
 * the ICMP message) and errors; with -vv also the state, the reason and the
 * timing. verdict: --wait's final word, where only open is up and failures
 * are shown even without -v.
 */
void report_udp_probe(const struct target *t, const char *service, const struct probe_attempt *a,
		      bool verdict);

/*
 * The "reason" text of a probe try into buf: the system's text for the
 * error, or the ICMP message that decided it with its type and code. False
 * (buf untouched) when there is none: open.
 */
bool report_probe_reason(const struct probe_attempt *a, char *buf, size_t len);

/* For the other reporter files: one "nc: " line; "HOST" or "HOST (ADDR)". */
void report_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void report_target_name(const struct target *t, char *buf, size_t len);

#endif
