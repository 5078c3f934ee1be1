/* The -z scanner: one port after another, in the order given (main shuffles for -r). */
#include "scan.h"

#include <unistd.h>

#include "client.h"
#include "timeutil.h"

int
scan_run(const struct nc_options *o, struct port_list *ports)
{
	struct destination d;
	int status = 1;

	if (!destination_resolve(&d, o, SOCK_STREAM, ports->ports[0]))
		return 1;
	for (size_t i = 0; i < ports->count; i++) {
		int fd;
		if (i > 0 && o->interval_ms > 0)
			sleep_ms(o->interval_ms);
		enum attempt a = client_connect_port(&d, ports->ports[i], o, &fd);
		if (a == ATTEMPT_FATAL) {
			status = 1;
			break;
		}
		if (a == ATTEMPT_CONNECTED) {
			close(fd);
			status = 0;
		}
	}
	destination_free(&d);
	return status;
}
