/* What both relay paths share. */
#include "relay/relay_rules.h"

#include <limits.h>

#include "util/util_time.h"

int
relay_poll_timeout(long long deadline, long long idle_ms, bool *idle)
{
	int timeout = poll_timeout(deadline);

	*idle = idle_ms >= 0 && (timeout < 0 || idle_ms < timeout);
	if (*idle)
		timeout = idle_ms > INT_MAX ? INT_MAX : (int)idle_ms;
	return timeout;
}
