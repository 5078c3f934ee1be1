/* --wait's loop. */
#include "probe/probe_wait.h"

#include <stddef.h>

#include "util/util_time.h"

/* Backoff between --wait rounds: from the first value, doubling up to the cap. */
#define WAIT_BACKOFF_FIRST_MS 100
#define WAIT_BACKOFF_MAX_MS 1000

enum wait_step
wait_until(long long deadline, wait_step_fn step, wait_note_fn note, void *ctx)
{
	long long backoff = WAIT_BACKOFF_FIRST_MS;

	for (;;) {
		enum wait_step r = step(deadline, ctx);
		if (r != WAIT_NOT_YET)
			return r;
		long long left = deadline - now_ms();
		if (left <= 0)
			return r;
		long long pause = backoff < left ? backoff : left;
		if (note != NULL)
			note(pause, ctx);
		sleep_ms(pause);
		backoff = backoff * 2 > WAIT_BACKOFF_MAX_MS ? WAIT_BACKOFF_MAX_MS : backoff * 2;
	}
}
