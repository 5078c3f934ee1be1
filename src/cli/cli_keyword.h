/* -T's value: a TLS keyword or a type of service. */
#ifndef NC_CLI_KEYWORD_H
#define NC_CLI_KEYWORD_H

#include "cli/cli_tls.h"

/*
 * One -T value: a TLS keyword into *t (cli_tls_keyword), else a TOS name
 * (critical, lowdelay, ef, af11 ... cs7) or number (0-255) into *tos.
 * TLS_OPT_OK; TLS_OPT_NOT_TLS when it is neither ("illegal tos value");
 * or cli_tls_keyword's error for a bad TLS keyword.
 */
enum tls_opt_status cli_keyword(
    struct tls_options *t, int *tos, const char *value, struct tls_opt_error *err);

#endif
