/* Exercise 09 — a receiver of the multicast stream 239.1.2.3:7000 that
 * echoes every datagram to its sender and exits after "bye"; the grader
 * runs it on two hosts of a switch.  This starter is exercise 03's
 * receiver: it joins on lo, and hears nothing here.
 * Build: cc -std=c11 -D_GNU_SOURCE -Wall -o ex09 ex09.c */
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
	/* TODO: the stream comes in on the host's link, not on lo */
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
