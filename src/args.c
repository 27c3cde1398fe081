/* args.c — strict number, port and range parsing for the CLI. */
#include <errno.h>
#include <arpa/inet.h>
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

int args_sockaddr(const char *s, int *family, struct in6_addr *addr, int *port)
{
	char host[64];
	const char *colon;
	size_t n;

	if (s == NULL || *s == '\0') {
		errno = EINVAL;
		return -1;
	}
	memset(addr, 0, sizeof *addr);
	if (s[0] == '[') {
		const char *close = strchr(s, ']');

		if (close == NULL || close[1] != ':' || (n = (size_t)(close - s - 1)) == 0 ||
		    n >= sizeof host) {
			errno = EINVAL;
			return -1;
		}
		memcpy(host, s + 1, n);
		host[n] = '\0';
		if (inet_pton(AF_INET6, host, addr) != 1) {
			errno = EINVAL;
			return -1;
		}
		*family = AF_INET6;
		return args_port(close + 2, port);
	}
	colon = strrchr(s, ':');
	if (colon == NULL || strchr(s, ':') != colon || (n = (size_t)(colon - s)) >= sizeof host) {
		errno = EINVAL;		/* IPv6 wants brackets: [::1]:5000 */
		return -1;
	}
	memcpy(host, s, n);
	host[n] = '\0';
	*family = AF_INET;
	if (n && strcmp(host, "*") != 0 && inet_pton(AF_INET, host, addr) != 1) {
		errno = EINVAL;
		return -1;
	}
	return args_port(colon + 1, port);
}
