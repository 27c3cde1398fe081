/* wrong: exercise 03's receiver, unchanged: it joins on lo, which is not
 * where the stream comes in
 * fails: on each host the program holds a socket on port 7000, a member of 239.1.2.3 on eth0 */
#define _DEFAULT_SOURCE	/* struct ip_mreqn, even without -D_GNU_SOURCE */
#include <arpa/inet.h>
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
	struct ip_mreqn join = { .imr_ifindex = (int)if_nametoindex("lo") };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, "239.1.2.3", &join.imr_multiaddr);
	if (bind(s, (struct sockaddr *)&port, sizeof port) < 0) {
		perror("bind");
		return 1;
	}
	if (setsockopt(s, IPPROTO_IP, IP_ADD_MEMBERSHIP, &join, sizeof join) < 0) {
		perror("IP_ADD_MEMBERSHIP");
		return 1;
	}
	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof from;
		char buf[512];
		ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);

		if (n < 0) {
			perror("recvfrom");
			return 1;
		}
		if (n == 3 && memcmp(buf, "bye", 3) == 0)
			break;
		sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
	}
	close(s);
	return 0;
}
