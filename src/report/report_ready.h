/*
 * What --wait, readiness checks (--send, --expect, --http) and HOST:PORT
 * targets show: a line per try with -v, a line when a target comes up, the
 * verdict per target (a line for each one still down, or a JSON object for
 * every one), and the lines for bad input of these options.
 */
#ifndef NC_REPORT_READY_H
#define NC_REPORT_READY_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/cli_escape.h"
#include "cli/cli_operands.h"
#include "probe/probe.h"
#include "probe/probe_check.h"

/* One target and its latest try, as the mode hands it over. */
struct ready_view {
	const char *host;  /* as the user wrote it; the path with -U */
	unsigned port;     /* TCP, UDP */
	const char *proto; /* "tcp", "udp"; NULL with -U */
	int unix_type;     /* -U: SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET */
	bool numeric;      /* -n: no service names */
	bool extended;     /* HOST:PORT operands or a check: JSON has the fields of both */
	/* TCP, UDP: the addresses the try went to; none when the name did not resolve (gai). */
	const struct probe_attempt *att;
	unsigned natt;
	int gai;
	int err;                          /* -U: connect(2)'s errno, 0 when it connected */
	long long time_us;                /* the try, its check included */
	const struct check_result *check; /* NULL: no check ran on this try */
	const struct check_spec *spec;
	const char *check_kind; /* what the check looks for: "reply", "expect", "http"; NULL none */
	bool up;
	unsigned tries;
	long long elapsed_ms; /* from the start until it came up, or until the verdict */
};

/* The output of n targets is about to start / is over (big runs buffer stderr). */
void report_ready_begin(size_t n);
void report_ready_end(void);

/* v has just come up: netcat's "succeeded!" line with -v (with a check, its verdict). */
void report_ready_up(const struct ready_view *v);

/* -vv --json: one object for the try just made (event "try"). */
void report_ready_try(const struct ready_view *v);

/* -v, between rounds: v is still down (a line per address tried); the next try comes in next_ms. */
void report_ready_round(const struct ready_view *v, long long next_ms);

/*
 * The verdict on v: with --json its object; else, when it is not up, a
 * line for each address tried, saying that the wait of waited_ms ran out
 * (waited_ms < 0: a single try, "not up").
 */
void report_ready_verdict(const struct ready_view *v, long long waited_ms);

/* "12", "0.5", "0.125": milliseconds as seconds, without trailing zeros. */
void report_seconds_text(long long ms, char *buf, size_t len);

/* Bad input: one line each. */
void report_operand_error(const struct operand_error *e);
void report_escape_error(const struct escape_error *e);
void report_expect_error(const char *regerror_text);
/* An --http path that cannot go into a request line; given as a separate word when bare. */
void report_http_path_error(const char *path, bool separate);

#endif
