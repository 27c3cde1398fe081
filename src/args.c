/* args.c — strict number, port and range parsing for the CLI. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"

int args_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	/* strtol accepts leading space and signs; a user typing " 1" or
	 * "+3" meant something else, so only digits pass */
	if (s == NULL || *s < '0' || *s > '9') {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end != '\0') {
		errno = EINVAL;
		return -1;
	}
	if (errno == ERANGE || v < lo || v > hi) {
		errno = ERANGE;
		return -1;
	}
	*out = v;
	return 0;
}

int args_port(const char *s, int *out)
{
	long v;

	if (args_int(s, 1, 65535, &v) < 0)
		return -1;
	*out = (int)v;
	return 0;
}

int args_range(const char *s, long lo, long hi, long *first, long *last)
{
	const char *dash = s ? strchr(s, '-') : NULL;
	char head[32];
	size_t n;

	if (dash == NULL)
		return args_int(s, lo, hi, first) < 0 ? -1 : (*last = *first, 0);
	n = (size_t)(dash - s);
	if (n == 0 || n >= sizeof head) {
		errno = EINVAL;
		return -1;
	}
	memcpy(head, s, n);
	head[n] = '\0';
	if (args_int(head, lo, hi, first) < 0 || args_int(dash + 1, lo, hi, last) < 0)
		return -1;
	if (*first > *last) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}
