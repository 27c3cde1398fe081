/* right: one socket for both directions, its addresses from getaddrinfo()
 * (AI_PASSIVE: the wildcard 0.0.0.0) */
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void)
{
	struct addrinfo hints, *here, *peer;
	int s;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if (getaddrinfo(NULL, "5000", &hints, &here) != 0)
		return 1;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
	if (getaddrinfo("127.0.0.1", "6000", &hints, &peer) != 0)
		return 1;
	s = socket(here->ai_family, here->ai_socktype, here->ai_protocol);
	if (s < 0 || bind(s, here->ai_addr, here->ai_addrlen) < 0) {
		perror("bind");
		return 1;
	}
	sendto(s, "hello", 5, 0, peer->ai_addr, peer->ai_addrlen);
	for (;;) {
		struct sockaddr_storage from;
		socklen_t len = sizeof from;
		char buf[512];
		ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);

		if (n < 0) {
			perror("recvfrom");
			return 1;
		}
		if (n == 3 && memcmp(buf, "bye", 3) == 0)
			break;
		sendto(s, "pong", 4, 0, (struct sockaddr *)&from, len);
	}
	freeaddrinfo(here);
	freeaddrinfo(peer);
	close(s);
	return 0;
}
