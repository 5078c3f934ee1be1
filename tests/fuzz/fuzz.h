/*
 * What every harness shares. A broken property aborts, so libFuzzer treats
 * it like a crash: it stops, prints the input and keeps it as a file.
 */
#ifndef NC_FUZZ_H
#define NC_FUZZ_H

#include <sanitizer/asan_interface.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_CHECK(cond)                                      \
	do {                                                  \
		if (!(cond))                                  \
			fuzz_fail(__FILE__, __LINE__, #cond); \
	} while (0)

static inline void __attribute__((noreturn)) fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: property violated: %s\n", file, line, what);
	abort();
}

static inline void *
fuzz_malloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);
	if (p == NULL)
		abort();
	return p;
}

/*
 * A copy of n bytes in an allocation of exactly their size, so that ASan
 * reports a read past the end; with n == 0 the one byte malloc gives is
 * poisoned, so that even reading it is a report. Free with free().
 */
static inline uint8_t *
fuzz_dup(const uint8_t *data, size_t n)
{
	uint8_t *p = fuzz_malloc(n);

	if (n > 0)
		memcpy(p, data, n);
	else
		ASAN_POISON_MEMORY_REGION(p, 1);
	return p;
}

/*
 * The bytes up to the first NUL as a C string in an allocation of exactly
 * its size, so that ASan reports a read one byte past the terminator.
 */
static inline char *
fuzz_cstr(const uint8_t *data, size_t size)
{
	size_t n = strnlen((const char *)data, size);
	char *s = fuzz_malloc(n + 1);
	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/*
 * Splits data at its NUL bytes into at most max strings, each in its own
 * exact-size allocation (free with fuzz_free_strings). Returns how many.
 */
static inline int
fuzz_split(const uint8_t *data, size_t size, char **out, int max)
{
	int n = 0;
	size_t i = 0;

	while (i < size && n < max) {
		out[n] = fuzz_cstr(data + i, size - i);
		i += strlen(out[n]) + 1;
		n++;
	}
	return n;
}

static inline void
fuzz_free_strings(char **s, int n)
{
	for (int i = 0; i < n; i++)
		free(s[i]);
}

/* Takes an integer off the front of the input (zeros once it runs out). */
static inline uint64_t
fuzz_take(const uint8_t **data, size_t *size, size_t bytes)
{
	uint64_t v = 0;

	for (size_t i = 0; i < bytes; i++) {
		v <<= 8;
		if (*size > 0) {
			v |= **data;
			(*data)++;
			(*size)--;
		}
	}
	return v;
}

/*
 * A fixed stand-in for /etc/services for the port parsers, with lookups
 * they must refuse (0, past 65535).
 */
static inline int
fake_services(const char *name, void *ctx)
{
	(void)ctx;
	if (strcmp(name, "http") == 0)
		return 80;
	if (strcmp(name, "ftp-data") == 0)
		return 20;
	if (strcmp(name, "zero") == 0)
		return 0;
	if (strcmp(name, "huge") == 0)
		return 70000;
	return -1;
}

#endif
