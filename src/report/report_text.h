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

#endif
