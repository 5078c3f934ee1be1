/*
 * C escapes in --send STRING, decoded to bytes. The set is printf(1)'s
 * (coreutils) minus what makes no sense for one request (\c, \u, \U):
 *
 *   \\ \" \'                the character itself
 *   \a \b \e \f \n \r \t \v  BEL BS ESC FF LF CR HT VT
 *   \N \NN \NNN             1 to 3 octal digits, at most \377 (\0 is NUL)
 *   \xH \xHH                1 or 2 hex digits
 *
 * Unlike printf(1), an unknown escape is an error, not a literal backslash:
 * a check that sends `\R` where `\r` was meant would fail with no hint why.
 * The output is binary (\0 is a byte like any other), so its length is
 * explicit. Pure.
 */
#ifndef NC_CLI_ESCAPE_H
#define NC_CLI_ESCAPE_H

#include <stddef.h>

enum escape_status {
	ESCAPE_OK,
	ESCAPE_UNTERMINATED, /* a backslash ends the string */
	ESCAPE_NO_HEX,       /* \x not followed by a hex digit */
	ESCAPE_UNKNOWN,      /* \ followed by something not in the set */
	ESCAPE_OCTAL_RANGE,  /* \400 and up: more than a byte */
};

struct escape_error {
	enum escape_status status;
	size_t offset;    /* of the backslash in the input */
	const char *text; /* the offending escape, text_len bytes (not NUL-terminated) */
	int text_len;
};

/*
 * Decodes in into out, which must have room for strlen(in) + 1 bytes (the
 * output is never longer than the input). Sets *outlen to the byte count
 * and NUL-terminates out after them. Returns err->status.
 */
enum escape_status escape_decode(
    const char *in, char *out, size_t *outlen, struct escape_error *err);

#endif
