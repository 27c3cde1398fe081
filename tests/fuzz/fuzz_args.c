/* fuzz_args.c — libFuzzer harness for the command-line value parsers of
 * src/args.c: ADDR:PORT ("127.0.0.1:5000", "[::1]:5000", "*:5000", what
 * `socklab why` takes), ports, bounded integers and N-M ranges.  Besides
 * crashes it checks the contract: a failure sets EINVAL or ERANGE, a
 * success is in range, and an address prints back to itself. */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "args.h"
#include "fuzz.h"

static void check_errno(void)
{
	FUZZ_CHECK(errno == EINVAL || errno == ERANGE);
}

/* A parsed address, printed the way a user would type it, parses again
 * to the same family, address and port. */
static void round_trip(int family, const struct in6_addr *addr, int port)
{
	char host[INET6_ADDRSTRLEN], text[INET6_ADDRSTRLEN + 16];
	struct in6_addr back;
	int family2 = 0, port2 = 0;

	FUZZ_CHECK(inet_ntop(family, addr, host, sizeof host) != NULL);
	snprintf(text, sizeof text, family == AF_INET6 ? "[%s]:%d" : "%s:%d", host, port);
	FUZZ_CHECK(args_sockaddr(text, &family2, &back, &port2) == 0);
	FUZZ_CHECK(family2 == family && port2 == port);
	FUZZ_CHECK(memcmp(&back, addr, family == AF_INET ? 4 : sizeof back) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	struct in6_addr addr;
	int family = 0, port = 0;
	long v, first, last;

	if (s == NULL)
		return 0;

	errno = 0;
	if (args_sockaddr(s, &family, &addr, &port) == 0) {
		FUZZ_CHECK(family == AF_INET || family == AF_INET6);
		FUZZ_CHECK(port >= 1 && port <= 65535);
		round_trip(family, &addr, port);
	} else {
		check_errno();
	}

	if (args_port(s, &port) == 0)
		FUZZ_CHECK(port >= 1 && port <= 65535);
	else
		check_errno();

	if (args_int(s, 0, LONG_MAX, &v) == 0)
		FUZZ_CHECK(v >= 0);
	else
		check_errno();
	if (args_int(s, 100, 600000, &v) == 0)
		FUZZ_CHECK(v >= 100 && v <= 600000);
	else
		check_errno();

	if (args_range(s, 0, 999, &first, &last) == 0)
		FUZZ_CHECK(0 <= first && first <= last && last <= 999);
	else
		check_errno();
	if (args_range(s, 0, LONG_MAX, &first, &last) == 0)
		FUZZ_CHECK(0 <= first && first <= last);
	else
		check_errno();

	free(s);
	return 0;
}
