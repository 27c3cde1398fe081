/* wrong: joins right and reads the stream, but "echoes" by printing what
 * it got; nothing goes back on the wire
 * fails: each datagram of the stream is echoed once from each host */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
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
	struct ip_mreqn join = { .imr_ifindex = (int)if_nametoindex("eth0") };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, "239.1.2.3", &join.imr_multiaddr);
	if (bind(s, (struct sockaddr *)&port, sizeof port) < 0 ||
	    setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) < 0) {
		perror("bind/join");
		return 1;
	}
	for (;;) {
		char buf[512];
		ssize_t n = recv(s, buf, sizeof buf - 1, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return 1;
		buf[n] = '\0';
		if (strcmp(buf, "bye") == 0)
			break;
		printf("echo %s from h1 and h2\n", buf);
		fflush(stdout);
	}
	return 0;
}
