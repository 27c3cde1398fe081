/* wrong: joins on "any" interface (imr_ifindex 0), as on a laptop with
 * a default route; these hosts have none, so the join fails with ENODEV
 * and the program gives up
 * fails: the program on h1 exits with status 0 within 5 s */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in port = {
		.sin_family = AF_INET,
		.sin_port = htons(7000),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct ip_mreqn join = { .imr_ifindex = 0 };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, "239.1.2.3", &join.imr_multiaddr);
	if (bind(s, (struct sockaddr *)&port, sizeof port) < 0 ||
	    setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) < 0) {
		perror("bind/join");
		return 1;
	}
	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof from;
		char buf[512];
		ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 1;
		if (n == 3 && memcmp(buf, "bye", 3) == 0)
			break;
		sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
	}
	return 0;
}
