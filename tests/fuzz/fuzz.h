/* fuzz.h — shared by the harnesses: the libFuzzer entry point and a check
 * that aborts (a crash, to libFuzzer and to driver.c) with a message. */
#ifndef SOCKLAB_FUZZ_H
#define SOCKLAB_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* data as a NUL-terminated string (cut at its first NUL), in a buffer of
 * exactly the string's size; free() it.  NULL only when out of memory. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	size_t n = 0;
	char *s;

	while (n < size && data[n] != 0)
		n++;
	s = malloc(n + 1);
	if (s == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		s[i] = (char)data[i];
	s[n] = '\0';
	return s;
}

#endif
