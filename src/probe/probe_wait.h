/* --wait's loop, shared by every prober: tries with a backoff until a deadline. */
#ifndef NC_PROBE_WAIT_H
#define NC_PROBE_WAIT_H

/* What one try of --wait found. */
enum wait_step {
	WAIT_UP,      /* everything asked for is up: stop */
	WAIT_NOT_YET, /* try again after the backoff */
	WAIT_FATAL,   /* an error no retry mends: stop */
};

/* One try; nothing it does may wait past deadline (now_ms() time). */
typedef enum wait_step (*wait_step_fn)(long long deadline, void *ctx);

/* Told, before each pause, how long it is (ms) until the next try. */
typedef void (*wait_note_fn)(long long next_ms, void *ctx);

/*
 * --wait's loop: calls step until it says up or fatal or the deadline
 * passes, pausing between tries 100 ms, then twice as long each time up to
 * 1 s, never past the deadline; a pause that ends at the deadline is
 * followed by one last try. note (may be NULL) hears of each pause first.
 * Returns the last try's answer.
 */
enum wait_step wait_until(long long deadline, wait_step_fn step, wait_note_fn note, void *ctx);

#endif
