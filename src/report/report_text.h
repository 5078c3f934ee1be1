/* The one rule for showing text from the user or the network in a message. */
#ifndef NC_REPORT_TEXT_H
#define NC_REPORT_TEXT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Copies n bytes of s to out, which has room for 4 * n + 1, as vis(3)
 * shows them: printable ASCII (the backslash included) and UTF-8 text
 * unchanged; control characters as \n, \t, \r, ... or octal \ooo, and so
 * every byte that is not part of a printable UTF-8 character. NUL-terminates
 * out; returns the length written.
 */
size_t report_escape(char *out, const char *s, size_t n);

/* One line on stderr: "PREFIX: " (unless prefix is NULL) and the text, escaped. */
void report_vline(const char *prefix, const char *fmt, va_list ap);

/*
 * The program's name for message prefixes: argv[0]'s last component for
 * "nc: ...", argv[0] whole for the texts worded as glibc's getopt words them.
 */
void report_text_set_name(const char *argv0);
const char *report_invoked_as(void);

/* One line on stderr: "nc: " then the text, escaped. */
void report_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One line on stderr after "PREFIX: " (none when NULL), escaped. */
void report_line(const char *prefix, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
