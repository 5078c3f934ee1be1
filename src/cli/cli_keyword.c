/* -T's keywords: OpenBSD's TLS keywords, then Debian's TOS names and numbers. Pure. */
#include "cli/cli_keyword.h"

#include <stdlib.h>
#include <string.h>

struct tos_name {
	const char *name;
	int value;
};

/* IP precedence and DiffServ code points, as the TOS byte. */
static const struct tos_name tos_names[] = {
	{"af11", 0x28}, {"af12", 0x30}, {"af13", 0x38}, {"af21", 0x48}, {"af22", 0x50},
	{"af23", 0x58}, {"af31", 0x68}, {"af32", 0x70}, {"af33", 0x78}, {"af41", 0x88},
	{"af42", 0x90}, {"af43", 0x98}, {"critical", 0xa0}, {"cs0", 0x00}, {"cs1", 0x20},
	{"cs2", 0x40}, {"cs3", 0x60}, {"cs4", 0x80}, {"cs5", 0xa0}, {"cs6", 0xc0},
	{"cs7", 0xe0}, {"ef", 0xb8}, {"inetcontrol", 0xc0}, {"lowdelay", 0x10},
	{"netcontrol", 0xe0}, {"reliability", 0x04}, {"throughput", 0x08},
};

static bool
parse_tos(const char *s, int *tos)
{
	for (size_t i = 0; i < sizeof(tos_names) / sizeof(tos_names[0]); i++) {
		if (strcmp(s, tos_names[i].name) == 0) {
			*tos = tos_names[i].value;
			return true;
		}
	}
	if (*s < '0' || *s > '9')
		return false;
	char *end;
	long v = strtol(s, &end, 0);
	if (*end != '\0' || v < 0 || v > 255)
		return false;
	*tos = (int)v;
	return true;
}

enum tls_opt_status
cli_keyword(struct tls_options *t, int *tos, const char *value, struct tls_opt_error *err)
{
	/* TLS keywords first, as OpenBSD does; the rest is Debian's TOS. */
	enum tls_opt_status st = cli_tls_keyword(t, value, err);

	if (st == TLS_OPT_NOT_TLS && parse_tos(value, tos))
		st = err->status = TLS_OPT_OK;
	return st;
}
