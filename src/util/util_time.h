/* Monotonic milliseconds and the poll(2) timeouts derived from them. */
#ifndef NC_UTIL_TIME_H
#define NC_UTIL_TIME_H

long long now_ms(void);

/* Monotonic microseconds, for measuring how long a probe took. */
long long now_us(void);

/* Milliseconds until deadline for poll(2): -1 (wait forever) when deadline < 0. */
int poll_timeout(long long deadline);

/* Sleeps ms milliseconds, resuming after signals. */
void sleep_ms(long long ms);

#endif
