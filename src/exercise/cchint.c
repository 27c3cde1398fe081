/* cchint.c — what a compiler error about a socket name means: the header
 * that declares it.  A table, like errtab.c: one row a name. */
#include <stdio.h>
#include <string.h>

#include "exercise.h"

static const struct {
	const char *name;	/* as gcc and clang quote it */
	const char *header;
} names[] = {
	{ "SO_REUSEADDR", "<sys/socket.h>" },
	{ "SO_REUSEPORT", "<sys/socket.h>" },
	{ "SO_BROADCAST", "<sys/socket.h>" },
	{ "SO_RCVTIMEO", "<sys/socket.h>" },
	{ "SO_BINDTODEVICE", "<sys/socket.h>" },
	{ "SOL_SOCKET", "<sys/socket.h>" },
	{ "SOCK_DGRAM", "<sys/socket.h>" },
	{ "SOCK_STREAM", "<sys/socket.h>" },
	{ "AF_INET6", "<sys/socket.h>" },
	{ "AF_INET", "<sys/socket.h>" },
	{ "SO_LINGER", "<sys/socket.h>" },
	{ "IPPROTO_IPV6", "<netinet/in.h>" },
	{ "IPPROTO_IP", "<netinet/in.h>" },
	{ "IPPROTO_TCP", "<netinet/in.h>" },
	{ "IPV6_V6ONLY", "<netinet/in.h>" },
	{ "IN6ADDR_ANY_INIT", "<netinet/in.h>" },
	{ "IN6ADDR_LOOPBACK_INIT", "<netinet/in.h>" },
	{ "TCP_INFO", "<netinet/tcp.h>" },
	{ "IP_ADD_MEMBERSHIP", "<netinet/in.h>" },
	{ "IP_MULTICAST_IF", "<netinet/in.h>" },
	{ "IP_MULTICAST_LOOP", "<netinet/in.h>" },
	{ "IP_BIND_ADDRESS_NO_PORT", "<netinet/in.h>" },
	{ "IP_FREEBIND", "<netinet/in.h>" },
	{ "INADDR_LOOPBACK", "<netinet/in.h>" },
	{ "INADDR_ANY", "<netinet/in.h>" },
	{ "ip_mreqn", "<netinet/in.h>" },
	{ "ip_mreq", "<netinet/in.h>" },
	{ "sockaddr_in6", "<netinet/in.h>" },
	{ "sockaddr_in", "<netinet/in.h>" },
	{ "in6addr_any", "<netinet/in.h>" },
	{ "in6addr_loopback", "<netinet/in.h>" },
	{ "htons", "<arpa/inet.h>" },
	{ "inet_pton", "<arpa/inet.h>" },
	{ "inet_ntop", "<arpa/inet.h>" },
	{ "getaddrinfo", "<netdb.h>" },
	{ "freeaddrinfo", "<netdb.h>" },
	{ "addrinfo", "<netdb.h>" },
	{ "if_nametoindex", "<net/if.h>" },
};

/* Does msg quote name ('NAME' or ‘NAME’) as undeclared, unknown or
 * incomplete? */
static int quoted(const char *msg, const char *name)
{
	static const char *const opens[] = { "'", "\xe2\x80\x98", "'struct ", "\xe2\x80\x98struct " };
	static const char *const closes[] = { "'", "\xe2\x80\x99" };
	char pat[96];

	for (size_t o = 0; o < sizeof opens / sizeof opens[0]; o++)
		for (size_t c = 0; c < sizeof closes / sizeof closes[0]; c++) {
			snprintf(pat, sizeof pat, "%s%s%s", opens[o], name, closes[c]);
			if (strstr(msg, pat) != NULL)
				return 1;
		}
	return 0;
}

int exercise_compile_hint(const char *msg, char *buf, size_t len)
{
	static const char *const troubles[] = {
		"undeclared", "implicit declaration", "incomplete type", "unknown type",
		"has no member", "storage size",
	};
	int trouble = 0;

	for (size_t i = 0; i < sizeof troubles / sizeof troubles[0]; i++)
		trouble |= strstr(msg, troubles[i]) != NULL;
	if (!trouble)
		return 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!quoted(msg, names[i].name))
			continue;
		snprintf(buf, len, "%s is declared by %s: include it (the grader compiles with "
			 "-D_GNU_SOURCE, as the labs are, so no feature macro is needed; "
			 "if you build with plain -std=c11, add #define _GNU_SOURCE before the first #include)",
			 names[i].name, names[i].header);
		return 1;
	}
	return 0;
}
