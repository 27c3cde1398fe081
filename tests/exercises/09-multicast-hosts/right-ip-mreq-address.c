/* right: struct ip_mreq, the interface named by its address (eth0's,
 * read with SIOCGIFADDR) instead of its index */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct sockaddr_in port = {
		.sin_family = AF_INET,
		.sin_port = htons(7000),
		.sin_addr.s_addr = htonl(INADDR_ANY),
	};
	struct ip_mreq join;
	struct ifreq ifr;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, "eth0");
	if (ioctl(s, SIOCGIFADDR, &ifr) < 0) {
		perror("SIOCGIFADDR");
		return 1;
	}
	join.imr_interface = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr;
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
